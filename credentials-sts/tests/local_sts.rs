//! Roles and web identity through the generated STS client, against a local STS on 127.0.0.1
//! speaking its wire format (awsQuery: a form-encoded POST, an XML reply). moto's STS is the
//! live check (integration/tests/credentials.rs); this one sees what goes over the wire.

#[path = "../../runtime/tests/support/mod.rs"]
mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_codegen_runtime::credentials::ProviderEnv;
use aws_codegen_runtime::DateTime;
use support::{run, Seen, Server, TempDir};

const WEB_TOKEN: &str = "WEB-IDENTITY-JWT-local";
const SECRETS: [&str; 4] = ["SECRET-BASE-local", "SECRET-ROLE-local", "TOKEN-ROLE-local", WEB_TOKEN];

/// The expiry STS gives: a whole second an hour from now.
fn expiry() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64 + 3600
}

/// The value of `key` in a request's form, percent-decoded as far as these tests need.
fn form(req: &Seen, key: &str) -> Option<String> {
    req.body
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.replace("%3A", ":").replace("%2F", "/"))
}

/// Answers AssumeRole and AssumeRoleWithWebIdentity with keys named after the role, or
/// InvalidIdentityToken for any token but [`WEB_TOKEN`].
fn sts(expires: i64) -> Server {
    Server::start(move |req: &Seen| {
        let action = form(req, "Action").unwrap_or_default();
        if action == "AssumeRoleWithWebIdentity" && form(req, "WebIdentityToken").as_deref() != Some(WEB_TOKEN) {
            return (
                400,
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
                 <Code>InvalidIdentityToken</Code><Message>Couldn't retrieve verification key</Message></Error>\
                 <RequestId>r-1</RequestId></ErrorResponse>"
                    .into(),
            );
        }
        let role = form(req, "RoleArn").unwrap_or_default();
        let name = role.rsplit('/').next().unwrap_or_default().to_owned();
        (
            200,
            format!(
                "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result><Credentials>\
                 <AccessKeyId>ASIA-{name}</AccessKeyId><SecretAccessKey>SECRET-ROLE-local</SecretAccessKey>\
                 <SessionToken>TOKEN-ROLE-local</SessionToken><Expiration>{}</Expiration></Credentials>\
                 </{action}Result><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></{action}Response>",
                DateTime::from_secs(expires).to_date_time()
            ),
        )
    })
}

/// Nothing printed may hold a secret.
fn assert_hidden(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "secret {secret} printed: {text}");
    }
}

#[test]
fn role_through_source_profile() {
    let dir = TempDir::new("sts-role");
    let expires = expiry();
    let server = sts(expires);
    dir.write(
        ".aws/config",
        &format!(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\n\
             role_session_name = deploy\nexternal_id = ext-7\nduration_seconds = 1800\nregion = eu-west-1\n\
             endpoint_url = {}\n\
             [profile base]\naws_access_key_id = AKID-BASE\naws_secret_access_key = SECRET-BASE-local\n",
            server.url()
        ),
    );
    let env = ProviderEnv::from_vars([("HOME", dir.path()), ("AWS_EC2_METADATA_DISABLED", "true")]);
    let config = aws_codegen_sts_credentials::loader().env(env).build().unwrap();
    let credentials = run(config.credentials_provider().unwrap().provide()).unwrap();
    assert_eq!(credentials.access_key_id, "ASIA-deployer");
    assert_eq!(credentials.secret_access_key, "SECRET-ROLE-local");
    assert_eq!(credentials.session_token.as_deref(), Some("TOKEN-ROLE-local"));
    assert_eq!(credentials.expiry, Some(UNIX_EPOCH + Duration::from_secs(expires as u64)));

    let seen = server.requests();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let auth = seen[0].header("authorization").expect("AssumeRole is signed");
    assert!(auth.contains("Credential=AKID-BASE/") && auth.contains("/eu-west-1/sts/aws4_request"), "{auth}");
    for (key, value) in [
        ("Action", "AssumeRole"),
        ("Version", "2011-06-15"),
        ("RoleArn", "arn:aws:iam::123456789012:role/deployer"),
        ("RoleSessionName", "deploy"),
        ("ExternalId", "ext-7"),
        ("DurationSeconds", "1800"),
    ] {
        assert_eq!(form(&seen[0], key).as_deref(), Some(value), "{key} in {}", seen[0].body);
    }
    assert_hidden(&format!("{credentials:?} {config:?}"));
}

#[test]
fn web_identity_unsigned_and_its_errors() {
    let dir = TempDir::new("sts-web");
    let server = sts(expiry());
    let token = dir.write("token", &format!("{WEB_TOKEN}\n"));
    let bad = dir.write("bad-token", "not-the-token");
    let url = server.url();
    let env = |file: &str| {
        ProviderEnv::from_vars([
            ("HOME", dir.path()),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", file),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa"),
            ("AWS_ROLE_SESSION_NAME", "pod"),
            ("AWS_REGION", "us-west-2"),
            ("AWS_ENDPOINT_URL_STS", url.as_str()),
        ])
    };
    let config = aws_codegen_sts_credentials::loader().env(env(&token)).build().unwrap();
    let credentials = run(config.credentials_provider().unwrap().provide()).unwrap();
    assert_eq!(credentials.access_key_id, "ASIA-irsa");
    assert!(credentials.expiry.is_some());
    let seen = server.requests();
    assert_eq!(seen[0].header("authorization"), None, "AssumeRoleWithWebIdentity is not signed");
    assert_eq!(form(&seen[0], "Action").as_deref(), Some("AssumeRoleWithWebIdentity"));
    assert_eq!(form(&seen[0], "RoleSessionName").as_deref(), Some("pod"));
    assert_eq!(form(&seen[0], "WebIdentityToken").as_deref(), Some(WEB_TOKEN));

    // STS refuses the token: the error names STS, the role and the service's error and message,
    // not the token.
    let config = aws_codegen_sts_credentials::loader().env(env(&bad)).build().unwrap();
    let error = run(config.credentials_provider().unwrap().provide()).unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(text.contains("STS") && text.contains("InvalidIdentityToken"), "{text}");
    assert!(text.contains("Couldn't retrieve verification key"), "STS's <Message>: {text}");
    assert!(text.contains("arn:aws:iam::123456789012:role/irsa"), "{text}");
    assert_hidden(&format!("{text} {credentials:?}"));
    assert!(!text.contains("not-the-token"), "{text}");
}

/// The generated STS client's own types keep the keys out of `Debug`: the model marks
/// `SecretAccessKey` sensitive but not `SessionToken`, and the generator's secrets pass treats a
/// member named as a credential secret as one (see codegen/src/passes/secrets.rs).
#[test]
fn assume_role_output_debug_hides_the_secret_and_the_token() {
    let server = sts(expiry());
    let config = aws_codegen_runtime::Config::builder()
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(aws_codegen_runtime::Credentials::new("AKID-BASE", "SECRET-BASE-local", None))
        .build()
        .unwrap();
    let client = aws_sts_client::Client::new(config).unwrap();
    let output = run(aws_sts_client::types::AssumeRoleRequest::builder()
        .role_arn("arn:aws:iam::123456789012:role/printed")
        .role_session_name("debug")
        .send(&client))
    .unwrap();
    let credentials = output.credentials.as_ref().expect("credentials");
    assert_eq!(credentials.session_token, "TOKEN-ROLE-local", "the value is there, only hidden from Debug");
    let text = format!("{output:?} {output:#?} {credentials:?}");
    assert!(text.contains("ASIA-printed"), "the key id is not a secret: {text}");
    assert!(text.contains("session_token") && text.contains("secret_access_key"), "{text}");
    assert_hidden(&text);
}

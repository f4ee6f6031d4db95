//! SSO profiles through the generated SSO client, against a local SSO portal on 127.0.0.1
//! speaking its wire format (GET /federation/credentials, the bearer token in a header, JSON).

#[path = "../../runtime/tests/support/mod.rs"]
mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_codegen_runtime::credentials::ProviderEnv;
use support::{run, sha1_hex, Seen, Server, TempDir};

const TOKEN: &str = "SSO-ACCESS-TOKEN-portal";

fn portal() -> Server {
    Server::start(|req: &Seen| {
        if !req.target.starts_with("/federation/credentials?") {
            return (404, "{}".into());
        }
        if req.header("x-amz-sso_bearer_token") != Some(TOKEN) {
            return (401, r#"{"message":"Session token not found or invalid"}"#.into());
        }
        let ms = (SystemTime::now() + Duration::from_secs(3600)).duration_since(UNIX_EPOCH).unwrap().as_millis();
        (
            200,
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIA-SSO","secretAccessKey":"SECRET-SSO-portal","sessionToken":"TOKEN-SSO-portal","expiration":{ms}}}}}"#
            ),
        )
    })
}

#[test]
fn sso_profile_through_the_generated_client() {
    let dir = TempDir::new("sso-portal");
    let server = portal();
    dir.write(
        ".aws/config",
        "[default]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = eu-west-1\n\
         [sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n\
         [profile stale]\nsso_session = other\nsso_account_id = 1\nsso_role_name = R\nregion = eu-west-1\n\
         [sso-session other]\nsso_region = us-east-1\n",
    );
    let expires = |secs: i64| {
        aws_codegen_runtime::DateTime::from_secs(
            SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64 + secs,
        )
        .to_date_time()
    };
    dir.write(
        &format!(".aws/sso/cache/{}.json", sha1_hex("corp")),
        &format!(r#"{{"accessToken":"{TOKEN}","expiresAt":"{}"}}"#, expires(3600)),
    );
    dir.write(
        &format!(".aws/sso/cache/{}.json", sha1_hex("other")),
        &format!(r#"{{"accessToken":"not-valid-any-more","expiresAt":"{}"}}"#, expires(3600)),
    );
    let url = server.url();
    let env = |profile: &str| {
        ProviderEnv::from_vars([
            ("HOME", dir.path()),
            ("AWS_PROFILE", profile),
            ("AWS_ENDPOINT_URL_SSO", url.as_str()),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ])
    };
    let config = aws_codegen_sso_credentials::loader().env(env("default")).build().unwrap();
    assert_eq!(config.region(), "eu-west-1");
    let provider = config.credentials_provider().unwrap().clone();
    let credentials = run(provider.provide()).unwrap();
    assert_eq!(credentials.access_key_id, "ASIA-SSO");
    assert_eq!(credentials.session_token.as_deref(), Some("TOKEN-SSO-portal"));
    assert!(credentials.expiry.unwrap() > SystemTime::now() + Duration::from_secs(3000));
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].target.contains("account_id=111122223333") && seen[0].target.contains("role_name=Admin"));
    assert_eq!(seen[0].header("authorization"), None, "GetRoleCredentials is not signed");

    // The portal refuses a token: the error says so, without the token.
    let config = aws_codegen_sso_credentials::loader().env(env("stale")).build().unwrap();
    let error = run(config.credentials_provider().unwrap().provide()).unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(text.contains("UnauthorizedException") || text.contains("401"), "{text}");
    for secret in ["not-valid-any-more", TOKEN, "SECRET-SSO-portal", "TOKEN-SSO-portal"] {
        assert!(!text.contains(secret) && !format!("{credentials:?}").contains(secret), "{secret} in {text}");
    }
}

//! SSO profiles through the generated SSO client, against a local SSO portal on 127.0.0.1
//! speaking its wire format (GET /federation/credentials, the bearer token in a header, JSON).

#[path = "../../runtime/tests/support/mod.rs"]
mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_codegen_runtime::credentials::ProviderEnv;
use support::{run, sha1_hex, Seen, Server, TempDir};

const TOKEN: &str = "SSO-ACCESS-TOKEN-portal";

fn portal() -> Server {
    Server::start(portal_answer_for)
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

const CLIENT_SECRET: &str = "CLIENT-SECRET-oidc";
const REFRESH_TOKEN: &str = "REFRESH-TOKEN-oidc";
const NEW_REFRESH_TOKEN: &str = "NEW-REFRESH-TOKEN-oidc";
const STILL_VALID: &str = "STILL-VALID-TOKEN-oidc";

/// The portal and SSO OIDC on one port: CreateToken (`POST /token`, JSON) gives [`TOKEN`] for the
/// refresh token [`REFRESH_TOKEN`] of client `client-1`; the portal takes [`TOKEN`] or [`STILL_VALID`].
fn portal_and_oidc() -> Server {
    Server::start(|req: &Seen| {
        if req.method == "POST" && req.target == "/token" {
            let body: serde_json::Value = serde_json::from_str(&req.body).unwrap_or_default();
            let expected = serde_json::json!({
                "clientId": "client-1",
                "clientSecret": CLIENT_SECRET,
                "grantType": "refresh_token",
                "refreshToken": REFRESH_TOKEN,
            });
            if body != expected {
                return (
                    400,
                    r#"{"error":"invalid_grant","error_description":"Invalid refresh token provided"}"#.into(),
                );
            }
            return (
                200,
                format!(
                    r#"{{"accessToken":"{TOKEN}","tokenType":"Bearer","expiresIn":28800,"refreshToken":"{NEW_REFRESH_TOKEN}"}}"#
                ),
            );
        }
        if req.header("x-amz-sso_bearer_token") == Some(STILL_VALID) {
            let mut answer = portal_answer();
            answer.1 = answer.1.replace("ASIA-SSO", "ASIA-SSO-OLD");
            return answer;
        }
        portal_answer_for(req)
    })
}

fn portal_answer() -> (u16, String) {
    let ms = (SystemTime::now() + Duration::from_secs(3600)).duration_since(UNIX_EPOCH).unwrap().as_millis();
    (
        200,
        format!(
            r#"{{"roleCredentials":{{"accessKeyId":"ASIA-SSO","secretAccessKey":"SECRET-SSO-portal","sessionToken":"TOKEN-SSO-portal","expiration":{ms}}}}}"#
        ),
    )
}

fn portal_answer_for(req: &Seen) -> (u16, String) {
    if !req.target.starts_with("/federation/credentials?") {
        return (404, "{}".into());
    }
    if req.header("x-amz-sso_bearer_token") != Some(TOKEN) {
        return (401, r#"{"message":"Session token not found or invalid"}"#.into());
    }
    portal_answer()
}

/// An `sso_session` token about to expire is refreshed through SSO OIDC CreateToken (the
/// generated client) and written back to the cache; a refused refresh falls back to a token that
/// is still valid, and fails, asking for `aws sso login`, once it has expired.
#[test]
fn sso_session_token_refreshed_through_sso_oidc() {
    let dir = TempDir::new("sso-refresh");
    let server = portal_and_oidc();
    dir.write(
        ".aws/config",
        "[default]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = eu-west-1\n\
         [sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n",
    );
    let now = || SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let at = |secs: i64| aws_codegen_runtime::DateTime::from_secs(now() + secs).to_date_time();
    let cache = format!(".aws/sso/cache/{}.json", sha1_hex("corp"));
    let write_cache = |token: &str, expires_in: i64, refresh: &str| {
        dir.write(
            &cache,
            &serde_json::json!({
                "startUrl": "https://corp.awsapps.com/start",
                "region": "us-east-1",
                "accessToken": token,
                "expiresAt": at(expires_in),
                "clientId": "client-1",
                "clientSecret": CLIENT_SECRET,
                "registrationExpiresAt": at(90 * 86400),
                "refreshToken": refresh,
            })
            .to_string(),
        )
    };
    let url = server.url();
    let env = ProviderEnv::from_vars([
        ("HOME", dir.path()),
        ("AWS_ENDPOINT_URL_SSO", url.as_str()),
        ("AWS_ENDPOINT_URL_SSO_OIDC", url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let provide = || {
        let config = aws_codegen_sso_credentials::loader().env(env.clone()).build().unwrap();
        run(config.credentials_provider().unwrap().provide())
    };
    let mut printed = Vec::new();

    // Two minutes left (inside the five-minute window): refreshed, then used.
    write_cache("OLD-ACCESS-TOKEN-oidc", 120, REFRESH_TOKEN);
    let credentials = provide().unwrap();
    assert_eq!(credentials.access_key_id, "ASIA-SSO");
    let seen = server.requests();
    let targets: Vec<&str> = seen.iter().map(|s| s.target.split('?').next().unwrap()).collect();
    assert_eq!(targets, ["/token", "/federation/credentials"], "CreateToken, then GetRoleCredentials");
    assert_eq!(seen[0].header("authorization"), None, "CreateToken is not signed");
    // The cache holds the new token, its expiry (8 h from now) and the rotated refresh token, and
    // keeps what it had besides.
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.0.join(&cache)).unwrap()).unwrap();
    assert_eq!(written["accessToken"], TOKEN);
    assert_eq!(written["refreshToken"], NEW_REFRESH_TOKEN);
    assert_eq!(written["startUrl"], "https://corp.awsapps.com/start");
    let expires = aws_codegen_runtime::DateTime::parse_date_time(written["expiresAt"].as_str().unwrap()).unwrap();
    assert!((expires.secs() - (now() + 28800)).abs() < 60, "{}", written["expiresAt"]);
    // The next program finds the refreshed token and calls the portal only.
    let _ = provide().unwrap();
    assert_eq!(server.requests().len(), 3, "no second refresh");

    // A refresh the service refuses: a token with two minutes left is still used...
    write_cache(STILL_VALID, 120, "REFUSED-REFRESH-oidc");
    assert_eq!(provide().unwrap().access_key_id, "ASIA-SSO-OLD");
    // ...and an expired one fails, naming the refresh's error and what to do.
    write_cache("EXPIRED-TOKEN-oidc", -60, "REFUSED-REFRESH-oidc");
    let error = provide().unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(text.contains("could not be refreshed") && text.contains("aws sso login"), "{text}");
    assert!(text.contains("CreateToken"), "{text}");
    printed.push(text);
    printed.push(format!("{credentials:?}"));
    for text in &printed {
        for secret in [
            TOKEN,
            STILL_VALID,
            CLIENT_SECRET,
            REFRESH_TOKEN,
            NEW_REFRESH_TOKEN,
            "REFUSED-REFRESH-oidc",
            "EXPIRED-TOKEN-oidc",
            "SECRET-SSO-portal",
            "TOKEN-SSO-portal",
        ] {
            assert!(!text.contains(secret), "{secret} printed: {text}");
        }
    }
}

#![cfg(feature = "credential-chain")]

//! Every provider of the default credential chain against real stand-ins on 127.0.0.1: profile
//! files in temp dirs, a `credential_process` script, local servers for IMDS, the container
//! endpoint, the SSO portal and STS (its wire format, through `support/sts_query.rs`); the cache
//! with a controllable clock and concurrent callers; and a grep for secrets in everything printed.

mod support;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_codegen_runtime::credentials::{
    CachedProvider, ContainerProvider, CreateTokenRequest, CredentialsError, DefaultCredentialsChain,
    GetRoleCredentialsRequest, ImdsProvider, ProcessProvider, ProfileProvider, ProvideCredentials, ProviderEnv,
    RefreshedToken, SharedCredentialsProvider, Sso, WebIdentityProvider, DEFAULT_PROCESS_TIMEOUT, TOKEN_REFRESH_WINDOW,
};
use aws_codegen_runtime::{BoxFuture, Client, Config, Credentials, Request, ServiceInfo};
use support::sts_query::QuerySts;
use support::{run, sha1_hex, Seen, Server, TempDir};

/// The secrets every stand-in hands out; none may appear in anything printed.
const SECRETS: &[&str] = &[
    "SSO-CLIENT-SECRET",
    "SSO-REFRESH",
    "SECRET-ENV",
    "TOKEN-ENV",
    "SECRET-FILE",
    "TOKEN-FILE",
    "SECRET-PROCESS",
    "TOKEN-PROCESS",
    "SECRET-IMDS",
    "TOKEN-IMDS",
    "SECRET-CONTAINER",
    "TOKEN-CONTAINER",
    "CONTAINER-AUTH",
    "SECRET-SSO",
    "TOKEN-SSO",
    "SSO-ACCESS-TOKEN",
    "SECRET-ROLE",
    "TOKEN-ROLE",
    "WEB-IDENTITY-JWT",
    "IMDS-SESSION",
];

/// Everything a test printed, checked for secrets at its end.
#[derive(Default)]
struct Printed(Vec<String>);

impl Printed {
    fn add(&mut self, text: impl std::fmt::Debug + std::fmt::Display) -> &mut Self {
        self.0.push(format!("{text:?} {text}"));
        self
    }
    fn debug(&mut self, value: &impl std::fmt::Debug) -> &mut Self {
        self.0.push(format!("{value:?} {value:#?}"));
        self
    }
}

impl Drop for Printed {
    fn drop(&mut self) {
        for text in &self.0 {
            for secret in SECRETS {
                assert!(!text.contains(secret), "secret {secret} printed: {text}");
            }
        }
    }
}

/// An environment of these variables, with no shared files unless named.
fn env(dir: &TempDir, pairs: &[(&str, &str)]) -> ProviderEnv {
    let mut all: Vec<(String, String)> =
        vec![("HOME".into(), dir.path().into()), ("AWS_EC2_METADATA_DISABLED".into(), "true".into())];
    all.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    ProviderEnv::from_vars(all)
}

fn in_an_hour() -> String {
    aws_codegen_runtime::DateTime::from_secs(now_secs() + 3600).to_date_time()
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn credentials_json(n: &str) -> String {
    format!(
        r#"{{"Code":"Success","AccessKeyId":"AKID-{n}","SecretAccessKey":"SECRET-{n}","Token":"TOKEN-{n}","Expiration":"{}"}}"#,
        in_an_hour()
    )
}

#[test]
fn environment_first() {
    let dir = TempDir::new("env");
    let chain = DefaultCredentialsChain::builder()
        .env(env(
            &dir,
            &[
                ("AWS_ACCESS_KEY_ID", "AKID-ENV"),
                ("AWS_SECRET_ACCESS_KEY", "SECRET-ENV"),
                ("AWS_SESSION_TOKEN", "TOKEN-ENV"),
            ],
        ))
        .build();
    let c = run(chain.provide_credentials()).unwrap();
    assert_eq!((c.access_key_id.as_str(), c.secret_access_key.as_str()), ("AKID-ENV", "SECRET-ENV"));
    assert_eq!(c.session_token.as_deref(), Some("TOKEN-ENV"));
    let mut printed = Printed::default();
    printed.debug(&c).debug(&chain);
    let half = DefaultCredentialsChain::builder().env(env(&dir, &[("AWS_ACCESS_KEY_ID", "AKID-ENV")])).build();
    let e = run(half.provide_credentials()).unwrap_err();
    assert!(!e.is_not_loaded() && e.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{e}");
    printed.add(e);
}

#[test]
fn nothing_configured_says_what_was_tried() {
    let dir = TempDir::new("none");
    let chain = DefaultCredentialsChain::builder().env(env(&dir, &[])).build();
    let e = run(chain.provide_credentials()).unwrap_err();
    let text = e.to_string();
    for part in ["environment", "web identity", "profile", "container", "IMDS"] {
        assert!(text.contains(part), "{part} in {text}");
    }
}

#[test]
fn profile_files() {
    let dir = TempDir::new("profile");
    let config = dir.write("config", "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-west-2\n");
    let creds = dir.write(
        "credentials",
        "[default]\naws_access_key_id = AKID-FILE\naws_secret_access_key = SECRET-FILE\n\
         [dev]\naws_access_key_id = AKID-DEV\naws_secret_access_key = SECRET-FILE\naws_session_token = TOKEN-FILE\n",
    );
    let files = [("AWS_CONFIG_FILE", config.as_str()), ("AWS_SHARED_CREDENTIALS_FILE", creds.as_str())];
    let chain = DefaultCredentialsChain::builder().env(env(&dir, &files)).build();
    assert_eq!(run(chain.provide_credentials()).unwrap().access_key_id, "AKID-FILE");
    let mut with_profile = files.to_vec();
    with_profile.push(("AWS_PROFILE", "dev"));
    let chain = DefaultCredentialsChain::builder().env(env(&dir, &with_profile)).build();
    let c = run(chain.provide_credentials()).unwrap();
    assert_eq!((c.access_key_id.as_str(), c.session_token.as_deref()), ("AKID-DEV", Some("TOKEN-FILE")));
    // The default place is ~/.aws, from HOME.
    dir.write(".aws/credentials", "[default]\naws_access_key_id = AKID-HOME\naws_secret_access_key = SECRET-FILE\n");
    let chain = DefaultCredentialsChain::builder().env(env(&dir, &[])).build();
    assert_eq!(run(chain.provide_credentials()).unwrap().access_key_id, "AKID-HOME");
    // A profile named by AWS_PROFILE that does not exist stops the chain.
    let mut missing = files.to_vec();
    missing.push(("AWS_PROFILE", "nope"));
    let e = run(DefaultCredentialsChain::builder().env(env(&dir, &missing)).build().provide_credentials()).unwrap_err();
    assert!(!e.is_not_loaded() && e.to_string().contains("`nope`"), "{e}");
    Printed::default().add(e).debug(&c);
}

#[test]
fn credential_process_script() {
    let dir = TempDir::new("process");
    let script = dir.write(
        "creds.sh",
        &format!(
            "#!/bin/sh\necho \"$1\" >> {}/runs\necho '{{\"Version\": 1, \"AccessKeyId\": \"AKID-PROCESS\", \"SecretAccessKey\": \"SECRET-PROCESS\", \"SessionToken\": \"TOKEN-PROCESS\", \"Expiration\": \"{}\"}}'\n",
            dir.path(),
            in_an_hour()
        ),
    );
    let failing = dir.write("fail.sh", "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"SECRET-PROCESS\"}'\nexit 3\n");
    let no_version =
        dir.write("old.sh", "#!/bin/sh\necho '{\"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"SECRET-PROCESS\"}'\n");
    let config = dir.write(
        "config",
        &format!(
            "[default]\ncredential_process = sh {script} first-arg\n[profile fail]\ncredential_process = sh {failing}\n\
             [profile old]\ncredential_process = sh {no_version}\n"
        ),
    );
    let files = [("AWS_CONFIG_FILE", config.as_str())];
    let chain = DefaultCredentialsChain::builder().env(env(&dir, &files)).build();
    let c = run(chain.provide_credentials()).unwrap();
    assert_eq!((c.access_key_id.as_str(), c.session_token.as_deref()), ("AKID-PROCESS", Some("TOKEN-PROCESS")));
    assert!(c.expiry.unwrap() > SystemTime::now() + Duration::from_secs(3000));
    assert_eq!(std::fs::read_to_string(dir.0.join("runs")).unwrap(), "first-arg\n");
    let mut printed = Printed::default();
    for profile in ["fail", "old"] {
        let e = run(ProfileProvider::new(env(&dir, &files), None, None).profile(profile).provide_credentials())
            .unwrap_err();
        assert!(!e.is_not_loaded(), "{e}");
        printed.add(e);
    }
    let e = run(ProcessProvider::new("exit 3").provide_credentials()).unwrap_err();
    assert!(e.to_string().contains("exit status: 3"), "{e}");
}

/// A command that hangs is stopped at the time limit (one minute unless set), and the chain
/// fails saying so instead of holding every call.
#[test]
fn credential_process_is_stopped_at_its_timeout() {
    assert_eq!(DEFAULT_PROCESS_TIMEOUT, Duration::from_secs(60));
    let dir = TempDir::new("process-slow");
    // The command line's shell becomes the script and the script the sleep (`exec` both times):
    // the pid it records is the process that must be stopped.
    let slow = dir.write(
        "slow.sh",
        &format!(
            "#!/bin/sh\necho $$ > {}/pid\nexec sleep 30\necho '{{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"SECRET-PROCESS\"}}'\n",
            dir.path()
        ),
    );
    let config = dir.write("config", &format!("[default]\ncredential_process = exec sh {slow}\n"));
    let files = [("AWS_CONFIG_FILE", config.as_str())];
    let chain = DefaultCredentialsChain::builder()
        .env(env(&dir, &files))
        .credential_process_timeout(Duration::from_millis(400))
        .build();
    let started = std::time::Instant::now();
    let e = run(chain.provide_credentials()).unwrap_err();
    let took = started.elapsed();
    assert!(!e.is_not_loaded(), "a profile that fails ends the chain: {e}");
    assert!(e.to_string().contains("did not finish within 400ms and was stopped"), "{e}");
    assert!(took >= Duration::from_millis(400) && took < Duration::from_secs(5), "{took:?}");
    let pid = std::fs::read_to_string(dir.0.join("pid")).unwrap();
    if cfg!(target_os = "linux") {
        let proc = format!("/proc/{}", pid.trim());
        assert!(!std::path::Path::new(&proc).exists(), "the command ({proc}) was killed and reaped");
    }
    // The provider on its own, and its `Debug` showing the limit.
    let provider = ProcessProvider::new("sleep 5").timeout(Duration::from_millis(200));
    let e = run(provider.provide_credentials()).unwrap_err();
    assert!(e.to_string().contains("`sleep 5` did not finish within 200ms"), "{e}");
    assert!(format!("{provider:?}").contains("200ms"), "{provider:?}");
    Printed::default().add(e).debug(&chain);
}

/// A local STS speaking its wire format: AssumeRole answers for the role in the form with keys
/// named after it; AssumeRoleWithWebIdentity checks the token.
fn sts_server() -> Server {
    Server::start(|req: &Seen| {
        let form: Vec<(String, String)> = req
            .body
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.replace("%3A", ":").replace("%2F", "/")))
            .collect();
        let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        let action = get("Action");
        if action == "AssumeRoleWithWebIdentity" && get("WebIdentityToken") != "WEB-IDENTITY-JWT" {
            return (400, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>bad token</Message></Error></ErrorResponse>".into());
        }
        let role = get("RoleArn");
        let name = role.rsplit('/').next().unwrap_or("").to_owned();
        let xml = format!(
            "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result><Credentials>\
             <AccessKeyId>ASIA-{name}</AccessKeyId><SecretAccessKey>SECRET-ROLE</SecretAccessKey>\
             <SessionToken>TOKEN-ROLE</SessionToken><Expiration>{}</Expiration></Credentials></{action}Result></{action}Response>",
            in_an_hour()
        );
        (200, xml)
    })
}

/// The access key id a signed request was signed with.
fn signed_by(req: &Seen) -> String {
    let auth = req.header("authorization").unwrap_or_default();
    auth.split("Credential=").nth(1).and_then(|c| c.split('/').next()).unwrap_or_default().to_owned()
}

fn form_value(req: &Seen, key: &str) -> String {
    req.body
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

#[test]
fn roles_through_source_profile_and_credential_source() {
    let dir = TempDir::new("roles");
    let sts = sts_server();
    let config = dir.write(
        "config",
        &format!(
            "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = admin\nrole_session_name = s1\nexternal_id = ext\n\
             [profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n\
             [profile base]\naws_access_key_id = AKID-BASE\naws_secret_access_key = SECRET-FILE\n\
             [profile fromenv]\nrole_arn = arn:aws:iam::123456789012:role/envrole\ncredential_source = Environment\n\
             [default]\nendpoint_url = {}\nregion = eu-central-1\n",
            sts.url()
        ),
    );
    let vars = [("AWS_CONFIG_FILE", config.as_str()), ("AWS_PROFILE", "app")];
    // STS's endpoint: AWS_ENDPOINT_URL_STS (profile `app` has no endpoint_url).
    let mut with_endpoint = vars.to_vec();
    let url = sts.url();
    with_endpoint.push(("AWS_ENDPOINT_URL_STS", &url));
    let chain_env = DefaultCredentialsChain::builder().env(env(&dir, &with_endpoint)).sts(Arc::new(QuerySts)).build();
    let c = run(chain_env.provide_credentials()).unwrap();
    assert_eq!(c.access_key_id, "ASIA-app");
    assert!(c.expiry.is_some());
    let seen = sts.requests();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(
        (signed_by(&seen[0]).as_str(), form_value(&seen[0], "RoleArn").as_str()),
        ("AKID-BASE", "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fadmin")
    );
    assert_eq!(signed_by(&seen[1]), "ASIA-admin");
    assert_eq!(
        (form_value(&seen[1], "RoleSessionName").as_str(), form_value(&seen[1], "ExternalId").as_str()),
        ("s1", "ext")
    );
    assert!(seen[1].header("authorization").unwrap().contains("/us-east-1/sts/"), "region defaults to us-east-1");
    let mut printed = Printed::default();
    printed.debug(&c).debug(&chain_env);

    // credential_source = Environment: the role is assumed with the environment's keys.
    let vars = [
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_PROFILE", "fromenv"),
        ("AWS_ENDPOINT_URL_STS", &url),
        ("AWS_REGION", "ap-northeast-1"),
    ];
    let provider = ProfileProvider::new(env(&dir, &vars), Some(Arc::new(QuerySts)), None);
    let e = run(provider.provide_credentials()).unwrap_err();
    assert!(e.to_string().contains("AWS_ACCESS_KEY_ID"), "{e}");
    let mut vars = vars.to_vec();
    vars.extend([("AWS_ACCESS_KEY_ID", "AKID-ENV"), ("AWS_SECRET_ACCESS_KEY", "SECRET-ENV")]);
    let provider = ProfileProvider::new(env(&dir, &vars), Some(Arc::new(QuerySts)), None);
    assert_eq!(run(provider.provide_credentials()).unwrap().access_key_id, "ASIA-envrole");
    let last = sts.requests().pop().unwrap();
    assert_eq!(signed_by(&last), "AKID-ENV");
    assert!(last.header("authorization").unwrap().contains("/ap-northeast-1/sts/"));

    // Without an STS client the error says what to do.
    let no_sts = DefaultCredentialsChain::builder()
        .env(env(&dir, &[("AWS_CONFIG_FILE", config.as_str()), ("AWS_PROFILE", "app")]))
        .build();
    let e = run(no_sts.provide_credentials()).unwrap_err();
    assert!(e.to_string().contains("needs an STS client"), "{e}");
    printed.add(e);
}

#[test]
fn web_identity() {
    let dir = TempDir::new("webid");
    let sts = sts_server();
    let token = dir.write("token", "WEB-IDENTITY-JWT\n");
    let bad = dir.write("bad-token", "something-else");
    let url = sts.url();
    let vars = |file: &str| {
        vec![
            ("AWS_WEB_IDENTITY_TOKEN_FILE".to_owned(), file.to_owned()),
            ("AWS_ROLE_ARN".to_owned(), "arn:aws:iam::123456789012:role/irsa".to_owned()),
            ("AWS_ROLE_SESSION_NAME".to_owned(), "pod".to_owned()),
            ("AWS_ENDPOINT_URL_STS".to_owned(), url.clone()),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
            ("HOME".to_owned(), dir.path().to_owned()),
        ]
    };
    let chain =
        DefaultCredentialsChain::builder().env(ProviderEnv::from_vars(vars(&token))).sts(Arc::new(QuerySts)).build();
    let c = run(chain.provide_credentials()).unwrap();
    assert_eq!(c.access_key_id, "ASIA-irsa");
    let seen = sts.requests();
    assert_eq!(seen[0].header("authorization"), None, "AssumeRoleWithWebIdentity is not signed");
    assert_eq!(form_value(&seen[0], "RoleSessionName"), "pod");
    let provider = WebIdentityProvider::new(ProviderEnv::from_vars(vars(&bad)), Some(Arc::new(QuerySts)));
    let e = run(provider.provide_credentials()).unwrap_err();
    assert!(e.to_string().contains("InvalidIdentityToken"), "{e}");
    let provider = WebIdentityProvider::new(ProviderEnv::from_vars(vars(&token)), None);
    let e2 = run(provider.provide_credentials()).unwrap_err();
    assert!(e2.to_string().contains("needs an STS client"), "{e2}");
    Printed::default().add(e).add(e2).debug(&c).debug(&provider);
}

/// An SSO portal client over the runtime's `Client` (the test's own, so that the runtime's tests
/// need no generated crate; `aws-codegen-sso-credentials` has the generated one).
#[derive(Debug)]
struct PortalSso;

static SSO: ServiceInfo = ServiceInfo {
    service_id: "SSO",
    signing_name: "awsssoportal",
    endpoint_prefix: "portal.sso",
    api_version: "2019-06-10",
    endpoint_rules: "",
    partitions: "",
};

impl Sso for PortalSso {
    fn get_role_credentials(
        &self,
        r: GetRoleCredentialsRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let failed = |m: String| CredentialsError::Failed { provider: "SSO", message: m };
            let config =
                Config::builder().region(r.region).anonymous().endpoint_url(r.endpoint_url.unwrap_or_default());
            let client = Client::new(&SSO, config.build().map_err(|e| failed(e.to_string()))?)
                .map_err(|e| failed(e.to_string()))?;
            let mut request = Request::new("GET", "/federation/credentials".into());
            request
                .query("role_name", r.role_name)
                .query("account_id", r.account_id)
                .header("x-amz-sso_bearer_token", r.access_token);
            let response = client.send(request).await.map_err(|e| failed(e.to_string()))?;
            if response.status != 200 {
                return Err(failed(format!("portal answered {}", response.status)));
            }
            let v: serde_json::Value = serde_json::from_slice(&response.body).map_err(|e| failed(e.to_string()))?;
            let rc = &v["roleCredentials"];
            let s = |k: &str| rc[k].as_str().unwrap_or_default().to_owned();
            let expiry = UNIX_EPOCH + Duration::from_millis(rc["expiration"].as_u64().unwrap_or_default());
            Ok(Credentials::new(s("accessKeyId"), s("secretAccessKey"), Some(s("sessionToken"))).with_expiry(expiry))
        })
    }
}

fn sso_portal() -> Server {
    Server::start(|req: &Seen| {
        if req.header("x-amz-sso_bearer_token") != Some("SSO-ACCESS-TOKEN") {
            return (401, r#"{"message":"Session token not found or invalid"}"#.into());
        }
        let expiration = (now_secs() + 3600) * 1000;
        let role =
            req.target.split("role_name=").nth(1).and_then(|r| r.split('&').next()).unwrap_or_default().to_owned();
        (
            200,
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIA-SSO-{role}","secretAccessKey":"SECRET-SSO","sessionToken":"TOKEN-SSO","expiration":{expiration}}}}}"#
            ),
        )
    })
}

#[test]
fn sso_session_and_legacy_profiles() {
    let dir = TempDir::new("sso");
    let portal = sso_portal();
    let config = dir.write(
        "config",
        "[profile new]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
         [sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n\
         [profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = Old\n\
         [profile expired]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = X\n[sso-session gone]\nsso_region = us-east-1\n",
    );
    let cache = |key: &str, expires: String| {
        let name = format!(".aws/sso/cache/{}.json", sha1_hex(key));
        dir.write(
            &name,
            &format!(r#"{{"accessToken":"SSO-ACCESS-TOKEN","expiresAt":"{expires}","region":"us-east-1"}}"#),
        );
    };
    cache("corp", in_an_hour());
    cache("https://old.awsapps.com/start", in_an_hour());
    cache("gone", aws_codegen_runtime::DateTime::from_secs(now_secs() - 60).to_date_time());
    let url = portal.url();
    let provider = |profile: &str| {
        ProfileProvider::new(
            env(&dir, &[("AWS_CONFIG_FILE", config.as_str()), ("AWS_ENDPOINT_URL_SSO", url.as_str())]),
            None,
            Some(Arc::new(PortalSso)),
        )
        .profile(profile)
    };
    let c = run(provider("new").provide_credentials()).unwrap();
    assert_eq!(c.access_key_id, "ASIA-SSO-Dev");
    assert_eq!(run(provider("legacy").provide_credentials()).unwrap().access_key_id, "ASIA-SSO-Old");
    let seen = portal.requests();
    assert!(
        seen[0].target.contains("account_id=111122223333") && seen[0].header("authorization").is_none(),
        "{seen:?}"
    );
    let e = run(provider("expired").provide_credentials()).unwrap_err();
    assert!(e.to_string().contains("aws sso login"), "{e}");
    let no_client = ProfileProvider::new(env(&dir, &[("AWS_CONFIG_FILE", config.as_str())]), None, None).profile("new");
    let e2 = run(no_client.provide_credentials()).unwrap_err();
    assert!(e2.to_string().contains("needs an SSO client"), "{e2}");
    Printed::default().add(e).add(e2).debug(&c);
}

/// An SSO client whose CreateToken counts its calls and answers `REFRESHED-<n>` for the cached
/// refresh token only, and whose GetRoleCredentials names the access token it was given.
#[derive(Debug, Default)]
struct RefreshingSso {
    refreshes: AtomicUsize,
}

impl Sso for RefreshingSso {
    fn get_role_credentials(
        &self,
        r: GetRoleCredentialsRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { Ok(Credentials::new(format!("AKID-{}", r.access_token), "SECRET-SSO", None)) })
    }

    fn create_token(&self, r: CreateTokenRequest) -> BoxFuture<'_, Result<RefreshedToken, CredentialsError>> {
        let n = self.refreshes.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move {
            if r.refresh_token != "SSO-REFRESH" || r.client_secret != "SSO-CLIENT-SECRET" || r.region != "us-east-1" {
                return Err(CredentialsError::Failed { provider: "SSO", message: "invalid_grant".into() });
            }
            Ok(RefreshedToken {
                access_token: format!("REFRESHED-{n}"),
                expires_in: Duration::from_secs(3600),
                refresh_token: None,
            })
        })
    }
}

/// With a clock the test sets: a token is refreshed only within five minutes of its expiry, only
/// for `sso_session` profiles whose cache has a client registration that has not expired.
#[test]
fn sso_token_refresh_by_the_clock() {
    assert_eq!(TOKEN_REFRESH_WINDOW, Duration::from_secs(300));
    let dir = TempDir::new("sso-clock");
    let config = dir.write(
        "config",
        "[profile new]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = Dev\n\
         [sso-session corp]\nsso_region = us-east-1\n\
         [profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = Old\n",
    );
    let expires_at: i64 = 2_000_000_000;
    let time = |secs: i64| aws_codegen_runtime::DateTime::from_secs(secs).to_date_time();
    let cache = |key: &str, registration_expires: i64| {
        dir.write(
            &format!(".aws/sso/cache/{}.json", sha1_hex(key)),
            &format!(
                r#"{{"accessToken":"CACHED","expiresAt":"{}","clientId":"c","clientSecret":"SSO-CLIENT-SECRET","refreshToken":"SSO-REFRESH","registrationExpiresAt":"{}"}}"#,
                time(expires_at),
                time(registration_expires)
            ),
        );
    };
    let sso = Arc::new(RefreshingSso::default());
    let key_at = |profile: &str, now: i64| {
        let env = env(&dir, &[("AWS_CONFIG_FILE", config.as_str())])
            .with_clock(move || UNIX_EPOCH + Duration::from_secs(now as u64));
        run(ProfileProvider::new(env, None, Some(sso.clone())).profile(profile).provide_credentials())
    };
    cache("corp", expires_at + 86400);
    cache("https://old.awsapps.com/start", expires_at + 86400);
    // Ten minutes left: the cached token.
    assert_eq!(key_at("new", expires_at - 600).unwrap().access_key_id, "AKID-CACHED");
    assert_eq!(sso.refreshes.load(Ordering::SeqCst), 0);
    // Four minutes left: refreshed, and the new token written back for the next reader.
    assert_eq!(key_at("new", expires_at - 240).unwrap().access_key_id, "AKID-REFRESHED-1");
    assert_eq!(key_at("new", expires_at - 240).unwrap().access_key_id, "AKID-REFRESHED-1", "from the cache");
    assert_eq!(sso.refreshes.load(Ordering::SeqCst), 1);
    // A legacy profile has nothing to refresh with: its token until it expires, then an error.
    assert_eq!(key_at("legacy", expires_at - 240).unwrap().access_key_id, "AKID-CACHED");
    let e = key_at("legacy", expires_at + 1).unwrap_err();
    assert!(e.to_string().contains("aws sso login"), "{e}");
    // A client registration that has expired cannot refresh either.
    cache("corp", expires_at - 3600);
    let e2 = key_at("new", expires_at + 1).unwrap_err();
    assert!(e2.to_string().contains("has expired: run `aws sso login`"), "{e2}");
    assert_eq!(sso.refreshes.load(Ordering::SeqCst), 1);
    Printed::default().add(e).add(e2);
}

#[test]
fn container_endpoint() {
    let dir = TempDir::new("container");
    let server = Server::start(|req: &Seen| match req.header("authorization") {
        Some("CONTAINER-AUTH") | None if req.target == "/creds" => (200, credentials_json("CONTAINER")),
        _ => (401, "{}".into()),
    });
    let full = format!("{}/creds", server.url());
    let token_file = dir.write("token", "CONTAINER-AUTH\n");
    let provider = |pairs: &[(&str, &str)]| ContainerProvider::new(env(&dir, pairs));
    let c = run(provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "CONTAINER-AUTH"),
    ])
    .provide_credentials())
    .unwrap();
    assert_eq!((c.access_key_id.as_str(), c.session_token.as_deref()), ("AKID-CONTAINER", Some("TOKEN-CONTAINER")));
    assert_eq!(server.requests()[0].header("authorization"), Some("CONTAINER-AUTH"));
    // The token file wins over the variable.
    let c = run(provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &token_file),
    ])
    .provide_credentials());
    assert_eq!(c.unwrap().access_key_id, "AKID-CONTAINER");
    let e =
        run(provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full), ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong")])
            .provide_credentials())
        .unwrap_err();
    assert!(e.to_string().contains("401"), "{e}");
    let e2 = run(provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds")]).provide_credentials())
        .unwrap_err();
    assert!(e2.to_string().contains("must be https"), "{e2}");
    assert!(run(provider(&[]).provide_credentials()).unwrap_err().is_not_loaded());
    // Through the chain, after the (absent) profile.
    let chain =
        DefaultCredentialsChain::builder().env(env(&dir, &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full)])).build();
    assert_eq!(run(chain.provide_credentials()).unwrap().access_key_id, "AKID-CONTAINER");
    Printed::default().add(e).add(e2);
}

/// A local IMDSv2: a token for a PUT with a TTL, the role and its credentials only with it.
fn imds_server() -> Server {
    Server::start(|req: &Seen| {
        if req.method == "PUT" {
            return match (req.target.as_str(), req.header("x-aws-ec2-metadata-token-ttl-seconds")) {
                ("/latest/api/token", Some(_)) => (200, "IMDS-SESSION".into()),
                _ => (400, String::new()),
            };
        }
        if req.header("x-aws-ec2-metadata-token") != Some("IMDS-SESSION") {
            return (401, String::new());
        }
        match req.target.as_str() {
            "/latest/meta-data/iam/security-credentials/" => (200, "web-role\n".into()),
            "/latest/meta-data/iam/security-credentials/web-role" => (200, credentials_json("IMDS")),
            "/latest/meta-data/placement/region" => (200, "ca-central-1".into()),
            _ => (404, String::new()),
        }
    })
}

#[test]
fn imds_v2() {
    let dir = TempDir::new("imds");
    let server = imds_server();
    let url = server.url();
    let on = |extra: &[(&str, &str)]| {
        let mut pairs = vec![
            ("HOME".to_owned(), dir.path().to_owned()),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT".to_owned(), url.clone()),
        ];
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        ProviderEnv::from_vars(pairs)
    };
    let c = run(ImdsProvider::new(on(&[])).provide_credentials()).unwrap();
    assert_eq!((c.access_key_id.as_str(), c.session_token.as_deref()), ("AKID-IMDS", Some("TOKEN-IMDS")));
    let seen = server.requests();
    assert_eq!(seen.iter().map(|s| s.method.as_str()).collect::<Vec<_>>(), ["PUT", "GET", "GET"]);
    // Last in the chain.
    let chain = DefaultCredentialsChain::builder().env(on(&[])).build();
    assert_eq!(run(chain.provide_credentials()).unwrap().access_key_id, "AKID-IMDS");
    // Turned off.
    let e = run(ImdsProvider::new(on(&[("AWS_EC2_METADATA_DISABLED", "true")])).provide_credentials()).unwrap_err();
    assert!(e.is_not_loaded(), "{e}");
    // The region, when nothing else names one.
    let config = run(Config::loader().env(on(&[("AWS_CONFIG_FILE", "/nonexistent")])).load()).unwrap();
    assert_eq!(config.region(), "ca-central-1");
    let config = run(Config::loader().env(on(&[("AWS_REGION", "eu-west-3")])).load()).unwrap();
    assert_eq!(config.region(), "eu-west-3");
    Printed::default().debug(&c).add(e).debug(&config);
}

#[test]
fn imds_gives_up_quickly_when_silent() {
    // A listener that accepts and never answers: each request ends at its timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let dir = TempDir::new("silent");
    let env = ProviderEnv::from_vars([("HOME", dir.path()), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.as_str())]);
    let started = std::time::Instant::now();
    let e = run(ImdsProvider::new(env).timeout(Duration::from_millis(300)).provide_credentials()).unwrap_err();
    assert!(e.is_not_loaded(), "{e}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    drop(silent);
}

/// The endpoint mode: IPv6 picks `http://[fd00:ec2::254]` unless an endpoint is set, from the
/// environment or the profile; the stand-in, reached through the endpoint override, answers on
/// IPv4 and (where the machine has it) on IPv6 loopback.
#[test]
fn imds_endpoint_mode() {
    let dir = TempDir::new("imds-mode");
    let v4 = imds_server();
    let config = dir.write("config", "[default]\nec2_metadata_service_endpoint_mode = IPv6\n");
    let vars = |extra: &[(&str, &str)]| {
        let mut pairs = vec![("HOME".to_owned(), dir.path().to_owned())];
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        ProviderEnv::from_vars(pairs)
    };
    let quick =
        |env: ProviderEnv| run(ImdsProvider::new(env).timeout(Duration::from_millis(200)).provide_credentials());
    let mut printed = Printed::default();
    // An explicit endpoint wins over the mode.
    let url = v4.url();
    let c =
        quick(vars(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]))
            .unwrap();
    assert_eq!(c.access_key_id, "AKID-IMDS");
    printed.debug(&c);
    // An IPv6 literal endpoint, on IPv6 loopback where there is one.
    match Server::start_on("[::1]:0", |req: &Seen| match (req.method.as_str(), req.target.as_str()) {
        ("PUT", "/latest/api/token") => (200, "IMDS-SESSION".into()),
        (_, "/latest/meta-data/iam/security-credentials/") => (200, "v6-role".into()),
        (_, "/latest/meta-data/iam/security-credentials/v6-role") => (200, credentials_json("IMDS")),
        _ => (404, String::new()),
    }) {
        Ok(v6) => {
            let url = v6.url();
            assert!(url.starts_with("http://[::1]:"), "{url}");
            let env = vars(&[
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
            ]);
            assert_eq!(quick(env).unwrap().access_key_id, "AKID-IMDS");
            assert_eq!(v6.requests().len(), 3);
        }
        Err(e) => eprintln!("no IPv6 loopback here ({e}): the IPv6 literal endpoint is not tried"),
    }
    // Without an endpoint, the mode picks the address: the variable, then the profile's setting,
    // case-insensitively; the attempt (nothing answers there off EC2) names it.
    for env in [
        vars(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]),
        vars(&[("AWS_CONFIG_FILE", &config)]),
        vars(&[("AWS_CONFIG_FILE", &config), ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv6")]),
    ] {
        let e = quick(env).unwrap_err();
        assert!(e.is_not_loaded() && e.to_string().contains("http://[fd00:ec2::254]/latest/api/token"), "{e}");
        printed.add(e);
    }
    let e =
        quick(vars(&[("AWS_CONFIG_FILE", &config), ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv4")])).unwrap_err();
    assert!(e.to_string().contains("http://169.254.169.254/latest/api/token"), "the variable wins: {e}");
    // A mode that is neither fails, naming it, and stops the chain.
    let e = quick(vars(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5")])).unwrap_err();
    assert!(!e.is_not_loaded() && e.to_string().contains("`IPv5`"), "{e}");
    printed.add(e);
}

/// A role that needs MFA fails with a typed error naming the profile, and the chain stops there
/// (it does not go on to the container or IMDS).
#[test]
fn mfa_serial_is_a_clear_error() {
    let dir = TempDir::new("mfa");
    let config = dir.write(
        "config",
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n\
         mfa_serial = arn:aws:iam::123456789012:mfa/alice\n\
         [profile base]\naws_access_key_id = AKID-FILE\naws_secret_access_key = SECRET-FILE\n",
    );
    let env = env(&dir, &[("AWS_CONFIG_FILE", config.as_str()), ("AWS_PROFILE", "admin")]);
    let chain = DefaultCredentialsChain::builder().env(env).sts(Arc::new(QuerySts)).build();
    let e = run(chain.provide_credentials()).unwrap_err();
    assert_eq!(
        e,
        CredentialsError::MfaRequired {
            profile: "admin".into(),
            mfa_serial: "arn:aws:iam::123456789012:mfa/alice".into()
        }
    );
    assert!(!e.is_not_loaded());
    let text = e.to_string();
    assert!(text.contains("profile `admin`") && text.contains("MFA") && text.contains("mfa/alice"), "{text}");
    Printed::default().add(e);
}

/// Counts fetches; each credentials expire `life` after the test clock's now.
#[derive(Debug)]
struct Counting {
    fetches: AtomicUsize,
    clock: Arc<AtomicU64>,
    life: u64,
    fail: std::sync::atomic::AtomicBool,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
            if self.fail.load(Ordering::SeqCst) {
                return Err(CredentialsError::Failed { provider: "test", message: "down".into() });
            }
            let expiry = UNIX_EPOCH + Duration::from_secs(self.clock.load(Ordering::SeqCst) + self.life);
            Ok(Credentials::new(format!("AKID-{n}"), "SECRET-ENV", None).with_expiry(expiry))
        })
    }
}

#[test]
fn cache_refreshes_before_expiry_once_for_concurrent_callers() {
    let clock = Arc::new(AtomicU64::new(1_000_000));
    let counting =
        Arc::new(Counting { fetches: AtomicUsize::new(0), clock: clock.clone(), life: 3600, fail: false.into() });
    let test_clock = clock.clone();
    let env = ProviderEnv::from_vars([("X", "1")])
        .with_clock(move || UNIX_EPOCH + Duration::from_secs(test_clock.load(Ordering::SeqCst)));
    let cached = Arc::new(CachedProvider::with_env(
        SharedCredentialsProvider::from_arc(counting.clone()),
        env,
        Duration::from_secs(300),
    ));
    let many = |cached: Arc<CachedProvider>| async move {
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let c = cached.clone();
                tokio::spawn(async move { c.provide_credentials().await.unwrap().access_key_id })
            })
            .collect();
        let mut keys = Vec::new();
        for t in tasks {
            keys.push(t.await.unwrap());
        }
        keys
    };
    let keys = run(many(cached.clone()));
    assert!(keys.iter().all(|k| k == "AKID-1"), "{keys:?}");
    assert_eq!(counting.fetches.load(Ordering::SeqCst), 1);
    // Within the hour but before the 5-minute buffer: cached.
    clock.fetch_add(3000, Ordering::SeqCst);
    assert_eq!(run(cached.provide_credentials()).unwrap().access_key_id, "AKID-1");
    // Inside the buffer: one refresh, for all callers.
    clock.fetch_add(400, Ordering::SeqCst);
    let keys = run(many(cached.clone()));
    assert!(keys.iter().all(|k| k == "AKID-2"), "{keys:?}");
    assert_eq!(counting.fetches.load(Ordering::SeqCst), 2);
    // A failed refresh keeps the credentials still valid, and fails once they expire.
    counting.fail.store(true, Ordering::SeqCst);
    clock.fetch_add(3400, Ordering::SeqCst);
    assert_eq!(run(cached.provide_credentials()).unwrap().access_key_id, "AKID-2");
    clock.fetch_add(300, Ordering::SeqCst);
    assert!(run(cached.provide_credentials()).is_err());
}

/// The client signs each call with the provider's credentials, fetched through the cache.
#[test]
fn client_signs_with_the_chain() {
    let dir = TempDir::new("client");
    let api = Server::start(|_| (200, "{}".into()));
    let container = Server::start(|_| (200, credentials_json("CONTAINER")));
    let full = format!("{}/c", container.url());
    static SERVICE: ServiceInfo = ServiceInfo {
        service_id: "Test",
        signing_name: "test",
        endpoint_prefix: "test",
        api_version: "2024-01-01",
        endpoint_rules: "",
        partitions: "",
    };
    let url = api.url();
    let config = Config::loader()
        .env(env(
            &dir,
            &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full), ("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", &url)],
        ))
        .build()
        .unwrap();
    let client = Client::new(&SERVICE, config).unwrap();
    run(async {
        for _ in 0..3 {
            client.send(Request::new("GET", "/".into())).await.unwrap();
        }
    });
    let seen = api.requests();
    assert_eq!(seen.len(), 3);
    assert!(seen
        .iter()
        .all(|s| signed_by(s) == "AKID-CONTAINER" && s.header("x-amz-security-token") == Some("TOKEN-CONTAINER")));
    assert_eq!(container.requests().len(), 1, "cached between calls");
    Printed::default().debug(&client);

    // A chain that fails: the call fails before sending, with the provider's message.
    let config =
        Config::loader().env(env(&dir, &[("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", &url)])).build().unwrap();
    let e = run(Client::new(&SERVICE, config).unwrap().send(Request::new("GET", "/".into()))).unwrap_err();
    assert_eq!(e.kind(), aws_codegen_runtime::TransportErrorKind::Credentials);
    assert_eq!(api.requests().len(), 3);
}

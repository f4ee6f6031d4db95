//! EC2 instance metadata (IMDSv2): a session token from `PUT /latest/api/token`, then the
//! instance's role and its credentials, or the instance's region.
//!
//! `AWS_EC2_METADATA_DISABLED=true` turns it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the
//! profile's `ec2_metadata_service_endpoint`) moves it from `http://169.254.169.254`;
//! without one, `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6` (or the profile's
//! `ec2_metadata_service_endpoint_mode`) picks the IPv6 address, `http://[fd00:ec2::254]`, as in
//! the AWS SDKs (an explicit endpoint wins over the mode). Each request
//! has one second, and is tried twice, as in the AWS SDKs: off EC2 the chain gives up within a few
//! seconds rather than hanging.

use std::fmt;
use std::time::Duration;

use super::http::HttpFetch;
use super::profile::ProfileSet;
use super::{from_json_document, CredentialsError, ProvideCredentials, ProviderEnv};
use crate::{BoxFuture, Credentials};

const PROVIDER: &str = "IMDS";
const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const TOKEN_TTL_SECONDS: &str = "21600";
const ATTEMPTS: u32 = 2;
/// Time limit of one request (connect included).
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// Credentials of the EC2 instance's role, from IMDSv2.
pub struct ImdsProvider {
    env: ProviderEnv,
    timeout: Duration,
}

impl ImdsProvider {
    /// The provider, reading its settings from `env` when called.
    pub fn new(env: ProviderEnv) -> Self {
        ImdsProvider { env, timeout: DEFAULT_TIMEOUT }
    }

    /// Another time limit per request than one second.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let imds = Imds::new(&self.env, self.timeout)?;
        let token = imds.token().await?;
        let role = imds.get(&token, "/latest/meta-data/iam/security-credentials/").await?;
        let role = String::from_utf8_lossy(&role).lines().next().unwrap_or_default().trim().to_owned();
        if role.is_empty() {
            return Err(CredentialsError::not_loaded(PROVIDER, "the instance has no IAM role"));
        }
        let body = imds.get(&token, &format!("/latest/meta-data/iam/security-credentials/{role}")).await?;
        from_json_document(PROVIDER, &body)
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for ImdsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsProvider").field("timeout", &self.timeout).finish()
    }
}

/// The instance's region (`/latest/meta-data/placement/region`), or `None` where IMDS is off or
/// does not answer.
pub(crate) async fn region(env: &ProviderEnv, timeout: Duration) -> Option<String> {
    let imds = Imds::new(env, timeout).ok()?;
    let token = imds.token().await.ok()?;
    let body = imds.get(&token, "/latest/meta-data/placement/region").await.ok()?;
    let region = String::from_utf8(body).ok()?.trim().to_owned();
    (!region.is_empty()).then_some(region)
}

/// The endpoint: the one set (environment, then profile), else the address of the mode set
/// (environment, then profile; IPv4 unless it says IPv6).
fn endpoint(env: &ProviderEnv) -> Result<String, CredentialsError> {
    let profiles = ProfileSet::load(env).ok();
    let profile = |key: &str| profiles.as_ref().and_then(|p| p.get(key)).filter(|v| !v.is_empty()).map(str::to_owned);
    if let Some(url) = env.var("AWS_EC2_METADATA_SERVICE_ENDPOINT").or_else(|| profile("ec2_metadata_service_endpoint"))
    {
        return Ok(url);
    }
    let mode =
        env.var("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").or_else(|| profile("ec2_metadata_service_endpoint_mode"));
    match mode {
        None => Ok(DEFAULT_ENDPOINT.to_owned()),
        Some(m) if m.eq_ignore_ascii_case("IPv4") => Ok(DEFAULT_ENDPOINT.to_owned()),
        Some(m) if m.eq_ignore_ascii_case("IPv6") => Ok(IPV6_ENDPOINT.to_owned()),
        Some(other) => Err(CredentialsError::failed(
            PROVIDER,
            format!("endpoint mode `{other}` (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE or ec2_metadata_service_endpoint_mode) is neither IPv4 nor IPv6"),
        )),
    }
}

/// One IMDS endpoint.
struct Imds {
    base: String,
    http: HttpFetch,
}

impl Imds {
    fn new(env: &ProviderEnv, timeout: Duration) -> Result<Imds, CredentialsError> {
        if env.var("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
            return Err(CredentialsError::not_loaded(PROVIDER, "AWS_EC2_METADATA_DISABLED is true"));
        }
        let base = endpoint(env)?;
        let base = base.trim_end_matches('/').to_owned();
        let https = base.starts_with("https://");
        if !https && !base.starts_with("http://") {
            return Err(CredentialsError::failed(PROVIDER, format!("endpoint `{base}` is not an http(s) URL")));
        }
        let http = HttpFetch::new(https, timeout).map_err(|e| CredentialsError::failed(PROVIDER, e))?;
        Ok(Imds { base, http })
    }

    /// A session token. No answer at all means "not on EC2": not loaded.
    async fn token(&self) -> Result<String, CredentialsError> {
        let url = format!("{}/latest/api/token", self.base);
        let reply = self.retrying("PUT", &url, &[("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)]).await;
        let reply = reply.map_err(|e| CredentialsError::not_loaded(PROVIDER, e))?;
        match reply.status {
            200 => String::from_utf8(reply.body)
                .map_err(|_| CredentialsError::failed(PROVIDER, "the session token is not text")),
            // IMDSv2 turned off or blocked for containers (hop limit): IMDS is not usable here.
            403..=405 => Err(CredentialsError::not_loaded(PROVIDER, format!("{url} answered {}", reply.status))),
            status => Err(CredentialsError::failed(PROVIDER, format!("{url} answered {status}"))),
        }
    }

    async fn get(&self, token: &str, path: &str) -> Result<Vec<u8>, CredentialsError> {
        let url = format!("{}{path}", self.base);
        let reply = self
            .retrying("GET", &url, &[("x-aws-ec2-metadata-token", token)])
            .await
            .map_err(|e| CredentialsError::failed(PROVIDER, e))?;
        match reply.status {
            200 => Ok(reply.body),
            404 => Err(CredentialsError::not_loaded(PROVIDER, format!("{url} answered 404"))),
            status => Err(CredentialsError::failed(PROVIDER, format!("{url} answered {status}"))),
        }
    }

    /// The request, tried again once on a connection failure, a timeout or a 5xx.
    async fn retrying(&self, method: &str, url: &str, headers: &[(&str, &str)]) -> Result<super::http::Reply, String> {
        let mut attempt = 1;
        loop {
            let result = self.http.send(method, url, headers).await;
            let again = match &result {
                Ok(reply) => reply.status >= 500,
                Err(_) => true,
            };
            if !again || attempt >= ATTEMPTS {
                return result;
            }
            attempt += 1;
        }
    }
}

//! Configuration: credentials, retries, timeouts, region and endpoint.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::credentials::{CachedProvider, ProvideCredentials, ProviderEnv, SharedCredentialsProvider};
use crate::endpoint::EndpointSettings;
use crate::transport::{SharedTransport, Transport};

/// AWS credentials used to sign requests.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id (`AKIA...` or `ASIA...`).
    pub access_key_id: String,
    /// The secret access key. Never printed by `Debug`.
    pub secret_access_key: String,
    /// The session token of temporary credentials. Never printed by `Debug`.
    pub session_token: Option<String>,
    /// When temporary credentials expire (`None`: they do not). The client fetches new ones
    /// shortly before.
    pub expiry: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from their parts.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// The same credentials, expiring at `expiry`.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (optional) `AWS_SESSION_TOKEN`.
    /// An empty variable counts as unset.
    /// For the whole default chain (profiles, SSO, containers, EC2), see [`Config::from_env`].
    pub fn from_env() -> Result<Self, ConfigError> {
        crate::credentials::environment(&ProviderEnv::process()).map_err(|e| match e {
            crate::credentials::CredentialsError::NotLoaded { .. } => ConfigError::Missing("AWS_ACCESS_KEY_ID"),
            _ => ConfigError::Missing("AWS_SECRET_ACCESS_KEY"),
        })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// Static facts of one service, emitted by the generator as a `static`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceInfo {
    /// The service's SDK id, e.g. `ApiGatewayV2`; used in the `User-Agent`.
    pub service_id: &'static str,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`), e.g. `apigateway`.
    pub signing_name: &'static str,
    /// The first label of the default endpoint host, e.g. `apigateway`.
    pub endpoint_prefix: &'static str,
    /// The API version of the model, e.g. `2018-11-29`.
    pub api_version: &'static str,
    /// The service's `smithy.rules#endpointRuleSet` as JSON (empty: the `endpoint_prefix` rule).
    pub endpoint_rules: &'static str,
    /// The partition data its rules resolve against, as JSON ([`crate::endpoint::Partitions`]).
    pub partitions: &'static str,
}

/// How failed attempts are retried: exponential backoff with full jitter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first one included (1 = no retries). Default 3.
    pub max_attempts: u32,
    /// Upper bound of the first backoff; doubles on each retry. Default 100 ms.
    pub initial_backoff: Duration,
    /// Upper bound of any backoff, and of a server's `Retry-After`. Default 20 s.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
        }
    }
}

/// Client configuration. Build it with [`Config::builder`] or [`Config::from_env`].
#[derive(Clone, Debug)]
pub struct Config {
    region: String,
    endpoint_url: Option<String>,
    /// `None`: requests go unsigned ([`ConfigBuilder::anonymous`]).
    credentials: Option<SharedCredentialsProvider>,
    retry: RetryConfig,
    timeout: Duration,
    connect_timeout: Duration,
    operation_timeout: Duration,
    max_response_body: usize,
    transport: Option<SharedTransport>,
    idempotency_tokens: Option<TokenSource>,
    /// Request compression and host prefixes (`settings.rs`).
    pub(crate) settings: crate::settings::RequestSettings,
    endpoint: EndpointSettings,
}

/// Where idempotency tokens come from, printed by name only.
#[derive(Clone)]
struct TokenSource(Arc<dyn Fn() -> String + Send + Sync>);

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenSource(custom)")
    }
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Two attempts' worth of the attempt timeout: with the default retries, a stalled server ends
/// the call after a minute rather than 3 x 30 s plus backoff.
const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
/// Far above any JSON response of an AWS API (Lambda's synchronous payloads are at most 6 MB),
/// and a bound on what one call can make the process hold.
const DEFAULT_MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

impl Config {
    /// A builder; `region` and `credentials` are required.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The configuration as the AWS SDKs load it, from the environment and the shared config
    /// and credentials files (see [`ConfigLoader`](crate::ConfigLoader)): credentials from the
    /// default chain (fetched at the first call, see [`crate::credentials`]), the region from
    /// `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile. A setting with a bad value (such as an
    /// `AWS_ENDPOINT_URL` that is not a URL) fails here. For the region from IMDS too, and for
    /// settings of your own on top, use [`Config::loader`].
    pub fn from_env() -> Result<Config, ConfigError> {
        crate::ConfigLoader::default().build()
    }

    /// The region, e.g. `us-east-1`.
    pub fn region(&self) -> &str {
        &self.region
    }

    pub(crate) fn endpoint_settings(&self) -> &EndpointSettings {
        &self.endpoint
    }

    /// The endpoint override, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Where the credentials requests are signed with come from (cached: see
    /// [`CachedProvider`]); `None` when requests go unsigned ([`ConfigBuilder::anonymous`]).
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials.as_ref()
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The time limit of one attempt, from connecting to the end of the response body.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The time limit for opening a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The time limit of a whole call: every attempt and every wait between them.
    pub fn operation_timeout(&self) -> Duration {
        self.operation_timeout
    }

    /// The largest response body a call reads, in bytes; a larger one fails the call.
    pub fn max_response_body(&self) -> usize {
        self.max_response_body
    }

    /// A new idempotency token, for an `@idempotencyToken` member the caller left unset: a random
    /// UUID v4, or what [`ConfigBuilder::idempotency_tokens`] gives.
    pub fn idempotency_token(&self) -> String {
        match &self.idempotency_tokens {
            Some(source) => (source.0)(),
            None => crate::client::uuid_v4(),
        }
    }

    /// The transport set with [`ConfigBuilder::transport`], if any.
    pub(crate) fn transport(&self) -> Option<&Arc<dyn Transport>> {
        self.transport.as_ref().map(|t| &t.0)
    }
}

/// Builds a [`Config`]; see [`Config::builder`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint_url: Option<String>,
    credentials: Option<SharedCredentialsProvider>,
    anonymous: bool,
    retry: Option<RetryConfig>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_response_body: Option<usize>,
    transport: Option<SharedTransport>,
    idempotency_tokens: Option<TokenSource>,
    /// Request compression and host prefixes (`settings.rs`).
    pub(crate) settings: crate::settings::RequestSettings,
    endpoint: EndpointSettings,
}

impl ConfigBuilder {
    pub(crate) fn endpoint_settings_mut(&mut self) -> &mut EndpointSettings {
        &mut self.endpoint
    }

    /// The region, e.g. `us-east-1` (required).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Send every request to this base URL instead of `https://{endpoint_prefix}.{region}.amazonaws.com`.
    /// It is used as given: a path in it (`http://localhost:4566/prefix`) is kept before each request path.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Sign with these credentials (this or [`ConfigBuilder::credentials_provider`] is required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(credentials));
        self
    }

    /// Sign with credentials from `provider`: one of [`crate::credentials`] or your own. What it
    /// gives is cached until shortly before its expiry, and fetched once however many calls wait.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        let shared = SharedCredentialsProvider::new(provider);
        self.credentials = Some(SharedCredentialsProvider::new(CachedProvider::new(shared)));
        self
    }

    /// Send requests unsigned, with no credentials: for operations that need no signature (SSO
    /// GetRoleCredentials, STS AssumeRoleWithWebIdentity), which is how the credential providers
    /// call them.
    pub fn anonymous(mut self) -> Self {
        self.anonymous = true;
        self
    }

    /// Whether a region is set (the loader asks IMDS when none is).
    #[cfg(feature = "credential-chain")]
    pub(crate) fn has_region(&self) -> bool {
        self.region.is_some()
    }

    /// Whether credentials are set.
    pub(crate) fn has_credentials(&self) -> bool {
        self.credentials.is_some() || self.anonymous
    }

    /// The endpoint settings, to fill from the environment.
    pub(crate) fn endpoint_settings_from(mut self, settings: EndpointSettings) -> Self {
        self.endpoint = settings;
        self
    }

    /// The request settings, to fill from the environment.
    pub(crate) fn request_settings_from(mut self, settings: crate::settings::RequestSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Retry settings; default [`RetryConfig::default`].
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Time limit of one attempt, from connecting to the end of the response body; default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit for opening a connection; default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time limit of a whole call, across attempts and the waits between them; default 60 s. An
    /// attempt that would run past it is cut short, and no retry starts whose wait would.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The largest response body read, in bytes; default 64 MiB. A larger body (by its
    /// `Content-Length`, or as it arrives) fails the call with
    /// [`TransportErrorKind::BodyTooLarge`](crate::TransportErrorKind::BodyTooLarge), not retried.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// Send requests through `transport` instead of the network (tests, a custom HTTP stack). The
    /// client still signs, times out and retries; the endpoint only names the host, and an `https`
    /// one needs no TLS feature.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(SharedTransport(transport));
        self
    }

    /// Where idempotency tokens come from instead of random UUIDs (tests, replays).
    pub fn idempotency_tokens(mut self, source: impl Fn() -> String + Send + Sync + 'static) -> Self {
        self.idempotency_tokens = Some(TokenSource(Arc::new(source)));
        self
    }

    /// Checks the settings and builds the [`Config`].
    pub fn build(self) -> Result<Config, ConfigError> {
        let region = self.region.filter(|r| !r.is_empty()).ok_or(ConfigError::Missing("region"))?;
        if !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(ConfigError::invalid("region", format!("`{region}` is not a region name")));
        }
        let credentials = match self.anonymous {
            true => None,
            false => Some(self.credentials.ok_or(ConfigError::Missing("credentials"))?),
        };
        let retry = self.retry.unwrap_or_default();
        if retry.max_attempts == 0 {
            return Err(ConfigError::invalid("retry", "max_attempts must be at least 1"));
        }
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let operation_timeout = self.operation_timeout.unwrap_or(DEFAULT_OPERATION_TIMEOUT);
        if timeout.is_zero() || connect_timeout.is_zero() || operation_timeout.is_zero() {
            return Err(ConfigError::invalid("timeout", "timeouts must not be zero"));
        }
        let max_response_body = self.max_response_body.unwrap_or(DEFAULT_MAX_RESPONSE_BODY);
        if max_response_body == 0 {
            return Err(ConfigError::invalid("max_response_body", "must be at least 1 byte"));
        }
        if let Some(url) = &self.endpoint_url {
            crate::client::Endpoint::parse(url)?;
        }
        self.settings.check()?;
        Ok(Config {
            region,
            endpoint_url: self.endpoint_url,
            credentials,
            retry,
            timeout,
            connect_timeout,
            operation_timeout,
            max_response_body,
            transport: self.transport,
            idempotency_tokens: self.idempotency_tokens,
            settings: self.settings,
            endpoint: self.endpoint,
        })
    }
}

/// A configuration that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required setting or environment variable is not set (its name).
    Missing(&'static str),
    /// A setting has a value that cannot be used.
    Invalid {
        /// The setting, e.g. `endpoint_url`.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The service's endpoint rules give an error for these settings (the rule's message), such
    /// as a custom endpoint together with FIPS.
    Endpoint(crate::endpoint::EndpointError),
}

impl ConfigError {
    pub(crate) fn invalid(setting: &'static str, reason: impl Into<String>) -> Self {
        ConfigError::Invalid { setting, reason: reason.into() }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(name) => write!(f, "missing configuration: `{name}` is not set"),
            ConfigError::Invalid { setting, reason } => write!(f, "invalid configuration `{setting}`: {reason}"),
            ConfigError::Endpoint(e) => write!(f, "invalid endpoint configuration: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_debug_redacts_secret_and_token() {
        let creds = Credentials::new("AKID", "very-secret", Some("the-token".into()));
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKID"), "{shown}");
        assert!(!shown.contains("very-secret") && !shown.contains("the-token"), "{shown}");
        let config = Config::builder().region("us-east-1").credentials(creds).build().unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("very-secret") && !shown.contains("the-token"), "{shown}");
    }

    #[test]
    fn builder_checks_settings() {
        let creds = || Credentials::new("a", "b", None);
        assert_eq!(Config::builder().credentials(creds()).build().unwrap_err(), ConfigError::Missing("region"));
        assert_eq!(Config::builder().region("us-east-1").build().unwrap_err(), ConfigError::Missing("credentials"));
        let bad = Config::builder().region("us-east-1/evil").credentials(creds()).build().unwrap_err();
        assert!(matches!(bad, ConfigError::Invalid { setting: "region", .. }), "{bad}");
        let bad = Config::builder().region("us-east-1").credentials(creds()).endpoint_url("ftp://x").build();
        assert!(matches!(bad, Err(ConfigError::Invalid { setting: "endpoint_url", .. })), "{bad:?}");
        let bad = Config::builder()
            .region("us-east-1")
            .credentials(creds())
            .retry(RetryConfig { max_attempts: 0, ..RetryConfig::default() })
            .build();
        assert!(bad.is_err());
        let ok = Config::builder()
            .region("us-east-1")
            .credentials(creds())
            .timeout(Duration::from_millis(200))
            .connect_timeout(Duration::from_millis(100))
            .build()
            .unwrap();
        assert_eq!((ok.timeout(), ok.connect_timeout()), (Duration::from_millis(200), Duration::from_millis(100)));
        let bad = Config::builder().region("us-east-1").credentials(creds()).operation_timeout(Duration::ZERO).build();
        assert!(matches!(bad, Err(ConfigError::Invalid { setting: "timeout", .. })), "{bad:?}");
        let bad = Config::builder().region("us-east-1").credentials(creds()).max_response_body(0).build();
        assert!(matches!(bad, Err(ConfigError::Invalid { setting: "max_response_body", .. })), "{bad:?}");
    }
}

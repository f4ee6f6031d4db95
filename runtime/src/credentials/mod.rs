//! Where credentials come from: the [`ProvideCredentials`] trait a user can implement, the
//! providers of the AWS SDKs' default chain, and the cache that refreshes expiring credentials.
//!
//! [`DefaultCredentialsChain`] tries, in the AWS SDKs' order: the environment
//! (`AWS_ACCESS_KEY_ID`, ...), web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`), the
//! shared config and credentials files (static keys, `credential_process`, `role_arn` with
//! `source_profile` or `credential_source`, `sso_session` and legacy SSO), the container endpoint
//! (ECS, EKS Pod Identity) and IMDSv2 (EC2). A source that does not apply here
//! ([`CredentialsError::NotLoaded`]) passes to the next; one that applies but fails
//! ([`CredentialsError::Failed`]) ends the chain with its error, as in the SDKs, so that a broken
//! profile is not silently replaced by an instance role.
//!
//! The providers that need an AWS call go through traits, so that only users who need them build
//! those clients: [`Sts`] (AssumeRole, AssumeRoleWithWebIdentity) and [`Sso`]
//! (GetRoleCredentials). Without one, a profile that needs it fails with a message saying so.
//!
//! Secrets (secret keys, session tokens, web identity and SSO tokens, `credential_process` output)
//! are never part of a `Debug` or `Display` text or an error message.

mod cache;
// The providers besides the environment: the `credential-chain` feature (on by default). Without
// it, credentials come from the environment, the builder or a provider of the user's own.
#[cfg(feature = "credential-chain")]
mod chain;
#[cfg(feature = "credential-chain")]
mod container;
#[cfg(feature = "credential-chain")]
mod http;
#[cfg(feature = "credential-chain")]
mod imds;
#[cfg(feature = "credential-chain")]
mod process;
#[cfg(feature = "credential-chain")]
pub(crate) mod profile;
#[cfg(feature = "credential-chain")]
mod profile_chain;
#[cfg(feature = "credential-chain")]
mod sha1;
#[cfg(feature = "credential-chain")]
mod sso;
#[cfg(feature = "credential-chain")]
mod sts;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

pub use cache::{CachedProvider, DEFAULT_REFRESH_BEFORE_EXPIRY};
#[cfg(feature = "credential-chain")]
pub use chain::{DefaultCredentialsChain, DefaultCredentialsChainBuilder};
#[cfg(feature = "credential-chain")]
pub use container::ContainerProvider;
#[cfg(feature = "credential-chain")]
pub use imds::ImdsProvider;
#[cfg(feature = "credential-chain")]
pub use process::{ProcessProvider, DEFAULT_PROCESS_TIMEOUT};
#[cfg(feature = "credential-chain")]
pub use profile_chain::ProfileProvider;
#[cfg(feature = "credential-chain")]
pub use sso::{CreateTokenRequest, GetRoleCredentialsRequest, RefreshedToken, Sso, TOKEN_REFRESH_WINDOW};
#[cfg(feature = "credential-chain")]
pub use sts::{AssumeRoleRequest, Sts, WebIdentityProvider, WebIdentityRequest};

use crate::{BoxFuture, Credentials};

/// A source of credentials. Implement it to plug in a source of your own, and give it to
/// [`ConfigBuilder::credentials_provider`](crate::ConfigBuilder::credentials_provider); the
/// client caches what it returns until shortly before [`Credentials::expiry`].
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Credentials, or why there are none.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// A provider shared by clones of a configuration.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        SharedCredentialsProvider(Arc::new(provider))
    }

    /// Shares a provider already behind an `Arc`.
    pub fn from_arc(provider: Arc<dyn ProvideCredentials>) -> Self {
        SharedCredentialsProvider(provider)
    }

    /// Credentials from the provider.
    pub async fn provide(&self) -> Result<Credentials, CredentialsError> {
        self.0.provide_credentials().await
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.provide_credentials()
    }
}

/// Why a provider gave no credentials. The texts name files, variables, profiles and URLs, never
/// a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The source is not set up here (no variable, no profile, no metadata service): a chain goes
    /// on to its next source.
    NotLoaded {
        /// The provider, e.g. `environment`.
        provider: &'static str,
        /// Why it does not apply.
        reason: String,
    },
    /// The source is set up but failed (a bad file, a refused call, an expired SSO session): a
    /// chain stops here.
    Failed {
        /// The provider, e.g. `profile`.
        provider: &'static str,
        /// What went wrong.
        message: String,
    },
    /// A profile assumes its role with MFA (`mfa_serial`): STS needs the device's current code,
    /// and nothing here can ask for one. The chain stops here, as the AWS SDKs without an MFA
    /// code provider do; use a profile whose credentials already passed MFA (from `aws sts
    /// get-session-token`, say) or a provider of your own that asks.
    MfaRequired {
        /// The profile whose role needs the code.
        profile: String,
        /// Its `mfa_serial`: the MFA device's ARN or serial number (not a secret).
        mfa_serial: String,
    },
}

impl CredentialsError {
    pub(crate) fn not_loaded(provider: &'static str, reason: impl Into<String>) -> Self {
        CredentialsError::NotLoaded { provider, reason: reason.into() }
    }

    pub(crate) fn failed(provider: &'static str, message: impl Into<String>) -> Self {
        CredentialsError::Failed { provider, message: message.into() }
    }

    /// Whether a chain should try its next source.
    pub fn is_not_loaded(&self) -> bool {
        matches!(self, CredentialsError::NotLoaded { .. })
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotLoaded { provider, reason } => write!(f, "no {provider} credentials: {reason}"),
            CredentialsError::Failed { provider, message } => write!(f, "{provider} credentials: {message}"),
            CredentialsError::MfaRequired { profile, mfa_serial } => write!(
                f,
                "profile credentials: profile `{profile}` assumes its role with MFA (mfa_serial {mfa_serial}), \
                 and no MFA code can be asked for here: use credentials that already passed MFA \
                 (aws sts get-session-token) or a credentials provider of your own"
            ),
        }
    }
}

impl std::error::Error for CredentialsError {}

/// The EC2 instance's region, if IMDS answers (the loader's last source of a region).
#[cfg(feature = "credential-chain")]
pub(crate) async fn imds_region(env: &ProviderEnv) -> Option<String> {
    imds::region(env, imds::DEFAULT_TIMEOUT).await
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
pub(crate) fn environment(env: &ProviderEnv) -> Result<Credentials, CredentialsError> {
    const PROVIDER: &str = "environment";
    let Some(access_key_id) = env.var("AWS_ACCESS_KEY_ID") else {
        return Err(CredentialsError::not_loaded(PROVIDER, "AWS_ACCESS_KEY_ID is not set"));
    };
    let secret = env.var("AWS_SECRET_ACCESS_KEY").ok_or_else(|| {
        CredentialsError::failed(PROVIDER, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
    })?;
    Ok(Credentials::new(access_key_id, secret, env.var("AWS_SESSION_TOKEN")))
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, read
/// when asked: the whole chain without the `credential-chain` feature, and its first source with it.
#[derive(Debug, Default)]
pub struct EnvironmentProvider {
    env: ProviderEnv,
}

impl EnvironmentProvider {
    /// The provider over the variables of `env`.
    pub fn new(env: ProviderEnv) -> Self {
        EnvironmentProvider { env }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = environment(&self.env);
        Box::pin(async move { result })
    }
}

type VarFn = dyn Fn(&str) -> Option<String> + Send + Sync;
type ClockFn = dyn Fn() -> SystemTime + Send + Sync;

/// What providers read from the process: environment variables and the clock. [`ProviderEnv::process`]
/// is the real one; tests (and programs that want a hermetic setup) give their own variables, whose
/// `HOME` then also places `~/.aws`.
#[derive(Clone)]
pub struct ProviderEnv {
    vars: Arc<VarFn>,
    clock: Arc<ClockFn>,
}

impl ProviderEnv {
    /// The process's environment and the system clock.
    pub fn process() -> Self {
        ProviderEnv {
            vars: Arc::new(|name| std::env::var(name).ok().filter(|v| !v.is_empty())),
            clock: Arc::new(SystemTime::now),
        }
    }

    /// These variables only (empty values count as unset), and the system clock.
    pub fn from_vars<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        let map: HashMap<String, String> =
            vars.into_iter().map(|(k, v)| (k.into(), v.into())).filter(|(_, v)| !v.is_empty()).collect();
        ProviderEnv { vars: Arc::new(move |name| map.get(name).cloned()), clock: Arc::new(SystemTime::now) }
    }

    /// The same variables with another clock (tests of expiry and refresh).
    pub fn with_clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// A variable, `None` when unset or empty.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.vars)(name)
    }

    /// The current time by this environment's clock.
    pub fn now(&self) -> SystemTime {
        (self.clock)()
    }

    /// `path` with a leading `~/` replaced by `HOME` (or `USERPROFILE` on Windows).
    #[cfg(feature = "credential-chain")]
    pub(crate) fn expand_home(&self, path: &str) -> Option<std::path::PathBuf> {
        match path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) {
            Some(rest) => {
                let home = self.var("HOME").or_else(|| self.var("USERPROFILE"))?;
                Some(std::path::Path::new(&home).join(rest))
            }
            None if path == "~" => self.var("HOME").or_else(|| self.var("USERPROFILE")).map(Into::into),
            None => Some(path.into()),
        }
    }
}

impl fmt::Debug for ProviderEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProviderEnv")
    }
}

impl Default for ProviderEnv {
    fn default() -> Self {
        ProviderEnv::process()
    }
}

/// The credentials of a JSON document as the container endpoint, IMDS and `credential_process`
/// write them: `AccessKeyId`, `SecretAccessKey`, `Token` or `SessionToken`, `Expiration`.
/// Errors name the missing field, never a value.
#[cfg(feature = "credential-chain")]
pub(crate) fn from_json_document(provider: &'static str, body: &[u8]) -> Result<Credentials, CredentialsError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| CredentialsError::failed(provider, format!("the response is not JSON (line {})", e.line())))?;
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(code) = field("Code").filter(|c| c != "Success") {
        let message = field("Message").unwrap_or_default();
        return Err(CredentialsError::failed(provider, format!("the source answered {code}: {message}")));
    }
    let access_key_id =
        field("AccessKeyId").ok_or_else(|| CredentialsError::failed(provider, "no `AccessKeyId` in the response"))?;
    let secret_access_key = field("SecretAccessKey")
        .ok_or_else(|| CredentialsError::failed(provider, "no `SecretAccessKey` in the response"))?;
    let session_token = field("Token").or_else(|| field("SessionToken"));
    let expiry = match field("Expiration") {
        Some(text) => Some(parse_expiry(&text).ok_or_else(|| {
            CredentialsError::failed(provider, format!("`Expiration` `{text}` is not an RFC 3339 time"))
        })?),
        None => None,
    };
    let mut credentials = Credentials::new(access_key_id, secret_access_key, session_token);
    credentials.expiry = expiry;
    Ok(credentials)
}

/// An RFC 3339 time as a `SystemTime`.
#[cfg(feature = "credential-chain")]
pub(crate) fn parse_expiry(text: &str) -> Option<SystemTime> {
    let t = crate::DateTime::parse_date_time(text).ok()?;
    let secs = u64::try_from(t.secs()).ok()?;
    Some(SystemTime::UNIX_EPOCH + std::time::Duration::new(secs, t.subsec_nanos()))
}

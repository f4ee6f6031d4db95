//! The default chain, in the AWS SDKs' order.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{environment, Sso, Sts, WebIdentityProvider};
use super::{ContainerProvider, CredentialsError, ImdsProvider, ProfileProvider, ProvideCredentials, ProviderEnv};
use crate::{BoxFuture, Credentials};

/// The environment, web identity, the profile, the container endpoint and IMDS, in this order;
/// the first that applies gives the credentials (see the [module docs](super)).
pub struct DefaultCredentialsChain {
    env: ProviderEnv,
    web_identity: WebIdentityProvider,
    profile: ProfileProvider,
    container: ContainerProvider,
    imds: ImdsProvider,
}

impl DefaultCredentialsChain {
    /// A builder, over the process's environment.
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder::default()
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        let attempts: [&dyn ProvideCredentials; 4] = [&self.web_identity, &self.profile, &self.container, &self.imds];
        match environment(&self.env) {
            Err(CredentialsError::NotLoaded { reason, .. }) => tried.push(format!("environment: {reason}")),
            other => return other,
        }
        for provider in attempts {
            match provider.provide_credentials().await {
                Err(CredentialsError::NotLoaded { provider, reason }) => tried.push(format!("{provider}: {reason}")),
                other => return other,
            }
        }
        Err(CredentialsError::not_loaded("default chain", format!("no source applies ({})", tried.join("; "))))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain").field("profile", &self.profile).finish_non_exhaustive()
    }
}

/// Builds a [`DefaultCredentialsChain`].
#[derive(Default)]
pub struct DefaultCredentialsChainBuilder {
    env: Option<ProviderEnv>,
    sts: Option<Arc<dyn Sts>>,
    sso: Option<Arc<dyn Sso>>,
    profile: Option<String>,
    imds_timeout: Option<Duration>,
    process_timeout: Option<Duration>,
}

impl DefaultCredentialsChainBuilder {
    /// Reads these variables and this clock instead of the process's.
    pub fn env(mut self, env: ProviderEnv) -> Self {
        self.env = Some(env);
        self
    }

    /// The STS client for web identity and profiles with `role_arn`.
    pub fn sts(mut self, sts: Arc<dyn Sts>) -> Self {
        self.sts = Some(sts);
        self
    }

    /// The SSO client for SSO profiles.
    pub fn sso(mut self, sso: Arc<dyn Sso>) -> Self {
        self.sso = Some(sso);
        self
    }

    /// Reads this profile instead of `AWS_PROFILE`'s.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Another time limit per IMDS request than one second.
    pub fn imds_timeout(mut self, timeout: Duration) -> Self {
        self.imds_timeout = Some(timeout);
        self
    }

    /// Another time limit for a profile's `credential_process` command than
    /// [`DEFAULT_PROCESS_TIMEOUT`](super::DEFAULT_PROCESS_TIMEOUT) (one minute); past it the command
    /// is stopped and the chain fails with an error saying so.
    pub fn credential_process_timeout(mut self, timeout: Duration) -> Self {
        self.process_timeout = Some(timeout);
        self
    }

    /// The chain.
    pub fn build(self) -> DefaultCredentialsChain {
        let env = self.env.unwrap_or_default();
        let mut profile = ProfileProvider::new(env.clone(), self.sts.clone(), self.sso);
        if let Some(name) = self.profile {
            profile = profile.profile(name);
        }
        if let Some(timeout) = self.process_timeout {
            profile = profile.credential_process_timeout(timeout);
        }
        let mut imds = ImdsProvider::new(env.clone());
        if let Some(timeout) = self.imds_timeout {
            imds = imds.timeout(timeout);
        }
        DefaultCredentialsChain {
            web_identity: WebIdentityProvider::new(env.clone(), self.sts),
            profile,
            container: ContainerProvider::new(env.clone()),
            imds,
            env,
        }
    }
}

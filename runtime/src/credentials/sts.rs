//! The seam to AWS STS: AssumeRole (profiles with `role_arn`) and AssumeRoleWithWebIdentity
//! (`AWS_WEB_IDENTITY_TOKEN_FILE`, profiles with `web_identity_token_file`).
//!
//! STS is an awsQuery service. Its client is not part of the runtime, so that only programs
//! that assume roles build it: such a program gives an implementation of [`Sts`] to
//! [`DefaultCredentialsChainBuilder::sts`](super::DefaultCredentialsChainBuilder::sts). Without
//! one, a setup that needs STS fails with a message saying so.

use std::fmt;
use std::sync::Arc;

use super::profile::ProfileSet;
use super::{CredentialsError, ProvideCredentials, ProviderEnv};
use crate::{BoxFuture, Credentials};

/// An AssumeRole call.
#[derive(Debug, Clone)]
pub struct AssumeRoleRequest {
    /// The region whose STS endpoint to call.
    pub region: String,
    /// An endpoint to call instead of the region's (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the
    /// profile's `endpoint_url`).
    pub endpoint_url: Option<String>,
    /// The credentials to sign the call with (those of the source profile).
    pub credentials: Credentials,
    /// The role's ARN (`role_arn`).
    pub role_arn: String,
    /// `role_session_name`, or a name made of the time.
    pub role_session_name: String,
    /// `external_id`, if the profile has one.
    pub external_id: Option<String>,
    /// `duration_seconds`, if the profile has it.
    pub duration_seconds: Option<u32>,
}

/// An AssumeRoleWithWebIdentity call (not signed: the token is the proof).
#[derive(Clone)]
pub struct WebIdentityRequest {
    /// The region whose STS endpoint to call.
    pub region: String,
    /// An endpoint to call instead of the region's.
    pub endpoint_url: Option<String>,
    /// The role's ARN.
    pub role_arn: String,
    /// The session name.
    pub role_session_name: String,
    /// The OIDC token read from the token file. Never printed by `Debug`.
    pub web_identity_token: String,
}

impl fmt::Debug for WebIdentityRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityRequest")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("web_identity_token", &"** redacted **")
            .finish()
    }
}

/// Calls to STS. The crate `aws-codegen-sts-credentials` implements it over the STS client this
/// project generates; errors should be [`CredentialsError::Failed`] with the service's message.
pub trait Sts: Send + Sync + fmt::Debug {
    /// AssumeRole: temporary credentials of `request.role_arn`, with their expiry.
    fn assume_role(&self, request: AssumeRoleRequest) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// AssumeRoleWithWebIdentity: temporary credentials of `request.role_arn`, with their expiry.
    fn assume_role_with_web_identity(
        &self,
        request: WebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// Where STS calls go: the region and endpoint of the environment, then of the profile;
/// `us-east-1` when neither names a region.
pub(crate) fn target(env: &ProviderEnv, profiles: Option<&ProfileSet>) -> (String, Option<String>) {
    let from_profile = |key: &str| profiles.and_then(|p| p.get(key)).map(str::to_owned);
    let region = env
        .var("AWS_REGION")
        .or_else(|| env.var("AWS_DEFAULT_REGION"))
        .or_else(|| from_profile("region"))
        .unwrap_or_else(|| "us-east-1".to_owned());
    let endpoint = env
        .var("AWS_ENDPOINT_URL_STS")
        .or_else(|| env.var("AWS_ENDPOINT_URL"))
        .or_else(|| from_profile("endpoint_url"));
    (region, endpoint)
}

/// A session name when none is configured, as the AWS SDKs make one: from the time.
pub(crate) fn session_name(env: &ProviderEnv) -> String {
    let millis = env.now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or_default();
    format!("aws-codegen-{millis}")
}

/// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`): the role of an EKS
/// service account (IRSA) or any OIDC identity. The token file is read on each fetch (it rotates).
pub struct WebIdentityProvider {
    env: ProviderEnv,
    sts: Option<Arc<dyn Sts>>,
}

const WEB_IDENTITY: &str = "web identity";

impl WebIdentityProvider {
    /// The provider over the variables of `env`, calling `sts`.
    pub fn new(env: ProviderEnv, sts: Option<Arc<dyn Sts>>) -> Self {
        WebIdentityProvider { env, sts }
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let (Some(token_file), Some(role_arn)) =
            (self.env.var("AWS_WEB_IDENTITY_TOKEN_FILE"), self.env.var("AWS_ROLE_ARN"))
        else {
            return Err(CredentialsError::not_loaded(
                WEB_IDENTITY,
                "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set",
            ));
        };
        let session = self.env.var("AWS_ROLE_SESSION_NAME");
        let profiles = ProfileSet::load(&self.env).ok();
        web_identity(&self.env, profiles.as_ref(), self.sts.as_deref(), &token_file, role_arn, session).await
    }
}

/// Reads the token file and calls AssumeRoleWithWebIdentity.
pub(crate) async fn web_identity(
    env: &ProviderEnv,
    profiles: Option<&ProfileSet>,
    sts: Option<&dyn Sts>,
    token_file: &str,
    role_arn: String,
    session: Option<String>,
) -> Result<Credentials, CredentialsError> {
    let Some(sts) = sts else {
        return Err(CredentialsError::failed(
            WEB_IDENTITY,
            format!("assuming {role_arn} with a web identity needs an STS client: give one to DefaultCredentialsChainBuilder::sts"),
        ));
    };
    let token = std::fs::read_to_string(token_file)
        .map_err(|e| CredentialsError::failed(WEB_IDENTITY, format!("cannot read the token file {token_file}: {e}")))?;
    let (region, endpoint_url) = target(env, profiles);
    let request = WebIdentityRequest {
        region,
        endpoint_url,
        role_arn,
        role_session_name: session.unwrap_or_else(|| session_name(env)),
        web_identity_token: token.trim().to_owned(),
    };
    sts.assume_role_with_web_identity(request).await
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for WebIdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityProvider").field("sts", &self.sts.is_some()).finish()
    }
}

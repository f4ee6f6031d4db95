//! SSO (AWS IAM Identity Center) profiles for the clients aws-codegen generates.
//!
//! The runtime's default credential chain reads an SSO profile (`sso_session` or the legacy
//! `sso_start_url`) and the token `aws sso login` cached, and asks an implementation of its
//! [`Sso`] trait for the role's credentials. [`SsoPortal`] is that implementation, over the SSO
//! portal client this project generates (`aws-sso-client`, GetRoleCredentials, sent unsigned:
//! the access token is the proof), and over the SSO OIDC client (`aws-ssooidc-client`,
//! CreateToken with the cached refresh token, also unsigned) to refresh an `sso_session` token
//! that is about to expire. It is a crate of its own so that programs without SSO profiles do
//! not build those clients.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let config = aws_codegen_sso_credentials::loader().load().await?;
//! # let _ = config;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use aws_codegen_runtime::credentials::{
    CreateTokenRequest, CredentialsError, GetRoleCredentialsRequest, RefreshedToken, Sso,
};
use aws_codegen_runtime::{BoxFuture, Config, ConfigLoader, Credentials};
use aws_sso_client::types::GetRoleCredentialsRequest as GetRoleCredentialsInput;
use aws_sso_client::Client;
use aws_ssooidc_client::types::CreateTokenRequest as CreateTokenInput;

const PROVIDER: &str = "SSO";

/// GetRoleCredentials through the generated SSO portal client, CreateToken through the SSO OIDC one.
#[derive(Debug, Clone, Copy, Default)]
pub struct SsoPortal;

/// [`Config::loader`] with [`SsoPortal`] for SSO profiles.
pub fn loader() -> ConfigLoader {
    Config::loader().sso(Arc::new(SsoPortal))
}

fn failed(message: String) -> CredentialsError {
    CredentialsError::Failed { provider: PROVIDER, message }
}

/// An unsigned client configuration for the SSO region, or the endpoint given.
fn anonymous(region: String, endpoint_url: Option<String>) -> Result<Config, CredentialsError> {
    let mut config = Config::builder().region(region).anonymous();
    if let Some(url) = endpoint_url {
        config = config.endpoint_url(url);
    }
    config.build().map_err(|e| failed(format!("SSO client configuration: {e}")))
}

impl SsoPortal {
    async fn refresh(&self, request: CreateTokenRequest) -> Result<RefreshedToken, CredentialsError> {
        let config = anonymous(request.region, request.endpoint_url)?;
        let client = aws_ssooidc_client::Client::new(config).map_err(|e| failed(format!("SSO OIDC client: {e}")))?;
        let output = CreateTokenInput::builder()
            .client_id(request.client_id)
            .client_secret(request.client_secret)
            .grant_type("refresh_token")
            .refresh_token(request.refresh_token)
            .send(&client)
            .await
            .map_err(|e| failed(format!("CreateToken (refreshing the SSO token): {e}")))?;
        let missing = |what: &str| failed(format!("CreateToken answered without {what}"));
        let access_token = output.access_token.ok_or_else(|| missing("accessToken"))?;
        let seconds = output.expires_in.and_then(|s| u64::try_from(s).ok()).ok_or_else(|| missing("expiresIn"))?;
        Ok(RefreshedToken {
            access_token,
            expires_in: Duration::from_secs(seconds),
            refresh_token: output.refresh_token,
        })
    }

    async fn get(&self, request: GetRoleCredentialsRequest) -> Result<Credentials, CredentialsError> {
        let config = anonymous(request.region, request.endpoint_url)?;
        let client = Client::new(config).map_err(|e| failed(format!("SSO client: {e}")))?;
        let account = request.account_id.clone();
        let role = request.role_name.clone();
        let output = GetRoleCredentialsInput::builder()
            .account_id(request.account_id)
            .role_name(request.role_name)
            .access_token(request.access_token)
            .send(&client)
            .await
            .map_err(|e| failed(format!("GetRoleCredentials for role {role} of account {account}: {e}")))?;
        let missing = |what: &str| failed(format!("GetRoleCredentials answered without {what}"));
        let rc = output.role_credentials.ok_or_else(|| missing("roleCredentials"))?;
        let access_key_id = rc.access_key_id.ok_or_else(|| missing("accessKeyId"))?;
        let secret = rc.secret_access_key.ok_or_else(|| missing("secretAccessKey"))?;
        let mut credentials = Credentials::new(access_key_id, secret, rc.session_token);
        // Milliseconds since the epoch.
        if let Some(ms) = rc.expiration.and_then(|ms| u64::try_from(ms).ok()) {
            credentials.expiry = Some(UNIX_EPOCH + Duration::from_millis(ms));
        }
        Ok(credentials)
    }
}

impl Sso for SsoPortal {
    fn get_role_credentials(
        &self,
        request: GetRoleCredentialsRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get(request))
    }

    fn create_token(&self, request: CreateTokenRequest) -> BoxFuture<'_, Result<RefreshedToken, CredentialsError>> {
        Box::pin(self.refresh(request))
    }
}

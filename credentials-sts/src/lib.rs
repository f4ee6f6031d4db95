//! Assumed roles and web identity for the clients aws-codegen generates.
//!
//! The runtime's default credential chain reads profiles with `role_arn` (through
//! `source_profile` or `credential_source`) and web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` with
//! `AWS_ROLE_ARN`, or a profile's `web_identity_token_file`), and asks an implementation of its
//! [`Sts`] trait for the role's credentials. [`StsClient`] is that implementation, over the STS
//! client this project generates (`aws-sts-client`): AssumeRole signed with the source
//! credentials, AssumeRoleWithWebIdentity sent unsigned (the token is the proof). It is a crate
//! of its own so that programs that assume no role do not build the STS client.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let config = aws_codegen_sts_credentials::loader().load().await?;
//! # let _ = config;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_codegen_runtime::credentials::{AssumeRoleRequest, CredentialsError, Sts, WebIdentityRequest};
use aws_codegen_runtime::{BoxFuture, Config, ConfigBuilder, ConfigLoader, Credentials, DateTime};
use aws_sts_client::types::{
    AssumeRoleRequest as AssumeRoleInput, AssumeRoleWithWebIdentityRequest as WebIdentityInput,
    Credentials as StsCredentials,
};
use aws_sts_client::Client;

const PROVIDER: &str = "STS";

/// AssumeRole and AssumeRoleWithWebIdentity through the generated STS client.
#[derive(Debug, Clone, Copy, Default)]
pub struct StsClient;

/// [`Config::loader`] with [`StsClient`] for roles and web identity.
pub fn loader() -> ConfigLoader {
    Config::loader().sts(Arc::new(StsClient))
}

fn failed(message: String) -> CredentialsError {
    CredentialsError::Failed { provider: PROVIDER, message }
}

/// The STS client for one call: the region's endpoint, or the configured one.
fn client(config: ConfigBuilder, endpoint_url: Option<String>) -> Result<Client, CredentialsError> {
    let config = match endpoint_url {
        Some(url) => config.endpoint_url(url),
        None => config,
    };
    let config = config.build().map_err(|e| failed(format!("STS client configuration: {e}")))?;
    Client::new(config).map_err(|e| failed(format!("STS client: {e}")))
}

/// The runtime's credentials, expiring when STS says. The secret and the session token go
/// straight into `Credentials`, whose `Debug` hides them; no message here names them.
fn credentials(operation: &str, credentials: Option<StsCredentials>) -> Result<Credentials, CredentialsError> {
    let c = credentials.ok_or_else(|| failed(format!("{operation} answered without Credentials")))?;
    let mut out = Credentials::new(c.access_key_id, c.secret_access_key, Some(c.session_token));
    out.expiry = Some(system_time(c.expiration));
    Ok(out)
}

fn system_time(t: DateTime) -> SystemTime {
    let since_epoch = Duration::new(t.secs().unsigned_abs(), t.subsec_nanos());
    if t.secs() >= 0 {
        UNIX_EPOCH + since_epoch
    } else {
        // Before 1970: already expired, which is all a cache needs to know.
        UNIX_EPOCH
    }
}

impl StsClient {
    async fn assume(&self, r: AssumeRoleRequest) -> Result<Credentials, CredentialsError> {
        let client = client(Config::builder().region(r.region).credentials(r.credentials), r.endpoint_url)?;
        let mut input = AssumeRoleInput::builder().role_arn(r.role_arn.clone()).role_session_name(r.role_session_name);
        if let Some(id) = r.external_id {
            input = input.external_id(id);
        }
        if let Some(seconds) = r.duration_seconds {
            let seconds = i32::try_from(seconds)
                .map_err(|_| failed(format!("duration_seconds {seconds} is out of STS's range")))?;
            input = input.duration_seconds(seconds);
        }
        let output = input.send(&client).await.map_err(|e| failed(format!("AssumeRole of {}: {e}", r.role_arn)))?;
        credentials("AssumeRole", output.credentials)
    }

    async fn assume_with_web_identity(&self, r: WebIdentityRequest) -> Result<Credentials, CredentialsError> {
        let client = client(Config::builder().region(r.region).anonymous(), r.endpoint_url)?;
        let output = WebIdentityInput::builder()
            .role_arn(r.role_arn.clone())
            .role_session_name(r.role_session_name)
            .web_identity_token(r.web_identity_token)
            .send(&client)
            .await
            .map_err(|e| failed(format!("AssumeRoleWithWebIdentity of {}: {e}", r.role_arn)))?;
        credentials("AssumeRoleWithWebIdentity", output.credentials)
    }
}

impl Sts for StsClient {
    fn assume_role(&self, request: AssumeRoleRequest) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.assume(request))
    }

    fn assume_role_with_web_identity(
        &self,
        request: WebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.assume_with_web_identity(request))
    }
}

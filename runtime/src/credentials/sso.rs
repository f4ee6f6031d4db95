//! AWS IAM Identity Center (SSO) profiles: `sso_session` with an `[sso-session NAME]` section,
//! or the legacy `sso_start_url` / `sso_region` in the profile, with `sso_account_id` and
//! `sso_role_name`. The access token is the one `aws sso login` left in the token cache
//! (`~/.aws/sso/cache/<hex SHA-1 of the session name, or of the start URL>.json`); the role's
//! credentials come from the SSO portal's GetRoleCredentials, through the [`Sso`] trait.
//!
//! An expired token fails with a message asking for `aws sso login`: refreshing it (SSO OIDC
//! CreateToken with the cached refresh token) is not done here.

use std::fmt;
use std::time::SystemTime;

use super::profile::{ProfileSet, Properties};
use super::{parse_expiry, CredentialsError, ProviderEnv};
use crate::{BoxFuture, Credentials};

const PROVIDER: &str = "SSO";

/// A GetRoleCredentials call (not signed: the access token is the proof).
#[derive(Clone)]
pub struct GetRoleCredentialsRequest {
    /// The SSO region (`sso_region`).
    pub region: String,
    /// An endpoint to call instead of the region's portal (`AWS_ENDPOINT_URL_SSO`).
    pub endpoint_url: Option<String>,
    /// The access token of the cache. Never printed by `Debug`.
    pub access_token: String,
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`.
    pub role_name: String,
}

impl fmt::Debug for GetRoleCredentialsRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetRoleCredentialsRequest")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("access_token", &"** redacted **")
            .field("account_id", &self.account_id)
            .field("role_name", &self.role_name)
            .finish()
    }
}

/// Calls to the SSO portal. `aws-codegen-sso-credentials` implements it over the SSO client this
/// project generates; errors should be [`CredentialsError::Failed`] with the service's message.
pub trait Sso: Send + Sync + fmt::Debug {
    /// GetRoleCredentials: the role's temporary credentials, with their expiry.
    fn get_role_credentials(
        &self,
        request: GetRoleCredentialsRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// The credentials of an SSO profile.
pub(crate) async fn credentials(
    env: &ProviderEnv,
    profiles: &ProfileSet,
    name: &str,
    profile: &Properties,
    sso: Option<&dyn Sso>,
) -> Result<Credentials, CredentialsError> {
    let get = |key: &str| profile.get(key).filter(|v| !v.is_empty()).cloned();
    let missing = |key: &str| CredentialsError::failed(PROVIDER, format!("profile `{name}` has no `{key}`"));
    let (cache_key, region) = match get("sso_session") {
        Some(session) => {
            let section = profiles.sso_session(&session).ok_or_else(|| {
                CredentialsError::failed(
                    PROVIDER,
                    format!("profile `{name}` names sso-session `{session}`, which does not exist"),
                )
            })?;
            let region = section.get("sso_region").cloned().ok_or_else(|| {
                CredentialsError::failed(PROVIDER, format!("sso-session `{session}` has no `sso_region`"))
            })?;
            (session, region)
        }
        None => (
            get("sso_start_url").ok_or_else(|| missing("sso_start_url"))?,
            get("sso_region").ok_or_else(|| missing("sso_region"))?,
        ),
    };
    let account_id = get("sso_account_id").ok_or_else(|| missing("sso_account_id"))?;
    let role_name = get("sso_role_name").ok_or_else(|| missing("sso_role_name"))?;
    let access_token = cached_token(env, &cache_key)?;
    let Some(sso) = sso else {
        return Err(CredentialsError::failed(
            PROVIDER,
            format!("profile `{name}` uses SSO, which needs an SSO client: give one to DefaultCredentialsChainBuilder::sso (crate aws-codegen-sso-credentials)"),
        ));
    };
    let endpoint_url = env.var("AWS_ENDPOINT_URL_SSO");
    sso.get_role_credentials(GetRoleCredentialsRequest { region, endpoint_url, access_token, account_id, role_name })
        .await
}

/// The unexpired access token of the cache file for `key`.
fn cached_token(env: &ProviderEnv, key: &str) -> Result<String, CredentialsError> {
    let file = format!("~/.aws/sso/cache/{}.json", super::sha1::hex(key.as_bytes()));
    let path = env
        .expand_home(&file)
        .ok_or_else(|| CredentialsError::failed(PROVIDER, "HOME is not set: cannot find the SSO token cache"))?;
    let login = || format!("run `aws sso login` for `{key}`");
    let text = std::fs::read(&path).map_err(|e| {
        CredentialsError::failed(
            PROVIDER,
            format!("cannot read the SSO token cache {} ({e}): {}", path.display(), login()),
        )
    })?;
    let value: serde_json::Value = serde_json::from_slice(&text).map_err(|_| {
        CredentialsError::failed(PROVIDER, format!("the SSO token cache {} is not JSON", path.display()))
    })?;
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let token = field("accessToken")
        .ok_or_else(|| CredentialsError::failed(PROVIDER, format!("no `accessToken` in {}", path.display())))?;
    let expires = field("expiresAt")
        .and_then(|t| parse_expiry(&t))
        .ok_or_else(|| CredentialsError::failed(PROVIDER, format!("no valid `expiresAt` in {}", path.display())))?;
    if expires <= env.now().max(SystemTime::UNIX_EPOCH) {
        return Err(CredentialsError::failed(PROVIDER, format!("the SSO session has expired: {}", login())));
    }
    Ok(token)
}

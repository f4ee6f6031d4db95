//! AWS IAM Identity Center (SSO) profiles: `sso_session` with an `[sso-session NAME]` section,
//! or the legacy `sso_start_url` / `sso_region` in the profile, with `sso_account_id` and
//! `sso_role_name`. The access token is the one `aws sso login` left in the token cache
//! (`~/.aws/sso/cache/<hex SHA-1 of the session name, or of the start URL>.json`); the role's
//! credentials come from the SSO portal's GetRoleCredentials, through the [`Sso`] trait.
//!
//! A `sso_session` token that has expired, or expires within [`TOKEN_REFRESH_WINDOW`], is
//! refreshed as aws-config and botocore do: when the cache holds a `refreshToken`, a `clientId`
//! and a `clientSecret` (and the client registration has not expired), SSO OIDC CreateToken
//! (through [`Sso::create_token`]) gives a new access token, which is written back to the cache
//! file with its expiry (and the new refresh token, if one came) for the next program. If the
//! refresh fails, a token that has not expired yet is still used; an expired one fails with the
//! refresh's error and a request to run `aws sso login`. Legacy profiles have no refresh token.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

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

/// How long before its expiry a cached `sso_session` token is refreshed (aws-config's buffer).
pub const TOKEN_REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// An SSO OIDC CreateToken call with the `refresh_token` grant (not signed: the client secret and
/// the refresh token are the proof).
#[derive(Clone)]
pub struct CreateTokenRequest {
    /// The SSO region (the sso-session's `sso_region`).
    pub region: String,
    /// An endpoint to call instead of the region's (`AWS_ENDPOINT_URL_SSO_OIDC`).
    pub endpoint_url: Option<String>,
    /// The registered client's id (`clientId` of the cache).
    pub client_id: String,
    /// Its secret (`clientSecret`). Never printed by `Debug`.
    pub client_secret: String,
    /// The refresh token (`refreshToken`). Never printed by `Debug`.
    pub refresh_token: String,
}

impl fmt::Debug for CreateTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateTokenRequest")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"** redacted **")
            .field("refresh_token", &"** redacted **")
            .finish()
    }
}

/// What CreateToken gives.
#[derive(Clone)]
pub struct RefreshedToken {
    /// The new access token. Never printed by `Debug`.
    pub access_token: String,
    /// How long it lasts from now (`expiresIn`).
    pub expires_in: Duration,
    /// A new refresh token, when the service rotates it. Never printed by `Debug`.
    pub refresh_token: Option<String>,
}

impl fmt::Debug for RefreshedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshedToken").field("expires_in", &self.expires_in).finish_non_exhaustive()
    }
}

/// Calls to the SSO portal and SSO OIDC. `aws-codegen-sso-credentials` implements it over the SSO
/// and SSO OIDC clients this project generates; errors should be [`CredentialsError::Failed`] with
/// the service's message.
pub trait Sso: Send + Sync + fmt::Debug {
    /// GetRoleCredentials: the role's temporary credentials, with their expiry.
    fn get_role_credentials(
        &self,
        request: GetRoleCredentialsRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// CreateToken with a refresh token: a new access token for an `sso_session`. The default
    /// cannot refresh: a cached token is then used until it expires.
    fn create_token(&self, request: CreateTokenRequest) -> BoxFuture<'_, Result<RefreshedToken, CredentialsError>> {
        let _ = request;
        Box::pin(async { Err(CredentialsError::failed(PROVIDER, "this SSO client does not refresh tokens")) })
    }
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
    let session = get("sso_session").is_some();
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
    let cached = CachedToken::read(env, &cache_key)?;
    let Some(sso) = sso else {
        return Err(CredentialsError::failed(
            PROVIDER,
            format!("profile `{name}` uses SSO, which needs an SSO client: give one to DefaultCredentialsChainBuilder::sso (crate aws-codegen-sso-credentials)"),
        ));
    };
    let access_token = if session { cached.fresh(env, &region, sso).await? } else { cached.unexpired(env)? };
    let endpoint_url = env.var("AWS_ENDPOINT_URL_SSO");
    sso.get_role_credentials(GetRoleCredentialsRequest { region, endpoint_url, access_token, account_id, role_name })
        .await
}

/// A token cache file, as read.
struct CachedToken {
    path: PathBuf,
    /// The session name or start URL the file is for.
    key: String,
    document: serde_json::Map<String, serde_json::Value>,
    access_token: String,
    expires_at: SystemTime,
}

impl CachedToken {
    /// The cache file for `key`, with its access token and expiry.
    fn read(env: &ProviderEnv, key: &str) -> Result<CachedToken, CredentialsError> {
        let file = format!("~/.aws/sso/cache/{}.json", super::sha1::hex(key.as_bytes()));
        let path = env
            .expand_home(&file)
            .ok_or_else(|| CredentialsError::failed(PROVIDER, "HOME is not set: cannot find the SSO token cache"))?;
        let text = std::fs::read(&path).map_err(|e| {
            CredentialsError::failed(
                PROVIDER,
                format!("cannot read the SSO token cache {} ({e}): {}", path.display(), login(key)),
            )
        })?;
        let document = match serde_json::from_slice(&text) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => {
                return Err(CredentialsError::failed(
                    PROVIDER,
                    format!("the SSO token cache {} is not a JSON object", path.display()),
                ))
            }
        };
        let field = |name: &str| document.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let access_token = field("accessToken")
            .ok_or_else(|| CredentialsError::failed(PROVIDER, format!("no `accessToken` in {}", path.display())))?;
        let expires_at = field("expiresAt")
            .and_then(|t| parse_expiry(&t))
            .ok_or_else(|| CredentialsError::failed(PROVIDER, format!("no valid `expiresAt` in {}", path.display())))?;
        Ok(CachedToken { path, key: key.to_owned(), document, access_token, expires_at })
    }

    fn field(&self, name: &str) -> Option<String> {
        self.document.get(name).and_then(|v| v.as_str()).filter(|v| !v.is_empty()).map(str::to_owned)
    }

    fn expired(&self, env: &ProviderEnv) -> bool {
        self.expires_at <= env.now().max(SystemTime::UNIX_EPOCH)
    }

    /// The access token if it has not expired.
    fn unexpired(self, env: &ProviderEnv) -> Result<String, CredentialsError> {
        if self.expired(env) {
            return Err(CredentialsError::failed(
                PROVIDER,
                format!("the SSO session has expired: {}", login(&self.key)),
            ));
        }
        Ok(self.access_token)
    }

    /// The access token, refreshed first when it expires within [`TOKEN_REFRESH_WINDOW`] and the
    /// cache has what CreateToken needs.
    async fn fresh(mut self, env: &ProviderEnv, region: &str, sso: &dyn Sso) -> Result<String, CredentialsError> {
        let now = env.now();
        if self.expires_at > now + TOKEN_REFRESH_WINDOW {
            return Ok(self.access_token);
        }
        let registered = self.field("registrationExpiresAt").and_then(|t| parse_expiry(&t)).is_none_or(|t| t > now);
        let (Some(client_id), Some(client_secret), Some(refresh_token), true) =
            (self.field("clientId"), self.field("clientSecret"), self.field("refreshToken"), registered)
        else {
            return self.unexpired(env);
        };
        let request = CreateTokenRequest {
            region: region.to_owned(),
            endpoint_url: env.var("AWS_ENDPOINT_URL_SSO_OIDC"),
            client_id,
            client_secret,
            refresh_token,
        };
        match sso.create_token(request).await {
            Ok(token) => {
                self.store(now, &token);
                Ok(token.access_token)
            }
            Err(_) if !self.expired(env) => Ok(self.access_token),
            Err(e) => Err(CredentialsError::failed(
                PROVIDER,
                format!("the SSO session has expired and could not be refreshed ({e}): {}", login(&self.key)),
            )),
        }
    }

    /// Writes the refreshed token back (a new file renamed over the old one, so that a reader
    /// never sees half of it). A cache that cannot be written only costs the next program a refresh.
    fn store(&mut self, now: SystemTime, token: &RefreshedToken) {
        let expires_at = now + token.expires_in;
        let secs = expires_at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let expires_text = crate::DateTime::from_secs(i64::try_from(secs).unwrap_or(i64::MAX)).to_date_time();
        let string = |s: &str| serde_json::Value::String(s.to_owned());
        self.document.insert("accessToken".into(), string(&token.access_token));
        self.document.insert("expiresAt".into(), string(&expires_text));
        if let Some(refresh) = &token.refresh_token {
            self.document.insert("refreshToken".into(), string(refresh));
        }
        let Ok(text) = serde_json::to_vec(&self.document) else { return };
        let temporary = self.path.with_extension(format!("json.{}.tmp", std::process::id()));
        if std::fs::write(&temporary, text).is_err() || std::fs::rename(&temporary, &self.path).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

/// What to do about a session that cannot be used.
fn login(key: &str) -> String {
    format!("run `aws sso login` for `{key}`")
}

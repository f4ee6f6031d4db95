//! Credentials kept until shortly before they expire, fetched once however many calls wait.

use std::fmt;
use std::sync::RwLock;
use std::time::Duration;

use super::{CredentialsError, ProvideCredentials, ProviderEnv, SharedCredentialsProvider};
use crate::{BoxFuture, Credentials};

/// How long before their expiry credentials are fetched again: a request signed just before
/// expiry may reach the service after it (the AWS SDKs refresh 5 to 15 minutes ahead).
pub const DEFAULT_REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// Wraps a provider: its credentials are reused until [`DEFAULT_REFRESH_BEFORE_EXPIRY`] (or the
/// buffer given) before their expiry; credentials without an expiry are kept for good. Concurrent
/// calls that find the cache stale wait for one fetch. When a refresh fails while the cached
/// credentials have not yet expired, those are returned (the next call tries again).
pub struct CachedProvider {
    inner: SharedCredentialsProvider,
    env: ProviderEnv,
    buffer: Duration,
    cached: RwLock<Option<Credentials>>,
    /// Held while fetching, so that one caller fetches and the others wait for its result.
    fetching: tokio::sync::Mutex<()>,
}

impl CachedProvider {
    /// Caches `inner`, by the system clock.
    pub fn new(inner: SharedCredentialsProvider) -> Self {
        Self::with_env(inner, ProviderEnv::process(), DEFAULT_REFRESH_BEFORE_EXPIRY)
    }

    /// Caches `inner`, by `env`'s clock, refreshing `buffer` before expiry.
    pub fn with_env(inner: SharedCredentialsProvider, env: ProviderEnv, buffer: Duration) -> Self {
        CachedProvider { inner, env, buffer, cached: RwLock::new(None), fetching: tokio::sync::Mutex::new(()) }
    }

    /// The cached credentials if they need no refresh yet.
    fn fresh(&self) -> Option<Credentials> {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        let credentials = cached.as_ref()?;
        match credentials.expiry {
            None => Some(credentials.clone()),
            Some(expiry) if self.env.now() + self.buffer < expiry => Some(credentials.clone()),
            Some(_) => None,
        }
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        let _fetching = self.fetching.lock().await;
        // Another caller may have fetched while this one waited.
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        match self.inner.provide().await {
            Ok(credentials) => {
                *self.cached.write().unwrap_or_else(|e| e.into_inner()) = Some(credentials.clone());
                Ok(credentials)
            }
            Err(error) => {
                let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
                match cached.as_ref() {
                    Some(c) if c.expiry.is_some_and(|expiry| self.env.now() < expiry) => Ok(c.clone()),
                    _ => Err(error),
                }
            }
        }
    }
}

impl ProvideCredentials for CachedProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for CachedProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedProvider").field("inner", &self.inner).field("buffer", &self.buffer).finish()
    }
}

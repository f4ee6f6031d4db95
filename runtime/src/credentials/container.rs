//! The container credentials endpoint of ECS tasks and EKS Pod Identity.
//!
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on `http://169.254.170.2`;
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI` a whole URL, accepted when it is `https`, or `http` to a
//! loopback address or to the ECS / EKS link-local hosts (169.254.170.2, 169.254.170.23,
//! fd00:ec2::23), as the AWS SDKs require. The `Authorization` header is the content of
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on each fetch: EKS rotates it) or else
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use super::http::HttpFetch;
use super::{from_json_document, CredentialsError, ProvideCredentials, ProviderEnv};
use crate::{BoxFuture, Credentials};

const PROVIDER: &str = "container";
const ECS_HOST: &str = "http://169.254.170.2";
/// The AWS SDKs give the container endpoint a few seconds: it is local but may be slow to start.
const TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPTS: u32 = 3;

/// Credentials from the container credentials endpoint.
pub struct ContainerProvider {
    env: ProviderEnv,
}

impl ContainerProvider {
    /// The provider, reading its variables from `env` when called.
    pub fn new(env: ProviderEnv) -> Self {
        ContainerProvider { env }
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let url = self.url()?;
        let token = match self.env.var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    CredentialsError::failed(
                        PROVIDER,
                        format!("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"),
                    )
                })?;
                Some(text.trim().to_owned())
            }
            None => self.env.var("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        if token.as_deref().is_some_and(|t| t.contains(['\r', '\n'])) {
            return Err(CredentialsError::failed(PROVIDER, "the authorization token has a line break"));
        }
        let http =
            HttpFetch::new(url.starts_with("https://"), TIMEOUT).map_err(|e| CredentialsError::failed(PROVIDER, e))?;
        let headers: Vec<(&str, &str)> = token.as_deref().map(|t| ("authorization", t)).into_iter().collect();
        let mut attempt = 1;
        let reply = loop {
            let result = http.send("GET", &url, &headers).await;
            let again = match &result {
                Ok(reply) => reply.status >= 500,
                Err(_) => true,
            };
            if !again || attempt >= ATTEMPTS {
                break result.map_err(|e| CredentialsError::failed(PROVIDER, e))?;
            }
            attempt += 1;
        };
        if reply.status != 200 {
            return Err(CredentialsError::failed(PROVIDER, format!("{url} answered {}", reply.status)));
        }
        from_json_document(PROVIDER, &reply.body)
    }

    /// The endpoint's URL, or not loaded when neither variable is set.
    fn url(&self) -> Result<String, CredentialsError> {
        if let Some(relative) = self.env.var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let sep = if relative.starts_with('/') { "" } else { "/" };
            return Ok(format!("{ECS_HOST}{sep}{relative}"));
        }
        let Some(full) = self.env.var("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Err(CredentialsError::not_loaded(
                PROVIDER,
                "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
            ));
        };
        let uri: http::Uri = full.parse().map_err(|_| {
            CredentialsError::failed(PROVIDER, format!("AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` is not a URL"))
        })?;
        let allowed = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => uri.host().is_some_and(allowed_http_host),
            _ => false,
        };
        if !allowed {
            return Err(CredentialsError::failed(
                PROVIDER,
                format!(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` must be https, or http to a loopback address or the \
                     ECS/EKS container host"
                ),
            ));
        }
        Ok(full)
    }
}

/// Hosts a plain-HTTP full URI may name.
fn allowed_http_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(ip) => ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"].iter().any(|a| a.parse() == Ok(ip)),
        Err(_) => false,
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for ContainerProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContainerProvider")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_uri_is_on_the_ecs_host() {
        let provider =
            |v: &str| ContainerProvider::new(ProviderEnv::from_vars([("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", v)]));
        assert_eq!(provider("/v2/credentials/abc").url().unwrap(), "http://169.254.170.2/v2/credentials/abc");
        assert_eq!(provider("v2/x").url().unwrap(), "http://169.254.170.2/v2/x");
        // The relative URI wins over a full one, as in the AWS SDKs.
        let both = ContainerProvider::new(ProviderEnv::from_vars([
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/r"),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/f"),
        ]));
        assert_eq!(both.url().unwrap(), "http://169.254.170.2/r");
    }

    #[test]
    fn full_uri_hosts() {
        for ok in ["127.0.0.1", "localhost", "[::1]", "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "127.0.0.2"]
        {
            assert!(allowed_http_host(ok), "{ok}");
        }
        for bad in ["example.com", "10.0.0.1", "169.254.169.254"] {
            assert!(!allowed_http_host(bad), "{bad}");
        }
    }
}

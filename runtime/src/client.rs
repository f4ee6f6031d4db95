//! The client: endpoint, signing, HTTP, timeouts and retries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, USER_AGENT};
use http_body_util::Full;

use crate::sigv4::{self, Signable};
use crate::{Config, ConfigError, DateTime, ErrorMeta, Request, Response, RetryConfig, SdkError, ServiceInfo};
use crate::{HttpRequest, Transport, TransportError, TransportErrorKind};

pub(crate) use crate::pool::HttpClient;

/// Where attempts go: the pool of hyper connections, or the configuration's [`Transport`].
enum Http {
    Hyper(HttpClient),
    Custom(Arc<dyn Transport>),
}

/// Error codes retried whatever the status (throttling).
const RETRYABLE_CODES: &[&str] =
    &["TooManyRequestsException", "ThrottlingException", "Throttling", "RequestLimitExceeded"];

/// A client of one service: cheap to clone (the configuration and connection pool are shared).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceInfo,
    config: Config,
    endpoint: Endpoint,
    /// The resolved endpoint's headers and SigV4 signing name and region.
    resolved: crate::endpoint::Resolved,
    http: Http,
    user_agent: HeaderValue,
    /// The SigV4 signing key of the day, shared by the client's calls.
    keys: sigv4::KeyCache,
}

impl Client {
    /// A client of `service`. The endpoint is what the service's rules give for the configuration
    /// (region, FIPS, dual-stack, `endpoint_url` and other endpoint parameters; see
    /// [`crate::endpoint`]); an error rule of the service gives [`ConfigError::Endpoint`].
    ///
    /// Fails on an `https` endpoint without the `rustls` feature, or if no root certificate can be
    /// loaded from the system.
    pub fn new(service: &'static ServiceInfo, config: Config) -> Result<Client, ConfigError> {
        let resolved = crate::endpoint::resolve_for_client(service, &config)?;
        let endpoint = Endpoint::parse(&resolved.url)?;
        let http = match config.transport() {
            Some(transport) => Http::Custom(transport.clone()),
            None => Http::Hyper(HttpClient::new(config.connect_timeout(), endpoint.https)?),
        };
        let user_agent =
            format!("aws-codegen-runtime/{} api/{}", env!("CARGO_PKG_VERSION"), service.service_id.replace(' ', "-"));
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| ConfigError::invalid("service_id", "not usable in a User-Agent header"))?;
        let keys = sigv4::KeyCache::default();
        Ok(Client { inner: Arc::new(Inner { service, config, endpoint, resolved, http, user_agent, keys }) })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service this client calls.
    pub fn service(&self) -> &'static ServiceInfo {
        self.inner.service
    }

    /// Sends a request: builds the URL, signs it (SigV4 with the service's signing name and the
    /// configured region), sends it and reads the whole response, retrying as configured.
    ///
    /// Retried, with exponential backoff and full jitter (or the server's `Retry-After`, capped by
    /// `max_backoff`): connection failures, timeouts, HTTP 429 and 5xx, and the error codes
    /// `TooManyRequestsException`, `ThrottlingException`, `Throttling` and `RequestLimitExceeded`.
    /// Not retried, since the server would answer the same: a body over `max_response_body`,
    /// headers too large, a reply that is not HTTP (see [`TransportErrorKind::is_retryable`]).
    ///
    /// The whole call, attempts and waits, ends within the configured operation timeout: an attempt
    /// is cut short at it ([`TransportErrorKind::OperationTimeout`]), and no retry starts whose wait
    /// would run past it (the last attempt's outcome is returned).
    ///
    /// Returns the response of the last attempt whatever its status: the caller decides between
    /// output and error. Fails only when no response could be had from the last attempt.
    pub async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let inner = &*self.inner;
        let retry = inner.config.retry();
        let max_attempts = retry.max_attempts.max(1);
        let prepared = inner.prepare(request)?;
        let started = tokio::time::Instant::now();
        let deadline = started + inner.config.operation_timeout();
        let mut attempt = 1;
        loop {
            let result = inner.attempt(&prepared, deadline).await;
            let delay = match &result {
                _ if attempt >= max_attempts => None,
                Ok(response) if should_retry(response) => Some(backoff(retry, attempt, retry_after(response))),
                Ok(_) => None,
                Err(e) if !e.kind().is_retryable() => None,
                Err(_) => Some(backoff(retry, attempt, None)),
            };
            // A wait that would end past the deadline leaves no time for the attempt after it.
            let delay = delay.filter(|d| tokio::time::Instant::now() + *d < deadline);
            match delay {
                None => return result.map_err(|e| e.with_attempts(attempt)),
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }
}

/// One call of an operation, as a generated crate builds it (without any `async` code of its
/// own): the request, and how the response becomes the operation's error or output.
pub struct Call<T, E> {
    /// The request to send.
    pub request: Request,
    /// The operation's error, from a response outside 2xx.
    pub error: fn(&Response) -> E,
    /// The operation's output, from a 2xx response.
    pub output: fn(&Response) -> Result<T, SdkError<E>>,
}

impl Client {
    /// Sends an operation's request ([`Client::send`]: retries, timeouts) and maps the response:
    /// outside 2xx to the operation's error, else to its output. The one `async` function of every
    /// operation: generated crates build a [`Call`] and await this, so that no crate type-checks a
    /// state machine per operation.
    pub async fn call<T, E>(&self, call: Result<Call<T, E>, SdkError<E>>) -> Result<T, SdkError<E>> {
        let call = call?;
        let response = self.send_boxed(call.request).await.map_err(SdkError::Transport)?;
        if response.is_success() {
            (call.output)(&response)
        } else {
            Err(SdkError::Service((call.error)(&response)))
        }
    }

    /// [`Client::send`], boxed in a function that is not generic: the state machine of `send`
    /// (signing, retries, hyper's connection code) is then compiled once, in this crate, rather
    /// than in every program and test binary that awaits a [`Client::call`]. One allocation per
    /// call.
    fn send_boxed(&self, request: Request) -> crate::BoxFuture<'_, Result<Response, TransportError>> {
        Box::pin(self.send(request))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service.service_id)
            .field("endpoint", &self.inner.endpoint)
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// A request with its final path, query and URI, ready to be signed for each attempt.
struct Prepared {
    method: http::Method,
    path: String,
    query: String,
    uri: http::Uri,
    headers: Vec<(String, String)>,
    body: Bytes,
    /// The SigV4 signing name and region of the endpoint, if its rules give them.
    signing: (Option<String>, Option<String>),
}

impl Inner {
    fn prepare(&self, request: Request) -> Result<Prepared, TransportError> {
        let invalid = |what: String| TransportError::new(TransportErrorKind::InvalidRequest, what, None);
        // A call with endpoint parameters of its own may go elsewhere than the client's endpoint.
        // A rules error for this call: the rule's message, and the `EndpointError` as the source.
        let call = self.resolved.for_call(&request.endpoint_params).map_err(|e| {
            TransportError::new(TransportErrorKind::InvalidRequest, format!("endpoint: {e}"), Some(Box::new(e)))
        })?;
        let call_endpoint = match &call {
            Some(resolved) => Some(Endpoint::parse(&resolved.url).map_err(|e| invalid(e.to_string()))?),
            None => None,
        };
        let endpoint = call_endpoint.as_ref().unwrap_or(&self.endpoint);
        let resolved = call.as_ref().unwrap_or(&self.resolved);
        let method = http::Method::from_bytes(request.method.as_bytes())
            .map_err(|_| invalid(format!("bad method `{}`", request.method)))?;
        let mut path = String::with_capacity(endpoint.base_path.len() + request.path.len() + 1);
        path.push_str(&endpoint.base_path);
        if !request.path.starts_with('/') {
            path.push('/');
        }
        path.push_str(&request.path);
        // The signature covers the sorted (canonical) query; the wire keeps the
        // caller's order, since the order of a repeated parameter can matter.
        let encoded = sigv4::encode_query(&request.query);
        let scheme = if endpoint.https { "https" } else { "http" };
        // The operation's host prefix (`smithy.api#endpoint`) goes before the endpoint's host.
        let prefix = request.host_prefix.as_deref().filter(|_| !self.config.disable_host_prefix_injection());
        let prefix = prefix.unwrap_or_default();
        let mut uri = format!("{scheme}://{prefix}{}{path}", endpoint.authority);
        for (i, (k, v)) in encoded.iter().enumerate() {
            uri.push(if i == 0 { '?' } else { '&' });
            uri.push_str(k);
            uri.push('=');
            uri.push_str(v);
        }
        let query = sigv4::sorted_query(encoded);
        let uri = uri.parse().map_err(|e| invalid(format!("bad URI `{uri}`: {e}")))?;
        let mut headers = request.headers;
        headers.retain(|(name, _)| !name.eq_ignore_ascii_case("host"));
        headers.push(("host".to_owned(), format!("{prefix}{}", endpoint.host_header)));
        headers.extend(resolved.headers.iter().cloned());
        let signing = (resolved.signing_name.clone(), resolved.signing_region.clone());
        Ok(Prepared { method, path, query, uri, headers, body: Bytes::from(request.body.unwrap_or_default()), signing })
    }

    /// One signed attempt, bounded by the attempt timeout and the call's deadline.
    async fn attempt(&self, p: &Prepared, deadline: tokio::time::Instant) -> Result<Response, TransportError> {
        let limit = self.config.max_response_body();
        let signable =
            Signable { method: p.method.as_str(), path: &p.path, query: &p.query, headers: &p.headers, body: &p.body };
        let service = p.signing.0.as_deref().unwrap_or(self.service.signing_name);
        let region = p.signing.1.as_deref().unwrap_or(self.config.region());
        let added = match self.config.credentials_provider() {
            Some(provider) => {
                let credentials = provider.provide().await.map_err(|e| {
                    TransportError::new(TransportErrorKind::Credentials, e.to_string(), Some(Box::new(e)))
                })?;
                sigv4::sign_cached(&signable, &credentials, region, service, DateTime::now(), &self.keys)
            }
            None => Vec::new(),
        };

        // Sized for every header up front: the map does not grow while it is filled.
        let mut headers = http::HeaderMap::with_capacity(p.headers.len() + added.len() + 2);
        let invalid = |what| TransportError::new(TransportErrorKind::InvalidRequest, what, None);
        let value_of = |name: &HeaderName, value: &str| {
            HeaderValue::from_bytes(value.as_bytes())
                .map_err(|_| invalid(format!("bad value for header `{name}` (line break or control character)")))
        };
        for (name, value) in &p.headers {
            let name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid(format!("bad header name `{name}`")))?;
            let value = value_of(&name, value)?;
            // `prepare` left exactly one `host`, and the signature adds none.
            headers.append(name, value);
        }
        for (name, value) in &added {
            // The signature's own header names, constants in lower case: no parsing, no copy.
            let name = HeaderName::from_static(name);
            let value = value_of(&name, value)?;
            headers.append(name, value);
        }
        headers.insert(USER_AGENT, self.user_agent.clone());
        // hyper leaves out `Content-Length: 0`; servers may answer a body-less POST
        // without it with 411 Length Required.
        // Set here rather than by hyper, so that every transport sees it.
        if !p.body.is_empty() {
            headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(p.body.len()));
        } else if matches!(p.method, http::Method::POST | http::Method::PUT | http::Method::PATCH) {
            headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        }

        let exchange = async {
            match &self.http {
                Http::Hyper(http) => {
                    let mut request = http::Request::new(Full::new(p.body.clone()));
                    *request.method_mut() = p.method.clone();
                    *request.uri_mut() = p.uri.clone();
                    *request.headers_mut() = headers;
                    http.exchange(request, limit).await
                }
                Http::Custom(transport) => {
                    let request = HttpRequest {
                        method: p.method.to_string(),
                        uri: p.uri.to_string(),
                        headers: headers
                            .iter()
                            .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                            .collect(),
                        body: p.body.to_vec(),
                    };
                    // The transport read the body already: the limit still holds for the caller.
                    match transport.send(request).await {
                        Ok(response) if response.body.len() > limit => Err(TransportError::body_too_large(limit, None)),
                        other => other,
                    }
                }
            }
        };
        let timeout = self.config.timeout();
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return Err(TransportError::operation_timeout(self.config.operation_timeout()));
        }
        let by_deadline = deadline - now < timeout;
        match tokio::time::timeout_at(deadline.min(now + timeout), exchange).await {
            Ok(result) => result,
            Err(_) if by_deadline => Err(TransportError::operation_timeout(self.config.operation_timeout())),
            Err(_) => Err(TransportError::timeout(timeout)),
        }
    }
}

fn should_retry(response: &Response) -> bool {
    match response.status {
        429 | 500..=599 => true,
        200..=299 => false,
        _ => ErrorMeta::from_response(response).code.is_some_and(|code| RETRYABLE_CODES.contains(&code.as_str())),
    }
}

/// The server's `Retry-After`: seconds, or an HTTP date.
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e9)));
    }
    let at = DateTime::parse_http_date(value).ok()?;
    let now = DateTime::now();
    Some(Duration::from_secs(u64::try_from(at.secs() - now.secs()).unwrap_or(0)))
}

/// The delay before attempt `attempt + 1`: the server's wish if any, else a random time up to
/// `initial_backoff * 2^(attempt-1)`; never more than `max_backoff`.
fn backoff(retry: &RetryConfig, attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(delay) = retry_after {
        return delay.min(retry.max_backoff);
    }
    let ceiling = retry
        .initial_backoff
        .checked_mul(1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX))
        .unwrap_or(retry.max_backoff)
        .min(retry.max_backoff);
    ceiling.mul_f64(random_fraction())
}

/// A random UUID (version 4, RFC 9562), from the same source as [`random_fraction`].
pub(crate) fn uuid_v4() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = [0u8; 16];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(DateTime::now().subsec_nanos());
        hasher.write_usize(i);
        chunk.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A random number in `[0, 1)`, from the standard library's randomly keyed SipHash (each
/// `RandomState` gets new keys): plenty for jitter, and no dependency.
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(DateTime::now().subsec_nanos());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Where requests go: scheme, authority and a path prefix.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) https: bool,
    /// `host[:port]` as given, for the URI.
    authority: String,
    /// The `Host` header: the authority without a default port.
    host_header: String,
    /// The endpoint's path without a trailing `/` (often empty).
    base_path: String,
}

impl Endpoint {
    pub(crate) fn parse(url: &str) -> Result<Endpoint, ConfigError> {
        let invalid = |reason: String| ConfigError::invalid("endpoint_url", format!("`{url}`: {reason}"));
        let uri: http::Uri = url.parse().map_err(|e| invalid(format!("{e}")))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(invalid("must start with http:// or https://".into())),
        };
        let authority = uri.authority().ok_or_else(|| invalid("no host".into()))?;
        if authority.as_str().contains('@') || authority.host().is_empty() {
            return Err(invalid("expected a host and an optional port only".into()));
        }
        if uri.query().is_some() {
            return Err(invalid("must not have a query".into()));
        }
        let host = authority.host().to_ascii_lowercase();
        let host_header = match authority.port_u16() {
            Some(port) if port != if https { 443 } else { 80 } => format!("{host}:{port}"),
            _ => host,
        };
        Ok(Endpoint {
            https,
            authority: authority.as_str().to_owned(),
            host_header,
            base_path: uri.path().trim_end_matches('/').to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let e = Endpoint::parse("https://apigateway.us-east-1.amazonaws.com").unwrap();
        assert!(e.https);
        assert_eq!((e.host_header.as_str(), e.base_path.as_str()), ("apigateway.us-east-1.amazonaws.com", ""));
        let e = Endpoint::parse("http://127.0.0.1:4566/prefix/").unwrap();
        assert!(!e.https);
        assert_eq!((e.authority.as_str(), e.host_header.as_str()), ("127.0.0.1:4566", "127.0.0.1:4566"));
        assert_eq!(e.base_path, "/prefix");
        assert_eq!(Endpoint::parse("https://Example.com:443").unwrap().host_header, "example.com");
        assert_eq!(Endpoint::parse("http://[::1]:8080").unwrap().host_header, "[::1]:8080");
        for bad in ["ftp://x", "localhost:4566", "http://user@x", "http://x/?q=1", "not a url"] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn backoff_is_bounded() {
        let retry = RetryConfig::default();
        for attempt in 1..40 {
            let d = backoff(&retry, attempt, None);
            let ceiling = Duration::from_millis(100).saturating_mul(1 << (attempt - 1).min(20)).min(retry.max_backoff);
            assert!(d <= ceiling, "attempt {attempt}: {d:?}");
        }
        assert_eq!(backoff(&retry, 1, Some(Duration::from_secs(3))), Duration::from_secs(3));
        assert_eq!(backoff(&retry, 1, Some(Duration::from_secs(3600))), retry.max_backoff);
        let samples: Vec<f64> = (0..64).map(|_| random_fraction()).collect();
        assert!(samples.iter().all(|f| (0.0..1.0).contains(f)));
        assert!(samples.iter().any(|f| *f != samples[0]), "jitter is not random");
    }

    #[test]
    fn uuids() {
        let (a, b) = (uuid_v4(), uuid_v4());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }

    #[test]
    fn retry_decisions() {
        let response = |status, headers: &[(&str, &str)], body: &str| Response {
            status,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
        };
        assert!(should_retry(&response(500, &[], "")));
        assert!(should_retry(&response(503, &[], "")));
        assert!(should_retry(&response(429, &[], "")));
        assert!(!should_retry(&response(200, &[], "")));
        assert!(!should_retry(&response(404, &[], r#"{"__type":"NotFoundException"}"#)));
        assert!(should_retry(&response(400, &[("x-amzn-errortype", "ThrottlingException:http://x")], "")));
        assert!(should_retry(&response(400, &[], r#"{"__type":"com.amazon#TooManyRequestsException"}"#)));
        assert!(should_retry(&response(400, &[], r#"{"code":"RequestLimitExceeded"}"#)));
        assert_eq!(retry_after(&response(429, &[("retry-after", "2")], "")), Some(Duration::from_secs(2)));
        assert_eq!(retry_after(&response(429, &[("retry-after", "0.5")], "")), Some(Duration::from_millis(500)));
        assert_eq!(retry_after(&response(429, &[("retry-after", "-1")], "")), None);
        let past = DateTime::from_secs(0).to_http_date();
        assert_eq!(retry_after(&response(429, &[("retry-after", &past)], "")), Some(Duration::ZERO));
        assert_eq!(retry_after(&response(429, &[], "")), None);
    }
}

//! The seam between the [`Client`](crate::Client) and the network: by default requests go out through
//! hyper; a [`Transport`] set with [`ConfigBuilder::transport`](crate::ConfigBuilder::transport) gets
//! them instead, already signed. Tests use [`CaptureTransport`] to see the exact request a client
//! would send and to answer it with a canned response, with no network at all.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use crate::{Response, TransportError};

/// A request as it goes on the wire: final URI, every header (`Host`, the signature, `User-Agent`
/// included) and the body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The absolute URI: scheme, authority, percent-encoded path and query.
    pub uri: String,
    /// Headers in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The body (empty for none).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first value of a header; the name is matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The URI's authority (`host[:port]`).
    pub fn authority(&self) -> &str {
        let rest = self.uri.split_once("://").map_or(self.uri.as_str(), |(_, rest)| rest);
        rest.split(['/', '?']).next().unwrap_or("")
    }

    /// The URI's path, still percent-encoded.
    pub fn path(&self) -> &str {
        let rest = self.uri.split_once("://").map_or(self.uri.as_str(), |(_, rest)| rest);
        let rest = &rest[self.authority().len()..];
        rest.split('?').next().unwrap_or("")
    }

    /// The URI's query pairs, still percent-encoded, in order (`a` alone gives `("a", "")`).
    pub fn query(&self) -> Vec<(&str, &str)> {
        let Some((_, query)) = self.uri.split_once('?') else { return Vec::new() };
        query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).collect()
    }
}

/// A boxed future, as [`Transport::send`] returns (no `async fn` in traits objects).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one attempt of a request and reads the whole response. The client's timeout and retries
/// still apply around it.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the response, whatever its status.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<Response, TransportError>>;
}

/// A [`Transport`] in a [`Config`](crate::Config): shared, and printed by name only.
#[derive(Clone)]
pub(crate) struct SharedTransport(pub(crate) Arc<dyn Transport>);

impl fmt::Debug for SharedTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Transport(custom)")
    }
}

/// A transport for tests: sends nothing, records every request, and answers each with the same
/// canned response.
#[derive(Debug, Default)]
pub struct CaptureTransport {
    response: Response,
    requests: Mutex<Vec<HttpRequest>>,
}

impl CaptureTransport {
    /// A transport that answers every request with `response`.
    pub fn new(response: Response) -> Arc<Self> {
        Arc::new(CaptureTransport { response, requests: Mutex::new(Vec::new()) })
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The last request received, if any.
    pub fn last_request(&self) -> Option<HttpRequest> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).last().cloned()
    }
}

impl Transport for CaptureTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<Response, TransportError>> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).push(request);
        let response = self.response.clone();
        Box::pin(async move { Ok(response) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_parts() {
        let r = HttpRequest { uri: "https://example.com:8443/a%20b/c?x=1&y&z=a%3Db".into(), ..HttpRequest::default() };
        assert_eq!(r.authority(), "example.com:8443");
        assert_eq!(r.path(), "/a%20b/c");
        assert_eq!(r.query(), vec![("x", "1"), ("y", ""), ("z", "a%3Db")]);
        let r = HttpRequest { uri: "http://h".into(), ..HttpRequest::default() };
        assert_eq!((r.authority(), r.path(), r.query()), ("h", "", vec![]));
    }
}

//! The few HTTP requests of the container and IMDS providers: plain GET/PUT with headers, a
//! short time limit, and a small body limit (a credentials document is under 2 KiB).

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;

use crate::client::HttpClient;

/// The largest body read from a metadata endpoint.
const MAX_BODY: usize = 64 * 1024;

/// A response: status and body.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// A client for one endpoint (`http://169.254.169.254`, a container URI's origin).
pub(crate) struct HttpFetch {
    client: HttpClient,
    timeout: Duration,
}

impl HttpFetch {
    /// A client whose connections open within `timeout` and whose requests end within it.
    pub(crate) fn new(https: bool, timeout: Duration) -> Result<HttpFetch, String> {
        let client = HttpClient::new(timeout, https).map_err(|e| e.to_string())?;
        Ok(HttpFetch { client, timeout })
    }

    /// Sends one request; the error says what failed and names the URL, never a header's value.
    pub(crate) async fn send(&self, method: &str, url: &str, headers: &[(&str, &str)]) -> Result<Reply, String> {
        let mut request = http::Request::new(Full::new(Bytes::new()));
        *request.method_mut() = http::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
        *request.uri_mut() = url.parse().map_err(|_| format!("`{url}` is not a URL"))?;
        for (name, value) in headers {
            let name = http::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
            let value = http::HeaderValue::from_str(value)
                .map_err(|_| format!("the value of header `{name}` is not a valid header value"))?;
            request.headers_mut().insert(name, value);
        }
        match tokio::time::timeout(self.timeout, self.client.exchange(request, MAX_BODY)).await {
            Ok(Ok(response)) => Ok(Reply { status: response.status, body: response.body }),
            Ok(Err(e)) => Err(format!("{method} {url}: {e}")),
            Err(_) => Err(format!("{method} {url}: no answer within {:?}", self.timeout)),
        }
    }
}

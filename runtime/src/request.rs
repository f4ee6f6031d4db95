//! The request an operation builds and the raw response it gets back.

/// An HTTP request of one operation, before endpoint, signing and retries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The HTTP method, e.g. `GET`.
    pub method: &'static str,
    /// The path, already percent-encoded (see [`crate::encode`]), starting with `/`; it is appended
    /// to the endpoint's path.
    pub path: String,
    /// Query parameters, raw: the client percent-encodes them. Repeated names are allowed.
    pub query: Vec<(String, String)>,
    /// Headers. `Host`, `X-Amz-Date`, `Authorization` and `User-Agent` are set by the client.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
    /// What goes before the endpoint's host (`smithy.api#endpoint` `hostPrefix`, expanded: `foo.bar.`),
    /// unless the configuration turns host prefixes off.
    pub host_prefix: Option<String>,
    /// Endpoint parameters of this operation call (`staticContextParams`, `contextParam` members,
    /// `operationContextParams`), over the client's; resolved by the service's rules per call.
    pub endpoint_params: Vec<(&'static str, crate::endpoint::ParamValue)>,
}

impl Request {
    /// A request with no query, headers or body.
    pub fn new(method: &'static str, path: String) -> Self {
        Request {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            host_prefix: None,
            endpoint_params: Vec::new(),
        }
    }

    /// An awsJson request: `POST /` with `X-Amz-Target: <target>` and `body` of type
    /// `content_type` (`application/x-amz-json-1.0` or `-1.1`).
    pub fn aws_json(content_type: &str, target: &str, body: Vec<u8>) -> Self {
        let mut request = Request::new("POST", "/".to_owned());
        request.header("x-amz-target", target).body(body, content_type);
        request
    }

    /// Adds a query parameter (raw; encoded when sent).
    pub fn query(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header.
    pub fn header(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets an endpoint parameter for this call (a later value of the same name replaces it).
    pub fn endpoint_param(&mut self, name: &'static str, value: crate::endpoint::ParamValue) -> &mut Self {
        self.endpoint_params.retain(|(n, _)| *n != name);
        self.endpoint_params.push((name, value));
        self
    }

    /// Sets a JSON body and `Content-Type: application/json`.
    pub fn json_body(&mut self, bytes: Vec<u8>) -> &mut Self {
        self.body(bytes, "application/json")
    }

    /// Adds `Content-MD5`, the base64 MD5 of the body (of no bytes when there is none), unless the
    /// caller set one: what `smithy.api#httpChecksumRequired` asks for. Call it once the body is final.
    pub fn content_md5(&mut self) -> &mut Self {
        if !self.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-md5")) {
            let digest = crate::md5::md5(self.body.as_deref().unwrap_or_default());
            self.headers.push(("content-md5".to_owned(), crate::blob::base64_encode(&digest)));
        }
        self
    }

    /// Sets the body and its `Content-Type`, unless a `Content-Type` header is set already (an input
    /// member bound to it says what the body is).
    pub fn body(&mut self, bytes: Vec<u8>, content_type: &str) -> &mut Self {
        if !self.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type")) {
            self.headers.push(("content-type".to_owned(), content_type.to_owned()));
        }
        self.body = Some(bytes);
        self
    }
}

/// A whole HTTP response, whatever its status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers in the order received, names in lower case. Values that are not UTF-8 are decoded lossily.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of a header; the name is matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Headers whose name starts with `prefix` (case-insensitive), with the prefix stripped from the
    /// name: what a Smithy `@httpPrefixHeaders` member holds.
    pub fn headers_with_prefix(&self, prefix: &str) -> Vec<(String, String)> {
        self.headers
            .iter()
            .filter(|(n, _)| {
                n.len() >= prefix.len() && n.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
            })
            .map(|(n, v)| (n[prefix.len()..].to_owned(), v.clone()))
            .collect()
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_md5_is_the_base64_digest_of_the_body() {
        let mut r = Request::new("POST", "/".into());
        r.body(b"abc".to_vec(), "text/plain").content_md5();
        // MD5("abc") = 900150983cd24fb0d6963f7d28e17f72.
        assert_eq!(r.headers[1], ("content-md5".to_owned(), "kAFQmDzST7DWlj99KOF/cg==".to_owned()));
        // No body: the digest of no bytes; a value the caller set is kept.
        let mut r = Request::new("PUT", "/".into());
        r.content_md5();
        assert_eq!(r.headers, vec![("content-md5".to_owned(), "1B2M2Y8AsgTpgAmY7PhCfg==".to_owned())]);
        r.content_md5();
        assert_eq!(r.headers.len(), 1);
    }

    #[test]
    fn request_builders() {
        let mut r = Request::new("POST", "/v2/apis".into());
        r.query("maxResults", "10").header("x-amz-foo", "bar");
        r.json_body(b"{}".to_vec());
        assert_eq!(r.query, vec![("maxResults".to_owned(), "10".to_owned())]);
        assert_eq!(
            r.headers,
            vec![("x-amz-foo".into(), "bar".into()), ("content-type".into(), "application/json".into())]
        );
        assert_eq!(r.body.as_deref(), Some(&b"{}"[..]));
        // A Content-Type set from an input member is kept.
        let mut r = Request::new("PUT", "/blob".into());
        r.header("Content-Type", "image/jpg").body(b"1234".to_vec(), "application/octet-stream");
        assert_eq!(r.headers, vec![("Content-Type".into(), "image/jpg".into())]);
    }

    #[test]
    fn aws_json_request() {
        let r = Request::aws_json("application/x-amz-json-1.0", "DynamoDB_20120810.ListTables", b"{}".to_vec());
        assert_eq!((r.method, r.path.as_str()), ("POST", "/"));
        assert_eq!(
            r.headers,
            vec![
                ("x-amz-target".into(), "DynamoDB_20120810.ListTables".into()),
                ("content-type".into(), "application/x-amz-json-1.0".into())
            ]
        );
        assert_eq!(r.body.as_deref(), Some(&b"{}"[..]));
    }

    #[test]
    fn response_headers() {
        let r = Response {
            status: 204,
            headers: vec![
                ("x-amz-meta-color".into(), "red".into()),
                ("content-type".into(), "application/json".into()),
                ("x-amz-meta-size".into(), "2".into()),
            ],
            body: Vec::new(),
        };
        assert!(r.is_success());
        assert_eq!(r.header("Content-Type"), Some("application/json"));
        assert_eq!(r.header("missing"), None);
        assert_eq!(
            r.headers_with_prefix("X-Amz-Meta-"),
            vec![("color".to_owned(), "red".to_owned()), ("size".to_owned(), "2".to_owned())]
        );
        assert!(!Response { status: 302, ..Response::default() }.is_success());
        assert!(!Response { status: 404, ..Response::default() }.is_success());
    }
}

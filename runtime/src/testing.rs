//! Helpers of the generated protocol tests (`cargo xtask protocol-tests`), behind the `testing`
//! feature: a client configuration whose requests go to a [`CaptureTransport`], a blocking
//! executor, and the checks of a Smithy `httpRequestTests` case against the request sent.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::{CaptureTransport, Config, Credentials, HttpRequest, Response, RetryConfig};

/// The endpoint host of a case that names none.
pub const DEFAULT_HOST: &str = "example.com";

/// A canned response.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Response {
    Response {
        status,
        headers: headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect(),
        body: body.to_vec(),
    }
}

/// A configuration that sends to `transport`, with the endpoint `https://{host}` (`host` may
/// carry a path), fixed credentials, no retries, and the idempotency token the Smithy cases expect.
pub fn config(transport: Arc<CaptureTransport>, host: Option<&str>) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
        .endpoint_url(format!("https://{}", host.unwrap_or(DEFAULT_HOST)))
        .retry(RetryConfig { max_attempts: 1, ..RetryConfig::default() })
        .timeout(Duration::from_secs(10))
        .transport(transport)
        .idempotency_tokens(|| "00000000-0000-4000-8000-000000000000".to_owned())
        .build()
        .expect("test configuration")
}

/// Runs a future to completion on a current-thread runtime (with the timer the client needs).
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_time().build().expect("tokio runtime").block_on(future)
}

/// What an `httpRequestTests` case expects of the request. Query pairs are `name=value` as they
/// appear in the URI (percent-encoded).
#[derive(Clone, Debug, Default)]
pub struct ExpectedRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The path, percent-encoded.
    pub uri: &'a str,
    /// Pairs that must be in the query (each once per listing).
    pub query_params: &'a [&'a str],
    /// Names that must not be in the query.
    pub forbid_query_params: &'a [&'a str],
    /// Names that must be in the query.
    pub require_query_params: &'a [&'a str],
    /// Headers and their exact values (several fields of one name are joined with `, `).
    pub headers: &'a [(&'a str, &'a str)],
    /// Headers that must not be sent.
    pub forbid_headers: &'a [&'a str],
    /// Headers that must be sent.
    pub require_headers: &'a [&'a str],
    /// The body, if the case gives one.
    pub body: Option<&'a [u8]>,
    /// How to compare the body: JSON media types as parsed JSON, others byte for byte.
    pub body_media_type: Option<&'a str>,
    /// The expected `host[:port]` of the URI.
    pub resolved_host: Option<&'a str>,
}

/// Checks `request` against `expected`; panics listing every difference.
pub fn check_request(request: &HttpRequest, expected: &ExpectedRequest) {
    let problems = request_problems(request, expected);
    if !problems.is_empty() {
        panic!(
            "request differs from the case:\n  - {}\nrequest: {} {}\nheaders: {:?}\nbody: {}",
            problems.join("\n  - "),
            request.method,
            request.uri,
            request.headers,
            String::from_utf8_lossy(&request.body)
        );
    }
}

/// Every difference between `request` and `expected`, one line each.
pub fn request_problems(request: &HttpRequest, expected: &ExpectedRequest) -> Vec<String> {
    let mut problems = Vec::new();
    if request.method != expected.method {
        problems.push(format!("method {} instead of {}", request.method, expected.method));
    }
    if request.path() != expected.uri {
        problems.push(format!("path `{}` instead of `{}`", request.path(), expected.uri));
    }
    let mut query = request.query();
    for pair in expected.query_params {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match query.iter().position(|(n, v)| *n == name && *v == value) {
            Some(i) => {
                query.remove(i);
            }
            None => problems.push(format!("query has no `{pair}`")),
        }
    }
    let all_query = request.query();
    for name in expected.forbid_query_params {
        if all_query.iter().any(|(n, _)| n == name) {
            problems.push(format!("query has `{name}`, which it must not"));
        }
    }
    for name in expected.require_query_params {
        if !all_query.iter().any(|(n, _)| n == name) {
            problems.push(format!("query has no `{name}`"));
        }
    }
    for (name, value) in expected.headers {
        let values: Vec<&str> =
            request.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect();
        if values.is_empty() {
            problems.push(format!("no header `{name}` (expected `{value}`)"));
        } else if values.join(", ") != *value {
            problems.push(format!("header `{name}` is `{}` instead of `{value}`", values.join(", ")));
        }
    }
    for name in expected.forbid_headers {
        if request.header(name).is_some() {
            problems.push(format!("header `{name}` is sent, which it must not be"));
        }
    }
    for name in expected.require_headers {
        if request.header(name).is_none() {
            problems.push(format!("no header `{name}`"));
        }
    }
    if let Some(body) = expected.body {
        if let Some(problem) = body_problem(&request.body, body, expected.body_media_type) {
            problems.push(problem);
        }
    }
    if let Some(host) = expected.resolved_host {
        if request.authority() != host {
            problems.push(format!("host `{}` instead of `{host}`", request.authority()));
        }
    }
    problems
}

fn body_problem(actual: &[u8], expected: &[u8], media_type: Option<&str>) -> Option<String> {
    let json = media_type
        .is_some_and(|m| m == "application/json" || m.ends_with("+json") || m.starts_with("application/x-amz-json-"));
    if json && !(actual.is_empty() && expected.is_empty()) {
        let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b);
        return match (parse(actual), parse(expected)) {
            (Ok(a), Ok(e)) if a == e => None,
            (Ok(a), Ok(e)) => Some(format!("JSON body {a} instead of {e}")),
            (Err(err), _) => Some(format!("body is not JSON ({err}): {}", String::from_utf8_lossy(actual))),
            (_, Err(err)) => Some(format!("the case's body is not JSON: {err}")),
        };
    }
    if media_type == Some("application/x-www-form-urlencoded") {
        // Compared as pairs in any order (the Smithy spec for form bodies); the cases break
        // lines before `&`.
        let (a, e) = (form_pairs(actual), form_pairs(expected));
        return (a != e).then(|| format!("form {a:?} instead of {e:?}"));
    }
    #[cfg(feature = "xml")]
    if media_type.is_some_and(|m| m == "application/xml" || m.ends_with("+xml")) && !expected.is_empty() {
        // Compared as trees, as smithy-rs's protocol tests compare them: layout whitespace,
        // attribute order and the order of a structure's members do not count (the suite's cases
        // do not always list members in the model's order), nor the order of a map's entries (a
        // client's maps are hash maps); the order of a list's items does.
        let parse = |b: &[u8]| crate::xml::parse(b).map(normalized);
        return match (parse(actual), parse(expected)) {
            (Ok(a), Ok(e)) if a == e => None,
            (Ok(a), Ok(e)) => Some(format!("XML body {a:?} instead of {e:?}")),
            (Err(err), _) => Some(format!("body is not XML ({err}): {}", String::from_utf8_lossy(actual))),
            (_, Err(err)) => Some(format!("the case's body is not XML: {err}")),
        };
    }
    (actual != expected).then(|| {
        format!("body `{}` instead of `{}`", String::from_utf8_lossy(actual), String::from_utf8_lossy(expected))
    })
}

#[cfg(feature = "xml")]
fn normalized(mut e: crate::xml::Element) -> crate::xml::Element {
    e.attributes.sort();
    e.children = e.children.into_iter().map(normalized).collect();
    // Members by name; a stable sort, so that same-named siblings (a list's items, flattened or
    // not) keep their order.
    e.children.sort_by(|a, b| a.name.cmp(&b.name));
    // But a map's entries, same-named siblings with two child elements each (key and value,
    // whatever the model names them), in any order.
    let mut start = 0;
    while start < e.children.len() {
        let name = e.children[start].name.clone();
        let end = start + e.children[start..].iter().take_while(|c| c.name == name).count();
        if end - start > 1 && e.children[start..end].iter().all(|c| c.children.len() == 2) {
            e.children[start..end].sort_by_key(|c| c.to_vec());
        }
        start = end;
    }
    e
}

/// The pairs of a form body, percent-decoded and sorted.
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let mut pairs: Vec<(String, String)> = text
        .split('&')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect();
    pairs.sort();
    pairs
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            uri: "https://example.com/things/a%20b?x=1&x=2&flag".into(),
            headers: vec![
                ("x-list".into(), "a".into()),
                ("X-List".into(), "b".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: br#"{"a": 1, "b": [true]}"#.to_vec(),
        }
    }

    #[test]
    fn a_matching_request_passes() {
        let expected = ExpectedRequest {
            method: "POST",
            uri: "/things/a%20b",
            query_params: &["x=2", "x=1", "flag"],
            forbid_query_params: &["y"],
            require_query_params: &["flag"],
            headers: &[("X-List", "a, b"), ("Content-Type", "application/json")],
            forbid_headers: &["x-other"],
            require_headers: &["content-type"],
            body: Some(br#"{"b":[true],"a":1}"#),
            body_media_type: Some("application/json"),
            resolved_host: Some("example.com"),
        };
        assert_eq!(request_problems(&request(), &expected), Vec::<String>::new());
    }

    #[test]
    fn every_difference_is_listed() {
        let expected = ExpectedRequest {
            method: "PUT",
            uri: "/things/a b",
            query_params: &["x=1", "x=1"],
            forbid_query_params: &["flag"],
            require_query_params: &["y"],
            headers: &[("x-list", "a,b"), ("x-none", "1")],
            forbid_headers: &["content-type"],
            require_headers: &["x-other"],
            body: Some(br#"{"a":2}"#),
            body_media_type: Some("application/json"),
            resolved_host: Some("foo.example.com"),
        };
        assert_eq!(request_problems(&request(), &expected).len(), 11);
        let bytes = ExpectedRequest { method: "POST", uri: "/things/a%20b", body: Some(b"{}"), ..Default::default() };
        assert_eq!(request_problems(&request(), &bytes).len(), 1);
    }

    #[test]
    fn form_bodies_compare_as_pairs_in_any_order() {
        let form = Some("application/x-www-form-urlencoded");
        assert_eq!(body_problem(b"A=1&B=x%20y", b"B=x y\n&A=1", form), None);
        assert!(body_problem(b"A=1&B=2", b"A=1", form).is_some());
    }

    #[cfg(feature = "xml")]
    #[test]
    fn xml_bodies_compare_as_trees() {
        let xml = Some("application/xml");
        assert_eq!(body_problem(b"<a y=\"2\" x=\"1\"><b/></a>", b"<a x=\"1\" y=\"2\">\n  <b></b>\n</a>\n", xml), None);
        assert!(body_problem(b"<a><b>1</b></a>", b"<a><b>2</b></a>", xml).is_some());
        // Entries of a map come in any order.
        let map = |a: &str, b: &str| {
            format!("<m><entry><key>{a}</key><value>1</value></entry><entry><key>{b}</key><value>2</value></entry></m>")
        };
        let swapped = b"<m><entry><key>b</key><value>2</value></entry><entry><key>a</key><value>1</value></entry></m>";
        assert_eq!(body_problem(map("a", "b").as_bytes(), swapped, xml), None);
        assert!(body_problem(map("b", "a").as_bytes(), swapped, xml).is_some(), "a value moved to another key");
        // Members in any order; list items, flattened or not, in theirs.
        assert_eq!(body_problem(b"<s><a>1</a><b>2</b></s>", b"<s><b>2</b><a>1</a></s>", xml), None);
        assert!(body_problem(
            b"<l><member>1</member><member>2</member></l>",
            b"<l><member>2</member><member>1</member></l>",
            xml
        )
        .is_some());
        assert!(body_problem(b"<s><i>1</i><n/><i>2</i></s>", b"<s><i>2</i><n/><i>1</i></s>", xml).is_some());
    }
}

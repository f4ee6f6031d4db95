//! Shared by the client tests of `integration/clients/<model>/` (run by `cargo xtask clients`,
//! which copies this file to `tests/support/mod.rs` of the model's crate, beside the integration
//! tests' `common`, whose `Moto` starts moto's server): the client's settings, a recording
//! endpoint, boto3 and the comparison of what boto3 and the client send.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_codegen_runtime::{Config, Credentials, RetryConfig};
use serde_json::Value;

use crate::common::{boto3_calls, say, ScratchDir};

const REGION: &str = "us-east-1";

/// `integration/` of the repository (`INTEGRATION_DIR`, set by `cargo xtask clients`).
pub fn integration_dir() -> PathBuf {
    match std::env::var_os("INTEGRATION_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => panic!("INTEGRATION_DIR is not set: these tests are run by `cargo xtask clients`"),
    }
}

/// The settings of a test's client, whatever its service (every generated crate re-exports this
/// `Config` of the runtime's): moto's region, `endpoint`, example static keys, one attempt (a
/// failure shows as it is, not after retries) of at most 10 s.
pub fn config(endpoint: String) -> Config {
    config_with(endpoint, static_keys())
}

/// [`config`] signing with `credentials` (STS: the keys of an assumed role).
pub fn config_with(endpoint: String, credentials: Credentials) -> Config {
    Config::builder()
        .region(REGION)
        .endpoint_url(endpoint)
        .credentials(credentials)
        .retry(RetryConfig { max_attempts: 1, ..RetryConfig::default() })
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client config")
}

/// The keys of [`config`]: moto accepts any.
pub fn static_keys() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "SECRET", None)
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// What the recorder saw: requests, and markers that start each case.
#[derive(Debug, Clone)]
enum Entry {
    Mark(usize),
    Request(Recorded),
}

/// An HTTP/1.1 endpoint on 127.0.0.1 that records every request and answers `200 {}` (a
/// `GET /__mark__/<n>` is recorded as the start of case `n` and answered 204). One thread per
/// connection; each answer closes its connection.
pub struct Recorder {
    pub port: u16,
    entries: Arc<Mutex<Vec<Entry>>>,
}

impl Recorder {
    pub fn start() -> Recorder {
        Recorder::answering(false)
    }

    /// A recorder that answers `200 <Response/>` (an XML output with no members) to every
    /// request but a Query form's: what restXml clients read.
    pub fn start_xml() -> Recorder {
        Recorder::answering(true)
    }

    fn answering(xml: bool) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local_addr").port();
        let entries: Arc<Mutex<Vec<Entry>>> = Arc::default();
        let shared = entries.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let entries = shared.clone();
                std::thread::spawn(move || {
                    if let Err(e) = serve(stream, &entries, xml) {
                        say(&format!("recorder: {e}"));
                    }
                });
            }
        });
        Recorder { port, entries }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts case `n` (for a client in this process; boto3 sends `GET /__mark__/<n>`).
    pub fn mark(&self, n: usize) {
        self.entries.lock().expect("recorder lock").push(Entry::Mark(n));
    }

    /// The requests of each of `cases` cases.
    pub fn by_case(&self, cases: usize) -> Vec<Vec<Recorded>> {
        let mut out = vec![Vec::new(); cases];
        let mut current = None;
        for entry in self.entries.lock().expect("recorder lock").iter() {
            match entry {
                Entry::Mark(n) => current = Some(*n),
                Entry::Request(r) => match current {
                    Some(n) if n < cases => out[n].push(r.clone()),
                    _ => panic!("recorder: a request outside any case: {r:?}"),
                },
            }
        }
        out
    }
}

fn serve(stream: TcpStream, entries: &Mutex<Vec<Entry>>, xml: bool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or_default().to_string(), parts.next().unwrap_or_default().to_string());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = h.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let mut stream = stream;
    if let Some(n) = path.strip_prefix("/__mark__/") {
        let n = n.parse().map_err(|_| std::io::Error::other(format!("bad marker {path}")))?;
        entries.lock().expect("recorder lock").push(Entry::Mark(n));
        return stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    }
    // A Query request (a form) gets `<ActionResponse><ActionResult/></ActionResponse>`, an output
    // with no members to Query clients (boto3 wants the wrapper); everything else `{}`.
    let form = headers.iter().any(|(n, v)| n == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
    let action = form_pairs(&body).into_iter().find(|(k, _)| k == "Action").map(|(_, v)| v);
    entries.lock().expect("recorder lock").push(Entry::Request(Recorded { method, path, headers, body }));
    if let (true, Some(action)) = (form, action) {
        let xml = format!("<{action}Response><{action}Result/></{action}Response>");
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            xml.len()
        );
        return stream.write_all(format!("{head}{xml}").as_bytes());
    }
    if xml {
        return stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 11\r\nConnection: close\r\n\r\n<Response/>",
        );
    }
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    )
}

/// Sends `cases` (`{"name", "operation", "params"}` with boto3's parameter names) through
/// boto3's `service` client to `endpoint`: per case `Ok` or the error boto3 raised.
pub fn boto3(service: &str, cases: &Value, endpoint: &str) -> Vec<Result<(), String>> {
    let dir = ScratchDir::new(&format!("boto3-{service}"));
    let cases_path = dir.path().join("cases.json");
    std::fs::write(&cases_path, cases.to_string()).expect("write cases");
    boto3_calls(&integration_dir(), service, &cases_path, endpoint, dir.path())
}

/// Differences between what boto3 and the client sent for one awsJson or Query call: method,
/// path, `X-Amz-Target`, the media type of `Content-Type`, and the body as JSON or, for a form
/// (awsQuery, ec2Query), as its decoded pairs in any order (boto3 adds `; charset=utf-8` to the
/// form's content type, which the Smithy protocol tests leave out; the pairs are the request).
pub fn json_rpc_differences(boto: &Recorded, ours: &Recorded) -> Vec<String> {
    let mut diffs = Vec::new();
    if boto.method != ours.method {
        diffs.push(format!("method {} instead of {}", ours.method, boto.method));
    }
    if boto.path != ours.path {
        diffs.push(format!("path {} instead of {}", ours.path, boto.path));
    }
    if boto.header("x-amz-target") != ours.header("x-amz-target") {
        diffs.push(format!(
            "x-amz-target {:?} instead of {:?}",
            ours.header("x-amz-target"),
            boto.header("x-amz-target")
        ));
    }
    let media_type =
        |r: &Recorded| r.header("content-type").map(|v| v.split(';').next().unwrap_or_default().trim().to_owned());
    let form = media_type(boto).as_deref() == Some("application/x-www-form-urlencoded");
    let same_type = if form {
        media_type(boto) == media_type(ours)
    } else {
        boto.header("content-type") == ours.header("content-type")
    };
    if !same_type {
        diffs.push(format!(
            "content-type {:?} instead of {:?}",
            ours.header("content-type"),
            boto.header("content-type")
        ));
    }
    if form {
        let (a, b) = (form_pairs(&boto.body), form_pairs(&ours.body));
        if a != b {
            let missing: Vec<_> = a.iter().filter(|p| !b.contains(p)).collect();
            let extra: Vec<_> = b.iter().filter(|p| !a.contains(p)).collect();
            diffs.push(format!("form differs: boto3 only {missing:?}, ours only {extra:?}"));
        }
        return diffs;
    }
    let parse =
        |b: &[u8]| serde_json::from_slice::<Value>(b).map_err(|e| format!("{e}: {}", String::from_utf8_lossy(b)));
    match (parse(&boto.body), parse(&ours.body)) {
        (Ok(a), Ok(b)) if a == b => {}
        (Ok(a), Ok(b)) => diffs.push(format!("body {b} instead of {a}")),
        (a, b) => diffs.push(format!("body not JSON: boto3 {a:?}, ours {b:?}")),
    }
    diffs
}

/// The pairs of a form body, percent-decoded (`+` is a space), sorted.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
            match bytes[i] {
                b'%' if hex(bytes.get(i + 1)).is_some() && hex(bytes.get(i + 2)).is_some() => {
                    out.push((hex(bytes.get(i + 1)).unwrap_or(0) * 16 + hex(bytes.get(i + 2)).unwrap_or(0)) as u8);
                    i += 3;
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    let text = String::from_utf8_lossy(body);
    let mut pairs: Vec<(String, String)> = text
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

/// Runs each case through boto3 and through `send` (the client's call of case `n`, which must
/// send exactly one request), each to its own recorder, and panics listing every difference.
pub async fn compare_with_boto3<F, Fut>(service: &str, cases: &Value, send: F)
where
    F: Fn(String, usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    compare(service, cases, send, Recorder::start, json_rpc_differences).await
}

/// [`compare_with_boto3`] for a restXml service: the recorders answer `<Response/>`, requests
/// are compared by [`rest_xml_differences`].
pub async fn compare_rest_xml_with_boto3<F, Fut>(service: &str, cases: &Value, send: F)
where
    F: Fn(String, usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    compare(service, cases, send, Recorder::start_xml, rest_xml_differences).await
}

/// The comparison of both: `start` makes each side's recorder, `differences` compares one
/// request of boto3's with the client's.
async fn compare<F, Fut>(
    service: &str,
    cases: &Value,
    send: F,
    start: fn() -> Recorder,
    differences: fn(&Recorded, &Recorded) -> Vec<String>,
) where
    F: Fn(String, usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let list = cases.as_array().expect("cases are a list");
    let boto_recorder = start();
    let results = boto3(service, cases, &boto_recorder.endpoint());
    let ours_recorder = start();
    for n in 0..list.len() {
        ours_recorder.mark(n);
        send(ours_recorder.endpoint(), n).await;
    }
    let (boto, ours) = (boto_recorder.by_case(list.len()), ours_recorder.by_case(list.len()));
    let mut failures = Vec::new();
    for (n, case) in list.iter().enumerate() {
        let name = case.get("name").and_then(Value::as_str).unwrap_or("?");
        if let Err(e) = &results[n] {
            failures.push(format!("{name}: boto3 refused the call: {e}"));
            continue;
        }
        match (boto[n].as_slice(), ours[n].as_slice()) {
            ([b], [o]) => {
                let diffs = differences(b, o);
                if !diffs.is_empty() {
                    failures.push(format!("{name}:\n  {}", diffs.join("\n  ")));
                }
            }
            (b, o) => failures.push(format!("{name}: boto3 sent {} requests, the client {}", b.len(), o.len())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from boto3:\n{}",
        failures.len(),
        list.len(),
        failures.join("\n")
    );
    say(&format!("wire: {} {service} cases match boto3", list.len()));
}

/// Differences between what boto3 and the client sent for one restXml call: method, path (but
/// a trailing `/`), the query string's pairs in any order, and the XML body as a tree whose
/// sibling elements are in any order, character references resolved. Why these are left out:
/// botocore's models list members in another order than the Smithy models (Route 53's
/// `CreateHostedZoneRequest`: `CallerReference` first there, `Name` first in Smithy) and end some
/// URIs with `/` where Smithy's do not (`.../rrset/`); the services accept both, and the AWS SDKs
/// built on the Smithy models send what this client does. `Content-Type` is not compared: boto3
/// sends none with an XML body, the Smithy protocol tests require `application/xml`.
pub fn rest_xml_differences(boto: &Recorded, ours: &Recorded) -> Vec<String> {
    let mut diffs = Vec::new();
    if boto.method != ours.method {
        diffs.push(format!("method {} instead of {}", ours.method, boto.method));
    }
    let split = |r: &Recorded| {
        let (path, query) = r.path.split_once('?').unwrap_or((r.path.as_str(), ""));
        (path.trim_end_matches('/').to_owned(), form_pairs(query.as_bytes()))
    };
    let ((boto_path, boto_query), (our_path, our_query)) = (split(boto), split(ours));
    if boto_path != our_path {
        diffs.push(format!("path {our_path} instead of {boto_path}"));
    }
    if boto_query != our_query {
        diffs.push(format!("query {our_query:?} instead of {boto_query:?}"));
    }
    match (canonical_xml(&boto.body), canonical_xml(&ours.body)) {
        (Ok(a), Ok(b)) if a == b => {}
        (Ok(a), Ok(b)) => diffs.push(format!("body {b} instead of {a}")),
        (a, b) => diffs.push(format!("body not XML: boto3 {a:?}, ours {b:?}")),
    }
    diffs
}

/// An XML document as text with the children of every element sorted, character references
/// resolved and layout whitespace dropped (empty for an empty body). Enough XML for request
/// bodies: elements, attributes, text, the declaration.
pub fn canonical_xml(body: &[u8]) -> Result<String, String> {
    fn unescape(t: &str) -> String {
        [
            ("&quot;", "\""),
            ("&apos;", "'"),
            ("&#xA;", "\n"),
            ("&#xD;", "\r"),
            ("&#x9;", "\t"),
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&amp;", "&"),
        ]
        .iter()
        .fold(t.to_owned(), |t, (from, to)| t.replace(from, to))
    }
    // Returns the canonical text of the element starting at `rest` and what follows it.
    fn element(rest: &str) -> Result<(String, &str), String> {
        let rest = rest.trim_start();
        let open_end = rest.find('>').ok_or("an unclosed tag")?;
        let tag = &rest[1..open_end];
        let (tag, empty) = match tag.strip_suffix('/') {
            Some(t) => (t.trim_end(), true),
            None => (tag, false),
        };
        let name = tag.split_whitespace().next().ok_or("a tag without a name")?.to_owned();
        let mut attributes: Vec<String> = tag[name.len()..].split_whitespace().map(unescape).collect();
        attributes.sort();
        let mut rest = &rest[open_end + 1..];
        let (mut text, mut children) = (String::new(), Vec::new());
        if !empty {
            loop {
                let next = rest.find('<').ok_or("an unclosed element")?;
                text.push_str(&rest[..next]);
                rest = &rest[next..];
                if let Some(after) = rest.strip_prefix("</") {
                    let close = after.find('>').ok_or("an unclosed end tag")?;
                    rest = &after[close + 1..];
                    break;
                }
                let (child, after) = element(rest)?;
                children.push(child);
                rest = after;
            }
        }
        children.sort();
        let text = if children.is_empty() { unescape(&text) } else { String::new() };
        Ok((format!("<{name} {}>{text}{}</{name}>", attributes.join(" "), children.concat()), rest))
    }
    let text = String::from_utf8_lossy(body);
    let mut text = text.trim();
    if let Some(declaration) = text.strip_prefix("<?") {
        text = declaration.split_once("?>").map(|(_, r)| r.trim_start()).ok_or("an unclosed declaration")?;
    }
    if text.is_empty() {
        return Ok(String::new());
    }
    element(text).map(|(e, _)| e)
}

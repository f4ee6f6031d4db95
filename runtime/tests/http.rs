//! The client against a tiny HTTP server on 127.0.0.1 (std threads, bounded in connections and time).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use aws_codegen_runtime::{
    Client, Config, Credentials, DateTime, Request, RetryConfig, ServiceInfo, TransportErrorKind,
};

static SERVICE: ServiceInfo = ServiceInfo {
    service_id: "ApiGatewayV2",
    signing_name: "apigateway",
    endpoint_prefix: "apigateway",
    api_version: "2018-11-29",
    // The prefix rule: these tests are about the transport, not endpoint rules.
    endpoint_rules: "",
    partitions: "",
};

/// One request as the server saw it.
#[derive(Debug)]
struct Seen {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Serves `responses` in order, one connection each (`Connection: close`), then stops. Gives up
/// after 5 s whatever happens.
fn serve(responses: Vec<String>) -> (SocketAddr, thread::JoinHandle<Vec<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut seen = Vec::new();
        for response in responses {
            let stream = loop {
                match listener.accept() {
                    Ok((stream, _)) => break Some(stream),
                    Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
                    Err(_) => break None,
                }
            };
            let Some(mut stream) = stream else { break };
            stream.set_nonblocking(false).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            match read_request(&stream) {
                Some(request) => seen.push(request),
                None => break,
            }
            let _ = stream.write_all(response.as_bytes());
        }
        seen
    });
    (addr, handle)
}

fn read_request(stream: &TcpStream) -> Option<Seen> {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let len = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap_or(0));
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Seen { request_line: request_line.trim_end().to_owned(), headers, body })
}

fn response(status: &str, headers: &[&str], body: &str) -> String {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(body);
    out
}

fn config(endpoint: String, max_attempts: u32, timeout: Duration) -> Config {
    Config::builder()
        .region("us-west-2")
        .endpoint_url(endpoint)
        .credentials(Credentials::new("AKIDEXAMPLE", "s3cr3t-value", Some("token".into())))
        .retry(RetryConfig { max_attempts, ..RetryConfig::default() })
        .timeout(timeout)
        .build()
        .unwrap()
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// Answers 500, then 429 with `Retry-After: 0`, then 200; `answers` of them (the server is gone
/// after that, so a further attempt would fail to connect).
fn flaky_server(answers: usize) -> (SocketAddr, thread::JoinHandle<Vec<Seen>>) {
    let mut responses = vec![
        response("500 Internal Server Error", &[], r#"{"message":"boom"}"#),
        response("429 Too Many Requests", &["Retry-After: 0"], r#"{"message":"slow down"}"#),
        response("200 OK", &["Content-Type: application/json", "x-amzn-RequestId: r-3"], r#"{"items":[]}"#),
    ];
    responses.truncate(answers);
    serve(responses)
}

#[test]
fn retries_500_and_429_then_returns_the_200() {
    let (addr, server) = flaky_server(3);
    let client = Client::new(&SERVICE, config(format!("http://{addr}/base/"), 3, Duration::from_secs(2))).unwrap();
    let mut request = Request::new("POST", format!("/v2/apis/{}/routes", aws_codegen_runtime::encode::label("a b")));
    request.query("nextToken", "x/y").query("maxResults", "5").header("x-amz-client-context", "ctx");
    request.json_body(br#"{"name":"n"}"#.to_vec());
    let started = Instant::now();
    let response = block_on(client.send(request)).unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(response.status, 200);
    assert_eq!(response.body, br#"{"items":[]}"#);
    assert_eq!(response.header("X-Amzn-RequestId"), Some("r-3"));
    assert_eq!(response.header("content-type"), Some("application/json"));

    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 3, "exactly three attempts");
    let today = &DateTime::now().to_date_time()[..10].replace('-', "");
    for s in &seen {
        // The endpoint's path prefix is kept; the query is encoded, in the caller's order
        // (the signature covers it sorted).
        assert_eq!(s.request_line, "POST /base/v2/apis/a%20b/routes?nextToken=x%2Fy&maxResults=5 HTTP/1.1");
        assert_eq!(s.header("host"), Some(addr.to_string().as_str()));
        assert_eq!(s.header("content-type"), Some("application/json"));
        assert_eq!(s.header("x-amz-security-token"), Some("token"));
        assert_eq!(s.header("x-amz-client-context"), Some("ctx"));
        assert!(s.header("user-agent").unwrap().starts_with("aws-codegen-runtime/"));
        assert_eq!(s.body, br#"{"name":"n"}"#);
        let auth = s.header("authorization").unwrap();
        let scope = format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{today}/us-west-2/apigateway/aws4_request, ");
        assert!(auth.starts_with(&scope), "{auth}");
        assert!(
            auth.contains(
                "SignedHeaders=content-type;host;x-amz-client-context;x-amz-date;x-amz-security-token, Signature="
            ),
            "{auth}"
        );
        assert!(s.header("x-amz-date").unwrap().starts_with(today.as_str()));
    }
}

#[test]
fn returns_the_last_response_when_attempts_run_out() {
    let (addr, server) = flaky_server(2);
    let client = Client::new(&SERVICE, config(format!("http://{addr}"), 2, Duration::from_secs(2))).unwrap();
    let response = block_on(client.send(Request::new("GET", "/v2/apis".into()))).unwrap();
    assert_eq!(response.status, 429);
    assert_eq!(response.header("retry-after"), Some("0"));
    let meta = aws_codegen_runtime::ErrorMeta::from_response(&response);
    assert_eq!(meta.message.as_deref(), Some("slow down"));
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].request_line, "GET /v2/apis HTTP/1.1");
}

#[test]
fn does_not_retry_other_client_errors() {
    let (addr, server) = serve(vec![
        response("404 Not Found", &["x-amzn-ErrorType: NotFoundException"], r#"{"message":"no such api"}"#),
        response("200 OK", &[], ""),
    ]);
    let client = Client::new(&SERVICE, config(format!("http://{addr}"), 3, Duration::from_secs(2))).unwrap();
    let response = block_on(client.send(Request::new("GET", "/v2/apis/x".into()))).unwrap();
    assert_eq!(response.status, 404);
    assert!(!response.is_success());
    drop(client);
    // The server still waits for its second connection: make it, so that the thread ends now.
    let _ = TcpStream::connect(addr).map(|mut s| s.write_all(b"GET / HTTP/1.1\r\n\r\n"));
    assert_eq!(server.join().unwrap().len(), 2);
}

#[test]
fn a_server_that_never_answers_times_out_after_all_attempts() {
    // Connections are accepted by the kernel (listen backlog) but never answered.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let client = Client::new(&SERVICE, config(format!("http://{addr}"), 3, Duration::from_millis(200))).unwrap();
    let started = Instant::now();
    let err = block_on(client.send(Request::new("GET", "/v2/apis".into()))).unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err}");
    assert_eq!(err.kind(), TransportErrorKind::Timeout);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.to_string(), "request timed out: no complete response within 200ms (3 attempts)");
    // 3 x 200 ms, plus at most 100 + 200 ms of backoff.
    assert!(elapsed >= Duration::from_millis(600) && elapsed < Duration::from_secs(2), "{elapsed:?}");
    drop(listener);
}

#[test]
fn connection_refused_is_a_transport_error() {
    let addr = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap(); // closed again at once
    let client = Client::new(&SERVICE, config(format!("http://{addr}"), 2, Duration::from_secs(2))).unwrap();
    let err = block_on(client.send(Request::new("GET", "/".into()))).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert_eq!(err.attempts(), 2);
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn a_bad_header_value_is_not_sent() {
    let addr = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let client = Client::new(&SERVICE, config(format!("http://{addr}"), 3, Duration::from_secs(2))).unwrap();
    let mut request = Request::new("GET", "/".into());
    request.header("x-amz-meta", "line\r\nbreak");
    let err = block_on(client.send(request)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
    assert_eq!(err.attempts(), 1);
}

#[test]
fn default_endpoint_and_features() {
    let config = Config::builder().region("eu-west-1").credentials(Credentials::new("a", "b", None)).build().unwrap();
    let client = Client::new(&SERVICE, config);
    if cfg!(feature = "rustls") {
        // Root certificates may be missing on a bare machine; anything else must work.
        if let Err(e) = &client {
            assert!(e.to_string().contains("root certificates"), "{e}");
        }
    } else {
        let err = client.unwrap_err();
        assert!(err.to_string().contains("rustls"), "{err}");
    }
}

#[test]
fn client_is_cheap_to_clone_and_send_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(&SERVICE, config("http://127.0.0.1:9".into(), 1, Duration::from_millis(50))).unwrap();
    let clone = client.clone();
    assert_eq!(clone.config().region(), "us-west-2");
    assert_eq!(clone.service().signing_name, "apigateway");
    let future = client.send(Request::new("GET", "/".into()));
    assert_send(&future);
    let shown = format!("{client:?}");
    assert!(shown.contains("ApiGatewayV2") && !shown.contains("s3cr3t-value"), "{shown}");
    let _ = Arc::new(Mutex::new(clone));
}

/// A custom transport gets the signed request instead of the network (no TLS needed for
/// `https`), and its answer goes through the usual retries.
#[test]
fn custom_transport_sees_the_signed_request() {
    use aws_codegen_runtime::{CaptureTransport, Response};
    let capture = CaptureTransport::new(Response { status: 503, headers: vec![], body: b"busy".to_vec() });
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .endpoint_url("https://example.com/base")
        .retry(RetryConfig { max_attempts: 2, initial_backoff: Duration::from_millis(1), ..RetryConfig::default() })
        .transport(capture.clone())
        .build()
        .unwrap();
    let client = Client::new(&SERVICE, config).unwrap();
    let mut request = Request::new("PUT", "/things/a%20b".into());
    request.query("q", "x y").header("x-amz-foo", "1").json_body(b"{}".to_vec());
    let response = block_on(client.send(request)).unwrap();
    assert_eq!((response.status, response.body.as_slice()), (503, &b"busy"[..]));
    let seen = capture.requests();
    assert_eq!(seen.len(), 2, "retried once");
    let r = &seen[0];
    assert_eq!((r.method.as_str(), r.uri.as_str()), ("PUT", "https://example.com/base/things/a%20b?q=x%20y"));
    assert_eq!((r.authority(), r.path(), r.query()), ("example.com", "/base/things/a%20b", vec![("q", "x%20y")]));
    assert_eq!(r.header("host"), Some("example.com"));
    assert_eq!(r.header("X-Amz-Foo"), Some("1"));
    assert!(r.header("authorization").is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 Credential=AKID/")));
    assert!(r.header("user-agent").is_some());
    assert_eq!(r.body, b"{}");
}

/// An operation's host prefix goes before the endpoint's host, in the URI and the signed `Host`,
/// unless the configuration turns host prefixes off.
#[test]
fn host_prefix_goes_before_the_endpoint_host_unless_disabled() {
    use aws_codegen_runtime::{CaptureTransport, Response};
    for (disable, host) in [(false, "foo.bar.example.com:8443"), (true, "example.com:8443")] {
        let capture = CaptureTransport::new(Response { status: 200, headers: vec![], body: Vec::new() });
        let config = Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .endpoint_url("https://example.com:8443")
            .disable_host_prefix_injection(disable)
            .transport(capture.clone())
            .build()
            .unwrap();
        let client = Client::new(&SERVICE, config).unwrap();
        let mut request = Request::new("POST", "/".into());
        request.host_prefix = Some("foo.bar.".into());
        block_on(client.send(request)).unwrap();
        let seen = capture.last_request().expect("a request");
        assert_eq!(seen.uri, format!("https://{host}/"));
        assert_eq!(seen.header("host"), Some(host));
    }
}

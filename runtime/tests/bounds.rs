//! The client's bounds against a misbehaving server on 127.0.0.1: a huge body, a stall, a slow
//! drip, a reset, oversized headers and a reply that is not HTTP. Each call ends within its bound
//! with the error kind that says what happened, retried only where another attempt could help.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use aws_codegen_runtime::{Client, Config, Credentials, Request, RetryConfig, ServiceInfo, TransportError};
use aws_codegen_runtime::{ConfigBuilder, TransportErrorKind};

static SERVICE: ServiceInfo = ServiceInfo {
    service_id: "Test",
    signing_name: "test",
    endpoint_prefix: "test",
    api_version: "2024-01-01",
    // No rules: the endpoint is the configured URL of the misbehaving server.
    endpoint_rules: "",
    partitions: "",
};

/// How long any server thread lives, whatever the client does.
const SERVER_LIFE: Duration = Duration::from_secs(10);

/// Accepts connections for [`SERVER_LIFE`], each handled by `behave` on a thread of its own
/// after the request head was read; counts the connections.
fn misbehaving(behave: fn(TcpStream)) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("address");
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    thread::spawn(move || {
        let end = Instant::now() + SERVER_LIFE;
        while Instant::now() < end {
            match listener.accept() {
                Ok((stream, _)) => {
                    counter.fetch_add(1, Ordering::SeqCst);
                    stream.set_nonblocking(false).expect("blocking");
                    stream.set_write_timeout(Some(SERVER_LIFE)).expect("timeout");
                    thread::spawn(move || behave(stream));
                }
                Err(_) => thread::sleep(Duration::from_millis(2)),
            }
        }
    });
    (addr, count)
}

/// Reads the request head (the test requests have no body).
fn read_head(stream: &mut TcpStream) {
    stream.set_read_timeout(Some(Duration::from_secs(2))).expect("timeout");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
}

fn config(addr: SocketAddr, attempts: u32) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://{addr}"))
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .retry(RetryConfig {
            max_attempts: attempts,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
}

/// One call; the error and how long it took.
fn call(config: ConfigBuilder) -> (TransportError, Duration) {
    let client = Client::new(&SERVICE, config.build().expect("config")).expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let started = Instant::now();
    let result = runtime.block_on(client.send(Request::new("GET", "/things".into())));
    let elapsed = started.elapsed();
    match result {
        Ok(response) => panic!("expected an error, got a response of status {}", response.status),
        Err(e) => (e, elapsed),
    }
}

#[test]
fn a_huge_body_with_its_length_fails_before_it_is_read() {
    let (addr, connections) = misbehaving(|mut s| {
        read_head(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 209715200\r\n\r\n");
        let chunk = vec![b'x'; 64 * 1024];
        while s.write_all(&chunk).is_ok() {}
    });
    let (err, elapsed) = call(config(addr, 3).max_response_body(1 << 20));
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");
    assert_eq!(err.attempts(), 1, "not retried: {err}");
    assert!(err.to_string().contains("209715200") && err.to_string().contains("1048576 bytes"), "{err}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[test]
fn a_huge_body_without_a_length_stops_at_the_limit() {
    let (addr, _) = misbehaving(|mut s| {
        read_head(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        let mut chunk = b"10000\r\n".to_vec();
        chunk.extend(vec![b'x'; 0x10000]);
        chunk.extend(b"\r\n");
        while s.write_all(&chunk).is_ok() {}
    });
    let (err, elapsed) = call(config(addr, 3).max_response_body(1 << 20));
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(
        err.to_string(),
        "response body too large: more than the limit of 1048576 bytes (max_response_body) (1 attempt)"
    );
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[test]
fn a_stalled_server_ends_the_call_at_the_operation_timeout() {
    let (addr, _) = misbehaving(|mut s| {
        read_head(&mut s);
        thread::sleep(SERVER_LIFE);
    });
    // Each attempt alone could wait 10 s, three of them 30 s: the call stops at 500 ms.
    let config = config(addr, 3).timeout(Duration::from_secs(10)).operation_timeout(Duration::from_millis(500));
    let (err, elapsed) = call(config);
    assert_eq!(err.kind(), TransportErrorKind::OperationTimeout, "{err}");
    assert!(err.is_timeout());
    assert_eq!(
        err.to_string(),
        "operation timed out: no complete response within the operation timeout of 500ms (1 attempt)"
    );
    assert!(elapsed >= Duration::from_millis(500) && elapsed < Duration::from_millis(1500), "{elapsed:?}");
}

/// Headers at once, then one byte of a long body every 20 ms.
fn drip(mut s: TcpStream) {
    read_head(&mut s);
    let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
    let end = Instant::now() + SERVER_LIFE;
    while Instant::now() < end && s.write_all(b"x").is_ok() {
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_slow_drip_times_out_each_attempt_then_the_call() {
    let (addr, connections) = misbehaving(drip);
    // Each attempt times out at 300 ms and is retried; the call ends at 1 s whatever is left.
    let config = config(addr, 10).timeout(Duration::from_millis(300)).operation_timeout(Duration::from_secs(1));
    let (err, elapsed) = call(config);
    assert_eq!(err.kind(), TransportErrorKind::OperationTimeout, "{err}");
    assert!(err.attempts() >= 3, "{err}");
    assert!(elapsed >= Duration::from_secs(1) && elapsed < Duration::from_millis(1800), "{elapsed:?}");
    assert_eq!(connections.load(Ordering::SeqCst), err.attempts() as usize);

    // With time to spare, the attempts run out first, each ending at its own timeout.
    let (addr, _) = misbehaving(drip);
    let (err, elapsed) = call(config_two(addr));
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert_eq!(err.attempts(), 2);
    assert!(elapsed >= Duration::from_millis(600) && elapsed < Duration::from_millis(1500), "{elapsed:?}");
}

fn config_two(addr: SocketAddr) -> ConfigBuilder {
    config(addr, 2).timeout(Duration::from_millis(300))
}

#[test]
fn a_reset_connection_is_retried_then_reported_as_such() {
    let (addr, connections) = misbehaving(|s| {
        // The request arrives and is never read: closing then sends a reset.
        thread::sleep(Duration::from_millis(100));
        drop(s);
    });
    let (err, elapsed) = call(config(addr, 3));
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert_eq!(err.attempts(), 3, "a reset may not happen again: retried");
    assert_eq!(connections.load(Ordering::SeqCst), 3);
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[test]
fn oversized_headers_are_not_retried() {
    let (addr, connections) = misbehaving(|mut s| {
        read_head(&mut s);
        let mut reply = b"HTTP/1.1 200 OK\r\nX-Big: ".to_vec();
        reply.extend(vec![b'a'; 1 << 20]);
        reply.extend(b"\r\nContent-Length: 0\r\n\r\n");
        let _ = s.write_all(&reply);
    });
    let (err, elapsed) = call(config(addr, 3));
    assert_eq!(err.kind(), TransportErrorKind::HeadersTooLarge, "{err}");
    assert_eq!(err.attempts(), 1, "{err}");
    assert!(err.to_string().starts_with("response headers too large"), "{err}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[test]
fn a_reply_that_is_not_http_is_not_retried() {
    let (addr, connections) = misbehaving(|mut s| {
        read_head(&mut s);
        let _ = s.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n");
        thread::sleep(Duration::from_millis(200));
    });
    let (err, elapsed) = call(config(addr, 3));
    assert_eq!(err.kind(), TransportErrorKind::NotHttp, "{err}");
    assert_eq!(err.attempts(), 1, "{err}");
    assert!(err.to_string().starts_with("reply is not HTTP"), "{err}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

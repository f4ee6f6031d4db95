//! The connection pool against a keep-alive server on 127.0.0.1 (std threads, bounded in
//! connections, requests and time): connections are reused, and one the server closed is replaced
//! without failing the call.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use aws_codegen_runtime::{Client, Config, Credentials, Request, RetryConfig, ServiceInfo};

static SERVICE: ServiceInfo = ServiceInfo {
    service_id: "ApiGatewayV2",
    signing_name: "apigateway",
    endpoint_prefix: "apigateway",
    api_version: "2018-11-29",
    endpoint_rules: "",
    partitions: "",
};

/// What the server saw: connections accepted, and each request line with its connection's number.
#[derive(Default)]
struct Log {
    connections: AtomicUsize,
    requests: Mutex<Vec<(usize, String)>>,
}

/// A keep-alive server answering `200 {"n":<request number>}` to every request. With
/// `requests_per_connection`, it closes a connection (silently, as an idle timeout would) after
/// that many answers. Stops accepting after 5 s.
fn serve(requests_per_connection: usize) -> (SocketAddr, Arc<Log>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(Log::default());
    let server_log = log.clone();
    thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    let number = server_log.connections.fetch_add(1, Ordering::SeqCst);
                    let log = server_log.clone();
                    thread::spawn(move || serve_connection(stream, number, requests_per_connection, &log));
                }
                Err(_) => thread::sleep(Duration::from_millis(2)),
            }
        }
    });
    (addr, log)
}

fn serve_connection(stream: TcpStream, number: usize, limit: usize, log: &Log) {
    stream.set_nonblocking(false).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    for _ in 0..limit {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let n = {
            let mut requests = log.requests.lock().unwrap();
            requests.push((number, line.trim_end().to_owned()));
            requests.len()
        };
        let body = format!("{{\"n\":{n}}}");
        let answer = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

fn client(addr: SocketAddr) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url(format!("http://{addr}"))
        .credentials(Credentials::new("AKIDEXAMPLE", "s3cr3t-value", None))
        // One attempt: a replaced connection must not cost the call a retry.
        .retry(RetryConfig { max_attempts: 1, ..RetryConfig::default() })
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    Client::new(&SERVICE, config).unwrap()
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

#[test]
fn sequential_calls_share_one_connection_and_send_the_origin_form() {
    let (addr, log) = serve(100);
    let client = client(addr);
    block_on(async {
        for n in 1..=3 {
            let response = client.send(Request::new("GET", "/v2/apis?maxResults=2".into())).await.unwrap();
            assert_eq!(response.status, 200);
            assert_eq!(response.body, format!("{{\"n\":{n}}}").as_bytes());
        }
    });
    assert_eq!(log.connections.load(Ordering::SeqCst), 1);
    let requests = log.requests.lock().unwrap();
    assert_eq!(requests.len(), 3);
    for (connection, line) in requests.iter() {
        assert_eq!(*connection, 0);
        assert_eq!(line, "GET /v2/apis?maxResults=2 HTTP/1.1");
    }
}

#[test]
fn a_connection_the_server_closed_is_replaced_without_failing_the_call() {
    // One answer per connection, then the server closes it without saying so beforehand.
    let (addr, log) = serve(1);
    let client = client(addr);
    block_on(async {
        for n in 1..=3 {
            // Time for the close to arrive, as between calls of a real program.
            tokio::time::sleep(Duration::from_millis(50)).await;
            let response = client.send(Request::new("GET", "/".into())).await.unwrap();
            assert_eq!(response.body, format!("{{\"n\":{n}}}").as_bytes());
        }
    });
    assert_eq!(log.connections.load(Ordering::SeqCst), 3);
}

#[test]
fn concurrent_calls_open_connections_that_later_calls_reuse() {
    let (addr, log) = serve(100);
    let client = client(addr);
    block_on(async {
        let calls = (0..4).map(|_| client.send(Request::new("GET", "/".into())));
        for response in futures_join(calls).await {
            assert_eq!(response.unwrap().status, 200);
        }
        let opened = log.connections.load(Ordering::SeqCst);
        assert!((1..=4).contains(&opened), "{opened} connections");
        for _ in 0..4 {
            client.send(Request::new("GET", "/".into())).await.unwrap();
        }
        assert_eq!(log.connections.load(Ordering::SeqCst), opened, "the later calls reused the pool");
    });
    assert_eq!(log.requests.lock().unwrap().len(), 8);
}

/// Runs the futures concurrently on the current task (no futures crate among the test's dependencies).
async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut tasks: Vec<_> = futures.map(|f| Some(Box::pin(f))).collect();
    let mut outputs: Vec<Option<F::Output>> = tasks.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (task, output) in tasks.iter_mut().zip(outputs.iter_mut()) {
            if let Some(future) = task {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => {
                        *output = Some(value);
                        *task = None;
                    }
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(|o| o.expect("every future finished")).collect()
}

//! The program `cargo xtask bench-call` builds in a scratch project (see xtask/src/bench_call.rs).
//!
//! `server`: a canned ApiGatewayV2 endpoint on 127.0.0.1 (GetApis and CreateApi), one thread;
//! prints its port and serves until killed.
//! `client <ours|official|raw> <get|create|get64> <calls> <port>`: warms up, makes `calls` calls,
//! then prints `calls/s  client CPU µs per call  peak RSS KiB` on one line.

use std::convert::Infallible;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};

/// Items in the canned GetApis reply (about 10.7 KB of JSON, as in the issue).
const ITEMS: usize = 25;
/// Calls in flight in the concurrent scenario.
const CONCURRENCY: usize = 64;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("server") => server(),
        Some("client") if args.len() == 5 => {
            let calls: usize = args[3].parse().expect("calls");
            let port: u16 = args[4].parse().expect("port");
            client(&args[1], &args[2], calls, port);
        }
        _ => {
            eprintln!("usage: bench-call server | client <ours|official|raw> <get|create|get64> <calls> <port>");
            std::process::exit(2);
        }
    }
}

// ---- the canned server ----

fn api_json(i: usize) -> String {
    format!(
        concat!(
            r#"{{"apiEndpoint":"https://a1b2c3d{i:03}.execute-api.us-east-1.amazonaws.com","apiId":"a1b2c3d{i:03}","#,
            r#""apiKeySelectionExpression":"$request.header.x-api-key","createdDate":"2026-11-{day:02}T06:17:28Z","#,
            r#""description":"Orders service API number {i}, fronting the order and billing handlers","#,
            r#""disableExecuteApiEndpoint":false,"name":"orders-api-{i}","protocolType":"HTTP","#,
            r#""routeSelectionExpression":"${{request.method}} ${{request.path}}","#,
            r#""corsConfiguration":{{"allowOrigins":["https://example.com"],"allowMethods":["GET","POST"],"maxAge":300}},"#,
            r#""tags":{{"team":"orders","stage":"prod","cost-center":"cc-{i:04}"}},"version":"2026-11-30","#,
            r#""ipAddressType":"ipv4","warnings":[]}}"#
        ),
        i = i,
        day = i % 28 + 1
    )
}

fn get_apis_body() -> Bytes {
    let items: Vec<String> = (0..ITEMS).map(api_json).collect();
    Bytes::from(format!(r#"{{"items":[{}],"nextToken":"eyJsYXN0IjoiYTFiMmMzZDAyNCJ9"}}"#, items.join(",")))
}

fn server() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        println!("{}", listener.local_addr().expect("addr").port());
        let get = get_apis_body();
        let create = Bytes::from(api_json(7));
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let _ = stream.set_nodelay(true);
            let (get, create) = (get.clone(), create.clone());
            let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let (get, create) = (get.clone(), create.clone());
                async move {
                    let post = req.method() == hyper::Method::POST;
                    // Read the request body so the connection stays reusable.
                    let _ = req.into_body().collect().await;
                    let (status, body) = if post { (201, create) } else { (200, get) };
                    Ok::<_, Infallible>(
                        hyper::Response::builder()
                            .status(status)
                            .header("content-type", "application/json")
                            .header("x-amzn-requestid", "1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d")
                            .body(Full::new(body))
                            .expect("response"),
                    )
                }
            });
            serve(stream, service);
        }
    });
}

/// Serves one connection on its own task.
fn serve<S>(stream: tokio::net::TcpStream, service: S)
where
    S: hyper::service::Service<
            hyper::Request<hyper::body::Incoming>,
            Response = hyper::Response<Full<Bytes>>,
            Error = Infallible,
        > + Send
        + 'static,
    S::Future: Send + 'static,
{
    tokio::spawn(async move {
        let io = hyper_util::rt::TokioIo::new(stream);
        let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
    });
}

// ---- the clients ----

/// One client under test: makes one call of the scenario.
#[derive(Clone)]
enum Caller {
    Ours(aws_apigatewayv2_client::Client),
    Official(aws_sdk_apigatewayv2::Client),
    Raw(RawClient),
}

#[derive(Clone)]
struct RawClient {
    http: hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    base: String,
}

/// The body our client sends for CreateApi (the raw client sends the same bytes).
const CREATE_BODY: &str = r#"{"name":"orders-api","protocolType":"HTTP"}"#;

impl Caller {
    fn new(which: &str, port: u16) -> Caller {
        let url = format!("http://127.0.0.1:{port}");
        match which {
            "ours" => {
                let config = aws_apigatewayv2_client::Config::builder()
                    .region("us-east-1")
                    .endpoint_url(url)
                    .credentials(aws_apigatewayv2_client::Credentials::new("AKIDEXAMPLE", "SECRET", None))
                    .build()
                    .expect("config");
                Caller::Ours(aws_apigatewayv2_client::Client::new(config).expect("client"))
            }
            "official" => {
                use aws_sdk_apigatewayv2::config::{BehaviorVersion, Credentials, Region};
                let config = aws_sdk_apigatewayv2::Config::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(Region::new("us-east-1"))
                    .endpoint_url(url)
                    .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "static"))
                    .http_client(aws_smithy_http_client::Builder::new().build_http())
                    .build();
                Caller::Official(aws_sdk_apigatewayv2::Client::from_conf(config))
            }
            "raw" => {
                let http =
                    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
                Caller::Raw(RawClient { http, base: url })
            }
            other => panic!("unknown client {other}"),
        }
    }

    async fn call(&self, create: bool) {
        match self {
            Caller::Ours(c) => {
                if create {
                    let input = aws_apigatewayv2_client::types::CreateApiRequest::builder()
                        .name("orders-api")
                        .protocol_type(aws_apigatewayv2_client::types::ProtocolType::Http)
                        .build()
                        .expect("input");
                    let out = c.create_api(input).await.expect("CreateApi");
                    assert!(out.api_id.is_some());
                } else {
                    let input = aws_apigatewayv2_client::types::GetApisRequest::builder().build().expect("input");
                    let out = c.get_apis(input).await.expect("GetApis");
                    assert_eq!(out.items.map_or(0, |i| i.len()), ITEMS);
                }
            }
            Caller::Official(c) => {
                if create {
                    let out = c
                        .create_api()
                        .name("orders-api")
                        .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
                        .send()
                        .await
                        .expect("CreateApi");
                    assert!(out.api_id.is_some());
                } else {
                    let out = c.get_apis().send().await.expect("GetApis");
                    assert_eq!(out.items.map_or(0, |i| i.len()), ITEMS);
                }
            }
            Caller::Raw(c) => {
                // The headers a signed call carries, precomputed: no signing, no JSON.
                let builder = hyper::Request::builder()
                    .method(if create { "POST" } else { "GET" })
                    .uri(format!("{}/v2/apis", c.base))
                    .header("x-amz-date", "20261130T061728Z")
                    .header("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                    .header(
                        "authorization",
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/apigateway/aws4_request, \
                         SignedHeaders=host;x-amz-content-sha256;x-amz-date, \
                         Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
                    )
                    .header("user-agent", "bench-call/0.0");
                let request = if create {
                    builder
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from_static(CREATE_BODY.as_bytes())))
                } else {
                    builder.body(Full::new(Bytes::new()))
                };
                let response = c.http.request(request.expect("request")).await.expect("raw call");
                assert!(response.status().is_success());
                let body = response.into_body().collect().await.expect("body").to_bytes();
                assert!(!body.is_empty());
            }
        }
    }
}

/// User + system CPU of this process so far, in µs.
fn cpu_us() -> u64 {
    let mut ru = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes the struct it is given; RUSAGE_SELF is always valid.
    let ru = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, ru.as_mut_ptr());
        ru.assume_init()
    };
    let us = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    us(ru.ru_utime) + us(ru.ru_stime)
}

/// Peak RSS of this process in KiB: `VmHWM`, which starts again at exec (getrusage's
/// `ru_maxrss` keeps the parent's peak from before the exec).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn client(which: &str, scenario: &str, calls: usize, port: u16) {
    let (create, concurrent) = match scenario {
        "get" => (false, false),
        "create" => (true, false),
        "get64" => (false, true),
        other => panic!("unknown scenario {other}"),
    };
    let rt = if concurrent {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()
    } else {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    }
    .expect("runtime");
    let warm_up = (calls / 10).clamp(50, 1000);
    let (elapsed, cpu) = rt.block_on(async {
        let caller = Caller::new(which, port);
        run(&caller, create, concurrent, warm_up).await;
        let cpu0 = cpu_us();
        let start = Instant::now();
        run(&caller, create, concurrent, calls).await;
        (start.elapsed(), cpu_us() - cpu0)
    });
    let rss = peak_rss_kib();
    println!("{:.1} {:.1} {}", calls as f64 / elapsed.as_secs_f64(), cpu as f64 / calls as f64, rss);
}

async fn run(caller: &Caller, create: bool, concurrent: bool, calls: usize) {
    if !concurrent {
        for _ in 0..calls {
            caller.call(create).await;
        }
        return;
    }
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (caller, next) = (caller.clone(), next.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < calls {
                    caller.call(create).await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
}

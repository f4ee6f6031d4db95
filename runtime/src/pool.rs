//! HTTP/1.1 connections: opened with tokio (and rustls for `https`), driven by hyper's connection
//! API, and kept for reuse in a small pool per client.
//!
//! Written here rather than taken from hyper-util's `client-legacy`: that client brings
//! futures-util, futures-channel, tracing and tower-service, and it sits on the build's critical
//! path (tokio, hyper, hyper-util, this crate, the service crate). What a service client needs of it
//! is small: one connection per request in flight, reused when the response was read to its end,
//! idle ones dropped after a while, a request that never left a dead connection sent again on a
//! new one.

use std::error::Error;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::{ConfigError, Response, TransportError, TransportErrorKind};

/// How long an unused connection is kept: less than the idle limit of AWS's front ends, so that a
/// reused connection is rarely one the server is closing.
const IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// A pool of connections to the origins of one client (cheap to clone: the pool is shared).
#[derive(Clone)]
pub(crate) struct HttpClient {
    shared: Arc<Shared>,
}

struct Shared {
    connect_timeout: Duration,
    #[cfg(feature = "rustls")]
    tls: Option<tokio_rustls::TlsConnector>,
    idle: Mutex<Vec<Idle>>,
}

/// A connection waiting for its next request.
struct Idle {
    origin: Origin,
    sender: SendRequest<Full<Bytes>>,
    since: Instant,
}

/// Where a connection goes: scheme, host (no brackets around an IPv6 address) and port.
#[derive(Clone, PartialEq, Eq)]
struct Origin {
    https: bool,
    host: Box<str>,
    port: u16,
}

/// A connection lent to one request: give it back with [`Lease::release`] once the response's body
/// was read to its end, or drop it (the connection closes).
struct Lease {
    pool: HttpClient,
    origin: Origin,
    sender: SendRequest<Full<Bytes>>,
}

impl Lease {
    /// Returns the connection to the pool for the next request to the same origin.
    fn release(self) {
        if self.sender.is_closed() {
            return;
        }
        let mut idle = self.pool.shared.idle.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        idle.retain(|c| now.duration_since(c.since) < IDLE_TIMEOUT && !c.sender.is_closed());
        idle.push(Idle { origin: self.origin, sender: self.sender, since: now });
    }
}

/// The stream under a connection.
enum Stream {
    Plain(TcpStream),
    #[cfg(feature = "rustls")]
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl HttpClient {
    /// A pool whose connections open within `connect_timeout`. With `https`, the system's root
    /// certificates are loaded (once per process); without the `rustls` feature, `https` is refused.
    pub(crate) fn new(connect_timeout: Duration, https: bool) -> Result<HttpClient, ConfigError> {
        #[cfg(feature = "rustls")]
        let tls = if https { Some(tls::connector(tls::roots()?)?) } else { None };
        #[cfg(not(feature = "rustls"))]
        if https {
            return Err(ConfigError::invalid(
                "endpoint_url",
                "an https endpoint needs the `rustls` feature of aws-codegen-runtime",
            ));
        }
        Ok(HttpClient {
            shared: Arc::new(Shared {
                connect_timeout,
                #[cfg(feature = "rustls")]
                tls,
                idle: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Sends `request` (an absolute URI) on an idle connection to its origin, or a new one. The
    /// request goes out in origin form, with a `Host` header if it had none.
    async fn send(
        &self,
        mut request: http::Request<Full<Bytes>>,
    ) -> Result<(http::Response<Incoming>, Lease), TransportError> {
        let origin = Origin::of(request.uri())?;
        if !request.headers().contains_key(http::header::HOST) {
            let host = request.uri().authority().map(|a| a.as_str()).unwrap_or_default();
            let host = http::HeaderValue::from_str(host).map_err(|_| invalid(format!("bad host `{host}`")))?;
            request.headers_mut().insert(http::header::HOST, host);
        }
        let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        *request.uri_mut() = path.parse().map_err(|_| invalid(format!("bad path `{path}`")))?;

        // An idle connection may have been closed by the server meanwhile: if the request did not
        // leave it, it comes back and goes on the next connection.
        while let Some(mut sender) = self.checkout(&origin) {
            if sender.ready().await.is_err() {
                continue;
            }
            match sender.try_send_request(request).await {
                Ok(response) => return Ok((response, Lease { pool: self.clone(), origin, sender })),
                Err(mut e) => match e.take_message() {
                    Some(unsent) => request = unsent,
                    None => return Err(hyper_error(e.into_error())),
                },
            }
        }
        let mut sender = self.connect(&origin).await?;
        let response = sender.send_request(request).await.map_err(hyper_error)?;
        Ok((response, Lease { pool: self.clone(), origin, sender }))
    }

    /// The most recently used live connection to `origin`, if any.
    fn checkout(&self, origin: &Origin) -> Option<SendRequest<Full<Bytes>>> {
        let mut idle = self.shared.idle.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        while let Some(i) = idle.iter().rposition(|c| c.origin == *origin) {
            let c = idle.swap_remove(i);
            if now.duration_since(c.since) < IDLE_TIMEOUT && !c.sender.is_closed() {
                return Some(c.sender);
            }
        }
        None
    }

    /// Opens a connection (TCP, then TLS for `https`) and starts driving it on the runtime.
    async fn connect(&self, origin: &Origin) -> Result<SendRequest<Full<Bytes>>, TransportError> {
        let timeout = self.shared.connect_timeout;
        let address = (&*origin.host, origin.port);
        let connect_error = |message: String, source: Option<std::io::Error>| {
            let source = source.map(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>);
            TransportError::new(TransportErrorKind::Connect, message, source)
        };
        let opened = async {
            let tcp = TcpStream::connect(address)
                .await
                .map_err(|e| connect_error(format!("connecting to {}:{}: {e}", origin.host, origin.port), Some(e)))?;
            // Requests are written whole; waiting to fill a segment only adds latency.
            let _ = tcp.set_nodelay(true);
            self.secure(tcp, origin).await
        };
        let stream = match tokio::time::timeout(timeout, opened).await {
            Ok(stream) => stream?,
            Err(_) => {
                return Err(connect_error(
                    format!("connecting to {}:{}: no connection within {timeout:?}", origin.host, origin.port),
                    None,
                ))
            }
        };
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await.map_err(hyper_error)?;
        // The connection ends by itself when its last sender is dropped or the server closes it.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(sender)
    }

    #[cfg(feature = "rustls")]
    async fn secure(&self, tcp: TcpStream, origin: &Origin) -> Result<Stream, TransportError> {
        let Some(tls) = &self.shared.tls else {
            return Ok(Stream::Plain(tcp));
        };
        let name = rustls::pki_types::ServerName::try_from(origin.host.to_string())
            .map_err(|_| invalid(format!("`{}` is not a TLS server name", origin.host)))?;
        let stream = tls.connect(name, tcp).await.map_err(|e| {
            let message = format!("TLS with {}:{}: {e}", origin.host, origin.port);
            TransportError::new(TransportErrorKind::Connect, message, Some(Box::new(e)))
        })?;
        Ok(Stream::Tls(Box::new(stream)))
    }

    #[cfg(not(feature = "rustls"))]
    async fn secure(&self, tcp: TcpStream, _origin: &Origin) -> Result<Stream, TransportError> {
        Ok(Stream::Plain(tcp))
    }

    /// Sends `request` and reads the whole response, of at most `limit` bytes of body (also what
    /// the credential providers that fetch over HTTP use: the container endpoint and IMDS).
    pub(crate) async fn exchange(
        &self,
        request: http::Request<Full<Bytes>>,
        limit: usize,
    ) -> Result<Response, TransportError> {
        let (response, connection) = self.send(request).await?;
        let (parts, body) = response.into_parts();
        // A declared length over the limit fails before a byte of the body is read.
        let declared =
            parts.headers.get(http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if let Some(len) = declared.filter(|len| *len > limit as u64) {
            return Err(TransportError::body_too_large(limit, Some(len)));
        }
        // The body's frames are copied once, into a buffer of the declared length: collecting them
        // first and converting after would allocate and copy twice (hyper's frames share its read
        // buffer, so none can become the Vec without a copy).
        let mut body = http_body_util::Limited::new(body, limit);
        let mut bytes = Vec::with_capacity(declared.map_or(0, |len| len as usize));
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| {
                if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
                    return TransportError::body_too_large(limit, None);
                }
                let kind = match e.downcast_ref::<hyper::Error>() {
                    Some(e) => kind_of(e),
                    None => TransportErrorKind::Io,
                };
                TransportError::new(kind, format!("reading the body: {}", error_chain(&*e)), Some(e))
            })?;
            if let Some(data) = frame.data_ref() {
                bytes.extend_from_slice(data);
            }
        }
        // Read to its end: the connection can take the next request.
        connection.release();
        let mut headers = Vec::with_capacity(parts.headers.len());
        for (n, v) in &parts.headers {
            headers.push((n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()));
        }
        Ok(Response { status: parts.status.as_u16(), headers, body: bytes })
    }
}

/// What a hyper error (or one it causes) says happened: headers too large and a reply that is
/// not HTTP are told apart from a connection that failed, since retrying them cannot help.
fn kind_of(e: &(dyn Error + 'static)) -> TransportErrorKind {
    let mut current = Some(e);
    while let Some(e) = current {
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            // `is_parse_too_large` needs hyper's `server` feature: its message says the same
            // ("message head is too large"; too many headers is the same error).
            if h.is_parse() && h.to_string().contains("too large") {
                return TransportErrorKind::HeadersTooLarge;
            }
            if h.is_parse() || h.is_parse_status() {
                return TransportErrorKind::NotHttp;
            }
        }
        current = e.source();
    }
    TransportErrorKind::Io
}

/// An error's message followed by its sources' messages.
fn error_chain(e: &dyn Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

impl Origin {
    fn of(uri: &http::Uri) -> Result<Origin, TransportError> {
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(invalid(format!("`{uri}` is not an http or https URL"))),
        };
        let host = uri.host().ok_or_else(|| invalid(format!("`{uri}` has no host")))?;
        let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        Ok(Origin { https, host: host.into(), port })
    }
}

fn invalid(message: String) -> TransportError {
    TransportError::new(TransportErrorKind::InvalidRequest, message, None)
}

/// A hyper error of a request: its kind as [`kind_of`] tells it, and its chain of messages.
fn hyper_error(e: hyper::Error) -> TransportError {
    let kind = kind_of(&e);
    TransportError::new(kind, error_chain(&e), Some(Box::new(e)))
}

impl tokio::io::AsyncRead for Stream {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => std::pin::Pin::new(s).poll_read(cx, buf),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => std::pin::Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl tokio::io::AsyncWrite for Stream {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => std::pin::Pin::new(s).poll_write(cx, buf),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => std::pin::Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => std::pin::Pin::new(s).poll_write_vectored(cx, bufs),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => std::pin::Pin::new(s).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Plain(s) => s.is_write_vectored(),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => std::pin::Pin::new(s).poll_flush(cx),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => std::pin::Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => std::pin::Pin::new(s).poll_shutdown(cx),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => std::pin::Pin::new(s).poll_shutdown(cx),
        }
    }
}

#[cfg(feature = "rustls")]
mod tls {
    use std::sync::{Arc, OnceLock};

    use rustls::{ClientConfig, RootCertStore};

    use crate::ConfigError;

    /// The TLS side of `https` connections: `roots`, ring's crypto, HTTP/1.1 by ALPN.
    pub(super) fn connector(roots: Arc<RootCertStore>) -> Result<tokio_rustls::TlsConnector, ConfigError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| ConfigError::invalid("tls", e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
    }

    /// The system's root certificates, loaded once per process.
    pub(super) fn roots() -> Result<Arc<RootCertStore>, ConfigError> {
        static ROOTS: OnceLock<Result<Arc<RootCertStore>, String>> = OnceLock::new();
        let roots = ROOTS.get_or_init(|| {
            let found = rustls_native_certs::load_native_certs();
            let mut store = RootCertStore::empty();
            let (added, _unparsable) = store.add_parsable_certificates(found.certs);
            if added == 0 {
                let errors: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
                return Err(format!("no root certificates found on this system ({})", errors.join("; ")));
            }
            Ok(Arc::new(store))
        });
        roots.clone().map_err(|e| ConfigError::invalid("tls", e))
    }
}

#[cfg(all(test, feature = "rustls"))]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::{tls, HttpClient, Shared};

    /// A certificate for `localhost` and its key, made by the `openssl` command in a temporary folder.
    fn certificate() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let dir = std::env::temp_dir().join(format!("aws-codegen-pool-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let status = std::process::Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1"])
            .args(["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"])
            .args(["-addext", "basicConstraints=critical,CA:FALSE"])
            .args(["-keyout", "key.pem", "-out", "cert.pem"])
            .current_dir(&dir)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("this test needs the `openssl` command");
        assert!(status.success(), "openssl req failed");
        let cert = CertificateDer::from_pem_file(dir.join("cert.pem")).unwrap();
        let key = PrivateKeyDer::from_pem_file(dir.join("key.pem")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        (cert, key)
    }

    /// Two requests over HTTPS to a rustls server on 127.0.0.1 whose certificate the client trusts:
    /// both answered, on one connection, with the server name checked (`localhost`).
    #[test]
    fn https_requests_share_a_verified_connection() {
        let (cert, key) = certificate();
        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert.clone()).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let server = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let connections = Arc::new(Mutex::new(0));
            let counted = connections.clone();
            tokio::spawn(async move {
                while let Ok((tcp, _)) = listener.accept().await {
                    *counted.lock().unwrap() += 1;
                    let Ok(mut tls) = acceptor.accept(tcp).await else { continue };
                    tokio::spawn(async move {
                        let mut buffer = Vec::new();
                        let mut chunk = [0u8; 1024];
                        for n in 1..=2 {
                            while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                                match tls.read(&mut chunk).await {
                                    Ok(0) | Err(_) => return,
                                    Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                                }
                            }
                            buffer.clear();
                            let answer = format!("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n{n}");
                            if tls.write_all(answer.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    });
                }
            });

            let client = HttpClient {
                shared: Arc::new(Shared {
                    connect_timeout: Duration::from_secs(2),
                    tls: Some(tls::connector(Arc::new(roots)).unwrap()),
                    idle: Mutex::new(Vec::new()),
                }),
            };
            for n in 1..=2 {
                let mut request = http::Request::new(Full::new(Bytes::new()));
                *request.uri_mut() = format!("https://localhost:{port}/ping").parse().unwrap();
                let (response, lease) = client.send(request).await.unwrap();
                let body = response.into_body().collect().await.unwrap().to_bytes();
                lease.release();
                assert_eq!(body, n.to_string().as_bytes());
            }
            assert_eq!(*connections.lock().unwrap(), 1);

            // A name the certificate does not carry is refused before any request is sent.
            let mut request = http::Request::new(Full::new(Bytes::new()));
            *request.uri_mut() = format!("https://127.0.0.1:{port}/ping").parse().unwrap();
            let error = client.send(request).await.err().expect("a certificate for another name");
            assert_eq!(error.kind(), crate::TransportErrorKind::Connect, "{error}");
            assert!(error.to_string().contains("TLS with 127.0.0.1"), "{error}");
        });
    }
}

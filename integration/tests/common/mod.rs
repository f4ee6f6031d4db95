//! Helpers shared by the integration tests: the Python venv, child processes that are killed on
//! drop, free ports, a minimal HTTP/1.1 request over `std::net`, scratch directories, moto's
//! server and boto3's calls (`python/boto3_calls.py`).
#![allow(dead_code)] // each test binary uses a different subset

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// The integration crate's folder.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python venv of the tests: `$CODEGEN_VENV`, or `~/.cache/aws-codegen/venv`.
pub fn venv_dir() -> PathBuf {
    if let Some(v) = std::env::var_os("CODEGEN_VENV").filter(|v| !v.is_empty()) {
        return PathBuf::from(v);
    }
    let home = std::env::var_os("HOME")
        .expect("HOME is not set (needed to find ~/.cache/aws-codegen/venv; or set CODEGEN_VENV)");
    PathBuf::from(home).join(".cache/aws-codegen/venv")
}

/// A program of the venv (`python`, `moto_server`); panics, naming `setup-venv.sh`, when missing.
pub fn venv_bin(name: &str) -> PathBuf {
    let venv = venv_dir();
    let bin = venv.join("bin").join(name);
    if !bin.exists() {
        panic!(
            "{} not found: the Python venv of the integration tests is missing or incomplete.\n\
             Create it with `integration/setup-venv.sh` (it installs integration/requirements.txt into \
             $CODEGEN_VENV, default ~/.cache/aws-codegen/venv).",
            bin.display()
        );
    }
    bin
}

/// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local_addr").port()
}

/// A scratch directory, removed on drop unless the thread is panicking or `INTEGRATION_KEEP_LOGS`
/// is set (then kept, with its logs and recorded requests).
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new(tag: &str) -> Self {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("aws-codegen-it-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        ScratchDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if std::thread::panicking() || std::env::var_os("INTEGRATION_KEEP_LOGS").is_some() {
            eprintln!("(logs kept in {})", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A child process that is killed (and reaped) when dropped, also when a test panics.
pub struct ChildGuard {
    pub name: String,
    pub child: Child,
    /// Held open so a child that waits for end of file on stdin lives as long as the guard.
    pub stdin: Option<ChildStdin>,
    /// Where its stdout and stderr go, if to a file.
    pub log: Option<PathBuf>,
}

impl ChildGuard {
    /// Spawns `cmd` with stdout and stderr appended to `log`.
    pub fn spawn_logged(name: &str, mut cmd: Command, log: &Path) -> Self {
        let out = std::fs::File::create(log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let err = out.try_clone().expect("clone log file handle");
        cmd.stdin(Stdio::null()).stdout(out).stderr(err);
        let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        ChildGuard { name: name.to_string(), child, stdin: None, log: Some(log.to_path_buf()) }
    }

    /// The child's exit status, if it has exited.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// The last lines of its log, for error messages.
    pub fn log_tail(&self) -> String {
        match &self.log {
            Some(path) => {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                let lines: Vec<&str> = text.lines().collect();
                let start = lines.len().saturating_sub(30);
                format!("--- last lines of {} ---\n{}", path.display(), lines[start..].join("\n"))
            }
            None => String::new(),
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if self.exited().is_none() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Sends one HTTP/1.1 request (with `Connection: close`) to 127.0.0.1:`port` and returns the status
/// and body. Bounded: 5 s to connect and for each read or write.
pub fn http_request(port: u16, method: &str, path: &str, body: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut content_length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                content_length = v.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = Vec::new();
    match content_length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body)?;
        }
        None => {
            reader.read_to_end(&mut body)?;
        }
    }
    Ok((status, body))
}

/// Polls `f` every 100 ms until it returns `Some`, or panics after `limit` with `what`; an `Err`
/// from `f` panics at once.
pub fn wait_until<T>(limit: Duration, what: &str, mut f: impl FnMut() -> Result<Option<T>, String>) -> T {
    let start = Instant::now();
    loop {
        match f() {
            Ok(Some(v)) => return v,
            Ok(None) if start.elapsed() > limit => panic!("{what}: not ready within {limit:?}"),
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("{what}: {e}"),
        }
    }
}

/// Prints a line to stderr past the test harness's output capture, so the summaries show in a
/// plain `cargo test` run too.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Upper bound for moto to start answering.
const STARTUP_LIMIT: Duration = Duration::from_secs(20);

/// A running `moto_server`, killed on drop.
pub struct Moto {
    // Declared first: dropped (killed) before the scratch directory is removed.
    pub server: ChildGuard,
    pub port: u16,
    _dir: ScratchDir,
}

impl Moto {
    pub fn start() -> Moto {
        let moto_server = venv_bin("moto_server");
        let dir = ScratchDir::new("moto");
        let port = free_port();
        let mut cmd = Command::new(&moto_server);
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
        let mut server = ChildGuard::spawn_logged("moto_server", cmd, &dir.path().join("moto.log"));
        let started = std::time::Instant::now();
        wait_until(STARTUP_LIMIT, "moto_server did not start", || {
            if let Some(status) = server.exited() {
                return Err(format!("moto_server exited ({status}) on port {port}\n{}", server.log_tail()));
            }
            Ok(match http_request(port, "POST", "/moto-api/reset", b"") {
                Ok((200, _)) => Some(()),
                _ => None,
            })
        });
        say(&format!("moto: moto_server ready on 127.0.0.1:{port} after {:?}", started.elapsed()));
        Moto { server, port, _dir: dir }
    }

    pub fn reset(&mut self) {
        match http_request(self.port, "POST", "/moto-api/reset", b"") {
            Ok((200, _)) => {}
            other => panic!("POST /moto-api/reset failed: {other:?}\n{}", self.server.log_tail()),
        }
    }

    /// Its URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Upper bound for `boto3_calls.py` to send all its cases.
const BOTO3_LIMIT: Duration = Duration::from_secs(120);

/// Sends the cases of `cases_path` (`{"name", "operation", "params"}` with boto3's parameter
/// names) through boto3's `service` client to `endpoint`, by `python/boto3_calls.py` of
/// `integration` (the integration crate's folder), its stderr in `dir/boto3.log`: per case `Ok`
/// or the error boto3 raised.
pub fn boto3_calls(
    integration: &Path,
    service: &str,
    cases_path: &Path,
    endpoint: &str,
    dir: &Path,
) -> Vec<Result<(), String>> {
    let script = integration.join("python/boto3_calls.py");
    let log = dir.join("boto3.log");
    let err = std::fs::File::create(&log).expect("create log");
    let mut child = Command::new(venv_bin("python"))
        .arg(&script)
        .arg(cases_path)
        .arg(endpoint)
        .arg(service)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", script.display()));
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let mut guard = ChildGuard { name: "boto3_calls.py".into(), child, stdin: None, log: Some(log) };
    let status = wait_until(BOTO3_LIMIT, "boto3_calls.py did not finish", || Ok(guard.exited()));
    let out = reader.join().expect("stdout reader");
    if !status.success() {
        panic!("boto3_calls.py failed ({status})\n{}", guard.log_tail());
    }
    let results: Vec<serde_json::Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("boto3_calls.py output is not JSON ({e}): {out}"));
    results
        .iter()
        .map(|r| match r.get("ok").and_then(serde_json::Value::as_bool) {
            Some(true) => Ok(()),
            _ => Err(r.get("error").and_then(serde_json::Value::as_str).unwrap_or("?").to_string()),
        })
        .collect()
}

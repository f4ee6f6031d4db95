//! `credential_process`: a command whose standard output is a JSON credentials document
//! (`Version: 1`, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken` and `Expiration`).
//!
//! The command line runs through the shell (`sh -c`, `cmd /C` on Windows) as in the AWS CLI. It
//! runs on a thread of its own so that the async executor is not blocked; its standard error goes
//! to this process's, where the user sees it; its output never enters an error message.
//!
//! A command that hangs (a login prompt with no terminal, a stuck network call) would hold every
//! call of the client forever: it is killed after [`DEFAULT_PROCESS_TIMEOUT`] (one minute, as in the
//! AWS SDKs for Go, v1 and v2; botocore and the Rust SDK wait without bound), which
//! [`ProcessProvider::timeout`] and `DefaultCredentialsChainBuilder::credential_process_timeout`
//! change. The shell is what is killed: a program it started in the background may outlive it.

use std::fmt;
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::{from_json_document, CredentialsError, ProvideCredentials};
use crate::{BoxFuture, Credentials};

const PROVIDER: &str = "credential_process";

/// How long a `credential_process` command may run before it is killed.
pub const DEFAULT_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// How often the waiting thread looks whether the command has ended.
const POLL: Duration = Duration::from_millis(10);

/// Credentials from a command.
pub struct ProcessProvider {
    command: String,
    timeout: Duration,
}

/// How a run of the command ended.
enum Ended {
    Exited(ExitStatus, Vec<u8>),
    TimedOut,
}

impl ProcessProvider {
    /// Runs `command` (a shell command line) when credentials are needed.
    pub fn new(command: impl Into<String>) -> Self {
        ProcessProvider { command: command.into(), timeout: DEFAULT_PROCESS_TIMEOUT }
    }

    /// Another time limit than [`DEFAULT_PROCESS_TIMEOUT`]; past it the command is killed and
    /// the provider fails.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let mut command = if cfg!(windows) {
            let mut c = Command::new("cmd");
            c.arg("/C");
            c
        } else {
            let mut c = Command::new("sh");
            c.arg("-c");
            c
        };
        command.arg(&self.command).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit());
        let child = command
            .spawn()
            .map_err(|e| CredentialsError::failed(PROVIDER, format!("cannot run `{}`: {e}", self.command)))?;
        let (send, receive) = tokio::sync::oneshot::channel();
        let timeout = self.timeout;
        std::thread::spawn(move || {
            let _ = send.send(wait(child, timeout));
        });
        let ended = receive
            .await
            .map_err(|_| CredentialsError::failed(PROVIDER, "the thread running the command ended"))?
            .map_err(|e| CredentialsError::failed(PROVIDER, format!("running `{}`: {e}", self.command)))?;
        let stdout = match ended {
            Ended::Exited(status, stdout) if status.success() => stdout,
            Ended::Exited(status, _) => {
                return Err(CredentialsError::failed(PROVIDER, format!("`{}` failed ({status})", self.command)))
            }
            Ended::TimedOut => {
                return Err(CredentialsError::failed(
                    PROVIDER,
                    format!("`{}` did not finish within {:?} and was stopped", self.command, self.timeout),
                ))
            }
        };
        let version = serde_json::from_slice::<serde_json::Value>(&stdout)
            .ok()
            .and_then(|v| v.get("Version").and_then(|v| v.as_u64()));
        if version != Some(1) {
            return Err(CredentialsError::failed(
                PROVIDER,
                format!("the output of `{}` is not a JSON document with `Version: 1`", self.command),
            ));
        }
        from_json_document(PROVIDER, &stdout)
    }
}

/// Waits for `child` at most `timeout`, killing it past that. Its output is read on another
/// thread as it comes, so that a command writing more than a pipe holds does not stall.
fn wait(mut child: Child, timeout: Duration) -> std::io::Result<Ended> {
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(out) = stdout.as_mut() {
            let _ = out.read_to_end(&mut bytes);
        }
        bytes
    });
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            // The pipe closes when the command (and whatever it started that kept it) ends.
            let stdout = reader.join().unwrap_or_default();
            return Ok(Ended::Exited(status, stdout));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            // The reader ends with the pipe; it is not waited for (a background child may hold it).
            return Ok(Ended::TimedOut);
        }
        std::thread::sleep(POLL);
    }
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for ProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessProvider").field("command", &self.command).field("timeout", &self.timeout).finish()
    }
}

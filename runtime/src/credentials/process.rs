//! `credential_process`: a command whose standard output is a JSON credentials document
//! (`Version: 1`, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken` and `Expiration`).
//!
//! The command line runs through the shell (`sh -c`, `cmd /C` on Windows) as in the AWS CLI. It
//! runs on a thread of its own so that the async executor is not blocked; its standard error goes
//! to this process's, where the user sees it; its output never enters an error message.

use std::fmt;
use std::process::{Command, Stdio};

use super::{from_json_document, CredentialsError, ProvideCredentials};
use crate::{BoxFuture, Credentials};

const PROVIDER: &str = "credential_process";

/// Credentials from a command.
pub struct ProcessProvider {
    command: String,
}

impl ProcessProvider {
    /// Runs `command` (a shell command line) when credentials are needed.
    pub fn new(command: impl Into<String>) -> Self {
        ProcessProvider { command: command.into() }
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
        command.arg(&self.command).stdin(Stdio::null()).stderr(Stdio::inherit());
        let (send, receive) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let _ = send.send(command.output());
        });
        let output = receive
            .await
            .map_err(|_| CredentialsError::failed(PROVIDER, "the thread running the command ended"))?
            .map_err(|e| CredentialsError::failed(PROVIDER, format!("cannot run `{}`: {e}", self.command)))?;
        if !output.status.success() {
            return Err(CredentialsError::failed(PROVIDER, format!("`{}` failed ({})", self.command, output.status)));
        }
        let version = serde_json::from_slice::<serde_json::Value>(&output.stdout)
            .ok()
            .and_then(|v| v.get("Version").and_then(|v| v.as_u64()));
        if version != Some(1) {
            return Err(CredentialsError::failed(
                PROVIDER,
                format!("the output of `{}` is not a JSON document with `Version: 1`", self.command),
            ));
        }
        from_json_document(PROVIDER, &output.stdout)
    }
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for ProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessProvider").field("command", &self.command).finish()
    }
}

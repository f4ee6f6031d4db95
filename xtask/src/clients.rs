//! `cargo xtask clients`: runs the Rust client emitter on other Smithy models and
//! builds each crate it makes, to show the emitter is not specific to one service.
//! A model whose protocol is not supported yet is reported with the reason.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use codegen::emit::{rust, Outputs};
use codegen::read::SpecFiles;

/// Models of different shapes: restJson1 with blobs and streams (lambda), JSON 1.0
/// (dynamodb), restJson1 with many binding styles (api-gateway), response headers
/// that are numbers and timestamps (mediastore-data), query parameters from a map of
/// lists (amp), error structures as members of unions (bedrock-agent-runtime), and
/// outputs that are all payloads and headers (kinesis-video-media).
pub const DEFAULT_MODELS: &[&str] =
    &["lambda", "dynamodb", "api-gateway", "mediastore-data", "amp", "bedrock-agent-runtime", "kinesis-video-media"];

pub fn run(root: &Path, shared: &Path, models: &[String]) -> Result<bool> {
    let scratch = root.join("target/clients");
    let mut ok = true;
    for model in models {
        let file = shared.join("smithy").join(format!("{model}.json"));
        if !file.is_file() {
            bail!("{}: no such model", file.display());
        }
        let files = SpecFiles { cloudformation: Vec::new(), smithy: vec![file.clone()] };
        let parsed = codegen::load_files(shared, &files)?;
        let mut out = Outputs::default();
        let runtime = root.join("runtime");
        for service in parsed.services.values() {
            let snippets = service.api.as_ref().and_then(|api| rust::snippets::Snippets::new(service, api));
            rust::emit(service, snippets.as_ref(), &runtime.to_string_lossy(), &mut out)?;
        }
        for line in &out.skipped {
            println!("{model}: skipped: {line}");
        }
        if out.files.is_empty() {
            continue;
        }
        let dir = scratch.join(model);
        let _ = std::fs::remove_dir_all(&dir);
        let mut manifest = None;
        for (path, contents) in &out.files {
            let dest = dir.join(path);
            std::fs::create_dir_all(dest.parent().unwrap_or(&dir))?;
            let mut contents = contents.clone();
            if path.ends_with("Cargo.toml") {
                // A crate of its own, outside this workspace.
                contents.push_str("\n[workspace]\n");
                manifest = Some(dest.clone());
            }
            std::fs::write(&dest, contents).with_context(|| format!("writing {}", dest.display()))?;
        }
        let Some(manifest) = manifest else { continue };
        let lines: usize = out.files.values().map(|c| c.lines().count()).sum();
        let started = std::time::Instant::now();
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "--no-default-features", "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            .status()
            .context("running cargo build")?;
        let verdict = if status.success() { "compiles" } else { "FAILED to compile" };
        println!("{model}: {verdict} ({lines} lines, {:.0} s)", started.elapsed().as_secs_f64());
        ok &= status.success();
    }
    Ok(ok)
}

//! `cargo xtask clients`: runs the Rust client emitter on other Smithy models and
//! builds each crate it makes, to show the emitter is not specific to one service.
//! A model whose protocol is not supported yet is reported with the reason.
//!
//! A model with hand-written tests in `integration/clients/<model>/` (live scenarios against
//! moto's server, wire comparisons with boto3) has them run against its crate once it builds:
//! each `*.rs` there becomes a test of the crate, beside the integration tests' `common`
//! helpers (moto's server among them) and `integration/clients/support.rs` (the client's
//! settings, a recorder, boto3), with
//! `INTEGRATION_DIR` naming `integration/` (its Python scripts).

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use codegen::emit::{rust, Outputs};
use codegen::read::SpecFiles;

/// Models of different shapes: restJson1 with blobs and streams (lambda), awsJson1_0
/// (dynamodb), awsJson1_1 (secrets-manager), restJson1 with many binding styles
/// (api-gateway), response headers that are numbers and timestamps (mediastore-data),
/// query parameters from a map of lists (amp), error structures as members of unions
/// (bedrock-agent-runtime), outputs that are all payloads and headers
/// (kinesis-video-media), awsQuery (sts, which credential providers call; iam) and restXml
/// (route-53; s3, whose bucket its endpoint rules place).
pub const DEFAULT_MODELS: &[&str] = &[
    "lambda",
    "dynamodb",
    "secrets-manager",
    "api-gateway",
    "mediastore-data",
    "amp",
    "bedrock-agent-runtime",
    "kinesis-video-media",
    "sts",
    "iam",
    "route-53",
    "s3",
];

/// Where a model's hand-written client tests are, below the repository root.
const CLIENT_TESTS: &str = "integration/clients";

/// What a crate needs to run those tests beyond its own dev-dependencies (tokio, with
/// `rt`, `macros` and `time`, is one of them already).
const TEST_DEPENDENCIES: &str = "serde_json = \"1\"\n";

pub fn run(root: &Path, shared: &Path, models: &[String]) -> Result<bool> {
    let scratch = root.join("target/clients");
    let mut ok = true;
    let bar = crate::progress::bar(models.len(), "");
    for model in models {
        bar.inc(1);
        bar.set_message(format!("{model}: generating"));
        let file = shared.join("smithy").join(format!("{model}.json"));
        if !file.is_file() {
            bail!("{}: no such model", file.display());
        }
        let files = SpecFiles { cloudformation: Vec::new(), smithy: vec![file.clone()] };
        let parsed = codegen::load_files(shared, &files)?;
        let mut out = Outputs::default();
        let crates = rust::CrateSettings {
            runtime_path: root.join("runtime").to_string_lossy().into_owned(),
            ..rust::CrateSettings::default()
        };
        for service in parsed.services.values() {
            let snippets = service.api.as_ref().and_then(|api| rust::snippets::Snippets::new(service, api));
            rust::emit(service, snippets.as_ref(), &crates, &mut out)?;
        }
        for line in &out.skipped {
            crate::progress::line(&bar, &format!("{model}: skipped: {line}"));
        }
        if out.files.is_empty() {
            continue;
        }
        let dir = scratch.join(model);
        let _ = std::fs::remove_dir_all(&dir);
        let tests: Vec<std::path::PathBuf> = match std::fs::read_dir(root.join(CLIENT_TESTS).join(model)) {
            Ok(entries) => entries
                .filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .collect(),
            Err(_) => Vec::new(),
        };
        let mut manifest = None;
        for (path, contents) in &out.files {
            let dest = dir.join(path);
            std::fs::create_dir_all(dest.parent().unwrap_or(&dir))?;
            let mut contents = contents.clone();
            if path.ends_with("Cargo.toml") {
                // A crate of its own, outside this workspace.
                if !tests.is_empty() {
                    contents = contents.replacen(
                        "[dev-dependencies]\n",
                        &format!("[dev-dependencies]\n{TEST_DEPENDENCIES}"),
                        1,
                    );
                }
                contents.push_str("\n[workspace]\n");
                manifest = Some(dest.clone());
            }
            std::fs::write(&dest, contents).with_context(|| format!("writing {}", dest.display()))?;
        }
        let Some(manifest) = manifest else { continue };
        let lines: usize = out.files.values().map(|c| c.lines().count()).sum();
        let started = std::time::Instant::now();
        bar.set_message(format!("{model}: building its crate ({lines} lines)"));
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "--no-default-features", "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            .status()
            .context("running cargo build")?;
        let verdict = if status.success() { "compiles" } else { "FAILED to compile" };
        crate::progress::line(
            &bar,
            &format!("{model}: {verdict} ({lines} lines, {:.0} s)", started.elapsed().as_secs_f64()),
        );
        ok &= status.success();
        if status.success() && !tests.is_empty() {
            bar.set_message(format!("{model}: running {CLIENT_TESTS}/{model}"));
            ok &= run_tests(root, &scratch, &manifest, model, &tests, &bar)?;
        }
    }
    bar.finish_and_clear();
    Ok(ok)
}

/// Copies `tests` (and the integration tests' `common` module) into the crate of `manifest` and
/// runs them; `Ok(false)` if one fails.
fn run_tests(
    root: &Path,
    scratch: &Path,
    manifest: &Path,
    model: &str,
    tests: &[std::path::PathBuf],
    bar: &indicatif::ProgressBar,
) -> Result<bool> {
    let crate_dir = manifest.parent().context("crate folder")?;
    let test_dir = crate_dir.join("tests");
    std::fs::create_dir_all(test_dir.join("common"))?;
    std::fs::copy(root.join("integration/tests/common/mod.rs"), test_dir.join("common/mod.rs"))?;
    std::fs::create_dir_all(test_dir.join("support"))?;
    std::fs::copy(root.join(CLIENT_TESTS).join("support.rs"), test_dir.join("support/mod.rs"))?;
    for test in tests {
        let name = test.file_name().context("test file name")?;
        std::fs::copy(test, test_dir.join(name)).with_context(|| format!("copying {}", test.display()))?;
    }
    let started = std::time::Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--quiet", "--no-default-features", "--manifest-path"])
        .arg(manifest)
        .args(["--", "--test-threads", "1"])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        // As for the build, so the crate and the runtime are not built again.
        .env("RUSTFLAGS", "-D warnings")
        .env("INTEGRATION_DIR", root.join("integration"))
        .status()
        .context("running cargo test")?;
    let verdict = if status.success() { "pass" } else { "FAILED" };
    let took = started.elapsed().as_secs_f64();
    crate::progress::line(bar, &format!("{model}: tests of {CLIENT_TESTS}/{model} {verdict} ({took:.0} s)"));
    Ok(status.success())
}

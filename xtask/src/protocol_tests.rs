//! `cargo xtask protocol-tests`: the official Smithy AWS protocol compliance cases as tests of
//! our generated clients. For each service of the suite with a selected protocol: generate its
//! client crate, one test per client case (`codegen::emit::rust::protocol_tests`), build and run
//! them in a scratch folder, and print per protocol `restJson1: N passed, N failed, N skipped`.
//!
//! Skipped cases are listed, each with its reason, in `xtask/protocol-tests-skip.toml`; the cases
//! of a service whose protocol the emitter does not generate yet are skipped with that reason.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use codegen::emit::rust::protocol_tests::{self, Case};
use codegen::emit::{rust, Outputs};
use codegen::read::SpecFiles;
use serde::Deserialize;

/// Case ids skipped on purpose, each with the reason.
pub const SKIP_FILE: &str = "xtask/protocol-tests-skip.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Skips {
    /// Case id -> why it is skipped.
    skip: BTreeMap<String, String>,
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
}

/// Runs the cases of `protocols` (every protocol of the suite if empty); `Ok(false)` if a case failed.
pub fn run(root: &Path, suite: &Path, protocols: &[String], verbose: bool) -> Result<bool> {
    let skip_path = root.join(SKIP_FILE);
    let text = std::fs::read_to_string(&skip_path).with_context(|| format!("reading {}", skip_path.display()))?;
    let skips: Skips = toml::from_str(&text).with_context(|| format!("parsing {}", skip_path.display()))?;
    if let Some((id, _)) = skips.skip.iter().find(|(_, reason)| reason.trim().is_empty()) {
        bail!("{SKIP_FILE}: `{id}` has no reason");
    }

    let dir = suite.parent().context("suite path")?;
    let files = SpecFiles { cloudformation: Vec::new(), smithy: vec![suite.to_path_buf()] };
    let model = codegen::load_files(dir, &files)?;
    let text = std::fs::read_to_string(suite).with_context(|| format!("reading {}", suite.display()))?;
    let doc: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("parsing {}", suite.display()))?;
    let shapes = doc.get("shapes").and_then(|s| s.as_object()).context("the suite has no shapes")?;
    let shapes = codegen::read::mixins::flatten(suite, shapes)?;

    let scratch = root.join("target/protocol-tests");
    let runtime = root.join("runtime");
    let runtime = runtime.to_string_lossy();
    let crates = rust::CrateSettings { runtime_path: runtime.clone().into_owned(), ..rust::CrateSettings::default() };
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut seen_ids = BTreeSet::new();
    let mut ok = true;
    for service in model.services.values() {
        let Some(api) = &service.api else { continue };
        let protocol = api.protocol.name();
        if !protocols.is_empty() && !protocols.iter().any(|p| p == protocol) {
            continue;
        }
        let cases = protocol_tests::cases(&shapes, &api.shape_id, api);
        seen_ids.extend(cases.iter().map(|c| c.id.clone()));
        let tally = tallies.entry(protocol).or_default();
        if let Err(reason) = rust::supported(api) {
            println!("{}: {} cases skipped: {reason}", api.shape_id, cases.len());
            tally.skipped += cases.len();
            continue;
        }
        let (run, skipped): (Vec<Case>, Vec<Case>) = cases.into_iter().partition(|c| !skips.skip.contains_key(&c.id));
        tally.skipped += skipped.len();
        if verbose {
            for c in &skipped {
                println!("{}: skipped {}: {}", api.shape_id, c.id, skips.skip[&c.id]);
            }
        }
        if run.is_empty() {
            continue;
        }

        let snippets = rust::snippets::Snippets::new(service, api);
        let mut out = Outputs::default();
        rust::emit(service, snippets.as_ref(), &crates, &mut out)?;
        let tests = protocol_tests::test_file(service, api, &run)?;
        let crate_name = rust::crate_name(service);
        let crate_dir = scratch.join(&crate_name);
        let _ = std::fs::remove_dir_all(&crate_dir);
        let prefix = format!("{}/{crate_name}/", rust::RUST_ROOT);
        let mut manifest = None;
        for (path, contents) in &out.files {
            let Some(relative) = path.strip_prefix(&prefix) else { continue };
            let dest = crate_dir.join(relative);
            std::fs::create_dir_all(dest.parent().unwrap_or(&crate_dir))?;
            let mut contents = contents.clone();
            if relative == "Cargo.toml" {
                contents = protocol_tests::cargo_toml_with_tests(&contents, &runtime);
                // A crate of its own, outside this workspace.
                contents.push_str("\n[workspace]\n");
                manifest = Some(dest.clone());
            }
            std::fs::write(&dest, contents).with_context(|| format!("writing {}", dest.display()))?;
        }
        let manifest = manifest.context("the emitter wrote no Cargo.toml")?;
        let test_path = crate_dir.join("tests/protocol.rs");
        std::fs::create_dir_all(crate_dir.join("tests"))?;
        std::fs::write(&test_path, &tests.text).with_context(|| format!("writing {}", test_path.display()))?;

        let started = std::time::Instant::now();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["test", "--no-default-features", "--test", "protocol", "--no-fail-fast", "--manifest-path"])
            .arg(&manifest)
            .args(["--", "--test-threads", "2"])
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .output()
            .context("running cargo test")?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let log = crate_dir.join("test.log");
        std::fs::write(&log, format!("{stdout}\n{stderr}"))?;
        let results = parse_results(&stdout);
        if results.is_empty() {
            eprintln!("{stderr}");
            println!("{}: the tests did not build (log: {})", api.shape_id, log.display());
            tally.failed += run.len();
            ok = false;
            continue;
        }
        let by_fn: BTreeMap<&str, &str> = tests.tests.iter().map(|(f, id)| (f.as_str(), id.as_str())).collect();
        let mut failed = Vec::new();
        for (name, _) in &tests.tests {
            match results.get(name.as_str()) {
                Some(true) => tally.passed += 1,
                _ => failed.push(by_fn[name.as_str()]),
            }
        }
        tally.failed += failed.len();
        ok &= failed.is_empty();
        println!(
            "{}: {} tests in {:.0} s{}",
            api.shape_id,
            tests.tests.len(),
            started.elapsed().as_secs_f64(),
            if failed.is_empty() { String::new() } else { format!(" (log: {})", log.display()) }
        );
        for id in failed {
            println!("  FAILED {id}");
        }
    }
    let stale: Vec<&String> = skips.skip.keys().filter(|id| !seen_ids.contains(*id)).collect();
    if protocols.is_empty() && !stale.is_empty() {
        println!("note: {SKIP_FILE} lists cases the suite does not have: {stale:?}");
    }
    for (protocol, t) in &tallies {
        println!("{protocol}: {} passed, {} failed, {} skipped", t.passed, t.failed, t.skipped);
    }
    Ok(ok)
}

/// `test NAME ... ok` lines of libtest's output: name -> passed.
fn parse_results(stdout: &str) -> BTreeMap<&str, bool> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, verdict) = rest.split_once(" ... ")?;
            Some((name.trim(), verdict.trim() == "ok"))
        })
        .collect()
}

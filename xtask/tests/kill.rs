//! A run killed at any point never leaves a half-written output: over a complete
//! previous output, `generate` is killed (SIGKILL, and SIGINT as Ctrl-C sends it) at
//! many points of a run, then one more run, which fails on its input after it has
//! recovered, leaves the tree exactly the old or exactly the new output. Also: one run
//! per output folder, and the spec folders that cannot be read.
//!
//! The sample is `CODEGEN_KILL_SAMPLE` CloudFormation schemas (default 200) of the shared
//! corpus (`CODEGEN_CORPUS`, default `../shared/specs/cloudformation-all`): the old
//! output is made from the first ones under the provider name `aws`, the new from a
//! window shifted by a sixth, as `awscc`, so that a run adds, changes and removes files.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus() -> PathBuf {
    let dir = std::env::var_os("CODEGEN_CORPUS")
        .map_or_else(|| repo_root().join("../shared/specs/cloudformation-all"), PathBuf::from);
    assert!(dir.is_dir(), "{}: no CloudFormation corpus; set CODEGEN_CORPUS", dir.display());
    dir
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-kill-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn xtask() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xtask"));
    c.env_remove("CODEGEN_SPECS");
    c
}

fn generate(specs: &Path, out: &Path, provider: &str) -> Command {
    let mut c = xtask();
    c.args(["generate", "--provider", provider, "--specs"]).arg(specs).arg("--out").arg(out);
    c
}

fn run(mut c: Command) -> Output {
    c.output().expect("xtask runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A spec folder of the given corpus files.
fn specs(dir: &Path, files: &[PathBuf]) -> PathBuf {
    let cf = dir.join("cloudformation");
    std::fs::create_dir_all(&cf).expect("spec folder");
    for f in files {
        std::fs::copy(f, cf.join(f.file_name().expect("file name"))).expect("copy schema");
    }
    dir.to_path_buf()
}

/// Every file below `dir` with its contents, but the lock file (which holds the pid of
/// the last run). Folders are left out: a killed run may leave an empty one.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read folder") {
            let p = e.expect("entry").path();
            let rel = p.strip_prefix(dir).expect("below").to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if rel != ".codegen-lock" {
                out.push((rel, std::fs::read(&p).expect("read file")));
            }
        }
    }
    out.sort();
    out
}

/// `cp -a`: the work folder starts as the old output, mtimes included.
fn copy_tree(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    let status = Command::new("cp").arg("-a").arg(from).arg(to).status().expect("cp runs");
    assert!(status.success(), "cp -a {} {}", from.display(), to.display());
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Signal {
    Kill,
    Int,
}

/// Starts the run, waits `delay` (after the journal appears, if `at_commit`), signals.
fn kill_at(mut c: Command, out: &Path, signal: Signal, delay: Duration, at_commit: bool) -> (Child, bool) {
    let mut child = c.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("xtask starts");
    let journal = out.join(".codegen-journal");
    let started = Instant::now();
    let mut saw_journal = false;
    if at_commit {
        // Poll for the journal: the commit has begun.
        while started.elapsed() < Duration::from_secs(120) {
            if journal.exists() {
                saw_journal = true;
                break;
            }
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    std::thread::sleep(delay);
    match signal {
        Signal::Kill => {
            let _ = child.kill();
        }
        Signal::Int => {
            let _ = Command::new("kill").arg("-INT").arg(child.id().to_string()).status();
        }
    }
    (child, saw_journal)
}

#[test]
fn a_run_killed_at_any_point_leaves_the_old_or_the_new_output() {
    let n: usize = std::env::var("CODEGEN_KILL_SAMPLE").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let mut all: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    all.sort();
    assert!(all.len() >= n + n / 6, "the corpus has {} schemas, fewer than the sample", all.len());
    let root = scratch("sample");
    let old_specs = specs(&root.join("old-specs"), &all[..n]);
    let new_specs = specs(&root.join("new-specs"), &all[n / 6..n + n / 6]);
    // A spec folder that fails on its input: the run after a kill recovers, then stops.
    let bad_specs = root.join("bad-specs/cloudformation");
    std::fs::create_dir_all(&bad_specs).expect("bad specs");
    std::fs::write(bad_specs.join("bad.json"), "{").expect("bad spec");

    let (old_out, new_out) = (root.join("old"), root.join("new"));
    let o = run(generate(&old_specs, &old_out, "aws"));
    assert!(o.status.success(), "{}", stderr(&o));
    let old = files(&old_out);
    copy_tree(&old_out, &new_out);
    let started = Instant::now();
    let o = run(generate(&new_specs, &new_out, "awscc"));
    let full = started.elapsed();
    assert!(o.status.success(), "{}", stderr(&o));
    let new = files(&new_out);
    assert_ne!(old, new);
    let changed = stderr(&o);
    eprintln!(
        "sample: {n} schemas, {} old files, {} new files; a full run over the old output: {full:?} ({changed})",
        old.len(),
        new.len()
    );

    // Kill points: spread over the whole run, and from the moment the commit begins.
    let mut points: Vec<(Signal, Duration, bool)> = Vec::new();
    for signal in [Signal::Kill, Signal::Int] {
        for i in 1..=4 {
            points.push((signal, full.mul_f64(f64::from(i) / 5.0), false));
        }
        for ms in [0, 3, 10, 30, 100] {
            points.push((signal, Duration::from_millis(ms), true));
        }
    }
    let work = root.join("work");
    let (mut saw_old, mut saw_new, mut in_commit) = (0, 0, 0);
    let mut failures = Vec::new();
    for (signal, delay, at_commit) in points {
        copy_tree(&old_out, &work);
        let (child, saw_journal) = kill_at(generate(&new_specs, &work, "awscc"), &work, signal, delay, at_commit);
        in_commit += usize::from(saw_journal);
        let killed = child.wait_with_output().expect("wait");
        let what = format!("{signal:?} after {delay:?}{}", if at_commit { " of the commit" } else { "" });
        if signal == Signal::Int {
            // Ctrl-C: stopped cleanly at once (old tree), or the commit finished (new).
            let code = killed.status.code();
            let now = files(&work);
            let clean = !now.iter().any(|(p, _)| p.starts_with(".codegen-"));
            if !(code == Some(130) || code == Some(0)) || !clean || (now != old && now != new) {
                failures.push(format!(
                    "{what}: exit {code:?}, {}; {}",
                    if now == old {
                        "old tree"
                    } else if now == new {
                        "new tree"
                    } else {
                        "MIXED tree"
                    },
                    stderr(&killed).lines().last().unwrap_or("")
                ));
                continue;
            }
        }
        // One more run: it recovers before anything else, then fails on its input.
        let again = run(generate(&bad_specs.join(".."), &work, "awscc"));
        assert!(!again.status.success(), "{what}: the bad input was accepted");
        let now = files(&work);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            let differ = now.iter().filter(|f| !old.contains(f) && !new.contains(f)).count();
            failures
                .push(format!("{what}: tree is neither old nor new ({differ} files from neither; {})", stderr(&again)));
        }
    }
    // And a run to the end after a kill makes the new output.
    let o = run(generate(&new_specs, &work, "awscc"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files(&work), new);
    let _ = std::fs::remove_dir_all(&root);
    eprintln!("kills: {saw_old} left the old output, {saw_new} the new; {in_commit} were during the commit");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(in_commit >= 6, "only {in_commit} kills hit the commit: the sample is too small");
    assert!(saw_old > 0 && saw_new > 0, "kills should leave both outcomes ({saw_old} old, {saw_new} new)");
}

#[test]
fn a_second_run_into_the_same_folder_fails_at_once_naming_the_first() {
    let root = scratch("lock");
    let mut all: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    all.sort();
    let specs = specs(&root.join("specs"), &all[..all.len().min(200)]);
    let out = root.join("out");
    let mut first =
        generate(&specs, &out, "aws").stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("first run");
    // The first run holds the lock from its start.
    let lock = out.join(".codegen-lock");
    let started = Instant::now();
    while std::fs::read_to_string(&lock).map_or(true, |s| s.trim().is_empty()) {
        assert!(started.elapsed() < Duration::from_secs(30), "the first run took no lock");
        std::thread::sleep(Duration::from_millis(5));
    }
    let second_started = Instant::now();
    let second = run(generate(&specs, &out, "aws"));
    let took = second_started.elapsed();
    let first_done = first.try_wait().expect("wait").is_some();
    let err = stderr(&second);
    assert!(first.wait().expect("first ends").success());
    assert!(!first_done, "the first run ended before the second started: make the sample larger");
    assert!(!second.status.success());
    assert!(err.contains(&format!("pid {}", first.id())) && err.contains(".codegen-lock"), "{err}");
    assert!(took < Duration::from_secs(5), "the second run waited {took:?}");
    // A lock file left by a run that is gone (the first one) does not stop the next.
    assert!(lock.exists());
    let third = run(generate(&specs, &out, "aws"));
    assert!(third.status.success(), "{}", stderr(&third));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_spec_folder_that_cannot_be_read_is_an_error_naming_it() {
    let root = scratch("unreadable");
    let specs = root.join("specs");
    std::fs::create_dir_all(specs.join("cloudformation")).expect("specs");
    std::fs::copy(
        repo_root().join("codegen/tests/fixtures/cloudformation/good/test-widget.json"),
        specs.join("cloudformation/test-widget.json"),
    )
    .expect("copy fixture");
    // `smithy/` a symlink to itself: reading it loops.
    std::os::unix::fs::symlink("smithy", specs.join("smithy")).expect("symlink");
    let out = root.join("out");
    let o = run(generate(&specs, &out, "aws"));
    let err = stderr(&o);
    assert!(!o.status.success(), "a looping spec folder was accepted: {err}");
    assert!(err.contains(&specs.join("smithy").display().to_string()) && err.contains("cannot read"), "{err}");
    assert_eq!(err.matches("os error").count(), 1, "the OS error once: {err}");
    // Both folders loop: still the folder's error, never "no specs here".
    std::fs::remove_dir_all(specs.join("cloudformation")).expect("remove");
    std::os::unix::fs::symlink("cloudformation", specs.join("cloudformation")).expect("symlink");
    let o = run(generate(&specs, &out, "aws"));
    let err = stderr(&o);
    assert!(!o.status.success() && err.contains("cannot read") && !err.contains("no specs"), "{err}");
    let _ = std::fs::remove_dir_all(&root);
}

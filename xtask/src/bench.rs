//! `cargo xtask bench`: how long generation takes compared with only parsing the inputs.
//!
//! For each input set (the pinned specs, the full shared corpus) three phases are timed,
//! best of N runs:
//! (a) the floor: read every file and parse it into a `serde_json::Value`, on every core
//!     the way generation does ([`codegen::read::map_files`]);
//! (b) generation of every output in memory ([`codegen::generate_files`]);
//! (c) generation and writing into a fresh temporary folder ([`codegen::output::apply`]).
//!
//! Each (set, phase) runs in a child process (the hidden `bench-set` command) so that the
//! peak memory it reports (VmHWM, a high-water mark of the whole process) is its own.
//! `cargo xtask` builds the debug binary, which is meaningless to time, so `bench` first
//! re-runs itself through `cargo run --release`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use codegen::read::SpecFiles;
use serde::{Deserialize, Serialize};

#[derive(clap::Args)]
pub struct Args {
    /// Runs per measurement; the best is reported.
    #[arg(long, default_value_t = 3)]
    pub runs: u32,
    /// The shared specs folder holding the full corpus; default: `../shared/specs` beside the repository.
    #[arg(long, env = "CODEGEN_SHARED_SPECS")]
    pub shared: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct SetArgs {
    /// `pinned` (a spec directory) or `corpus` (the shared folder of `generate --all`).
    #[arg(long)]
    set: String,
    #[arg(long)]
    dir: PathBuf,
    /// `parse`, `generate` or `write`.
    #[arg(long)]
    phase: String,
    #[arg(long)]
    runs: u32,
}

/// What one `bench-set` child reports, as one JSON line on stdout.
#[derive(Serialize, Deserialize)]
struct Measure {
    best: Duration,
    peak_kib: u64,
    inputs: usize,
    input_bytes: u64,
    files: usize,
    bytes: u64,
    /// For generation: the time of each stage in the best run (read, passes, emit),
    /// and the resident memory (KiB) when it ended.
    stages: Vec<(String, Duration, u64)>,
}

/// The files of `generate --all`.
pub fn corpus_files(shared: &Path) -> Result<SpecFiles> {
    SpecFiles::corpus(shared).with_context(|| {
        format!(
            "the full corpus is read from {} (cloudformation-all/, smithy/); pass --shared DIR or set \
             CODEGEN_SHARED_SPECS",
            shared.display()
        )
    })
}

fn files_of(set: &str, dir: &Path) -> Result<SpecFiles> {
    match set {
        "pinned" => Ok(SpecFiles::discover(dir).context("fetch the pinned specs first: `cargo xtask specs fetch`")?),
        "corpus" => corpus_files(dir),
        other => bail!("unknown set `{other}`"),
    }
}

pub fn run(root: &Path, pinned: &Path, shared: &Path, runs: u32) -> Result<ExitCode> {
    if cfg!(debug_assertions) {
        // Timing a debug build says nothing; run this command again from a release build.
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        eprintln!("bench: building the release binary (cargo run --release -p xtask)");
        let status = Command::new(cargo)
            .args(["run", "--release", "--quiet", "--package", "xtask", "--", "bench", "--runs"])
            .arg(runs.to_string())
            .arg("--shared")
            .arg(shared)
            .current_dir(root)
            .status()
            .context("running cargo")?;
        return Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    let exe = std::env::current_exe().context("finding the xtask binary")?;
    let sets = [("pinned (ApiGatewayV2)", "pinned", pinned), ("corpus (--all)", "corpus", shared)];
    let mut rows = Vec::new();
    let phases = ["parse", "generate", "write"];
    let bar = crate::progress::bar(sets.len() * phases.len(), "");
    for (label, set, dir) in sets {
        let mut measures = Vec::new();
        for phase in phases {
            bar.inc(1);
            // On a terminal the bar names the step; in a log, a line does.
            if bar.is_hidden() {
                eprintln!("bench: {label}: {phase} x{runs}");
            }
            bar.set_message(format!("{label}: {phase} x{runs}"));
            let out = Command::new(&exe)
                .args(["bench-set", "--set", set, "--phase", phase, "--runs"])
                .arg(runs.to_string())
                .arg("--dir")
                .arg(dir)
                .stderr(std::process::Stdio::inherit())
                .output()
                .context("running bench-set")?;
            if !out.status.success() {
                bail!("bench-set {set} {phase} failed");
            }
            measures.push(serde_json::from_slice::<Measure>(&out.stdout).context("reading bench-set output")?);
        }
        rows.push((label, measures));
    }
    bar.finish_and_clear();
    print_table(&rows, runs);
    Ok(ExitCode::SUCCESS)
}

fn print_table(rows: &[(&str, Vec<Measure>)], runs: u32) {
    let secs = |d: Duration| format!("{:.3} s", d.as_secs_f64());
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!(
        "| set | inputs | (a) parse | (b) generate | (c) generate + write | (b)/(a) | (c)/(a) | peak MiB (a / b / c) \
         | written |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (label, m) in rows {
        let [a, b, c] = [&m[0], &m[1], &m[2]];
        let ratio = |x: &Measure| x.best.as_secs_f64() / a.best.as_secs_f64().max(1e-9);
        println!(
            "| {label} | {} files, {:.1} MB | {} | {} | {} | {:.2}x | {:.2}x | {:.0} / {:.0} / {:.0} | {} files, {:.1} MB |",
            a.inputs,
            a.input_bytes as f64 / 1e6,
            secs(a.best),
            secs(b.best),
            secs(c.best),
            ratio(b),
            ratio(c),
            mib(a.peak_kib * 1024),
            mib(b.peak_kib * 1024),
            mib(c.peak_kib * 1024),
            c.files,
            c.bytes as f64 / 1e6,
        );
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("\nbest of {runs} runs, {cores} cores; peak = VmHWM of the process that ran the phase");
    for (label, m) in rows {
        let stages: Vec<String> = m[1]
            .stages
            .iter()
            .map(|(name, d, rss)| format!("{name} {} (then {:.0} MiB resident)", secs(*d), mib(rss * 1024)))
            .collect();
        println!("{label}: (b) = {}", stages.join(" + "));
    }
}

/// The hidden `bench-set` command: one phase of one set, `runs` times; prints a [`Measure`].
pub fn run_set(args: &SetArgs) -> Result<ExitCode> {
    let files = files_of(&args.set, &args.dir)?;
    let all: Vec<PathBuf> = files.all().cloned().collect();
    let input_bytes = all.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum();
    let mut best = Duration::MAX;
    let (mut count, mut bytes) = (0, 0);
    let mut stages = Vec::new();
    for run in 0..args.runs.max(1) {
        let scratch = std::env::temp_dir().join(format!("codegen-bench-{}-{run}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        let start = Instant::now();
        match args.phase.as_str() {
            "parse" => {
                codegen::read::map_files(&all, |file, text| codegen::read::json::parse(file, text).map(drop))
                    .map_err(|(_, e)| e)?;
            }
            "generate" => {
                // `codegen::generate_files`, stage by stage.
                let mut model = codegen::read::read_files(&args.dir, &files)?;
                let read = (start.elapsed(), rss_kib());
                codegen::passes::run(&mut model)?;
                let passes = (start.elapsed(), rss_kib());
                let outputs = codegen::emit::all_owned(model)?;
                let emit = (start.elapsed(), rss_kib());
                count = outputs.files.len();
                bytes = outputs.files.values().map(|c| c.len() as u64).sum();
                drop(outputs);
                if start.elapsed() < best {
                    stages = vec![
                        ("read".into(), read.0, read.1),
                        ("passes".into(), passes.0 - read.0, passes.1),
                        ("emit".into(), emit.0 - passes.0, emit.1),
                        ("drop".into(), start.elapsed() - emit.0, rss_kib()),
                    ];
                }
            }
            "write" => {
                let outputs = codegen::generate_files(&args.dir, &files)?;
                let lock = codegen::output::lock(&scratch)?;
                let plan = codegen::output::plan(&scratch, &outputs)?;
                codegen::output::apply(&scratch, &plan, &lock)?;
                count = plan.writes.len();
                bytes = plan.writes.iter().map(|(_, c, _)| c.len() as u64).sum();
            }
            other => bail!("unknown phase `{other}`"),
        }
        best = best.min(start.elapsed());
        let _ = std::fs::remove_dir_all(&scratch);
    }
    let measure = Measure { best, peak_kib: peak_kib()?, inputs: all.len(), input_bytes, files: count, bytes, stages };
    println!("{}", serde_json::to_string(&measure)?);
    Ok(ExitCode::SUCCESS)
}

/// The process's peak resident memory (VmHWM), in KiB.
fn peak_kib() -> Result<u64> {
    status_kib("VmHWM:").context("no VmHWM in /proc/self/status")
}

/// The process's resident memory now (VmRSS), in KiB; 0 where unknown.
fn rss_kib() -> u64 {
    status_kib("VmRSS:").unwrap_or(0)
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

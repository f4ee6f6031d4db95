//! `cargo xtask bench-call`: per-call cost of the generated ApiGatewayV2 client against the
//! official `aws-sdk-apigatewayv2` and a raw hyper client sending the same bytes (the floor),
//! on loopback against a canned server. The program (xtask/bench-call/main.rs) is built in
//! release in a scratch project, as `bench-client` builds its projects; the server runs pinned
//! to core 0 and each measurement is a process of its own pinned to core 1 (so its CPU time and
//! peak RSS are its own); clients alternate within each round, and the table shows medians.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::bench_client::{cargo, official_dependency, ours_dependency, ours_dependency_at, project};

#[derive(clap::Args)]
pub struct Args {
    /// Calls per measurement (the issue's figures: 20000).
    #[arg(long, default_value_t = 2000)]
    pub calls: usize,
    /// Rounds; each runs every client on every scenario once, in a rotating order.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// The generated ApiGatewayV2 crate to measure (default: this checkout's); another
    /// checkout's, say, to compare before and after a change.
    #[arg(long)]
    pub client: Option<std::path::PathBuf>,
}

const MAIN: &str = include_str!("../bench-call/main.rs");

const DEPS: &str = r#"aws-smithy-http-client = { version = "1", default-features = false, features = ["default-client"] }
tokio = { version = "1", features = ["rt", "rt-multi-thread", "net", "time"] }
hyper = { version = "1", features = ["server", "client", "http1"] }
hyper-util = { version = "0.1", features = ["client-legacy", "http1", "tokio"] }
http-body-util = "0.1"
bytes = "1"
libc = "0.2"
"#;

const CLIENTS: [&str; 3] = ["ours", "official", "raw"];
const SCENARIOS: [(&str, &str); 3] =
    [("get", "GetApis, 25 items"), ("create", "CreateApi"), ("get64", "64 concurrent GetApis, 2 workers")];

/// One measurement: calls per second, client CPU µs per call, peak RSS in KiB.
#[derive(Clone, Copy, Default)]
struct Cell {
    rate: f64,
    cpu_us: f64,
    rss_kib: f64,
}

/// Kills the server when the run ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(root: &Path, args: &Args) -> Result<()> {
    let deps = format!(
        "{}{}{DEPS}",
        match &args.client {
            Some(dir) => ours_dependency_at(&std::fs::canonicalize(dir)?, false)?,
            None => ours_dependency(root, false)?,
        },
        official_dependency(&["rt-tokio", "behavior-version-latest"])
    );
    let p = project(&root.join("target"), "call", &deps, MAIN, "bench-call")?;
    cargo(&p.dir, &["build", "--release", "--quiet"])?;
    let bin = p.dir.join("target/release/bench-call");

    let mut server =
        Server(pinned(0, &bin).arg("server").stdout(Stdio::piped()).spawn().context("starting the canned server")?);
    let mut port = String::new();
    BufReader::new(server.0.stdout.take().context("server stdout")?).read_line(&mut port)?;
    let port = port.trim().to_string();
    if port.is_empty() {
        bail!("the canned server did not start");
    }

    // cells[scenario][client] = one Cell per round
    let mut cells = vec![vec![Vec::new(); CLIENTS.len()]; SCENARIOS.len()];
    for round in 0..args.rounds {
        for (s, (scenario, _)) in SCENARIOS.iter().enumerate() {
            for k in 0..CLIENTS.len() {
                let c = (k + round) % CLIENTS.len();
                let cell = measure(&bin, CLIENTS[c], scenario, args.calls, &port)?;
                eprintln!(
                    "round {} {scenario:<6} {:<8} {:>9.0} calls/s {:>7.1} µs CPU/call {:>7.0} KiB",
                    round + 1,
                    CLIENTS[c],
                    cell.rate,
                    cell.cpu_us,
                    cell.rss_kib
                );
                cells[s][c].push(cell);
            }
        }
    }

    println!(
        "\n{} calls per measurement, {} rounds, medians; server on core 0, client on core 1\n",
        args.calls, args.rounds
    );
    println!("| call | ours | official | raw floor | ours/official | ours/floor |");
    println!("|---|---|---|---|---|---|");
    for (s, (_, label)) in SCENARIOS.iter().enumerate() {
        let med = |c: usize, f: fn(&Cell) -> f64| median(cells[s][c].iter().map(f).collect());
        let (o, a, r) = (med(0, |c| c.rate), med(1, |c| c.rate), med(2, |c| c.rate));
        println!("| {label}: calls/s | {o:.0} | {a:.0} | {r:.0} | {:.2}x | {:.2} |", o / a, o / r);
        let (o, a, r) = (med(0, |c| c.cpu_us), med(1, |c| c.cpu_us), med(2, |c| c.cpu_us));
        println!("| {label}: client CPU µs per call | {o:.0} | {a:.0} | {r:.0} | {:.2} | {:.1}x |", o / a, o / r);
        let (o, a, r) = (med(0, |c| c.rss_kib), med(1, |c| c.rss_kib), med(2, |c| c.rss_kib));
        println!(
            "| {label}: peak RSS MiB | {:.1} | {:.1} | {:.1} | {:.2} | {:.1}x |",
            o / 1024.0,
            a / 1024.0,
            r / 1024.0,
            o / a,
            o / r
        );
    }
    Ok(())
}

/// `bin` pinned to one core with `taskset`, or unpinned where there is no `taskset`.
fn pinned(core: usize, bin: &Path) -> Command {
    if Command::new("taskset").arg("-V").output().is_ok_and(|o| o.status.success()) {
        let mut c = Command::new("taskset");
        c.arg("-c").arg(core.to_string()).arg(bin);
        c
    } else {
        Command::new(bin)
    }
}

fn measure(bin: &Path, client: &str, scenario: &str, calls: usize, port: &str) -> Result<Cell> {
    let out = pinned(1, bin)
        .args(["client", client, scenario, &calls.to_string(), port])
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running the {client} client"))?;
    if !out.status.success() {
        bail!("the {client} client failed on {scenario}");
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<f64> = text.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    match nums[..] {
        [rate, cpu_us, rss_kib] => Ok(Cell { rate, cpu_us, rss_kib }),
        _ => bail!("unexpected output from the {client} client: {text}"),
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

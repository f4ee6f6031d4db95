//! `cargo xtask bench-client`: build time of the generated ApiGatewayV2 client
//! against the official `aws-sdk-apigatewayv2` crate, each in a scratch project
//! with what a user needs to call one operation, on this machine, in one run:
//! (a) a clean debug build of everything; (b) a rebuild of the service crate
//! alone, its dependencies already built (the cost of the generated code).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// Both clients as the issue measures them: tokio, no aws-config, no default features.
const TOKIO: &str = r#"tokio = { version = "1", features = ["rt", "macros"] }
"#;

/// The official crate's dependency line, with `features` on top of no default features.
pub(crate) fn official_dependency(features: &[&str]) -> String {
    format!("aws-sdk-apigatewayv2 = {{ version = \"1\", default-features = false, features = {features:?} }}\n")
}

/// Our generated crate's dependency line (`tls`: with the default `rustls` feature).
pub(crate) fn ours_dependency(root: &Path, tls: bool) -> Result<String> {
    ours_dependency_at(&root.join("generated/rust/aws-apigatewayv2-client"), tls)
}

/// [`ours_dependency`] on the generated crate in `client`.
pub(crate) fn ours_dependency_at(client: &Path, tls: bool) -> Result<String> {
    if !client.join("Cargo.toml").is_file() {
        bail!("{} is missing: run `cargo xtask generate` first", client.display());
    }
    let path = client.to_string_lossy();
    Ok(if tls {
        format!("aws-apigatewayv2-client = {{ path = {path:?} }}\n")
    } else {
        format!("aws-apigatewayv2-client = {{ path = {path:?}, default-features = false }}\n")
    })
}

const OFFICIAL_MAIN: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = aws_sdk_apigatewayv2::Config::builder()
        .behavior_version(aws_sdk_apigatewayv2::config::BehaviorVersion::latest())
        .region(aws_sdk_apigatewayv2::config::Region::new("us-east-1"))
        .build();
    let client = aws_sdk_apigatewayv2::Client::from_conf(config);
    let _ = client.get_apis().send().await;
}
"#;

const OURS_MAIN: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = aws_apigatewayv2_client::Config::builder()
        .region("us-east-1")
        .credentials(aws_apigatewayv2_client::Credentials::new("AKID", "SECRET", None))
        .build()
        .expect("config");
    let client = aws_apigatewayv2_client::Client::new(config).expect("client");
    let input = aws_apigatewayv2_client::types::GetApisRequest::builder().build().expect("input");
    let _ = client.get_apis(input).await;
}
"#;

pub(crate) struct Project {
    label: &'static str,
    pub(crate) dir: PathBuf,
    package: &'static str,
}

#[derive(clap::Args)]
pub struct Args {
    /// Rounds; each builds every project once, in a rotating order, and the table gives medians
    /// (one clean build of the official crate varies by several seconds from run to run).
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// The generated ApiGatewayV2 crate to measure (default: this checkout's).
    #[arg(long)]
    pub client: Option<PathBuf>,
}

/// The issue's bound on (a), the clean build of everything, ours over the official one.
const TARGET_CLEAN: f64 = 0.45;
/// The bound on (b), the service crate alone.
const TARGET_CRATE: f64 = 0.3;

pub fn run(root: &Path, args: &Args) -> Result<()> {
    let base = root.join("target/bench-client");
    let client = args.client.clone().unwrap_or_else(|| root.join("generated/rust/aws-apigatewayv2-client"));
    let ours_deps = ours_dependency_at(&client, false)? + TOKIO;
    let ours_tls = ours_dependency_at(&client, true)? + TOKIO;
    let official = official_dependency(&[]) + TOKIO;
    let projects = [
        project(&base, "official", &official, OFFICIAL_MAIN, "aws-sdk-apigatewayv2")?,
        project(&base, "generated", &ours_deps, OURS_MAIN, "aws-apigatewayv2-client")?,
        project(&base, "generated+rustls", &ours_tls, OURS_MAIN, "aws-apigatewayv2-client")?,
    ];
    for p in &projects {
        cargo(&p.dir, &["fetch", "--quiet"])?;
    }
    let rounds = args.rounds.max(1);
    // Per project: (clean, crate alone) of each round.
    let mut times: Vec<Vec<(f64, f64)>> = projects.iter().map(|_| Vec::new()).collect();
    for round in 0..rounds {
        // Rotating, so that no project always builds first (or right after another's build).
        for k in 0..projects.len() {
            let i = (round + k) % projects.len();
            let p = &projects[i];
            let _ = std::fs::remove_dir_all(p.dir.join("target"));
            let clean = timed(&p.dir, &["build", "--quiet"])?;
            cargo(&p.dir, &["clean", "--quiet", "-p", p.package])?;
            let crate_only = timed(&p.dir, &["build", "--quiet"])?;
            println!(
                "round {}/{rounds}  {:<18} (a) clean build {:>6.1} s   (b) service crate {:>6.1} s",
                round + 1,
                p.label,
                secs(clean),
                secs(crate_only)
            );
            times[i].push((secs(clean), secs(crate_only)));
        }
    }
    // Ratios per round (each from builds of the same round), then their median; and the median
    // times, which the table shows.
    let ratio = |i: usize, part: fn(&(f64, f64)) -> f64| {
        median(times[i].iter().zip(&times[0]).map(|(ours, official)| part(ours) / part(official)).collect())
    };
    let time = |i: usize, part: fn(&(f64, f64)) -> f64| median(times[i].iter().map(part).collect());
    let clean = |t: &(f64, f64)| t.0;
    let alone = |t: &(f64, f64)| t.1;
    println!("\n{rounds} rounds, medians (the ratio is the median of the rounds' ratios)\n");
    println!("| build | official | generated | ratio | target |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| (a) clean debug build, everything | {:.1} s | {:.1} s | {:.2}x | <= {TARGET_CLEAN}x |",
        time(0, clean),
        time(1, clean),
        ratio(1, clean)
    );
    println!(
        "| (b) service crate alone | {:.1} s | {:.1} s | {:.2}x | <= {TARGET_CRATE}x |",
        time(0, alone),
        time(1, alone),
        ratio(1, alone)
    );
    println!(
        "| generated with rustls (HTTPS), (a) / (b) | | {:.1} s / {:.1} s | {:.2}x / {:.2}x | |",
        time(2, clean),
        time(2, alone),
        ratio(2, clean),
        ratio(2, alone)
    );
    let all: Vec<String> = times[1].iter().zip(&times[0]).map(|(g, o)| format!("{:.2}x", g.0 / o.0)).collect();
    println!("\n(a) ratio per round: {}", all.join(", "));
    Ok(())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

pub(crate) fn project(
    base: &Path,
    label: &'static str,
    deps: &str,
    main: &str,
    package: &'static str,
) -> Result<Project> {
    let dir = base.join(label.replace('+', "-"));
    std::fs::create_dir_all(dir.join("src"))?;
    let manifest = format!(
        "[package]\nname = \"bench-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{deps}\n[workspace]\n",
        label.replace('+', "-")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/main.rs"), main)?;
    Ok(Project { label, dir, package })
}

pub(crate) fn cargo(dir: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .status()
        .with_context(|| format!("cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed in {}", args.join(" "), dir.display());
    }
    Ok(())
}

fn timed(dir: &Path, args: &[&str]) -> Result<Duration> {
    let start = Instant::now();
    cargo(dir, args)?;
    Ok(start.elapsed())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

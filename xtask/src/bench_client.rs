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

pub fn run(root: &Path) -> Result<()> {
    let base = root.join("target/bench-client");
    let ours_deps = ours_dependency(root, false)? + TOKIO;
    let ours_tls = ours_dependency(root, true)? + TOKIO;
    let official = official_dependency(&[]) + TOKIO;
    let projects = [
        project(&base, "official", &official, OFFICIAL_MAIN, "aws-sdk-apigatewayv2")?,
        project(&base, "generated", &ours_deps, OURS_MAIN, "aws-apigatewayv2-client")?,
        project(&base, "generated+rustls", &ours_tls, OURS_MAIN, "aws-apigatewayv2-client")?,
    ];
    let mut results = Vec::new();
    for p in &projects {
        cargo(&p.dir, &["fetch", "--quiet"])?;
        let _ = std::fs::remove_dir_all(p.dir.join("target"));
        let clean = timed(&p.dir, &["build", "--quiet"])?;
        cargo(&p.dir, &["clean", "--quiet", "-p", p.package])?;
        let crate_only = timed(&p.dir, &["build", "--quiet"])?;
        println!(
            "{:<18} (a) clean build {:>6.1} s   (b) service crate {:>6.1} s",
            p.label,
            secs(clean),
            secs(crate_only)
        );
        results.push((p.label, clean, crate_only));
    }
    let (_, oa, ob) = results[0];
    println!();
    println!("| build | official | generated | ratio | target |");
    println!("| --- | --- | --- | --- | --- |");
    let (_, ga, gb) = results[1];
    println!(
        "| (a) clean debug build, everything | {:.1} s | {:.1} s | {:.2}x | <= 0.5x |",
        secs(oa),
        secs(ga),
        secs(ga) / secs(oa)
    );
    println!(
        "| (b) service crate alone | {:.1} s | {:.1} s | {:.2}x | <= 0.3x |",
        secs(ob),
        secs(gb),
        secs(gb) / secs(ob)
    );
    let (_, ta, tb) = results[2];
    println!(
        "| generated with rustls (HTTPS), (a) / (b) | | {:.1} s / {:.1} s | {:.2}x / {:.2}x | |",
        secs(ta),
        secs(tb),
        secs(ta) / secs(oa),
        secs(tb) / secs(ob)
    );
    Ok(())
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

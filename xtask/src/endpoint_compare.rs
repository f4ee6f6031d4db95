//! `cargo xtask endpoint-compare`: the two ways endpoint rules can reach a crate, measured side
//! by side (default: ApiGatewayV2 and S3). In a scratch workspace (`target/endpoint-compare/`)
//! each service gets two binaries that differ only in their resolver:
//!
//! - `embedded`: the rule set and partition data as string constants, parsed once and walked by
//!   the runtime's interpreter, as every generated crate does today;
//! - `generated`: the rule set turned into Rust by [`crate::endpoint_code`], with the same
//!   partition data.
//!
//! The rest of each binary ([`CASES`]) reads the model's `smithy.rules#endpointTests` at run
//! time to check every case or to time resolutions. Printed per binary: build time of its crate
//! from clean (dependencies already built, they are the same for both) and after a one-line edit
//! of its `main.rs`, debug and release; the stripped release size; resolutions per second; and
//! the model's cases passed. Any failing case fails the command.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// The shared half of every binary (check and bench modes), copied into the scratch workspace.
pub const CASES: &str = include_str!("../endpoint-compare/cases.rs");

/// Its reader of one case, the module [`crate::endpoint_case`] of xtask too.
const TEST_CASE: &str = include_str!("../endpoint-compare/test_case.rs");

/// The two variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Embedded,
    Generated,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Embedded => "embedded",
            Variant::Generated => "generated",
        }
    }
}

/// A service's rules, read from its model.
pub struct Service {
    pub model: String,
    pub file: PathBuf,
    rules: Value,
}

impl Service {
    /// The rule set of `smithy_dir/<model>.json`.
    pub fn read(smithy_dir: &Path, model: &str) -> Result<Service> {
        let file = smithy_dir.join(format!("{model}.json"));
        let text = std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
        let doc: Value = serde_json::from_str(&text).with_context(|| file.display().to_string())?;
        let rules = doc
            .get("shapes")
            .and_then(Value::as_object)
            .and_then(|shapes| shapes.values().find_map(|s| s.get("traits")?.get("smithy.rules#endpointRuleSet")))
            .with_context(|| format!("{model}: no smithy.rules#endpointRuleSet"))?
            .clone();
        Ok(Service { model: model.to_owned(), file, rules })
    }

    /// The binary (and crate) name of one variant.
    pub fn crate_name(&self, variant: Variant) -> String {
        let model: String =
            self.model.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        format!("ep-{model}-{}", variant.name())
    }
}

/// The scratch workspace: its folder and the cargo that builds in it.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    /// Writes the workspace for `services` (both variants each) under `root/target`; files
    /// whose content is unchanged are left alone so cargo's fingerprints hold.
    pub fn write(root: &Path, services: &[Service]) -> Result<Scratch> {
        let dir = root.join("target/endpoint-compare");
        let partitions = codegen::read::partitions(&crate::specs::default_dir(root))?
            .context("no partition data in the spec cache (run `cargo xtask specs fetch`)")?;
        let runtime = root.join("runtime");
        let runtime_dep = format!(
            "aws-codegen-runtime = {{ path = {:?}, default-features = false }}\n",
            runtime.display().to_string()
        );
        let mut members = vec!["\"cases\"".to_owned()];
        write_if_changed(
            &dir.join("cases/Cargo.toml"),
            &format!(
                "[package]\nname = \"endpoint-cases\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n{runtime_dep}"
            ),
        )?;
        write_if_changed(&dir.join("cases/src/lib.rs"), CASES)?;
        write_if_changed(&dir.join("cases/src/test_case.rs"), TEST_CASE)?;
        for service in services {
            for variant in [Variant::Embedded, Variant::Generated] {
                let name = service.crate_name(variant);
                let crate_dir = dir.join(&name);
                members.push(format!("{name:?}"));
                write_if_changed(
                    &crate_dir.join("Cargo.toml"),
                    &format!(
                        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                         [dependencies]\n{runtime_dep}endpoint-cases = {{ path = \"../cases\" }}\n"
                    ),
                )?;
                let endpoint = match variant {
                    Variant::Embedded => embedded_source(&service.rules, &partitions),
                    Variant::Generated => generated_source(&service.rules, &partitions)
                        .with_context(|| format!("{}: generating the resolver", service.model))?,
                };
                write_if_changed(&crate_dir.join("src/endpoint.rs"), &endpoint)?;
                if !crate_dir.join("src/main.rs").exists() {
                    write_main(&crate_dir, 0)?;
                }
            }
        }
        write_if_changed(
            &dir.join("Cargo.toml"),
            &format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.release]\nstrip = true\n",
                members.join(", ")
            ),
        )?;
        // The repository's lock file pins the runtime's dependencies to the versions it is tested with.
        if !dir.join("Cargo.lock").exists() {
            std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).context("copying Cargo.lock")?;
        }
        Ok(Scratch { dir })
    }

    fn cargo(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args(args)
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env_remove("RUSTFLAGS");
        cmd
    }

    /// `cargo build -p krate` (release if asked); its wall time and the CPU time (user +
    /// system) of cargo and the compilers it ran, which the load of a shared machine bends less.
    pub fn build(&self, krate: &str, release: bool) -> Result<Took> {
        let mut args = vec!["build", "--quiet", "-p", krate];
        if release {
            args.push("--release");
        }
        let (started, cpu) = (Instant::now(), children_cpu());
        let status = self.cargo(&args).status().context("running cargo build")?;
        let took = Took { wall: started.elapsed(), cpu: children_cpu().saturating_sub(cpu) };
        if !status.success() {
            bail!("cargo build -p {krate} failed in {}", self.dir.display());
        }
        Ok(took)
    }

    fn clean(&self, krate: &str, release: bool) -> Result<()> {
        let mut args = vec!["clean", "--quiet", "-p", krate];
        if release {
            args.push("--release");
        }
        if !self.cargo(&args).status().context("running cargo clean")?.success() {
            bail!("cargo clean -p {krate} failed");
        }
        Ok(())
    }

    /// The built binary.
    pub fn binary(&self, krate: &str, release: bool) -> PathBuf {
        self.dir.join("target").join(if release { "release" } else { "debug" }).join(krate)
    }

    /// Runs `check` on the model with one built binary: (passed, failed) and what it printed.
    pub fn check(&self, krate: &str, release: bool, model: &Path) -> Result<(usize, usize, String)> {
        let out = Command::new(self.binary(krate, release)).arg("check").arg(model).output()?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let tally = stdout.lines().last().unwrap_or("");
        let mut numbers = tally.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
        let (Some(passed), Some(failed)) = (numbers.next(), numbers.next()) else {
            bail!("{krate} check printed no tally: {stdout}{}", String::from_utf8_lossy(&out.stderr));
        };
        Ok((passed.parse()?, failed.parse()?, stdout))
    }
}

/// How long a build took.
#[derive(Debug, Clone, Copy)]
pub struct Took {
    pub wall: Duration,
    pub cpu: Duration,
}

impl std::fmt::Display for Took {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1} s ({:.1} s CPU)", self.wall.as_secs_f64(), self.cpu.as_secs_f64())
    }
}

/// User + system time of this process's waited-for children (and theirs) so far.
fn children_cpu() -> Duration {
    // SAFETY: `rusage` is plain data (all-zero is a valid value) and getrusage only writes it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The embedded variant's resolver: what a generated crate carries today.
fn embedded_source(rules: &Value, partitions: &str) -> String {
    format!(
        "// Written by `cargo xtask endpoint-compare`: the rules as data, interpreted by the runtime.\n\
         use std::sync::OnceLock;\n\n\
         use aws_codegen_runtime::endpoint::{{Endpoint, EndpointError, Params, Resolver}};\n\n\
         const RULES: &str = {:?};\n\n\
         const PARTITIONS: &str = {partitions:?};\n\n\
         pub fn resolve(params: &Params) -> Result<Endpoint, EndpointError> {{\n    \
             static RESOLVER: OnceLock<Result<Resolver, EndpointError>> = OnceLock::new();\n    \
             match RESOLVER.get_or_init(|| Resolver::parse(RULES, PARTITIONS)) {{\n        \
                 Ok(r) => r.resolve(params),\n        \
                 Err(e) => Err(e.clone()),\n    \
             }}\n\
         }}\n",
        codegen::read::smithy::compact_rules(rules)
    )
}

/// The generated variant's resolver: the rules as code, the partition data as before.
fn generated_source(rules: &Value, partitions: &str) -> Result<String> {
    let mut code = crate::endpoint_code::resolver_source(rules)?;
    code.push_str(&format!(
        "\nconst PARTITIONS: &str = {partitions:?};\n\n\
         pub fn resolve(params: &Params) -> Result<Endpoint, EndpointError> {{\n    \
             static DATA: std::sync::OnceLock<Result<Partitions, EndpointError>> = std::sync::OnceLock::new();\n    \
             match DATA.get_or_init(|| Partitions::parse(PARTITIONS)) {{\n        \
                 Ok(p) => resolve_rules(params, p),\n        \
                 Err(e) => Err(e.clone()),\n    \
             }}\n\
         }}\n"
    ));
    Ok(code)
}

/// `main.rs` with `edit` in its code: changing it is the one-line edit of the incremental build.
fn write_main(crate_dir: &Path, edit: u32) -> Result<()> {
    write_if_changed(
        &crate_dir.join("src/main.rs"),
        &format!(
            "mod endpoint;\n\nfn main() -> std::process::ExitCode {{\n    std::hint::black_box({edit}u32);\n    \
             endpoint_cases::main(endpoint::resolve)\n}}\n"
        ),
    )
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| parent.display().to_string())?;
    }
    std::fs::write(path, text).with_context(|| path.display().to_string())
}

struct Row {
    model: String,
    variant: Variant,
    krate: String,
    source_bytes: u64,
    /// Debug from clean, debug after an edit, release from clean, release after an edit.
    builds: [Took; 4],
    size: u64,
    passed: usize,
    /// The best of the benchmark rounds.
    rate: f64,
    first_call: f64,
}

/// Builds, checks and times both variants of each model; prints the table. True if every
/// model's cases pass through both.
pub fn run(root: &Path, smithy_dir: &Path, models: &[String], bench_seconds: f64, rounds: u32) -> Result<bool> {
    let services: Vec<Service> = models.iter().map(|m| Service::read(smithy_dir, m)).collect::<Result<_>>()?;
    let scratch = Scratch::write(root, &services)?;
    println!("scratch workspace: {}", scratch.dir.display());
    // Dependencies (the runtime and its tree) first, untimed: they are the same for both variants.
    for release in [false, true] {
        scratch.build("endpoint-cases", release)?;
    }
    let mut rows = Vec::new();
    let mut ok = true;
    for service in &services {
        for variant in [Variant::Embedded, Variant::Generated] {
            let krate = service.crate_name(variant);
            let crate_dir = scratch.dir.join(&krate);
            let mut builds = Vec::new();
            for release in [false, true] {
                scratch.clean(&krate, release)?;
                let clean = scratch.build(&krate, release)?;
                write_main(&crate_dir, edit_counter(&crate_dir)? + 1)?;
                let edit = scratch.build(&krate, release)?;
                println!(
                    "{krate} {}: {clean} from clean, {edit} after an edit of main.rs",
                    if release { "release" } else { "debug" }
                );
                builds.extend([clean, edit]);
            }
            let (passed, failed, out) = scratch.check(&krate, true, &service.file)?;
            println!("{krate}: {passed} passed, {failed} failed");
            if failed > 0 {
                print!("{out}");
                ok = false;
            }
            rows.push(Row {
                model: service.model.clone(),
                variant,
                source_bytes: std::fs::metadata(crate_dir.join("src/endpoint.rs"))?.len(),
                builds: [builds[0], builds[1], builds[2], builds[3]],
                size: std::fs::metadata(scratch.binary(&krate, true))?.len(),
                passed,
                rate: 0.0,
                first_call: f64::MAX,
                krate,
            });
        }
    }
    // Rounds over all binaries in turn, keeping each one's best: other work on the machine
    // slows some rounds, never speeds one up.
    for _ in 0..rounds.max(1) {
        for (row, service) in rows.iter_mut().zip(services.iter().flat_map(|s| [s, s])) {
            let bench = Command::new(scratch.binary(&row.krate, true))
                .arg("bench")
                .arg(&service.file)
                .arg(bench_seconds.to_string())
                .output()?;
            let text = String::from_utf8_lossy(&bench.stdout).into_owned();
            let mut numbers =
                text.split(|c: char| !c.is_ascii_digit() && c != '.').filter_map(|n| n.parse::<f64>().ok());
            let (Some(rate), Some(first), true) = (numbers.next(), numbers.next(), bench.status.success()) else {
                bail!("{} bench: {text}{}", row.krate, String::from_utf8_lossy(&bench.stderr));
            };
            row.rate = row.rate.max(rate);
            row.first_call = row.first_call.min(first);
        }
    }
    println!(
        "\nBuild of the binary's crate (its dependencies already built), wall and CPU; best of {rounds} rounds of \
         {bench_seconds} s for speed.\n"
    );
    println!(
        "| model | variant | resolver source | debug, clean | debug, edit | release, clean | release, edit | \
         stripped release binary | resolutions/s | first call | endpoint tests |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for r in &rows {
        println!(
            "| {} | {} | {} B | {} | {} | {} | {} | {} B | {:.0} | {:.0} µs | {} passed |",
            r.model,
            r.variant.name(),
            r.source_bytes,
            r.builds[0],
            r.builds[1],
            r.builds[2],
            r.builds[3],
            r.size,
            r.rate,
            r.first_call,
            r.passed,
        );
    }
    Ok(ok)
}

/// The edit number in a crate's `main.rs`.
fn edit_counter(crate_dir: &Path) -> Result<u32> {
    let main = std::fs::read_to_string(crate_dir.join("src/main.rs"))?;
    Ok(main.split("black_box(").nth(1).and_then(|s| s.split("u32").next()).and_then(|n| n.parse().ok()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated resolvers of ApiGatewayV2 and S3 give what every case of the models'
    /// `smithy.rules#endpointTests` expects: the cases are read from the models at run time by
    /// the binary, and the binary is built from code generated from the same models.
    #[test]
    fn generated_resolvers_pass_the_models_endpoint_tests() {
        let root = crate::repo_root();
        let smithy =
            crate::shared_dir(&root, std::env::var_os("CODEGEN_SHARED_SPECS").map(PathBuf::from)).join("smithy");
        let services: Vec<Service> = ["apigatewayv2", "s3"]
            .iter()
            .map(|m| Service::read(&smithy, m).expect("the model is in ../shared/specs"))
            .collect();
        let scratch = Scratch::write(&root, &services).expect("scratch workspace");
        for service in &services {
            let krate = service.crate_name(Variant::Generated);
            scratch.build(&krate, false).expect("the generated resolver builds");
            let (passed, failed, out) = scratch.check(&krate, false, &service.file).expect("check runs");
            assert_eq!(failed, 0, "{}: {out}", service.model);
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&service.file).expect("model")).expect("JSON");
            let cases = crate::endpoint_case::model_cases(&doc).map_or(0, Vec::len);
            assert!(cases > 0, "{}: no cases", service.model);
            assert_eq!(passed, cases, "{}: {out}", service.model);
        }
    }
}

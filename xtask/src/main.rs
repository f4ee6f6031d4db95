//! `cargo xtask`: the command line of the generator.

mod bench;
mod bench_call;
mod bench_client;
mod clients;
mod crate_settings;
mod endpoint_bench;
/// One endpoint test case: the same file the endpoint-compare binaries build on.
#[path = "../endpoint-compare/test_case.rs"]
mod endpoint_case;
mod endpoint_code;
mod endpoint_compare;
mod endpoint_tests;
mod progress;
mod protocol_tests;
mod runtime_path;
mod specs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

/// See xtask/Cargo.toml: the generator is allocation-bound.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Generate docs (and more) from AWS specs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate every output from a spec directory.
    Generate {
        /// Spec directory (`cloudformation/*.json`, `smithy/*.json`); default: the spec cache.
        #[arg(long, env = "CODEGEN_SPECS")]
        specs: Option<PathBuf>,
        /// Output root; default: the repository root.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write nothing; fail if any output differs from what is on disk, or is stale.
        #[arg(long)]
        check: bool,
        /// Read the full shared corpus instead of a spec directory: `<shared>/cloudformation-all/*.json`
        /// and `<shared>/smithy/*.json`. Needs --out (the corpus never goes into the repository).
        #[arg(long, requires = "out")]
        all: bool,
        /// The shared specs folder for --all; default: `../shared/specs` beside the repository.
        #[arg(long, env = "CODEGEN_SHARED_SPECS")]
        shared: Option<PathBuf>,
        /// The StackQL provider name: the first part of every SQL resource id, and the
        /// provider and docs folder. `aws` matches StackQL's docs pages for these
        /// resources; pick `awscc` (StackQL's name for its Cloud Control provider) to
        /// install beside StackQL's native `aws` provider without shadowing it.
        #[arg(long, default_value = codegen::model::DEFAULT_PROVIDER, value_parser = provider_name)]
        provider: String,
        /// The `repository` URL of the generated crates; default: `[workspace.package] repository`
        /// of the repository's `Cargo.toml`, where the project sets it once.
        #[arg(long)]
        repository: Option<String>,
    },
    /// Check every SQL statement on the docs pages against a StackQL provider, by
    /// the engine's own rules (method and view selection, parameter names, columns),
    /// and validate the provider documents against StackQL's schemas.
    Judge {
        /// The judge's own arguments (`--provider DIR`, `--pages DIR`, `--schemas DIR`, `--verbose`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Time the generator (release build) on the pinned specs and on the full corpus.
    Bench(bench::Args),
    /// One measurement of `bench`, in a process of its own (so peak memory is its own).
    #[command(hide = true)]
    BenchSet(bench::SetArgs),
    /// Manage the pinned input specs.
    Specs {
        #[command(subcommand)]
        command: SpecsCommand,
    },
    /// Build time of the generated ApiGatewayV2 client against the official SDK crate.
    BenchClient(bench_client::Args),
    /// Per-call cost of the generated ApiGatewayV2 client against the official SDK and a raw
    /// hyper client (the floor), on loopback against a canned server.
    BenchCall(bench_call::Args),
    /// Run the Rust client emitter on other Smithy models and build each crate.
    Clients {
        /// Model names in `<shared>/smithy/` (default: `clients::DEFAULT_MODELS`, one or more per protocol).
        models: Vec<String>,
        /// The shared specs folder; default: `../shared/specs` beside the repository.
        #[arg(long, env = "CODEGEN_SHARED_SPECS")]
        shared: Option<PathBuf>,
    },
    /// Generate the client of each service of the Smithy AWS protocol test suite, with one test
    /// per client case, build and run them, and print per protocol the passed, failed and
    /// skipped counts. Skipped cases and why: xtask/protocol-tests-skip.toml.
    ProtocolTests {
        /// Only services of these protocols (e.g. restJson1); default: every protocol of the suite.
        #[arg(long = "protocol")]
        protocols: Vec<String>,
        /// The suite as a Smithy JSON AST; default: `../shared/protocol-tests/aws-protocol-tests.json`.
        #[arg(long, env = "CODEGEN_PROTOCOL_TESTS")]
        suite: Option<PathBuf>,
        /// Also list each skipped case with its reason.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Every `smithy.rules#endpointTests` case of every Smithy model, through the runtime's rules
    /// engine; prints per failing service and in all `N passed, N failed`.
    EndpointTests {
        /// Model names in `<shared>/smithy/` (default: every model).
        models: Vec<String>,
        /// The shared specs folder; default: `../shared/specs` beside the repository.
        #[arg(long, env = "CODEGEN_SHARED_SPECS")]
        shared: Option<PathBuf>,
        /// Also print the counts of services with no failure.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Speed of the endpoint rules engine on real rule sets: embedded size, parse, resolutions
    /// per second and the per-call cost with the cache (build in release for real figures).
    EndpointBench {
        /// Model names in `<shared>/smithy/` (default: apigatewayv2 and s3).
        models: Vec<String>,
        /// The shared specs folder; default: `../shared/specs` beside the repository.
        #[arg(long, env = "CODEGEN_SHARED_SPECS")]
        shared: Option<PathBuf>,
    },
    /// The endpoint rules embedded and interpreted against the same rules generated as Rust code:
    /// per model, two small binaries built in a scratch workspace; prints build times (from clean
    /// and after an edit, debug and release), stripped release size, resolutions per second and
    /// the model's endpoint tests passed by each. Fails if a case fails through either.
    EndpointCompare {
        /// Model names in `<shared>/smithy/` (default: apigatewayv2 and s3).
        models: Vec<String>,
        /// The shared specs folder; default: `../shared/specs` beside the repository.
        #[arg(long, env = "CODEGEN_SHARED_SPECS")]
        shared: Option<PathBuf>,
        /// Seconds of timed resolutions per binary and round.
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
        /// Benchmark rounds over all binaries in turn (each binary's best is kept).
        #[arg(long, default_value_t = 5)]
        rounds: u32,
    },
    /// Fetch the specs, then run the whole test suite.
    Test {
        /// Mirror directory to fetch specs from (see `specs fetch`).
        #[arg(long, env = "CODEGEN_SPECS_MIRROR")]
        mirror: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum SpecsCommand {
    /// Fill the spec cache (specs/cache) with every pinned file, verifying sha256.
    Fetch {
        /// Directory laid out like the pin file's paths; without it, download from upstream.
        #[arg(long, env = "CODEGEN_SPECS_MIRROR")]
        mirror: Option<PathBuf>,
    },
}

/// `--shared` / `CODEGEN_SHARED_SPECS`, or `../shared/specs` beside the repository.
fn shared_dir(root: &Path, shared: Option<PathBuf>) -> PathBuf {
    shared.unwrap_or_else(|| root.join("../shared/specs"))
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = repo_root();
    match cli.command {
        Command::Generate { all: true, shared, out, check, provider, repository, .. } => {
            let out = out.context("--all needs --out")?;
            let lock = start(&out, check)?;
            let shared = shared_dir(&root, shared);
            let started = std::time::Instant::now();
            let files = bench::corpus_files(&shared)?;
            let crates = crate_settings::for_output(&root, &out, repository)?;
            let outputs = build(&shared, Some(&files), &provider, &crates)?;
            write(&outputs, &out, lock.as_ref(), started)
        }
        Command::Generate { specs, out, check, provider, repository, .. } => {
            let out = out.unwrap_or(root.clone());
            let lock = start(&out, check)?;
            let specs = specs.unwrap_or_else(|| specs::default_dir(&root));
            let crates = crate_settings::for_output(&root, &out, repository)?;
            generate(&specs, &out, &provider, &crates, lock.as_ref())
        }
        // Its own crate, so its parsers stay out of the `generate` build.
        Command::Judge { args } => {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let status = std::process::Command::new(cargo)
                .args(["run", "--quiet", "--package", "stackql-judge", "--"])
                .args(&args)
                .current_dir(&root)
                .status()
                .context("running the judge")?;
            Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Bench(args) => {
            let shared = shared_dir(&root, args.shared.clone());
            bench::run(&root, &specs::default_dir(&root), &shared, args.runs)
        }
        Command::BenchSet(args) => bench::run_set(&args),
        Command::Specs { command: SpecsCommand::Fetch { mirror } } => {
            specs::fetch(&root, &specs::default_dir(&root), mirror.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchClient(args) => {
            bench_client::run(&root, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchCall(args) => {
            bench_call::run(&root, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Clients { models, shared } => {
            let models = if models.is_empty() {
                clients::DEFAULT_MODELS.iter().map(|m| m.to_string()).collect()
            } else {
                models
            };
            let shared = shared_dir(&root, shared);
            Ok(if clients::run(&root, &shared, &models)? { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::ProtocolTests { protocols, suite, verbose } => {
            let suite = suite.unwrap_or_else(|| root.join("../shared/protocol-tests/aws-protocol-tests.json"));
            let ok = protocol_tests::run(&root, &suite, &protocols, verbose)?;
            Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::EndpointTests { models, shared, verbose } => {
            let smithy = shared_dir(&root, shared).join("smithy");
            let ok = endpoint_tests::run(&root, &smithy, &models, verbose)?;
            Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::EndpointBench { models, shared } => {
            let models = if models.is_empty() { vec!["apigatewayv2".to_owned(), "s3".to_owned()] } else { models };
            endpoint_bench::run(&root, &shared_dir(&root, shared).join("smithy"), &models)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::EndpointCompare { models, shared, seconds, rounds } => {
            let models = if models.is_empty() { vec!["apigatewayv2".to_owned(), "s3".to_owned()] } else { models };
            let ok = endpoint_compare::run(&root, &shared_dir(&root, shared).join("smithy"), &models, seconds, rounds)?;
            Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Test { mirror } => {
            specs::fetch(&root, &specs::default_dir(&root), mirror.as_deref())?;
            test(&root)
        }
    }
}

/// One step of `test`: name, program, arguments, folder, extra environment.
type Step<'a> = (&'a str, &'a str, Vec<&'a str>, &'a Path, &'a [(&'a str, &'a str)]);

/// The whole suite, in the order that fails fastest: format and lints, Rust tests, then the
/// MDX compile check of every generated page.
fn test(root: &Path) -> Result<ExitCode> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let docs = root.join("docs-site");
    let none: &[(&str, &str)] = &[];
    let deny_doc_warnings: &[(&str, &str)] = &[("RUSTDOCFLAGS", "-D warnings")];
    let steps: Vec<Step> = vec![
        // Generated crates are formatted by the generator (prettyplease), not rustfmt.
        (
            "rustfmt",
            &cargo,
            vec![
                "fmt",
                "-p",
                "codegen",
                "-p",
                "xtask",
                "-p",
                "stackql-judge",
                "-p",
                "aws-codegen-runtime",
                "-p",
                "aws-codegen-sso-credentials",
                "-p",
                "aws-codegen-sts-credentials",
                "-p",
                "integration",
                "--check",
            ],
            root,
            none,
        ),
        (
            "clippy",
            &cargo,
            vec!["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"],
            root,
            none,
        ),
        // The runtime without the credential chain (what `default-features = false` users build).
        (
            "clippy, runtime without credential-chain",
            &cargo,
            vec![
                "clippy",
                "-p",
                "aws-codegen-runtime",
                "--no-default-features",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
            root,
            none,
        ),
        // Generated crates and the runtime must document without a warning.
        (
            "rustdoc",
            &cargo,
            vec!["doc", "--workspace", "--no-deps", "--locked", "--exclude", "xtask", "--exclude", "integration"],
            root,
            deny_doc_warnings,
        ),
        // moto's server and boto3, pinned, for the client tests.
        ("python venv", "bash", vec!["integration/setup-venv.sh"], root, none),
        ("tests", &cargo, vec!["test", "--workspace", "--locked"], root, none),
        // The runtime's optional features (XML and Query, gzip, the testing helpers), which the
        // workspace build leaves off: their lints and tests.
        (
            "runtime features",
            &cargo,
            vec![
                "clippy",
                "-p",
                "aws-codegen-runtime",
                "--all-targets",
                "--locked",
                "--features",
                "xml,testing,request-compression",
                "--",
                "-D",
                "warnings",
            ],
            root,
            none,
        ),
        (
            "runtime feature tests",
            &cargo,
            vec!["test", "-p", "aws-codegen-runtime", "--locked", "--features", "xml,testing,request-compression"],
            root,
            none,
        ),
        ("npm ci", "npm", vec!["ci", "--no-audit", "--no-fund"], &docs, none),
        ("mdx", "npm", vec!["run", "--silent", "check-mdx"], &docs, none),
    ];
    // `npm ci` deletes node_modules and installs ~1,300 packages (about a minute): skipped when
    // node_modules was installed from this very lock file (its sha256, stamped after a
    // successful `npm ci`).
    let lock = std::fs::read(docs.join("package-lock.json")).context("reading docs-site/package-lock.json")?;
    let lock_sum = specs::sha256_hex(&lock);
    let stamp = docs.join("node_modules/.aws-codegen-lock-sha256");
    let installed = std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == lock_sum);
    for (name, program, args, dir, env) in steps {
        if name == "npm ci" && installed {
            eprintln!("== {name}: skipped, node_modules matches package-lock.json");
            continue;
        }
        eprintln!("== {name}: {program} {}", args.join(" "));
        let status = std::process::Command::new(program)
            .args(&args)
            .envs(env.iter().copied())
            .current_dir(dir)
            .status()
            .with_context(|| format!("running {program} (is it installed? see .ci/run)"))?;
        if !status.success() {
            eprintln!("== {name} failed");
            return Ok(ExitCode::FAILURE);
        }
        if name == "npm ci" {
            std::fs::write(&stamp, &lock_sum).with_context(|| format!("writing {}", stamp.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The line a run ends with: what the output covers, what was skipped and why, and the time.
fn summary(outputs: &codegen::emit::Outputs, elapsed: std::time::Duration) -> String {
    let s = &outputs.summary;
    let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    let mut line = format!(
        "covers {}: {}, {}, {}, {}",
        n(s.services, "service", "services"),
        n(s.resources, "resource page", "resource pages"),
        n(s.operation_pages, "operation page", "operation pages"),
        n(s.crates, "Rust client crate", "Rust client crates"),
        n(s.provider_files, "StackQL provider file", "StackQL provider files"),
    );
    // Skip lines read `<what>: <reason>`; counted per reason, as a corpus skips hundreds.
    let mut reasons: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for skipped in &outputs.skipped {
        let reason = skipped.split_once(": ").map_or(skipped.as_str(), |(_, r)| r);
        *reasons.entry(reason).or_default() += 1;
    }
    if reasons.is_empty() {
        line.push_str("; nothing skipped");
    } else {
        let parts: Vec<String> = reasons.iter().map(|(reason, n)| format!("{n} × {reason}")).collect();
        line.push_str(&format!("; {} skipped: {}", outputs.skipped.len(), parts.join(", ")));
    }
    line.push_str(&format!("; {:.1} s", elapsed.as_secs_f64()));
    line
}

/// A provider name is one SQL identifier part: lower-case letters, digits, `_`.
fn provider_name(s: &str) -> Result<String, String> {
    let ok = s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(s.to_string())
    } else {
        Err("a provider name is lower-case letters, digits and `_`, starting with a letter".into())
    }
}

/// What a run does before anything else. A writing run takes the output folder's lock
/// (a second run fails at once, naming the first one's pid), finishes or undoes a commit
/// a killed run left (from its journal), and from then on stops cleanly on Ctrl-C
/// (see [`codegen::output::interrupt`]). `--check` only reads, and takes no lock.
fn start(out: &Path, check: bool) -> Result<Option<codegen::output::Lock>> {
    if check {
        return Ok(None);
    }
    let lock = codegen::output::lock(out)?;
    match codegen::output::recover(out, &lock)? {
        codegen::output::Recovered::Nothing => {}
        codegen::output::Recovered::Finished => {
            eprintln!("recovered: finished the commit of a run killed while committing; its output is complete")
        }
        codegen::output::Recovered::Undone => {
            eprintln!(
                "recovered: finished undoing the failed commit of a killed run; the output is as it was before it"
            )
        }
    }
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM])
        .context("installing the Ctrl-C handler")?;
    std::thread::spawn(move || {
        for _ in signals.forever() {
            codegen::output::interrupt(|| {
                eprintln!("interrupted: nothing in {} changed", out_display());
                std::process::exit(130);
            });
        }
    });
    OUT.set(out.display().to_string()).ok();
    Ok(Some(lock))
}

/// The output folder, for the message of a Ctrl-C.
static OUT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn out_display() -> &'static str {
    OUT.get().map_or("the output folder", String::as_str)
}

fn generate(
    specs: &Path,
    out: &Path,
    provider: &str,
    crates: &codegen::emit::rust::CrateSettings,
    lock: Option<&codegen::output::Lock>,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    if !exists(&specs.join("cloudformation")) && !exists(&specs.join("smithy")) {
        anyhow::bail!(
            "{}: no specs here (expected cloudformation/*.json and/or smithy/*.json). \
             Fetch the pinned ones with `cargo xtask specs fetch --mirror ../shared/specs` \
             (or without --mirror to download them), or pass --specs DIR.",
            specs.display()
        );
    }
    write(&build(specs, None, provider, crates)?, out, lock, started)
}

/// Generates in memory, with a spinner naming the stage (on a terminal only).
fn build(
    specs: &Path,
    files: Option<&codegen::read::SpecFiles>,
    provider: &str,
    crates: &codegen::emit::rust::CrateSettings,
) -> Result<codegen::emit::Outputs> {
    let what = match files {
        Some(f) => format!("{} spec files", f.cloudformation.len() + f.smithy.len()),
        None => specs.display().to_string(),
    };
    let spinner = progress::spinner(format!("reading {what}"));
    let outputs = codegen::generate_reporting(specs, files, provider, crates, &|stage| {
        spinner.set_message(match stage {
            codegen::Stage::Reading => format!("reading {what}"),
            codegen::Stage::Linking { services } => format!("naming and linking {services} services"),
            codegen::Stage::Rendering { services } => {
                format!("rendering pages, provider and crates of {services} services")
            }
        })
    });
    spinner.finish_and_clear();
    Ok(outputs?)
}

/// Writes the outputs below `out` under its lock, or without one (`--check`) compares
/// them with what is there.
fn write(
    outputs: &codegen::emit::Outputs,
    out: &Path,
    lock: Option<&codegen::output::Lock>,
    started: std::time::Instant,
) -> Result<ExitCode> {
    // What an emitter could not make (a client for a protocol not generated yet), one line each.
    for line in &outputs.skipped {
        eprintln!("skip: {line}");
    }
    let spinner = progress::spinner(format!("comparing {} files with {}", outputs.files.len(), out.display()));
    let plan = codegen::output::plan(out, outputs);
    spinner.finish_and_clear();
    let plan = plan?;
    for path in &plan.foreign {
        eprintln!("note: {path} is not generated; left as it is");
    }
    let Some(lock) = lock else {
        if plan.is_clean() {
            eprintln!("check: {} files up to date", plan.unchanged);
            eprintln!("{}", summary(outputs, started.elapsed()));
            return Ok(ExitCode::SUCCESS);
        }
        for line in plan.drift() {
            eprintln!("{line}");
        }
        eprintln!("check: {} differences; run `cargo xtask generate` and commit the result", plan.drift().len());
        return Ok(ExitCode::FAILURE);
    };
    let spinner = progress::spinner(format!("writing {} files", plan.writes.len() + plan.deletes.len()));
    let applied = codegen::output::apply(out, &plan, lock);
    spinner.finish_and_clear();
    if let Err(e) = applied {
        if matches!(e, codegen::Error::Interrupted { .. }) {
            eprintln!("interrupted: {e}");
            return Ok(ExitCode::from(130));
        }
        return Err(e.into());
    }
    eprintln!(
        "generate: {} written, {} removed, {} unchanged, in {}",
        plan.writes.len(),
        plan.deletes.len(),
        plan.unchanged,
        out.display()
    );
    eprintln!("{}", summary(outputs, started.elapsed()));
    if codegen::output::interrupted() {
        eprintln!("interrupted after the commit had begun: it was finished, and the output is complete");
        return Ok(ExitCode::from(130));
    }
    Ok(ExitCode::SUCCESS)
}

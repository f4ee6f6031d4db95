//! `cargo xtask endpoint-bench`: the rules engine's speed on real rule sets (default: ApiGatewayV2
//! and S3 from `../shared/specs/smithy`): the embedded size, the one-off parse, resolutions per
//! second over the parameter sets of the model's own test cases, and the per-call cost through
//! the runtime's cache. Build it in release for meaningful figures (`cargo run --release -p
//! xtask -- endpoint-bench`).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use aws_codegen_runtime::endpoint::{CachedResolver, Partitions, Resolver, RuleSet};
use serde_json::Value;

use crate::endpoint_case;

/// Runs the benchmark on each model of `smithy_dir` named in `models`.
pub fn run(root: &Path, smithy_dir: &Path, models: &[String]) -> Result<()> {
    let partitions_file = crate::endpoint_tests::partitions_path(root);
    let partitions_json = std::fs::read_to_string(&partitions_file)
        .with_context(|| format!("{} (run `cargo xtask specs fetch`)", partitions_file.display()))?;
    let compact_partitions =
        codegen::read::partitions(&crate::specs::default_dir(root))?.context("no partition data in the spec cache")?;
    println!(
        "partition data: {} bytes embedded (of {} in partitions.json)",
        compact_partitions.len(),
        partitions_json.len()
    );
    if cfg!(debug_assertions) {
        println!("(debug build: run with `cargo run --release -p xtask -- endpoint-bench` for real figures)");
    }
    for model in models {
        let file = smithy_dir.join(format!("{model}.json"));
        let text = std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
        let doc: Value = serde_json::from_str(&text).with_context(|| file.display().to_string())?;
        let Some(rules) = doc
            .get("shapes")
            .and_then(Value::as_object)
            .and_then(|shapes| shapes.values().find_map(|s| s.get("traits")?.get("smithy.rules#endpointRuleSet")))
        else {
            bail!("{model}: no endpoint rule set");
        };
        let embedded = codegen::read::smithy::compact_rules(rules);
        let param_sets =
            endpoint_case::endpoint_params(endpoint_case::model_cases(&doc).map_or(&[][..], Vec::as_slice));
        if param_sets.is_empty() {
            bail!("{model}: no test case resolves to an endpoint");
        }

        let parse = time_per(Duration::from_millis(300), || {
            let rules = RuleSet::parse(&embedded).map(black_box).is_ok();
            let partitions = Partitions::parse(&compact_partitions).map(black_box).is_ok();
            rules && partitions
        })?;
        let resolver = Resolver::parse(&embedded, &compact_partitions)?;
        let mut i = 0;
        let resolve = time_per(Duration::from_secs(1), || {
            i = (i + 1) % param_sets.len();
            resolver.resolve(black_box(&param_sets[i])).is_ok()
        })?;
        let cached = CachedResolver::new(Resolver::parse(&embedded, &compact_partitions)?);
        let one = &param_sets[0];
        let hit = time_per(Duration::from_millis(500), || cached.resolve(black_box(one)).is_ok())?;
        println!(
            "{model}: {} bytes of rules embedded (of {} in the model); parse of rules and partitions once per \
             client {:.1} µs; {:.0} resolutions/s ({:.2} µs each, over the {} parameter sets of its test cases); \
             per call with the cache {:.3} µs",
            embedded.len(),
            rules.to_string().len(),
            parse.as_secs_f64() * 1e6,
            1.0 / resolve.as_secs_f64(),
            resolve.as_secs_f64() * 1e6,
            param_sets.len(),
            hit.as_secs_f64() * 1e6,
        );
    }
    Ok(())
}

/// The mean time of one call of `f` over at least `budget`; every call must succeed.
fn time_per(budget: Duration, mut f: impl FnMut() -> bool) -> Result<Duration> {
    let start = Instant::now();
    let mut n: u32 = 0;
    let mut failures = 0u32;
    while start.elapsed() < budget || n == 0 {
        for _ in 0..64 {
            if !f() {
                failures += 1;
            }
            n += 1;
        }
    }
    if failures > 0 {
        bail!("{failures} of {n} benchmarked calls failed");
    }
    Ok(start.elapsed() / n)
}

//! The half of every `cargo xtask endpoint-compare` binary that is the same for both variants:
//! reads the model's `smithy.rules#endpointTests` at run time and either checks every case
//! against the binary's resolver (`check MODEL`) or times resolutions over the parameter sets of
//! the cases that expect an endpoint (`bench MODEL SECONDS`). Written into the scratch project by
//! xtask; kept out of the variants so their difference is only the resolver.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use aws_codegen_runtime::endpoint::{Endpoint, EndpointError, Params};
use aws_codegen_runtime::serde_json::{self, Value};

/// The reading and checking of one case, shared with `cargo xtask endpoint-tests`.
mod test_case;

/// The resolver a variant brings.
pub type Resolve = fn(&Params) -> Result<Endpoint, EndpointError>;

/// Runs the mode named on the command line with `resolve`.
pub fn main(resolve: Resolve) -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(model)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: {} check|bench MODEL.json [SECONDS]", args[0]);
        return ExitCode::FAILURE;
    };
    let cases = match read_cases(model) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{model}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match mode.as_str() {
        "check" => check(resolve, &cases),
        "bench" => {
            let seconds = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1.0);
            bench(resolve, &cases, Duration::from_secs_f64(seconds))
        }
        other => {
            eprintln!("unknown mode `{other}`");
            ExitCode::FAILURE
        }
    }
}

fn read_cases(model: &str) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(model).map_err(|e| e.to_string())?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    test_case::model_cases(&doc).cloned().ok_or_else(|| "no smithy.rules#endpointTests".to_owned())
}

fn check(resolve: Resolve, cases: &[Value]) -> ExitCode {
    let (mut passed, mut failed) = (0, 0);
    for (i, case) in cases.iter().enumerate() {
        let outcome = test_case::params(case)
            .and_then(|p| test_case::check(resolve(&p), case.get("expect").unwrap_or(&Value::Null)));
        match outcome {
            Ok(()) => passed += 1,
            Err(reason) => {
                failed += 1;
                println!("FAIL case {i}: {reason}");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn bench(resolve: Resolve, cases: &[Value], budget: Duration) -> ExitCode {
    let sets = test_case::endpoint_params(cases);
    if sets.is_empty() {
        eprintln!("no case resolves to an endpoint");
        return ExitCode::FAILURE;
    }
    // The first call parses what the variant parses once (rules, partitions): not timed.
    let first = Instant::now();
    let _ = black_box(resolve(&sets[0]));
    let first = first.elapsed();
    let (start, mut n, mut i) = (Instant::now(), 0u64, 0usize);
    while start.elapsed() < budget {
        for _ in 0..64 {
            i = (i + 1) % sets.len();
            let _ = black_box(resolve(black_box(&sets[i])));
            n += 1;
        }
    }
    println!("{:.0} resolutions/s; first call {:.1} us", n as f64 / start.elapsed().as_secs_f64(), first.as_secs_f64() * 1e6);
    ExitCode::SUCCESS
}

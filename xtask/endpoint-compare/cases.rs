//! The half of every `cargo xtask endpoint-compare` binary that is the same for both variants:
//! reads the model's `smithy.rules#endpointTests` at run time and either checks every case
//! against the binary's resolver (`check MODEL`) or times resolutions over the parameter sets of
//! the cases that expect an endpoint (`bench MODEL SECONDS`). Written into the scratch project by
//! xtask; kept out of the variants so their difference is only the resolver.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use aws_codegen_runtime::endpoint::{Endpoint, EndpointError, ParamValue, Params};
use aws_codegen_runtime::serde_json::{self, Map, Value};

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
    doc.get("shapes")
        .and_then(Value::as_object)
        .and_then(|shapes| shapes.values().find_map(|s| s.get("traits")?.get("smithy.rules#endpointTests")))
        .and_then(|t| t.get("testCases"))
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| "no smithy.rules#endpointTests".to_owned())
}

fn params(case: &Value) -> Result<Params, String> {
    let mut params = Params::new();
    for (name, value) in case.get("params").and_then(Value::as_object).into_iter().flatten() {
        params.set(name, ParamValue::from_json(value).ok_or_else(|| format!("parameter `{name}` is {value}"))?);
    }
    Ok(params)
}

fn check(resolve: Resolve, cases: &[Value]) -> ExitCode {
    let (mut passed, mut failed) = (0, 0);
    for (i, case) in cases.iter().enumerate() {
        let outcome = params(case).and_then(|p| compare(resolve(&p), case.get("expect").unwrap_or(&Value::Null)));
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

fn compare(result: Result<Endpoint, EndpointError>, expect: &Value) -> Result<(), String> {
    match (result, expect.get("endpoint"), expect.get("error").and_then(Value::as_str)) {
        (Ok(e), Some(want), _) => {
            let url = want.get("url").and_then(Value::as_str).unwrap_or("");
            if e.url != url {
                return Err(format!("URL `{}`, expected `{url}`", e.url));
            }
            let headers: Map<String, Value> = e
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), Value::Array(v.iter().cloned().map(Value::String).collect())))
                .collect();
            let want_headers = want.get("headers").cloned().unwrap_or_else(|| Value::Object(Map::new()));
            if Value::Object(headers.clone()) != want_headers {
                return Err(format!("headers {}, expected {want_headers}", Value::Object(headers)));
            }
            let want_props = want.get("properties").cloned().unwrap_or_else(|| Value::Object(Map::new()));
            if Value::Object(e.properties.clone()) != want_props {
                return Err(format!("properties {}, expected {want_props}", Value::Object(e.properties)));
            }
            Ok(())
        }
        (Ok(e), None, Some(message)) => Err(format!("resolved `{}`, expected the error `{message}`", e.url)),
        (Err(e), _, Some(message)) if e.message() == message => Ok(()),
        (Err(e), _, Some(message)) => Err(format!("error `{e}`, expected the error `{message}`")),
        (Err(e), _, None) => Err(format!("error `{e}`, expected an endpoint")),
        (Ok(_), None, None) => Err("the case expects neither an endpoint nor an error".into()),
    }
}

fn bench(resolve: Resolve, cases: &[Value], budget: Duration) -> ExitCode {
    let sets: Vec<Params> = cases
        .iter()
        .filter(|c| c.get("expect").and_then(|e| e.get("endpoint")).is_some())
        .filter_map(|c| params(c).ok())
        .collect();
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

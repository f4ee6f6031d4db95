//! One case of a model's `smithy.rules#endpointTests`: its parameters, and whether a resolution
//! gives what it expects. The one reader of the cases, for `cargo xtask endpoint-tests` (a module
//! of xtask) and for the `cargo xtask endpoint-compare` binaries (a module of the `endpoint-cases`
//! crate that xtask writes into their scratch workspace), so both judge a resolver alike. It needs
//! nothing but the runtime, which both build on.

use aws_codegen_runtime::endpoint::{Endpoint, EndpointError, ParamValue, Params};
use aws_codegen_runtime::serde_json::{Map, Value};

/// The `testCases` of the first `smithy.rules#endpointTests` among a model's `shapes`.
pub fn model_cases(model: &Value) -> Option<&Vec<Value>> {
    model
        .get("shapes")
        .and_then(Value::as_object)
        .and_then(|shapes| shapes.values().find_map(|s| s.get("traits")?.get("smithy.rules#endpointTests")))
        .and_then(|t| t.get("testCases"))
        .and_then(Value::as_array)
}

/// The case's `params`, each as the runtime reads a JSON value ([`ParamValue::from_json`]).
pub fn params(case: &Value) -> Result<Params, String> {
    let mut params = Params::new();
    for (name, value) in case.get("params").and_then(Value::as_object).into_iter().flatten() {
        params.set(name, ParamValue::from_json(value).ok_or_else(|| format!("parameter `{name}` is {value}"))?);
    }
    Ok(params)
}

/// The parameters of each case that expects an endpoint (not an error): what the benchmarks
/// resolve. A case whose parameters cannot be read is left out.
pub fn endpoint_params(cases: &[Value]) -> Vec<Params> {
    cases
        .iter()
        .filter(|c| c.get("expect").and_then(|e| e.get("endpoint")).is_some())
        .filter_map(|c| params(c).ok())
        .collect()
}

/// Whether `result` is what the case's `expect` says: the endpoint's URL, headers and properties,
/// or the error's message; the reason when not.
pub fn check(result: Result<Endpoint, EndpointError>, expect: &Value) -> Result<(), String> {
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

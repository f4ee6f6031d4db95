//! `cargo xtask endpoint-tests`: every `smithy.rules#endpointTests` case of every Smithy model,
//! run through the runtime's rules engine ([`aws_codegen_runtime::endpoint`]) with the pinned
//! partition data. Cases are read from the models, none is generated.
//!
//! A case runs with its `params`; a case that also has `operationInputs` runs once more per
//! input, with the parameters derived from them as a client derives them: built-ins, client
//! context parameters, the operation's `operationContextParams`, `contextParam` input members and
//! `staticContextParams`, each overriding the previous. The URL, headers and properties, or the
//! error message, must be what the case expects.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use aws_codegen_runtime::endpoint::{context_path, ParamValue, Params, Partitions, Resolver, RuleSet};
use serde_json::{Map, Value};

use crate::endpoint_case::{self, check};

/// The pinned partition data, in the spec cache.
pub fn partitions_path(root: &Path) -> std::path::PathBuf {
    crate::specs::default_dir(root).join("botocore/partitions.json")
}

/// Runs every case of every model in `smithy_dir` (or only `models`); prints per service and in
/// all `N passed, N failed`, and each failure with its reason. True if none failed.
pub fn run(root: &Path, smithy_dir: &Path, models: &[String], verbose: bool) -> Result<bool> {
    let partitions_file = partitions_path(root);
    let partitions_json = std::fs::read_to_string(&partitions_file)
        .with_context(|| format!("{} (run `cargo xtask specs fetch`)", partitions_file.display()))?;
    let mut files: Vec<_> = std::fs::read_dir(smithy_dir)
        .with_context(|| smithy_dir.display().to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            models.is_empty() || p.file_stem().is_some_and(|s| models.iter().any(|m| s.to_string_lossy() == *m))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no Smithy models in {}", smithy_dir.display());
    }
    let started = Instant::now();
    let (mut passed, mut failed, mut services) = (0usize, 0usize, 0usize);
    for file in &files {
        let text = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
        let model: Value = serde_json::from_str(&text).with_context(|| file.display().to_string())?;
        let Some(shapes) = model.get("shapes").and_then(Value::as_object) else { continue };
        for (id, shape) in shapes {
            let traits = shape.get("traits");
            let (Some(rules), Some(tests)) = (
                traits.and_then(|t| t.get("smithy.rules#endpointRuleSet")),
                traits.and_then(|t| t.get("smithy.rules#endpointTests")),
            ) else {
                continue;
            };
            services += 1;
            let name = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let resolver = Resolver::new(
                RuleSet::from_value(rules).with_context(|| format!("{name}: {id}"))?,
                Partitions::parse(&partitions_json).context("partitions.json")?,
            );
            let (mut ok, mut bad) = (0usize, 0usize);
            let cases = tests.get("testCases").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            for (i, case) in cases.iter().enumerate() {
                match run_case(&resolver, shapes, id, case) {
                    Ok(()) => ok += 1,
                    Err(reason) => {
                        bad += 1;
                        let doc = case.get("documentation").and_then(Value::as_str).unwrap_or("");
                        println!("  FAIL {name} case {i} ({doc}): {reason}");
                    }
                }
            }
            if verbose || bad > 0 {
                println!("{name}: {ok} passed, {bad} failed");
            }
            passed += ok;
            failed += bad;
        }
    }
    println!("{services} services, {:.1} s", started.elapsed().as_secs_f64());
    println!("{passed} passed, {failed} failed");
    Ok(failed == 0)
}

fn run_case(resolver: &Resolver, shapes: &Map<String, Value>, service_id: &str, case: &Value) -> Result<(), String> {
    let expect = case.get("expect").ok_or("the case has no `expect`")?;
    let params = endpoint_case::params(case)?;
    check(resolver.resolve(&params), expect).map_err(|e| format!("with params: {e}"))?;
    for input in case.get("operationInputs").and_then(Value::as_array).into_iter().flatten() {
        let params = operation_params(resolver, shapes, service_id, input)?;
        let op = input.get("operationName").and_then(Value::as_str).unwrap_or("");
        check(resolver.resolve(&params), expect).map_err(|e| format!("through operation {op}: {e}"))?;
    }
    Ok(())
}

/// The parameters a client derives for one operation call.
fn operation_params(
    resolver: &Resolver,
    shapes: &Map<String, Value>,
    service_id: &str,
    input: &Value,
) -> Result<Params, String> {
    let mut params = Params::new();
    let rules = resolver.rules();
    for (built_in, value) in input.get("builtInParams").and_then(Value::as_object).into_iter().flatten() {
        let value = ParamValue::from_json(value).ok_or_else(|| format!("built-in `{built_in}` is {value}"))?;
        for p in rules.params().iter().filter(|p| p.built_in.as_deref() == Some(built_in)) {
            params.set(&p.name, value.clone());
        }
    }
    for (name, value) in input.get("clientParams").and_then(Value::as_object).into_iter().flatten() {
        params.set(name, ParamValue::from_json(value).ok_or_else(|| format!("client parameter `{name}` is {value}"))?);
    }
    let op_name = input.get("operationName").and_then(Value::as_str).ok_or("operationInputs without operationName")?;
    let namespace = service_id.split('#').next().unwrap_or("");
    let op_id = format!("{namespace}#{op_name}");
    let op = shapes.get(&op_id).ok_or_else(|| format!("no operation {op_id}"))?;
    let args = input.get("operationParams").cloned().unwrap_or_else(|| Value::Object(Map::new()));
    let traits = op.get("traits");
    for (name, p) in traits
        .and_then(|t| t.get("smithy.rules#operationContextParams"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let path = p
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("operationContextParams `{name}` has no path"))?;
        if let Some(value) = context_path(&args, path).as_ref().and_then(ParamValue::from_json) {
            params.set(name, value);
        }
    }
    let input_shape = op.get("input").and_then(|i| i.get("target")).and_then(Value::as_str).and_then(|t| shapes.get(t));
    for (member, m) in input_shape.and_then(|s| s.get("members")).and_then(Value::as_object).into_iter().flatten() {
        let Some(name) = m
            .get("traits")
            .and_then(|t| t.get("smithy.rules#contextParam"))
            .and_then(|c| c.get("name"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        if let Some(value) = args.get(member).and_then(ParamValue::from_json) {
            params.set(name, value);
        }
    }
    for (name, p) in
        traits.and_then(|t| t.get("smithy.rules#staticContextParams")).and_then(Value::as_object).into_iter().flatten()
    {
        let value = p
            .get("value")
            .and_then(ParamValue::from_json)
            .ok_or_else(|| format!("staticContextParams `{name}` has no value"))?;
        params.set(name, value);
    }
    Ok(params)
}

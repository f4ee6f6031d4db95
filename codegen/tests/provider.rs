//! The provider spec as a consumer reads it: every YAML file parses, every `$ref`
//! resolves, every method names an operation that exists, and the resources
//! agree with the model.

mod support;

use std::collections::BTreeMap;

use serde_json::Value;
use support::{files, model, outputs};

const ROOT: &str = "generated/stackql/";

/// Every provider file, parsed, by its path below `generated/stackql/`.
fn documents() -> BTreeMap<String, Value> {
    let model = model();
    let outputs = outputs(&model);
    files(&outputs, ROOT)
        .into_iter()
        .map(|(path, text)| {
            let doc: Value = serde_norway::from_str(text).unwrap_or_else(|e| panic!("{path} parses: {e}"));
            (path.trim_start_matches(ROOT).to_string(), doc)
        })
        .collect()
}

/// Resolves a `$ref`: `#/json/pointer` within `doc`, or a file path below the root.
fn resolve<'d>(docs: &'d BTreeMap<String, Value>, doc: &'d Value, reference: &str) -> Option<&'d Value> {
    match reference.strip_prefix('#') {
        Some(pointer) => doc.pointer(pointer),
        None => docs.get(reference),
    }
}

fn refs<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_ref_resolves() {
    let docs = documents();
    assert!(docs.contains_key("aws/v00.00.00000/provider.yaml"), "{:?}", docs.keys());
    let mut count = 0;
    for (path, doc) in &docs {
        let mut all = Vec::new();
        refs(doc, &mut all);
        for r in all {
            assert!(resolve(&docs, doc, r).is_some(), "{path}: $ref {r} does not resolve");
            count += 1;
        }
    }
    assert!(count > 100, "{count} refs");
}

#[test]
fn every_method_calls_an_operation_that_exists() {
    let docs = documents();
    let model = model();
    for service in model.services.values().filter(|s| !s.resources.is_empty()) {
        let path = format!("aws/v00.00.00000/services/{}.yaml", service.id);
        let doc = &docs[&path];
        let resources = doc.pointer("/components/x-stackQL-resources").and_then(Value::as_object).expect("resources");
        assert_eq!(resources.len(), service.resources.len());
        for r in service.resources.values() {
            let res = &resources[&r.names.plural];
            assert_eq!(res["id"], Value::String(r.names.id.clone()));
            let methods = res["methods"].as_object().expect("methods");
            let handlers = r.handlers.iter().count();
            assert_eq!(methods.len(), handlers, "{}: one method per handler", r.names.id);
            for (name, m) in methods {
                let op = m.pointer("/operation/$ref").and_then(Value::as_str).expect("operation ref");
                let target = resolve(&docs, doc, op).unwrap_or_else(|| panic!("{path} {name}: {op}"));
                assert!(target.get("operationId").is_some(), "{path} {name}: {op} is an operation");
                let base: Value =
                    serde_json::from_str(m.pointer("/request/base").and_then(Value::as_str).unwrap()).unwrap();
                assert_eq!(base["TypeName"], Value::String(r.type_name.clone()));
            }
            // Each SQL verb points at methods of this resource.
            for (verb, list) in res["sqlVerbs"].as_object().expect("sqlVerbs") {
                for m in list.as_array().unwrap() {
                    let r = m["$ref"].as_str().unwrap();
                    assert!(resolve(&docs, doc, r).is_some(), "{path} {verb}: {r}");
                }
            }
            // The view columns are the docs columns.
            let columns: Vec<&str> =
                res["columns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
            let want: Vec<&str> = codegen::emit::columns::columns(r).iter().map(|c| c.name).collect();
            assert_eq!(columns, want);
            let schema = doc.pointer(&format!("/components/schemas/{}", r.names.title)).expect("resource schema");
            assert_eq!(schema["x-type-name"], Value::String(r.type_name.clone()));
            for key in [
                "x-identifiers",
                "x-required-properties",
                "x-read-only-properties",
                "x-create-only-properties",
                "x-write-only-properties",
                "x-required-permissions",
            ] {
                assert!(schema.get(key).is_some(), "{} has {key}", r.names.id);
            }
        }
    }
}

#[test]
fn map_properties_keep_their_value_schema() {
    let docs = documents();
    let doc = &docs["aws/v00.00.00000/services/apigatewayv2.yaml"];
    let params = doc.pointer("/components/schemas/RouteResponse/properties/ResponseParameters").expect("property");
    assert_eq!(params["type"], "object");
    assert_eq!(
        params.pointer("/additionalProperties/$ref").and_then(Value::as_str),
        Some("#/components/schemas/RouteResponse_ParameterConstraints")
    );
    assert_eq!(params["x-patternProperties"], "^.+$");
}

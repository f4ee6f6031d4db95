//! Provider documents against StackQL's own JSON Schemas (any-sdk's
//! `public/discovery/testdata/schema-definitions/`, in `../shared/stackql/schemas`):
//! `provider.yaml` against `provider.schema.json`; each service's
//! `components.x-stackQL-resources` against `resources-core.schema.json`'s
//! `ResourceMap`; each `x-stackQL-config` and method or resource `config` against
//! `stackql-config.schema.json`. (`service-resources.schema.json` wraps the
//! resources in an OpenAPI 3.0 schema that is not among the shared files; its own
//! rule is the `ResourceMap` one.)

use std::path::Path;

use anyhow::{Context, Result};
use jsonschema::{Registry, Resource};
use serde_json::{json, Value};

use super::Provider;

/// The `$id` base the provider schema uses; the others are registered below it so
/// its relative `$ref`s resolve without any file or network access.
const BASE: &str = "https://schemas.stackql.io/any-sdk/";

/// Validation failures, one line each: `<document>: <pointer>: <message>`.
pub fn validate(provider: &Provider, dir: &Path) -> Result<Vec<String>> {
    let read = |name: &str| -> Result<Value> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
    };
    let names = ["provider.schema.json", "resources-core.schema.json", "stackql-config.schema.json"];
    let mut registry = Registry::new();
    for name in names {
        registry = registry
            .add(format!("{BASE}{name}"), Resource::from_contents(read(name)?))
            .with_context(|| format!("registering {name}"))?;
    }
    let registry = registry.prepare().context("preparing StackQL's schemas")?;
    let build = |schema: Value| {
        jsonschema::options().with_registry(&registry).build(&schema).context("compiling StackQL's schemas")
    };
    let provider_schema = build(json!({ "$ref": format!("{BASE}provider.schema.json") }))?;
    let resources_schema = build(json!({ "$ref": format!("{BASE}resources-core.schema.json#/$defs/ResourceMap") }))?;
    let config_schema = build(json!({ "$ref": format!("{BASE}stackql-config.schema.json") }))?;

    let mut out = Vec::new();
    let check = |out: &mut Vec<String>, doc: &str, at: &str, validator: &jsonschema::Validator, value: &Value| {
        for e in validator.iter_errors(value) {
            out.push(format!("{doc}: {at}{}: {e}", e.instance_path()));
        }
    };
    check(&mut out, "provider.yaml", "", &provider_schema, &provider.index);
    for (name, (_, doc)) in &provider.services {
        let label = format!("services/{name}.yaml");
        match doc.pointer("/components/x-stackQL-resources") {
            Some(resources) => {
                check(&mut out, &label, "/components/x-stackQL-resources", &resources_schema, resources);
                for (rname, r) in resources.as_object().into_iter().flatten() {
                    if let Some(c) = r.get("config") {
                        check(
                            &mut out,
                            &label,
                            &format!("/components/x-stackQL-resources/{rname}/config"),
                            &config_schema,
                            c,
                        );
                    }
                    for (mname, m) in r.get("methods").and_then(Value::as_object).into_iter().flatten() {
                        if let Some(c) = m.get("config") {
                            let at = format!("/components/x-stackQL-resources/{rname}/methods/{mname}/config");
                            check(&mut out, &label, &at, &config_schema, c);
                        }
                    }
                }
            }
            None => out.push(format!("{label}: /components/x-stackQL-resources: missing")),
        }
        if let Some(c) = doc.get("x-stackQL-config") {
            check(&mut out, &label, "/x-stackQL-config", &config_schema, c);
        }
    }
    Ok(out)
}

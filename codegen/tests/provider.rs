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
    assert!(docs.contains_key("aws/v00.00.00000/services/cloud_control.yaml"), "{:?}", docs.keys());
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

/// The methods are the SQL method table's, each calling an operation that exists,
/// with the resource's type name fixed in the request.
#[test]
fn every_method_is_the_tables_and_calls_an_operation_that_exists() {
    let docs = documents();
    let model = model();
    for service in model.services.values().filter(|s| !s.resources.is_empty()) {
        let path = format!("aws/v00.00.00000/services/{}.yaml", service.id);
        let doc = &docs[&path];
        let resources = doc.pointer("/components/x-stackQL-resources").and_then(Value::as_object).expect("resources");
        // Lists follow `NextToken` through every page.
        assert_eq!(doc.pointer("/x-stackQL-config/pagination/responseToken/key"), Some(&Value::from("NextToken")));
        let queryable: Vec<_> = service.resources.values().filter(|r| !r.sql.methods.is_empty()).collect();
        assert_eq!(resources.len(), queryable.len(), "a resource per queryable type, none without a method");
        for r in queryable {
            let res = &resources[&r.names.plural];
            assert_eq!(res["id"], Value::String(r.names.id.clone()));
            let methods = res["methods"].as_object().expect("methods");
            let mut names: Vec<&str> = methods.keys().map(String::as_str).collect();
            names.sort_unstable();
            let mut want: Vec<&str> = r.sql.methods.iter().map(|m| m.kind.name()).collect();
            want.sort_unstable();
            assert_eq!(names, want, "{}", r.names.id);
            for (name, m) in methods {
                let op = m.pointer("/operation/$ref").and_then(Value::as_str).expect("operation ref");
                let target = resolve(&docs, doc, op).unwrap_or_else(|| panic!("{path} {name}: {op}"));
                assert!(target.get("operationId").is_some(), "{path} {name}: {op} is an operation");
                let base: Value =
                    serde_json::from_str(m.pointer("/request/base").and_then(Value::as_str).unwrap()).unwrap();
                assert_eq!(base["TypeName"], Value::String(r.type_name.clone()));
                // Rows come from where Cloud Control puts them: the progress event of a
                // mutation, the description of a get, the descriptions of a list.
                let object_key = match name.as_str() {
                    "get_resource" => "$.ResourceDescription",
                    "list_resources" => "$.ResourceDescriptions",
                    _ => "$.ProgressEvent",
                };
                assert_eq!(m.pointer("/response/objectKey").and_then(Value::as_str), Some(object_key), "{name}");
            }
            // A resource whose handlers are all absent has no entry; one with only
            // select methods still has them (EXEC), and views for SELECT.
            assert!(res.pointer("/config/views/select/ddl").is_some(), "{} has views", r.names.id);
            for (verb, list) in res["sqlVerbs"].as_object().expect("sqlVerbs") {
                for m in list.as_array().unwrap() {
                    let r = m["$ref"].as_str().unwrap();
                    assert!(resolve(&docs, doc, r).is_some(), "{path} {verb}: {r}");
                }
            }
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

/// The names a SELECT projection gives its columns (alias, else the column).
fn projection_names(sql: &str) -> Vec<String> {
    use sqlparser::ast::{Expr, SelectItem, SetExpr, Statement};
    let statements = sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::GenericDialect {}, sql)
        .unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let Some(Statement::Query(q)) = statements.first() else { panic!("not a query: {sql}") };
    let SetExpr::Select(s) = q.body.as_ref() else { panic!("not a select: {sql}") };
    s.projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(Expr::Identifier(i)) => i.value.clone(),
            SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
            other => panic!("unnamed column {other} in {sql}"),
        })
        .collect()
}

/// The `<CopyableCode code="..."` names of a page's Fields table.
fn field_names(page: &str) -> Vec<String> {
    let table = page.split("## Fields").nth(1).and_then(|t| t.split("</table>").next()).expect("a Fields table");
    table.split("<CopyableCode code=\"").skip(1).filter_map(|s| s.split('"').next()).map(str::to_string).collect()
}

/// Pages, provider views and plain SQL views name every column alike, and the
/// Methods table lists the parameters of the SQL method table.
#[test]
fn pages_provider_and_views_name_columns_and_parameters_alike() {
    let model = model();
    let outputs = outputs(&model);
    let docs = documents();
    let mut checked = 0;
    for service in model.services.values() {
        let doc = docs.get(&format!("aws/v00.00.00000/services/{}.yaml", service.id));
        let plain = |dialect: &str| -> String {
            let path = format!("generated/sql/{dialect}/{}.sql", service.id);
            outputs.files.get(&path).cloned().unwrap_or_default()
        };
        for r in service.resources.values() {
            let want: Vec<String> =
                codegen::emit::columns::columns(r).iter().map(|c| c.sql.trim_matches('"').to_string()).collect();
            let page = &outputs.files[&format!("docs-site/docs/aws/{}/{}.mdx", service.id, r.names.plural)];
            assert_eq!(field_names(page), want, "{} Fields table", r.names.id);
            // The provider's views: every node of the chain.
            if let Some(doc) = doc {
                let mut node =
                    doc.pointer(&format!("/components/x-stackQL-resources/{}/config/views/select", r.names.plural));
                while let Some(n) = node {
                    assert_eq!(projection_names(n["ddl"].as_str().unwrap()), want, "{} view", r.names.id);
                    checked += 1;
                    node = n.get("fallback");
                }
            }
            // The plain views.
            for dialect in ["sqlite", "postgres"] {
                let text = plain(dialect);
                let start = text.find(&format!("CREATE VIEW \"{}\" AS\n", r.names.id)).expect("a plain view");
                let body = &text[start..];
                let select = &body[body.find('\n').unwrap() + 1..body.find(";\n").unwrap()];
                assert_eq!(projection_names(select), want, "{} plain {dialect} view", r.names.id);
                checked += 1;
            }
            // The Methods table.
            for m in &r.sql.methods {
                let params: Vec<&str> = m.required.iter().map(|p| p.sql.as_str()).collect();
                let row = format!(
                    "<tr><td><CopyableCode code=\"{}\" /></td><td><code>{}</code></td><td><CopyableCode code=\"{}\" /></td></tr>",
                    m.kind.name(),
                    m.kind.verb().keyword(),
                    params.join(", ").replace('"', "&quot;")
                );
                assert!(page.contains(&row), "{}: {row}", r.names.id);
            }
        }
    }
    assert!(checked > 40, "{checked} views");
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

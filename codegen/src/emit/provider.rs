//! The StackQL-style provider spec: a `provider.yaml` that lists services, and per
//! service an OpenAPI 3 document with the resource schemas, the Cloud Control API
//! operations every method calls, and `x-stackQL-resources` that bind SQL verbs to
//! those operations and carry the SQL views.

use serde_json::{json, Map, Value};

use crate::emit::examples;
use crate::emit::sql::{view_select, Dialect};
use crate::emit::{yaml, Outputs, MARKER};
use crate::model::{Constraints, Field, Model, Prim, Resource, Service, Type, TypeKind, ALIAS_DEPTH};
use crate::passes::naming::PROVIDER;

/// Where the provider goes, below the output root, in a provider registry's layout.
pub const PROVIDER_ROOT: &str = "generated/stackql/aws";
pub const PROVIDER_VERSION: &str = "v00.00.00000";

/// The Cloud Control API's version, protocol and target prefix.
const CLOUD_CONTROL_VERSION: &str = "2021-09-30";
const JSON_10: &str = "application/x-amz-json-1.0";
const TARGET_PREFIX: &str = "CloudApiService";

/// The Cloud Control operations the methods call, with their input and output shapes.
const OPERATIONS: [(&str, &str, &str); 6] = [
    ("CreateResource", "CreateResourceInput", "ProgressEventOutput"),
    ("GetResource", "GetResourceInput", "GetResourceOutput"),
    ("ListResources", "ListResourcesInput", "ListResourcesOutput"),
    ("UpdateResource", "UpdateResourceInput", "ProgressEventOutput"),
    ("DeleteResource", "DeleteResourceInput", "ProgressEventOutput"),
    ("GetResourceRequestStatus", "GetResourceRequestStatusInput", "ProgressEventOutput"),
];

/// `provider.yaml`, the index of every service with resource types.
pub fn emit_index(model: &Model, out: &mut Outputs) {
    let services: Vec<&Service> = model.services.values().filter(|s| !s.resources.is_empty()).collect();
    if services.is_empty() {
        return;
    }
    out.insert(format!("{PROVIDER_ROOT}/{PROVIDER_VERSION}/provider.yaml"), with_header(&provider(&services)));
}

/// The service's document (none for a service with no resource types).
pub fn emit(service: &Service, out: &mut Outputs) {
    if service.resources.is_empty() {
        return;
    }
    let path = format!("{PROVIDER_ROOT}/{PROVIDER_VERSION}/services/{}.yaml", service.id);
    out.insert(path, with_header(&service_doc(service)));
}

fn with_header(doc: &Value) -> String {
    format!("# {MARKER}\n{}", yaml::document(doc))
}

fn provider(services: &[&Service]) -> Value {
    let mut list = Map::new();
    for s in services {
        list.insert(
            s.id.clone(),
            json!({
                "id": format!("{}:{PROVIDER_VERSION}", s.id),
                "name": s.id,
                "preferred": true,
                "service": { "$ref": format!("{PROVIDER}/{PROVIDER_VERSION}/services/{}.yaml", s.id) },
                "title": s.title,
                "version": PROVIDER_VERSION,
                "description": service_description(s),
            }),
        );
    }
    json!({
        "id": PROVIDER,
        "name": PROVIDER,
        "version": PROVIDER_VERSION,
        "providerServices": list,
        "config": {
            "auth": {
                "type": "aws_signing_v4",
                "credentialsenvvar": "AWS_SECRET_ACCESS_KEY",
                "keyIDenvvar": "AWS_ACCESS_KEY_ID",
            }
        }
    })
}

fn service_description(s: &Service) -> String {
    match &s.api {
        Some(api) => api.title.clone().unwrap_or_else(|| api.sdk_id.clone()),
        None => s.title.clone(),
    }
}

fn service_doc(s: &Service) -> Value {
    let mut schemas = Map::new();
    for r in s.resources.values() {
        schemas.insert(r.names.title.clone(), resource_schema(r));
        for def in r.types.values() {
            if let TypeKind::Struct { fields, .. } = &def.kind {
                schemas.insert(component(r, &def.name), object_schema(r, fields, def.doc.as_deref()));
            }
        }
    }
    let mut resources = Map::new();
    for r in s.resources.values() {
        resources.insert(r.names.plural.clone(), stackql_resource(r));
    }
    json!({
        "openapi": "3.0.0",
        "info": {
            "title": s.title,
            "description": service_description(s),
            "version": "1.0.0",
            "x-generated": MARKER,
        },
        "servers": [{
            "url": "https://cloudcontrolapi.{region}.amazonaws.com",
            "variables": { "region": { "default": examples::EXAMPLE_REGION, "description": "The AWS region" } },
        }],
        "paths": paths(),
        "components": {
            "schemas": schemas,
            "x-cloud-control-schemas": cloud_control_schemas(),
            "x-stackQL-resources": resources,
        },
    })
}

/// Component names are qualified by resource, since resources of one service
/// define different types under the same name.
fn component(r: &Resource, def: &str) -> String {
    format!("{}_{def}", r.names.title)
}

fn path_key(op: &str) -> String {
    format!("/?Action={op}&Version={CLOUD_CONTROL_VERSION}")
}

/// A `$ref` to an operation under `paths` (JSON pointer: `/` in the key is `~1`).
fn operation_ref(op: &str) -> String {
    format!("#/paths/{}/post", path_key(op).replace('~', "~0").replace('/', "~1"))
}

fn paths() -> Value {
    let mut paths = Map::new();
    for (op, input, output) in OPERATIONS {
        let target = format!("{TARGET_PREFIX}.{op}");
        paths.insert(
            path_key(op),
            json!({
                "post": {
                    "operationId": op,
                    "parameters": [{
                        "in": "header",
                        "name": "X-Amz-Target",
                        "required": true,
                        "schema": { "type": "string", "enum": [target], "default": target },
                    }],
                    "requestBody": {
                        "required": true,
                        "content": { JSON_10: { "schema": { "$ref": format!("#/components/x-cloud-control-schemas/{input}") } } },
                    },
                    "responses": {
                        "200": {
                            "description": "Success",
                            "content": { "application/json": { "schema": { "$ref": format!("#/components/x-cloud-control-schemas/{output}") } } },
                        }
                    },
                }
            }),
        );
    }
    Value::Object(paths)
}

fn cloud_control_schemas() -> Value {
    let s = json!({ "type": "string" });
    let progress = json!({
        "type": "object",
        "properties": {
            "TypeName": s, "Identifier": s, "RequestToken": s, "HooksRequestToken": s,
            "Operation": { "type": "string", "enum": ["CREATE", "DELETE", "UPDATE"] },
            "OperationStatus": { "type": "string", "enum": ["PENDING", "IN_PROGRESS", "SUCCESS", "FAILED", "CANCEL_IN_PROGRESS", "CANCEL_COMPLETE"] },
            "EventTime": { "type": "number" },
            "ResourceModel": s, "StatusMessage": s, "ErrorCode": s, "RetryAfter": { "type": "number" },
        },
    });
    let description = json!({ "type": "object", "properties": { "Identifier": s, "Properties": s } });
    json!({
        "CreateResourceInput": object(&[("ClientToken", &s), ("RoleArn", &s), ("TypeName", &s), ("TypeVersionId", &s), ("DesiredState", &s)], &["TypeName", "DesiredState"]),
        "GetResourceInput": object(&[("RoleArn", &s), ("TypeName", &s), ("TypeVersionId", &s), ("Identifier", &s)], &["TypeName", "Identifier"]),
        "ListResourcesInput": object(&[("MaxResults", &json!({ "type": "integer" })), ("NextToken", &s), ("ResourceModel", &s), ("RoleArn", &s), ("TypeName", &s), ("TypeVersionId", &s)], &["TypeName"]),
        "UpdateResourceInput": object(&[("ClientToken", &s), ("RoleArn", &s), ("TypeName", &s), ("TypeVersionId", &s), ("Identifier", &s), ("PatchDocument", &s)], &["TypeName", "Identifier", "PatchDocument"]),
        "DeleteResourceInput": object(&[("ClientToken", &s), ("RoleArn", &s), ("TypeName", &s), ("TypeVersionId", &s), ("Identifier", &s)], &["TypeName", "Identifier"]),
        "GetResourceRequestStatusInput": object(&[("RequestToken", &s)], &["RequestToken"]),
        "ProgressEvent": progress,
        "ProgressEventOutput": { "type": "object", "properties": { "ProgressEvent": { "$ref": "#/components/x-cloud-control-schemas/ProgressEvent" } } },
        "ResourceDescription": description,
        "GetResourceOutput": { "type": "object", "properties": { "TypeName": s, "ResourceDescription": { "$ref": "#/components/x-cloud-control-schemas/ResourceDescription" } } },
        "ListResourcesOutput": { "type": "object", "properties": {
            "TypeName": s,
            "NextToken": s,
            "ResourceDescriptions": { "type": "array", "items": { "$ref": "#/components/x-cloud-control-schemas/ResourceDescription" } },
        } },
    })
}

fn object(props: &[(&str, &Value)], required: &[&str]) -> Value {
    let props: Map<String, Value> = props.iter().map(|(k, v)| (k.to_string(), (*v).clone())).collect();
    json!({ "type": "object", "properties": props, "required": required })
}

fn resource_schema(r: &Resource) -> Value {
    let mut schema = object_schema(r, &r.fields, r.doc.as_deref());
    let pointers = |pred: fn(&Field) -> bool| -> Vec<String> {
        r.fields.iter().filter(|f| pred(f)).map(|f| format!("/properties/{}", f.name)).collect()
    };
    let ids: Vec<String> = r.primary_identifier.iter().map(|p| p.join("/")).collect();
    let required: Vec<&str> = r.fields.iter().filter(|f| f.required).map(|f| f.name.as_str()).collect();
    let permissions: Map<String, Value> =
        r.handlers.iter().map(|(name, h)| (name.to_string(), json!(h.permissions))).collect();
    if let Value::Object(m) = &mut schema {
        m.insert("x-stackql-resource-name".into(), json!(r.names.plural));
        m.insert("x-type-name".into(), json!(r.type_name));
        m.insert("x-stackql-primaryIdentifier".into(), json!(ids));
        m.insert("x-identifiers".into(), json!(ids));
        m.insert("x-required-properties".into(), json!(required));
        m.insert("x-read-only-properties".into(), json!(pointers(|f| f.flags.read_only)));
        m.insert("x-create-only-properties".into(), json!(pointers(|f| f.flags.create_only)));
        m.insert("x-write-only-properties".into(), json!(pointers(|f| f.flags.write_only)));
        m.insert("x-required-permissions".into(), Value::Object(permissions));
    }
    schema
}

fn object_schema(r: &Resource, fields: &[Field], doc: Option<&str>) -> Value {
    let mut props = Map::new();
    for f in fields {
        let mut s = type_schema(r, &f.ty, 0);
        constrain(&mut s, &f.constraints);
        if let (Some(d), Value::Object(m)) = (&f.doc, &mut s) {
            m.insert("description".into(), json!(d));
        }
        props.insert(f.name.clone(), s);
    }
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.name.as_str()).collect();
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    if let Some(d) = doc {
        m.insert("description".into(), json!(d));
    }
    m.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        m.insert("required".into(), json!(required));
    }
    m.insert("additionalProperties".into(), json!(false));
    Value::Object(m)
}

fn type_schema(r: &Resource, ty: &Type, depth: usize) -> Value {
    match ty {
        Type::Prim(p) => prim_schema(*p),
        Type::List(item) => json!({ "type": "array", "items": type_schema(r, item, depth) }),
        Type::Map { value, .. } => json!({ "type": "object", "additionalProperties": type_schema(r, value, depth) }),
        Type::OneOf(alts) => json!({ "oneOf": alts.iter().map(|t| type_schema(r, t, depth)).collect::<Vec<_>>() }),
        Type::Named(n) => match r.types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Alias { ty, constraints }) if depth < ALIAS_DEPTH => {
                let mut s = type_schema(r, ty, depth + 1);
                constrain(&mut s, constraints);
                s
            }
            _ => json!({ "$ref": format!("#/components/schemas/{}", component(r, n)) }),
        },
    }
}

fn prim_schema(p: Prim) -> Value {
    match p {
        Prim::String => json!({ "type": "string" }),
        Prim::Boolean => json!({ "type": "boolean" }),
        Prim::Byte | Prim::Short | Prim::Integer | Prim::Long | Prim::BigInteger => json!({ "type": "integer" }),
        Prim::Float | Prim::Double | Prim::BigDecimal | Prim::Number => json!({ "type": "number" }),
        Prim::Timestamp => json!({ "type": "string", "format": "date-time" }),
        Prim::Blob => json!({ "type": "string", "format": "byte" }),
        Prim::Document => json!({}),
    }
}

/// Adds JSON Schema keywords for constraints; lengths become item or entry counts
/// on arrays and maps.
fn constrain(s: &mut Value, c: &Constraints) {
    let Value::Object(m) = s else { return };
    if m.contains_key("$ref") {
        // OpenAPI 3.0 ignores siblings of `$ref`; keep the reference plain.
        return;
    }
    let kind = m.get("type").and_then(Value::as_str).unwrap_or("").to_string();
    let (min, max) = match kind.as_str() {
        "array" => ("minItems", "maxItems"),
        "object" => ("minProperties", "maxProperties"),
        _ => ("minLength", "maxLength"),
    };
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    if let Some(n) = c.min_length {
        put(min, json!(n));
    }
    if let Some(n) = c.max_length {
        put(max, json!(n));
    }
    if let Some(p) = &c.pattern {
        put("pattern", json!(p));
    }
    if let Some(n) = &c.minimum {
        put("minimum", Value::Number(n.clone()));
    }
    if let Some(n) = &c.maximum {
        put("maximum", Value::Number(n.clone()));
    }
    if !c.allowed.is_empty() {
        put("enum", json!(c.allowed));
    }
    if let Some(d) = &c.default {
        put("default", d.clone());
    }
    if let Some(f) = &c.format {
        put("format", json!(f));
    }
    if c.unique_items {
        put("uniqueItems", json!(true));
    }
    if let Some(o) = c.insertion_order {
        put("x-insertionOrder", json!(o));
    }
    if let Some(p) = &c.key_pattern {
        put("x-patternProperties", json!(p));
    }
}

fn stackql_resource(r: &Resource) -> Value {
    let h = &r.handlers;
    let base = |m: &str| format!("#/components/x-stackQL-resources/{}/methods/{m}", r.names.plural);
    let mut methods = Map::new();
    let mut verbs: Map<String, Value> = Map::new();
    let type_name_body = serde_json::to_string_pretty(&json!({ "TypeName": r.type_name })).unwrap_or_default();
    let mut add = |name: &str, op: &str, verb: &str, object_key: Option<&str>, params: Vec<String>| {
        let mut response = json!({ "mediaType": "application/json", "openAPIDocKey": "200" });
        if let (Some(k), Value::Object(m)) = (object_key, &mut response) {
            m.insert("objectKey".into(), json!(k));
        }
        methods.insert(
            name.to_string(),
            json!({
                "operation": { "$ref": operation_ref(op) },
                "request": { "mediaType": JSON_10, "base": type_name_body },
                "response": response,
                "x-required-params": params,
            }),
        );
        let list = verbs.entry(verb.to_string()).or_insert_with(|| json!([]));
        if let Value::Array(a) = list {
            a.push(json!({ "$ref": base(name) }));
        }
    };
    let id = || vec!["data__Identifier".to_string(), "region".to_string()];
    if h.create.is_some() {
        let mut params: Vec<String> =
            r.fields.iter().filter(|f| f.required && !f.flags.read_only).map(|f| f.name.clone()).collect();
        params.push("region".into());
        add("create_resource", "CreateResource", "insert", None, params);
    }
    if h.list.is_some() {
        let mut params = vec!["region".to_string()];
        params.extend(examples::list_params(r).into_iter().map(|(_, name)| name));
        add("list_resources", "ListResources", "select", Some("$.ResourceDescriptions"), params);
    }
    if h.read.is_some() {
        add("get_resource", "GetResource", "select", Some("$.ResourceDescription"), id());
    }
    if h.update.is_some() {
        add(
            "update_resource",
            "UpdateResource",
            "update",
            None,
            vec!["data__Identifier".into(), "data__PatchDocument".into(), "region".into()],
        );
    }
    if h.delete.is_some() {
        add("delete_resource", "DeleteResource", "delete", None, id());
    }
    let columns: Vec<Value> =
        crate::emit::columns::columns(r).iter().map(|c| json!({ "name": c.name, "type": c.ty.name() })).collect();
    let sqlite = view_select(Dialect::Sqlite, r);
    let postgres = view_select(Dialect::Postgres, r);
    json!({
        "name": r.names.plural,
        "id": r.names.id,
        "title": r.names.title,
        "x-cfn-schema-name": r.names.title,
        "x-type-name": r.type_name,
        "x-identifiers": r.primary_identifier.iter().map(|p| p.join("/")).collect::<Vec<_>>(),
        "methods": methods,
        "sqlVerbs": verbs,
        "columns": columns,
        "views": {
            "select": {
                "predicate": format!("sqlDialect == \"{}\"", Dialect::Sqlite.stackql_name()),
                "ddl": sqlite,
                "fallback": {
                    "predicate": format!("sqlDialect == \"{}\"", Dialect::Postgres.stackql_name()),
                    "ddl": postgres,
                },
            }
        },
    })
}

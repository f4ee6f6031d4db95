//! SQL examples for a resource (select, insert, update, delete) in StackQL's
//! dialect, and the sample values they use. Every parameter comes from the SQL
//! method table ([`crate::model::SqlTable`]), so a statement names exactly what
//! the provider's method or view needs. Docs pages show them; the SQL tests and
//! the engine's judge (`cargo xtask judge`) read the same text.

use serde_json::{json, Map, Value};

use crate::emit::yaml;
use crate::model::{Field, Prim, Resource, SqlMethodKind, SqlParam, SqlParamKind, Type, TypeDef, TypeKind};
use crate::passes::naming::{IDENTIFIER_COLUMN, REGION_COLUMN};
use crate::passes::sql::{PATCH_DOCUMENT, RESOURCE_MODEL};

/// The region every example uses.
pub const EXAMPLE_REGION: &str = "us-east-1";

/// How deep sample values go before a recursive type is cut short with `{}`.
const SAMPLE_DEPTH: usize = 4;

/// `<ApiId>|<RouteId>|<RouteResponseId>`: the identifier Cloud Control expects.
pub fn identifier_placeholder(resource: &Resource) -> String {
    resource
        .primary_identifier
        .iter()
        .map(|path| format!("<{}>", path.last().map_or("", String::as_str)))
        .collect::<Vec<_>>()
        .join("|")
}

/// Top-level properties a user may set on create (everything not read-only).
pub fn creatable(resource: &Resource) -> impl Iterator<Item = &Field> {
    resource.fields.iter().filter(|f| !f.flags.read_only)
}

/// Properties an update may change: not read-only, not create-only.
pub fn updatable(resource: &Resource) -> impl Iterator<Item = &Field> {
    resource.fields.iter().filter(|f| !f.flags.read_only && !f.flags.create_only)
}

/// The columns of the identifier, as property fields (top-level parts only have one).
pub fn identifier_fields(resource: &Resource) -> Vec<&Field> {
    resource.primary_identifier.iter().filter_map(|p| p.first().and_then(|name| resource.field(name))).collect()
}

/// `{"ApiId":"<ApiId>"}`: the `ResourceModel` a parent-scoped list sends.
pub fn resource_model_placeholder(resource: &Resource) -> String {
    let mut m = Map::new();
    for p in &resource.sql.parents {
        m.insert(p.name.clone(), Value::String(format!("<{}>", p.name)));
    }
    Value::Object(m).to_string()
}

fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The Progress event columns a mutation returns (its `objectKey` is `$.ProgressEvent`).
pub const PROGRESS_COLUMNS: [&str; 10] = [
    "ErrorCode",
    "EventTime",
    "Identifier",
    "Operation",
    "OperationStatus",
    "RequestToken",
    "ResourceModel",
    "RetryAfter",
    "StatusMessage",
    "TypeName",
];

/// The example value of a parameter a statement names in its WHERE clause.
fn where_value(resource: &Resource, p: &SqlParam) -> String {
    match (&p.kind, p.name.as_str()) {
        (SqlParamKind::Region, _) => EXAMPLE_REGION.to_string(),
        (SqlParamKind::Request, IDENTIFIER_COLUMN) => identifier_placeholder(resource),
        (SqlParamKind::Request, RESOURCE_MODEL) => resource_model_placeholder(resource),
        _ => format!("<{}>", p.name),
    }
}

/// `WHERE region = 'us-east-1'\n  AND Identifier = '<ApiId>'`: every required
/// parameter of the method but those the statement sets elsewhere.
fn where_clause(resource: &Resource, kind: SqlMethodKind, skip: &[&str]) -> String {
    let Some(m) = resource.sql.method(kind) else { return String::new() };
    let terms: Vec<String> = m
        .required
        .iter()
        .filter(|p| !skip.contains(&p.name.as_str()))
        .map(|p| format!("{} = {}", p.sql, sql_string(&where_value(resource, p))))
        .collect();
    format!("WHERE {}", terms.join("\n  AND "))
}

fn returning() -> String {
    format!("RETURNING\n  {}", PROGRESS_COLUMNS.join(",\n  "))
}

/// Lists resources: the identifier columns, with what the list call needs.
pub fn select_list(resource: &Resource) -> String {
    let mut cols = vec![REGION_COLUMN.to_string(), IDENTIFIER_COLUMN.to_string()];
    for f in identifier_fields(resource) {
        if !cols.contains(&f.names.sql) {
            cols.push(f.names.sql.clone());
        }
    }
    format!(
        "SELECT\n  {}\nFROM {}\n{};",
        cols.join(",\n  "),
        resource.names.id,
        where_clause(resource, SqlMethodKind::List, &[])
    )
}

/// Gets one resource: every property the service returns (write-only ones never are).
pub fn select_get(resource: &Resource) -> String {
    let mut cols = vec![REGION_COLUMN.to_string(), IDENTIFIER_COLUMN.to_string()];
    cols.extend(resource.fields.iter().filter(|f| !f.flags.write_only).map(|f| f.names.sql.clone()));
    format!(
        "SELECT\n  {}\nFROM {}\n{};",
        cols.join(",\n  "),
        resource.names.id,
        where_clause(resource, SqlMethodKind::Get, &[])
    )
}

/// Creates a resource: the columns are the given parameters of the create method
/// (properties, which the provider gathers into `DesiredState`) and the region.
pub fn insert(resource: &Resource, params: &[&SqlParam]) -> String {
    let mut cols: Vec<String> = params.iter().map(|p| p.sql.clone()).collect();
    let mut values: Vec<String> = params
        .iter()
        .map(|p| match resource.field(&p.name) {
            Some(f) => sql_string(&sql_value(resource, f)),
            None => sql_string(&format!("{{{{ {} }}}}", p.name)),
        })
        .collect();
    cols.push(REGION_COLUMN.into());
    values.push(sql_string(&format!("{{{{ {REGION_COLUMN} }}}}")));
    format!(
        "/*+ create */\nINSERT INTO {} (\n  {}\n)\nSELECT\n  {}\n{};",
        resource.names.id,
        cols.join(",\n  "),
        values.join(",\n  "),
        returning()
    )
}

/// The create method's parameters other than the region: the required ones, or all.
pub fn insert_params(resource: &Resource, all: bool) -> Vec<&SqlParam> {
    let Some(m) = resource.sql.method(SqlMethodKind::Create) else { return Vec::new() };
    let required = m.required.iter().filter(|p| p.kind == SqlParamKind::Property);
    let optional = m.optional.iter().filter(|_| all);
    // Schema order, as the Fields table lists them.
    let mut params: Vec<&SqlParam> = required.chain(optional).collect();
    params.sort_by_key(|p| resource.fields.iter().position(|f| f.name == p.name));
    params
}

/// The text an INSERT puts in a property's column: a placeholder for scalars, a
/// JSON skeleton for objects, lists and maps.
fn sql_value(resource: &Resource, field: &Field) -> String {
    match field_sample(resource, field) {
        Value::String(s) => s,
        v => v.to_string(),
    }
}

/// Updates a resource with an RFC 6902 patch of every updatable property. The
/// patch is JSON text: the provider keeps `PatchDocument` a string.
pub fn update(resource: &Resource) -> Option<String> {
    resource.sql.method(SqlMethodKind::Update)?;
    let ops: Vec<String> = updatable(resource)
        .map(|f| {
            let op = json!({"op": "replace", "path": format!("/{}", f.name), "value": field_sample(resource, f)});
            op.to_string()
        })
        .collect();
    if ops.is_empty() {
        return None;
    }
    let patch = format!("[\n    {}\n  ]", ops.join(",\n    "));
    Some(format!(
        "/*+ update */\nUPDATE {}\nSET {PATCH_DOCUMENT} = {}\n{}\n{};",
        resource.names.id,
        sql_string(&patch),
        where_clause(resource, SqlMethodKind::Update, &[PATCH_DOCUMENT]),
        returning()
    ))
}

/// Deletes a resource by identifier.
pub fn delete(resource: &Resource) -> Option<String> {
    resource.sql.method(SqlMethodKind::Delete)?;
    Some(format!(
        "/*+ delete */\nDELETE FROM {}\n{}\n{};",
        resource.names.id,
        where_clause(resource, SqlMethodKind::Delete, &[]),
        returning()
    ))
}

/// A sample value for a property: its default or first allowed value if it has
/// one, else a sample of its type.
pub fn field_sample(resource: &Resource, field: &Field) -> Value {
    let c = &field.constraints;
    c.default
        .clone()
        .or_else(|| c.allowed.first().cloned())
        .unwrap_or_else(|| sample(resource, &field.ty, &field.name, 0))
}

/// A sample value of a type: placeholders for strings, a typical value for other
/// scalars, and the full nested shape for structures, lists and maps.
pub fn sample(resource: &Resource, ty: &Type, name: &str, depth: usize) -> Value {
    match ty {
        Type::Prim(p) => prim_sample(*p, name),
        Type::Nullable(inner) => sample(resource, inner, name, depth),
        Type::List(item) if depth < SAMPLE_DEPTH => Value::Array(vec![sample(resource, item, name, depth + 1)]),
        Type::Map { value, .. } if depth < SAMPLE_DEPTH => {
            let mut m = Map::new();
            m.insert(format!("<{name}Key>"), sample(resource, value, name, depth + 1));
            Value::Object(m)
        }
        Type::Named(n) if depth < SAMPLE_DEPTH => match resource.types.get(n) {
            Some(def) => def_sample(resource, def, name, depth),
            None => json!({}),
        },
        Type::OneOf(alts) => alts.first().map_or(Value::Null, |t| sample(resource, t, name, depth)),
        Type::List(_) => json!([]),
        _ => json!({}),
    }
}

/// `name` is the property the value is for: an alias's map keys are named after it.
fn def_sample(resource: &Resource, def: &TypeDef, name: &str, depth: usize) -> Value {
    match &def.kind {
        TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } => {
            let mut m = Map::new();
            for f in fields {
                let c = &f.constraints;
                let v = c.default.clone().or_else(|| c.allowed.first().cloned());
                m.insert(f.name.clone(), v.unwrap_or_else(|| sample(resource, &f.ty, &f.name, depth + 1)));
            }
            Value::Object(m)
        }
        TypeKind::Enum { values } => values.first().map_or(Value::Null, |v| Value::String(v.value.clone())),
        TypeKind::IntEnum { values } => values.first().map_or(Value::Null, |v| json!(v.value)),
        TypeKind::Alias { ty, constraints } => match constraints.allowed.first() {
            Some(v) => v.clone(),
            None => sample(resource, ty, name, depth + 1),
        },
    }
}

fn prim_sample(p: Prim, name: &str) -> Value {
    match p {
        Prim::Boolean => json!(false),
        Prim::Byte | Prim::Short | Prim::Integer | Prim::Long | Prim::BigInteger => json!(0),
        Prim::Float | Prim::Double | Prim::BigDecimal | Prim::Number => json!(0.0),
        Prim::Document => json!({}),
        Prim::String | Prim::Timestamp | Prim::Blob => Value::String(format!("{{{{ {name} }}}}")),
    }
}

/// The stack-deploy manifest for a resource: every creatable property with its sample.
pub fn manifest(resource: &Resource, provider: &str) -> String {
    let mut out = format!("version: 1\nname: stack name\ndescription: stack description\nproviders:\n  - {provider}\nglobals:\n  - name: region\n    value: '{{{{ vars.AWS_REGION }}}}'\nresources:\n");
    out.push_str(&format!("  - name: {}\n    props:\n", resource.names.singular));
    for f in creatable(resource) {
        out.push_str(&format!("      - name: {}\n        value:", f.name));
        yaml::value(&field_sample(resource, f), 10, &mut out);
    }
    out
}

//! SQL examples for a resource (select, insert, update, delete) and the sample
//! values they use. Docs pages show them; the SQL tests run them, so both read
//! the same text.

use serde_json::{json, Map, Value};

use crate::emit::yaml;
use crate::model::{Field, Prim, Resource, Type, TypeDef, TypeKind};
use crate::passes::naming::{IDENTIFIER_COLUMN, REGION_COLUMN};

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

/// The list call's required parameters (`handlers.list.handlerSchema`), as fields
/// of the resource where they are properties.
pub fn list_params(resource: &Resource) -> Vec<(String, String)> {
    let Some(list) = &resource.handlers.list else { return Vec::new() };
    list.params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let column = resource.field(&p.name).map_or_else(|| p.names.sql.clone(), |f| f.names.sql.clone());
            (column, p.name.clone())
        })
        .collect()
}

fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Lists resources: the identifier columns, filtered by region and by the list
/// call's own required parameters.
pub fn select_list(resource: &Resource) -> String {
    let mut cols = vec![REGION_COLUMN.to_string()];
    for f in identifier_fields(resource) {
        if !cols.contains(&f.names.sql) {
            cols.push(f.names.sql.clone());
        }
    }
    let mut sql =
        format!("SELECT\n  {}\nFROM {}\nWHERE region = '{EXAMPLE_REGION}'", cols.join(",\n  "), resource.names.id);
    for (column, name) in list_params(resource) {
        sql.push_str(&format!("\n  AND {column} = '<{name}>'"));
    }
    sql.push(';');
    sql
}

/// Gets one resource: every property the service returns (write-only ones never are).
pub fn select_get(resource: &Resource) -> String {
    let mut cols = vec![REGION_COLUMN.to_string()];
    cols.extend(resource.fields.iter().filter(|f| !f.flags.write_only).map(|f| f.names.sql.clone()));
    format!(
        "SELECT\n  {}\nFROM {}\nWHERE region = '{EXAMPLE_REGION}'\n  AND {IDENTIFIER_COLUMN} = '{}';",
        cols.join(",\n  "),
        resource.names.id,
        identifier_placeholder(resource)
    )
}

/// Creates a resource with the given properties.
pub fn insert(resource: &Resource, fields: &[&Field]) -> String {
    let mut cols: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    cols.push(REGION_COLUMN.into());
    let mut values: Vec<String> = fields.iter().map(|f| sql_string(&sql_value(resource, f))).collect();
    values.push(sql_string(&format!("{{{{ {REGION_COLUMN} }}}}")));
    format!(
        "/*+ create */\nINSERT INTO {} (\n  {}\n)\nSELECT\n  {};",
        resource.names.id,
        cols.join(",\n  "),
        values.join(",\n  ")
    )
}

/// The text an INSERT puts in a property's column: a placeholder for scalars, a
/// JSON skeleton for objects, lists and maps.
fn sql_value(resource: &Resource, field: &Field) -> String {
    match field_sample(resource, field) {
        Value::String(s) => s,
        v => v.to_string(),
    }
}

/// Updates a resource with an RFC 6902 patch of every updatable property.
pub fn update(resource: &Resource) -> Option<String> {
    resource.handlers.update.as_ref()?;
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
        "/*+ update */\nUPDATE {}\nSET data__PatchDocument = {}\nWHERE {IDENTIFIER_COLUMN} = '{}'\n  AND region = '{EXAMPLE_REGION}';",
        resource.names.id,
        sql_string(&patch),
        identifier_placeholder(resource)
    ))
}

/// Deletes a resource by identifier.
pub fn delete(resource: &Resource) -> String {
    format!(
        "/*+ delete */\nDELETE FROM {}\nWHERE {IDENTIFIER_COLUMN} = '{}'\n  AND region = '{EXAMPLE_REGION}';",
        resource.names.id,
        identifier_placeholder(resource)
    )
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
pub fn manifest(resource: &Resource) -> String {
    let mut out = String::from("version: 1\nname: stack name\ndescription: stack description\nproviders:\n  - aws\nglobals:\n  - name: region\n    value: '{{ vars.AWS_REGION }}'\nresources:\n");
    out.push_str(&format!("  - name: {}\n    props:\n", resource.names.singular));
    for f in creatable(resource) {
        out.push_str(&format!("      - name: {}\n        value:", f.name));
        yaml::value(&field_sample(resource, f), 10, &mut out);
    }
    out
}

//! Shared by the SQL tests: the generated outputs, sample documents made from a
//! resource's schema, and a scratch PostgreSQL server.

#![allow(dead_code)]

pub mod postgres;

use std::path::{Path, PathBuf};

use codegen::emit::Outputs;
use codegen::model::{Model, Prim, Resource, Type, TypeKind};
use serde_json::{json, Map, Value};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The pinned specs (`cargo xtask specs fetch`), or `CODEGEN_SPECS`.
pub fn specs() -> PathBuf {
    let dir =
        repo_root().join(std::env::var_os("CODEGEN_SPECS").map_or_else(|| PathBuf::from("specs/cache"), PathBuf::from));
    assert!(dir.join("cloudformation").is_dir(), "{} has no specs: run `cargo xtask specs fetch`", dir.display());
    dir
}

/// The shared specs folder (`cloudformation-all/`, `smithy/`): `CODEGEN_SHARED_SPECS`
/// (relative to the repository root), or `../shared/specs`.
pub fn shared_specs() -> PathBuf {
    let dir = repo_root()
        .join(std::env::var_os("CODEGEN_SHARED_SPECS").map_or_else(|| PathBuf::from("../shared/specs"), PathBuf::from));
    assert!(
        dir.join("cloudformation-all").is_dir() && dir.join("smithy").is_dir(),
        "{}: no shared specs (cloudformation-all/, smithy/); set CODEGEN_SHARED_SPECS to the shared specs folder",
        dir.display()
    );
    dir
}

pub fn model() -> Model {
    codegen::load(&specs()).expect("specs load")
}

pub fn outputs(model: &Model) -> Outputs {
    codegen::emit::all(model).expect("outputs render")
}

/// The generated files below `prefix`, in path order.
pub fn files<'a>(outputs: &'a Outputs, prefix: &str) -> Vec<(&'a str, &'a str)> {
    outputs.files.iter().filter(|(p, _)| p.starts_with(prefix)).map(|(p, c)| (p.as_str(), c.as_str())).collect()
}

/// How deep sample documents nest before a recursive type stops.
const DEPTH: usize = 4;

/// A `Properties` document with every property present and a value of its type.
pub fn sample_document(r: &Resource) -> Value {
    let mut doc = Map::new();
    for f in &r.fields {
        let v = f.constraints.allowed.first().cloned().unwrap_or_else(|| sample(r, &f.ty, &f.name, 0));
        doc.insert(f.name.clone(), v);
    }
    Value::Object(doc)
}

fn sample(r: &Resource, ty: &Type, name: &str, depth: usize) -> Value {
    match ty {
        Type::Prim(Prim::String) => json!(format!("{name}-value")),
        Type::Prim(Prim::Boolean) => json!(true),
        Type::Prim(Prim::Byte | Prim::Short | Prim::Integer | Prim::Long | Prim::BigInteger) => json!(42),
        Type::Prim(Prim::Float | Prim::Double | Prim::BigDecimal | Prim::Number) => json!(2.5),
        Type::Prim(Prim::Timestamp) => json!("2024-01-02T03:04:05Z"),
        Type::Prim(Prim::Blob) => json!("aGVsbG8="),
        Type::Prim(Prim::Document) => json!({ "free": ["form", 1] }),
        Type::List(_) | Type::Map { .. } | Type::Named(_) if depth >= DEPTH => json!(null),
        Type::List(item) => json!([sample(r, item, name, depth + 1)]),
        Type::Map { value, .. } => json!({ "key1": sample(r, value, name, depth + 1) }),
        Type::OneOf(alts) => alts.first().map_or(Value::Null, |t| sample(r, t, name, depth)),
        Type::Nullable(inner) => sample(r, inner, name, depth),
        Type::Named(n) => match r.types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, .. }) => {
                let mut m = Map::new();
                for f in fields {
                    let v =
                        f.constraints.allowed.first().cloned().unwrap_or_else(|| sample(r, &f.ty, &f.name, depth + 1));
                    m.insert(f.name.clone(), v);
                }
                Value::Object(m)
            }
            Some(TypeKind::Alias { ty, constraints }) => {
                constraints.allowed.first().cloned().unwrap_or_else(|| sample(r, ty, name, depth + 1))
            }
            _ => json!(null),
        },
    }
}

/// The value at a property path of a document.
pub fn at<'v>(doc: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(doc, |v, key| v.get(key))
}

/// The Cloud Control identifier of a document: the primary identifier's values joined with `|`.
pub fn identifier(r: &Resource, doc: &Value) -> String {
    r.primary_identifier
        .iter()
        .map(|path| match at(doc, path) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// Values for the `<Name>` placeholders of a resource's examples.
pub fn placeholders(r: &Resource, doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    for path in &r.primary_identifier {
        if let Some(last) = path.last() {
            out.push((last.clone(), text(at(doc, path))));
        }
    }
    if let Some(list) = &r.handlers.list {
        for p in &list.params {
            out.push((p.name.clone(), text(doc.get(&p.name))));
        }
    }
    out
}

/// Fills `<Name>` placeholders and quotes the resource id so plain SQL finds the view.
/// A list's `ResourceModel` is what StackQL sends Cloud Control to name the parent,
/// not a column: a table a user filled holds the rows such a call returned, so
/// the line goes.
pub fn runnable(sql: &str, r: &Resource, values: &[(String, String)]) -> String {
    let sql: String =
        sql.lines().filter(|l| !l.trim_start().starts_with("AND ResourceModel = ")).map(|l| format!("{l}\n")).collect();
    let mut sql = sql.replace(&format!("FROM {}", r.names.id), &format!("FROM \"{}\"", r.names.id));
    for (name, value) in values {
        sql = sql.replace(&format!("<{name}>"), &value.replace('\'', "''"));
    }
    sql
}

/// The fenced ```sql blocks of a page.
pub fn sql_blocks(page: &str) -> Vec<String> {
    codegen::emit::mdx::fenced_blocks(page, "sql")
}

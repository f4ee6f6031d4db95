//! Property names that need escaping (`"`, `\`, `'`, a line break, a tab) reach the SQL
//! views of both dialects escaped: the DDL loads into real SQLite and PostgreSQL, and
//! each view column reads its own property's value (a JSON path that does not match
//! would read NULL without an error). A name with NUL, which no dialect can hold, is
//! refused by the reader with the file and the JSON pointer.

mod support;

use std::path::{Path, PathBuf};

use codegen::emit::columns::{columns, ColumnType, Source};
use codegen::emit::sql::BASE_TABLE;
use codegen::model::Resource;
use codegen::read::SpecFiles;
use serde_json::{json, Value};

/// Property names, each with a letter (every generated name is made of those).
const ODD: &[&str] = &["Quote\"d", "Back\\slash", "Apo'strophe", "New\nline", "Tab\tbed", "All\"'\\\n\rOf"];

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-sql-escaping-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("cloudformation")).expect("scratch folder");
    dir
}

fn schema(names: &[&str]) -> Value {
    let mut properties = serde_json::Map::new();
    properties.insert("Id".into(), json!({ "type": "string" }));
    for n in names {
        properties.insert(n.to_string(), json!({ "type": "string" }));
    }
    properties.insert("Obj\"ect".into(), json!({ "type": "object" }));
    json!({
        "typeName": "Test::Odd::Thing",
        "description": "Property names that need escaping.",
        "properties": properties,
        "primaryIdentifier": ["/properties/Id"],
        "additionalProperties": false
    })
}

fn write(dir: &Path, schema: &Value) -> SpecFiles {
    let file = dir.join("cloudformation/odd.json");
    std::fs::write(&file, serde_json::to_vec_pretty(schema).expect("json")).expect("write schema");
    SpecFiles { cloudformation: vec![file], smithy: Vec::new() }
}

/// A document with a distinct value under every property.
fn document() -> Value {
    let mut doc = serde_json::Map::new();
    doc.insert("Id".into(), json!("thing-1"));
    for (i, n) in ODD.iter().enumerate() {
        doc.insert(n.to_string(), json!(format!("value {i} of {n}")));
    }
    doc.insert("Obj\"ect".into(), json!({ "in\"ner": [1, "two"] }));
    Value::Object(doc)
}

/// The model and the generated DDL of one dialect (base table first).
fn generated(dialect: &str) -> (codegen::model::Model, Vec<String>) {
    let dir = scratch(dialect);
    let files = write(&dir, &schema(ODD));
    let model = codegen::load_files(&dir, &files).expect("odd names load");
    let outputs = codegen::emit::all(&model).expect("outputs render");
    let _ = std::fs::remove_dir_all(&dir);
    let ddl = outputs
        .files
        .iter()
        .filter(|(p, _)| p.starts_with(&format!("generated/sql/{dialect}/")))
        .map(|(_, c)| c.clone())
        .collect();
    (model, ddl)
}

fn resource(model: &codegen::model::Model) -> &Resource {
    model.services.values().flat_map(|s| s.resources.values()).next().expect("one resource")
}

/// Each property column, whether it is JSON, and the value it should read.
fn expected(r: &Resource) -> Vec<(String, bool, Option<Value>)> {
    let doc = document();
    columns(r)
        .iter()
        .filter_map(|c| match c.source {
            Source::Property(f) => Some((c.sql.to_string(), c.ty == ColumnType::Json, doc.get(&f.name).cloned())),
            _ => None,
        })
        .collect()
}

#[test]
fn odd_names_read_the_right_value_in_sqlite() {
    let (model, ddl) = generated("sqlite");
    let r = resource(&model);
    let db = rusqlite::Connection::open_in_memory().expect("sqlite");
    for sql in &ddl {
        db.execute_batch(sql).unwrap_or_else(|e| panic!("DDL loads: {e}\n{sql}"));
    }
    db.execute(
        &format!("INSERT INTO {BASE_TABLE} (TypeName, region, Identifier, Properties) VALUES (?1, 'us-east-1', 'thing-1', ?2)"),
        rusqlite::params![r.type_name, document().to_string()],
    )
    .expect("insert");
    let want = expected(r);
    assert_eq!(want.len(), ODD.len() + 2);
    for (column, json_column, value) in want {
        // A JSON column holds JSON text; a text column the string itself.
        let sql = format!("SELECT {column} FROM \"{}\"", r.names.id);
        let got: Option<String> = db.query_row(&sql, [], |row| row.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let got = got.map(|t| if json_column { serde_json::from_str(&t).expect("json") } else { Value::String(t) });
        assert_eq!(got, value, "{column}");
    }
}

#[test]
fn odd_names_read_the_right_value_in_postgres() {
    let (model, ddl) = generated("postgres");
    let r = resource(&model);
    let server = support::postgres::Scratch::start("escaping");
    let mut db = server.connect();
    for sql in &ddl {
        db.batch_execute(sql).unwrap_or_else(|e| panic!("DDL loads: {e}\n{sql}"));
    }
    db.execute(
        &format!("INSERT INTO {BASE_TABLE} (TypeName, region, Identifier, Properties) VALUES ($1, 'us-east-1', 'thing-1', $2::text::jsonb)"),
        &[&r.type_name, &document().to_string()],
    )
    .expect("insert");
    for (column, _, value) in expected(r) {
        let sql = format!("SELECT to_jsonb({column})::text FROM \"{}\"", r.names.id);
        let got: String = db.query_one(&sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}")).get(0);
        let got: Value = serde_json::from_str(&got).expect("json");
        assert_eq!(Some(got), value, "{column}");
    }
}

#[test]
fn a_name_with_nul_is_refused_with_the_file_and_pointer() {
    let dir = scratch("nul");
    let files = write(&dir, &schema(&["Nul\0Name"]));
    let err = codegen::load_files(&dir, &files).expect_err("NUL in a name").to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!err.contains(['\n', '\0']), "one line: {err:?}");
    assert!(
        err.contains("cloudformation/odd.json") && err.contains("/properties/Nul\\u{0}Name") && err.contains("NUL"),
        "{err}"
    );
}

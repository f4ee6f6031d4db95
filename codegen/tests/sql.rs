//! The generated SQL on real engines: every DDL file loads into SQLite and
//! PostgreSQL, every view returns exactly the values of a sample document made
//! from its schema (NULL for a missing optional property), and every SQL example
//! on the docs pages parses, with the SELECT examples run against the views.

mod support;

use codegen::emit::columns::{columns, ColumnType, Source};
use codegen::emit::sql::BASE_TABLE;
use codegen::model::{Model, Resource};
use serde_json::Value;
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use support::{files, identifier, model, outputs, placeholders, runnable, sample_document, sql_blocks};

const REGION: &str = "us-east-1";

/// A sample row per resource, and a second one without an optional property.
struct Row<'a> {
    resource: &'a Resource,
    doc: Value,
    id: String,
    /// The property left out of the second row, and that row's identifier.
    missing: Option<(String, String)>,
}

fn rows(model: &Model) -> Vec<Row<'_>> {
    let mut out = Vec::new();
    for service in model.services.values() {
        for r in service.resources.values() {
            let doc = sample_document(r);
            let id = identifier(r, &doc);
            let in_id = |name: &str| r.primary_identifier.iter().any(|p| p.first().is_some_and(|f| f == name));
            let optional = r.fields.iter().find(|f| !f.required && !in_id(&f.name)).map(|f| f.name.clone());
            out.push(Row { resource: r, doc, missing: optional.map(|name| (name, format!("{id}-without"))), id });
        }
    }
    out
}

/// The document of a row, or of its second row with the optional property removed.
fn document(row: &Row, second: bool) -> Value {
    let mut doc = row.doc.clone();
    if let (true, Some((name, _)), Value::Object(m)) = (second, &row.missing, &mut doc) {
        m.remove(name);
    }
    doc
}

/// What a column of a row should hold, as JSON (`None` for NULL).
fn expected(id: &str, doc: &Value, source: Source) -> Option<Value> {
    match source {
        Source::Region => Some(Value::String(REGION.into())),
        Source::Identifier => Some(Value::String(id.into())),
        Source::Property(f) => doc.get(&f.name).cloned(),
    }
    .filter(|v| !v.is_null())
}

// ---------------------------------------------------------------- SQLite

fn sqlite_value(v: rusqlite::types::Value, ty: ColumnType) -> Option<Value> {
    use rusqlite::types::Value as V;
    match (v, ty) {
        (V::Null, _) => None,
        // SQLite has no boolean type: JSON true and false read as 1 and 0.
        (V::Integer(i), ColumnType::Boolean) => Some(Value::Bool(i != 0)),
        (V::Integer(i), _) => Some(Value::from(i)),
        (V::Real(f), _) => Some(Value::from(f)),
        (V::Text(t), ColumnType::Json) => Some(serde_json::from_str(&t).expect("a JSON column holds JSON")),
        (V::Text(t), _) => Some(Value::String(t)),
        (V::Blob(_), _) => panic!("no view column is a blob"),
    }
}

#[test]
fn sqlite_views_and_examples() {
    let model = model();
    let outputs = outputs(&model);
    let db = rusqlite::Connection::open_in_memory().unwrap();
    let ddl = files(&outputs, "generated/sql/sqlite/");
    assert!(ddl.len() >= 2, "base table and service views");
    for (path, sql) in ddl {
        db.execute_batch(sql).unwrap_or_else(|e| panic!("{path} loads: {e}"));
    }
    let rows = rows(&model);
    for row in &rows {
        for (second, id) in [(false, &row.id), (true, &row.missing.as_ref().map_or(String::new(), |m| m.1.clone()))] {
            if second && row.missing.is_none() {
                continue;
            }
            db.execute(
                &format!("INSERT INTO {BASE_TABLE} (TypeName, region, Identifier, Properties) VALUES (?1, ?2, ?3, ?4)"),
                (&row.resource.type_name, REGION, id, document(row, second).to_string()),
            )
            .unwrap();
        }
    }
    let mut checked = 0;
    for row in &rows {
        let r = row.resource;
        for second in [false, true] {
            let Some(id) = (if second { row.missing.as_ref().map(|m| m.1.clone()) } else { Some(row.id.clone()) })
            else {
                continue;
            };
            let doc = document(row, second);
            for c in columns(r) {
                let sql = format!("SELECT {} FROM \"{}\" WHERE Identifier = ?1", c.sql, r.names.id);
                let got: rusqlite::types::Value =
                    db.query_row(&sql, [&id], |row| row.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"));
                assert_eq!(sqlite_value(got, c.ty), expected(&id, &doc, c.source), "{} column {}", r.names.id, c.name);
                checked += 1;
            }
        }
        if let Some((name, id)) = &row.missing {
            let f = r.field(name).unwrap();
            let sql = format!("SELECT {} IS NULL FROM \"{}\" WHERE Identifier = ?1", f.names.sql, r.names.id);
            assert!(db.query_row(&sql, [id], |row| row.get::<_, bool>(0)).unwrap(), "{} without {name}", r.names.id);
        }
    }
    assert!(checked > 300, "checked {checked} values");

    // The SELECT examples of every page run and find the sample resource.
    for row in &rows {
        let r = row.resource;
        for sql in select_examples(&outputs, r) {
            let sql = runnable(&sql, r, &placeholders(r, &row.doc));
            let mut stmt = db.prepare(&sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
            let n = stmt.query_map([], |_| Ok(())).unwrap().count();
            check_found(&sql, n);
        }
    }
}

/// A get example finds the one sample resource; a list example finds the sample
/// and its twin without the optional property (same region, same parent).
fn check_found(sql: &str, n: usize) {
    if sql.contains("Identifier =") {
        assert_eq!(n, 1, "{sql}");
    } else {
        assert!((1..=2).contains(&n), "{n} rows: {sql}");
    }
}

/// The SELECT examples on a resource's page.
fn select_examples(outputs: &codegen::emit::Outputs, r: &Resource) -> Vec<String> {
    let page =
        outputs.files.iter().find(|(p, _)| p.ends_with(&format!("/{}.mdx", r.names.plural))).map(|(_, c)| c).unwrap();
    sql_blocks(page).into_iter().filter(|s| s.starts_with("SELECT")).collect()
}

// ---------------------------------------------------------------- PostgreSQL

#[test]
fn postgres_views_and_examples() {
    let model = model();
    let outputs = outputs(&model);
    let server = support::postgres::Scratch::start("views");
    let mut db = server.connect();
    for (path, sql) in files(&outputs, "generated/sql/postgres/") {
        db.batch_execute(sql).unwrap_or_else(|e| panic!("{path} loads: {e}"));
    }
    // Running the DDL again replaces everything without error.
    for (path, sql) in files(&outputs, "generated/sql/postgres/") {
        db.batch_execute(sql).unwrap_or_else(|e| panic!("{path} reloads: {e}"));
    }
    let rows = rows(&model);
    for row in &rows {
        for second in [false, true] {
            let Some(id) = (if second { row.missing.as_ref().map(|m| m.1.clone()) } else { Some(row.id.clone()) })
            else {
                continue;
            };
            db.execute(
                &format!("INSERT INTO {BASE_TABLE} (TypeName, region, Identifier, Properties) VALUES ($1, $2, $3, $4::text::jsonb)"),
                &[&row.resource.type_name, &REGION, &id, &document(row, second).to_string()],
            )
            .unwrap();
        }
    }
    for row in &rows {
        let r = row.resource;
        for c in columns(r) {
            let want_type = match c.ty {
                ColumnType::Text => "text",
                ColumnType::Boolean => "boolean",
                ColumnType::Integer => "bigint",
                ColumnType::Number => "numeric",
                ColumnType::Json => "jsonb",
            };
            // PostgreSQL folds unquoted names to lower case (`Identifier`).
            let name = match c.sql.strip_prefix('"') {
                Some(quoted) => quoted.trim_end_matches('"').to_string(),
                None => c.sql.to_ascii_lowercase(),
            };
            let got: String = db
                .query_one(
                    "SELECT data_type FROM information_schema.columns WHERE table_name = $1 AND column_name = $2",
                    &[&r.names.id, &name],
                )
                .unwrap_or_else(|e| panic!("{} column {name}: {e}", r.names.id))
                .get(0);
            assert_eq!(got, want_type, "{} column {name}", r.names.id);
        }
        for second in [false, true] {
            let Some(id) = (if second { row.missing.as_ref().map(|m| m.1.clone()) } else { Some(row.id.clone()) })
            else {
                continue;
            };
            let doc = document(row, second);
            for c in columns(r) {
                // to_jsonb keeps the column's type visible: true, 42, 2.5, "text", {...}.
                let sql = format!("SELECT to_jsonb({})::text FROM \"{}\" WHERE Identifier = $1", c.sql, r.names.id);
                let got: Option<String> = db.query_one(&sql, &[&id]).unwrap_or_else(|e| panic!("{sql}: {e}")).get(0);
                let got: Option<Value> =
                    got.map(|t| serde_json::from_str(&t).unwrap()).filter(|v: &Value| !v.is_null());
                assert_eq!(got, expected(&id, &doc, c.source), "{} column {}", r.names.id, c.name);
            }
        }
    }
    for row in &rows {
        let r = row.resource;
        for sql in select_examples(&outputs, r) {
            let sql = runnable(&sql, r, &placeholders(r, &row.doc));
            let n = db.query(&sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}")).len();
            check_found(&sql, n);
        }
    }
}

// ---------------------------------------------------------------- examples parse

#[test]
fn every_sql_example_parses() {
    let model = model();
    let outputs = outputs(&model);
    let mut kinds = std::collections::BTreeMap::new();
    for (path, page) in files(&outputs, "docs-site/docs/") {
        for sql in sql_blocks(page) {
            let statements =
                Parser::parse_sql(&GenericDialect {}, &sql).unwrap_or_else(|e| panic!("{path}: {e}\n{sql}"));
            assert_eq!(statements.len(), 1, "{path}: one statement per example\n{sql}");
            let kind = sql
                .lines()
                .find(|l| !l.starts_with("/*"))
                .and_then(|l| l.split_whitespace().next())
                .unwrap_or("")
                .to_string();
            *kinds.entry(kind).or_insert(0) += 1;
        }
    }
    for kind in ["SELECT", "INSERT", "UPDATE", "DELETE"] {
        assert!(kinds.get(kind).copied().unwrap_or(0) > 0, "no {kind} example among {kinds:?}");
    }
}

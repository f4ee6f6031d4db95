//! Plain SQL table definitions, per dialect: one base table that holds Cloud
//! Control resources as JSON, and one view per resource type that turns the JSON
//! `Properties` into typed columns named as on the docs pages. The projection is
//! the one the provider's StackQL views use, so both answer with the same columns.

use crate::emit::columns::{columns, ColumnType, Source};
use crate::emit::{Outputs, MARKER};
use crate::model::{Resource, Service};
use crate::passes::naming::{IDENTIFIER_COLUMN, REGION_COLUMN};

/// Where the DDL files go, below the output root.
pub const SQL_ROOT: &str = "generated/sql";

/// The base table every view reads.
pub const BASE_TABLE: &str = "cloud_control_resources";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub const ALL: [Dialect; 2] = [Dialect::Sqlite, Dialect::Postgres];

    /// Folder name, and the dialect name StackQL's view predicates use.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }

    pub fn stackql_name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite3",
            Dialect::Postgres => "postgres",
        }
    }
}

/// The base table every view reads, in each dialect.
pub fn emit_base(out: &mut Outputs) {
    for dialect in Dialect::ALL {
        out.insert(format!("{SQL_ROOT}/{}/00_{BASE_TABLE}.sql", dialect.name()), base_table(dialect));
    }
}

/// The views of the service's resource types, in each dialect.
pub fn emit(service: &Service, out: &mut Outputs) {
    if service.resources.is_empty() {
        return;
    }
    for dialect in Dialect::ALL {
        out.insert(format!("{SQL_ROOT}/{}/{}.sql", dialect.name(), service.id), service_views(dialect, service));
    }
}

fn base_table(dialect: Dialect) -> String {
    let properties = match dialect {
        Dialect::Sqlite => "TEXT NOT NULL CHECK (json_valid(Properties))",
        Dialect::Postgres => "jsonb NOT NULL",
    };
    format!(
        "-- {MARKER}\n\
         -- Cloud Control resources as GetResource and ListResources return them: one row\n\
         -- per resource, its properties as a JSON document, under the names StackQL gives\n\
         -- those columns. Load this file first; the views read this table.\n\
         CREATE TABLE IF NOT EXISTS {BASE_TABLE} (\n  \
           TypeName TEXT NOT NULL,\n  \
           region TEXT NOT NULL,\n  \
           Identifier TEXT NOT NULL,\n  \
           Properties {properties},\n  \
           PRIMARY KEY (TypeName, region, Identifier)\n\
         );\n"
    )
}

fn service_views(dialect: Dialect, service: &Service) -> String {
    let mut out = format!(
        "-- {MARKER}\n\
         -- Views over {BASE_TABLE} for the {} resource types of {}, one column per\n\
         -- property: the provider's views, reading a table you fill instead of calling\n\
         -- Cloud Control. Each view is named after its resource id; quote it in plain SQL.\n",
        service.resources.len(),
        service.id
    );
    for r in service.resources.values() {
        // Drop first: a regenerated view may have other columns, which
        // `CREATE OR REPLACE` refuses in PostgreSQL.
        let name = view_name(r);
        let select = plain_view(dialect, r);
        out.push_str(&format!("\n-- {}\nDROP VIEW IF EXISTS {name};\nCREATE VIEW {name} AS\n{select};\n", r.type_name));
    }
    out
}

/// `"aws.apigatewayv2.route_responses"`: the resource id as one quoted identifier.
pub fn view_name(r: &Resource) -> String {
    format!("\"{}\"", r.names.id)
}

/// The typed columns every view of a resource returns, from a row with
/// `region`, `Identifier` and `Properties` (a Cloud Control resource description).
pub fn projection(dialect: Dialect, r: &Resource) -> String {
    let cols: Vec<String> = columns(r)
        .iter()
        .map(|c| {
            let expr = match c.source {
                Source::Region => REGION_COLUMN.to_string(),
                Source::Identifier => IDENTIFIER_COLUMN.to_string(),
                Source::Property(f) => extract(dialect, &f.name, c.ty),
            };
            if expr == c.sql {
                expr
            } else {
                format!("{expr} AS {}", c.sql)
            }
        })
        .collect();
    format!("SELECT\n  {}", cols.join(",\n  "))
}

/// The plain view: the provider's projection over the table a user fills.
pub fn plain_view(dialect: Dialect, r: &Resource) -> String {
    format!("{}\nFROM {BASE_TABLE}\nWHERE TypeName = {}", projection(dialect, r), sql_string(&r.type_name))
}

/// The expression that reads one property from `Properties` as its column type.
fn extract(dialect: Dialect, property: &str, ty: ColumnType) -> String {
    match dialect {
        // `->>` gives the SQL value, `->` the JSON text (also for strings in a JSON column).
        Dialect::Sqlite => {
            let path = sql_string(&sqlite_path(property));
            match ty {
                ColumnType::Json => format!("Properties -> {path}"),
                _ => format!("Properties ->> {path}"),
            }
        }
        // StackQL holds `Properties` as text; the cast is a no-op on a jsonb column.
        Dialect::Postgres => {
            let key = sql_string(property);
            match ty {
                ColumnType::Json => format!("Properties::jsonb -> {key}"),
                ColumnType::Text => format!("Properties::jsonb ->> {key}"),
                ColumnType::Boolean => format!("(Properties::jsonb ->> {key})::boolean"),
                ColumnType::Integer => format!("(Properties::jsonb ->> {key})::bigint"),
                ColumnType::Number => format!("(Properties::jsonb ->> {key})::numeric"),
            }
        }
    }
}

/// The SQLite JSON path of a top-level key: `$."Name"`. SQLite ends a quoted label at the
/// first `"`, whatever comes before it, and reads JSON escapes inside it: a `"`, a `\` or
/// a control character is written as a JSON escape (`\u0022`). NUL has no escape: an SQL
/// string cannot hold it, and the CloudFormation reader refuses such a name.
pub fn sqlite_path(key: &str) -> String {
    let mut label = String::with_capacity(key.len());
    for c in key.chars() {
        match c {
            '"' | '\\' => label.push_str(&format!("\\u{:04x}", c as u32)),
            c if c.is_control() => label.push_str(&format!("\\u{:04x}", c as u32)),
            c => label.push(c),
        }
    }
    format!("$.\"{label}\"")
}

/// A string literal in both dialects (standard SQL: `'` doubled, nothing else escaped).
pub fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

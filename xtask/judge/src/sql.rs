//! What the engine reads off one SQL statement: the verb, the resource, the names
//! it supplies as parameters, the columns it selects or returns, and the bare
//! words its parser would refuse.
//!
//! Rules, from the engine's source (stackql/stackql unless said):
//! - the statement's kind is the verb: `internal/stackql/taxonomy/hierarchy.go`,
//!   `GetHeirarchyFromStatement`, and `methodselect/methodselect.go`,
//!   `GetMethodForAction` (select, insert, update, delete);
//! - supplied parameters are the WHERE comparisons `column = literal`, the INSERT
//!   column names and the UPDATE `SET` names, with their case kept:
//!   `internal/stackql/astvisit/placeholder_param_extract.go`;
//! - a reserved word cannot stand bare as a column, INSERT column or alias:
//!   stackql/stackql-parser `go/vt/sqlparser/sql.y` (`sql_id`, `col_alias`) and
//!   `token.go` (double quotes delimit identifiers).

use sqlparser::ast::{
    Assignment, AssignmentTarget, BinaryOperator, Expr, FromTable, Ident, ObjectName, ObjectNamePart, Query,
    SelectItem, SetExpr, Statement, TableFactor, TableObject, Value,
};
use sqlparser::dialect::Dialect;
use sqlparser::parser::Parser;

/// sqlparser's generic dialect, less what StackQL's grammar does not have: a
/// trailing comma in a projection (with it, `a, cluster FROM` reads as `a` and a
/// stray word). Identifiers are quoted with double quotes, as in StackQL.
#[derive(Debug)]
pub struct StackqlDialect;

impl Dialect for StackqlDialect {
    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_alphabetic() || ch == '_' || ch == '#' || ch == '@'
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_alphanumeric() || ch == '_' || ch == '#' || ch == '@' || ch == '$'
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '"' || ch == '`'
    }
}

/// The verbs a statement can have (`GetMethodForAction` accepts no other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Select,
    Insert,
    Update,
    Delete,
}

impl Verb {
    pub fn key(self) -> &'static str {
        match self {
            Verb::Select => "select",
            Verb::Insert => "insert",
            Verb::Update => "update",
            Verb::Delete => "delete",
        }
    }
}

/// A value a statement gives a parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Given {
    /// A string or number literal, as text.
    Literal(String),
    /// `string('...')`: kept as text whatever it looks like (any-sdk `shims.go`,
    /// `getStringFromStringFunc`).
    StringFunc(String),
    /// Anything else (an expression the engine evaluates).
    Other,
}

#[derive(Debug, Clone)]
pub struct Parsed {
    pub verb: Verb,
    /// `aws.apigatewayv2.routes`, as written (quotes removed).
    pub table: Vec<String>,
    /// Supplied parameters in statement order, with their values.
    pub params: Vec<(String, Given)>,
    /// Selected or returned columns (`None` for `*`).
    pub columns: Option<Vec<String>>,
    /// Bare words StackQL's parser reserves, where it wants an identifier.
    pub reserved: Vec<String>,
}

/// Parses one statement (comments such as `/*+ create */` are fine).
pub fn parse(sql: &str) -> Result<Parsed, String> {
    let statements = Parser::parse_sql(&StackqlDialect, sql).map_err(|e| format!("does not parse: {e}"))?;
    let [statement] = statements.as_slice() else {
        return Err(format!("{} statements in one example", statements.len()));
    };
    let mut out = Parsed { verb: Verb::Select, table: vec![], params: vec![], columns: None, reserved: vec![] };
    match statement {
        Statement::Query(q) => {
            let select = select_of(q)?;
            out.table = single_table(&select.from.iter().map(|t| &t.relation).collect::<Vec<_>>())?;
            out.columns = projection(&select.projection, &mut out.reserved);
            if let Some(w) = &select.selection {
                where_params(w, &mut out.params, &mut out.reserved);
            }
        }
        Statement::Insert(insert) => {
            out.verb = Verb::Insert;
            let TableObject::TableName(name) = &insert.table else { return Err("INSERT into a function".into()) };
            out.table = parts(name);
            let values = insert_values(insert.source.as_deref())?;
            if values.len() != insert.columns.len() {
                return Err(format!("{} columns but {} values", insert.columns.len(), values.len()));
            }
            for (column, value) in insert.columns.iter().zip(values) {
                let name = last_ident(column).ok_or("an INSERT column is not a name")?;
                check_bare(name, &mut out.reserved);
                out.params.push((name.value.clone(), value));
            }
            out.columns = insert.returning.as_ref().and_then(|r| projection(r, &mut out.reserved));
        }
        Statement::Update(update) => {
            out.verb = Verb::Update;
            out.table = single_table(&[&update.table.relation])?;
            for Assignment { target, value } in &update.assignments {
                let AssignmentTarget::ColumnName(column) = target else { return Err("SET of a tuple".into()) };
                let name = last_ident(column).ok_or("a SET target is not a name")?;
                check_bare(name, &mut out.reserved);
                out.params.push((name.value.clone(), given(value)));
            }
            if let Some(w) = &update.selection {
                where_params(w, &mut out.params, &mut out.reserved);
            }
            out.columns = update.returning.as_ref().and_then(|r| projection(r, &mut out.reserved));
        }
        Statement::Delete(delete) => {
            out.verb = Verb::Delete;
            let tables = match &delete.from {
                FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
            };
            out.table = single_table(&tables.iter().map(|t| &t.relation).collect::<Vec<_>>())?;
            if let Some(w) = &delete.selection {
                where_params(w, &mut out.params, &mut out.reserved);
            }
            out.columns = delete.returning.as_ref().and_then(|r| projection(r, &mut out.reserved));
        }
        other => return Err(format!("not a statement StackQL maps to a method: {}", first_word(&other.to_string()))),
    }
    Ok(out)
}

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

fn select_of(q: &Query) -> Result<&sqlparser::ast::Select, String> {
    match q.body.as_ref() {
        SetExpr::Select(s) => Ok(s),
        _ => Err("a query that is not one SELECT".into()),
    }
}

fn single_table(relations: &[&TableFactor]) -> Result<Vec<String>, String> {
    match relations {
        [TableFactor::Table { name, .. }] => Ok(parts(name)),
        [] => Err("no table".into()),
        _ => Err("more than one table".into()),
    }
}

fn parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => i.value.clone(),
            ObjectNamePart::Function(f) => f.name.value.clone(),
        })
        .collect()
}

fn last_ident(name: &ObjectName) -> Option<&Ident> {
    match name.0.last()? {
        ObjectNamePart::Identifier(i) => Some(i),
        ObjectNamePart::Function(_) => None,
    }
}

/// The values of `INSERT ... SELECT v1, v2` or `INSERT ... VALUES (v1, v2)`.
fn insert_values(source: Option<&Query>) -> Result<Vec<Given>, String> {
    let Some(q) = source else { return Err("INSERT without values".into()) };
    match q.body.as_ref() {
        SetExpr::Select(s) => Ok(s
            .projection
            .iter()
            .map(|item| match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => given(e),
                _ => Given::Other,
            })
            .collect()),
        SetExpr::Values(v) => match v.rows.as_slice() {
            [row] => Ok(row.content.iter().map(given).collect()),
            _ => Err("INSERT of several rows".into()),
        },
        _ => Err("INSERT from something other than SELECT or VALUES".into()),
    }
}

fn given(e: &Expr) -> Given {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Given::Literal(s.clone()),
            Value::Number(n, _) => Given::Literal(n.to_string()),
            Value::Boolean(b) => Given::Literal(b.to_string()),
            _ => Given::Other,
        },
        Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("string") => {
            let text = f.args.to_string();
            let inner = text.trim_start_matches('(').trim_end_matches(')').trim();
            let unquoted = inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')).unwrap_or(inner);
            Given::StringFunc(unquoted.replace("''", "'"))
        }
        _ => Given::Other,
    }
}

/// `WHERE a = 'x' AND b = 'y'`: the comparisons of a column with a literal, in
/// order; anything else is a filter, not a parameter.
fn where_params(e: &Expr, out: &mut Vec<(String, Given)>, reserved: &mut Vec<String>) {
    match e {
        Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
            where_params(left, out, reserved);
            where_params(right, out, reserved);
        }
        Expr::Nested(inner) => where_params(inner, out, reserved),
        Expr::BinaryOp { left, op: BinaryOperator::Eq, right } => {
            let column = match left.as_ref() {
                Expr::Identifier(i) => Some(i),
                Expr::CompoundIdentifier(parts) => parts.last(),
                _ => None,
            };
            if let Some(column) = column {
                check_bare(column, reserved);
                if let g @ Given::Literal(_) = given(right) {
                    out.push((column.value.clone(), g));
                }
            }
        }
        _ => {}
    }
}

/// Selected column names (aliases where given); `None` for `*`.
fn projection(items: &[SelectItem], reserved: &mut Vec<String>) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for item in items {
        match item {
            SelectItem::UnnamedExpr(Expr::Identifier(i)) => {
                check_bare(i, reserved);
                out.push(i.value.clone());
            }
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => {
                if let Some(i) = parts.last() {
                    check_bare(i, reserved);
                    out.push(i.value.clone());
                }
            }
            SelectItem::ExprWithAlias { alias, .. } => {
                check_bare(alias, reserved);
                out.push(alias.value.clone());
            }
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) => return None,
            // An expression without a name: the engine names it itself.
            _ => {}
        }
    }
    Some(out)
}

fn check_bare(i: &Ident, reserved: &mut Vec<String>) {
    if i.quote_style.is_none() && is_reserved(&i.value) {
        reserved.push(i.value.clone());
    }
}

/// StackQL's parser: `reserved_keyword` in `sql.y`, and the keyword tokens of
/// `token.go` that the grammar takes as neither an identifier nor a
/// non-reserved keyword. Either kind cannot be a bare column name. Sorted.
const RESERVED: &[&str] = &[
    "add",
    "all",
    "alter",
    "analyze",
    "and",
    "as",
    "asc",
    "between",
    "binary",
    "by",
    "case",
    "cast",
    "collate",
    "column",
    "constraint",
    "convert",
    "create",
    "cross",
    "current_date",
    "current_time",
    "current_timestamp",
    "database",
    "databases",
    "delete",
    "desc",
    "describe",
    "distinct",
    "div",
    "do",
    "drop",
    "else",
    "end",
    "escape",
    "exec",
    "exists",
    "explain",
    "false",
    "for",
    "format",
    "from",
    "full",
    "group",
    "group_concat",
    "having",
    "if",
    "ignore",
    "in",
    "index",
    "inner",
    "insert",
    "interval",
    "into",
    "is",
    "join",
    "left",
    "like",
    "limit",
    "list",
    "localtime",
    "localtimestamp",
    "lock",
    "mod",
    "natural",
    "next",
    "not",
    "null",
    "off",
    "on",
    "or",
    "order",
    "outer",
    "over",
    "pull",
    "recursive",
    "regexp",
    "registry",
    "release",
    "replace",
    "returning",
    "right",
    "savepoint",
    "schema",
    "select",
    "separator",
    "set",
    "show",
    "stream",
    "substr",
    "substring",
    "table",
    "then",
    "timestampadd",
    "timestampdiff",
    "to",
    "traditional",
    "tree",
    "true",
    "union",
    "update",
    "use",
    "using",
    "utc_date",
    "utc_time",
    "utc_timestamp",
    "values",
    "vitess",
    "when",
    "where",
    "work",
    "xor",
];

pub fn is_reserved(word: &str) -> bool {
    RESERVED.binary_search(&word.to_ascii_lowercase().as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_are_sorted() {
        assert!(RESERVED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn select_gives_where_equalities_and_columns() {
        let s = parse("SELECT region, \"schema\", x AS y FROM aws.svc.res WHERE region = 'us-east-1' AND Identifier = 'a|b' AND n > 2;").unwrap();
        assert_eq!(s.verb, Verb::Select);
        assert_eq!(s.table, ["aws", "svc", "res"]);
        assert_eq!(s.columns.unwrap(), ["region", "schema", "y"]);
        let names: Vec<&str> = s.params.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["region", "Identifier"]);
        assert!(s.reserved.is_empty());
    }

    #[test]
    fn bare_reserved_words_are_caught() {
        let s = parse("INSERT INTO aws.svc.res (Schema, region) SELECT '{}', 'us-east-1';").unwrap();
        assert_eq!(s.reserved, ["Schema"]);
        let s = parse("INSERT INTO aws.svc.res (\"Schema\", region) SELECT '{}', 'us-east-1';").unwrap();
        assert!(s.reserved.is_empty());
        assert_eq!(s.params[0], ("Schema".to_string(), Given::Literal("{}".into())));
    }

    #[test]
    fn words_sqlparser_reserves_and_stackql_does_not_are_columns() {
        let s = parse("SELECT a,\n  cluster\nFROM x.y.z WHERE region = 'r';").unwrap();
        assert_eq!(s.columns.unwrap(), ["a", "cluster"]);
    }

    #[test]
    fn update_and_delete() {
        let s = parse("UPDATE aws.svc.res SET PatchDocument = string('[{\"op\":\"add\"}]') WHERE Identifier = 'x' RETURNING ErrorCode;").unwrap();
        assert_eq!(s.verb, Verb::Update);
        assert_eq!(s.params[0], ("PatchDocument".to_string(), Given::StringFunc("[{\"op\":\"add\"}]".into())));
        assert_eq!(s.params[1].0, "Identifier");
        assert_eq!(s.columns.unwrap(), ["ErrorCode"]);
        let s = parse("/*+ delete */ DELETE FROM aws.svc.res WHERE Identifier = 'x' AND region = 'r';").unwrap();
        assert_eq!(s.verb, Verb::Delete);
        assert_eq!(s.params.len(), 2);
    }
}

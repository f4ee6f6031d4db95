//! `cargo xtask judge` (this crate's binary): every SQL statement on the docs pages, judged by the rules
//! the StackQL engine applies to it (method and view selection, parameter names,
//! columns), and every provider document validated against StackQL's own schemas.
//!
//! StackQL cannot run here, so its rules are written out from its source, each
//! with the Go file and function it comes from (see `sql.rs` and `provider.rs`).
//! Where the engine lets a mistake through silently (a column it drops, a JSON
//! string it turns into an object, a list Cloud Control refuses without its
//! parent), the judge reports it too, and says so.

pub mod provider;
pub mod schemas;
pub mod sql;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

pub use provider::Provider;
use provider::{Method, Res};
use sql::{Given, Verb};

#[derive(clap::Parser)]
#[command(name = "cargo xtask judge", about = "Judge the SQL on docs pages by the StackQL engine's rules")]
pub struct Args {
    /// The provider folder holding `provider.yaml` (default: the generated one).
    #[arg(long)]
    provider: Option<PathBuf>,
    /// Folders of docs pages (`.md`, `.mdx`) whose ```sql blocks are judged
    /// (default: the generated pages).
    #[arg(long)]
    pages: Vec<PathBuf>,
    /// StackQL's provider schemas (default: `../shared/stackql/schemas`).
    #[arg(long)]
    schemas: Option<PathBuf>,
    /// List every statement's verdict, not only the failures.
    #[arg(long)]
    verbose: bool,
}

/// The SQL backends StackQL runs on; views are chosen per backend.
pub const DIALECTS: [&str; 2] = ["sqlite3", "postgres"];

/// How deep views may call views (stackql's `--indirect-depth-max` default).
const VIEW_DEPTH: usize = 5;

/// What the engine would run for a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    Method(String),
    /// A view: its stored name (`aws.svc.res`, `aws.svc.res_1`, ...).
    View(String),
}

/// The verdict on one statement: what runs (per dialect for SELECT), or why not.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub verb: Option<Verb>,
    pub resource: String,
    pub chosen: Vec<Chosen>,
    pub problems: Vec<String>,
}

/// The repository root (this crate is `xtask/judge/`).
pub fn repo_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.ancestors().nth(2).unwrap_or(crate_dir).to_path_buf()
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let root = repo_root();
    let root = root.as_path();
    let dir = args.provider.clone().unwrap_or_else(|| default_provider(root));
    let pages = if args.pages.is_empty() { vec![root.join("docs-site/docs")] } else { args.pages.clone() };
    let schemas = args.schemas.clone().unwrap_or_else(|| root.join("../shared/stackql/schemas"));
    let provider = Provider::load(&dir)?;
    let mut failed = 0;

    let invalid = schemas::validate(&provider, &schemas)?;
    let documents = provider.services.len() + 1;
    for line in &invalid {
        eprintln!("schema: {line}");
    }
    eprintln!(
        "schemas: {} of {documents} provider documents valid against {}",
        documents - invalid.iter().map(|l| l.split(':').next().unwrap_or("")).collect::<BTreeSet<_>>().len(),
        schemas.display()
    );
    failed += invalid.len();

    let statements = page_statements(&pages, &provider.name)?;
    let mut by_verb: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (page, sql) in &statements {
        let v = judge(&provider, sql);
        let key = v.verb.map_or("unparsed", Verb::key);
        let entry = by_verb.entry(key).or_default();
        if v.problems.is_empty() {
            entry.0 += 1;
            if args.verbose {
                eprintln!("ok: {} {}: {:?}", page.display(), v.resource, v.chosen);
            }
        } else {
            entry.1 += 1;
            failed += 1;
            for p in &v.problems {
                eprintln!("FAIL {}: {}\n    {}", page.display(), first_line(sql), p);
            }
        }
    }
    for (verb, (ok, bad)) in &by_verb {
        eprintln!("judge: {verb}: {ok} passed, {bad} failed");
    }
    let ok: usize = by_verb.values().map(|v| v.0).sum();
    let bad: usize = by_verb.values().map(|v| v.1).sum();
    println!("{ok} passed, {bad} failed");
    eprintln!("judge: {} statements on the pages below {}", statements.len(), join_paths(&pages));
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn default_provider(root: &Path) -> PathBuf {
    root.join(codegen::emit::provider::PROVIDER_ROOT)
        .join(codegen::model::DEFAULT_PROVIDER)
        .join(codegen::emit::provider::PROVIDER_VERSION)
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn first_line(sql: &str) -> &str {
    sql.lines().find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("/*")).unwrap_or("").trim()
}

/// Every ```sql block of every page below the folders that names a resource of
/// this provider (other blocks, such as a page's StackQL shell set-up, are not
/// statements against it).
pub fn page_statements(dirs: &[PathBuf], provider: &str) -> Result<Vec<(PathBuf, String)>> {
    let mut files = Vec::new();
    for dir in dirs {
        collect(dir, &mut files).with_context(|| format!("reading {}", dir.display()))?;
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        for block in codegen::emit::mdx::fenced_blocks(&text, "sql") {
            if block.contains(&format!("{provider}.")) {
                out.push((file.clone(), block));
            }
        }
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md" || e == "mdx") {
            out.push(path);
        }
    }
    Ok(())
}

/// Judges one statement against the provider.
pub fn judge(provider: &Provider, sql: &str) -> Verdict {
    let mut v = Verdict { verb: None, resource: String::new(), chosen: vec![], problems: vec![] };
    let parsed = match sql::parse(sql) {
        Ok(p) => p,
        Err(e) => {
            v.problems.push(e);
            return v;
        }
    };
    v.verb = Some(parsed.verb);
    v.resource = parsed.table.join(".");
    for word in &parsed.reserved {
        v.problems.push(format!(
            "`{word}` is a reserved word of StackQL's parser: write it in double quotes (stackql-parser sql.y)"
        ));
    }
    let res = match provider.resource(&parsed.table) {
        Ok(r) => r,
        Err(e) => {
            v.problems.push(e);
            return v;
        }
    };
    if res.def.get("id").and_then(|i| i.as_str()) != Some(res.id.as_str()) {
        v.problems.push(format!(
            "the resource's `id` is not `{}`: its views are stored under the id (persistence_system.go, HandleViewCollection)",
            res.id
        ));
    }
    let supplied: Vec<String> = parsed.params.iter().map(|(n, _)| n.clone()).collect();
    match parsed.verb {
        Verb::Select if res.def.pointer("/config/views/select").is_some() => {
            for dialect in DIALECTS {
                match select_view(provider, &res, &supplied, parsed.columns.as_deref(), dialect, 0) {
                    Ok(name) => v.chosen.push(Chosen::View(name)),
                    Err(e) => v.problems.push(format!("{dialect}: {e}")),
                }
            }
        }
        verb => match choose_method(&res, verb.key(), &supplied) {
            Ok(m) => {
                v.chosen.push(Chosen::Method(m.name.clone()));
                v.problems.extend(check_method(&m, verb, &parsed.params, parsed.columns.as_deref()));
            }
            Err(e) => v.problems.push(e),
        },
    }
    v
}

/// The method the engine picks: the first of the verb's methods whose required
/// parameters are all supplied (any-sdk `methodSet.go`, `getFirstNamespaceMatch`;
/// `operation_store.go`, `namespaceParameterMatch`: exact, case-sensitive names).
fn choose_method<'a>(res: &Res<'a>, verb: &str, supplied: &[String]) -> Result<Method<'a>, String> {
    let methods = res.methods_for(verb)?;
    let given: BTreeSet<&str> = supplied.iter().map(String::as_str).collect();
    let mut tried = Vec::new();
    for m in methods {
        let required = m.required()?;
        let missing: Vec<&String> = required.iter().filter(|r| !given.contains(r.as_str())).collect();
        if missing.is_empty() {
            return Ok(m);
        }
        tried.push(format!("{} needs {}", m.name, join(&missing)));
    }
    Err(format!(
        "no appropriate method = '{verb}' for resource = '{}' (stackql methodselect.go){}",
        res.name,
        if tried.is_empty() { String::new() } else { format!(": {}", tried.join("; ")) }
    ))
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// What a chosen method does with what the statement gives it.
fn check_method(m: &Method, verb: Verb, params: &[(String, Given)], columns: Option<&[String]>) -> Vec<String> {
    let mut problems = Vec::new();
    let known = match m.known() {
        Ok(k) => k,
        Err(e) => return vec![e],
    };
    for (name, value) in params {
        if !known.contains(name) {
            problems.push(format!(
                "`{name}` is not a parameter of {}: the engine drops it without a word (any-sdk shims.go, splitHTTPParameters)",
                m.name
            ));
            continue;
        }
        if let Given::Literal(text) = value {
            let t = text.trim_start();
            let json_like =
                (t.starts_with('{') || t.starts_with('[')) && serde_json::from_str::<serde_json::Value>(text).is_ok();
            if json_like && m.json_into_string(name).unwrap_or(false) {
                problems.push(format!(
                    "`{name}` is sent as a JSON object or array where a string is expected: mark it x-stackQL-stringOnly or use string('...') (any-sdk shims.go, parseRequestBodyParam)"
                ));
            }
        }
    }
    if verb == Verb::Insert {
        let given: BTreeSet<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
        match m.nested_required() {
            Ok(required) => {
                for r in required.iter().filter(|r| !given.contains(r.as_str())) {
                    problems.push(format!(
                        "`{r}` is required by the resource type: the engine sends the request and Cloud Control refuses it"
                    ));
                }
            }
            Err(e) => problems.push(e),
        }
    }
    // The rows' columns are the response's, plus the parameters the call was made
    // with (the views of StackQL's own provider select `region` so).
    if let Some(columns) = columns {
        match m.response_columns() {
            Some(have) => {
                for c in columns.iter().filter(|c| !have.contains(*c) && !known.contains(*c)) {
                    problems.push(format!("column `{c}` is not in what {} returns", m.name));
                }
            }
            None => problems.push(format!("{} returns no rows to select from", m.name)),
        }
    }
    problems
}

/// `LIKE` as SQLite evaluates it (the engine's view lookup, stackql
/// `sql_system/sqlite.go`, `getAwareViewsByName`: `view_name LIKE '<name>%'`):
/// `_` is any one character, `%` any run, ASCII case ignored.
fn like_prefix(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    n.len() >= p.len() && p.iter().zip(&n).all(|(a, b)| *a == '_' || a.eq_ignore_ascii_case(b))
}

/// The view the engine runs for a SELECT, then the view's own statement judged in
/// turn. Views are found by name prefix and taken in order, the first whose
/// required parameters the statement supplies (stackql `sqlite.go`,
/// `selectMatchingView`; `internaldto/view_dto.go`, `MatchOnParams`). A view of
/// another resource found by the same prefix could come first (the order is that
/// of registration, which follows the statements a session ran), so it is reported.
fn select_view(
    provider: &Provider,
    res: &Res,
    supplied: &[String],
    columns: Option<&[String]>,
    dialect: &str,
    depth: usize,
) -> Result<String, String> {
    let given: BTreeSet<&str> = supplied.iter().map(String::as_str).collect();
    let matches = |v: &provider::View| v.required.iter().all(|r| given.contains(r.as_str()));
    let own = res.views(dialect);
    if own.is_empty() {
        return Err(format!("`{}` has no view for {dialect}", res.id));
    }
    let Some(view) = own.iter().find(|v| matches(v)) else {
        let needs: Vec<String> = own.iter().map(|v| format!("{} needs {}", v.name, join(&v.required))).collect();
        return Err(format!(
            "no view matches the parameters given ({}); the engine would run the first view with its placeholder values",
            needs.join("; ")
        ));
    };
    let (_, doc) = &provider.services[&res.id.split('.').nth(1).unwrap_or_default().to_string()];
    if let Some(all) = doc.pointer("/components/x-stackQL-resources").and_then(|r| r.as_object()) {
        for (name, _) in all.iter().filter(|(n, _)| **n != res.name) {
            let table =
                vec![provider.name.clone(), res.id.split('.').nth(1).unwrap_or_default().to_string(), name.clone()];
            let Ok(other) = provider.resource(&table) else { continue };
            if let Some(v) = other.views(dialect).iter().find(|v| like_prefix(&res.id, &v.name) && matches(v)) {
                return Err(format!(
                    "view `{}` of another resource also matches `{}%`: which one runs depends on registration order (sqlite.go, getAwareViewsByName)",
                    v.name, res.id
                ));
            }
        }
    }
    // The view's statement: its own resource, method and columns.
    let inner = sql::parse(&view.ddl).map_err(|e| format!("view {}: {e}", view.name))?;
    let target = provider.resource(&inner.table).map_err(|e| format!("view {}: {e}", view.name))?;
    let inner_supplied: Vec<String> = inner.params.iter().map(|(n, _)| n.clone()).collect();
    // `SELECT *`: the columns of what the view reads.
    let out_columns = match &inner.columns {
        Some(c) => c.clone(),
        None => match choose_method(&target, "select", &inner_supplied) {
            Ok(m) => {
                m.response_columns().unwrap_or_default().into_iter().chain(m.known().unwrap_or_default()).collect()
            }
            Err(_) => Vec::new(),
        },
    };
    let inner_params: BTreeSet<&str> = inner.params.iter().map(|(n, _)| n.as_str()).collect();
    if let Some(word) = inner.reserved.first() {
        return Err(format!("view {}: `{word}` is reserved in StackQL's parser", view.name));
    }
    if let Some(c) = columns.into_iter().flatten().find(|c| !out_columns.contains(c)) {
        return Err(format!("column `{c}` is not in what view {} returns", view.name));
    }
    // An outer parameter reaches the view's call by replacing the same-named
    // comparison inside it (stackql docs/views.md); one the view neither returns
    // nor compares is a filter on nothing.
    if let Some(p) = supplied.iter().find(|p| !out_columns.contains(p) && !inner_params.contains(p.as_str())) {
        return Err(format!("`{p}` is neither a column of view {} nor a parameter it passes on", view.name));
    }
    if target.def.pointer("/config/views/select").is_some() {
        if depth + 1 >= VIEW_DEPTH {
            return Err(format!("view {} nests views more than {VIEW_DEPTH} deep", view.name));
        }
        select_view(provider, &target, &inner_supplied, None, dialect, depth + 1)?;
    } else {
        let m = choose_method(&target, "select", &inner_supplied).map_err(|e| format!("view {}: {e}", view.name))?;
        let have = m.response_columns().unwrap_or_default();
        let server: BTreeSet<String> = m.known().unwrap_or_default();
        if let Some(r) = inner_column_refs(&view.ddl).iter().find(|r| !have.contains(*r) && !server.contains(*r)) {
            return Err(format!("view {} reads `{r}`, which {} does not return", view.name, m.name));
        }
        let problems = check_method(&m, Verb::Select, &inner.params, None);
        if let Some(p) = problems.first() {
            return Err(format!("view {}: {p}", view.name));
        }
    }
    Ok(view.name.clone())
}

/// The bare column names a view's projection reads (`Properties`, `region`, ...).
fn inner_column_refs(ddl: &str) -> Vec<String> {
    use sqlparser::ast::{Expr, SelectItem, SetExpr, Statement};
    fn walk(e: &Expr, out: &mut Vec<String>) {
        match e {
            Expr::Identifier(i) => out.push(i.value.clone()),
            Expr::CompoundIdentifier(p) => out.extend(p.last().map(|i| i.value.clone())),
            Expr::BinaryOp { left, right, .. } => {
                walk(left, out);
                walk(right, out);
            }
            Expr::Cast { expr, .. } | Expr::Nested(expr) | Expr::UnaryOp { expr, .. } => walk(expr, out),
            _ => {}
        }
    }
    let Ok(statements) = sqlparser::parser::Parser::parse_sql(&sql::StackqlDialect, ddl) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(Statement::Query(q)) = statements.first() {
        if let SetExpr::Select(s) = q.body.as_ref() {
            for item in &s.projection {
                if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                    walk(e, &mut out);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;

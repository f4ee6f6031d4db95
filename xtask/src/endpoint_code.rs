//! A service's `smithy.rules#endpointRuleSet` as Rust code: the variant the product does not
//! ship, built only so `cargo xtask endpoint-compare` can measure it against the embedded rules
//! the runtime interprets (issue 13's open comparison). It lives here, not in `codegen`, because
//! no generated crate uses it; if the figures ever favour it, this module moves to
//! `codegen/src/emit/rust/` with the library's error type.
//!
//! The rules become `resolve_rules(params, partitions)` and one function per tree rule: each
//! parameter a typed local (`Option<String>`, `Option<bool>`, `Option<Vec<String>>`) with its
//! default, each condition an `if` (an assignment a `let` before it), each template a `format!`,
//! each endpoint a value of the runtime's [`Endpoint`](aws_codegen_runtime::endpoint::Endpoint).
//! No closures: each would be one more function type for the compiler. The rule set is read
//! as the runtime reads it (`RuleSet::from_value`: its version, the parameters with their types,
//! defaults and `required`, every reference and function checked; `getAttr` paths by
//! `endpoint::parse_path`), so the two variants cannot read one rule set differently. The functions
//! of the standard library are the runtime's own (`endpoint::functions`, `Partitions::partition`,
//! `encode::label`); what they return as JSON (partitions, parsed URLs and ARNs) stays a
//! `serde_json::Value`, read with `Value::get`. The semantics are the interpreter's
//! (`runtime/src/endpoint/eval.rs`): a tree whose conditions hold is terminal, a value that is
//! unset, null or `false` fails a condition.

use std::fmt::Write as _;

use anyhow::{bail, Context, Result};
use aws_codegen_runtime::endpoint::{parse_path, ParamType, PathPart, RuleSet};
use serde_json::Value;

/// The Rust type of an expression's value (always wrapped in `Option`: `None` is "unset").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Bool,
    Str,
    StrArray,
    /// A JSON value: what `aws.partition`, `parseURL`, `aws.parseArn`, `split` and `getAttr` on
    /// them give, and property values.
    Json,
}

impl Ty {
    fn rust(self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::Str => "String",
            Ty::StrArray => "Vec<String>",
            Ty::Json => "Value",
        }
    }
}

/// Rust code for an expression: `code` evaluates to an owned `Option<T>`. The other fields let
/// the code around it avoid clones and wrappers: `place` is the local that holds the value when
/// the expression is a reference, `borrow` an `Option<&Value>` reaching into a local (`getAttr`),
/// `plain` a `bool` expression for predicates that are never unset, `literal` a constant.
#[derive(Default)]
struct Code {
    code: String,
    ty: Option<Ty>,
    place: Option<String>,
    borrow: Option<String>,
    plain: Option<String>,
    literal: Option<Value>,
}

impl Code {
    fn new(code: String, ty: Ty) -> Code {
        Code { code, ty: Some(ty), ..Code::default() }
    }

    /// A predicate that always has a value.
    fn predicate(plain: String) -> Code {
        Code { code: format!("Some({plain})"), ty: Some(Ty::Bool), plain: Some(plain), ..Code::default() }
    }

    fn ty(&self) -> Ty {
        self.ty.unwrap_or(Ty::Json)
    }

    /// The value as `Option<&T>`-like borrowed code (`Option<&str>` for strings).
    fn borrowed(&self) -> String {
        if let Some(b) = &self.borrow {
            return b.clone();
        }
        let base = self.place.clone().unwrap_or_else(|| format!("({})", self.code));
        match self.ty() {
            Ty::Bool => base,
            Ty::Str => format!("{base}.as_deref()"),
            Ty::StrArray | Ty::Json => format!("{base}.as_ref()"),
        }
    }

    /// `Option<&str>`: a JSON value's string, or the string.
    fn str_ref(&self) -> Result<String> {
        if let Some(Value::String(s)) = &self.literal {
            return Ok(format!("Some({})", lit(s)));
        }
        Ok(match self.ty() {
            Ty::Str => self.borrowed(),
            Ty::Json => format!("{}.and_then(Value::as_str)", self.borrowed()),
            other => bail!("a {other:?} where the rules need a string"),
        })
    }

    /// `Option<bool>`.
    fn bool(&self) -> Result<String> {
        if let Some(p) = &self.plain {
            return Ok(format!("Some({p})"));
        }
        Ok(match self.ty() {
            Ty::Bool => self.place.clone().unwrap_or_else(|| format!("({})", self.code)),
            Ty::Json => format!("{}.and_then(Value::as_bool)", self.borrowed()),
            other => bail!("a {other:?} where the rules need a boolean"),
        })
    }

    /// Owned `Option<Value>`.
    fn json(&self) -> String {
        match &self.literal {
            Some(Value::String(s)) => return format!("Some(Value::String({}.to_owned()))", lit(s)),
            Some(Value::Bool(b)) => return format!("Some(Value::Bool({b}))"),
            _ => {}
        }
        let owned = match (&self.place, &self.borrow) {
            (None, None) => format!("({})", self.code),
            _ => self.owned(),
        };
        match self.ty() {
            Ty::Json => self.owned(),
            Ty::Str => format!("{owned}.map(Value::String)"),
            Ty::Bool => format!("{owned}.map(Value::Bool)"),
            Ty::StrArray => format!("{owned}.map(|a| Value::Array(a.into_iter().map(Value::String).collect()))"),
        }
    }

    /// Owned `Option<T>`.
    fn owned(&self) -> String {
        if let Some(p) = &self.place {
            return format!("{p}.clone()");
        }
        if let Some(b) = &self.borrow {
            return format!("{b}.cloned()");
        }
        self.code.clone()
    }

    /// A condition: set, not null and not `false`.
    fn truthy(&self) -> String {
        if let Some(p) = &self.plain {
            return p.clone();
        }
        match self.ty() {
            Ty::Bool => format!("{} == Some(true)", self.bool().unwrap_or_default()),
            Ty::Json => format!("truthy({})", self.borrowed()),
            Ty::Str | Ty::StrArray => format!("{}.is_some()", self.borrowed()),
        }
    }

    /// An owned `String` as the interpreter renders a value into a message or header: unset is
    /// empty, a non-string its JSON text.
    fn text(&self) -> String {
        if let Some(Value::String(s)) = &self.literal {
            return format!("{}.to_owned()", lit(s));
        }
        match self.ty() {
            Ty::Str => format!("{}.unwrap_or_default()", self.owned()),
            _ => format!("text_or_empty({})", self.json()),
        }
    }
}

/// The Rust source of a module that resolves endpoints by `rules` (a rule set's JSON value):
/// `pub fn resolve_rules(params: &Params, partitions: &Partitions) -> Result<Endpoint,
/// EndpointError>`, the same contract as the runtime's `Resolver::resolve`.
pub fn resolver_source(rules: &Value) -> Result<String> {
    // The runtime's reading of the rule set: its version, its parameters, every name and function
    // known; what is generated below walks the same JSON.
    let rule_set = RuleSet::from_value(rules)?;
    let mut g = Gen { out: String::new(), scope: Vec::new(), depth: 1, trees: Vec::new() };
    g.out.push_str(PRELUDE);
    g.out.push_str(
        "pub fn resolve_rules(params: &Params, partitions: &Partitions) -> Result<Endpoint, EndpointError> {\n",
    );
    for p in rule_set.params() {
        let name = &p.name;
        let ident = format!("p_{}", ident(name));
        let (ty, getter) = match p.ty {
            ParamType::String => (Ty::Str, "string_param"),
            ParamType::Boolean => (Ty::Bool, "bool_param"),
            ParamType::StringArray => (Ty::StrArray, "array_param"),
        };
        let default = match (&p.default, ty) {
            (None, _) => String::new(),
            (Some(Value::String(s)), Ty::Str) => format!(".or_else(|| Some({}.to_owned()))", lit(s)),
            (Some(Value::Bool(b)), Ty::Bool) => format!(".or(Some({b}))"),
            (Some(Value::Array(items)), Ty::StrArray) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|v| v.as_str().map(|s| format!("{}.to_owned()", lit(s))))
                    .collect::<Option<_>>()
                    .with_context(|| format!("parameter `{name}`: a default list with a non-string"))?;
                format!(".or_else(|| Some(vec![{}]))", items.join(", "))
            }
            (Some(other), _) => bail!("parameter `{name}`: default {other} is not a {ty:?}"),
        };
        g.line(&format!("let {ident}: Option<{}> = {getter}(params, {})?{default};", ty.rust(), lit(name)));
        if p.required {
            g.line(&format!(
                "if {ident}.is_none() {{ return Err(EndpointError::new({})); }}",
                lit(&format!("the endpoint parameter `{name}` is required"))
            ));
        }
        g.scope.push((name.clone(), ident, ty));
    }
    g.rules(rules.get("rules"))?;
    g.line("Err(no_match())");
    g.out.push_str("}\n");
    for tree in &g.trees {
        g.out.push('\n');
        g.out.push_str(tree);
    }
    Ok(g.out)
}

struct Gen {
    out: String,
    /// Names in scope: rule set name, Rust local, type.
    scope: Vec<(String, String, Ty)>,
    depth: usize,
    /// The functions of the trees written so far.
    trees: Vec<String>,
}

impl Gen {
    fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn rules(&mut self, rules: Option<&Value>) -> Result<()> {
        for rule in rules.and_then(Value::as_array).context("`rules` is not a list")? {
            self.rule(rule)?;
        }
        Ok(())
    }

    fn rule(&mut self, rule: &Value) -> Result<()> {
        let scope = self.scope.len();
        let depth = self.depth;
        // A block per rule: its assignments end with it.
        self.line("{");
        self.depth += 1;
        for c in rule.get("conditions").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
            let value = self.expr(c)?;
            match c.get("assign").and_then(Value::as_str) {
                Some(name) => {
                    let local = format!("v_{}", ident(name));
                    if self.scope.iter().any(|(n, _, _)| n == name) {
                        bail!("`{name}` is assigned twice on one path");
                    }
                    self.line(&format!("let {local}: Option<{}> = {};", value.ty().rust(), value.owned()));
                    let held = Code { ty: Some(value.ty()), place: Some(local.clone()), ..Code::default() };
                    self.line(&format!("if {} {{", held.truthy()));
                    self.scope.push((name.to_owned(), local, value.ty()));
                }
                None => self.line(&format!("if {} {{", value.truthy())),
            }
            self.depth += 1;
        }
        match rule.get("type").and_then(Value::as_str) {
            Some("endpoint") => {
                let e = rule.get("endpoint").context("endpoint rule without `endpoint`")?;
                let url = self.expr(e.get("url").context("endpoint without `url`")?)?;
                let mut headers = Vec::new();
                for (name, values) in e.get("headers").and_then(Value::as_object).into_iter().flatten() {
                    let values = values.as_array().with_context(|| format!("header `{name}` is not a list"))?;
                    let values: Vec<String> =
                        values.iter().map(|v| self.expr(v).map(|c| c.text())).collect::<Result<_>>()?;
                    headers.push(format!("({}.to_owned(), vec![{}])", lit(name), values.join(", ")));
                }
                let properties = match e.get("properties").and_then(Value::as_object) {
                    Some(map) if !map.is_empty() => self.object(map)?,
                    _ => "Map::new()".to_owned(),
                };
                self.line(&format!(
                    "return Ok(Endpoint {{ url: url({})?, headers: vec![{}], properties: {properties} }});",
                    match url.ty() {
                        Ty::Str => url.owned(),
                        _ => format!("{}.and_then(string)", url.json()),
                    },
                    headers.join(", "),
                ));
            }
            Some("error") => {
                let message = self.expr(rule.get("error").context("error rule without `error`")?)?;
                self.line(&format!("return Err(EndpointError::new({}));", message.text()));
            }
            Some("tree") => {
                // A function per tree, given what is in scope (strings, lists and JSON by
                // reference): one function for all the rules is slow to optimise (S3's release
                // build of the crate took 46 to 48 s that way, 16 to 19 s so, same busy machine).
                let number = self.trees.len();
                let name = format!("tree_{number}");
                self.trees.push(String::new());
                let (mut params, mut args) =
                    (vec!["partitions: &Partitions".to_owned()], vec!["partitions".to_owned()]);
                for (_, local, ty) in &self.scope {
                    if *ty == Ty::Bool {
                        params.push(format!("{local}: Option<bool>"));
                        args.push(local.clone());
                    } else {
                        params.push(format!("{local}: &Option<{}>", ty.rust()));
                        args.push(format!("&{local}"));
                    }
                }
                self.line(&format!("return {name}({});", args.join(", ")));
                let outer = std::mem::take(&mut self.out);
                let outer_depth = std::mem::replace(&mut self.depth, 1);
                self.rules(rule.get("rules"))?;
                // A tree whose conditions hold is terminal.
                self.line("Err(no_match())");
                let body = std::mem::replace(&mut self.out, outer);
                self.depth = outer_depth;
                self.trees[number] =
                    format!("fn {name}({}) -> Result<Endpoint, EndpointError> {{\n{body}}}\n", params.join(", "));
            }
            other => bail!("rule type {other:?}"),
        }
        while self.depth > depth + 1 {
            self.depth -= 1;
            self.line("}");
        }
        self.depth = depth;
        self.line("}");
        self.scope.truncate(scope);
        Ok(())
    }

    /// A `Map<String, Value>` expression of an object's fields (unset fields are left out).
    fn object(&mut self, map: &serde_json::Map<String, Value>) -> Result<String> {
        let mut code = String::from("{ let mut m = Map::new(); ");
        for (k, v) in map {
            let value = self.expr(v)?;
            if value.literal.is_some() {
                let _ = write!(code, "m.insert({}.to_owned(), {}.unwrap_or(Value::Null)); ", lit(k), value.json());
            } else {
                let _ = write!(code, "if let Some(v) = {} {{ m.insert({}.to_owned(), v); }} ", value.json(), lit(k));
            }
        }
        code.push_str("m }");
        Ok(code)
    }

    fn lookup(&self, name: &str) -> Result<Code> {
        let (_, local, ty) =
            self.scope.iter().rev().find(|(n, _, _)| n == name).with_context(|| format!("unknown `{name}`"))?;
        Ok(Code { code: format!("{local}.clone()"), ty: Some(*ty), place: Some(local.clone()), ..Code::default() })
    }

    fn expr(&mut self, value: &Value) -> Result<Code> {
        Ok(match value {
            Value::String(s) => self.template(s)?,
            Value::Bool(b) => Code { literal: Some(Value::Bool(*b)), ..Code::predicate(b.to_string()) },
            Value::Number(n) => Code::new(format!("Some(Value::from({n}))"), Ty::Json),
            Value::Array(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|v| self.expr(v).map(|c| format!("{}.unwrap_or(Value::Null)", c.json())))
                    .collect::<Result<_>>()?;
                Code::new(format!("Some(Value::Array(vec![{}]))", items.join(", ")), Ty::Json)
            }
            Value::Object(map) => {
                if let Some(name) = map.get("ref").and_then(Value::as_str) {
                    self.lookup(name)?
                } else if let Some(name) = map.get("fn").and_then(Value::as_str) {
                    let argv =
                        map.get("argv").and_then(Value::as_array).with_context(|| format!("`{name}` without argv"))?;
                    self.call(name, argv)?
                } else {
                    Code::new(format!("Some(Value::Object({}))", self.object(map)?), Ty::Json)
                }
            }
            Value::Null => Code::new("None::<Value>".into(), Ty::Json),
        })
    }

    fn args(&mut self, name: &str, argv: &[Value], n: usize) -> Result<Vec<Code>> {
        if argv.len() != n {
            bail!("`{name}` takes {n} arguments, has {}", argv.len());
        }
        argv.iter().map(|a| self.expr(a)).collect()
    }

    fn call(&mut self, name: &str, argv: &[Value]) -> Result<Code> {
        let literal_usize = |v: &Value| v.as_u64().with_context(|| format!("`{name}`: {v} is not a literal number"));
        Ok(match name {
            "isSet" => {
                let a = self.args(name, argv, 1)?;
                Code::predicate(match a[0].ty() {
                    Ty::Json => format!("truthy_set({})", a[0].borrowed()),
                    _ => format!("{}.is_some()", a[0].borrowed()),
                })
            }
            "not" => {
                let a = self.args(name, argv, 1)?;
                match &a[0].plain {
                    Some(p) => Code::predicate(format!("!({p})")),
                    None => Code::new(format!("not({})", a[0].bool()?), Ty::Bool),
                }
            }
            "getAttr" => {
                let path = argv.get(1).and_then(Value::as_str).context("getAttr path is not a string")?;
                let target = self.expr(argv.first().context("getAttr without argument")?)?;
                self.get_attr(&target, path)?
            }
            "stringEquals" => {
                let a = self.args(name, argv, 2)?;
                let plain = |v: &Value| v.as_str().filter(|s| !s.contains(['{', '}'])).map(str::to_owned);
                Code::predicate(match (plain(&argv[0]), plain(&argv[1])) {
                    (_, Some(s)) => format!("{} == Some({})", a[0].str_ref()?, lit(&s)),
                    (Some(s), _) => format!("{} == Some({})", a[1].str_ref()?, lit(&s)),
                    _ => format!("matches!(({}, {}), (Some(a), Some(b)) if a == b)", a[0].str_ref()?, a[1].str_ref()?),
                })
            }
            "booleanEquals" => {
                let a = self.args(name, argv, 2)?;
                // `x == true` is `x` itself when x never lacks a value.
                Code::predicate(match (argv[0].as_bool(), argv[1].as_bool()) {
                    (_, Some(true)) if a[0].plain.is_some() => a[0].plain.clone().unwrap_or_default(),
                    (Some(true), _) if a[1].plain.is_some() => a[1].plain.clone().unwrap_or_default(),
                    (_, Some(b)) => format!("{} == Some({b})", a[0].bool()?),
                    (Some(b), _) => format!("{} == Some({b})", a[1].bool()?),
                    _ => format!("matches!(({}, {}), (Some(a), Some(b)) if a == b)", a[0].bool()?, a[1].bool()?),
                })
            }
            "substring" => {
                if argv.len() != 4 {
                    bail!("`substring` takes 4 arguments, has {}", argv.len());
                }
                let input = self.expr(&argv[0])?;
                let (start, stop) = (literal_usize(&argv[1])?, literal_usize(&argv[2])?);
                let reverse = argv[3].as_bool().context("`substring`: reverse is not a literal boolean")?;
                Code::new(
                    format!(
                        "match {} {{ Some(s) => functions::substring(s, {start}, {stop}, {reverse}), None => None }}",
                        input.str_ref()?
                    ),
                    Ty::Str,
                )
            }
            "uriEncode" => {
                let a = self.args(name, argv, 1)?;
                Code::new(format!("{}.map(label)", a[0].str_ref()?), Ty::Str)
            }
            "parseURL" => {
                let a = self.args(name, argv, 1)?;
                Code::new(format!("{}.and_then(functions::parse_url)", a[0].str_ref()?), Ty::Json)
            }
            "aws.parseArn" => {
                let a = self.args(name, argv, 1)?;
                Code::new(format!("{}.and_then(functions::parse_arn)", a[0].str_ref()?), Ty::Json)
            }
            "aws.partition" => {
                let a = self.args(name, argv, 1)?;
                Code::new(
                    format!("match {} {{ Some(r) => partitions.partition(r), None => None }}", a[0].str_ref()?),
                    Ty::Json,
                )
            }
            "isValidHostLabel" | "aws.isVirtualHostableS3Bucket" => {
                let a = self.args(name, argv, 2)?;
                let f = if name == "isValidHostLabel" {
                    "functions::is_valid_host_label"
                } else {
                    "functions::is_virtual_hostable_s3_bucket"
                };
                let code = match argv[1].as_bool() {
                    Some(sub) => {
                        format!("match {} {{ Some(v) => Some({f}(v, {sub})), None => None }}", a[0].str_ref()?)
                    }
                    None => format!(
                        "match ({}, {}) {{ (Some(v), Some(sub)) => Some({f}(v, sub)), _ => None }}",
                        a[0].str_ref()?,
                        a[1].bool()?
                    ),
                };
                Code::new(code, Ty::Bool)
            }
            "split" => {
                if argv.len() != 3 {
                    bail!("`split` takes 3 arguments, has {}", argv.len());
                }
                let value = self.expr(&argv[0])?;
                let delimiter = self.expr(&argv[1])?;
                let limit = literal_usize(&argv[2])?;
                Code::new(
                    format!(
                        "match ({}, {}) {{ (Some(v), Some(d)) => functions::split(v, d, {limit}), _ => None }}",
                        value.str_ref()?,
                        delimiter.str_ref()?
                    ),
                    Ty::Json,
                )
            }
            "coalesce" => {
                let a: Vec<Code> = argv.iter().map(|v| self.expr(v)).collect::<Result<_>>()?;
                let first = a.first().context("`coalesce` without arguments")?;
                if a.iter().all(|c| c.ty() == first.ty() && c.ty() != Ty::Json) {
                    // Eager `or`: the arguments have no side effects.
                    let rest: String = a[1..].iter().map(|c| format!(".or({})", c.owned())).collect();
                    Code::new(format!("{}{rest}", first.owned()), first.ty())
                } else {
                    let rest: String = a[1..].iter().map(|c| format!(".or({})", c.json())).collect();
                    Code::new(format!("not_null({}){rest}", first.json()), Ty::Json)
                }
            }
            "ite" => {
                let a = self.args(name, argv, 3)?;
                let (then, other, ty) = if a[1].ty() == a[2].ty() {
                    (a[1].owned(), a[2].owned(), a[1].ty())
                } else {
                    (a[1].json(), a[2].json(), Ty::Json)
                };
                Code::new(
                    format!("match {} {{ Some(true) => {then}, Some(false) => {other}, None => None }}", a[0].bool()?),
                    ty,
                )
            }
            other => bail!("unknown function `{other}`"),
        })
    }

    /// `getAttr`: an index into a string list gives a string; any path into JSON gives JSON.
    fn get_attr(&self, target: &Code, path: &str) -> Result<Code> {
        let parts = parse_path(path).with_context(|| format!("getAttr path `{path}`"))?;
        Ok(match (target.ty(), parts.as_slice()) {
            (Ty::StrArray, [PathPart::Index(i)]) => Code::new(format!("item({}, {i})", target.borrowed()), Ty::Str),
            (Ty::Json, _) => {
                let borrow = json_path(&target.borrowed(), &parts);
                Code { code: format!("{borrow}.cloned()"), ty: Some(Ty::Json), borrow: Some(borrow), ..Code::default() }
            }
            (ty, _) => bail!("getAttr `{path}` on a {ty:?}"),
        })
    }

    /// A string with `{Name}` or `{Name#path}` references as a `format!` (unset if a reference
    /// is); `{{` and `}}` stand for braces.
    fn template(&self, s: &str) -> Result<Code> {
        if !s.contains(['{', '}']) {
            return Ok(string_literal(s));
        }
        let mut format = String::new();
        let mut args = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find(['{', '}']) {
            format.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                format.push_str(&tail[..2]);
                rest = &tail[2..];
            } else if tail.starts_with('}') {
                bail!("lone `}}` in `{s}`");
            } else {
                let end = tail.find('}').with_context(|| format!("unclosed `{{` in `{s}`"))?;
                let inner = &tail[1..end];
                let arg = match inner.split_once('#') {
                    Some((name, path)) => {
                        let target = self.lookup(name)?;
                        let value = self.get_attr(&target, path)?;
                        match value.ty() {
                            Ty::Str => (value.str_ref()?, false),
                            _ => (json_path(&target.borrowed(), &parse_path(path).context("path")?), true),
                        }
                    }
                    None => {
                        let target = self.lookup(inner)?;
                        match target.ty() {
                            Ty::Str => (target.borrowed(), false),
                            Ty::Bool => (target.bool()?, false),
                            Ty::Json => (target.borrowed(), true),
                            Ty::StrArray => (format!("{}.as_ref()", target.json()), true),
                        }
                    }
                };
                format.push_str("{}");
                args.push(arg);
                rest = &tail[end + 1..];
            }
        }
        format.push_str(rest);
        if args.is_empty() {
            return Ok(string_literal(&format.replace("{{", "{").replace("}}", "}")));
        }
        // Braces the rules escaped stay escaped for format!; unset if any reference is.
        let values: Vec<&str> = args.iter().map(|(v, _)| v.as_str()).collect();
        let names: Vec<String> = (0..args.len()).map(|i| format!("Some(a{i})")).collect();
        let uses: Vec<String> = args
            .iter()
            .enumerate()
            .map(|(i, (_, json))| if *json { format!("text(a{i})") } else { format!("a{i}") })
            .collect();
        Ok(Code::new(
            format!(
                "if let ({},) = ({},) {{ Some(format!({}, {})) }} else {{ None }}",
                names.join(", "),
                values.join(", "),
                lit(&format),
                uses.join(", ")
            ),
            Ty::Str,
        ))
    }
}

/// `Option<&Value>` at `parts` below `base` (an `Option<&Value>`), `None` for null.
fn json_path(base: &str, parts: &[PathPart]) -> String {
    let mut code = base.to_owned();
    if parts.is_empty() {
        code = format!("not_null({code})");
    }
    for part in parts {
        match part {
            PathPart::Key(k) => code = format!("key({code}, {})", lit(k)),
            PathPart::Index(i) => code = format!("index({code}, {i})"),
        }
    }
    code
}

/// A constant string of the rules.
fn string_literal(s: &str) -> Code {
    Code { literal: Some(Value::String(s.to_owned())), ..Code::new(format!("Some(String::from({}))", lit(s)), Ty::Str) }
}

/// A Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// A rule set name as the tail of a Rust identifier.
fn ident(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// What every generated module starts with: its imports and the helpers the rules' code calls.
const PRELUDE: &str = r#"// Generated by `cargo xtask endpoint-compare` from the model's `smithy.rules#endpointRuleSet`.
#![allow(non_snake_case, unused_variables, unused_imports, unused_parens, unreachable_code, dead_code, clippy::all)]

use std::borrow::Cow;

use aws_codegen_runtime::encode::label;
use aws_codegen_runtime::endpoint::{functions, Endpoint, EndpointError, ParamValue, Params, Partitions};
use aws_codegen_runtime::serde_json::{Map, Value};

fn no_match() -> EndpointError {
    EndpointError::new("no endpoint rule matched these parameters")
}

fn wrong_type(name: &str, ty: &str) -> EndpointError {
    EndpointError::new(format!("the endpoint parameter `{name}` must be a {ty}"))
}

fn string_param(params: &Params, name: &str) -> Result<Option<String>, EndpointError> {
    match params.get(name) {
        None => Ok(None),
        Some(ParamValue::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(wrong_type(name, "String")),
    }
}

fn bool_param(params: &Params, name: &str) -> Result<Option<bool>, EndpointError> {
    match params.get(name) {
        None => Ok(None),
        Some(ParamValue::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(wrong_type(name, "Boolean")),
    }
}

fn array_param(params: &Params, name: &str) -> Result<Option<Vec<String>>, EndpointError> {
    match params.get(name) {
        None => Ok(None),
        Some(ParamValue::StringArray(a)) => Ok(Some(a.clone())),
        Some(_) => Err(wrong_type(name, "StringArray")),
    }
}

fn key<'a>(value: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    value?.get(name).filter(|v| !v.is_null())
}

fn index(value: Option<&Value>, i: usize) -> Option<&Value> {
    value?.get(i).filter(|v| !v.is_null())
}

fn not_null<V: std::borrow::Borrow<Value>>(value: Option<V>) -> Option<V> {
    value.filter(|v| !v.borrow().is_null())
}

fn item(list: Option<&Vec<String>>, i: usize) -> Option<String> {
    list?.get(i).cloned()
}

fn not(value: Option<bool>) -> Option<bool> {
    value.map(|b| !b)
}

fn string(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn url(value: Option<String>) -> Result<String, EndpointError> {
    value.ok_or_else(|| EndpointError::new("the endpoint URL is not a string"))
}

fn text_or_empty(value: Option<Value>) -> String {
    value.map(|v| text(&v).into_owned()).unwrap_or_default()
}

fn truthy(value: Option<&Value>) -> bool {
    !matches!(value, None | Some(Value::Null) | Some(Value::Bool(false)))
}

fn truthy_set(value: Option<&Value>) -> bool {
    !matches!(value, None | Some(Value::Null))
}

fn text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_become_ifs_and_templates_format() {
        let rules = serde_json::json!({"version": "1.0",
            "parameters": {"Region": {"type": "String"}, "UseFIPS": {"type": "Boolean", "required": true, "default": false}},
            "rules": [
                {"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}], "type": "tree", "rules": [
                    {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}], "type": "endpoint",
                     "endpoint": {"url": "https://svc-fips.{Region}.{P#dnsSuffix}", "properties": {"authSchemes": [{"name": "sigv4"}]}}},
                    {"conditions": [], "type": "error", "error": "no {{region}}"}]},
                {"conditions": [], "type": "error", "error": "Missing Region"}]});
        let code = resolver_source(&rules).expect("generates");
        assert!(
            code.contains("let p_UseFIPS: Option<bool> = bool_param(params, \"UseFIPS\")?.or(Some(false));"),
            "{code}"
        );
        assert!(
            code.contains(
                "let v_P: Option<Value> = match p_Region.as_deref() { Some(r) => partitions.partition(r), None => None };"
            ),
            "{code}"
        );
        assert!(code.contains("if p_UseFIPS == Some(true) {"), "{code}");
        assert!(
            code.contains(
                "if let (Some(a0), Some(a1),) = (p_Region.as_deref(), key(v_P.as_ref(), \"dnsSuffix\"),) { \
                 Some(format!(\"https://svc-fips.{}.{}\", a0, text(a1))) } else { None }"
            ),
            "{code}"
        );
        assert!(code.contains("return Err(EndpointError::new(\"no {region}\".to_owned()));"), "{code}");
    }

    #[test]
    fn unknown_functions_and_names_are_errors() {
        let bad_fn = serde_json::json!({"version": "1.0", "parameters": {},
            "rules": [{"conditions": [{"fn": "nope", "argv": []}], "type": "error", "error": "x"}]});
        assert!(resolver_source(&bad_fn).expect_err("unknown fn").to_string().contains("nope"));
        let bad_ref = serde_json::json!({"version": "1.0", "parameters": {},
            "rules": [{"conditions": [], "type": "error", "error": "{Missing}"}]});
        assert!(resolver_source(&bad_ref).expect_err("unknown ref").to_string().contains("Missing"));
    }
}

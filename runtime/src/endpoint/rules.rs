//! The rule set, read once from its JSON form into a tree that [`super::eval`] walks.
//!
//! Every name a rule refers to (parameters and the variables conditions assign) is given a slot
//! number here, so evaluation indexes a vector instead of looking names up.

use std::collections::HashMap;

use serde_json::Value;

use super::EndpointError;

/// A parsed `smithy.rules#endpointRuleSet` (version 1.x).
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) params: Vec<Param>,
    pub(crate) rules: Vec<Rule>,
    /// Parameters first, then every assigned variable.
    pub(crate) slots: usize,
}

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `String`.
    String,
    /// `Boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

/// One parameter of a rule set.
#[derive(Debug)]
pub struct Param {
    /// Its name, e.g. `Region`.
    pub name: String,
    /// Its type.
    pub ty: ParamType,
    /// The built-in that sets it, e.g. `AWS::Region`.
    pub built_in: Option<String>,
    /// Its value when none is given, as the rule set writes it.
    pub default: Option<Value>,
    /// Whether a resolution with no value for it (given or default) fails.
    pub required: bool,
}

#[derive(Debug)]
pub(crate) struct Condition {
    pub(crate) expr: Expr,
    pub(crate) assign: Option<usize>,
}

#[derive(Debug)]
pub(crate) enum RuleKind {
    Endpoint { url: Expr, headers: Vec<(String, Vec<Expr>)>, properties: Vec<(String, Expr)> },
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) kind: RuleKind,
}

/// One step of a `getAttr` path: `name` or `[index]`.
#[derive(Debug, Clone)]
pub enum PathPart {
    /// A member of an object.
    Key(String),
    /// An item of a list.
    Index(usize),
}

#[derive(Debug)]
pub(crate) enum TemplatePart {
    Lit(String),
    Ref(usize, Vec<PathPart>),
}

#[derive(Debug)]
pub(crate) enum Func {
    IsSet,
    Not,
    GetAttr(Vec<PathPart>),
    StringEquals,
    BooleanEquals,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Split,
    Coalesce,
    Ite,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

#[derive(Debug)]
pub(crate) enum Expr {
    /// A boolean, number or a string without references.
    Lit(Value),
    Template(Vec<TemplatePart>),
    Ref(usize),
    Call(Func, Vec<Expr>),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
}

fn bad(what: impl Into<String>) -> EndpointError {
    EndpointError::new(format!("invalid endpoint rule set: {}", what.into()))
}

impl RuleSet {
    /// Reads a rule set from its JSON text.
    pub fn parse(json: &str) -> Result<RuleSet, EndpointError> {
        let value: Value = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        RuleSet::from_value(&value)
    }

    /// Reads a rule set from its JSON value.
    pub fn from_value(value: &Value) -> Result<RuleSet, EndpointError> {
        let version = value.get("version").and_then(Value::as_str).unwrap_or("");
        if !version.starts_with("1.") {
            return Err(bad(format!("version `{version}` (1.x is supported)")));
        }
        let mut names = HashMap::new();
        let mut params = Vec::new();
        if let Some(map) = value.get("parameters").and_then(Value::as_object) {
            for (name, p) in map {
                let ty = match p.get("type").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
                    Some("string") => ParamType::String,
                    Some("boolean") => ParamType::Boolean,
                    Some("stringarray") => ParamType::StringArray,
                    other => return Err(bad(format!("parameter `{name}` has type {other:?}"))),
                };
                names.insert(name.clone(), params.len());
                params.push(Param {
                    name: name.clone(),
                    ty,
                    built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
                    default: p.get("default").cloned(),
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                });
            }
        }
        let mut parser = Parser { next: names.len(), names };
        let rules = parser.rules(value.get("rules"))?;
        Ok(RuleSet { params, rules, slots: parser.next })
    }

    /// The parameters, in the rule set's order.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The index of the parameter `name`.
    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }
}

struct Parser {
    names: HashMap<String, usize>,
    /// The next free slot.
    next: usize,
}

impl Parser {
    fn slot(&self, name: &str) -> Result<usize, EndpointError> {
        self.names.get(name).copied().ok_or_else(|| bad(format!("reference to unknown `{name}`")))
    }

    fn rules(&mut self, value: Option<&Value>) -> Result<Vec<Rule>, EndpointError> {
        let list = value.and_then(Value::as_array).ok_or_else(|| bad("`rules` is not a list"))?;
        list.iter().map(|r| self.rule(r)).collect()
    }

    fn rule(&mut self, value: &Value) -> Result<Rule, EndpointError> {
        let mut conditions = Vec::new();
        let mut assigned = Vec::new();
        for c in value.get("conditions").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
            let expr = self.expr(c)?;
            let assign = match c.get("assign").and_then(Value::as_str) {
                Some(name) => {
                    let slot = self.next;
                    self.next += 1;
                    if self.names.insert(name.to_owned(), slot).is_some() {
                        return Err(bad(format!("`{name}` is assigned twice on one path")));
                    }
                    assigned.push(name.to_owned());
                    Some(slot)
                }
                None => None,
            };
            conditions.push(Condition { expr, assign });
        }
        let kind = match value.get("type").and_then(Value::as_str) {
            Some("endpoint") => {
                let e = value.get("endpoint").ok_or_else(|| bad("endpoint rule without `endpoint`"))?;
                let url = self.expr(e.get("url").ok_or_else(|| bad("endpoint without `url`"))?)?;
                let mut headers = Vec::new();
                for (name, values) in e.get("headers").and_then(Value::as_object).into_iter().flatten() {
                    let list = values.as_array().ok_or_else(|| bad(format!("header `{name}` is not a list")))?;
                    headers.push((name.clone(), list.iter().map(|v| self.expr(v)).collect::<Result<_, _>>()?));
                }
                let mut properties = Vec::new();
                for (name, v) in e.get("properties").and_then(Value::as_object).into_iter().flatten() {
                    properties.push((name.clone(), self.expr(v)?));
                }
                RuleKind::Endpoint { url, headers, properties }
            }
            Some("error") => {
                RuleKind::Error(self.expr(value.get("error").ok_or_else(|| bad("error rule without `error`"))?)?)
            }
            Some("tree") => RuleKind::Tree(self.rules(value.get("rules"))?),
            other => return Err(bad(format!("rule type {other:?}"))),
        };
        // A variable is visible only inside the rule that assigns it; its slot stays reserved.
        for name in assigned {
            self.names.remove(&name);
        }
        Ok(Rule { conditions, kind })
    }

    fn expr(&mut self, value: &Value) -> Result<Expr, EndpointError> {
        Ok(match value {
            Value::String(s) => self.template(s)?,
            Value::Array(items) => Expr::Array(items.iter().map(|v| self.expr(v)).collect::<Result<_, _>>()?),
            Value::Object(map) => {
                if let Some(name) = map.get("ref").and_then(Value::as_str) {
                    Expr::Ref(self.slot(name)?)
                } else if let Some(name) = map.get("fn").and_then(Value::as_str) {
                    let argv = map
                        .get("argv")
                        .and_then(Value::as_array)
                        .ok_or_else(|| bad(format!("`{name}` without argv")))?;
                    let func = match name {
                        "isSet" => Func::IsSet,
                        "not" => Func::Not,
                        "getAttr" => {
                            let path = argv
                                .get(1)
                                .and_then(Value::as_str)
                                .ok_or_else(|| bad("getAttr path is not a string"))?;
                            let path = parse_path(path).ok_or_else(|| bad(format!("getAttr path `{path}`")))?;
                            return Ok(Expr::Call(
                                Func::GetAttr(path),
                                vec![self.expr(argv.first().ok_or_else(|| bad("getAttr without argument"))?)?],
                            ));
                        }
                        "stringEquals" => Func::StringEquals,
                        "booleanEquals" => Func::BooleanEquals,
                        "substring" => Func::Substring,
                        "uriEncode" => Func::UriEncode,
                        "parseURL" => Func::ParseUrl,
                        "isValidHostLabel" => Func::IsValidHostLabel,
                        "split" => Func::Split,
                        "coalesce" => Func::Coalesce,
                        "ite" => Func::Ite,
                        "aws.partition" => Func::Partition,
                        "aws.parseArn" => Func::ParseArn,
                        "aws.isVirtualHostableS3Bucket" => Func::IsVirtualHostableS3Bucket,
                        other => return Err(bad(format!("unknown function `{other}`"))),
                    };
                    let arity = match func {
                        Func::IsSet
                        | Func::Not
                        | Func::UriEncode
                        | Func::ParseUrl
                        | Func::Partition
                        | Func::ParseArn => Some(1),
                        Func::StringEquals
                        | Func::BooleanEquals
                        | Func::IsValidHostLabel
                        | Func::IsVirtualHostableS3Bucket => Some(2),
                        Func::Split | Func::Ite => Some(3),
                        Func::Substring => Some(4),
                        Func::Coalesce | Func::GetAttr(_) => None,
                    };
                    if arity.is_some_and(|n| n != argv.len()) {
                        return Err(bad(format!(
                            "`{name}` takes {} arguments, has {}",
                            arity.unwrap_or(0),
                            argv.len()
                        )));
                    }
                    Expr::Call(func, argv.iter().map(|v| self.expr(v)).collect::<Result<_, _>>()?)
                } else {
                    let mut fields = Vec::with_capacity(map.len());
                    for (k, v) in map {
                        fields.push((k.clone(), self.expr(v)?));
                    }
                    Expr::Object(fields)
                }
            }
            other => Expr::Lit(other.clone()),
        })
    }

    /// A string with `{Name}` or `{Name#path}` references; `{{` and `}}` stand for braces.
    fn template(&self, s: &str) -> Result<Expr, EndpointError> {
        if !s.contains(['{', '}']) {
            return Ok(Expr::Lit(Value::String(s.to_owned())));
        }
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = s;
        while let Some(i) = rest.find(['{', '}']) {
            lit.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                lit.push_str(&tail[..1]);
                rest = &tail[2..];
            } else if tail.starts_with('}') {
                return Err(bad(format!("lone `}}` in `{s}`")));
            } else {
                let end = tail.find('}').ok_or_else(|| bad(format!("unclosed `{{` in `{s}`")))?;
                let inner = &tail[1..end];
                let (name, path) = match inner.split_once('#') {
                    Some((n, p)) => (n, parse_path(p).ok_or_else(|| bad(format!("path in `{s}`")))?),
                    None => (inner, Vec::new()),
                };
                if !lit.is_empty() {
                    parts.push(TemplatePart::Lit(std::mem::take(&mut lit)));
                }
                parts.push(TemplatePart::Ref(self.slot(name)?, path));
                rest = &tail[end + 1..];
            }
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(TemplatePart::Lit(lit));
        }
        Ok(Expr::Template(parts))
    }
}

/// `a.b[0]` → key `a`, key `b`, index 0; `[1]` alone indexes the value itself; `None` if the
/// path is malformed.
pub fn parse_path(path: &str) -> Option<Vec<PathPart>> {
    let mut parts = Vec::new();
    for segment in path.split('.') {
        let (key, mut rest) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            parts.push(PathPart::Key(key.to_owned()));
        } else if rest.is_empty() {
            return None;
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            parts.push(PathPart::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(parts)
}

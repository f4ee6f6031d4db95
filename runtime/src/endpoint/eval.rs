//! Evaluation of a [`RuleSet`] for one set of parameter values.

use serde_json::{Map, Value};

use super::functions;
use super::rules::{Expr, Func, PathPart, Rule, RuleKind, RuleSet, TemplatePart};
use super::{Endpoint, EndpointError, Partitions};

pub(crate) struct Scope<'a> {
    slots: Vec<Option<Value>>,
    partitions: &'a Partitions,
}

/// Resolves `rules` with the parameter values `params` (in the order of [`RuleSet::params`];
/// `None` for unset: the parameter's default applies).
pub(crate) fn resolve(
    rules: &RuleSet,
    partitions: &Partitions,
    params: Vec<Option<Value>>,
) -> Result<Endpoint, EndpointError> {
    let mut slots = params;
    slots.resize(rules.slots, None);
    for (i, p) in rules.params.iter().enumerate() {
        if slots[i].is_none() {
            slots[i] = p.default.clone();
        }
        if p.required && slots[i].is_none() {
            return Err(EndpointError::new(format!("the endpoint parameter `{}` is required", p.name)));
        }
    }
    let mut scope = Scope { slots, partitions };
    match scope.rules(&rules.rules)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(EndpointError::new("no endpoint rule matched these parameters")),
    }
}

impl Scope<'_> {
    fn rules(&mut self, rules: &[Rule]) -> Result<Option<Endpoint>, EndpointError> {
        for rule in rules {
            if let Some(endpoint) = self.rule(rule)? {
                return Ok(Some(endpoint));
            }
        }
        Ok(None)
    }

    fn rule(&mut self, rule: &Rule) -> Result<Option<Endpoint>, EndpointError> {
        let mut matched = true;
        for c in &rule.conditions {
            let value = self.eval(&c.expr);
            if !truthy(&value) {
                matched = false;
                break;
            }
            if let Some(slot) = c.assign {
                self.slots[slot] = value;
            }
        }
        let result = if matched {
            match &rule.kind {
                RuleKind::Endpoint { url, headers, properties } => Ok(Some(self.endpoint(url, headers, properties)?)),
                RuleKind::Error(message) => Err(EndpointError::new(self.string(message))),
                // A tree whose conditions hold is terminal: nothing after it is tried.
                RuleKind::Tree(rules) => match self.rules(rules)? {
                    Some(endpoint) => Ok(Some(endpoint)),
                    None => Err(EndpointError::new("no endpoint rule matched these parameters")),
                },
            }
        } else {
            Ok(None)
        };
        for c in &rule.conditions {
            if let Some(slot) = c.assign {
                self.slots[slot] = None;
            }
        }
        result
    }

    fn endpoint(
        &mut self,
        url: &Expr,
        headers: &[(String, Vec<Expr>)],
        properties: &[(String, Expr)],
    ) -> Result<Endpoint, EndpointError> {
        let url = match self.eval(url) {
            Some(Value::String(s)) => s,
            other => return Err(EndpointError::new(format!("the endpoint URL is not a string: {other:?}"))),
        };
        let headers = headers
            .iter()
            .map(|(name, values)| (name.clone(), values.iter().map(|v| self.string(v)).collect()))
            .collect();
        let mut props = Map::new();
        for (name, expr) in properties {
            if let Some(v) = self.eval(expr) {
                props.insert(name.clone(), v);
            }
        }
        Ok(Endpoint { url, headers, properties: props })
    }

    fn string(&mut self, expr: &Expr) -> String {
        match self.eval(expr) {
            Some(Value::String(s)) => s,
            Some(other) => other.to_string(),
            None => String::new(),
        }
    }

    pub(crate) fn eval(&mut self, expr: &Expr) -> Option<Value> {
        match expr {
            Expr::Lit(v) => Some(v.clone()),
            Expr::Ref(slot) => self.slots[*slot].clone(),
            Expr::Template(parts) => {
                let mut out = String::new();
                for part in parts {
                    match part {
                        TemplatePart::Lit(s) => out.push_str(s),
                        TemplatePart::Ref(slot, path) => match get_path(self.slots[*slot].as_ref()?, path)? {
                            Value::String(s) => out.push_str(s),
                            other => out.push_str(&other.to_string()),
                        },
                    }
                }
                Some(Value::String(out))
            }
            Expr::Array(items) => {
                Some(Value::Array(items.iter().map(|e| self.eval(e).unwrap_or(Value::Null)).collect()))
            }
            Expr::Object(fields) => {
                let mut map = Map::new();
                for (k, e) in fields {
                    if let Some(v) = self.eval(e) {
                        map.insert(k.clone(), v);
                    }
                }
                Some(Value::Object(map))
            }
            Expr::Call(func, args) => self.call(func, args),
        }
    }

    fn call(&mut self, func: &Func, args: &[Expr]) -> Option<Value> {
        match func {
            Func::IsSet => Some(Value::Bool(self.eval(&args[0]).is_some_and(|v| !v.is_null()))),
            Func::Not => Some(Value::Bool(!self.eval(&args[0])?.as_bool()?)),
            Func::GetAttr(path) => get_path(&self.eval(&args[0])?, path).cloned(),
            Func::StringEquals => {
                let a = self.eval(&args[0]);
                let b = self.eval(&args[1]);
                Some(Value::Bool(matches!((a, b), (Some(Value::String(a)), Some(Value::String(b))) if a == b)))
            }
            Func::BooleanEquals => {
                let a = self.eval(&args[0]);
                let b = self.eval(&args[1]);
                Some(Value::Bool(matches!((a, b), (Some(Value::Bool(a)), Some(Value::Bool(b))) if a == b)))
            }
            Func::Substring => {
                let input = self.eval(&args[0])?;
                let start = self.eval(&args[1])?.as_u64()?;
                let stop = self.eval(&args[2])?.as_u64()?;
                let reverse = self.eval(&args[3])?.as_bool()?;
                functions::substring(input.as_str()?, start as usize, stop as usize, reverse).map(Value::String)
            }
            Func::UriEncode => Some(Value::String(crate::encode::label(self.eval(&args[0])?.as_str()?))),
            Func::ParseUrl => functions::parse_url(self.eval(&args[0])?.as_str()?),
            Func::IsValidHostLabel => {
                let value = self.eval(&args[0])?;
                let subdomains = self.eval(&args[1])?.as_bool()?;
                Some(Value::Bool(functions::is_valid_host_label(value.as_str()?, subdomains)))
            }
            Func::Split => {
                let value = self.eval(&args[0])?;
                let delimiter = self.eval(&args[1])?;
                let limit = self.eval(&args[2])?.as_u64()?;
                functions::split(value.as_str()?, delimiter.as_str()?, limit as usize)
            }
            Func::Coalesce => args.iter().find_map(|a| self.eval(a).filter(|v| !v.is_null())),
            Func::Ite => {
                let condition = self.eval(&args[0])?.as_bool()?;
                self.eval(&args[if condition { 1 } else { 2 }])
            }
            Func::Partition => self.partitions.partition(self.eval(&args[0])?.as_str()?),
            Func::ParseArn => functions::parse_arn(self.eval(&args[0])?.as_str()?),
            Func::IsVirtualHostableS3Bucket => {
                let value = self.eval(&args[0])?;
                let subdomains = self.eval(&args[1])?.as_bool()?;
                Some(Value::Bool(functions::is_virtual_hostable_s3_bucket(value.as_str()?, subdomains)))
            }
        }
    }
}

fn truthy(value: &Option<Value>) -> bool {
    !matches!(value, None | Some(Value::Null) | Some(Value::Bool(false)))
}

fn get_path<'v>(mut value: &'v Value, path: &[PathPart]) -> Option<&'v Value> {
    for part in path {
        value = match part {
            PathPart::Key(k) => value.as_object()?.get(k)?,
            PathPart::Index(i) => value.as_array()?.get(*i)?,
        };
    }
    if value.is_null() {
        None
    } else {
        Some(value)
    }
}

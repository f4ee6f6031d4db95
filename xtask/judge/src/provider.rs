//! A StackQL provider as the engine reads it: the documents, and for a resource
//! its methods (with the parameters each requires and accepts) and its views.
//!
//! Rules, from stackql/any-sdk (`internal/anysdk/` unless said):
//! - a method's required parameters are `getRequiredParameters` in
//!   `operation_store.go`: path, query and header parameters with `required: true`
//!   (and not `allowEmptyValue`, `params.go` `isOpenapi3ParamRequired`) from the
//!   method, path item and operation; the request body's top-level `required`
//!   members, renamed by the body translation; and every variable of the first
//!   server. A schema `default` does not make a parameter optional;
//! - the body translation is the method's `config.requestBodyTranslate.algorithm`
//!   (`getRequestBodyTranslateAlgorithmString`, read from the method only;
//!   `inferTranslator`): none or `default` prefixes body members with `data__`,
//!   `naive` keeps their names, `naive_<Path>` takes the members of the sub-schema
//!   at `<Path>` and nests them under it;
//! - a supplied name that is neither a parameter nor a (renamed) body member
//!   becomes a server parameter and is dropped without a word (`shims.go`,
//!   `splitHTTPParameters`);
//! - a string that looks like JSON is sent as an object or array unless the
//!   top-level body member is `x-stackQL-stringOnly` (`shims.go`,
//!   `parseRequestBodyParam`; `schema.go`, `isStringOnly`);
//! - rows come from the response schema at `response.objectKey`
//!   (`lookupSelectItemsKey`);
//! - views are `config.views.select` nodes chained by `fallback`; a node's
//!   predicate names its dialect and its `requiredParams` (`view.go`), and the
//!   nodes of one dialect are stored under the resource id, then `_1`, `_2`, ...
//!   (`pkg/name_mangle`; stackql `persistence_system.go`, `HandleViewCollection`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::Value;

pub struct Provider {
    pub name: String,
    pub index: Value,
    /// Service documents by service name, with their file.
    pub services: BTreeMap<String, (PathBuf, Value)>,
}

fn read_yaml(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_norway::from_str(&text).with_context(|| format!("{} is not YAML", path.display()))
}

impl Provider {
    /// Loads `provider.yaml` in `dir` and every service it lists. Service `$ref`s
    /// are relative to the registry root, two folders up (`aws/v00.00.00000/...`).
    pub fn load(dir: &Path) -> Result<Provider> {
        let index_path = dir.join("provider.yaml");
        let index = read_yaml(&index_path)?;
        let name = index["name"].as_str().context("provider.yaml has no name")?.to_string();
        let root = dir.parent().and_then(Path::parent).context("a provider folder sits two levels below its root")?;
        let mut services = BTreeMap::new();
        let list = index["providerServices"].as_object().context("provider.yaml has no providerServices")?;
        for (key, entry) in list {
            let reference = entry.pointer("/service/$ref").and_then(Value::as_str).context("service without $ref")?;
            let path = root.join(reference);
            services.insert(key.clone(), (path.clone(), read_yaml(&path)?));
        }
        if services.is_empty() {
            bail!("{}: no services", index_path.display());
        }
        Ok(Provider { name, index, services })
    }

    /// The resource a statement names: `provider.service.resource`.
    pub fn resource(&self, table: &[String]) -> Result<Res<'_>, String> {
        let [provider, service, resource] = table else {
            return Err(format!("`{}` is not provider.service.resource", table.join(".")));
        };
        if *provider != self.name {
            return Err(format!("provider `{provider}` is not `{}`", self.name));
        }
        let Some((_, doc)) = self.services.get(service) else {
            return Err(format!("no service `{service}` in {}", self.name));
        };
        let Some(def) = doc.pointer("/components/x-stackQL-resources").and_then(|r| r.get(resource)) else {
            return Err(format!("no resource `{resource}` in {provider}.{service}"));
        };
        Ok(Res { doc, name: resource.clone(), def, id: table.join(".") })
    }
}

/// One resource of a service document.
pub struct Res<'a> {
    pub doc: &'a Value,
    pub name: String,
    pub def: &'a Value,
    /// `provider.service.resource`, as the statement names it.
    pub id: String,
}

/// Follows a local `$ref` (`#/json/pointer`) until a value without one.
pub fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    for _ in 0..16 {
        match v.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => match doc.pointer(pointer) {
                Some(target) => v = target,
                None => return v,
            },
            None => return v,
        }
    }
    v
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translate {
    /// `data__<member>`.
    Prefixed,
    /// `<member>`.
    Naive,
    /// The members of the sub-schema at this path, by name.
    NaiveAt(String),
}

pub struct Method<'a> {
    pub name: String,
    doc: &'a Value,
    def: &'a Value,
    op: &'a Value,
    path_item: &'a Value,
}

impl<'a> Res<'a> {
    /// The methods a verb can reach, in the order the engine tries them
    /// (any-sdk `resource.go`, `getMethodsForSQLVerb`: the `sqlVerbs` list as
    /// written; without the key, methods named as the defaults are).
    pub fn methods_for(&self, verb: &str) -> Result<Vec<Method<'a>>, String> {
        let methods = self.def.get("methods").and_then(Value::as_object);
        match self.def.pointer(&format!("/sqlVerbs/{verb}")) {
            Some(Value::Array(refs)) => {
                if refs.is_empty() {
                    return Err(format!("could not resolve SQL verb '{verb}' (the list is empty)"));
                }
                refs.iter()
                    .map(|r| {
                        let reference = r.get("$ref").and_then(Value::as_str).unwrap_or("");
                        let name = reference.rsplit('/').next().unwrap_or("").to_string();
                        let def = reference
                            .strip_prefix('#')
                            .and_then(|p| self.doc.pointer(p))
                            .ok_or_else(|| format!("sqlVerbs.{verb}: `{reference}` does not resolve"))?;
                        self.method(name, def)
                    })
                    .collect()
            }
            Some(_) => Err(format!("sqlVerbs.{verb} is not a list")),
            None => {
                let defaults: &[&str] = match verb {
                    "select" => &["select", "list", "aggregatedList", "get"],
                    "insert" => &["insert", "create"],
                    "delete" => &["delete"],
                    _ => &[],
                };
                let Some(methods) = methods else { return Ok(Vec::new()) };
                defaults.iter().filter_map(|n| methods.get(*n).map(|d| self.method(n.to_string(), d))).collect()
            }
        }
    }

    #[cfg(test)]
    pub fn method_named(&self, name: &str) -> Result<Method<'a>, String> {
        let def = self.def.pointer(&format!("/methods/{name}")).ok_or_else(|| format!("no method `{name}`"))?;
        self.method(name.to_string(), def)
    }

    fn method(&self, name: String, def: &'a Value) -> Result<Method<'a>, String> {
        let reference = def.pointer("/operation/$ref").and_then(Value::as_str).unwrap_or("");
        let pointer =
            reference.strip_prefix('#').ok_or_else(|| format!("{name}: operation `{reference}` is not local"))?;
        let op =
            self.doc.pointer(pointer).ok_or_else(|| format!("{name}: operation `{reference}` does not resolve"))?;
        let item_pointer = pointer.rsplit_once('/').map_or("", |(p, _)| p);
        let path_item = self.doc.pointer(item_pointer).unwrap_or(&Value::Null);
        Ok(Method { name, doc: self.doc, def, op, path_item })
    }

    /// The view nodes for a dialect, with their stored names and required parameters.
    pub fn views(&self, dialect: &str) -> Vec<View> {
        let mut out = Vec::new();
        let mut node = self.def.pointer("/config/views/select");
        while let Some(n) = node {
            let predicate = n.get("predicate").and_then(Value::as_str).unwrap_or("");
            let (d, required) = parse_predicate(predicate);
            if d.is_empty() || d == dialect {
                let name = if out.is_empty() { self.id.clone() } else { format!("{}_{}", self.id, out.len()) };
                out.push(View { name, required, ddl: n.get("ddl").and_then(Value::as_str).unwrap_or("").to_string() });
            }
            node = n.get("fallback");
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct View {
    pub name: String,
    pub required: Vec<String>,
    pub ddl: String,
}

/// `sqlDialect == "sqlite3" && requiredParams == [ Identifier ]`: any-sdk
/// `view.go` reads the two by regular expression; `&&` is only text.
fn parse_predicate(p: &str) -> (String, Vec<String>) {
    let after = |key: &str| -> Option<&str> {
        let i = p.find(key)?;
        let rest = p[i + key.len()..].trim_start();
        rest.strip_prefix("==").map(str::trim_start)
    };
    let dialect = after("sqlDialect")
        .and_then(|r| r.strip_prefix('"'))
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_string();
    let required = after("requiredParams")
        .and_then(|r| r.strip_prefix('['))
        .and_then(|r| r.split(']').next())
        .map(|list| list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    (dialect, required)
}

impl Method<'_> {
    pub fn translate(&self) -> Result<Translate, String> {
        let algorithm =
            self.def.pointer("/config/requestBodyTranslate/algorithm").and_then(Value::as_str).unwrap_or("");
        match algorithm {
            "" | "default" => Ok(Translate::Prefixed),
            "naive" => Ok(Translate::Naive),
            a => match a.strip_prefix("naive_") {
                Some(path) => Ok(Translate::NaiveAt(path.to_string())),
                None => Err(format!("{}: unsupported request body translation `{a}`", self.name)),
            },
        }
    }

    fn parameters(&self) -> Vec<&Value> {
        let mut out = Vec::new();
        for holder in [self.def, self.path_item, self.op] {
            if let Some(Value::Array(list)) = holder.get("parameters") {
                out.extend(list.iter().map(|p| resolve(self.doc, p)));
            }
        }
        out
    }

    /// The request body schema: the method's `request.mediaType` entry, or the first.
    pub fn body_schema(&self) -> Option<&Value> {
        let body = resolve(self.doc, self.op.get("requestBody")?);
        let content = body.get("content")?.as_object()?;
        let media = self.def.pointer("/request/mediaType").and_then(Value::as_str);
        let entry = media.and_then(|m| content.get(m)).or_else(|| content.values().next())?;
        Some(resolve(self.doc, entry.get("schema")?))
    }

    fn server_variables(&self) -> Vec<String> {
        let servers = [self.op, self.path_item, self.doc].into_iter().find_map(|h| h.get("servers")?.as_array());
        servers
            .and_then(|s| s.first())
            .and_then(|s| s.get("variables"))
            .and_then(Value::as_object)
            .map(|v| v.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The members the translation maps statement names onto, with their schemas:
    /// (statement name, member schema, whether the member is `required` at its level).
    fn body_members(&self) -> Result<Vec<(String, &Value, bool)>, String> {
        let Some(schema) = self.body_schema() else { return Ok(Vec::new()) };
        let (schema, rename): (&Value, fn(&str) -> String) = match self.translate()? {
            Translate::Prefixed => (schema, |k| format!("data__{k}")),
            Translate::Naive => (schema, str::to_string),
            Translate::NaiveAt(path) => {
                let mut s = schema;
                for part in path.split(['.', '/']) {
                    s = resolve(
                        self.doc,
                        s.pointer(&format!("/properties/{part}")).ok_or_else(|| {
                            format!("{}: the body schema has no `{path}` for naive_{path}", self.name)
                        })?,
                    );
                }
                (s, str::to_string)
            }
        };
        let required: BTreeSet<&str> =
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        Ok(schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, v)| (rename(k), resolve(self.doc, v), required.contains(k.as_str())))
            .collect())
    }

    /// What the engine requires before it picks this method (`getRequiredParameters`).
    pub fn required(&self) -> Result<BTreeSet<String>, String> {
        let mut out: BTreeSet<String> = self
            .parameters()
            .into_iter()
            .filter(|p| p["required"] == Value::Bool(true) && p["allowEmptyValue"] != Value::Bool(true))
            .filter_map(|p| p["name"].as_str().map(str::to_string))
            .collect();
        // Only the top level's `required` counts, renamed: under `naive_<Path>` the
        // members are one level down, and the top level's names are not columns.
        if let Some(schema) = self.body_schema() {
            let top: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            match self.translate()? {
                Translate::Prefixed => out.extend(top.iter().map(|k| format!("data__{k}"))),
                Translate::Naive | Translate::NaiveAt(_) => out.extend(top.iter().map(|k| k.to_string())),
            }
        }
        out.extend(self.server_variables());
        Ok(out)
    }

    /// Every name this method maps somewhere: parameters, body members, server variables.
    pub fn known(&self) -> Result<BTreeSet<String>, String> {
        let mut out: BTreeSet<String> =
            self.parameters().into_iter().filter_map(|p| p["name"].as_str().map(str::to_string)).collect();
        out.extend(self.body_members()?.into_iter().map(|(k, _, _)| k));
        out.extend(self.server_variables());
        Ok(out)
    }

    /// Members Cloud Control requires inside a `naive_<Path>` body (the engine does
    /// not check these; the service rejects the call without them).
    pub fn nested_required(&self) -> Result<Vec<String>, String> {
        match self.translate()? {
            Translate::NaiveAt(_) => {
                Ok(self.body_members()?.into_iter().filter(|(_, _, req)| *req).map(|(k, _, _)| k).collect())
            }
            _ => Ok(Vec::new()),
        }
    }

    /// For a supplied name with a JSON-looking string: whether the body member it
    /// lands in expects a string the engine would turn into an object.
    pub fn json_into_string(&self, name: &str) -> Result<bool, String> {
        let members = self.body_members()?;
        let Some((_, schema, _)) = members.iter().find(|(k, _, _)| k == name) else { return Ok(false) };
        let string_only = schema.get("x-stackQL-stringOnly") == Some(&Value::Bool(true));
        let nested = matches!(self.translate()?, Translate::NaiveAt(_));
        // Under `naive_<Path>` the engine looks the name up at the top level, finds
        // no member there, and decodes: fine for object members, wrong for strings.
        let decoded = nested || !string_only;
        Ok(decoded && schema.get("type") == Some(&Value::String("string".into())))
    }

    /// The columns of the rows the response gives (`response.objectKey`).
    pub fn response_columns(&self) -> Option<BTreeSet<String>> {
        let code = self.def.pointer("/response/openAPIDocKey").and_then(Value::as_str).unwrap_or("200");
        let response = resolve(self.doc, self.op.pointer(&format!("/responses/{code}"))?);
        let content = response.get("content")?.as_object()?;
        let media = self.def.pointer("/response/mediaType").and_then(Value::as_str);
        let entry = media.and_then(|m| content.get(m)).or_else(|| content.values().next())?;
        let mut schema = resolve(self.doc, entry.get("schema")?);
        if let Some(key) = self.def.pointer("/response/objectKey").and_then(Value::as_str) {
            for part in key.trim_start_matches('$').split('.').filter(|p| !p.is_empty()) {
                schema = resolve(self.doc, schema.pointer(&format!("/properties/{part}"))?);
            }
        }
        if schema.get("type") == Some(&Value::String("array".into())) {
            schema = resolve(self.doc, schema.get("items")?);
        }
        Some(schema.get("properties")?.as_object()?.keys().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates_read_like_the_engine() {
        assert_eq!(
            parse_predicate("sqlDialect == \"sqlite3\" && requiredParams == [ Identifier, region ]"),
            ("sqlite3".to_string(), vec!["Identifier".to_string(), "region".to_string()])
        );
        assert_eq!(parse_predicate("sqlDialect == \"postgres\""), ("postgres".to_string(), vec![]));
        assert_eq!(parse_predicate(""), (String::new(), vec![]));
    }
}

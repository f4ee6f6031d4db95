//! Reader for CloudFormation resource schemas (the registry's JSON Schema dialect).
//!
//! Definitions stay named (`Type::Named`), so recursive definitions need no special
//! care; inline object schemas get a name of their own so that docs and clients
//! can describe them like any definition.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value};

use super::json::kind_of;
use crate::error::{pointer_token, Error, Result};
use crate::model::{
    Constraints, Field, FieldFlags, Handler, HandlerParam, Handlers, Prim, Relationship, RequiredGroup, Resource,
    Tagging, Type, TypeDef, TypeKind,
};
use crate::read::json;

/// Reads one resource schema. `file` is used in errors; `source` is stored in the model.
pub fn read(file: &Path, source: &str, text: &str) -> Result<Resource> {
    lower(file, source, &json::parse(file, text)?)
}

/// Splits a type name into vendor, service and resource (`AWS`, `ApiGatewayV2`, `Route`).
pub fn split_type_name(type_name: &str) -> Option<(&str, &str, &str)> {
    let mut parts = type_name.split("::");
    let (vendor, service, resource) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    (parts.next().is_none() && ok(vendor) && ok(service) && ok(resource)).then_some((vendor, service, resource))
}

/// Lowers a parsed resource schema.
pub fn lower(file: &Path, source: &str, doc: &Value) -> Result<Resource> {
    let cx = Cx { file, root: obj(file, doc, "")? };
    let type_name = cx.str_at(cx.root, "", "typeName")?.ok_or_else(|| cx.err("", "missing `typeName`"))?;
    if split_type_name(type_name).is_none() {
        return Err(cx.err("/typeName", format!("`{type_name}` is not of the form Vendor::Service::Resource")));
    }
    let mut lowering = Lowering::new(&cx);
    lowering.taken.extend(cx.definitions().map(|d| d.keys().cloned()).into_iter().flatten());

    if let Some(defs) = cx.definitions() {
        for (name, schema) in defs {
            let ptr = format!("/definitions/{}", pointer_token(name));
            cx.check_name(name, &ptr)?;
            let def = lowering.definition(name, schema, &ptr)?;
            lowering.types.insert(name.clone(), def);
        }
    }
    let short = split_type_name(type_name).map_or("", |(_, _, r)| r);
    let (mut fields, required_groups) = lowering.object_fields(cx.root, "", short)?;
    let types = lowering.types;
    check_alias_cycles(&cx, &types, &fields)?;

    let mut resource = Resource {
        type_name: type_name.to_string(),
        source: source.to_string(),
        doc: cx.str_at(cx.root, "", "description")?.map(str::to_string),
        required_groups,
        documentation_url: cx.str_at(cx.root, "", "documentationUrl")?.map(str::to_string),
        source_url: cx.str_at(cx.root, "", "sourceUrl")?.map(str::to_string),
        ..Resource::default()
    };
    apply_flags(&cx, &mut fields, &mut resource.nested_flags)?;
    resource.fields = fields;
    resource.types = types;
    resource.primary_identifier = cx.identifier(cx.root.get("primaryIdentifier"), "/primaryIdentifier")?;
    if resource.primary_identifier.is_empty() {
        return Err(cx.err("/primaryIdentifier", "missing or empty `primaryIdentifier`"));
    }
    if let Some(extra) = cx.root.get("additionalIdentifiers") {
        let list = cx.array(extra, "/additionalIdentifiers")?;
        for (i, ids) in list.iter().enumerate() {
            resource.additional_identifiers.push(cx.identifier(Some(ids), &format!("/additionalIdentifiers/{i}"))?);
        }
    }
    resource.handlers = handlers(&cx, &resource.fields)?;
    resource.tagging = tagging(&cx)?;
    Ok(resource)
}

/// The file and document root, for error messages and `$ref` resolution.
struct Cx<'a> {
    file: &'a Path,
    root: &'a Map<String, Value>,
}

impl<'a> Cx<'a> {
    fn err(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::Schema { file: self.file.to_path_buf(), pointer: display_pointer(pointer), message: message.into() }
    }

    /// Every generated name (Rust, SQL, file) is made of a name's letters and digits.
    /// A name with NUL is refused: no SQL string or identifier can hold it (the SQL views
    /// read each property by name), nor can PostgreSQL's jsonb.
    fn check_name(&self, name: &str, pointer: &str) -> Result<()> {
        if name.contains('\0') {
            Err(self.err(pointer, "the name holds a NUL character, which no SQL dialect can hold in a name or string"))
        } else if crate::read::has_word(name) {
            Ok(())
        } else {
            Err(self.err(pointer, format!("the name `{name}` has no letter or digit to make an identifier of")))
        }
    }

    fn definitions(&self) -> Option<&'a Map<String, Value>> {
        self.root.get("definitions").and_then(Value::as_object)
    }

    fn str_at(&self, o: &'a Map<String, Value>, ptr: &str, key: &str) -> Result<Option<&'a str>> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.err(&format!("{ptr}/{key}"), format!("`{key}` must be a string"))),
        }
    }

    fn array(&self, v: &'a Value, ptr: &str) -> Result<&'a Vec<Value>> {
        v.as_array().ok_or_else(|| self.err(ptr, "expected an array"))
    }

    fn strings(&self, v: Option<&'a Value>, ptr: &str) -> Result<Vec<&'a str>> {
        let Some(v) = v else { return Ok(Vec::new()) };
        self.array(v, ptr)?
            .iter()
            .enumerate()
            .map(|(i, s)| s.as_str().ok_or_else(|| self.err(&format!("{ptr}/{i}"), "expected a string")))
            .collect()
    }

    fn u64_at(&self, o: &Map<String, Value>, ptr: &str, key: &str) -> Result<Option<u64>> {
        match o.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                .map(Some)
                .ok_or_else(|| self.err(&format!("{ptr}/{key}"), format!("`{key}` must be a non-negative integer"))),
        }
    }

    fn bool_at(&self, o: &Map<String, Value>, ptr: &str, key: &str) -> Result<Option<bool>> {
        match o.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.err(&format!("{ptr}/{key}"), format!("`{key}` must be a boolean"))),
        }
    }

    /// A list of `/properties/A[/B]` pointers, as property paths.
    fn identifier(&self, v: Option<&'a Value>, ptr: &str) -> Result<Vec<Vec<String>>> {
        self.strings(v, ptr)?
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                property_path(p)
                    .ok_or_else(|| self.err(&format!("{ptr}/{i}"), format!("`{p}` is not a /properties/ path")))
            })
            .collect()
    }
}

/// `/properties/A/B` -> `["A", "B"]`; `*` (array items) segments are dropped.
fn property_path(p: &str) -> Option<Vec<String>> {
    let rest = p.strip_prefix("/properties/")?;
    let parts: Vec<String> =
        rest.split('/').filter(|s| *s != "*").map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    (!parts.iter().any(String::is_empty)).then_some(parts)
}

/// The document root reads better as `/` than as an empty pointer.
fn display_pointer(p: &str) -> String {
    if p.is_empty() {
        "/".into()
    } else {
        p.into()
    }
}

fn obj<'a>(file: &Path, v: &'a Value, ptr: &str) -> Result<&'a Map<String, Value>> {
    v.as_object().ok_or_else(|| Error::Schema {
        file: file.to_path_buf(),
        pointer: display_pointer(ptr),
        message: format!("expected an object, found {}", kind_of(v)),
    })
}

/// How deeply schemas may nest (inline, or through `$ref`s to properties) before the
/// schema is refused: published schemas stay under 10, and the recursion must stay
/// well inside a worker thread's stack.
const MAX_DEPTH: usize = 64;

/// State while lowering one schema: the named types made so far.
struct Lowering<'c, 'a> {
    cx: &'c Cx<'a>,
    types: BTreeMap<String, TypeDef>,
    /// Every type name in use, so that names for inline objects never clash.
    taken: BTreeSet<String>,
    /// How many schemas enclose the one being lowered.
    depth: usize,
    /// `$ref`s to properties being resolved, to report a cycle of them as one.
    resolving: Vec<String>,
}

impl<'c, 'a> Lowering<'c, 'a> {
    fn new(cx: &'c Cx<'a>) -> Self {
        Lowering { cx, types: BTreeMap::new(), taken: BTreeSet::new(), depth: 0, resolving: Vec::new() }
    }

    fn definition(&mut self, name: &str, schema: &'a Value, ptr: &str) -> Result<TypeDef> {
        let o = obj(self.cx.file, schema, ptr)?;
        let doc = self.cx.str_at(o, ptr, "description")?.map(str::to_string);
        let kind = if is_struct(o) {
            let (fields, required_groups) = self.object_fields(o, ptr, name)?;
            TypeKind::Struct { fields, required_groups }
        } else {
            let (ty, constraints) = self.schema(o, ptr, &Hint::new(name))?;
            TypeKind::Alias { ty, constraints: Box::new(constraints) }
        };
        Ok(TypeDef {
            name: name.to_string(),
            names: Default::default(),
            doc,
            kind,
            error: None,
            deprecated: None,
            sensitive: false,
        })
    }

    /// The `properties` of an object schema as fields, with `required` and required groups.
    fn object_fields(
        &mut self,
        o: &'a Map<String, Value>,
        ptr: &str,
        owner: &str,
    ) -> Result<(Vec<Field>, Vec<RequiredGroup>)> {
        let required: BTreeSet<&str> =
            self.cx.strings(o.get("required"), &format!("{ptr}/required"))?.into_iter().collect();
        let mut fields = Vec::new();
        if let Some(props) = o.get("properties") {
            let props_ptr = format!("{ptr}/properties");
            let props = obj(self.cx.file, props, &props_ptr)?;
            for (name, schema) in props {
                let fptr = format!("{props_ptr}/{}", pointer_token(name));
                self.cx.check_name(name, &fptr)?;
                let so = obj(self.cx.file, schema, &fptr)?;
                let hint = Hint { owner, name: crate::names::pascal(name) };
                let (ty, constraints) = self.schema(so, &fptr, &hint)?;
                fields.push(Field {
                    name: name.clone(),
                    doc: self.cx.str_at(so, &fptr, "description")?.filter(|d| !d.trim().is_empty()).map(str::to_string),
                    ty,
                    constraints,
                    required: required.contains(name.as_str()),
                    relationships: self.relationships(so, &fptr)?,
                    ..Field::default()
                });
            }
        }
        let groups = self.required_groups(o, ptr)?;
        Ok((fields, groups))
    }

    /// `oneOf` / `anyOf` whose alternatives only list `required` properties.
    fn required_groups(&self, o: &'a Map<String, Value>, ptr: &str) -> Result<Vec<RequiredGroup>> {
        let mut groups = Vec::new();
        for (key, exclusive) in [("oneOf", true), ("anyOf", false)] {
            let Some(alts) = o.get(key) else { continue };
            let alts_ptr = format!("{ptr}/{key}");
            if !only_required(self.cx.array(alts, &alts_ptr)?) {
                continue;
            }
            let mut alternatives = Vec::new();
            for (i, alt) in self.cx.array(alts, &alts_ptr)?.iter().enumerate() {
                let names = self.cx.strings(alt.get("required"), &format!("{alts_ptr}/{i}/required"))?;
                alternatives.push(names.into_iter().map(str::to_string).collect());
            }
            groups.push(RequiredGroup { exclusive, alternatives });
        }
        Ok(groups)
    }

    fn relationships(&self, o: &'a Map<String, Value>, ptr: &str) -> Result<Vec<Relationship>> {
        let mut out = Vec::new();
        let mut collect = |v: &'a Value, p: &str| -> Result<()> {
            let r = obj(self.cx.file, v, p)?;
            let (Some(type_name), Some(property_path)) =
                (self.cx.str_at(r, p, "typeName")?, self.cx.str_at(r, p, "propertyPath")?)
            else {
                return Err(self.cx.err(p, "`relationshipRef` needs `typeName` and `propertyPath`"));
            };
            out.push(Relationship { type_name: type_name.into(), property_path: property_path.into() });
            Ok(())
        };
        if let Some(r) = o.get("relationshipRef") {
            collect(r, &format!("{ptr}/relationshipRef"))?;
        }
        // Arrays of references carry it on their items; alternatives on each branch.
        if let Some(r) = o.get("items").and_then(|i| i.get("relationshipRef")) {
            collect(r, &format!("{ptr}/items/relationshipRef"))?;
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(alts) = o.get(key).and_then(Value::as_array) {
                for (i, alt) in alts.iter().enumerate() {
                    if let Some(r) = alt.get("relationshipRef") {
                        collect(r, &format!("{ptr}/{key}/{i}/relationshipRef"))?;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Lowers a schema to a type and the constraints on its value. `hint` names an
    /// inline object schema if one is found here.
    fn schema(&mut self, o: &'a Map<String, Value>, ptr: &str, hint: &Hint) -> Result<(Type, Constraints)> {
        if self.depth >= MAX_DEPTH {
            return Err(self.cx.err(ptr, format!("schemas nested more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let result = self.schema_at_depth(o, ptr, hint);
        self.depth -= 1;
        result
    }

    fn schema_at_depth(&mut self, o: &'a Map<String, Value>, ptr: &str, hint: &Hint) -> Result<(Type, Constraints)> {
        let mut c = self.constraints(o, ptr)?;
        if let Some(r) = o.get("$ref") {
            let rptr = format!("{ptr}/$ref");
            let target = r.as_str().ok_or_else(|| self.cx.err(&rptr, "`$ref` must be a string"))?;
            return Ok((self.reference(target, &rptr, hint)?, c));
        }
        let types = self.type_keyword(o, ptr)?;
        if let Some(ty) = self.alternatives(o, ptr, hint)? {
            return Ok((ty, c));
        }
        let inferred;
        let types: Vec<&str> = if types.is_empty() {
            inferred = infer_type(o);
            inferred.into_iter().collect()
        } else {
            types
        };
        let mut out = Vec::new();
        for t in &types {
            let ty = match *t {
                "string" => Type::Prim(Prim::String),
                "integer" => Type::Prim(Prim::Integer),
                "number" => Type::Prim(Prim::Number),
                "boolean" => Type::Prim(Prim::Boolean),
                "null" => continue,
                "array" => {
                    let item = match o.get("items") {
                        Some(items) => {
                            let iptr = format!("{ptr}/items");
                            let io = obj(self.cx.file, items, &iptr)?;
                            self.schema(io, &iptr, &hint.suffixed("Item"))?.0
                        }
                        None => Type::Prim(Prim::Document),
                    };
                    Type::List(Box::new(item))
                }
                "object" => self.object(o, ptr, hint, &mut c)?,
                other => return Err(self.cx.err(&format!("{ptr}/type"), format!("unknown type `{other}`"))),
            };
            out.push(ty);
        }
        let ty = match out.len() {
            0 => Type::Prim(Prim::Document),
            1 => out.remove(0),
            _ => Type::OneOf(out),
        };
        Ok((ty, c))
    }

    /// `type` as a list of names (`"string"` or `["object", "string"]`).
    fn type_keyword(&self, o: &'a Map<String, Value>, ptr: &str) -> Result<Vec<&'a str>> {
        match o.get("type") {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.as_str()]),
            Some(v @ Value::Array(_)) => self.cx.strings(Some(v), &format!("{ptr}/type")),
            Some(_) => Err(self.cx.err(&format!("{ptr}/type"), "`type` must be a string or an array of strings")),
        }
    }

    /// `oneOf` / `anyOf` / `allOf` whose alternatives are types (not required-sets).
    fn alternatives(&mut self, o: &'a Map<String, Value>, ptr: &str, hint: &Hint) -> Result<Option<Type>> {
        for key in ["oneOf", "anyOf", "allOf"] {
            let Some(alts) = o.get(key) else { continue };
            let aptr = format!("{ptr}/{key}");
            let alts = self.cx.array(alts, &aptr)?;
            if only_required(alts) || (o.contains_key("type") && key != "allOf") {
                // Alternatives that only refine an object's required set, or a typed
                // schema whose branches add constraints: the type is on `o` itself.
                continue;
            }
            let mut types: Vec<Type> = Vec::new();
            for (i, alt) in alts.iter().enumerate() {
                let p = format!("{aptr}/{i}");
                let ao = obj(self.cx.file, alt, &p)?;
                if only_required(std::slice::from_ref(alt)) {
                    continue;
                }
                let (t, _) = self.schema(ao, &p, &hint.suffixed(&(i + 1).to_string()))?;
                if !types.contains(&t) {
                    types.push(t);
                }
            }
            // `allOf` narrows one type; only its first typed branch says what it is.
            if key == "allOf" {
                types.truncate(1);
            }
            return Ok(match types.len() {
                0 => None,
                1 => types.pop(),
                _ => Some(Type::OneOf(types)),
            });
        }
        Ok(None)
    }

    fn object(&mut self, o: &'a Map<String, Value>, ptr: &str, hint: &Hint, c: &mut Constraints) -> Result<Type> {
        if is_struct(o) {
            return self.inline_struct(o, ptr, hint);
        }
        if let Some(pp) = o.get("patternProperties") {
            let pptr = format!("{ptr}/patternProperties");
            let pp = obj(self.cx.file, pp, &pptr)?;
            let mut values: Vec<Type> = Vec::new();
            let mut patterns = Vec::new();
            for (pattern, schema) in pp {
                let vptr = format!("{pptr}/{}", pointer_token(pattern));
                let (t, _) = self.schema(obj(self.cx.file, schema, &vptr)?, &vptr, &hint.suffixed("Value"))?;
                patterns.push(pattern.clone());
                if !values.contains(&t) {
                    values.push(t);
                }
            }
            c.key_pattern = (!patterns.is_empty()).then(|| patterns.join(" | "));
            let value = if values.len() == 1 {
                values.remove(0)
            } else if values.is_empty() {
                Type::Prim(Prim::Document)
            } else {
                Type::OneOf(values)
            };
            return Ok(map_of(value));
        }
        if let Some(ap @ Value::Object(_)) = o.get("additionalProperties") {
            let aptr = format!("{ptr}/additionalProperties");
            let (t, _) = self.schema(obj(self.cx.file, ap, &aptr)?, &aptr, &hint.suffixed("Value"))?;
            return Ok(map_of(t));
        }
        // Some schemas write a map's value schema as `items` on an object; JSON Schema
        // ignores it there, but it is the author's intent and the service's shape.
        if let Some(items @ Value::Object(_)) = o.get("items") {
            let iptr = format!("{ptr}/items");
            let (t, _) = self.schema(obj(self.cx.file, items, &iptr)?, &iptr, &hint.suffixed("Value"))?;
            return Ok(map_of(t));
        }
        // An object with no declared properties: any string keys, any JSON values.
        Ok(map_of(Type::Prim(Prim::Document)))
    }

    /// An object schema with `properties` written inline: it becomes a named type.
    fn inline_struct(&mut self, o: &'a Map<String, Value>, ptr: &str, hint: &Hint) -> Result<Type> {
        let name = self.fresh_name(hint);
        self.taken.insert(name.clone());
        let (fields, required_groups) = self.object_fields(o, ptr, &name)?;
        let doc = self.cx.str_at(o, ptr, "description")?.map(str::to_string);
        let def = TypeDef {
            name: name.clone(),
            names: Default::default(),
            doc,
            kind: TypeKind::Struct { fields, required_groups },
            error: None,
            deprecated: None,
            sensitive: false,
        };
        self.types.insert(name.clone(), def);
        Ok(Type::Named(name))
    }

    /// The hint's own name if free, else qualified by its owner, else numbered.
    fn fresh_name(&self, hint: &Hint) -> String {
        let own = if hint.name.is_empty() { "Object".to_string() } else { hint.name.clone() };
        if !self.taken.contains(&own) {
            return own;
        }
        let base = format!("{}{own}", hint.owner);
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    /// Resolves a `$ref` to a named type (definitions) or to a property's type.
    fn reference(&mut self, target: &str, ptr: &str, hint: &Hint) -> Result<Type> {
        if let Some(name) = target.strip_prefix("#/definitions/") {
            let name = name.replace("~1", "/").replace("~0", "~");
            let exists = self.cx.definitions().is_some_and(|d| d.contains_key(&name));
            return if exists {
                Ok(Type::Named(name))
            } else {
                Err(self.cx.err(ptr, format!("dangling $ref `{target}`: no such definition")))
            };
        }
        let prop =
            target.strip_prefix("#/properties/").or_else(|| target.strip_prefix("resource-schema.json#/properties/"));
        if let Some(prop) = prop {
            let schema = self.cx.root.get("properties").and_then(|p| p.get(prop));
            let Some(schema) = schema else {
                return Err(self.cx.err(ptr, format!("dangling $ref `{target}`: no such property")));
            };
            let sptr = format!("/properties/{}", pointer_token(prop));
            let so = obj(self.cx.file, schema, &sptr)?;
            if so.contains_key("$ref") && so.get("$ref").and_then(Value::as_str) == Some(target) {
                return Err(self.cx.err(ptr, format!("$ref `{target}` refers to itself")));
            }
            if let Some(start) = self.resolving.iter().position(|r| r == &sptr) {
                let mut cycle = self.resolving[start..].to_vec();
                cycle.push(sptr);
                return Err(self.cx.err(ptr, format!("cyclic $refs: {}", cycle.join(" -> "))));
            }
            self.resolving.push(sptr.clone());
            let result = self.schema(so, &sptr, hint);
            self.resolving.pop();
            return Ok(result?.0);
        }
        Err(self
            .cx
            .err(ptr, format!("unsupported $ref `{target}`: only #/definitions/ and #/properties/ are resolved")))
    }

    fn constraints(&self, o: &'a Map<String, Value>, ptr: &str) -> Result<Constraints> {
        let num = |key: &str| -> Result<Option<serde_json::Number>> {
            match o.get(key) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.clone())),
                Some(_) => Err(self.cx.err(&format!("{ptr}/{key}"), format!("`{key}` must be a number"))),
            }
        };
        let mut c = Constraints {
            min_length: self.cx.u64_at(o, ptr, "minLength")?.or(self.cx.u64_at(o, ptr, "minItems")?),
            max_length: self.cx.u64_at(o, ptr, "maxLength")?.or(self.cx.u64_at(o, ptr, "maxItems")?),
            pattern: self.cx.str_at(o, ptr, "pattern")?.map(str::to_string),
            minimum: num("minimum")?,
            maximum: num("maximum")?,
            default: o.get("default").cloned(),
            unique_items: self.cx.bool_at(o, ptr, "uniqueItems")?.unwrap_or(false),
            insertion_order: self.cx.bool_at(o, ptr, "insertionOrder")?,
            format: self.cx.str_at(o, ptr, "format")?.map(str::to_string),
            ..Constraints::default()
        };
        if let Some(e) = o.get("enum") {
            c.allowed = self.cx.array(e, &format!("{ptr}/enum"))?.clone();
        } else if let Some(v) = o.get("const") {
            c.allowed = vec![v.clone()];
        }
        if c.min_length.is_none() {
            c.min_length = self.cx.u64_at(o, ptr, "minProperties")?;
        }
        if c.max_length.is_none() {
            c.max_length = self.cx.u64_at(o, ptr, "maxProperties")?;
        }
        Ok(c)
    }
}

/// What to call an inline object schema: its property's name, qualified by the
/// owning type's name when that is taken.
struct Hint<'h> {
    owner: &'h str,
    name: String,
}

impl<'h> Hint<'h> {
    fn new(name: &str) -> Hint<'static> {
        Hint { owner: "", name: crate::names::pascal(name) }
    }

    fn suffixed(&self, suffix: &str) -> Hint<'h> {
        Hint { owner: self.owner, name: format!("{}{suffix}", self.name) }
    }
}

fn map_of(value: Type) -> Type {
    Type::Map { key: Box::new(Type::Prim(Prim::String)), value: Box::new(value) }
}

/// An object schema with named properties (maybe empty) is a structure.
fn is_struct(o: &Map<String, Value>) -> bool {
    let object_typed = match o.get("type") {
        None => true,
        Some(Value::String(t)) => t == "object",
        Some(_) => false,
    };
    object_typed && o.get("properties").is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
}

/// Alternatives that only say which properties are required.
fn only_required(alts: &[Value]) -> bool {
    !alts.is_empty()
        && alts.iter().all(|a| {
            a.as_object().is_some_and(|a| a.keys().all(|k| k == "required" || k == "description" || k == "$comment"))
        })
}

/// A schema without `type`: what its keywords imply.
fn infer_type(o: &Map<String, Value>) -> Option<&'static str> {
    if o.contains_key("properties") || o.contains_key("patternProperties") || o.contains_key("additionalProperties") {
        Some("object")
    } else if o.contains_key("items") {
        Some("array")
    } else if let Some(Value::Array(values)) = o.get("enum") {
        match values.first() {
            Some(Value::Bool(_)) => Some("boolean"),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Some("integer"),
            Some(Value::Number(_)) => Some("number"),
            _ => Some("string"),
        }
    } else if o.contains_key("pattern") || o.contains_key("minLength") || o.contains_key("maxLength") {
        Some("string")
    } else {
        None
    }
}

/// A definition that is an alias for another alias (and so on) back to itself has no
/// structure anywhere: it can never be written down. Only definitions the
/// properties use are checked: published schemas carry a few unused broken ones.
fn check_alias_cycles(cx: &Cx, types: &BTreeMap<String, TypeDef>, fields: &[Field]) -> Result<()> {
    for start in used_types(types, fields) {
        let mut seen = vec![start];
        let mut current = start;
        while let Some(TypeDef { kind: TypeKind::Alias { ty: Type::Named(next), .. }, .. }) = types.get(current) {
            if next == start {
                seen.push(next);
                return Err(cx.err(
                    &format!("/definitions/{}", pointer_token(start)),
                    format!("cyclic definitions: {}", seen.join(" -> ")),
                ));
            }
            if seen.contains(&next.as_str()) {
                break;
            }
            seen.push(next);
            current = next;
        }
    }
    Ok(())
}

/// Names of the types reachable from `fields`, in a stable order.
fn used_types<'t>(types: &'t BTreeMap<String, TypeDef>, fields: &'t [Field]) -> BTreeSet<&'t str> {
    let mut used = BTreeSet::new();
    let mut stack: Vec<&Type> = fields.iter().map(|f| &f.ty).collect();
    while let Some(ty) = stack.pop() {
        match ty {
            Type::Prim(_) => {}
            Type::List(item) | Type::Nullable(item) => stack.push(item),
            Type::Map { key, value } => stack.extend([key.as_ref(), value.as_ref()]),
            Type::OneOf(alts) => stack.extend(alts),
            Type::Named(name) => {
                let Some((name, def)) = types.get_key_value(name) else { continue };
                if !used.insert(name.as_str()) {
                    continue;
                }
                match &def.kind {
                    TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } => {
                        stack.extend(fields.iter().map(|f| &f.ty))
                    }
                    TypeKind::Alias { ty, .. } => stack.push(ty),
                    TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => {}
                }
            }
        }
    }
    used
}

/// Sets the lifecycle flags of top-level fields; deeper paths are kept on the resource.
fn apply_flags(cx: &Cx, fields: &mut [Field], nested: &mut Vec<(String, &'static str)>) -> Result<()> {
    const LISTS: [(&str, &str); 5] = [
        ("readOnlyProperties", "read-only"),
        ("createOnlyProperties", "create-only"),
        ("conditionalCreateOnlyProperties", "conditional-create-only"),
        ("writeOnlyProperties", "write-only"),
        ("deprecatedProperties", "deprecated"),
    ];
    for (key, flag) in LISTS {
        for p in cx.strings(cx.root.get(key), &format!("/{key}"))? {
            let Some(path) = property_path(p) else {
                // A few published schemas point into definitions here; such paths carry
                // no property of this resource, so they are kept for reference only.
                nested.push((p.to_string(), flag));
                continue;
            };
            if path.len() > 1 {
                nested.push((p.to_string(), flag));
                continue;
            }
            // Published schemas sometimes list properties that were since removed;
            // those entries describe nothing and are skipped.
            let Some(field) = fields.iter_mut().find(|f| f.name == path[0]) else { continue };
            let flags: &mut FieldFlags = &mut field.flags;
            match key {
                "readOnlyProperties" => flags.read_only = true,
                "createOnlyProperties" => flags.create_only = true,
                "conditionalCreateOnlyProperties" => flags.conditional_create_only = true,
                "writeOnlyProperties" => flags.write_only = true,
                _ => flags.deprecated = true,
            }
        }
    }
    Ok(())
}

fn handlers(cx: &Cx, fields: &[Field]) -> Result<Handlers> {
    let mut out = Handlers::default();
    let Some(hs) = cx.root.get("handlers") else { return Ok(out) };
    let hs = obj(cx.file, hs, "/handlers")?;
    for (name, h) in hs {
        let ptr = format!("/handlers/{}", pointer_token(name));
        let ho = obj(cx.file, h, &ptr)?;
        let mut handler = Handler {
            permissions: cx
                .strings(ho.get("permissions"), &format!("{ptr}/permissions"))?
                .into_iter()
                .map(str::to_string)
                .collect(),
            timeout_minutes: cx.u64_at(ho, &ptr, "timeoutInMinutes")?,
            ..Handler::default()
        };
        if let Some(schema) = ho.get("handlerSchema") {
            handler_schema(cx, schema, &format!("{ptr}/handlerSchema"), fields, &mut handler)?;
        }
        let slot = match name.as_str() {
            "create" => &mut out.create,
            "read" => &mut out.read,
            "update" => &mut out.update,
            "delete" => &mut out.delete,
            "list" => &mut out.list,
            // Unknown handler names are not part of the registry contract; they say nothing
            // about what a user can do with the resource.
            _ => continue,
        };
        *slot = Some(handler);
    }
    Ok(out)
}

/// `handlerSchema`: the parameters a handler takes beyond the resource model.
fn handler_schema(cx: &Cx, schema: &Value, ptr: &str, fields: &[Field], handler: &mut Handler) -> Result<()> {
    let so = obj(cx.file, schema, ptr)?;
    let required: BTreeSet<&str> = cx.strings(so.get("required"), &format!("{ptr}/required"))?.into_iter().collect();
    if let Some(props) = so.get("properties") {
        let pptr = format!("{ptr}/properties");
        for (name, p) in obj(cx.file, props, &pptr)? {
            let p_ptr = format!("{pptr}/{}", pointer_token(name));
            cx.check_name(name, &p_ptr)?;
            let po = obj(cx.file, p, &p_ptr)?;
            let field = fields.iter().find(|f| &f.name == name);
            let (ty, doc) = match (po.get("$ref").and_then(Value::as_str), field) {
                (Some(r), _) if !r.ends_with(&format!("/properties/{name}")) => {
                    let mut l = Lowering::new(cx);
                    (l.reference(r, &format!("{p_ptr}/$ref"), &Hint::new(name))?, None)
                }
                (Some(r), None) => {
                    return Err(cx.err(&format!("{p_ptr}/$ref"), format!("dangling $ref `{r}`: no such property")))
                }
                (_, Some(f)) if po.get("$ref").is_some() => (f.ty.clone(), f.doc.clone()),
                _ => {
                    let mut l = Lowering::new(cx);
                    let (t, _) = l.schema(po, &p_ptr, &Hint::new(name))?;
                    (t, cx.str_at(po, &p_ptr, "description")?.map(str::to_string))
                }
            };
            handler.params.push(HandlerParam {
                name: name.clone(),
                names: Default::default(),
                required: required.contains(name.as_str()),
                ty,
                doc,
            });
        }
    }
    let l = Lowering::new(cx);
    handler.param_groups = l.required_groups(so, ptr)?;
    Ok(())
}

fn tagging(cx: &Cx) -> Result<Option<Tagging>> {
    if let Some(t) = cx.root.get("tagging") {
        let to = obj(cx.file, t, "/tagging")?;
        return Ok(Some(Tagging {
            taggable: cx.bool_at(to, "/tagging", "taggable")?.unwrap_or(true),
            tag_on_create: cx.bool_at(to, "/tagging", "tagOnCreate")?,
            tag_updatable: cx.bool_at(to, "/tagging", "tagUpdatable")?,
            cloudformation_system_tags: cx.bool_at(to, "/tagging", "cloudFormationSystemTags")?,
            tag_property: cx.str_at(to, "/tagging", "tagProperty")?.map(str::to_string),
            permissions: cx
                .strings(to.get("permissions"), "/tagging/permissions")?
                .into_iter()
                .map(str::to_string)
                .collect(),
        }));
    }
    // The older top-level `taggable` flag.
    Ok(cx.bool_at(cx.root, "", "taggable")?.map(|taggable| Tagging { taggable, ..Tagging::default() }))
}

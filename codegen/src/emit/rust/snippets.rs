//! Rust snippets that call the generated client: shown on the docs pages and
//! compiled as the crate's `examples/snippets.rs`, from the same strings, so a
//! page can never show code that does not build.

use std::collections::{BTreeMap, HashMap};

use super::types::Ctx;
use crate::model::{Api, Field, Operation, Prim, Service, Type, TypeKind};

/// How deep sample values nest before recursion stops: below it, lists and maps are
/// empty, optional members `None`, and a union takes its least nested variant.
const DEPTH: usize = 3;

/// Snippets of one service's client.
pub struct Snippets<'a> {
    ctx: Ctx<'a>,
    crate_ident: String,
    /// The least nesting a value of each named type needs (`passes::recursion`): below
    /// [`DEPTH`], every step goes to a type that needs strictly less, so samples end.
    min_depth: HashMap<&'a str, usize>,
}

impl<'a> Snippets<'a> {
    pub fn new(service: &Service, api: &'a Api) -> Option<Snippets<'a>> {
        let protocol = super::protocol::for_api(api).ok()?;
        let ctx = Ctx::new(api, protocol);
        let min_depth = crate::passes::recursion::min_depths(&api.types, |owner, f| ctx.optional(owner, f));
        Some(Snippets { ctx, crate_ident: super::crate_name(service).replace('-', "_"), min_depth })
    }

    /// The crate's name as Rust code names it: `aws_apigatewayv2_client`.
    pub(crate) fn crate_ident(&self) -> &str {
        &self.crate_ident
    }

    /// The client's view of the API the snippets call.
    pub(crate) fn ctx(&self) -> &Ctx<'a> {
        &self.ctx
    }

    /// The `use` lines every snippet assumes.
    pub fn prelude(&self) -> String {
        // `json::Number` is only named by samples of big numbers.
        fn big(ty: &Type) -> bool {
            match ty {
                Type::Prim(p) => matches!(p, Prim::BigInteger | Prim::BigDecimal),
                Type::List(item) | Type::Nullable(item) => big(item),
                Type::Map { value, .. } => big(value),
                _ => false,
            }
        }
        let json = self.ctx.api.types.values().any(|d| match &d.kind {
            TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } => fields.iter().any(|f| big(&f.ty)),
            _ => false,
        });
        format!(
            "use std::collections::HashMap;\nuse {}::{{{}types, Blob, Client, DateTime, Document}};",
            self.crate_ident,
            if json { "json, " } else { "" }
        )
    }

    /// A call of `op` through its input builder: every member with a sample value,
    /// required ones marked (`all`), or only the required ones.
    pub fn call(&self, op: &Operation, all: bool) -> String {
        let api = self.ctx.api;
        let method = &op.names.rust;
        let Some(input) = op.input.as_ref().and_then(|i| api.types.get(i)) else {
            return format!("let output = client.{method}().await?;\nprintln!(\"{{output:?}}\");");
        };
        let TypeKind::Struct { fields, .. } = &input.kind else { return String::new() };
        let mut s = format!("let output = types::{}::builder()\n", input.names.pascal);
        for f in fields.iter().filter(|f| all || f.required) {
            let value = self.setter_value(&input.name, f);
            let note = if f.required && all { " // required" } else { "" };
            s.push_str(&format!("    .{}({value}){note}\n", f.names.rust));
        }
        s.push_str("    .send(&client)\n    .await?;\nprintln!(\"{output:?}\");");
        s
    }

    /// The value passed to a builder setter (`impl Into<T>`): `&str` will do for strings.
    pub(super) fn setter_value(&self, owner: &str, f: &Field) -> String {
        let boxed = self.ctx.boxed.contains(&(owner.to_string(), f.name.clone()));
        match (&f.ty, boxed) {
            (Type::Prim(Prim::String), false) => format!("{:?}", sample_text(f)),
            (ty, false) => self.value(ty, &f.name, 0),
            (ty, true) => format!("Box::new({})", self.value(ty, &f.name, 0)),
        }
    }

    /// A Rust expression of exactly type `ty`.
    fn value(&self, ty: &Type, name: &str, depth: usize) -> String {
        let api = self.ctx.api;
        match ty {
            Type::Prim(p) => prim_value(*p, name),
            Type::Nullable(inner) => format!("Some({})", self.value(inner, name, depth)),
            Type::List(item) => {
                if depth >= DEPTH {
                    "Vec::new()".into()
                } else {
                    format!("vec![{}]", self.value(item, name, depth + 1))
                }
            }
            Type::Map { key, value } => {
                if depth >= DEPTH {
                    "HashMap::new()".into()
                } else {
                    let k = match key.as_ref() {
                        Type::Prim(Prim::String) => "\"key\".to_string()".to_string(),
                        other => self.value(other, name, depth + 1),
                    };
                    format!("HashMap::from([({k}, {})])", self.value(value, name, depth + 1))
                }
            }
            Type::OneOf(_) => "Document::Null".into(),
            Type::Named(n) => match api.types.get(n) {
                Some(def) => match &def.kind {
                    TypeKind::Enum { values } => match values.first() {
                        Some(v) => {
                            format!("types::{}::{}", def.names.pascal, super::types::variant_name(&v.names.pascal))
                        }
                        None => format!("types::{}::from(\"value\")", def.names.pascal),
                    },
                    TypeKind::IntEnum { values } => match values.first() {
                        Some(v) => {
                            format!("types::{}::{}", def.names.pascal, super::types::variant_name(&v.names.pascal))
                        }
                        None => format!("types::{}::from(0)", def.names.pascal),
                    },
                    TypeKind::Struct { fields, .. } => self.struct_literal(&def.name, &def.names.pascal, fields, depth),
                    TypeKind::Union { variants } => match self.variant(variants, depth) {
                        Some(v) => {
                            let mut inner = self.value(&v.ty, &v.name, depth + 1);
                            if self.ctx.boxed.contains(&(def.name.clone(), v.name.clone())) {
                                inner = format!("Box::new({inner})");
                            }
                            format!(
                                "types::{}::{}({inner})",
                                def.names.pascal,
                                super::types::variant_name(&v.names.pascal)
                            )
                        }
                        None => "Document::Null".into(),
                    },
                    TypeKind::Alias { ty, .. } => self.value(ty, name, depth),
                },
                None => "Document::Null".into(),
            },
        }
    }

    /// The variant a union's sample shows: the first, or below [`DEPTH`] the one whose
    /// value nests least (the first of those), so that recursion ends.
    fn variant<'f>(&self, variants: &'f [Field], depth: usize) -> Option<&'f Field> {
        if depth < DEPTH {
            return variants.first();
        }
        let types = &self.ctx.api.types;
        variants
            .iter()
            .filter_map(|v| Some((crate::passes::recursion::type_depth(&self.min_depth, types, &v.ty)?, v)))
            .min_by_key(|(d, _)| *d)
            .map(|(_, v)| v)
    }

    /// `types::Cors { allow_credentials: Some(true), ..Default::default() }`: required
    /// members spelled out, the rest defaulted where the type allows, else `None`.
    fn struct_literal(&self, name: &str, pascal: &str, fields: &[Field], depth: usize) -> String {
        let defaultable = self.ctx.defaults.contains(name);
        let mut parts = Vec::new();
        let mut defaulted = false;
        for f in fields {
            let id = &f.names.rust;
            let optional = self.ctx.optional(name, f);
            if !f.required && optional {
                if defaultable {
                    defaulted = true;
                } else {
                    parts.push(format!("{id}: None"));
                }
                continue;
            }
            if depth >= DEPTH && optional {
                parts.push(format!("{id}: None"));
                continue;
            }
            let mut v = self.value(&f.ty, &f.name, depth + 1);
            if self.ctx.boxed.contains(&(name.to_string(), f.name.clone())) {
                v = format!("Box::new({v})");
            }
            if optional {
                v = format!("Some({v})");
            }
            parts.push(format!("{id}: {v}"));
        }
        if defaulted && parts.is_empty() && depth < DEPTH {
            // Show one member, so the example says what goes in.
            if let Some(f) = fields.first() {
                let mut v = self.value(&f.ty, &f.name, depth + 1);
                if self.ctx.boxed.contains(&(name.to_string(), f.name.clone())) {
                    v = format!("Box::new({v})");
                }
                parts.push(format!("{}: Some({v})", f.names.rust));
            }
        }
        if defaulted {
            parts.push("..Default::default()".into());
        }
        format!("types::{pascal} {{ {} }}", parts.join(", "))
    }

    /// The examples file of the crate: every snippet in a function of its own.
    pub fn examples_file(&self, snippets: &BTreeMap<String, String>) -> String {
        let mut out = format!(
            "//! Every Rust snippet on the docs site, compiled so that none can rot. Each\n\
             //! function is one snippet; they are built, not run (they would call AWS).\n\
             #![allow(unused_imports, unused_variables, dead_code, deprecated, clippy::all)]\n\n{}\n",
            self.prelude()
        );
        for (name, body) in snippets {
            let body: String =
                body.lines().map(|l| if l.is_empty() { "\n".into() } else { format!("    {l}\n") }).collect();
            out.push_str(&format!(
                "\npub async fn {name}(client: Client) -> Result<(), Box<dyn std::error::Error>> {{\n{body}    Ok(())\n}}\n"
            ));
        }
        out.push_str("\nfn main() {}\n");
        out
    }
}

fn sample_text(f: &Field) -> String {
    if let Some(serde_json::Value::String(s)) = f.constraints.default.as_ref() {
        return s.clone();
    }
    format!("example-{}", f.names.snake.replace('_', "-"))
}

fn prim_value(p: Prim, name: &str) -> String {
    match p {
        Prim::String => format!("{:?}.to_string()", format!("example-{}", crate::names::snake(name).replace('_', "-"))),
        Prim::Boolean => "true".into(),
        Prim::Byte | Prim::Short | Prim::Integer | Prim::Long => "1".into(),
        Prim::Float | Prim::Double | Prim::Number => "1.0".into(),
        Prim::BigInteger | Prim::BigDecimal => "json::Number::from(1)".into(),
        Prim::Timestamp => "DateTime::from_secs(1_700_000_000)".into(),
        Prim::Blob => "Blob(b\"data\".to_vec())".into(),
        Prim::Document => "Document::Null".into(),
    }
}

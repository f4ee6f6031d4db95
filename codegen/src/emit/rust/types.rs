//! `types.rs` of a client crate: one Rust item per named Smithy shape.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::doc;
use super::tokens::{boxed_fields, defaultable, doc_attrs, ident, is_optional, rust_type};
use crate::model::{Api, Field, Prim, Type, TypeDef, TypeKind};

/// How a structure is used, which decides its JSON impls and which members are in the body.
#[derive(Default, Clone, Copy)]
pub struct Role {
    /// An operation input: serialized; HTTP-bound members stay out of the body.
    pub input: bool,
    /// An operation output or an error: deserialized; HTTP-bound members likewise.
    pub output: bool,
}

pub struct Ctx<'a> {
    pub api: &'a Api,
    pub defaults: BTreeSet<String>,
    pub boxed: BTreeSet<(String, String)>,
    pub roles: std::collections::BTreeMap<String, Role>,
    /// Types some other type has as a member (at any depth of lists and maps): they
    /// travel both ways whatever their role (an error can be a union member).
    pub nested: BTreeSet<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(api: &'a Api) -> Ctx<'a> {
        let mut roles: std::collections::BTreeMap<String, Role> = Default::default();
        for op in api.operations.values() {
            if let Some(i) = &op.input {
                roles.entry(i.clone()).or_default().input = true;
            }
            if let Some(o) = &op.output {
                roles.entry(o.clone()).or_default().output = true;
            }
        }
        for (name, def) in &api.types {
            if def.error.is_some() {
                roles.entry(name.clone()).or_default().output = true;
            }
        }
        let mut nested = BTreeSet::new();
        for def in api.types.values() {
            if let TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } = &def.kind {
                for f in fields {
                    named_in(&f.ty, &mut nested);
                }
            }
        }
        Ctx { api, defaults: defaultable(api), boxed: boxed_fields(api), roles, nested }
    }

    /// The type of a field as declared in its structure: boxed if recursive, `Option` if optional.
    pub fn field_type(&self, owner: &str, f: &Field) -> TokenStream {
        let mut ty = rust_type(self.api, &f.ty);
        if self.boxed.contains(&(owner.to_string(), f.name.clone())) {
            ty = quote! { ::std::boxed::Box<#ty> };
        }
        if self.optional(owner, f) {
            quote! { ::std::option::Option<#ty> }
        } else {
            ty
        }
    }

    /// Optional in Rust: optional in the model, or bound to HTTP in an output where
    /// the type has no default to fall back on.
    pub fn optional(&self, owner: &str, f: &Field) -> bool {
        let role = self.roles.get(owner).copied().unwrap_or_default();
        is_optional(f)
            || (role.output
                && f.wire.binding.is_some()
                && !super::tokens::type_has_default(&f.ty, &self.defaults, self.api))
    }
}

/// Adds the named types `ty` refers to, through lists and maps.
fn named_in(ty: &Type, out: &mut BTreeSet<String>) {
    match ty {
        Type::Named(n) => {
            out.insert(n.clone());
        }
        Type::List(item) => named_in(item, out),
        Type::Map { key, value } => {
            named_in(key, out);
            named_in(value, out);
        }
        Type::OneOf(alts) => alts.iter().for_each(|t| named_in(t, out)),
        Type::Prim(_) => {}
    }
}

pub fn file(ctx: &Ctx) -> TokenStream {
    let items = ctx.api.types.values().map(|def| item(ctx, def));
    quote! {
        //! Every shape of the service model: structures, enums and unions.
        #( #items )*
    }
}

fn item(ctx: &Ctx, def: &TypeDef) -> TokenStream {
    let docs = doc_attrs(&def.doc.as_deref().map(doc::markdown).unwrap_or_default());
    let name = ident(&def.names.pascal);
    let deprecated = def.deprecated.as_ref().map(|_| quote! { #[deprecated] });
    match &def.kind {
        TypeKind::Struct { fields, .. } => structure(ctx, def, fields),
        TypeKind::Union { variants } => {
            let vs = variants.iter().map(|v| {
                let vdocs = doc_attrs(&v.doc.as_deref().map(doc::markdown).unwrap_or_default());
                let vname = ident(&variant_name(&v.names.pascal));
                let mut ty = rust_type(ctx.api, &v.ty);
                if ctx.boxed.contains(&(def.name.clone(), v.name.clone())) {
                    ty = quote! { ::std::boxed::Box<#ty> };
                }
                quote! { #vdocs #vname(#ty), }
            });
            let json = union_json(def, variants);
            quote! {
                #docs #deprecated
                #[non_exhaustive]
                #[derive(Clone, Debug, PartialEq)]
                pub enum #name {
                    #( #vs )*
                    /// A member added to the service after this client was generated, kept as received.
                    Unknown(rt::json::UnknownMember),
                }
                #json
            }
        }
        TypeKind::Enum { values } => {
            let vs = values.iter().map(|v| {
                let vdocs = doc_attrs(&v.doc.as_deref().map(doc::markdown).unwrap_or_default());
                let vname = ident(&variant_name(&v.names.pascal));
                let value = &v.value;
                quote! { #vdocs #vname => #value, }
            });
            quote! {
                rt::string_enum! {
                    #docs
                    pub enum #name { #( #vs )* }
                }
            }
        }
        TypeKind::IntEnum { values } => {
            let vs = values.iter().map(|v| {
                let vdocs = doc_attrs(&v.doc.as_deref().map(doc::markdown).unwrap_or_default());
                let vname = ident(&variant_name(&v.names.pascal));
                let value = proc_macro2::Literal::i64_unsuffixed(v.value);
                quote! { #vdocs #vname => #value, }
            });
            quote! {
                rt::int_enum! {
                    #docs
                    pub enum #name { #( #vs )* }
                }
            }
        }
        // Smithy has no aliases: simple shapes are inlined by the reader.
        TypeKind::Alias { .. } => TokenStream::new(),
    }
}

/// `Unknown` is the variant that keeps values this version does not know.
pub fn variant_name(pascal: &str) -> String {
    // `Unknown` is taken; `Self` is a keyword that cannot be a raw identifier.
    if pascal == "Unknown" || pascal == "Self" {
        format!("{pascal}Value")
    } else {
        pascal.to_string()
    }
}

fn structure(ctx: &Ctx, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let docs = doc_attrs(&def.doc.as_deref().map(doc::markdown).unwrap_or_default());
    let deprecated = def.deprecated.as_ref().map(|_| quote! { #[deprecated] });
    let name = ident(&def.names.pascal);
    let role = ctx.roles.get(&def.name).copied().unwrap_or_default();
    let (ser, de) = match (role.input, role.output) {
        _ if ctx.nested.contains(&def.name) => (true, true),
        (true, false) => (true, false),
        (false, true) => (false, true),
        _ => (true, true),
    };
    let sensitive = def.sensitive || fields.iter().any(|f| f.wire.sensitive);
    // Derive macros live in the macro namespace: a shape named `Debug` cannot shadow them.
    let mut derives = vec![quote! { Clone }, quote! { PartialEq }];
    if !sensitive {
        derives.push(quote! { Debug });
    }
    if ctx.defaults.contains(&def.name) {
        derives.push(quote! { Default });
    }
    let members = fields.iter().map(|f| member(ctx, &def.name, f));
    let debug = sensitive.then(|| redacted_debug(def, fields));
    let error = def.error.as_ref().map(|_| error_impls(def, fields));
    let to_json = ser.then(|| struct_to_json(ctx, def, fields));
    let from_json = de.then(|| struct_from_json(ctx, def, fields));
    quote! {
        #docs #deprecated
        #[derive( #( #derives ),* )]
        pub struct #name { #( #members )* }
        #debug
        #error
        #to_json
        #from_json
    }
}

fn member(ctx: &Ctx, owner: &str, f: &Field) -> TokenStream {
    let mut text = f.doc.as_deref().map(doc::markdown).unwrap_or_default();
    if f.required {
        text = if text.is_empty() { "Required.".into() } else { format!("{text}\n\nRequired.") };
    }
    let docs = doc_attrs(&text);
    let deprecated = f.wire.deprecated.as_ref().map(|_| quote! { #[deprecated] });
    let name = ident(&f.names.rust);
    let ty = ctx.field_type(owner, f);
    quote! {
        #docs #deprecated
        pub #name: #ty,
    }
}

/// Whether a member goes in the JSON body: all do, except those an operation's
/// input or output binds to the URI, a header or the status line.
fn in_body(ctx: &Ctx, owner: &str, f: &Field) -> bool {
    f.wire.binding.is_none() || !ctx.roles.contains_key(owner)
}

fn wire_name(f: &Field) -> String {
    f.wire.json_name.clone().unwrap_or_else(|| f.name.clone())
}

/// The declared format of a timestamp member when it is not the body default
/// (epoch seconds, which `DateTime` writes by itself).
fn time_format(f: &Field) -> Option<TokenStream> {
    if f.ty != Type::Prim(Prim::Timestamp) {
        return None;
    }
    match f.wire.timestamp_format.as_deref() {
        Some("date-time") => Some(quote! { rt::json::TimeFormat::DateTime }),
        Some("http-date") => Some(quote! { rt::json::TimeFormat::HttpDate }),
        _ => None,
    }
}

/// `ToJson`: one `put` per body member; absent optional members are left out.
fn struct_to_json(ctx: &Ctx, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.names.pascal);
    let puts: Vec<TokenStream> = fields
        .iter()
        .filter(|f| in_body(ctx, &def.name, f))
        .map(|f| {
            let id = ident(&f.names.rust);
            let wire = wire_name(f);
            let optional = ctx.optional(&def.name, f);
            match (time_format(f), optional) {
                (Some(format), false) => quote! { o.put_time(#wire, &self.#id, #format); },
                (Some(format), true) => quote! { o.put_time_opt(#wire, &self.#id, #format); },
                (None, false) => quote! { o.put(#wire, &self.#id); },
                (None, true) => quote! { o.put_opt(#wire, &self.#id); },
            }
        })
        .collect();
    let object = if puts.is_empty() {
        quote! { rt::json::Object::new().build() }
    } else {
        quote! {
            let mut o = rt::json::Object::new();
            #( #puts )*
            o.build()
        }
    };
    quote! {
        impl rt::json::ToJson for #name {
            fn to_json(&self) -> rt::json::Value { #object }
        }
    }
}

/// `FromJson`: each body member taken from the object by its wire name; members
/// bound to HTTP start from their default and are set from the response.
fn struct_from_json(ctx: &Ctx, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.names.pascal);
    let any_in_body = fields.iter().any(|f| in_body(ctx, &def.name, f));
    let inits = fields.iter().map(|f| {
        let id = ident(&f.names.rust);
        if !in_body(ctx, &def.name, f) {
            return quote! { #id: ::std::default::Default::default(), };
        }
        let wire = wire_name(f);
        let take = if ctx.optional(&def.name, f) {
            quote! { optional }
        } else if super::tokens::type_has_default(&f.ty, &ctx.defaults, ctx.api) {
            // Lenient: a service that leaves out a required list or string still decodes.
            quote! { or_default }
        } else {
            quote! { required }
        };
        quote! { #id: fields.#take(#wire)?, }
    });
    let fields_binding = if !any_in_body {
        quote! { rt::json::Fields::new(value)?; }
    } else {
        quote! { let mut fields = rt::json::Fields::new(value)?; }
    };
    quote! {
        impl rt::json::FromJson for #name {
            fn from_json(value: rt::json::Value) -> ::std::result::Result<Self, rt::json::JsonError> {
                #fields_binding
                ::std::result::Result::Ok(Self { #( #inits )* })
            }
        }
    }
}

/// A union is an object with one member, named after the variant. A member the
/// model does not have becomes `Unknown`, and is written back as it came.
fn union_json(def: &TypeDef, variants: &[Field]) -> TokenStream {
    let name = ident(&def.names.pascal);
    let writes = variants.iter().map(|v| {
        let vname = ident(&variant_name(&v.names.pascal));
        let wire = wire_name(v);
        quote! { Self::#vname(v) => rt::json::variant(#wire, v), }
    });
    let reads = variants.iter().map(|v| {
        let vname = ident(&variant_name(&v.names.pascal));
        let wire = wire_name(v);
        quote! { #wire => rt::json::variant_value(#wire, value).map(Self::#vname), }
    });
    quote! {
        impl rt::json::ToJson for #name {
            fn to_json(&self) -> rt::json::Value {
                match self {
                    #( #writes )*
                    Self::Unknown(member) => rt::json::ToJson::to_json(member),
                }
            }
        }
        impl rt::json::FromJson for #name {
            fn from_json(value: rt::json::Value) -> ::std::result::Result<Self, rt::json::JsonError> {
                let (key, value) = rt::json::read_variant(value)?;
                match key.as_str() {
                    #( #reads )*
                    _ => ::std::result::Result::Ok(Self::Unknown(rt::json::UnknownMember::new(key, value))),
                }
            }
        }
    }
}

/// `Debug` that hides sensitive members.
fn redacted_debug(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.names.pascal);
    let label = &def.names.pascal;
    let entries = fields.iter().map(|f| {
        let id = ident(&f.names.rust);
        let key = &f.names.snake;
        if f.wire.sensitive || def.sensitive {
            quote! { .field(#key, &"*** redacted ***") }
        } else {
            quote! { .field(#key, &self.#id) }
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #( #entries )* .finish()
            }
        }
    }
}

/// Errors print their message and are `std::error::Error`s.
fn error_impls(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.names.pascal);
    let label = &def.name;
    let message = fields.iter().find(|f| f.name.eq_ignore_ascii_case("message") && f.ty == Type::Prim(Prim::String));
    // The shape name goes into the format string itself (names are alphanumeric).
    let with_message = format!("{label}: {{}}");
    let body = match message {
        Some(m) if is_optional(m) => {
            let id = ident(&m.names.rust);
            quote! {
                match &self.#id {
                    ::std::option::Option::Some(m) => ::std::write!(f, #with_message, m),
                    ::std::option::Option::None => f.write_str(#label),
                }
            }
        }
        Some(m) => {
            let id = ident(&m.names.rust);
            quote! { ::std::write!(f, #with_message, self.#id) }
        }
        None => quote! { f.write_str(#label) },
    };
    quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { #body }
        }
        impl ::std::error::Error for #name {}
    }
}

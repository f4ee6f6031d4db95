//! `types.rs` of a client crate: one Rust item per named Smithy shape.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::doc;
use super::protocol::Protocol;
use super::tokens::{defaultable, doc_attrs, ident, is_optional, rust_type};
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
    /// How the service's operations and shapes travel: the one place wire code comes from.
    pub protocol: &'static dyn Protocol,
    pub defaults: BTreeSet<String>,
    pub boxed: BTreeSet<(String, String)>,
    pub roles: std::collections::BTreeMap<String, Role>,
    /// Types some other type has as a member (at any depth of lists and maps): they
    /// travel both ways whatever their role (an error can be a union member).
    pub nested: BTreeSet<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(api: &'a Api, protocol: &'static dyn Protocol) -> Ctx<'a> {
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
        // Members the normalise pass boxed, by `(structure, member)`.
        let boxed = api
            .types
            .iter()
            .flat_map(|(name, def)| {
                match &def.kind {
                    TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } => fields.as_slice(),
                    _ => &[],
                }
                .iter()
                .filter(|f| f.wire.boxed)
                .map(move |f| (name.clone(), f.name.clone()))
            })
            .collect();
        Ctx { api, protocol, defaults: defaultable(api), boxed, roles, nested }
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

    /// Optional in Rust: optional in the model, or bound to HTTP (by a protocol that
    /// binds members to HTTP) in an output where the type has no default to fall back on.
    pub fn optional(&self, owner: &str, f: &Field) -> bool {
        let role = self.roles.get(owner).copied().unwrap_or_default();
        is_optional(f)
            || (role.output && self.http_bound(f) && !super::tokens::type_has_default(&f.ty, &self.defaults, self.api))
    }
}

impl Ctx<'_> {
    /// Whether the protocol sends `f` outside the body (in the URI, a header, the status line).
    pub fn http_bound(&self, f: &Field) -> bool {
        f.wire.binding.is_some() && self.protocol.http_bindings()
    }
}

/// Adds the named types `ty` refers to, through lists and maps.
fn named_in(ty: &Type, out: &mut BTreeSet<String>) {
    match ty {
        Type::Named(n) => {
            out.insert(n.clone());
        }
        Type::List(item) | Type::Nullable(item) => named_in(item, out),
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
            let json = ctx.protocol.union_codec(ctx, def, variants);
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
    // How the structure reads and writes itself is the protocol's.
    let codec = ctx.protocol.structure_codec(ctx, def, fields, ser, de);
    quote! {
        #docs #deprecated
        #[derive( #( #derives ),* )]
        pub struct #name { #( #members )* }
        #debug
        #error
        #codec
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

//! What the XML protocols (awsQuery, ec2Query, restXml) share: `FromXml` impls of the shapes,
//! the static `rt::xml::Shape` of each member (its list and map item names), the helpers at the
//! top of `operations.rs`, and error enums read from `<Error><Code>`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::operations::error_name;
use super::super::tokens::{ident, rust_type, type_has_default};
use super::super::types::{variant_name, Ctx};
use crate::model::{resolve_alias, Api, Field, Operation, Prim, Type, TypeDef, TypeKind, Xml, XmlItems};

/// Which names and layout a member gets.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Names {
    /// XML bodies, and awsQuery forms: `xmlName`, else the member name; `xmlFlattened` lists
    /// and maps repeat in place.
    Xml,
    /// ec2Query forms: `ec2QueryName`, else the `xmlName` or member name with its first letter
    /// upper-cased; every list is flattened.
    Ec2Query,
}

/// Why `api` cannot be generated for an XML protocol: a document member, which has no XML or
/// form layout (AWS's XML and Query models have none).
pub(super) fn check_no_documents(api: &Api, protocol: &str) -> Result<(), String> {
    fn contains_document(api: &Api, ty: &Type) -> bool {
        match resolve_alias(&api.types, ty) {
            Type::Prim(Prim::Document) => true,
            Type::List(item) | Type::Nullable(item) => contains_document(api, item),
            Type::Map { value, .. } => contains_document(api, value),
            _ => false,
        }
    }
    for def in api.types.values() {
        let members = match &def.kind {
            TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } => fields.as_slice(),
            _ => &[],
        };
        if let Some(f) = members.iter().find(|f| contains_document(api, &f.ty)) {
            return Err(format!(
                "unsupported feature: member {}.{} is a document, which {protocol} cannot carry",
                def.name, f.name
            ));
        }
    }
    Ok(())
}

/// The name of member `f` on the wire.
pub(super) fn member_name(f: &Field, names: Names) -> String {
    match names {
        Names::Xml => f.wire.xml.name.clone().unwrap_or_else(|| f.name.clone()),
        Names::Ec2Query => f.wire.xml.ec2_name.clone().unwrap_or_else(|| {
            let name = f.wire.xml.name.as_deref().unwrap_or(&f.name);
            let mut chars = name.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }),
    }
}

/// The `rt::xml::Shape` of member `f`, as a constant expression.
pub(super) fn member_shape(ctx: &Ctx, f: &Field, names: Names) -> TokenStream {
    shape(ctx, &f.ty, &f.wire.xml, f.wire.timestamp_format.as_deref(), names, true)
}

fn shape(ctx: &Ctx, ty: &Type, xml: &Xml, format: Option<&str>, names: Names, top: bool) -> TokenStream {
    let items = xml.items.as_deref();
    let flat = match names {
        Names::Xml => top && xml.flattened,
        Names::Ec2Query => true,
    };
    match resolve_alias(&ctx.api.types, ty) {
        Type::Nullable(inner) => shape(ctx, inner, xml, format, names, top),
        Type::Prim(Prim::Timestamp) => match format {
            Some("epoch-seconds") => quote! { rt::xml::Shape::Time(rt::json::TimeFormat::EpochSeconds) },
            Some("http-date") => quote! { rt::xml::Shape::Time(rt::json::TimeFormat::HttpDate) },
            _ => quote! { rt::xml::Shape::Value },
        },
        Type::List(item) => {
            let default = XmlItems::default();
            let items = items.unwrap_or(&default);
            let member = items.member.name.as_deref().unwrap_or("member");
            let inner = shape(ctx, item, &items.member, items.timestamp_format.as_deref(), names, false);
            let inner = namespaced(&items.member, inner);
            quote! { rt::xml::Shape::List { member: #member, flat: #flat, item: &#inner } }
        }
        Type::Map { value, .. } => {
            let default = XmlItems::default();
            let items = items.unwrap_or(&default);
            let key = items.key.name.as_deref().unwrap_or("key");
            let value_name = items.member.name.as_deref().unwrap_or("value");
            let inner = shape(ctx, value, &items.member, items.timestamp_format.as_deref(), names, false);
            let inner = namespaced(&items.member, inner);
            let key_ns = match namespace_parts(&items.key) {
                Some((attribute, uri)) => quote! { ::std::option::Option::Some((#attribute, #uri)) },
                None => quote! { ::std::option::Option::None },
            };
            quote! { rt::xml::Shape::Map { key: #key, key_ns: #key_ns, value: #value_name, flat: #flat, item: &#inner } }
        }
        _ => quote! { rt::xml::Shape::Value },
    }
}

/// `xmlns` or `xmlns:<prefix>`, and the URI, of an `xmlNamespace`.
pub(super) fn namespace_parts(xml: &Xml) -> Option<(String, String)> {
    let ns = xml.namespace.as_ref()?;
    let attribute = match &ns.prefix {
        Some(p) => format!("xmlns:{p}"),
        None => "xmlns".to_owned(),
    };
    Some((attribute, ns.uri.clone()))
}

/// An item shape whose element declares the item's `xmlNamespace`.
fn namespaced(item: &Xml, shape: TokenStream) -> TokenStream {
    match namespace_parts(item) {
        Some((attribute, uri)) => {
            quote! { rt::xml::Shape::Namespaced { attribute: #attribute, uri: #uri, shape: &#shape } }
        }
        None => shape,
    }
}

/// A model default as the text an element would hold (an empty list or map: no text).
fn default_text(f: &Field, default: &serde_json::Value) -> String {
    match default {
        serde_json::Value::String(s) if f.ty == Type::Prim(Prim::Blob) => super::json::base64(s.as_bytes()),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// `FromXml` of a structure: each member found by its name (or attribute) in the element;
/// `in_body` says which members are there (restXml binds others to HTTP).
pub(super) fn struct_from_xml(
    ctx: &Ctx,
    def: &TypeDef,
    fields: &[Field],
    in_body: &dyn Fn(&Field) -> bool,
) -> TokenStream {
    let name = ident(&def.names.pascal);
    let inits = fields.iter().map(|f| {
        let id = ident(&f.names.rust);
        if !in_body(f) {
            return quote! { #id: ::std::default::Default::default(), };
        }
        let wire = member_name(f, Names::Xml);
        let optional = ctx.optional(&def.name, f);
        let boxed = ctx.boxed.contains(&(def.name.clone(), f.name.clone()));
        let ty = rust_type(ctx.api, &f.ty);
        if f.wire.xml.attribute {
            return if optional {
                quote! { #id: m.attribute(#wire)?, }
            } else {
                quote! { #id: m.required_attribute(#wire)?, }
            };
        }
        let shape = member_shape(ctx, f, Names::Xml);
        let read = if let (true, Some(default)) = (optional, &f.constraints.default) {
            let text = default_text(f, default);
            quote! { m.optional_or::<#ty>(#wire, &#shape, #text)? }
        } else if let Some(other) = super::second_spelling(ctx, def, f, &wire) {
            quote! { m.optional::<#ty>(#wire, &#shape)?.or(m.optional::<#ty>(#other, &#shape)?) }
        } else if optional {
            quote! { m.optional::<#ty>(#wire, &#shape)? }
        } else if type_has_default(&f.ty, &ctx.defaults, ctx.api) || f.ty == Type::Prim(Prim::Timestamp) {
            // Lenient, as for JSON: a service that leaves out a required list still decodes.
            quote! { m.or_default::<#ty>(#wire, &#shape)? }
        } else {
            quote! { m.required::<#ty>(#wire, &#shape)? }
        };
        match (boxed, optional) {
            (true, true) => quote! { #id: #read.map(::std::boxed::Box::new), },
            (true, false) => quote! { #id: ::std::boxed::Box::new(#read), },
            _ => quote! { #id: #read, },
        }
    });
    let binding = if fields.iter().any(in_body) {
        quote! { let m = rt::xml::Members::new(element); }
    } else {
        quote! { let _ = element; }
    };
    quote! {
        impl rt::xml::FromXml for #name {
            #[inline]
            fn from_xml(element: &rt::xml::Element, _: &rt::xml::Shape) -> ::std::result::Result<Self, rt::xml::XmlError> {
                #binding
                ::std::result::Result::Ok(Self { #( #inits )* })
            }
        }
    }
}

/// `FromXml` of a union: the one child element names the variant; an unknown one is kept.
pub(super) fn union_from_xml(ctx: &Ctx, def: &TypeDef, variants: &[Field]) -> TokenStream {
    let name = ident(&def.names.pascal);
    let arms = variants.iter().map(|v| {
        let vname = ident(&variant_name(&v.names.pascal));
        let wire = member_name(v, Names::Xml);
        let shape = member_shape(ctx, v, Names::Xml);
        let ty = rust_type(ctx.api, &v.ty);
        let wrap = if ctx.boxed.contains(&(def.name.clone(), v.name.clone())) {
            quote! { |x| Self::#vname(::std::boxed::Box::new(x)) }
        } else {
            quote! { Self::#vname }
        };
        quote! { v if v.is(#wire) => rt::xml::variant_value::<#ty>(v, &#shape).map(#wrap), }
    });
    quote! {
        impl rt::xml::FromXml for #name {
            #[inline]
            fn from_xml(element: &rt::xml::Element, _: &rt::xml::Shape) -> ::std::result::Result<Self, rt::xml::XmlError> {
                match rt::xml::Members::new(element).variant()? {
                    #( #arms )*
                    v => ::std::result::Result::Ok(Self::Unknown(rt::xml::unknown_variant(v))),
                }
            }
        }
    }
}

/// Items every XML protocol's `operations.rs` starts with: `decode` (an output from the body,
/// inside `wrapper` when given for awsQuery and ec2Query, from the root for restXml, which also has
/// `decode_unwrapped`) and `decode_error` (a modelled error from its `<Error>` element), the
/// runtime's, under the names the operations and error enums call.
pub(super) fn operation_helpers(wrapped: bool) -> TokenStream {
    let decode = if wrapped {
        quote! { output as decode }
    } else {
        quote! { root_output as decode, unwrapped_output as decode_unwrapped }
    };
    quote! {
        // Unused where no operation has an output, or none has a modelled error.
        #[allow(unused_imports)]
        pub(crate) use rt::xml::{error_or_unhandled as decode_error, #decode};
    }
}

/// The `from_response` of `op`'s error enum: `<Code>` picks the modelled error (by its
/// `awsQueryError` code where it has one, else its shape name), read from the `<Error>` element.
pub(super) fn error_decoder(ctx: &Ctx, op: &Operation, headers: &dyn Fn(&TypeDef) -> Vec<TokenStream>) -> TokenStream {
    let name = error_name(op);
    let errors: Vec<&TypeDef> = op.errors.iter().filter_map(|e| ctx.api.types.get(e)).collect();
    let binding = if errors.is_empty() {
        quote! { (meta, _) }
    } else {
        quote! { (meta, error) }
    };
    let arms = errors.iter().map(|e| {
        let v = ident(&e.names.pascal);
        let code = e.error.as_ref().and_then(|i| i.query_code.clone()).unwrap_or_else(|| e.name.clone());
        let headers = headers(e);
        if headers.is_empty() {
            return quote! {
                ::std::option::Option::Some(#code) => crate::operations::decode_error(&error, response, meta, Self::#v, Self::Unhandled),
            };
        }
        // Members bound to headers are read from the response too (one that does not parse
        // stays unset: the error itself is what matters).
        quote! {
            ::std::option::Option::Some(#code) => match <crate::types::#v as rt::xml::FromXml>::from_xml(&error, &rt::xml::Shape::Value) {
                ::std::result::Result::Ok(mut e) => {
                    #( #headers )*
                    Self::#v(e)
                }
                ::std::result::Result::Err(_) => Self::Unhandled(rt::UnhandledError::new(meta, response)),
            },
        }
    });
    // Without modelled errors every response is unhandled: a `match` would have a lone `_` arm
    // (clippy's match_single_binding).
    let decode = if errors.is_empty() {
        quote! { Self::Unhandled(rt::UnhandledError::new(meta, response)) }
    } else {
        quote! {
            match meta.code.clone().as_deref() {
                #( #arms )*
                _ => Self::Unhandled(rt::UnhandledError::new(meta, response)),
            }
        }
    };
    quote! {
        impl #name {
            /// Decodes an error response by its error code.
            #[inline]
            pub(crate) fn from_response(response: &rt::Response) -> Self {
                let #binding = rt::xml::error_meta(response);
                #decode
            }
        }
    }
}

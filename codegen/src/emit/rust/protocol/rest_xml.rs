//! restXml: the HTTP bindings of [`super::rest`], the other members in an XML body whose root
//! is named after the input (its `xmlName`, else its shape name) with the service's
//! `xmlNamespace`; members by `xmlName`, with `xmlAttribute`, `xmlFlattened` and
//! `xmlNamespace`. Errors are `<ErrorResponse><Error>` or, with `noErrorWrapping` (S3), a root
//! `<Error>`, named by `<Code>`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::tokens::ident;
use super::super::types::{variant_name, Ctx};
use super::rest::Body;
use super::xml::{self, member_name, member_shape, Names};
use crate::model::{Field, HttpBinding, Operation, Type, TypeDef, XmlNamespace};

pub struct Xml;

/// Whether `f` of structure `owner` is in the XML body (not bound to HTTP by an operation).
fn in_body(ctx: &Ctx, owner: &str, f: &Field) -> bool {
    !ctx.http_bound(f) || !ctx.roles.contains_key(owner)
}

/// Whether `f` is read from a response body: a binding only requests have (a label, the query
/// string) does not take a member out of a response.
fn in_response_body(ctx: &Ctx, owner: &str, f: &Field) -> bool {
    let request_only =
        matches!(f.wire.binding, Some(HttpBinding::Label { .. } | HttpBinding::Query(_) | HttpBinding::QueryParams));
    request_only || in_body(ctx, owner, f)
}

/// `Some(("xmlns" or "xmlns:p", uri))` as tokens.
fn namespace_tokens(ns: Option<&XmlNamespace>) -> TokenStream {
    match ns {
        Some(ns) => {
            let attribute = match &ns.prefix {
                Some(p) => format!("xmlns:{p}"),
                None => "xmlns".to_owned(),
            };
            let uri = &ns.uri;
            quote! { ::std::option::Option::Some((#attribute, #uri)) }
        }
        None => quote! { ::std::option::Option::None },
    }
}

/// The root element of a body of structure `name`: its `xmlName`, else its name; its
/// `xmlNamespace`, else the service's.
fn root(ctx: &Ctx, name: &str) -> (String, TokenStream) {
    let xml = ctx.api.xml_roots.get(name);
    let element = xml.and_then(|x| x.name.clone()).unwrap_or_else(|| name.to_owned());
    let ns = xml.and_then(|x| x.namespace.as_ref()).or(ctx.api.xml_namespace.as_ref());
    (element, namespace_tokens(ns))
}

impl Body for Xml {
    fn name(&self) -> &'static str {
        "restXml"
    }

    fn structure_codec(&self, ctx: &Ctx, def: &TypeDef, fields: &[Field], ser: bool, de: bool) -> TokenStream {
        let to_xml = ser.then(|| struct_to_xml(ctx, def, fields));
        let from_xml = de.then(|| xml::struct_from_xml(ctx, def, fields, &|f| in_response_body(ctx, &def.name, f)));
        quote! { #to_xml #from_xml }
    }

    fn union_codec(&self, ctx: &Ctx, def: &TypeDef, variants: &[Field]) -> TokenStream {
        let name = ident(&def.names.pascal);
        let arms = variants.iter().map(|v| {
            let vname = ident(&variant_name(&v.names.pascal));
            let wire = member_name(v, Names::Xml);
            let shape = member_shape(ctx, v, Names::Xml);
            let value = if ctx.boxed.contains(&(def.name.clone(), v.name.clone())) {
                quote! { &**v }
            } else {
                quote! { v }
            };
            quote! { Self::#vname(v) => element.put(#wire, #value, &#shape), }
        });
        let from_xml = xml::union_from_xml(ctx, def, variants);
        quote! {
            impl rt::xml::ToXml for #name {
                #[inline]
                fn to_xml(&self, element: &mut rt::xml::Element, _: &rt::xml::Shape) {
                    match self {
                        #( #arms )*
                        Self::Unknown(_) => {}
                    }
                }
            }
            #from_xml
        }
    }

    fn helpers(&self) -> TokenStream {
        xml::operation_helpers(false)
    }

    fn input_body(&self, ctx: &Ctx, op: &Operation) -> TokenStream {
        let input = op.input.as_deref().unwrap_or_default();
        let (element, ns) = root(ctx, input);
        quote! { request.body(rt::xml::to_vec(#element, &input, #ns), "application/xml"); }
    }

    /// A structure payload is the body's root, named by the member's `xmlName`, else the
    /// structure's; an unset one sends an empty body (of type `application/xml`).
    fn payload(&self, ctx: &Ctx, payload: &Field) -> (TokenStream, TokenStream) {
        let target = match &payload.ty {
            Type::Named(n) => n.as_str(),
            _ => "",
        };
        let (mut element, ns) = root(ctx, target);
        if let Some(name) = &payload.wire.xml.name {
            element = name.clone();
        }
        let ns = match &payload.wire.xml.namespace {
            Some(member_ns) => namespace_tokens(Some(member_ns)),
            None => ns,
        };
        (
            quote! { request.body(rt::xml::to_vec(#element, v, #ns), "application/xml"); },
            quote! { request.body(::std::vec::Vec::new(), "application/xml"); },
        )
    }

    fn error_decoder(&self, ctx: &Ctx, op: &Operation, headers: &dyn Fn(&TypeDef) -> Vec<TokenStream>) -> TokenStream {
        xml::error_decoder(ctx, op, headers)
    }
}

/// `ToXml` of a structure: attributes, then one element (or, flattened, several) per member.
fn struct_to_xml(ctx: &Ctx, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.names.pascal);
    let puts: Vec<TokenStream> = fields
        .iter()
        .filter(|f| in_body(ctx, &def.name, f))
        .map(|f| {
            let id = ident(&f.names.rust);
            let wire = member_name(f, Names::Xml);
            let optional = ctx.optional(&def.name, f);
            if f.wire.xml.attribute {
                return if optional {
                    quote! { element.set_attribute_opt(#wire, &self.#id); }
                } else {
                    quote! { element.set_attribute(#wire, &self.#id); }
                };
            }
            let shape = member_shape(ctx, f, Names::Xml);
            let flat = f.wire.xml.flattened && matches!(f.ty, Type::List(_) | Type::Map { .. });
            let boxed = ctx.boxed.contains(&(def.name.clone(), f.name.clone()));
            let put = match (optional, boxed, flat) {
                (true, true, _) => {
                    quote! { if let ::std::option::Option::Some(v) = &self.#id { element.put(#wire, &**v, &#shape); } }
                }
                (false, true, _) => quote! { element.put(#wire, &*self.#id, &#shape); },
                (true, false, true) => quote! { element.put_flat_opt(#wire, &self.#id, &#shape); },
                (false, false, true) => quote! { element.put_flat(#wire, &self.#id, &#shape); },
                (true, false, false) => quote! { element.put_opt(#wire, &self.#id, &#shape); },
                (false, false, false) => quote! { element.put(#wire, &self.#id, &#shape); },
            };
            // The member's own namespace (a structure's is only on a body's root).
            match f.wire.xml.namespace.as_ref() {
                Some(ns) => {
                    let attribute = match &ns.prefix {
                        Some(p) => format!("xmlns:{p}"),
                        None => "xmlns".to_owned(),
                    };
                    let uri = &ns.uri;
                    quote! {
                        let before = element.children.len();
                        #put
                        element.namespace_last(element.children.len() - before, #attribute, #uri);
                    }
                }
                None => put,
            }
        })
        .collect();
    let element = if puts.is_empty() {
        quote! { _element }
    } else {
        quote! { element }
    };
    quote! {
        impl rt::xml::ToXml for #name {
            #[inline]
            fn to_xml(&self, #element: &mut rt::xml::Element, _: &rt::xml::Shape) {
                #( #puts )*
            }
        }
    }
}

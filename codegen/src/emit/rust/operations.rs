//! Per-operation code of a client crate that is the same for every protocol: the
//! operation's error enum, the client method, and the input builder. How an input
//! becomes a request and a response an output or error is the protocol's
//! (`protocol/`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc;
use super::tokens::{doc_attrs, ident, is_optional, rust_type};
use super::types::Ctx;
use crate::model::{Constraints, Field, Operation, Prim, Type, TypeDef, TypeKind};

/// The fields of a named structure (empty for none).
pub(super) fn fields<'a>(ctx: &'a Ctx, name: Option<&String>) -> &'a [Field] {
    match name.and_then(|n| ctx.api.types.get(n)).map(|d| &d.kind) {
        Some(TypeKind::Struct { fields, .. }) => fields,
        _ => &[],
    }
}

pub(super) fn type_path(ctx: &Ctx, name: Option<&String>) -> TokenStream {
    match name.and_then(|n| ctx.api.types.get(n)) {
        Some(def) => {
            let id = ident(&def.names.pascal);
            quote! { crate::types::#id }
        }
        None => quote! { () },
    }
}

pub fn error_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}Error", op.names.pascal)
}

fn op_docs(op: &Operation) -> String {
    let mut text = op.doc.as_deref().map(doc::markdown).unwrap_or_default();
    if let Some(h) = &op.http {
        let line = format!("`{} {}`", h.method, h.uri);
        text = if text.is_empty() { line } else { format!("{text}\n\nHTTP: {line}") };
    }
    text
}

// ---------------------------------------------------------------- errors

pub fn errors_file(ctx: &Ctx) -> TokenStream {
    let enums = ctx.api.operations.values().map(|op| error_enum(ctx, op));
    quote! {
        //! One error enum per operation: the errors the model says it can return, and
        //! `Unhandled` for anything else.
        #( #enums )*
    }
}

fn error_enum(ctx: &Ctx, op: &Operation) -> TokenStream {
    let name = error_name(op);
    let errors: Vec<&TypeDef> = op.errors.iter().filter_map(|e| ctx.api.types.get(e)).collect();
    let variants = errors.iter().map(|e| {
        let v = ident(&e.names.pascal);
        let docs = doc_attrs(&e.doc.as_deref().map(doc::markdown).unwrap_or_default());
        quote! { #docs #v(crate::types::#v), }
    });
    // Reading the enum from a response is the protocol's.
    let decoder = ctx.protocol.error_decoder(ctx, op);
    let display = errors.iter().map(|e| {
        let v = ident(&e.names.pascal);
        quote! { Self::#v(e) => ::std::fmt::Display::fmt(e, f), }
    });
    let source = errors.iter().map(|e| {
        let v = ident(&e.names.pascal);
        quote! { Self::#v(e) => ::std::option::Option::Some(e), }
    });
    let doc = format!(" Errors of [`Client::{}`](crate::Client::{}).", op.names.snake, op.names.snake);
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #( #variants )*
            /// An error the model does not list for this operation.
            Unhandled(rt::UnhandledError),
        }
        #decoder
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #( #display )*
                    Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for #name {
            #[inline]
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #( #source )*
                    Self::Unhandled(e) => ::std::option::Option::Some(e),
                }
            }
        }
    }
}

// ---------------------------------------------------------------- client

pub fn client_methods(ctx: &Ctx) -> TokenStream {
    let methods = ctx.api.operations.values().map(|op| {
        let name = ident(&op.names.rust);
        let docs = doc_attrs(&op_docs(op));
        let input_ty = type_path(ctx, op.input.as_ref());
        let output_ty = type_path(ctx, op.output.as_ref());
        let error = error_name(op);
        let (param, arg) = match op.input {
            Some(_) => (quote! { input: #input_ty }, quote! { input }),
            None => (quote! {}, quote! { () }),
        };
        let deprecated = op.deprecated.as_ref().map(|_| quote! { #[deprecated] });
        let paginator = paginator(ctx, op);
        quote! {
            #docs #deprecated
            // Inline, as the operation's function it calls: both are compiled only in the programs
            // that call the operation.
            #[inline]
            pub fn #name(
                &self,
                #param
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<#output_ty, rt::SdkError<crate::error::#error>>,
            > + Send + '_ {
                self.inner.call(crate::operations::#name(&self.inner, #arg))
            }
            #paginator
        }
    });
    quote! { #( #methods )* }
}

/// The input and output token members of `op`'s paginator: `Some` exactly when the client
/// has a `<op>_paginator` method (string tokens only).
pub(super) fn paging_tokens<'a>(ctx: &'a Ctx, op: &Operation) -> Option<(&'a Field, &'a Field)> {
    let p = op.paginated.as_ref()?;
    let (input_name, output_name) = (op.input.as_ref()?, op.output.as_ref()?);
    let in_field = fields(ctx, Some(input_name)).iter().find(|f| Some(&f.name) == p.input_token.as_ref())?;
    let out_field = fields(ctx, Some(output_name)).iter().find(|f| Some(&f.name) == p.output_token.as_ref())?;
    if in_field.ty != Type::Prim(Prim::String) || out_field.ty != Type::Prim(Prim::String) {
        return None;
    }
    Some((in_field, out_field))
}

fn paginator(ctx: &Ctx, op: &Operation) -> Option<TokenStream> {
    let (input_name, output_name) = (op.input.as_ref()?, op.output.as_ref()?);
    let (in_field, out_field) = paging_tokens(ctx, op)?;
    let name = format_ident!("{}_paginator", op.names.snake);
    let method = ident(&op.names.rust);
    let input_ty = type_path(ctx, Some(input_name));
    let output_ty = type_path(ctx, Some(output_name));
    let error = error_name(op);
    let (in_id, out_id) = (ident(&in_field.names.rust), ident(&out_field.names.rust));
    let set = if is_optional(in_field) {
        quote! { |input: &mut #input_ty, token: ::std::string::String| input.#in_id = ::std::option::Option::Some(token) }
    } else {
        quote! { |input: &mut #input_ty, token: ::std::string::String| input.#in_id = token }
    };
    let get = if is_optional(out_field) {
        quote! { |output: &#output_ty| output.#out_id.as_deref() }
    } else {
        quote! { |output: &#output_ty| ::std::option::Option::Some(output.#out_id.as_str()) }
    };
    let doc = format!(
        " Every page of [`Client::{}`], following `{}` until the service stops returning one.",
        op.names.snake, out_field.name
    );
    Some(quote! {
        #[doc = #doc]
        pub fn #name(&self, input: #input_ty) -> impl ::futures_core::Stream<Item = ::std::result::Result<#output_ty, rt::SdkError<crate::error::#error>>> + '_ {
            rt::paginate(input, move |input| self.#method(input), #get, #set)
        }
    })
}

// ---------------------------------------------------------------- builders

pub fn builders_file(ctx: &Ctx) -> TokenStream {
    // One per operation: the normalise pass gave each operation an input of its own.
    let items = ctx.api.operations.values().filter_map(|op| Some(builder(ctx, op, op.input.as_ref()?)));
    quote! {
        //! Builders for operation inputs: they check required members and the
        //! model's length, range and pattern constraints before anything is sent.
        #( #items )*
    }
}

fn builder(ctx: &Ctx, op: &Operation, input: &String) -> TokenStream {
    let Some(def) = ctx.api.types.get(input) else { return TokenStream::new() };
    let in_fields = fields(ctx, Some(input));
    let ty = ident(&def.names.pascal);
    let builder = format_ident!("{}Builder", def.names.pascal);
    let builder_doc = format!(" Builder for [`{0}`](crate::types::{0}).", def.names.pascal);
    let boxed = |f: &Field| ctx.boxed.contains(&(input.clone(), f.name.clone()));
    let slots = in_fields.iter().map(|f| {
        let id = ident(&f.names.rust);
        let t = rust_type(ctx.api, &f.ty);
        let t = if boxed(f) {
            quote! { ::std::boxed::Box<#t> }
        } else {
            t
        };
        quote! { #id: ::std::option::Option<#t>, }
    });
    let setters = in_fields.iter().map(|f| {
        let id = ident(&f.names.rust);
        let t = rust_type(ctx.api, &f.ty);
        let t = if boxed(f) {
            quote! { ::std::boxed::Box<#t> }
        } else {
            t
        };
        let docs = doc_attrs(&f.doc.as_deref().map(doc::markdown).unwrap_or_default());
        quote! {
            #docs
            pub fn #id(mut self, value: impl ::std::convert::Into<#t>) -> Self {
                self.#id = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let assigns = in_fields.iter().map(|f| {
        let id = ident(&f.names.rust);
        let wire = &f.name;
        if ctx.optional(input, f) {
            quote! { #id: self.#id, }
        } else if super::tokens::type_has_default(&f.ty, &ctx.defaults, ctx.api) && !f.required {
            quote! { #id: self.#id.unwrap_or_default(), }
        } else {
            quote! { #id: self.#id.ok_or_else(|| rt::ValidationError::required(#wire))?, }
        }
    });
    let checks = in_fields.iter().filter_map(|f| validation(ctx, input, f));
    let op_name = ident(&op.names.rust);
    let output_ty = type_path(ctx, op.output.as_ref());
    let error = error_name(op);
    let send_doc =
        format!(" Builds the input and calls [`Client::{}`](crate::Client::{}).", op.names.snake, op.names.snake);
    quote! {
        impl crate::types::#ty {
            /// A builder that checks the model's constraints in `build`.
            pub fn builder() -> #builder {
                ::std::default::Default::default()
            }

            /// Checks required members and the model's constraints.
            #[inline]
            pub fn validate(&self) -> ::std::result::Result<(), rt::ValidationError> {
                #( #checks )*
                ::std::result::Result::Ok(())
            }
        }

        #[doc = #builder_doc]
        #[derive(Clone, Debug, Default)]
        pub struct #builder { #( #slots )* }

        impl #builder {
            #( #setters )*

            /// The input, if every required member is set and every constraint holds.
            #[inline]
            pub fn build(self) -> ::std::result::Result<crate::types::#ty, rt::ValidationError> {
                let input = crate::types::#ty { #( #assigns )* };
                input.validate()?;
                ::std::result::Result::Ok(input)
            }

            #[doc = #send_doc]
            #[inline]
            pub fn send(
                self,
                client: &crate::Client,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<#output_ty, rt::SdkError<crate::error::#error>>,
            > + Send + '_ {
                let call = match self.build() {
                    ::std::result::Result::Ok(input) => crate::operations::#op_name(&client.inner, input),
                    ::std::result::Result::Err(e) => ::std::result::Result::Err(rt::SdkError::Validation(e)),
                };
                client.inner.call(call)
            }
        }
    }
}

/// The checks of one member: presence (for `clientOptional` required members),
/// then length, range and pattern.
fn validation(ctx: &Ctx, owner: &str, f: &Field) -> Option<TokenStream> {
    let id = ident(&f.names.rust);
    let wire = &f.name;
    let mut checks = value_checks(&f.ty, &f.constraints, &quote! { #wire });
    // Each item of a list, named `Member[i]` in the error.
    if let (Type::List(item), Some(items)) = (&f.ty, &f.constraints.items) {
        // A sparse list's null items have nothing to check.
        let (item, present) = match item.as_ref() {
            Type::Nullable(inner) => (inner.as_ref(), quote! { .filter_map(|(i, v)| v.as_ref().map(|v| (i, v))) }),
            item => (item, TokenStream::new()),
        };
        let item_checks = value_checks(item, items, &quote! { &field });
        if !item_checks.is_empty() {
            // Member names are identifiers: no braces to escape in the format string.
            let name = format!("{wire}[{{}}]");
            checks.push(quote! {
                for (i, v) in v.iter().enumerate() #present {
                    let field = ::std::format!(#name, i);
                    #( #item_checks )*
                }
            });
        }
    }
    let optional = ctx.optional(owner, f);
    let presence = (f.required && optional).then(|| {
        quote! {
            if self.#id.is_none() {
                return ::std::result::Result::Err(rt::ValidationError::required(#wire));
            }
        }
    });
    if checks.is_empty() && presence.is_none() {
        return None;
    }
    let body = if checks.is_empty() {
        TokenStream::new()
    } else if optional {
        quote! { if let ::std::option::Option::Some(v) = &self.#id { #( #checks )* } }
    } else {
        quote! { { let v = &self.#id; #( #checks )* } }
    };
    Some(quote! { #presence #body })
}

/// Length, range and pattern checks of the value `v` of type `ty`, reported under `name`.
fn value_checks(ty: &Type, c: &Constraints, name: &TokenStream) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    let len = match ty {
        Type::Prim(Prim::String) => Some(quote! { v.chars().count() }),
        Type::List(_) | Type::Map { .. } => Some(quote! { v.len() }),
        Type::Prim(Prim::Blob) => Some(quote! { v.0.len() }),
        _ => None,
    };
    if let (Some(len), true) = (len, c.min_length.is_some() || c.max_length.is_some()) {
        let min = opt_u64(c.min_length);
        let max = opt_u64(c.max_length);
        checks.push(quote! { rt::validate::length(#name, #len, #min, #max)?; });
    }
    let numeric =
        matches!(ty, Type::Prim(Prim::Byte | Prim::Short | Prim::Integer | Prim::Long | Prim::Float | Prim::Double));
    if numeric && (c.minimum.is_some() || c.maximum.is_some()) {
        let min = opt_f64(c.minimum.as_ref().and_then(|n| n.as_f64()));
        let max = opt_f64(c.maximum.as_ref().and_then(|n| n.as_f64()));
        checks.push(quote! { rt::validate::range(#name, *v as f64, #min, #max)?; });
    }
    if let (Some(p), Type::Prim(Prim::String)) = (&c.pattern, ty) {
        checks.push(quote! { rt::validate::pattern(#name, v, #p)?; });
    }
    checks
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote! { ::std::option::Option::Some(#n) },
        None => quote! { ::std::option::Option::None },
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(n) => quote! { ::std::option::Option::Some(#n) },
        None => quote! { ::std::option::Option::None },
    }
}

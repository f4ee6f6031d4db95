//! Per-operation code of a client crate: the restJson1 request and response
//! mapping, the operation's error enum, the client method, and the input builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc;
use super::tokens::{doc_attrs, ident, is_optional, rust_type};
use super::types::Ctx;
use crate::model::{resolve_alias, Constraints, Field, HttpBinding, Operation, Prim, Type, TypeDef, TypeKind};

/// The fields of a named structure (empty for none).
fn fields<'a>(ctx: &'a Ctx, name: Option<&String>) -> &'a [Field] {
    match name.and_then(|n| ctx.api.types.get(n)).map(|d| &d.kind) {
        Some(TypeKind::Struct { fields, .. }) => fields,
        _ => &[],
    }
}

fn type_path(ctx: &Ctx, name: Option<&String>) -> TokenStream {
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
    let arms = errors.iter().map(|e| {
        let v = ident(&e.names.pascal);
        let code = &e.name;
        let headers = error_headers(ctx, e, &op.name);
        if headers.is_empty() {
            return quote! {
                ::std::option::Option::Some(#code) => crate::operations::decode_error(response, meta, Self::#v, Self::Unhandled),
            };
        }
        // Members bound to headers are read from the response too (a header that does not
        // parse leaves its member unset: the error itself is what matters).
        quote! {
            ::std::option::Option::Some(#code) => match rt::json::from_slice::<crate::types::#v>(&response.body) {
                ::std::result::Result::Ok(mut e) => {
                    #( #headers )*
                    Self::#v(e)
                }
                ::std::result::Result::Err(_) => Self::Unhandled(rt::UnhandledError::new(meta, response)),
            },
        }
    });
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
        impl #name {
            /// Decodes an error response by its error code.
            pub(crate) fn from_response(response: &rt::Response) -> Self {
                let meta = rt::ErrorMeta::from_response(response);
                match meta.code.as_deref() {
                    #( #arms )*
                    _ => Self::Unhandled(rt::UnhandledError::new(meta, response)),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #( #display )*
                    Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #( #source )*
                    Self::Unhandled(e) => ::std::option::Option::Some(e),
                }
            }
        }
    }
}

/// For each member of error structure `def` bound to a header: sets it from `response` into `e`.
fn error_headers(ctx: &Ctx, def: &TypeDef, op_name: &str) -> Vec<TokenStream> {
    let TypeKind::Struct { fields, .. } = &def.kind else { return Vec::new() };
    fields
        .iter()
        .filter_map(|f| {
            let Some(HttpBinding::Header(name)) = &f.wire.binding else { return None };
            let id = ident(&f.names.rust);
            let parse = header_parse(ctx, f, op_name, name);
            let value = if ctx.optional(&def.name, f) {
                quote! { ::std::option::Option::Some(x) }
            } else {
                quote! { x }
            };
            Some(quote! {
                if let ::std::option::Option::Some(v) = response.header(#name) {
                    let parsed: ::std::result::Result<_, rt::SdkError<()>> = (|| ::std::result::Result::Ok(#parse))();
                    if let ::std::result::Result::Ok(x) = parsed { e.#id = #value; }
                }
            })
        })
        .collect()
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
            pub async fn #name(&self, #param) -> ::std::result::Result<#output_ty, rt::SdkError<crate::error::#error>> {
                crate::operations::#name(&self.inner, #arg).await
            }
            #paginator
        }
    });
    quote! { #( #methods )* }
}

fn paginator(ctx: &Ctx, op: &Operation) -> Option<TokenStream> {
    let p = op.paginated.as_ref()?;
    let (input_name, output_name) = (op.input.as_ref()?, op.output.as_ref()?);
    let in_field = fields(ctx, Some(input_name)).iter().find(|f| Some(&f.name) == p.input_token.as_ref())?;
    let out_field = fields(ctx, Some(output_name)).iter().find(|f| Some(&f.name) == p.output_token.as_ref())?;
    if in_field.ty != Type::Prim(Prim::String) || out_field.ty != Type::Prim(Prim::String) {
        return None;
    }
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

// ---------------------------------------------------------------- wire mapping

pub fn operations_file(ctx: &Ctx) -> TokenStream {
    let ops = ctx.api.operations.values().map(|op| operation(ctx, op));
    quote! {
        //! The restJson1 mapping of every operation: input to HTTP request, HTTP
        //! response to output or error.
        #![allow(
            unused_mut,
            unused_variables,
            clippy::needless_borrow,
            clippy::useless_conversion,
            clippy::field_reassign_with_default
        )]


        /// Sends a request; a response outside 2xx becomes the operation's error.
        async fn send<E>(
            client: &rt::Client,
            request: rt::Request,
            error: fn(&rt::Response) -> E,
        ) -> ::std::result::Result<rt::Response, rt::SdkError<E>> {
            let response = client.send(request).await.map_err(rt::SdkError::Transport)?;
            if response.is_success() {
                ::std::result::Result::Ok(response)
            } else {
                ::std::result::Result::Err(rt::SdkError::Service(error(&response)))
            }
        }

        /// A JSON response body, decoded.
        // Unused where every output is a payload or headers (a media stream, say).
        #[allow(dead_code)]
        fn decode<T: rt::json::FromJson, E>(
            operation: &'static str,
            response: &rt::Response,
        ) -> ::std::result::Result<T, rt::SdkError<E>> {
            rt::decode_json(operation, &response.body).map_err(rt::SdkError::Decode)
        }

        /// A modelled error, or `Unhandled` when its body does not decode.
        // Unused where no operation has a modelled error.
        #[allow(dead_code)]
        pub(crate) fn decode_error<T: rt::json::FromJson, E>(
            response: &rt::Response,
            meta: rt::ErrorMeta,
            variant: fn(T) -> E,
            unhandled: fn(rt::UnhandledError) -> E,
        ) -> E {
            match rt::json::from_slice(&response.body) {
                ::std::result::Result::Ok(e) => variant(e),
                ::std::result::Result::Err(_) => unhandled(rt::UnhandledError::new(meta, response)),
            }
        }

        #( #ops )*
    }
}

fn operation(ctx: &Ctx, op: &Operation) -> TokenStream {
    let name = ident(&op.names.rust);
    let input_ty = type_path(ctx, op.input.as_ref());
    let output_ty = type_path(ctx, op.output.as_ref());
    let error = error_name(op);
    let in_fields = fields(ctx, op.input.as_ref());
    // Any 2xx is success: servers (and test doubles) answer 200 where the model says 201.
    let (method, uri) = match &op.http {
        Some(h) => (h.method.clone(), h.uri.clone()),
        None => ("POST".to_string(), "/".to_string()),
    };
    let validate = op.input.as_ref().map(|_| quote! { input.validate().map_err(rt::SdkError::Validation)?; });
    // `@idempotencyToken` members the caller left unset get a new token.
    let tokens = in_fields
        .iter()
        .filter(|f| f.wire.idempotency_token && f.ty == Type::Prim(Prim::String) && is_optional(f))
        .map(|f| {
            let id = ident(&f.names.rust);
            quote! {
                let mut input = input;
                if input.#id.is_none() { input.#id = ::std::option::Option::Some(client.config().idempotency_token()); }
            }
        });
    let path = path_expr(ctx, &uri, in_fields);
    let query_literal = uri.split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default();
    let literal_pairs = query_literal.split('&').filter(|s| !s.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        quote! { request.query(#k, #v); }
    });
    let bindings = in_fields.iter().filter_map(|f| request_binding(ctx, f));
    let body = request_body(ctx, op, in_fields);
    let output = response_mapping(ctx, op);
    let method_lit = method.as_str();
    quote! {
        pub(crate) async fn #name(
            client: &rt::Client,
            input: #input_ty,
        ) -> ::std::result::Result<#output_ty, rt::SdkError<crate::error::#error>> {
            #( #tokens )*
            #validate
            let mut request = rt::Request::new(#method_lit, #path);
            #( #literal_pairs )*
            #( #bindings )*
            #body
            let response = send(client, request, crate::error::#error::from_response).await?;
            #output
        }
    }
}

/// `/v2/apis/{ApiId}/routes` -> `format!("/v2/apis/{}/routes", encode::label(..))`.
fn path_expr(ctx: &Ctx, uri: &str, in_fields: &[Field]) -> TokenStream {
    let path = uri.split('?').next().unwrap_or("/");
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        template.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        let Some(close) = rest[open..].find('}') else { break };
        let label = &rest[open + 1..open + close];
        let (label, greedy) = match label.strip_suffix('+') {
            Some(l) => (l, true),
            None => (label, false),
        };
        template.push_str("{}");
        let field = in_fields.iter().find(|f| f.name == label);
        args.push(match field {
            Some(f) => {
                let value = if f.ty == Type::Prim(Prim::String) && !is_optional(f) {
                    // Already text: no conversion.
                    access(f)
                } else {
                    unwrap_required(f, text_of(ctx, f, &access(f), "date-time"))
                };
                if greedy {
                    quote! { rt::encode::greedy_label(&#value) }
                } else {
                    quote! { rt::encode::label(&#value) }
                }
            }
            None => quote! { "" },
        });
        rest = &rest[open + close + 1..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if args.is_empty() {
        quote! { ::std::string::String::from(#template) }
    } else {
        quote! { ::std::format!(#template, #( #args ),*) }
    }
}

fn access(f: &Field) -> TokenStream {
    let id = ident(&f.names.rust);
    quote! { input.#id }
}

/// For an optional label (a `clientOptional` one), the value `validate` already checked.
fn unwrap_required(f: &Field, value: TokenStream) -> TokenStream {
    if is_optional(f) {
        // `text_of` produced an `Option<String>` chain; labels are required, so
        // validate() has rejected `None` before this point.
        quote! { (#value).unwrap_or_default() }
    } else {
        value
    }
}

/// A member's value as the text HTTP carries (labels, query strings, headers).
/// For optional members the result is an `Option<String>`.
fn text_of(ctx: &Ctx, f: &Field, expr: &TokenStream, default_format: &str) -> TokenStream {
    let format = f.wire.timestamp_format.as_deref().unwrap_or(default_format);
    let base64 = base64_header(f);
    let convert = |v: TokenStream, ty: &Type| -> TokenStream {
        if base64 {
            quote! { rt::Blob::new(#v.as_bytes()).to_base64() }
        } else {
            scalar_text(ctx, v, ty, format)
        }
    };
    if is_optional(f) {
        let inner = convert(quote! { v }, &f.ty);
        quote! { #expr.as_ref().map(|v| #inner) }
    } else {
        convert(quote! { (&#expr) }, &f.ty)
    }
}

/// A string header with a media type travels base64-encoded.
fn base64_header(f: &Field) -> bool {
    f.ty == Type::Prim(Prim::String)
        && f.wire.media_type.is_some()
        && matches!(f.wire.binding, Some(HttpBinding::Header(_)))
}

fn scalar_text(ctx: &Ctx, v: TokenStream, ty: &Type, format: &str) -> TokenStream {
    match ty {
        Type::Prim(Prim::String) => quote! { #v.to_string() },
        Type::Prim(Prim::Timestamp) => match format {
            "http-date" => quote! { #v.to_http_date() },
            "epoch-seconds" => quote! { #v.to_epoch_seconds() },
            _ => quote! { #v.to_date_time() },
        },
        Type::Named(n) if matches!(ctx.api.types.get(n).map(|d| &d.kind), Some(TypeKind::Enum { .. })) => {
            quote! { #v.as_str().to_string() }
        }
        // `NaN`, `Infinity` and `-Infinity`, not Rust's `NaN`, `inf` and `-inf`.
        Type::Prim(Prim::Float | Prim::Double | Prim::Number) => quote! { rt::encode::float(*#v) },
        _ => quote! { #v.to_string() },
    }
}

/// An iterator over a collection member `e` (empty when an optional one is unset).
fn items(f: &Field, e: &TokenStream) -> TokenStream {
    if is_optional(f) {
        quote! { #e.iter().flatten() }
    } else {
        quote! { #e.iter() }
    }
}

fn request_binding(ctx: &Ctx, f: &Field) -> Option<TokenStream> {
    let e = access(f);
    match f.wire.binding.as_ref()? {
        HttpBinding::Query(name) => Some(match &f.ty {
            Type::List(item) => {
                let format = f.wire.timestamp_format.as_deref().unwrap_or("date-time");
                let text = scalar_text(ctx, quote! { v }, item, format);
                let iter = items(f, &e);
                quote! { for v in #iter { request.query(#name, #text); } }
            }
            _ => {
                let text = text_of(ctx, f, &e, "date-time");
                if is_optional(f) {
                    quote! { if let ::std::option::Option::Some(v) = #text { request.query(#name, v); } }
                } else {
                    quote! { request.query(#name, #text); }
                }
            }
        }),
        HttpBinding::QueryParams => {
            let iter = items(f, &e);
            // `map<string, list<string>>` repeats the key once per value.
            let multi = matches!(&f.ty, Type::Map { value, .. } if matches!(resolve_alias(&ctx.api.types, value), Type::List(_)));
            Some(if multi {
                quote! { for (k, vs) in #iter { for v in vs { request.query(k.to_string(), v.to_string()); } } }
            } else {
                quote! { for (k, v) in #iter { request.query(k.to_string(), v.to_string()); } }
            })
        }
        // Items are joined with `, `; string items that hold a comma or a quote are quoted. An empty
        // value is not sent.
        HttpBinding::Header(name) => Some(match &f.ty {
            Type::List(item) => {
                let format = f.wire.timestamp_format.as_deref().unwrap_or("http-date");
                let mut text = scalar_text(ctx, quote! { v }, item, format);
                let is_enum = |n: &String| matches!(ctx.api.types.get(n).map(|d| &d.kind), Some(TypeKind::Enum { .. }));
                if matches!(&**item, Type::Prim(Prim::String)) || matches!(&**item, Type::Named(n) if is_enum(n)) {
                    text = quote! { rt::encode::header_item(#text) };
                }
                let list = items(f, &e);
                quote! {
                    let values: ::std::vec::Vec<::std::string::String> = #list.map(|v| #text).collect();
                    if !values.is_empty() { request.header(#name, values.join(", ")); }
                }
            }
            _ => {
                let text = text_of(ctx, f, &e, "http-date");
                if is_optional(f) {
                    quote! { if let ::std::option::Option::Some(v) = #text { if !v.is_empty() { request.header(#name, v); } } }
                } else {
                    quote! { { let v = #text; if !v.is_empty() { request.header(#name, v); } } }
                }
            }
        }),
        HttpBinding::PrefixHeaders(prefix) => {
            let iter = items(f, &e);
            Some(quote! { for (k, v) in #iter { request.header(::std::format!("{}{}", #prefix, k), v.to_string()); } })
        }
        // Labels are in the path; the payload and body are set below.
        _ => None,
    }
}

fn request_body(ctx: &Ctx, op: &Operation, in_fields: &[Field]) -> TokenStream {
    if let Some(p) = in_fields.iter().find(|f| f.wire.binding == Some(HttpBinding::Payload)) {
        let e = access(p);
        let kind = match &p.ty {
            Type::Named(n) => ctx.api.types.get(n).map(|d| &d.kind),
            _ => None,
        };
        let media_type = |default: &str| p.wire.media_type.clone().unwrap_or_else(|| default.to_string());
        let (blob_type, text_type) = (media_type("application/octet-stream"), media_type("text/plain"));
        let set = match (&p.ty, kind) {
            (Type::Prim(Prim::Blob), _) => quote! { request.body(v.0.clone(), #blob_type); },
            (Type::Prim(Prim::String), _) => quote! { request.body(v.clone().into_bytes(), #text_type); },
            // An enum payload is its value as text.
            (_, Some(TypeKind::Enum { .. })) => quote! { request.body(v.as_str().as_bytes().to_vec(), "text/plain"); },
            _ => quote! { request.json_body(rt::json::to_vec(v)); },
        };
        // An unset payload: no body, except that a structure is sent as `{}` and a blob keeps
        // its content type.
        let unset = match (&p.ty, kind) {
            (Type::Prim(Prim::Blob), _) => quote! { request.body(::std::vec::Vec::new(), #blob_type); },
            (_, Some(TypeKind::Struct { .. })) => quote! { request.json_body(b"{}".to_vec()); },
            _ => TokenStream::new(),
        };
        return if is_optional(p) {
            quote! { match &#e { ::std::option::Option::Some(v) => { #set } ::std::option::Option::None => { #unset } } }
        } else {
            quote! { { let v = &#e; #set } }
        };
    }
    let has_body = in_fields.iter().any(|f| f.wire.binding.is_none());
    if op.input.is_some() && has_body {
        quote! { request.json_body(rt::json::to_vec(&input)); }
    } else {
        TokenStream::new()
    }
}

fn response_mapping(ctx: &Ctx, op: &Operation) -> TokenStream {
    let Some(output) = op.output.as_ref() else { return quote! { ::std::result::Result::Ok(()) } };
    let out_fields = fields(ctx, Some(output));
    let output_ty = type_path(ctx, Some(output));
    let op_name = &op.name;
    let payload = out_fields.iter().find(|f| f.wire.binding == Some(HttpBinding::Payload));
    let mut base = quote! {
        let mut output: #output_ty = decode(#op_name, &response)?;
    };
    let mut sets: Vec<TokenStream> = Vec::new();
    for f in out_fields {
        let id = ident(&f.names.rust);
        let optional = ctx.optional(output, f);
        let wrap = |v: TokenStream| {
            if optional {
                quote! { ::std::option::Option::Some(#v) }
            } else {
                v
            }
        };
        match &f.wire.binding {
            Some(HttpBinding::Header(name)) => {
                let parse = header_parse(ctx, f, op_name, name);
                let value = wrap(quote! { #parse });
                sets.push(
                    quote! { if let ::std::option::Option::Some(v) = response.header(#name) { output.#id = #value; } },
                );
            }
            Some(HttpBinding::PrefixHeaders(prefix)) => {
                let value = wrap(quote! { response.headers_with_prefix(#prefix).into_iter().collect() });
                sets.push(quote! { output.#id = #value; });
            }
            Some(HttpBinding::ResponseCode) => {
                let value = wrap(quote! { i32::from(response.status) });
                sets.push(quote! { output.#id = #value; });
            }
            Some(HttpBinding::Payload) => {
                let kind = match &f.ty {
                    Type::Named(n) => ctx.api.types.get(n).map(|d| &d.kind),
                    _ => None,
                };
                let text = quote! { ::std::string::String::from_utf8_lossy(&response.body) };
                let value = match (&f.ty, kind) {
                    (Type::Prim(Prim::Blob), _) => quote! { rt::Blob(response.body.clone()) },
                    (Type::Prim(Prim::String), _) => quote! { #text.into_owned() },
                    (_, Some(TypeKind::Enum { .. })) => quote! { #text.as_ref().into() },
                    _ => quote! { decode(#op_name, &response)? },
                };
                // An empty body is an unset payload, but for a structure (read as `{}`).
                let empty_is_unset = optional && !matches!(kind, Some(TypeKind::Struct { .. }));
                if empty_is_unset {
                    sets.push(
                        quote! { if !response.body.is_empty() { output.#id = ::std::option::Option::Some(#value); } },
                    );
                } else {
                    let value = wrap(value);
                    sets.push(quote! { output.#id = #value; });
                }
            }
            _ => {}
        }
    }
    if payload.is_some() || out_fields.iter().all(|f| f.wire.binding.is_some()) {
        // No JSON body members: start from defaults where possible.
        if ctx.defaults.contains(output) {
            base = quote! { let mut output = <#output_ty as ::std::default::Default>::default(); };
        }
    }
    if sets.is_empty() && payload.is_none() && !out_fields.iter().all(|f| f.wire.binding.is_some()) {
        return quote! { decode(#op_name, &response) };
    }
    quote! {
        #base
        #( #sets )*
        ::std::result::Result::Ok(output)
    }
}

/// The value of response header `name` (in `v`) as the member's type. Values that
/// do not parse fail the call with a decode error naming the header.
fn header_parse(ctx: &Ctx, f: &Field, op_name: &str, name: &str) -> TokenStream {
    let kind = |n: &String| ctx.api.types.get(n).map(|d| &d.kind);
    let decode_error = |e: TokenStream| {
        quote! {
            rt::SdkError::Decode(
                rt::DecodeError::with_source(#op_name, ::std::format!("header `{}`", #name), #e))
        }
    };
    let from_str = quote! { rt::parse_header(#op_name, #name, v).map_err(rt::SdkError::Decode)? };
    match &f.ty {
        Type::Prim(Prim::String) if base64_header(f) => {
            let err = decode_error(quote! { e });
            quote! {
                ::std::string::String::from_utf8_lossy(rt::Blob::from_base64(v.trim()).map_err(|e| #err)?.as_bytes()).into_owned()
            }
        }
        Type::Prim(Prim::String) => quote! { v.to_string() },
        Type::Named(n) if matches!(kind(n), Some(TypeKind::Enum { .. })) => quote! { v.into() },
        // Items split at commas outside quotes (HTTP dates each hold one), each read like a
        // header of its own.
        Type::List(item) => {
            let http_dates = **item == Type::Prim(Prim::Timestamp)
                && f.wire.timestamp_format.as_deref().is_none_or(|t| t == "http-date");
            quote! { rt::parse_header_list(#op_name, #name, v, #http_dates).map_err(rt::SdkError::Decode)? }
        }
        Type::Prim(Prim::Blob) => {
            let err = decode_error(quote! { e });
            quote! { rt::Blob::from_base64(v.trim()).map_err(|e| #err)? }
        }
        // Numbers, booleans, timestamps (any format), int enums: `FromStr`.
        Type::Prim(p) if *p != Prim::Document => from_str,
        Type::Named(n) if matches!(kind(n), Some(TypeKind::IntEnum { .. })) => from_str,
        // A JSON value in a header (documents, structures).
        _ => {
            let err = decode_error(quote! { e });
            quote! { rt::json::from_slice(v.as_bytes()).map_err(|e| #err)? }
        }
    }
}

// ---------------------------------------------------------------- builders

pub fn builders_file(ctx: &Ctx) -> TokenStream {
    let mut seen = std::collections::BTreeSet::new();
    let items = ctx.api.operations.values().filter_map(|op| {
        let input = op.input.as_ref()?;
        if !seen.insert(input.clone()) {
            return None;
        }
        Some(builder(ctx, op, input))
    });
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
            pub fn build(self) -> ::std::result::Result<crate::types::#ty, rt::ValidationError> {
                let input = crate::types::#ty { #( #assigns )* };
                input.validate()?;
                ::std::result::Result::Ok(input)
            }

            #[doc = #send_doc]
            pub async fn send(self, client: &crate::Client) -> ::std::result::Result<#output_ty, rt::SdkError<crate::error::#error>> {
                let input = self.build().map_err(rt::SdkError::Validation)?;
                client.#op_name(input).await
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
        let item_checks = value_checks(item, items, &quote! { &field });
        if !item_checks.is_empty() {
            // Member names are identifiers: no braces to escape in the format string.
            let name = format!("{wire}[{{}}]");
            checks.push(quote! {
                for (i, v) in v.iter().enumerate() {
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

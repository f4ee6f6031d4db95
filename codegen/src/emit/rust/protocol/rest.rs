//! What the REST protocols (restJson1, restXml) share: members bound to the URI, the query
//! string, headers and the status line by the Smithy HTTP traits, and payloads; the body of the
//! other members, and errors, are the [`Body`]'s (JSON or XML).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::operations::{fields, type_path};
use super::super::tokens::{ident, is_optional};
use super::super::types::Ctx;
use super::json;
use crate::model::{resolve_alias, Api, Field, HttpBinding, Operation, Prim, Type, TypeDef, TypeKind};

/// The body format of a REST protocol: how the members left to the body, structure payloads and
/// error responses are written and read.
pub(super) trait Body: Sync {
    /// The protocol's name, for docs.
    fn name(&self) -> &'static str;
    fn structure_codec(&self, ctx: &Ctx, def: &TypeDef, fields: &[Field], ser: bool, de: bool) -> TokenStream;
    fn union_codec(&self, ctx: &Ctx, def: &TypeDef, variants: &[Field]) -> TokenStream;
    /// The items `operations.rs` starts with: `decode(operation, response)` and
    /// `decode_error`.
    fn helpers(&self) -> TokenStream;
    /// The statement that sets the request body from `input` (the members not bound to HTTP).
    fn input_body(&self, ctx: &Ctx, op: &Operation) -> TokenStream;
    /// For a structure or union payload: the statement that sets the body from `v`, and the one
    /// for an unset payload.
    fn payload(&self, ctx: &Ctx, payload: &Field) -> (TokenStream, TokenStream);
    /// `from_response` of `op`'s error enum; `headers(e)` sets error `e`'s header members.
    fn error_decoder(&self, ctx: &Ctx, op: &Operation, headers: &dyn Fn(&TypeDef) -> Vec<TokenStream>) -> TokenStream;
}

/// A REST protocol: HTTP bindings, and a body format.
pub struct Rest {
    pub(super) body: &'static dyn Body,
}

impl super::Protocol for Rest {
    fn http_bindings(&self) -> bool {
        true
    }

    fn check(&self, api: &Api) -> Result<(), String> {
        match api.operations.values().find(|o| o.http.is_none()) {
            Some(op) => Err(format!("unsupported feature: operation {} has no http trait", op.name)),
            None => json::check_host_prefixes(api),
        }
    }

    fn structure_codec(&self, ctx: &Ctx, def: &TypeDef, fields: &[Field], ser: bool, de: bool) -> TokenStream {
        self.body.structure_codec(ctx, def, fields, ser, de)
    }

    fn union_codec(&self, ctx: &Ctx, def: &TypeDef, variants: &[Field]) -> TokenStream {
        self.body.union_codec(ctx, def, variants)
    }

    fn error_decoder(&self, ctx: &Ctx, op: &Operation) -> TokenStream {
        self.body.error_decoder(ctx, op, &|e| error_headers(ctx, e, &op.name))
    }

    fn operations_file(&self, ctx: &Ctx) -> TokenStream {
        operations_file(ctx, self.body)
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

fn operations_file(ctx: &Ctx, body: &dyn Body) -> TokenStream {
    let ops = ctx.api.operations.values().map(|op| operation(ctx, op, body));
    let helpers = body.helpers();
    let doc = format!(" The {} mapping of every operation: input to HTTP request, HTTP", body.name());
    quote! {
        #![doc = #doc]
        //! response to output or error.
        #![allow(
            unused_mut,
            unused_variables,
            clippy::needless_borrow,
            clippy::useless_conversion,
            clippy::field_reassign_with_default
        )]


        #helpers

        #( #ops )*
    }
}

fn operation(ctx: &Ctx, op: &Operation, body: &dyn Body) -> TokenStream {
    let in_fields = fields(ctx, op.input.as_ref());
    // Any 2xx is success: servers (and test doubles) answer 200 where the model says 201.
    let (method, uri) = match &op.http {
        Some(h) => (h.method.clone(), h.uri.clone()),
        None => ("POST".to_string(), "/".to_string()),
    };
    let path = path_expr(ctx, &endpoint_placed_label_removed(ctx, op, &uri), in_fields);
    let query_literal = uri.split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default();
    let literal_pairs = query_literal.split('&').filter(|s| !s.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        quote! { request.query(#k, #v); }
    });
    let bindings = in_fields.iter().filter_map(|f| request_binding(ctx, f));
    let body = request_body(ctx, op, in_fields, body);
    let output = response_mapping(ctx, op);
    let traits = json::request_traits(ctx, op);
    let method_lit = method.as_str();
    let endpoint_params = super::super::endpoint::call_params(ctx, op);
    let build = quote! {
        let mut request = rt::Request::new(#method_lit, #path);
        #( #literal_pairs )*
        #( #bindings )*
        #( #endpoint_params )*
        #body
        #traits
    };
    super::operation_fn(ctx, op, build, output)
}

/// The URI without a leading `/{Label}` whose member is also an endpoint rule parameter of the
/// operation (`contextParam`), when the service has endpoint rules: the rules place that value
/// themselves, in the host or in the endpoint's path (S3's `{Bucket}`: virtual-host or path-style
/// addressing, as the AWS SDKs do it).
fn endpoint_placed_label_removed(ctx: &Ctx, op: &Operation, uri: &str) -> String {
    let leading = uri.strip_prefix("/{").and_then(|rest| {
        let end = rest.find('}')?;
        Some((&rest[..end], &rest[end + 1..]))
    });
    let Some((label, rest)) = leading else { return uri.to_owned() };
    let placed = ctx.api.endpoint_rules.is_some()
        && op.endpoint_params.iter().any(|p| p.source == crate::model::EndpointParamSource::Member(label.to_owned()));
    if !placed {
        return uri.to_owned();
    }
    if rest.is_empty() || rest.starts_with('?') {
        format!("/{rest}")
    } else {
        rest.to_owned()
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

fn request_body(ctx: &Ctx, op: &Operation, in_fields: &[Field], body: &dyn Body) -> TokenStream {
    if let Some(p) = in_fields.iter().find(|f| f.wire.binding == Some(HttpBinding::Payload)) {
        let e = access(p);
        let kind = match &p.ty {
            Type::Named(n) => ctx.api.types.get(n).map(|d| &d.kind),
            _ => None,
        };
        let media_type = |default: &str| p.wire.media_type.clone().unwrap_or_else(|| default.to_string());
        let (blob_type, text_type) = (media_type("application/octet-stream"), media_type("text/plain"));
        let (structure_set, structure_unset) = body.payload(ctx, p);
        let set = match (&p.ty, kind) {
            (Type::Prim(Prim::Blob), _) => quote! { request.body(v.0.clone(), #blob_type); },
            (Type::Prim(Prim::String), _) => quote! { request.body(v.clone().into_bytes(), #text_type); },
            // An enum payload is its value as text.
            (_, Some(TypeKind::Enum { .. })) => quote! { request.body(v.as_str().as_bytes().to_vec(), "text/plain"); },
            _ => structure_set,
        };
        // An unset payload: no body, except that a blob keeps its content type and the body
        // format says what an unset structure is.
        let unset = match (&p.ty, kind) {
            (Type::Prim(Prim::Blob), _) => quote! { request.body(::std::vec::Vec::new(), #blob_type); },
            (_, Some(TypeKind::Struct { .. } | TypeKind::Union { .. })) => structure_unset,
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
        body.input_body(ctx, op)
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
    // The output's one member as the body's root (a model trait only XML services have).
    let decode = if op.unwrapped_xml_output {
        quote! { decode_unwrapped }
    } else {
        quote! { decode }
    };
    let mut base = quote! {
        let mut output: #output_ty = #decode(#op_name, response)?;
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
                    _ => quote! { decode(#op_name, response)? },
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
    // Bindings only requests have (labels, the query string) leave a member in a response body.
    let response_bound = |f: &Field| {
        !matches!(
            f.wire.binding,
            None | Some(HttpBinding::Label { .. } | HttpBinding::Query(_) | HttpBinding::QueryParams)
        )
    };
    if payload.is_some() || out_fields.iter().all(response_bound) {
        // No JSON body members: start from defaults where possible.
        if ctx.defaults.contains(output) {
            base = quote! { let mut output = <#output_ty as ::std::default::Default>::default(); };
        }
    }
    if sets.is_empty() && payload.is_none() && !out_fields.iter().all(response_bound) {
        return quote! { #decode(#op_name, response) };
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

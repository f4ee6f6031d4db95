//! What the JSON protocols (restJson1, awsJson1_0, awsJson1_1) share: `ToJson` / `FromJson`
//! impls of the shapes, the helpers at the top of `operations.rs`, and error enums read by
//! their error code.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::operations::error_name;
use super::super::operations::fields;
use super::super::tokens::{ident, is_optional, type_has_default};
use super::super::types::{variant_name, Ctx};
use crate::model::{resolve_alias, Api, Field, Operation, Prim, Type, TypeDef, TypeKind};

/// The codec of a structure: `ToJson` when `ser`, `FromJson` when `de`. Member keys are their
/// `jsonName` when `json_name`.
pub(super) fn structure(
    ctx: &Ctx,
    def: &TypeDef,
    fields: &[Field],
    ser: bool,
    de: bool,
    json_name: bool,
) -> TokenStream {
    let to_json = ser.then(|| struct_to_json(ctx, def, fields, json_name));
    let from_json = de.then(|| struct_from_json(ctx, def, fields, json_name));
    quote! { #to_json #from_json }
}

/// Items every JSON protocol's `operations.rs` starts with: `decode` (an output from a JSON body)
/// and `decode_error` (a modelled error's body), the runtime's, under the names the operations
/// and error enums call.
pub(super) fn operation_helpers() -> TokenStream {
    quote! {
        // Unused where every output is a payload or headers, or no operation has a modelled error.
        #[allow(unused_imports)]
        pub(crate) use rt::json::{error_or_unhandled as decode_error, output as decode};
    }
}

/// What an operation's traits do to its request once the body is set: `requestCompression`
/// compresses the body, then `httpChecksumRequired` adds the `Content-MD5` of what is sent.
/// `endpoint`'s `hostPrefix` sets the request's host prefix, with each `{Label}` replaced by the
/// checked value of that input member.
pub(super) fn request_traits(ctx: &Ctx, op: &Operation) -> TokenStream {
    let compress = super::super::gzip_request(op).then(|| quote! { request.gzip(client.config()); });
    let checksum = op.request.checksum_required.then(|| quote! { request.content_md5(); });
    let prefix = op.request.host_prefix.as_deref().map(|prefix| {
        let (template, labels) = host_prefix_parts(prefix);
        let in_fields = fields(ctx, op.input.as_ref());
        // `check` made sure every label is a string member of the input.
        let values = labels.iter().filter_map(|label| in_fields.iter().find(|f| f.name == *label)).map(|f| {
            let id = ident(&f.names.rust);
            let name = &f.name;
            let value = match op.input.as_ref() {
                Some(input) if ctx.optional(input, f) => quote! { input.#id.as_deref().unwrap_or_default() },
                _ => quote! { input.#id.as_str() },
            };
            quote! { rt::encode::host_label(#name, #value).map_err(rt::SdkError::Validation)? }
        });
        let value = if labels.is_empty() {
            quote! { ::std::string::String::from(#prefix) }
        } else {
            quote! { ::std::format!(#template #(, #values)*) }
        };
        quote! { request.host_prefix = ::std::option::Option::Some(#value); }
    });
    quote! { #compress #checksum #prefix }
}

/// A host prefix (`{Bucket}.data.`) as a format string (`{}.data.`) and its labels (`Bucket`).
fn host_prefix_parts(prefix: &str) -> (String, Vec<&str>) {
    let mut template = String::new();
    let mut labels = Vec::new();
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        template.push_str(&rest[..open]);
        template.push_str("{}");
        labels.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    (template, labels)
}

/// Why `api` has a host prefix the emitter cannot write: a `{Label}` that is not a string member
/// of the operation's input.
pub(super) fn check_host_prefixes(api: &Api) -> Result<(), String> {
    for op in api.operations.values() {
        let Some(prefix) = &op.request.host_prefix else { continue };
        let input = op.input.as_ref().and_then(|i| api.types.get(i));
        let members = match input.map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields.as_slice(),
            _ => &[],
        };
        for label in host_prefix_parts(prefix).1 {
            let string = |f: &&Field| resolve_alias(&api.types, &f.ty) == &Type::Prim(Prim::String);
            if !members.iter().filter(string).any(|f| f.name == label) {
                return Err(format!(
                    "unsupported feature: the host prefix `{prefix}` of operation {} names `{label}`, which is not a string member of its input",
                    op.name
                ));
            }
        }
    }
    Ok(())
}

/// `@idempotencyToken` members the caller left unset get a new token.
pub(super) fn idempotency_tokens(in_fields: &[Field]) -> Vec<TokenStream> {
    in_fields
        .iter()
        .filter(|f| f.wire.idempotency_token && f.ty == Type::Prim(Prim::String) && is_optional(f))
        .map(|f| {
            let id = ident(&f.names.rust);
            quote! {
                let mut input = input;
                if input.#id.is_none() { input.#id = ::std::option::Option::Some(client.config().idempotency_token()); }
            }
        })
        .collect()
}

/// The `from_response` of `op`'s error enum: the error code (`X-Amzn-ErrorType`, or the body's
/// `__type` or `code`, without namespace and suffix) picks the modelled error, whose body is
/// decoded; `headers(e)` sets error `e`'s members bound to headers. With `query_compatible`
/// (`awsQueryCompatible` services), the code callers see is the one of the
/// `x-amzn-query-error` header when there is one.
pub(super) fn error_decoder(
    ctx: &Ctx,
    op: &Operation,
    headers: &dyn Fn(&TypeDef) -> Vec<TokenStream>,
    query_compatible: bool,
) -> TokenStream {
    let name = error_name(op);
    let errors: Vec<&TypeDef> = op.errors.iter().filter_map(|e| ctx.api.types.get(e)).collect();
    let arms = errors.iter().map(|e| {
        let v = ident(&e.names.pascal);
        let code = &e.name;
        let headers = headers(e);
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
    if errors.is_empty() {
        // Every response is unhandled: a `match` would have a lone `_` arm (clippy's
        // match_single_binding), and the query error's code would go unread.
        let meta = if query_compatible {
            quote! { let meta = rt::ErrorMeta::from_response(response).with_query_error(response); }
        } else {
            quote! { let meta = rt::ErrorMeta::from_response(response); }
        };
        return quote! {
            impl #name {
                /// Decodes an error response: no error is modelled, so it is unhandled.
                #[inline]
                pub(crate) fn from_response(response: &rt::Response) -> Self {
                    #meta
                    Self::Unhandled(rt::UnhandledError::new(meta, response))
                }
            }
        };
    }
    let (meta, code) = if query_compatible {
        (
            quote! {
                let meta = rt::ErrorMeta::from_response(response);
                let code = meta.code.clone();
                let meta = meta.with_query_error(response);
            },
            quote! { code },
        )
    } else {
        (quote! { let meta = rt::ErrorMeta::from_response(response); }, quote! { meta.code })
    };
    quote! {
        impl #name {
            /// Decodes an error response by its error code.
            #[inline]
            pub(crate) fn from_response(response: &rt::Response) -> Self {
                #meta
                match #code.as_deref() {
                    #( #arms )*
                    _ => Self::Unhandled(rt::UnhandledError::new(meta, response)),
                }
            }
        }
    }
}

/// Whether a member goes in the JSON body: all do, except those an operation's
/// input or output binds to the URI, a header or the status line.
fn in_body(ctx: &Ctx, owner: &str, f: &Field) -> bool {
    !ctx.http_bound(f) || !ctx.roles.contains_key(owner)
}

/// A member's key in the object: its `jsonName` where the protocol reads that trait, else its name.
fn wire_name(f: &Field, json_name: bool) -> String {
    match &f.wire.json_name {
        Some(name) if json_name => name.clone(),
        _ => f.name.clone(),
    }
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
fn struct_to_json(ctx: &Ctx, def: &TypeDef, fields: &[Field], json_name: bool) -> TokenStream {
    let name = ident(&def.names.pascal);
    let puts: Vec<TokenStream> = fields
        .iter()
        .filter(|f| in_body(ctx, &def.name, f))
        .map(|f| {
            let id = ident(&f.names.rust);
            let wire = wire_name(f, json_name);
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
            #[inline]
            fn to_json(&self) -> rt::json::Value { #object }
        }
    }
}

/// `FromJson`: the object's members read in one pass by the runtime's pull reader, each body
/// member into its own slot by its wire name (members the model does not have are skipped), then
/// each slot checked: required, defaulted or lenient. Members bound to HTTP start from their
/// default and are set from the response.
///
/// Each member is its own statement (`let`, match arm, check) and the struct literal only names
/// them: rustc type-checks a literal of thousands of fallible expressions as one expression,
/// superlinearly (800 members: 440 s and 4 GB), the same as statements in about a second.
fn struct_from_json(ctx: &Ctx, def: &TypeDef, fields: &[Field], json_name: bool) -> TokenStream {
    let name = ident(&def.names.pascal);
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut checks = Vec::new();
    let mut inits = Vec::new();
    for f in fields {
        let id = ident(&f.names.rust);
        if !in_body(ctx, &def.name, f) {
            inits.push(quote! { #id: ::std::default::Default::default(), });
            continue;
        }
        let wire = wire_name(f, json_name);
        slots.push(quote! { let mut #id = ::std::option::Option::None; });
        arms.push(quote! { #wire => __r.member(#wire, &mut #id)?, });
        if let Some(other) = super::second_spelling(ctx, def, f, &wire) {
            arms.push(quote! { #other => __r.member_alt(#other, &mut #id)?, });
        }
        if let Some(check) = member_check(ctx, def, f, &wire) {
            checks.push(quote! { let #id = #check; });
        }
        inits.push(quote! { #id, });
    }
    // The reader and the key are `__r` and `__key`: a member's variable never starts with `_`.
    let read = if arms.is_empty() {
        quote! { rt::json::skip_object(__r)?; }
    } else {
        quote! {
            if __r.object("an object")? {
                while let ::std::option::Option::Some(__key) = __r.key()? {
                    match &*__key {
                        #( #arms )*
                        _ => __r.skip()?,
                    }
                }
            }
        }
    };
    quote! {
        impl rt::json::FromJson for #name {
            #[inline]
            fn read(__r: &mut rt::json::Reader<'_>) -> ::std::result::Result<Self, rt::json::JsonError> {
                #( #slots )*
                #read
                #( #checks )*
                ::std::result::Result::Ok(Self { #( #inits )* })
            }
        }
    }
}

/// What a member's slot becomes once the object is read (`None`: the slot as it is, an optional
/// member).
fn member_check(ctx: &Ctx, def: &TypeDef, f: &Field, wire: &str) -> Option<TokenStream> {
    let id = ident(&f.names.rust);
    let optional = ctx.optional(&def.name, f);
    if optional {
        // A member with a model default reads as that default when it is missing.
        let default = f.constraints.default.as_ref()?;
        // A blob's default is its text; on the wire it is base64.
        let default = match (default, &f.ty) {
            (serde_json::Value::String(text), Type::Prim(Prim::Blob)) => {
                serde_json::Value::String(base64(text.as_bytes())).to_string()
            }
            _ => default.to_string(),
        };
        return Some(quote! { rt::json::or_default_text(#wire, #id, #default)? });
    }
    if type_has_default(&f.ty, &ctx.defaults, ctx.api) || f.ty == Type::Prim(Prim::Timestamp) {
        // Lenient (Smithy's error correction): a service that leaves out a required list,
        // string or timestamp still decodes, to the empty value or the epoch.
        Some(quote! { #id.unwrap_or_default() })
    } else {
        Some(quote! { rt::json::required(#wire, #id)? })
    }
}

/// A union is an object with one member, named after the variant. A member the
/// model does not have becomes `Unknown`, and is written back as it came.
pub(super) fn union(def: &TypeDef, variants: &[Field], json_name: bool) -> TokenStream {
    let name = ident(&def.names.pascal);
    let writes = variants.iter().map(|v| {
        let vname = ident(&variant_name(&v.names.pascal));
        let wire = wire_name(v, json_name);
        quote! { Self::#vname(v) => rt::json::variant(#wire, v), }
    });
    let reads = variants.iter().map(|v| {
        let vname = ident(&variant_name(&v.names.pascal));
        let wire = wire_name(v, json_name);
        quote! { #wire => Self::#vname(r.variant(#wire)?), }
    });
    quote! {
        impl rt::json::ToJson for #name {
            #[inline]
            fn to_json(&self) -> rt::json::Value {
                match self {
                    #( #writes )*
                    Self::Unknown(member) => rt::json::ToJson::to_json(member),
                }
            }
        }
        impl rt::json::FromJson for #name {
            #[inline]
            fn read(r: &mut rt::json::Reader<'_>) -> ::std::result::Result<Self, rt::json::JsonError> {
                let mut variants = rt::json::Variants::new(r)?;
                let mut value = ::std::option::Option::None;
                while let ::std::option::Option::Some(key) = variants.next(r)? {
                    value = ::std::option::Option::Some(match &*key {
                        #( #reads )*
                        _ => Self::Unknown(rt::json::UnknownMember::read(key, r)?),
                    });
                }
                variants.finish(value)
            }
        }
    }
}

/// Standard base64 with padding.
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn host_prefix_templates() {
        assert_eq!(super::host_prefix_parts("foo."), ("foo.".to_owned(), vec![]));
        assert_eq!(super::host_prefix_parts("foo.{label}."), ("foo.{}.".to_owned(), vec!["label"]));
        assert_eq!(super::host_prefix_parts("{A}-{B}."), ("{}-{}.".to_owned(), vec!["A", "B"]));
    }

    #[test]
    fn a_host_label_must_be_a_string_member_of_the_input() {
        use crate::model::{Api, Field, Operation, Prim, RequestTraits, Type, TypeDef, TypeKind};
        let member = |name: &str, ty: Prim| Field { name: name.into(), ty: Type::Prim(ty), ..Field::default() };
        let input = TypeDef {
            name: "In".into(),
            names: Default::default(),
            doc: None,
            kind: TypeKind::Struct {
                fields: vec![member("label", Prim::String), member("n", Prim::Integer)],
                required_groups: vec![],
            },
            error: None,
            deprecated: None,
            sensitive: false,
        };
        let api = |prefix: &str| {
            let request = RequestTraits { host_prefix: Some(prefix.into()), ..RequestTraits::default() };
            let op = Operation { name: "Op".into(), input: Some("In".into()), request, ..Operation::default() };
            Api {
                operations: [("Op".to_owned(), op)].into(),
                types: [("In".to_owned(), input.clone())].into(),
                ..Api::default()
            }
        };
        assert_eq!(super::check_host_prefixes(&api("foo.{label}.")), Ok(()));
        for bad in ["{n}.", "{missing}."] {
            let reason = super::check_host_prefixes(&api(bad)).expect_err(bad);
            assert!(reason.contains("not a string member"), "{reason}");
        }
    }
    #[test]
    fn base64() {
        for (raw, encoded) in [("", ""), ("a", "YQ=="), ("ab", "YWI="), ("abc", "YWJj"), ("hello!?", "aGVsbG8hPw==")] {
            assert_eq!(super::base64(raw.as_bytes()), encoded);
        }
    }
}

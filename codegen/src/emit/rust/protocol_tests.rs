//! Tests of a generated client from the Smithy protocol compliance cases
//! (`smithy.test#httpRequestTests` and `smithy.test#httpResponseTests`), as a
//! `tests/protocol.rs` of the crate. `cargo xtask protocol-tests` writes and runs them.
//!
//! Each case becomes one `#[test]`: the case's `params` are turned, here at generation
//! time, into a Rust expression of the typed input (or expected output or error), the
//! client sends through the runtime's `CaptureTransport` (no network), and the request
//! it would send is checked against the case (`rt::testing::check_request`), or the
//! canned response is decoded and compared with the expected value.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

use super::operations::error_name;
use super::tokens::{ident, type_has_default};
use super::types::{variant_name, Ctx};
use crate::error::Result;
use crate::model::{Api, Field, Prim, Service, Type, TypeKind};

/// The trait of request cases.
pub const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
/// The trait of response cases (on operations, and on error structures).
pub const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";

/// What a case tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    /// The request the client sends for `params`.
    Request,
    /// The output the client decodes from a response.
    Response,
    /// The error the client decodes from an error response (a case of an error structure).
    Error,
}

/// One client case of a service.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case's `id`, unique in the suite.
    pub id: String,
    pub kind: CaseKind,
    /// The operation called (its key in `Api::operations`).
    pub operation: String,
    /// For error cases, the error structure (its key in `Api::types`).
    pub error: Option<String>,
    /// The case as written in the model.
    pub case: Value,
}

/// The client cases of the service shape `service_id` whose protocol is the API's: those of
/// its operations, and those of the error structures they return (each run through the first
/// operation, in name order, that returns it). `shapes` is the flattened `shapes` object of the
/// model (see [`crate::read::mixins::flatten`]).
pub fn cases(shapes: &Map<String, Value>, service_id: &str, api: &Api) -> Vec<Case> {
    let protocol = format!("aws.protocols#{}", api.protocol.name());
    let applies = |c: &Value| {
        c.get("protocol").and_then(Value::as_str) == Some(protocol.as_str())
            && c.get("appliesTo").and_then(Value::as_str).is_none_or(|a| a == "client")
    };
    let traits = |id: &str, name: &str| -> Vec<Value> {
        let list = shapes.get(id).and_then(|s| s.get("traits")).and_then(|t| t.get(name)).and_then(Value::as_array);
        list.map(|l| l.iter().filter(|c| applies(c)).cloned().collect()).unwrap_or_default()
    };
    let local = |id: &str| id.rsplit('#').next().unwrap_or(id).to_string();
    let renames: BTreeMap<String, String> = shapes
        .get(service_id)
        .and_then(|s| s.get("rename"))
        .and_then(Value::as_object)
        .map(|r| r.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut error_ids = BTreeSet::new();
    for op_id in operation_ids(shapes, service_id) {
        let name = local(&op_id);
        if !api.operations.contains_key(&name) {
            continue;
        }
        for (trait_name, kind) in [(REQUEST_TESTS, CaseKind::Request), (RESPONSE_TESTS, CaseKind::Response)] {
            for case in traits(&op_id, trait_name) {
                out.push(Case { id: case_id(&case), kind, operation: name.clone(), error: None, case });
            }
        }
        let errors = shapes.get(&op_id).and_then(|s| s.get("errors")).and_then(Value::as_array);
        let service_errors = shapes.get(service_id).and_then(|s| s.get("errors")).and_then(Value::as_array);
        for e in errors.into_iter().flatten().chain(service_errors.into_iter().flatten()) {
            if let Some(target) = e.get("target").and_then(Value::as_str) {
                error_ids.insert(target.to_string());
            }
        }
    }
    for error_id in error_ids {
        let name = renames.get(&error_id).cloned().unwrap_or_else(|| local(&error_id));
        let Some(op) = api.operations.values().find(|op| op.errors.contains(&name)) else { continue };
        for case in traits(&error_id, RESPONSE_TESTS) {
            let id = case_id(&case);
            out.push(Case { id, kind: CaseKind::Error, operation: op.name.clone(), error: Some(name.clone()), case });
        }
    }
    out
}

fn case_id(case: &Value) -> String {
    case.get("id").and_then(Value::as_str).unwrap_or("unnamed").to_string()
}

/// Operation shape ids of a service: bound directly or through resources, each once.
fn operation_ids(shapes: &Map<String, Value>, service_id: &str) -> Vec<String> {
    let targets = |id: &str, key: &str| -> Vec<String> {
        let body = shapes.get(id);
        match body.and_then(|b| b.get(key)) {
            Some(Value::Array(list)) => {
                list.iter().filter_map(|t| t.get("target")?.as_str().map(str::to_string)).collect()
            }
            Some(Value::Object(t)) => t.get("target").and_then(Value::as_str).map(str::to_string).into_iter().collect(),
            _ => Vec::new(),
        }
    };
    let mut ops: Vec<String> = Vec::new();
    let mut stack = vec![service_id.to_string()];
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let keys = ["operations", "collectionOperations", "create", "put", "read", "update", "delete", "list"];
        for key in keys {
            for op in targets(&id, key) {
                if !ops.contains(&op) {
                    ops.push(op);
                }
            }
        }
        stack.extend(targets(&id, "resources"));
    }
    ops
}

/// The generated test file: its text and, for each test function, the case id it runs.
#[derive(Debug, Clone, Default)]
pub struct TestFile {
    pub text: String,
    /// `(function name, case id)`, in file order.
    pub tests: Vec<(String, String)>,
}

/// `tests/protocol.rs` of the crate of `service` for `cases`. A case whose `params` cannot be
/// written as a Rust value becomes a test that fails saying why.
pub fn test_file(service: &Service, api: &Api, cases: &[Case]) -> Result<TestFile> {
    let protocol = super::protocol::for_api(api).map_err(|reason| crate::error::Error::Output {
        file: format!("{}/{}", super::RUST_ROOT, super::crate_name(service)).into(),
        message: reason,
    })?;
    let ctx = Ctx::new(api, protocol);
    let krate = ident(&super::crate_name(service).replace('-', "_"));
    let values = Values { ctx: &ctx, krate: krate.clone() };
    let mut used = BTreeSet::new();
    let mut tests = Vec::new();
    let mut fns = Vec::new();
    for case in cases {
        let mut name = format!("{}_{}", kind_prefix(case.kind), crate::names::snake(&case.id));
        let mut n = 2;
        while !used.insert(name.clone()) {
            name = format!("{}_{}_{n}", kind_prefix(case.kind), crate::names::snake(&case.id));
            n += 1;
        }
        let body = match case.kind {
            CaseKind::Request => values.request_test(case),
            CaseKind::Response | CaseKind::Error => values.response_test(case),
        };
        let body = body.unwrap_or_else(|why| {
            let message = format!("case {} cannot be generated: {why}", case.id);
            quote! { panic!(#message); }
        });
        let doc = case.case.get("documentation").and_then(Value::as_str).map(|d| {
            let line = format!(" {}: {}", case.id, d.lines().next().unwrap_or(""));
            quote! { #[doc = #line] }
        });
        let fn_ident = ident(&name);
        fns.push(quote! {
            #doc
            #[test]
            fn #fn_ident() { #body }
        });
        tests.push((name, case.id.clone()));
    }
    let header = format!(" Protocol compliance tests of `{}`, generated from the Smithy test cases.", krate);
    let tokens = quote! {
        #![doc = #header]
        #![allow(deprecated, unused_imports, clippy::all)]
        #( #fns )*
    };
    let path = format!("{}/{}/tests/protocol.rs", super::RUST_ROOT, super::crate_name(service));
    let (tokens, uses_runtime) = super::tokens::simplify_paths(tokens, &BTreeSet::new());
    let text = super::rust_file(&path, tokens, uses_runtime)?;
    Ok(TestFile { text, tests })
}

fn kind_prefix(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Request => "request",
        CaseKind::Response => "response",
        CaseKind::Error => "error",
    }
}

fn str_list<'a>(case: &'a Value, key: &str) -> Vec<&'a str> {
    case.get(key).and_then(Value::as_array).map(|l| l.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote! { ::std::option::Option::Some(#s) },
        None => quote! { ::std::option::Option::None },
    }
}

fn opt_bytes(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => {
            let bytes = Literal::byte_string(s.as_bytes());
            quote! { ::std::option::Option::Some(#bytes) }
        }
        None => quote! { ::std::option::Option::None },
    }
}

/// Whether a JSON value holds a non-finite float as Smithy writes it.
fn has_non_finite(v: &Value) -> bool {
    match v {
        Value::String(s) => matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity"),
        Value::Array(a) => a.iter().any(has_non_finite),
        Value::Object(o) => o.values().any(has_non_finite),
        _ => false,
    }
}

struct Values<'a> {
    ctx: &'a Ctx<'a>,
    krate: Ident,
}

type Built = std::result::Result<TokenStream, String>;

impl Values<'_> {
    fn api(&self) -> &Api {
        self.ctx.api
    }

    /// The client call of the case's operation with `input` (nothing for an operation without one).
    fn call(&self, case: &Case, input: Option<TokenStream>) -> Built {
        let op = self.api().operations.get(&case.operation).ok_or("unknown operation")?;
        let method = ident(&op.names.rust);
        Ok(match input {
            Some(input) => quote! { client.#method(#input) },
            None => quote! { client.#method() },
        })
    }

    fn client(&self, case: &Case, response: TokenStream) -> TokenStream {
        let krate = &self.krate;
        let host = opt_str(case.case.get("host").and_then(Value::as_str));
        quote! {
            let capture = rt::CaptureTransport::new(#response);
            let client = #krate::Client::new(rt::testing::config(capture.clone(), #host)).expect("client");
        }
    }

    fn request_test(&self, case: &Case) -> Built {
        let c = &case.case;
        let op = self.api().operations.get(&case.operation).ok_or("unknown operation")?;
        let params = c.get("params").cloned().unwrap_or_else(|| Value::Object(Map::new()));
        let input = match &op.input {
            Some(name) => Some(self.structure(name, &params)?),
            None => None,
        };
        let call = self.call(case, input)?;
        let client = self.client(case, quote! { rt::testing::response(200, &[], b"{}") });
        let method = c.get("method").and_then(Value::as_str).unwrap_or("");
        let uri = c.get("uri").and_then(Value::as_str).unwrap_or("");
        let query = str_list(c, "queryParams");
        let forbid_query = str_list(c, "forbidQueryParams");
        let require_query = str_list(c, "requireQueryParams");
        let headers: Vec<TokenStream> = c
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| h.iter().filter_map(|(k, v)| Some((k, v.as_str()?))).map(|(k, v)| quote! { (#k, #v) }).collect())
            .unwrap_or_default();
        let forbid_headers = str_list(c, "forbidHeaders");
        let require_headers = str_list(c, "requireHeaders");
        let body = opt_bytes(c.get("body").and_then(Value::as_str));
        let media = opt_str(c.get("bodyMediaType").and_then(Value::as_str));
        let resolved = opt_str(c.get("resolvedHost").and_then(Value::as_str));
        Ok(quote! {
            #client
            let result = rt::testing::block_on(#call);
            let request = capture.last_request().unwrap_or_else(|| panic!("no request was sent: {:?}", result));
            rt::testing::check_request(&request, &rt::testing::ExpectedRequest {
                method: #method,
                uri: #uri,
                query_params: &[ #( #query ),* ],
                forbid_query_params: &[ #( #forbid_query ),* ],
                require_query_params: &[ #( #require_query ),* ],
                headers: &[ #( #headers ),* ],
                forbid_headers: &[ #( #forbid_headers ),* ],
                require_headers: &[ #( #require_headers ),* ],
                body: #body,
                body_media_type: #media,
                resolved_host: #resolved,
            });
        })
    }

    fn response_test(&self, case: &Case) -> Built {
        let c = &case.case;
        let op = self.api().operations.get(&case.operation).ok_or("unknown operation")?;
        let code = c.get("code").and_then(Value::as_u64).and_then(|n| u16::try_from(n).ok()).ok_or("no code")?;
        let headers: Vec<TokenStream> = c
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| h.iter().filter_map(|(k, v)| Some((k, v.as_str()?))).map(|(k, v)| quote! { (#k, #v) }).collect())
            .unwrap_or_default();
        let body = Literal::byte_string(c.get("body").and_then(Value::as_str).unwrap_or("").as_bytes());
        let client = self.client(case, quote! { rt::testing::response(#code, &[ #( #headers ),* ], #body) });
        let input = match &op.input {
            Some(name) => Some(self.structure(name, &Value::Object(Map::new()))?),
            None => None,
        };
        let call = self.call(case, input)?;
        let params = c.get("params").cloned().unwrap_or_else(|| Value::Object(Map::new()));
        // `NaN != NaN`: values holding one are compared by their `Debug` text.
        let compare = if has_non_finite(&params) {
            quote! { assert_eq!(format!("{:?}", actual), format!("{:?}", expected)); }
        } else {
            quote! { assert_eq!(actual, expected); }
        };
        let krate = &self.krate;
        let check = match (&case.error, &op.output) {
            (Some(error), _) => {
                let def = self.api().types.get(error).ok_or("unknown error structure")?;
                let expected = self.structure(error, &params)?;
                let enum_name = error_name(op);
                let variant = ident(&def.names.pascal);
                quote! {
                    let expected = #expected;
                    match result {
                        ::std::result::Result::Err(rt::SdkError::Service(#krate::error::#enum_name::#variant(actual))) => { #compare }
                        other => panic!("expected the error {}, got {:?}", stringify!(#variant), other),
                    }
                }
            }
            (None, Some(output)) => {
                let expected = self.structure(output, &params)?;
                quote! {
                    let expected = #expected;
                    let actual = result.expect("the response decodes");
                    #compare
                }
            }
            (None, None) => quote! { result.expect("the response decodes"); },
        };
        Ok(quote! {
            #client
            let result = rt::testing::block_on(#call);
            #check
        })
    }

    /// A struct literal of the named structure from a JSON object: every member, absent ones
    /// `None`, their model default, or their type's default.
    fn structure(&self, name: &str, v: &Value) -> Built {
        let def = self.api().types.get(name).ok_or_else(|| format!("unknown shape {name}"))?;
        let krate = &self.krate;
        let ty = ident(&def.names.pascal);
        let TypeKind::Struct { fields, .. } = &def.kind else {
            return self.value(&Type::Named(name.to_string()), v);
        };
        let obj = match v {
            Value::Object(o) => o,
            _ => return Err(format!("{name}: expected an object, found {v}")),
        };
        if let Some(unknown) = obj.keys().find(|k| !fields.iter().any(|f| &f.name == *k)) {
            return Err(format!("{name} has no member {unknown}"));
        }
        let members = fields
            .iter()
            .map(|f| {
                let id = ident(&f.names.rust);
                let value = self.member(name, f, obj.get(&f.name))?;
                Ok(quote! { #id: #value, })
            })
            .collect::<std::result::Result<Vec<_>, String>>()?;
        Ok(quote! { #krate::types::#ty { #( #members )* } })
    }

    fn member(&self, owner: &str, f: &Field, v: Option<&Value>) -> Built {
        let optional = self.ctx.optional(owner, f);
        let boxed = self.ctx.boxed.contains(&(owner.to_string(), f.name.clone()));
        let v = v.filter(|v| !v.is_null());
        let value = match (v, &f.constraints.default) {
            (Some(v), _) => self.value(&f.ty, v)?,
            (None, _) if optional => return Ok(quote! { ::std::option::Option::None }),
            (None, Some(default)) if !default.is_null() => self.value(&f.ty, default)?,
            (None, _) if type_has_default(&f.ty, &self.ctx.defaults, self.api()) => {
                quote! { ::std::default::Default::default() }
            }
            (None, _) => self.zero(&f.ty)?,
        };
        let value = if boxed {
            quote! { ::std::boxed::Box::new(#value) }
        } else {
            value
        };
        Ok(if optional {
            quote! { ::std::option::Option::Some(#value) }
        } else {
            value
        })
    }

    /// A value of a type without `Default` (timestamps, structures with one).
    fn zero(&self, ty: &Type) -> Built {
        match ty {
            Type::Prim(Prim::Timestamp) => Ok(quote! { rt::DateTime::from_secs(0) }),
            Type::Named(n) => match self.api().types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Struct { .. }) => self.structure(n, &Value::Object(Map::new())),
                _ => Err(format!("no value for an absent {n}")),
            },
            _ => Ok(quote! { ::std::default::Default::default() }),
        }
    }

    /// A Rust expression of type `ty` from a JSON value of the case.
    fn value(&self, ty: &Type, v: &Value) -> Built {
        let bad = || format!("expected a {} value, found {v}", type_label(ty));
        Ok(match ty {
            Type::Prim(Prim::String) => {
                let s = v.as_str().ok_or_else(bad)?;
                quote! { ::std::string::String::from(#s) }
            }
            Type::Prim(Prim::Boolean) => {
                let b = v.as_bool().ok_or_else(bad)?;
                quote! { #b }
            }
            Type::Prim(p @ (Prim::Byte | Prim::Short | Prim::Integer | Prim::Long)) => {
                let n = v.as_i64().ok_or_else(bad)?;
                let lit = match p {
                    Prim::Byte => Literal::i8_suffixed(i8::try_from(n).map_err(|_| bad())?),
                    Prim::Short => Literal::i16_suffixed(i16::try_from(n).map_err(|_| bad())?),
                    Prim::Integer => Literal::i32_suffixed(i32::try_from(n).map_err(|_| bad())?),
                    _ => Literal::i64_suffixed(n),
                };
                quote! { #lit }
            }
            Type::Prim(p @ (Prim::Float | Prim::Double | Prim::Number)) => {
                let float = if *p == Prim::Float {
                    quote! { f32 }
                } else {
                    quote! { f64 }
                };
                match v {
                    Value::String(s) if s == "NaN" => quote! { #float::NAN },
                    Value::String(s) if s == "Infinity" => quote! { #float::INFINITY },
                    Value::String(s) if s == "-Infinity" => quote! { #float::NEG_INFINITY },
                    Value::Number(n) => {
                        let x = n.as_f64().ok_or_else(bad)?;
                        let lit =
                            if *p == Prim::Float { Literal::f32_suffixed(x as f32) } else { Literal::f64_suffixed(x) };
                        quote! { #lit }
                    }
                    _ => return Err(bad()),
                }
            }
            Type::Prim(Prim::BigInteger | Prim::BigDecimal) => {
                let text = match v {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    _ => return Err(bad()),
                };
                quote! { <rt::json::Number as ::std::str::FromStr>::from_str(#text).expect("a number") }
            }
            Type::Prim(Prim::Timestamp) => {
                let Value::Number(n) = v else { return Err(bad()) };
                let text = n.to_string();
                let (secs, fraction) = text.split_once('.').unwrap_or((&text, ""));
                let secs: i64 = secs.parse().map_err(|_| bad())?;
                let nanos: u32 = format!("{fraction:0<9}")[..9].parse().map_err(|_| bad())?;
                if nanos == 0 {
                    quote! { rt::DateTime::from_secs(#secs) }
                } else if secs < 0 {
                    return Err(format!("negative fractional timestamp {text}"));
                } else {
                    quote! { rt::DateTime::from_secs_and_nanos(#secs, #nanos) }
                }
            }
            Type::Prim(Prim::Blob) => {
                let bytes = Literal::byte_string(v.as_str().ok_or_else(bad)?.as_bytes());
                quote! { rt::Blob::new(#bytes.to_vec()) }
            }
            Type::Prim(Prim::Document) | Type::OneOf(_) => document(v),
            Type::Nullable(inner) => match v {
                Value::Null => quote! { ::std::option::Option::None },
                v => {
                    let inner = self.value(inner, v)?;
                    quote! { ::std::option::Option::Some(#inner) }
                }
            },
            Type::List(item) => {
                let items = v.as_array().ok_or_else(bad)?;
                let items = items.iter().map(|i| self.value(item, i)).collect::<std::result::Result<Vec<_>, _>>()?;
                quote! { ::std::vec![ #( #items ),* ] }
            }
            Type::Map { key, value } => {
                let entries = v.as_object().ok_or_else(bad)?;
                let entries = entries
                    .iter()
                    .map(|(k, v)| {
                        let k = self.value(key, &Value::String(k.clone()))?;
                        let v = self.value(value, v)?;
                        Ok(quote! { (#k, #v) })
                    })
                    .collect::<std::result::Result<Vec<_>, String>>()?;
                quote! { [ #( #entries ),* ].into_iter().collect::<::std::collections::HashMap<_, _>>() }
            }
            Type::Named(name) => {
                let Some(def) = self.api().types.get(name) else { return Ok(document(v)) };
                let krate = &self.krate;
                let ty = ident(&def.names.pascal);
                match &def.kind {
                    TypeKind::Struct { .. } => self.structure(name, v)?,
                    TypeKind::Enum { .. } => {
                        let s = v.as_str().ok_or_else(bad)?;
                        quote! { #krate::types::#ty::from(#s) }
                    }
                    TypeKind::IntEnum { .. } => {
                        let n = v.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(bad)?;
                        quote! { #krate::types::#ty::from(#n) }
                    }
                    TypeKind::Union { variants } => {
                        let obj = v.as_object().filter(|o| o.len() == 1).ok_or_else(bad)?;
                        let (key, value) = obj.iter().next().ok_or_else(bad)?;
                        let variant = variants
                            .iter()
                            .find(|f| &f.name == key)
                            .ok_or_else(|| format!("union {name} has no member {key}"))?;
                        let inner = self.value(&variant.ty, value)?;
                        let inner = if self.ctx.boxed.contains(&(name.clone(), variant.name.clone())) {
                            quote! { ::std::boxed::Box::new(#inner) }
                        } else {
                            inner
                        };
                        let vname = ident(&variant_name(&variant.names.pascal));
                        quote! { #krate::types::#ty::#vname(#inner) }
                    }
                    TypeKind::Alias { ty: inner, .. } => self.value(inner, v)?,
                }
            }
        })
    }
}

fn document(v: &Value) -> TokenStream {
    let text = v.to_string();
    quote! { rt::serde_json::from_str::<rt::Document>(#text).expect("a document") }
}

fn type_label(ty: &Type) -> String {
    match ty {
        Type::Prim(p) => p.name().to_string(),
        Type::List(_) => "list".into(),
        Type::Nullable(inner) => format!("nullable {}", type_label(inner)),
        Type::Map { .. } => "map".into(),
        Type::Named(n) => n.clone(),
        Type::OneOf(_) => "document".into(),
    }
}

/// A crate's `Cargo.toml` with what its protocol tests need: the runtime's `testing` feature, in
/// the crate's `[dev-dependencies]` (a second such table would not parse).
pub fn cargo_toml_with_tests(manifest: &str, runtime_path: &str) -> String {
    let line = format!(
        "aws-codegen-runtime = {{ path = \"{runtime_path}\", default-features = false, features = [\"testing\"] }}\n"
    );
    if manifest.contains("[dev-dependencies]\n") {
        manifest.replacen("[dev-dependencies]\n", &format!("[dev-dependencies]\n{line}"), 1)
    } else {
        format!("{manifest}\n[dev-dependencies]\n{line}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A one-operation restJson1 service with a request case, a response case, an error case, a
    /// server-only case and a case of another protocol.
    fn model() -> Value {
        let case = |id: &str, extra: Value| {
            let mut c = json!({ "id": id, "protocol": "aws.protocols#restJson1" });
            c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            c
        };
        json!({
            "smithy": "2.0",
            "shapes": {
                "ex#Svc": {
                    "type": "service", "version": "2020-01-01",
                    "operations": [{ "target": "ex#PutThing" }],
                    "traits": { "aws.protocols#restJson1": {}, "aws.api#service": { "sdkId": "Ex" } }
                },
                "ex#PutThing": {
                    "type": "operation",
                    "input": { "target": "ex#PutThingInput" },
                    "output": { "target": "ex#PutThingOutput" },
                    "errors": [{ "target": "ex#Oops" }],
                    "traits": {
                        "smithy.api#http": { "method": "PUT", "uri": "/things/{Name}" },
                        "smithy.test#httpRequestTests": [
                            case("PutThingRequest", json!({
                                "method": "PUT", "uri": "/things/a%20b", "queryParams": ["n=1"],
                                "headers": { "X-When": "Thu, 01 Jan 1970 00:00:01 GMT" },
                                "body": "{\"tags\":[\"x\"]}", "bodyMediaType": "application/json",
                                "params": { "Name": "a b", "N": 1, "When": 1, "Tags": ["x"], "Ratio": "NaN" }
                            })),
                            case("ServerOnly", json!({ "appliesTo": "server", "method": "PUT", "uri": "/" })),
                            { "id": "OtherProtocol", "protocol": "aws.protocols#restXml", "method": "PUT", "uri": "/" }
                        ],
                        "smithy.test#httpResponseTests": [
                            case("PutThingResponse", json!({ "code": 200, "body": "{\"count\":2}", "params": { "Count": 2 } }))
                        ]
                    }
                },
                "ex#PutThingInput": {
                    "type": "structure",
                    "members": {
                        "Name": { "target": "smithy.api#String", "traits": { "smithy.api#httpLabel": {}, "smithy.api#required": {} } },
                        "N": { "target": "smithy.api#Integer", "traits": { "smithy.api#httpQuery": "n" } },
                        "When": { "target": "smithy.api#Timestamp", "traits": { "smithy.api#httpHeader": "X-When" } },
                        "Tags": { "target": "ex#Tags", "traits": { "smithy.api#jsonName": "tags" } },
                        "Ratio": { "target": "smithy.api#Double", "traits": { "smithy.api#httpHeader": "X-Ratio" } }
                    }
                },
                "ex#Tags": { "type": "list", "member": { "target": "smithy.api#String" } },
                "ex#PutThingOutput": {
                    "type": "structure",
                    "members": { "Count": { "target": "smithy.api#Integer", "traits": { "smithy.api#jsonName": "count" } } }
                },
                "ex#Oops": {
                    "type": "structure",
                    "members": { "Message": { "target": "smithy.api#String" } },
                    "traits": {
                        "smithy.api#error": "client",
                        "smithy.test#httpResponseTests": [
                            case("OopsError", json!({
                                "code": 400, "headers": { "X-Amzn-Errortype": "Oops" },
                                "body": "{\"Message\":\"no\"}", "params": { "Message": "no" }
                            }))
                        ]
                    }
                }
            }
        })
    }

    fn load(doc: &Value) -> (crate::model::Model, Map<String, Value>) {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("codegen-protocol-tests-{}-{n}", std::process::id()));
        std::fs::create_dir_all(dir.join("smithy")).unwrap();
        let file = dir.join("smithy/ex.json");
        std::fs::write(&file, doc.to_string()).unwrap();
        let files = crate::read::SpecFiles { cloudformation: Vec::new(), smithy: vec![file] };
        let model = crate::load_files(&dir, &files).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        (model, doc["shapes"].as_object().unwrap().clone())
    }

    #[test]
    fn client_cases_of_the_service_and_its_errors() {
        let (model, shapes) = load(&model());
        let service = model.services.values().next().unwrap();
        let api = service.api.as_ref().unwrap();
        let found = cases(&shapes, &api.shape_id, api);
        let got: Vec<_> = found.iter().map(|c| (c.id.as_str(), c.kind, c.error.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("PutThingRequest", CaseKind::Request, None),
                ("PutThingResponse", CaseKind::Response, None),
                ("OopsError", CaseKind::Error, Some("Oops")),
            ]
        );
        assert!(found.iter().all(|c| c.operation == "PutThing"));
    }

    #[test]
    fn one_test_per_case_with_typed_values() {
        let (model, shapes) = load(&model());
        let service = model.services.values().next().unwrap();
        let api = service.api.as_ref().unwrap();
        let file = test_file(service, api, &cases(&shapes, &api.shape_id, api)).unwrap();
        let names: Vec<_> = file.tests.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(names, ["request_put_thing_request", "response_put_thing_response", "error_oops_error"]);
        let text =
            file.text.replace(char::is_whitespace, "").replace("Option::Some", "Some").replace("::std::vec!", "vec!");
        for expected in [
            // The input from the params: label, query, timestamp header, list, NaN.
            "name:String::from(\"ab\")",
            "n:Some(1i32)",
            "when:Some(rt::DateTime::from_secs(1i64))",
            "tags:Some(vec![String::from(\"x\")])",
            "ratio:Some(f64::NAN)",
            "query_params:&[\"n=1\"]",
            "body_media_type:Some(\"application/json\")",
            // The response and error cases compare typed values.
            "count:Some(2i32)",
            "aws_ex_client::error::PutThingError::Oops(actual)",
            "message:Some(String::from(\"no\"))",
        ] {
            assert!(text.contains(&expected.replace(' ', "")), "missing {expected} in\n{}", file.text);
        }
    }

    #[test]
    fn params_that_do_not_fit_become_a_failing_test() {
        let mut doc = model();
        let case = &mut doc["shapes"]["ex#PutThing"]["traits"]["smithy.test#httpRequestTests"][0];
        case["params"]["N"] = json!("not a number");
        let (model, shapes) = load(&doc);
        let service = model.services.values().next().unwrap();
        let api = service.api.as_ref().unwrap();
        let file = test_file(service, api, &cases(&shapes, &api.shape_id, api)).unwrap();
        assert!(
            file.text.contains("case PutThingRequest cannot be generated: expected a integer value"),
            "{}",
            file.text
        );
    }
}

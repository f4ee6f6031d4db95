//! The endpoint rule parameters an operation sets on each call (`staticContextParams`,
//! `contextParam` members, `operationContextParams`), as statements on the `request` being built;
//! the runtime resolves the service's rules with them over the client's parameters.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::operations::fields;
use super::tokens::{ident, is_optional};
use super::types::Ctx;
use crate::model::{EndpointParamSource, Operation, Prim, Type};

/// `request.endpoint_param(..)` statements for `op` (none for most operations).
pub(super) fn call_params(ctx: &Ctx, op: &Operation) -> Vec<TokenStream> {
    let in_fields = fields(ctx, op.input.as_ref());
    let mut out = Vec::new();
    for p in &op.endpoint_params {
        let name = p.name.as_str();
        match &p.source {
            EndpointParamSource::Static(value) => {
                if let Some(v) = literal(value) {
                    out.push(quote! { request.endpoint_param(#name, #v); });
                }
            }
            EndpointParamSource::Member(member) => {
                let Some(f) = in_fields.iter().find(|f| &f.name == member) else { continue };
                let id = ident(&f.names.rust);
                let convert = match &f.ty {
                    Type::Prim(Prim::String) => quote! { rt::endpoint::ParamValue::String(v.clone()) },
                    Type::Prim(Prim::Boolean) => quote! { rt::endpoint::ParamValue::Bool(*v) },
                    Type::List(item) if **item == Type::Prim(Prim::String) => {
                        quote! { rt::endpoint::ParamValue::StringArray(v.clone()) }
                    }
                    // Enums and other values: their wire text, as the rules compare strings.
                    _ => {
                        quote! { rt::endpoint::ParamValue::String(rt::json::ToJson::to_json(v).as_str().map(str::to_owned).unwrap_or_default()) }
                    }
                };
                out.push(if is_optional(f) {
                    quote! { if let ::std::option::Option::Some(v) = &input.#id { request.endpoint_param(#name, #convert); } }
                } else {
                    quote! { { let v = &input.#id; request.endpoint_param(#name, #convert); } }
                });
            }
            EndpointParamSource::Path(path) => {
                out.push(quote! {
                    if let ::std::option::Option::Some(v) = rt::endpoint::context_path(&rt::json::ToJson::to_json(&input), #path)
                        .as_ref()
                        .and_then(rt::endpoint::ParamValue::from_json)
                    {
                        request.endpoint_param(#name, v);
                    }
                });
            }
        }
    }
    out
}

fn literal(value: &Value) -> Option<TokenStream> {
    Some(match value {
        Value::Bool(b) => quote! { rt::endpoint::ParamValue::Bool(#b) },
        Value::String(s) => quote! { rt::endpoint::ParamValue::String(::std::string::String::from(#s)) },
        Value::Array(items) => {
            let items = items.iter().map(|v| v.as_str()).collect::<Option<Vec<_>>>()?;
            quote! { rt::endpoint::ParamValue::StringArray(::std::vec![#( ::std::string::String::from(#items) ),*]) }
        }
        _ => return None,
    })
}

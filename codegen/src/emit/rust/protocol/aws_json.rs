//! awsJson1_0 and awsJson1_1: every operation is `POST /` with `X-Amz-Target:
//! <Service>.<Operation>` and the whole input as a JSON body (`{}` when there is none) of
//! type `application/x-amz-json-1.x`; HTTP binding traits and `jsonName` are not read. The
//! output is the JSON body; errors are named by `X-Amzn-ErrorType` or the body's `__type`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::types::Ctx;
use super::json;
use crate::model::{Api, Field, Operation, TypeDef};

/// awsJson of one version (`1.0` or `1.1`: they differ in the content type only).
pub struct AwsJson {
    pub version: &'static str,
}

impl super::Protocol for AwsJson {
    fn http_bindings(&self) -> bool {
        false
    }

    fn check(&self, api: &Api) -> Result<(), String> {
        json::check_host_prefixes(api)
    }

    fn structure_codec(&self, ctx: &Ctx, def: &TypeDef, fields: &[Field], ser: bool, de: bool) -> TokenStream {
        json::structure(ctx, def, fields, ser, de, false)
    }

    fn union_codec(&self, _ctx: &Ctx, def: &TypeDef, variants: &[Field]) -> TokenStream {
        json::union(def, variants, false)
    }

    fn error_decoder(&self, ctx: &Ctx, op: &Operation) -> TokenStream {
        json::error_decoder(ctx, op, &|_| Vec::new(), ctx.api.query_compatible)
    }

    fn operations_file(&self, ctx: &Ctx) -> TokenStream {
        let content_type = format!("application/x-amz-json-{}", self.version);
        // The target names the service shape, without its namespace.
        let service = ctx.api.shape_id.rsplit('#').next().unwrap_or_default();
        let ops = ctx.api.operations.values().map(|op| operation(ctx, op, service, &content_type));
        let helpers = json::operation_helpers();
        let doc = format!(
            " The awsJson{} mapping of every operation: `POST /` with `X-Amz-Target` and a JSON body,",
            self.version
        );
        quote! {
            #![doc = #doc]
            //! a JSON response body to the output or error.
            #![allow(unused_mut, unused_variables)]

            #helpers

            #( #ops )*
        }
    }
}

fn operation(ctx: &Ctx, op: &Operation, service: &str, content_type: &str) -> TokenStream {
    let target = format!("{service}.{}", op.name);
    let body = match op.input {
        Some(_) => quote! { rt::json::to_vec(&input) },
        None => quote! { b"{}".to_vec() },
    };
    let op_name = &op.name;
    let traits = json::request_traits(ctx, op);
    let output = match op.output {
        Some(_) => quote! { decode(#op_name, response) },
        None => quote! { ::std::result::Result::Ok(()) },
    };
    let params = super::super::endpoint::call_params(ctx, op);
    let build = quote! {
        let mut request = rt::Request::aws_json(#content_type, #target, #body);
        #( #params )*
        #traits
    };
    super::operation_fn(ctx, op, build, output)
}

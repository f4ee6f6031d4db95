//! restJson1: the HTTP bindings of [`super::rest`], the other members in a JSON body keyed by
//! `jsonName`; errors named by `X-Amzn-ErrorType` or the body's `code` / `__type`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::types::Ctx;
use super::json;
use super::rest::Body;
use crate::model::{Field, Operation, Type, TypeDef, TypeKind};

pub struct Json;

impl Body for Json {
    fn name(&self) -> &'static str {
        "restJson1"
    }

    fn structure_codec(&self, ctx: &Ctx, def: &TypeDef, fields: &[Field], ser: bool, de: bool) -> TokenStream {
        json::structure(ctx, def, fields, ser, de, true)
    }

    fn union_codec(&self, _ctx: &Ctx, def: &TypeDef, variants: &[Field]) -> TokenStream {
        json::union(def, variants, true)
    }

    fn helpers(&self) -> TokenStream {
        json::operation_helpers()
    }

    fn input_body(&self, _ctx: &Ctx, _op: &Operation) -> TokenStream {
        quote! { request.json_body(rt::json::to_vec(&input)); }
    }

    /// An unset structure payload is sent as `{}`, an unset union as no body.
    fn payload(&self, ctx: &Ctx, payload: &Field) -> (TokenStream, TokenStream) {
        let union = matches!(&payload.ty, Type::Named(n) if matches!(ctx.api.types.get(n).map(|d| &d.kind), Some(TypeKind::Union { .. })));
        let unset = if union {
            TokenStream::new()
        } else {
            quote! { request.json_body(b"{}".to_vec()); }
        };
        (quote! { request.json_body(rt::json::to_vec(v)); }, unset)
    }

    fn error_decoder(&self, ctx: &Ctx, op: &Operation, headers: &dyn Fn(&TypeDef) -> Vec<TokenStream>) -> TokenStream {
        json::error_decoder(ctx, op, headers, false)
    }
}

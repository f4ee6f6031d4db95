//! Protocols: how an operation's input becomes an HTTP request, and an HTTP response its
//! output or error. Each protocol is a module behind [`Protocol`]; the rest of the emitter
//! (types, errors, builders, client methods) asks it for every piece of wire code and holds
//! none itself, so a protocol is added here without touching shape code.

mod aws_json;
mod json;
mod rest_json;

use proc_macro2::TokenStream;

use super::types::Ctx;
use crate::model::{Api, Field, Operation, Protocol as Wire, TypeDef};

/// One wire protocol of the generated clients.
pub trait Protocol: Sync {
    /// Whether members bound to HTTP (`httpLabel`, `httpQuery`, `httpHeader`, `httpPayload`,
    /// `httpResponseCode`) travel outside the body. Protocols that ignore these traits put every
    /// member in the body.
    fn http_bindings(&self) -> bool;

    /// Features of `api` this protocol cannot generate, as the reason (`Ok` when it can).
    fn check(&self, api: &Api) -> Result<(), String>;

    /// How a structure reads and writes itself on the wire, placed after the structure in
    /// `types.rs`: serialization when `ser`, deserialization when `de`.
    fn structure_codec(&self, ctx: &Ctx, def: &TypeDef, fields: &[Field], ser: bool, de: bool) -> TokenStream;

    /// The same for a union.
    fn union_codec(&self, ctx: &Ctx, def: &TypeDef, variants: &[Field]) -> TokenStream;

    /// The `impl` block of an operation's error enum that reads it from an error response
    /// (`pub(crate) fn from_response(&rt::Response) -> Self`).
    fn error_decoder(&self, ctx: &Ctx, op: &Operation) -> TokenStream;

    /// `operations.rs`: per operation, `pub(crate) async fn <op>(client, input)` that sends the
    /// request and maps the response to the output or the error enum.
    fn operations_file(&self, ctx: &Ctx) -> TokenStream;
}

static REST_JSON_1: rest_json::RestJson1 = rest_json::RestJson1;
static AWS_JSON_1_0: aws_json::AwsJson = aws_json::AwsJson { version: "1.0" };
static AWS_JSON_1_1: aws_json::AwsJson = aws_json::AwsJson { version: "1.1" };

/// The protocol of `api`, or why its client cannot be generated.
pub fn for_api(api: &Api) -> Result<&'static dyn Protocol, String> {
    let protocol: &'static dyn Protocol = match api.protocol {
        Wire::RestJson1 => &REST_JSON_1,
        Wire::AwsJson1_0 => &AWS_JSON_1_0,
        Wire::AwsJson1_1 => &AWS_JSON_1_1,
        ref other => {
            return Err(format!(
                "unsupported protocol {} (restJson1, awsJson1_0 and awsJson1_1 are generated)",
                other.name()
            ))
        }
    };
    protocol.check(api)?;
    Ok(protocol)
}

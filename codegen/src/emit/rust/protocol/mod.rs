//! Protocols: how an operation's input becomes an HTTP request, and an HTTP response its
//! output or error. Each protocol is a module behind [`Protocol`]; the rest of the emitter
//! (types, errors, builders, client methods) asks it for every piece of wire code and holds
//! none itself, so a protocol is added here without touching shape code.
//!
//! Every function a protocol writes for a shape or an operation (codecs, `from_response`, the
//! operation's request) is `#[inline]`: rustc then compiles it in the programs that use it
//! rather than in the service crate, whose clean build would otherwise compile the codecs of every
//! shape and every operation while a program calls a handful.

mod aws_json;
mod json;
mod query;
mod rest;
mod rest_json;
mod rest_xml;
mod xml;

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{error_name, fields, type_path};
use super::tokens::ident;
use super::types::Ctx;
use crate::model::{Api, Field, Operation, Protocol as Wire, TypeDef};

/// `pub(crate) fn <op>(client, input) -> Result<rt::Call<Output, Error>, _>`, the same in every protocol:
/// idempotency tokens, input validation, the protocol's statements that build `request` (with the
/// operation's endpoint parameters and request traits, in the protocol's order), and `output`, the
/// protocol's decoding of `response`, as the call's output function.
///
/// Nothing here is `async`: the one send of every operation is the runtime's `Client::call`, so a
/// crate type-checks no state machine per operation (they cost about a third of a crate's build).
fn operation_fn(ctx: &Ctx, op: &Operation, build: TokenStream, output: TokenStream) -> TokenStream {
    let name = ident(&op.names.rust);
    let input_ty = type_path(ctx, op.input.as_ref());
    let output_ty = type_path(ctx, op.output.as_ref());
    let error = error_name(op);
    let tokens = json::idempotency_tokens(fields(ctx, op.input.as_ref()));
    let validate = op.input.as_ref().map(|_| quote! { input.validate().map_err(rt::SdkError::Validation)?; });
    quote! {
        // Inline: compiled only in the programs that call the operation, not in the crate.
        #[inline]
        pub(crate) fn #name(
            client: &rt::Client,
            input: #input_ty,
        ) -> ::std::result::Result<
            rt::Call<#output_ty, crate::error::#error>,
            rt::SdkError<crate::error::#error>,
        > {
            #( #tokens )*
            #validate
            #build
            ::std::result::Result::Ok(rt::Call {
                request,
                error: crate::error::#error::from_response,
                output: |response| { #output },
            })
        }
    }
}

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

    /// `operations.rs`: per operation, `pub(crate) fn <op>(client, input)` that builds the request and
    /// says how the response maps to the output or the error enum.
    fn operations_file(&self, ctx: &Ctx) -> TokenStream;
}

static REST_JSON_1: rest::Rest = rest::Rest { body: &rest_json::Json };
static REST_XML: rest::Rest = rest::Rest { body: &rest_xml::Xml };
static AWS_JSON_1_0: aws_json::AwsJson = aws_json::AwsJson { version: "1.0" };
static AWS_JSON_1_1: aws_json::AwsJson = aws_json::AwsJson { version: "1.1" };
static AWS_QUERY: query::Query = query::Query { ec2: false };
static EC2_QUERY: query::Query = query::Query { ec2: true };

/// The protocol of `api`, or why its client cannot be generated.
pub fn for_api(api: &Api) -> Result<&'static dyn Protocol, String> {
    let protocol: &'static dyn Protocol = match api.protocol {
        Wire::RestJson1 => &REST_JSON_1,
        Wire::AwsJson1_0 => &AWS_JSON_1_0,
        Wire::AwsJson1_1 => &AWS_JSON_1_1,
        Wire::RestXml => {
            xml::check_no_documents(api, "restXml")?;
            &REST_XML
        }
        Wire::AwsQuery => &AWS_QUERY,
        Wire::Ec2Query => &EC2_QUERY,
        ref other => {
            return Err(format!(
            "unsupported protocol {} (restJson1, awsJson1_0, awsJson1_1, restXml, awsQuery and ec2Query are generated)",
            other.name()
        ))
        }
    };
    protocol.check(api)?;
    Ok(protocol)
}

/// Whether the crate of `api` needs the runtime's `xml` feature (XML bodies, Query forms).
pub fn needs_xml(api: &Api) -> bool {
    matches!(api.protocol, Wire::AwsQuery | Wire::Ec2Query | Wire::RestXml)
}

/// An error's message, keyed by its member name: services spell it `message` or `Message`
/// whatever the model says (STS's model says `message`, its XML says `<Message>`); the model's
/// spelling wins when both are there.
pub(super) fn second_spelling(ctx: &Ctx, def: &TypeDef, f: &Field, wire: &str) -> Option<&'static str> {
    if !ctx.optional(&def.name, f) || def.error.is_none() || wire != f.name {
        return None;
    }
    match wire {
        "message" => Some("Message"),
        "Message" => Some("message"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::types::Ctx;
    use super::for_api;
    use crate::model::Api;

    /// One service with `protocol`: `PutThing` and `GetThing` share an input whose `Tags` member
    /// has a `jsonName` and whose `Id` is bound to a header; `GetThing` can fail with `Oops`.
    fn api(protocol: &str) -> Api {
        let shapes = json!({
            "ex#Svc": {
                "type": "service", "version": "2020-01-01",
                "operations": [{ "target": "ex#PutThing" }, { "target": "ex#GetThing" }],
                "traits": { (format!("aws.protocols#{protocol}")): {}, "aws.api#service": { "sdkId": "Ex" } }
            },
            "ex#PutThing": { "type": "operation", "input": { "target": "ex#ThingInput" },
                "traits": { "smithy.api#http": { "method": "PUT", "uri": "/things", "code": 200 } } },
            "ex#GetThing": { "type": "operation", "input": { "target": "ex#ThingInput" },
                "output": { "target": "ex#ThingOutput" }, "errors": [{ "target": "ex#Oops" }],
                "traits": { "smithy.api#http": { "method": "POST", "uri": "/things/get", "code": 200 } } },
            "ex#ThingInput": { "type": "structure", "members": {
                "Id": { "target": "smithy.api#String", "traits": { "smithy.api#httpHeader": "x-id" } },
                "Tags": { "target": "ex#Tags", "traits": { "smithy.api#jsonName": "tags" } } } },
            "ex#ThingOutput": { "type": "structure", "members": {
                "Count": { "target": "smithy.api#Integer", "traits": { "smithy.api#default": 3 } } } },
            "ex#Oops": { "type": "structure", "members": { "Message": { "target": "smithy.api#String" } },
                "traits": { "smithy.api#error": "client" } },
            "ex#Tags": { "type": "list", "member": { "target": "smithy.api#String" } }
        });
        // Tests run in parallel threads of one process: each call gets its own folder.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("codegen-protocol-seam-{}-{protocol}-{call}", std::process::id()));
        std::fs::create_dir_all(dir.join("smithy")).expect("temp dir");
        let file = dir.join("smithy/ex.json");
        std::fs::write(&file, json!({ "smithy": "2.0", "shapes": shapes }).to_string()).expect("write model");
        let files = crate::read::SpecFiles { cloudformation: Vec::new(), smithy: vec![file] };
        let model = crate::load_files(&dir, &files).expect("the model loads");
        let _ = std::fs::remove_dir_all(&dir);
        model.services.into_values().find_map(|s| s.api).expect("an API")
    }

    fn text(tokens: proc_macro2::TokenStream) -> String {
        tokens.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// `operations.rs`, `types.rs` and `error.rs` of the API's client, as token text.
    fn files(api: &Api) -> (String, String, String) {
        let protocol = for_api(api).expect("a supported protocol");
        let ctx = Ctx::new(api, protocol);
        (
            text(protocol.operations_file(&ctx)),
            text(super::super::types::file(&ctx)),
            text(super::super::operations::errors_file(&ctx)),
        )
    }

    #[test]
    fn aws_json_posts_the_whole_input_to_the_target_without_json_names() {
        for (protocol, content_type) in
            [("awsJson1_0", "application/x-amz-json-1.0"), ("awsJson1_1", "application/x-amz-json-1.1")]
        {
            let api = api(protocol);
            let (ops, types, errors) = files(&api);
            assert!(
                ops.contains(&format!("rt :: Request :: aws_json (\"{content_type}\" , \"Svc.PutThing\"")),
                "{ops}"
            );
            assert!(ops.contains("\"Svc.GetThing\""), "{ops}");
            // No HTTP bindings: no header, the URI of the http trait is not used.
            assert!(!ops.contains("x-id") && !ops.contains("/things"), "{ops}");
            // Members keyed by their names, header-bound ones included.
            assert!(types.contains("o . put_opt (\"Tags\"") && types.contains("o . put_opt (\"Id\""), "{types}");
            assert!(!types.contains("\"tags\""), "{types}");
            // A missing output member with a default reads as the default.
            assert!(types.contains("rt :: json :: or_default_text (\"Count\" , count , \"3\")"), "{types}");
            assert!(errors.contains("Some (\"Oops\")"), "{errors}");
        }
    }

    #[test]
    fn rest_json_binds_members_to_http_and_keys_the_body_by_json_name() {
        let api = api("restJson1");
        let (ops, types, _) = files(&api);
        assert!(ops.contains("rt :: Request :: new (\"PUT\""), "{ops}");
        assert!(ops.contains("\"x-id\""), "{ops}");
        assert!(!ops.contains("aws_json"), "{ops}");
        assert!(types.contains("o . put_opt (\"tags\""), "{types}");
        assert!(!types.contains("\"Id\""), "the header-bound member stays out of the body: {types}");
    }

    #[test]
    fn operations_sharing_an_input_each_send_their_own() {
        let api = api("awsJson1_0");
        let inputs: Vec<Option<&str>> = api.operations.values().map(|op| op.input.as_deref()).collect();
        // Operations in name order: GetThing keeps the shape, PutThing gets a copy.
        assert_eq!(inputs, [Some("ThingInput"), Some("PutThingInput")]);
        let protocol = for_api(&api).expect("a supported protocol");
        let builders = text(super::super::operations::builders_file(&Ctx::new(&api, protocol)));
        assert!(builders.contains("crate :: operations :: get_thing (& client . inner , input)"), "{builders}");
        assert!(builders.contains("crate :: operations :: put_thing (& client . inner , input)"), "{builders}");
    }

    #[test]
    fn query_protocols_post_a_form_and_read_xml() {
        for (protocol, wrapper) in [("awsQuery", "Some (\"GetThingResult\")"), ("ec2Query", "None")] {
            let api = api(protocol);
            let (ops, types, errors) = files(&api);
            assert!(ops.contains("rt :: query :: Form :: new (\"PutThing\" , \"2020-01-01\")"), "{ops}");
            assert!(ops.contains("\"application/x-www-form-urlencoded\""), "{ops}");
            assert!(
                ops.contains(&format!("decode (\"GetThing\" , response , :: std :: option :: Option :: {wrapper})")),
                "{ops}"
            );
            // No HTTP bindings: the header-bound member is a form member like the others.
            assert!(!ops.contains("x-id") && types.contains("rt :: query :: key (prefix , \"Id\")"), "{types}");
            assert!(types.contains("rt :: query :: key (prefix , \"Tags\")"), "{types}");
            assert!(types.contains("m . optional_or :: < i32 > (\"Count\""), "{types}");
            assert!(
                errors.contains("rt :: xml :: error_meta (response)") && errors.contains("Some (\"Oops\")"),
                "{errors}"
            );
        }
        // ec2Query flattens every list of a form; awsQuery keeps `member`.
        let (_, ec2_types, _) = files(&api("ec2Query"));
        assert!(ec2_types.contains("member : \"member\" , flat : true"), "{ec2_types}");
        let (_, query_types, _) = files(&api("awsQuery"));
        assert!(query_types.contains("member : \"member\" , flat : false"), "{query_types}");
    }

    #[test]
    fn rest_xml_binds_members_to_http_and_writes_the_rest_as_xml() {
        let api = api("restXml");
        let (ops, types, errors) = files(&api);
        assert!(ops.contains("rt :: Request :: new (\"PUT\""), "{ops}");
        assert!(ops.contains("\"x-id\""), "{ops}");
        // The body's root is named after the input; `Tags` is an element of it, `Id` a header.
        assert!(ops.contains("rt :: xml :: to_vec (\"ThingInput\" , & input"), "{ops}");
        assert!(types.contains("element . put_opt (\"Tags\""), "{types}");
        assert!(!types.contains("element . put_opt (\"Id\""), "{types}");
        assert!(errors.contains("rt :: xml :: error_meta (response)"), "{errors}");
    }

    #[test]
    fn a_service_without_a_protocol_is_reported_unsupported() {
        let api = Api { protocol: crate::model::Protocol::None, ..Api::default() };
        let reason = for_api(&api).err().expect("unsupported");
        assert!(reason.contains("unsupported protocol none"), "{reason}");
    }
}

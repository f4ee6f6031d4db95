//! The first program a user of a crate writes: a client from the environment, a call whose
//! modelled error is matched, every page of a list, and a client with its own timeouts and
//! retries. The crate's documentation runs it as a doctest (so it builds), and the docs site's
//! "Call with Rust" guide shows the same text.

use std::collections::BTreeSet;

use super::operations::paging_tokens;
use super::snippets::Snippets;
use crate::model::{Field, Operation, Prim, Type, TypeDef, TypeKind};

/// The tokio a program needs (`#[tokio::main]` on the multi-threaded runtime): a crate's
/// dev-dependency for its doctest, and the line the guide's `Cargo.toml` adds.
pub const TOKIO_DEPENDENCY: &str =
    "tokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"time\"] }";

/// The program for the crate of `snippets`, or `None` for an API with no operation to call
/// this way (every operation needs a structured input, or none is paginated).
pub fn program(snippets: &Snippets) -> Option<String> {
    let ctx = snippets.ctx();
    let api = ctx.api;
    let krate = snippets.crate_ident();
    // Reads first (`readonly`, or an HTTP GET): the program is meant to be run, and a read
    // changes nothing.
    let reads = |op: &&Operation| op.readonly || op.http.as_ref().is_some_and(|h| h.method == "GET");
    let by_readonly = || api.operations.values().filter(reads).chain(api.operations.values().filter(|op| !reads(op)));
    // The call: a read with the fewest inputs to make up, and of its errors the one a first
    // call most likely meets (a resource not found), else the first.
    let call = by_readonly()
        .filter_map(|op| {
            let (input, required) = string_inputs(api, op)?;
            let errors = || op.errors.iter().filter_map(|e| api.types.get(e));
            let error = errors().find(|e| e.names.pascal.contains("NotFound")).or_else(|| errors().next())?;
            Some((op, input, required, error))
        })
        .min_by_key(|(op, _, required, _)| (!reads(op), required.len()))?;
    let page = by_readonly().find_map(|op| {
        paging_tokens(ctx, op)?;
        let (input, required) = string_inputs(api, op)?;
        Some((op, input, required))
    })?;

    let (call_op, call_input, call_required, error) = call;
    let (page_op, page_input, page_required) = page;
    let types: BTreeSet<&str> = [call_input.names.pascal.as_str(), page_input.names.pascal.as_str()].into();
    let types: Vec<&str> = types.into_iter().collect();
    let setters = |input: &TypeDef, required: &[&Field]| -> String {
        required
            .iter()
            .map(|f| format!("\n        .{}({})", f.names.rust, snippets.setter_value(&input.name, f)))
            .collect()
    };
    Some(format!(
        "use std::time::Duration;\n\
         \n\
         use {krate}::error::{call_error};\n\
         use {krate}::types::{types};\n\
         use {krate}::{{next_page, Client, Config, Credentials, RetryConfig, SdkError}};\n\
         \n\
         #[tokio::main]\n\
         async fn main() -> Result<(), Box<dyn std::error::Error>> {{\n    \
             // Region and credentials from AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY\n    \
             // (and AWS_SESSION_TOKEN); AWS_ENDPOINT_URL sends the calls elsewhere.\n    \
             let client = Client::from_env()?;\n\
             \n    \
             // A call: the builder checks required members and constraints before sending.\n    \
             let result = {call_input}::builder(){call_setters}\n        \
                 .send(&client)\n        \
                 .await;\n    \
             match result {{\n        \
                 Ok(output) => println!(\"{{output:?}}\"),\n        \
                 // The errors the model lists for the operation are variants of its error enum.\n        \
                 Err(SdkError::Service({call_error}::{variant}(e))) => println!(\"{variant}: {{e}}\"),\n        \
                 // Anything else: a transport error, a response that could not be read, ...\n        \
                 Err(other) => return Err(other.into()),\n    \
             }}\n\
             \n    \
             // Every page of a list, following its token until the service stops returning one.\n    \
             let input = {page_input}::builder(){page_setters}\n        \
                 .build()?;\n    \
             let mut pages = std::pin::pin!(client.{page_method}_paginator(input));\n    \
             while let Some(page) = next_page(&mut pages).await {{\n        \
                 println!(\"{{:?}}\", page?);\n    \
             }}\n\
             \n    \
             // Timeouts and retries have defaults (30 s an attempt, 60 s a call, 3 attempts);\n    \
             // a client with others:\n    \
             let config = Config::builder()\n        \
                 .region(\"us-east-1\")\n        \
                 .credentials(Credentials::from_env()?)\n        \
                 .timeout(Duration::from_secs(10))\n        \
                 .operation_timeout(Duration::from_secs(120))\n        \
                 .retry(RetryConfig {{ max_attempts: 5, ..RetryConfig::default() }})\n        \
                 .build()?;\n    \
             let patient = Client::new(config)?;\n    \
             println!(\"{{patient:?}}\");\n    \
             Ok(())\n\
         }}\n",
        call_error = super::operations::error_name(call_op),
        types = if types.len() == 1 { types[0].to_string() } else { format!("{{{}}}", types.join(", ")) },
        call_input = call_input.names.pascal,
        call_setters = setters(call_input, &call_required),
        variant = error.names.pascal,
        page_input = page_input.names.pascal,
        page_setters = setters(page_input, &page_required),
        page_method = page_op.names.snake,
    ))
}

/// `op`'s input structure and its required members, when they are all strings (so the
/// program reads plainly: `.api_id("example")`).
fn string_inputs<'a>(api: &'a crate::model::Api, op: &Operation) -> Option<(&'a TypeDef, Vec<&'a Field>)> {
    let input = api.types.get(op.input.as_ref()?)?;
    let TypeKind::Struct { fields, .. } = &input.kind else { return None };
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    required.iter().all(|f| f.ty == Type::Prim(Prim::String)).then_some((input, required))
}

//! Rust client crates: one crate per Smithy service with a supported protocol,
//! rendered with `quote!` and formatted with prettyplease. Shared logic
//! (transport, signing, retries, error plumbing) lives in the hand-written
//! `aws-codegen-runtime` crate, so the generated code stays thin.

pub(crate) mod doc;
mod endpoint;
pub mod getting_started;
mod operations;
mod protocol;
pub mod protocol_tests;
mod readme;
pub mod snippets;
mod tokens;
mod types;

use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;

use crate::emit::{Outputs, MARKER};
use crate::error::{Error, Result};
use crate::model::{Api, Operation, Prim, Service, Type, TypeKind};
use snippets::Snippets;
use types::Ctx;

/// Where client crates go, below the output root.
pub const RUST_ROOT: &str = "generated/rust";

/// The runtime crate's path as the generated `Cargo.toml` names it, relative to
/// the crate folder when the output root is the repository root.
pub const DEFAULT_RUNTIME_PATH: &str = "../../../runtime";

/// The runtime's version, which generated crates require beside its path (a registry copy of a
/// crate keeps only the version); a test checks it against `runtime/Cargo.toml`.
pub const RUNTIME_VERSION: &str = "0.1.0";

/// The project's repository as the workspace root's `Cargo.toml` sets it (`[workspace.package]
/// repository`, inherited by this crate and by the runtime): what generated crates name unless
/// [`CrateSettings::repository`] says otherwise.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// What the generated crates' manifests point at outside themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateSettings {
    /// The runtime's folder, relative to a crate's folder.
    pub runtime_path: String,
    /// The `repository` field (`generate --repository URL`).
    pub repository: String,
}

impl Default for CrateSettings {
    fn default() -> Self {
        CrateSettings { runtime_path: DEFAULT_RUNTIME_PATH.to_owned(), repository: REPOSITORY.to_owned() }
    }
}

/// The crate name users search for: `aws-apigatewayv2-client`.
pub fn crate_name(service: &Service) -> String {
    format!("aws-{}-client", service.id)
}

/// Emits a crate per service that has an API; services whose protocol is not
/// supported are listed in `skipped` with the reason, so a whole corpus can run.
/// `snippets` is [`snippets::Snippets::new`] of the service: there are some
/// exactly when the API is supported.
pub fn emit(service: &Service, snippets: Option<&Snippets>, settings: &CrateSettings, out: &mut Outputs) -> Result<()> {
    let Some(api) = &service.api else { return Ok(()) };
    if let Err(reason) = supported(api) {
        out.skipped.push(format!("rust client for {}: {reason}", service.id));
        return Ok(());
    }
    let Some(snippets) = snippets else { return Ok(()) };
    emit_crate(service, snippets, settings, out)
}

/// `Ok` for models the emitter handles, else the unsupported protocol or feature.
pub fn supported(api: &Api) -> std::result::Result<(), String> {
    protocol::for_api(api).map(|_| ())
}

fn emit_crate(service: &Service, snippets: &Snippets, settings: &CrateSettings, out: &mut Outputs) -> Result<()> {
    let ctx = snippets.ctx();
    let api = ctx.api;
    let dir = format!("{RUST_ROOT}/{}", crate_name(service));
    // Type names of this crate: where one shadows a prelude name, paths stay in full.
    let mut shadowed: std::collections::BTreeSet<String> = api.types.values().map(|d| d.names.pascal.clone()).collect();
    shadowed.insert("Client".into());
    type Render = fn(&Service, &Snippets) -> TokenStream;
    let files: [(&str, Render); 6] = [
        ("src/lib.rs", lib_file),
        ("src/types.rs", |_, s| types::file(s.ctx())),
        ("src/error.rs", |_, s| operations::errors_file(s.ctx())),
        ("src/builders.rs", |_, s| operations::builders_file(s.ctx())),
        ("src/operations.rs", |_, s| s.ctx().protocol.operations_file(s.ctx())),
        ("src/client.rs", |service, s| client_file(service, s.ctx())),
    ];
    // Formatting is most of the cost, and a big service is the last one left
    // running: its files format in parallel too.
    let rendered: Vec<Result<(String, String)>> = files
        .par_iter()
        .map(|(path, render)| {
            let path = format!("{dir}/{path}");
            let (tokens, uses_runtime) = tokens::simplify_paths(render(service, snippets), &shadowed);
            let text = rust_file(&path, tokens, uses_runtime)?;
            Ok((path, text))
        })
        .collect();
    for file in rendered {
        let (path, text) = file?;
        out.insert(path, text);
    }
    out.insert(format!("{dir}/Cargo.toml"), cargo_toml(service, api, settings));
    out.insert(format!("{dir}/README.md"), readme::readme(service, api));
    // The docs show each operation in full and, for resource pages, with only
    // its required inputs: both forms are compiled here.
    let mut calls = std::collections::BTreeMap::new();
    for op in api.operations.values() {
        calls.insert(op.names.snake.clone(), snippets.call(op, true));
        if !op.resources.is_empty() {
            calls.insert(format!("{}_required", op.names.snake), snippets.call(op, false));
        }
    }
    out.insert(format!("{dir}/examples/snippets.rs"), format!("// {MARKER}\n\n{}", snippets.examples_file(&calls)));
    Ok(())
}

/// Formats tokens as a file with the generated preamble. Paths into the runtime
/// are written `rt::...`, through one `use` at the top of the file.
fn rust_file(path: &str, tokens: TokenStream, uses_runtime: bool) -> Result<String> {
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| Error::Output { file: path.into(), message: format!("generated code does not parse: {e}") })?;
    if uses_runtime {
        file.items.insert(0, syn::parse_quote! { use ::aws_codegen_runtime as rt; });
    }
    Ok(format!("// {MARKER}\n\n{}", prettyplease::unparse(&file)))
}

/// Whether `op`'s body is gzipped (`requestCompression` with `gzip`, the one encoding the runtime
/// has; other encodings are left out, as the AWS SDKs do with those they lack).
pub(crate) fn gzip_request(op: &Operation) -> bool {
    op.request.compression.iter().any(|e| e == "gzip")
}

fn cargo_toml(service: &Service, api: &Api, settings: &CrateSettings) -> String {
    let name = crate_name(service);
    let CrateSettings { runtime_path, repository } = settings;
    // The runtime's gzip is a feature of its own, on only where an operation compresses.
    // So is XML, on only for the protocols that need it.
    let mut wanted = Vec::new();
    if api.operations.values().any(gzip_request) {
        wanted.push("\"request-compression\"");
    }
    if protocol::needs_xml(api) {
        wanted.push("\"xml\"");
    }
    let features = if wanted.is_empty() { String::new() } else { format!(", features = [{}]", wanted.join(", ")) };
    let title = api.title.clone().unwrap_or_else(|| api.sdk_id.clone());
    let keywords: Vec<String> = ["aws", "sdk", "client", service.id.as_str()]
        .iter()
        .filter(|k| keyword(k))
        .map(|k| format!("\"{k}\""))
        .collect();
    format!(
        "# {MARKER}\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         rust-version = \"1.85\"\n\
         description = \"Typed async client for {title} (API version {}), generated from its Smithy model.\"\n\
         license = \"Apache-2.0\"\n\
         readme = \"README.md\"\n\
         repository = \"{repository}\"\n\
         keywords = [{}]\n\
         categories = [\"api-bindings\", \"web-programming::http-client\"]\n\
         \n\
         [package.metadata.docs.rs]\n\
         all-features = true\n\
         \n\
         [dependencies]\n\
         # By version for a registry, by path to build in place (a packaged copy keeps the version only).\n\
         aws-codegen-runtime = {{ version = \"{RUNTIME_VERSION}\", path = \"{runtime_path}\", default-features = false{features} }}\n\
         futures-core = \"0.3\"\n\
         \n\
         # For the crate documentation's first program (a doctest): `#[tokio::main]`.\n\
         [dev-dependencies]\n\
         {tokio}\n\
         \n\
         [features]\n\
         default = [\"rustls\", \"credential-chain\"]\n\
         # HTTPS through rustls; without it the client speaks plain HTTP only (local endpoints).\n\
         rustls = [\"aws-codegen-runtime/rustls\"]\n\
         # Credentials and settings from profiles, roles, SSO, containers and EC2, as the AWS SDKs find\n\
         # them; without it, from the environment or the builder only (a faster build).\n\
         credential-chain = [\"aws-codegen-runtime/credential-chain\"]\n",
        api.version,
        keywords.join(", "),
        tokio = getting_started::TOKIO_DEPENDENCY,
    )
}

/// Whether crates.io takes `k` as a keyword: ASCII letters first, then letters, digits, `_`, `-`;
/// at most 20 characters.
fn keyword(k: &str) -> bool {
    k.len() <= 20
        && k.starts_with(|c: char| c.is_ascii_alphabetic())
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn lib_file(service: &Service, snippets: &Snippets) -> TokenStream {
    let api = snippets.ctx().api;
    let crate_ident = crate_name(service).replace('-', "_");
    let title = api.title.clone().unwrap_or_else(|| api.sdk_id.clone());
    let mut docs = vec![
        format!(" Typed async client for {title}, API version `{}`.", api.version),
        String::new(),
        format!(
            " Generated from the service's Smithy model: one method per operation ({} in all) on [`Client`],",
            api.operations.len()
        ),
        " the model's shapes in [`types`], one error enum per operation in [`error`].".into(),
        String::new(),
    ];
    if let Some(text) = api.doc.as_deref().map(doc::markdown).filter(|t| !t.is_empty()) {
        docs.extend(text.lines().map(|l| format!(" {l}")));
        docs.push(String::new());
    }
    // A whole program where the API allows one (tokio, a call, error matching, paging);
    // otherwise one call.
    let example = match getting_started::program(snippets) {
        Some(program) => format!("# Example\n\n```no_run\n{program}```"),
        None => example(api, &crate_ident),
    };
    docs.extend(example.lines().map(|l| format!(" {l}")));
    docs.extend(endpoint_docs(api).lines().map(|l| format!(" {l}")));
    let docs = docs.iter();
    quote! {
        #( #![doc = #docs] )*
        // Deprecated shapes are still part of the API; users see their own warnings.
        #![allow(deprecated)]
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::tabs_in_doc_comments)]

        mod builders;
        mod client;
        pub mod error;
        mod operations;
        pub mod types;

        pub use builders::*;
        pub use client::Client;
        // `Stream` and `next_page`: what walking a paginator's pages needs, without a
        // dependency of the user's own.
        pub use ::aws_codegen_runtime::{
            credentials, json, next_page, Blob, Config, ConfigBuilder, ConfigError, ConfigLoader, Credentials, DateTime,
            Document, RetryConfig, SdkError, Stream, UnhandledError, ValidationError,
        };
    }
}

/// How the crate chooses its endpoint, and the settings that change it.
fn endpoint_docs(api: &Api) -> String {
    let mut text = String::from("\n# Endpoints\n\n");
    if api.endpoint_rules.is_some() && api.partitions.is_some() {
        text.push_str(
            "The endpoint is chosen by the service's own endpoint rules (its Smithy model's\n\
             `smithy.rules#endpointRuleSet`, embedded in this crate with the AWS partition data and\n\
             evaluated by the runtime), as the official SDKs choose it. What changes it: the region,\n\
             `ConfigBuilder::use_fips` (`AWS_USE_FIPS_ENDPOINT`), `ConfigBuilder::use_dual_stack`\n\
             (`AWS_USE_DUALSTACK_ENDPOINT`), `ConfigBuilder::endpoint_url` (`AWS_ENDPOINT_URL_<SERVICE>`,\n\
             then `AWS_ENDPOINT_URL`) and `ConfigBuilder::endpoint_param` for the rules' other parameters.\n\
             A combination the rules reject (such as a custom endpoint with FIPS) makes `Client::new`\n\
             fail with `ConfigError::Endpoint` and the rules' message.",
        );
    } else {
        text.push_str(
            "`https://{endpoint prefix}.{region}.amazonaws.com` (`.amazonaws.com.cn` in `cn-` regions),\n\
             or `ConfigBuilder::endpoint_url` (`AWS_ENDPOINT_URL`): this crate was generated without\n\
             endpoint rules or partition data.",
        );
    }
    text
}

/// A compiled crate-level example: the first operation whose required inputs are
/// all strings, called through its builder.
fn example(api: &Api, crate_ident: &str) -> String {
    let pick = api.operations.values().find_map(|op| {
        let input = api.types.get(op.input.as_ref()?)?;
        let TypeKind::Struct { fields, .. } = &input.kind else { return None };
        let required: Vec<_> = fields.iter().filter(|f| f.required).collect();
        required.iter().all(|f| f.ty == Type::Prim(Prim::String)).then_some((op, input, required))
    });
    let Some((op, input, required)) = pick else { return String::new() };
    let setters: String = required.iter().map(|f| format!("\n    .{}(\"example\")", f.names.rust)).collect();
    format!(
        "# Example\n\n\
         ```no_run\n\
         use {crate_ident}::{{Client, Config}};\n\
         \n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         // Region, settings and credentials as the AWS SDKs find them: the environment, the\n\
         // shared config and credentials files (profiles, roles, SSO), containers and EC2.\n\
         let client = Client::new(Config::from_env()?)?;\n\
         let output = {crate_ident}::types::{input}::builder(){setters}\n    .send(&client)\n    .await?;\n\
         println!(\"{{output:?}}\");\n\
         # Ok(())\n\
         # }}\n\
         ```\n\n\
         The same call without the builder: `client.{op}(input).await`, where `input` is a\n\
         [`types::{input}`] (its `validate` method checks the model's constraints).",
        input = input.names.pascal,
        op = op.names.snake,
    )
}

fn client_file(service: &Service, ctx: &Ctx) -> TokenStream {
    let api = ctx.api;
    let service_id = &api.sdk_id;
    let signing = api.signing_name.clone().unwrap_or_else(|| service.id.clone());
    let prefix = api.endpoint_prefix.clone().unwrap_or_else(|| signing.clone());
    let version = &api.version;
    // The rules and partition data go in as JSON text, read by the runtime's rules engine when a
    // client is made; without partition data the crate falls back to the endpoint prefix rule.
    let (rules, partitions) = match (&api.endpoint_rules, &api.partitions) {
        (Some(rules), Some(partitions)) => (rules.as_str(), partitions.as_str()),
        _ => ("", ""),
    };
    let methods = operations::client_methods(ctx);
    quote! {
        //! The client: one async method per operation.

        /// What the runtime needs to know about this service.
        static SERVICE: rt::ServiceInfo = rt::ServiceInfo {
            service_id: #service_id,
            signing_name: #signing,
            endpoint_prefix: #prefix,
            api_version: #version,
            endpoint_rules: #rules,
            partitions: #partitions,
        };

        /// A client for the service. Cheap to clone: clones share one connection pool.
        /// Its `Debug` shows the service and configuration, credentials redacted.
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(crate) inner: rt::Client,
        }

        impl Client {
            /// A client with the given configuration.
            pub fn new(config: rt::Config) -> ::std::result::Result<Self, rt::ConfigError> {
                ::std::result::Result::Ok(Self { inner: rt::Client::new(&SERVICE, config)? })
            }

            /// A client configured as the AWS SDKs are: environment variables, the shared config and
            /// credentials files, the default credential chain (see `Config::from_env`).
            pub fn from_env() -> ::std::result::Result<Self, rt::ConfigError> {
                Self::new(rt::Config::from_env()?)
            }

            /// The configuration in use.
            pub fn config(&self) -> &rt::Config {
                self.inner.config()
            }

            #methods
        }
    }
}

#[cfg(test)]
mod manifest_tests {
    use super::*;

    #[test]
    fn keywords() {
        for ok in ["aws", "apigatewayv2", "sso-oidc", "a_b"] {
            assert!(keyword(ok), "{ok}");
        }
        for bad in ["", "1password", "a.b", "averyveryverylongservicename"] {
            assert!(!keyword(bad), "{bad}");
        }
    }

    #[test]
    fn runtime_version_is_the_runtimes() {
        let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/Cargo.toml")).unwrap();
        let version = manifest.lines().find_map(|l| l.strip_prefix("version = ")).unwrap();
        assert_eq!(version.trim_matches('"'), RUNTIME_VERSION);
    }

    /// The repository is set once, in the workspace root's manifest: the hand-written crates inherit
    /// it and the generator reads it, so none of them can name another.
    #[test]
    fn repository_is_the_workspaces() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let read = |path: &str| std::fs::read_to_string(format!("{root}/{path}")).unwrap();
        let workspace = read("Cargo.toml");
        assert!(workspace.contains(&format!("\nrepository = \"{REPOSITORY}\"\n")), "{REPOSITORY}");
        for krate in ["runtime", "credentials-sts", "credentials-sso", "codegen"] {
            let manifest = read(&format!("{krate}/Cargo.toml"));
            assert!(manifest.contains("\nrepository.workspace = true\n"), "{krate} inherits the repository");
        }
        let service = Service { id: "thing".into(), ..Service::default() };
        let api = Api { sdk_id: "Thing".into(), version: "2020-01-01".into(), ..Api::default() };
        let settings = CrateSettings { repository: "https://example.com/fork".into(), ..CrateSettings::default() };
        let manifest = cargo_toml(&service, &api, &settings);
        assert!(manifest.contains("\nrepository = \"https://example.com/fork\"\n"), "{manifest}");
        assert!(!manifest.contains(REPOSITORY), "{manifest}");
    }
}

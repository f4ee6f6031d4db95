//! The pages a newcomer starts from: the docs home (`/docs/`), one index per provider
//! (`/docs/<provider>/`), and two getting-started guides whose code is checked: the SQL by
//! `cargo xtask judge` (like every page's), the Rust program as the crate's doctest (the same
//! text, from [`rust::getting_started`](super::rust::getting_started)).

use super::docs::DOCS_ROOT;
use super::operation_docs::OPERATIONS_DIR;
use super::provider::{PROVIDER_ROOT, PROVIDER_VERSION};
use super::rust::getting_started::{self, TOKIO_DEPENDENCY};
use super::rust::snippets::Snippets;
use super::rust::{crate_name, RUST_ROOT};
use super::{examples, mdx, Outputs, MARKER};
use crate::model::{Model, Resource, Service, SqlMethodKind};

/// Where the guides go, below [`DOCS_ROOT`].
pub const GUIDES_DIR: &str = "guides";
/// The guide pages' file names (their routes are these without `.mdx`).
pub const SQL_GUIDE: &str = "query-with-sql.mdx";
pub const RUST_GUIDE: &str = "call-with-rust.mdx";

/// Every page of this module, for a model with at least one documented service.
pub fn emit(model: &Model, out: &mut Outputs) {
    // A service has pages when it has resource types (an index and their pages) or an API
    // (its operation pages).
    let documented: Vec<&Service> =
        model.services.values().filter(|s| !s.resources.is_empty() || has_operations(s)).collect();
    if documented.is_empty() {
        return;
    }
    let provider = &model.provider;
    let sql = sql_guide(model, &documented);
    let rust =
        model.services.values().find_map(|s| Some((s, getting_started::program(&Snippets::new(s, s.api.as_ref()?)?)?)));
    out.insert(format!("{DOCS_ROOT}/index.mdx"), home(provider, &documented, sql.is_some(), rust.is_some()));
    out.insert(format!("{DOCS_ROOT}/{provider}/index.mdx"), provider_index(provider, &documented));
    if let Some(page) = sql {
        out.insert(format!("{DOCS_ROOT}/{GUIDES_DIR}/{SQL_GUIDE}"), page);
    }
    if let Some((service, program)) = rust {
        out.insert(format!("{DOCS_ROOT}/{GUIDES_DIR}/{RUST_GUIDE}"), rust_guide(service, &program));
    }
}

fn front_matter(title: &str, description: &str, position: Option<u32>) -> String {
    let position = position.map(|p| format!("sidebar_position: {p}\n")).unwrap_or_default();
    format!(
        "---\ntitle: {title}\n{position}description: '{}'\ncustom_edit_url: null\n# {MARKER}\n---\n\n",
        description.replace('\'', "''")
    )
}

fn home(provider: &str, services: &[&Service], sql: bool, rust: bool) -> String {
    let mut page = front_matter(
        "Docs",
        "What the generated docs cover, where to start, and an index of every provider and service.",
        Some(0),
    );
    page.push_str(
        "Pages generated from AWS CloudFormation resource schemas and Smithy service models: one per \
         resource type (fields, SQL methods and examples, Rust calls, permissions) and one per API \
         operation, under each service.\n\n## Start here\n\n",
    );
    if sql {
        page.push_str(&format!(
            "- [Query with SQL]({GUIDES_DIR}/{SQL_GUIDE}): point StackQL at the generated provider and run a first `SELECT`.\n"
        ));
    }
    if rust {
        page.push_str(&format!(
            "- [Call with Rust]({GUIDES_DIR}/{RUST_GUIDE}): add a generated client crate, build a `Client`, match an error, walk pages.\n"
        ));
    }
    page.push_str(&format!(
        "\n## Providers\n\n- [{provider}]({provider}/index.mdx): {}\n",
        count(services.len(), "service", "services")
    ));
    page
}

fn provider_index(provider: &str, services: &[&Service]) -> String {
    let mut page = front_matter(
        &format!("{provider} provider"),
        &format!("Every service of the {provider} provider, with its resources, operations and client crate."),
        None,
    );
    page.push_str(&format!(
        "Services of the <code>{provider}</code> StackQL provider ({}), each with its resource pages and, \
         where the service model was read, its operation pages and Rust client crate.\n\n\
         | Service | Resources | Operations | Rust client |\n| --- | --- | --- | --- |\n",
        count(services.len(), "service", "services")
    ));
    for s in services {
        let operations = s.api.as_ref().map_or(0, |a| a.operations.len());
        let client = match s.api.as_ref().map(super::rust::supported) {
            Some(Ok(())) => mdx::code(&crate_name(s)),
            Some(Err(_)) => "not generated (protocol)".to_string(),
            None => "no service model".to_string(),
        };
        // A service without resource types has no index page: its first operation's page.
        let first_operation = s.api.as_ref().and_then(|a| a.operations.values().map(|op| &op.names.snake).min());
        let link = match first_operation {
            Some(op) if s.resources.is_empty() => format!("{}/{OPERATIONS_DIR}/{op}.mdx", s.id),
            _ => format!("{}/index.mdx", s.id),
        };
        page.push_str(&format!(
            "| [{}]({link}) | {} | {operations} | {client} |\n",
            mdx::text(&s.title),
            s.resources.len()
        ));
    }
    page
}

/// The SQL guide: needs a resource that lists on its own; shows a parent-scoped one too
/// when the model has one.
fn sql_guide(model: &Model, services: &[&Service]) -> Option<String> {
    let provider = &model.provider;
    let resources = || services.iter().flat_map(|s| s.resources.values().map(move |r| (*s, r)));
    let lists = |r: &Resource| r.sql.method(SqlMethodKind::List).is_some();
    let (first_service, first) = resources().find(|(_, r)| lists(r) && r.sql.parents.is_empty())?;
    let scoped = resources().find(|(_, r)| lists(r) && !r.sql.parents.is_empty());
    let one = resources().find(|(_, r)| r.sql.method(SqlMethodKind::Get).is_some());
    let link =
        |s: &Service, r: &Resource| format!("[{}](../{provider}/{}/{}.mdx)", r.names.plural, s.id, r.names.plural);

    let mut page = front_matter(
        "Query with SQL",
        "Point StackQL at the generated provider, give it credentials, and query AWS resources with SQL.",
        Some(1),
    );
    page.push_str(&format!(
        "The generator writes a StackQL provider named <code>{provider}</code> to \
         <code>{PROVIDER_ROOT}/{provider}/{PROVIDER_VERSION}/</code>. Every resource type with a Cloud \
         Control handler is a resource, <code>{provider}.&lt;service&gt;.&lt;resource&gt;</code>.\n\n\
         ## 1. Point StackQL at the provider\n\n\
         From the repository root, after `cargo xtask generate`: the registry is the folder \
         above the provider's, read from disk with no signature check.\n\n\
         ```bash\n\
         REGISTRY='{{\"url\": \"file://'\"$PWD\"'/{PROVIDER_ROOT}\", \"localDocRoot\": \"'\"$PWD\"'/{PROVIDER_ROOT}\", \"verifyConfig\": {{\"nopVerify\": true}}}}'\n\
         ```\n\n\
         ## 2. Credentials\n\n\
         The provider signs requests (SigV4) with the key in the usual variables:\n\n\
         ```bash\n\
         export AWS_ACCESS_KEY_ID=AKIA...\n\
         export AWS_SECRET_ACCESS_KEY=...\n\
         ```\n\n\
         ## 3. The provider name\n\n\
         Resource ids start with <code>{provider}</code>. StackQL's own registry has a provider of that \
         name too: to use both in one session, generate under another name with \
         `cargo xtask generate --provider awscc` and write `awscc.` in the queries.\n\n\
         ## 4. A first `SELECT`\n\n\
         Listing names the region; {first} lists every resource of its type there:\n\n\
         ```sql\n{first_sql}\n```\n\n\
         Run it with `stackql exec --registry=\"$REGISTRY\" \"<the query>\"`, or `stackql shell \
         --registry=\"$REGISTRY\"` for a session.\n",
        first = link(first_service, first),
        first_sql = examples::select_list(first),
    ));
    if let Some((s, r)) = scoped {
        let parents: Vec<String> = r.sql.parents.iter().map(|p| mdx::code(&p.name)).collect();
        page.push_str(&format!(
            "\n## Lists within a parent\n\n\
             Some types are listed per parent: {} needs {} in <code>ResourceModel</code>, a JSON object:\n\n\
             ```sql\n{}\n```\n",
            link(s, r),
            parents.join(", "),
            examples::select_list(r),
        ));
    }
    if let Some((s, r)) = one {
        page.push_str(&format!(
            "\n## One resource\n\n\
             Naming <code>Identifier</code> gets one resource with every property ({}):\n\n\
             ```sql\n{}\n```\n\n\
             Each resource page has its `INSERT`, `UPDATE` and `DELETE` too, and the parameters each method requires.\n",
            link(s, r),
            examples::select_get(r),
        ));
    }
    Some(page)
}

fn rust_guide(service: &Service, program: &str) -> String {
    let name = crate_name(service);
    let mut page = front_matter(
        "Call with Rust",
        "Add a generated client crate, build a Client from the environment, make a call, match its error and walk pages.",
        Some(2),
    );
    page.push_str(&format!(
        "Each service whose model was read gets a crate in <code>{RUST_ROOT}/</code>, named \
         <code>aws-&lt;service&gt;-client</code>. The program below uses <code>{name}</code>; it is \
         that crate's documentation example, compiled by its doctest, so it builds as written.\n\n\
         ## 1. `Cargo.toml`\n\n\
         ```toml\n\
         [dependencies]\n\
         {name} = {{ path = \"<repository>/{RUST_ROOT}/{name}\" }}\n\
         {TOKIO_DEPENDENCY}\n\
         ```\n\n\
         ## 2. The program\n\n\
         `Client::from_env` reads `AWS_REGION` and the credentials; a call goes through the input's \
         builder; its error is <code>SdkError&lt;OperationError&gt;</code>, whose `Service` variant \
         holds the errors the model lists; a paginator is a stream of pages that `next_page` walks.\n\n\
         ```rust\n{program}```\n\n\
         ## 3. Timeouts and retries\n\n\
         Every call is bounded: 30 s an attempt (`ConfigBuilder::timeout`), 60 s in all \
         (`operation_timeout`), 3 attempts (`RetryConfig::max_attempts`) with backoff, retrying only \
         what can change (a connection that failed, 429, 5xx, throttling). The end of the program \
         builds a client with other values.\n"
    ));
    page
}

fn has_operations(s: &Service) -> bool {
    s.api.as_ref().is_some_and(|a| !a.operations.is_empty())
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

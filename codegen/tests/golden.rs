//! The committed output is the golden file set: generating from the pinned specs
//! must reproduce it byte for byte, with no stale files. This is the code path of
//! `cargo xtask generate --check`.

use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen/ has a parent").to_path_buf()
}

/// The pinned specs, fetched by `cargo xtask specs fetch` (or `CODEGEN_SPECS`).
fn specs() -> PathBuf {
    let dir =
        repo_root().join(std::env::var_os("CODEGEN_SPECS").map_or_else(|| PathBuf::from("specs/cache"), PathBuf::from));
    assert!(
        dir.join("cloudformation").is_dir(),
        "{} has no specs: run `cargo xtask specs fetch --mirror ../shared/specs` (or `cargo xtask test`)",
        dir.display()
    );
    dir
}

#[test]
fn committed_output_matches_the_generator() {
    let outputs = codegen::generate(&specs()).expect("generation succeeds");
    let plan = codegen::output::plan(&repo_root(), &outputs).expect("outputs can be compared");
    assert!(plan.is_clean(), "generated output drifted; run `cargo xtask generate`:\n{}", plan.drift().join("\n"));
    assert!(plan.unchanged >= 15, "expected every page, found {}", plan.unchanged);
}

#[test]
fn generation_is_deterministic() {
    let first = codegen::generate(&specs()).expect("generation succeeds");
    let second = codegen::generate(&specs()).expect("generation succeeds");
    assert_eq!(first, second);
}

#[test]
fn one_page_per_resource_type_a_service_index_sql_and_provider() {
    let outputs = codegen::generate(&specs()).expect("generation succeeds");
    let paths: Vec<&str> = outputs.files.keys().map(String::as_str).collect();
    let docs: Vec<&&str> = paths.iter().filter(|p| p.starts_with("docs-site/docs/aws/apigatewayv2/")).collect();
    let resources = std::fs::read_dir(specs().join("cloudformation")).expect("spec dir").count();
    let apigw_operations = docs.iter().filter(|p| p.contains("/operations/")).count();
    assert_eq!(docs.len() - apigw_operations, resources + 1, "one page per resource type and an index: {docs:?}");
    // Every service model's operations, ApiGatewayV2's and those of the models without resource
    // types (SSO, STS).
    let operations =
        paths.iter().filter(|p| p.starts_with("docs-site/docs/aws/") && p.contains("/operations/")).count();
    let model = codegen::load(&specs()).expect("specs load");
    let api_operations: usize =
        model.services.values().filter_map(|s| s.api.as_ref()).map(|a| a.operations.len()).sum();
    assert_eq!(operations, api_operations, "one page per API operation");
    for path in [
        "docs-site/docs/index.mdx",
        "docs-site/docs/aws/index.mdx",
        "docs-site/docs/guides/query-with-sql.mdx",
        "docs-site/docs/guides/call-with-rust.mdx",
        "docs-site/docs/aws/apigatewayv2/index.mdx",
        "docs-site/docs/aws/apigatewayv2/route_responses.mdx",
        "generated/sql/sqlite/00_cloud_control_resources.sql",
        "generated/sql/sqlite/apigatewayv2.sql",
        "generated/sql/postgres/00_cloud_control_resources.sql",
        "generated/sql/postgres/apigatewayv2.sql",
        "generated/stackql/aws/v00.00.00000/provider.yaml",
        "generated/stackql/aws/v00.00.00000/services/apigatewayv2.yaml",
        "generated/rust/aws-apigatewayv2-client/Cargo.toml",
        "generated/rust/aws-apigatewayv2-client/src/client.rs",
        "generated/rust/aws-apigatewayv2-client/examples/snippets.rs",
    ] {
        assert!(paths.contains(&path), "{path} missing from {paths:?}");
    }
}

//! An operation that reaches more types than a page should repeat links to the
//! service's shared types page instead, and every link lands on a table there.
//! DynamoDB's real model has both kinds of operation.

mod support;

use std::collections::BTreeSet;

use codegen::emit::operation_docs::{INLINE_TYPES, SHARED_TYPES_PAGE};
use codegen::read::SpecFiles;

const OPERATIONS: &str = "docs-site/docs/aws/dynamodb/operations/";

#[test]
fn large_operations_link_to_one_shared_types_page() {
    let dir = support::shared_specs();
    let files = SpecFiles { cloudformation: Vec::new(), smithy: vec![dir.join("smithy/dynamodb.json")] };
    let out = codegen::generate_files(&dir, &files).expect("dynamodb generates");
    let shared = out.files.get(&format!("{OPERATIONS}{SHARED_TYPES_PAGE}")).expect("a shared types page");
    // Docusaurus anchors of `### Name` headings: the name in lower case (names are alphanumeric).
    let anchors: BTreeSet<String> =
        shared.lines().filter_map(|l| l.strip_prefix("### ")).map(str::to_lowercase).collect();
    assert!(shared.contains(&format!("The {} types below", anchors.len())), "the intro counts the tables");

    let (mut linking, mut inlining) = (0, 0);
    for (path, page) in support::files(&out, OPERATIONS) {
        if path.ends_with(SHARED_TYPES_PAGE) {
            continue;
        }
        let tables = page.matches("\n### ").count();
        assert!(tables <= INLINE_TYPES, "{path}: {tables} type tables inline");
        let links: Vec<&str> =
            page.split("href=\"shared-types.mdx#").skip(1).map(|s| &s[..s.find('"').unwrap_or(0)]).collect();
        if page.contains(&format!("]({SHARED_TYPES_PAGE})")) {
            linking += 1;
            assert_eq!(tables, 0, "{path}: links to the shared page and inlines tables too");
            assert!(!links.is_empty(), "{path}: no type links to the shared page");
        } else {
            assert!(links.is_empty(), "{path}: links to the shared page without saying so");
            inlining += usize::from(tables > 0);
        }
        for anchor in links {
            assert!(anchors.contains(anchor), "{path}: link to #{anchor}, which the shared page does not have");
        }
    }
    assert!(linking >= 1, "no DynamoDB operation reaches more than {INLINE_TYPES} types any more");
    assert!(inlining >= 10, "only {inlining} operations document their own types");
}

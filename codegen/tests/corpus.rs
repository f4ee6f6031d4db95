//! A sample of every CloudFormation schema AWS publishes goes through the readers,
//! the passes and the docs emitter without an error. The whole corpus is run by
//! `cargo xtask generate --specs DIR` (see the README); this keeps a varied sample
//! in the test suite.

use std::path::{Path, PathBuf};

use codegen::read::SpecFiles;

/// Every `STEP`th file, so the sample spans the alphabet (and so, services).
const STEP: usize = 15;

/// `CODEGEN_CORPUS` (relative to the repository root), or `../shared/specs/cloudformation-all`.
fn corpus() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::var_os("CODEGEN_CORPUS")
        .map_or_else(|| PathBuf::from("../shared/specs/cloudformation-all"), PathBuf::from);
    root.join(dir)
}

#[test]
fn a_sample_of_the_cloudformation_corpus_generates() {
    let dir = corpus();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}; set CODEGEN_CORPUS to the cloudformation-all folder", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let sample: Vec<PathBuf> = files.iter().step_by(STEP).cloned().collect();
    assert!(sample.len() >= 100, "corpus too small: {} files", files.len());

    let specs = SpecFiles { cloudformation: sample.clone(), smithy: Vec::new() };
    let outputs = codegen::generate_files(&dir, &specs).expect("the sample generates");
    // One resource page per schema, beside the index pages and the SQL guide.
    let pages = outputs.files.keys().filter(|p| p.ends_with(".mdx") && !p.ends_with("/index.mdx")).count();
    assert_eq!(outputs.summary.resources, sample.len());
    assert_eq!(pages, sample.len() + 1, "resource pages and the SQL guide");
    for (path, page) in outputs.files.iter().filter(|(p, _)| p.ends_with(".mdx")) {
        assert!(page.starts_with("---\ntitle: "), "{path} has front matter");
        assert!(page.contains(codegen::emit::MARKER), "{path} carries the generated marker");
    }
    // The SQL of the sample loads into SQLite: one view per resource type.
    let db = rusqlite::Connection::open_in_memory().unwrap();
    for (path, sql) in outputs.files.iter().filter(|(p, _)| p.starts_with("generated/sql/sqlite/")) {
        db.execute_batch(sql).unwrap_or_else(|e| panic!("{path} loads: {e}"));
    }
    let views: i64 = db.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'view'", [], |r| r.get(0)).unwrap();
    assert_eq!(views, sample.len() as i64);
}

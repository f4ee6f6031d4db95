//! The getting-started guides say what is true of the committed output: the Rust program is
//! the crate documentation's example (a doctest, so `cargo test` compiles it), its
//! `Cargo.toml` names a crate that exists with the tokio the doctest uses, and the SQL guide's
//! registry line, run by bash from the repository root, points StackQL at the provider's
//! folder. (The guide's SQL is judged with every other page's by `cargo xtask judge`.)

use std::path::{Path, PathBuf};

use codegen::emit::guides::{GUIDES_DIR, RUST_GUIDE, SQL_GUIDE};
use codegen::emit::mdx::fenced_blocks;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn guide(name: &str) -> String {
    read(&root().join("docs-site/docs").join(GUIDES_DIR).join(name))
}

#[test]
fn the_rust_guide_shows_the_crates_compiled_example() {
    let page = guide(RUST_GUIDE);
    let programs = fenced_blocks(&page, "rust");
    assert_eq!(programs.len(), 1, "one program on the page");
    let toml = fenced_blocks(&page, "toml");
    assert_eq!(toml.len(), 1, "one Cargo.toml block");
    // `name = { path = "<repository>/generated/rust/<name>" }`: that crate, documented with
    // this very program.
    let line = toml[0].lines().find(|l| l.contains("path =")).expect("a path dependency");
    let name = line.split(" = ").next().expect("crate name").trim();
    let crate_dir = root().join("generated/rust").join(name);
    let lib = read(&crate_dir.join("src/lib.rs"));
    let doc: String = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l)))
        .collect();
    let example = doc.split("```no_run\n").nth(1).and_then(|rest| rest.split("```").next()).expect("a no_run example");
    assert_eq!(programs[0], example, "the guide's program is the crate's doctest");
    let tokio = toml[0].lines().find(|l| l.starts_with("tokio")).expect("tokio");
    assert!(read(&crate_dir.join("Cargo.toml")).contains(tokio), "the doctest builds with the guide's tokio");
}

#[test]
fn the_sql_guide_registry_points_at_the_provider() {
    let page = guide(SQL_GUIDE);
    let line = fenced_blocks(&page, "bash")
        .into_iter()
        .flat_map(|b| b.lines().map(str::to_owned).collect::<Vec<_>>())
        .find(|l| l.starts_with("REGISTRY="))
        .expect("a REGISTRY= line");
    let root = root().canonicalize().expect("repository root");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("{line}\nprintf %s \"$REGISTRY\""))
        .current_dir(&root)
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let registry: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the registry is JSON");
    let url = registry["url"].as_str().expect("url");
    let dir = PathBuf::from(url.strip_prefix("file://").expect("a file:// url"));
    assert_eq!(registry["localDocRoot"].as_str(), dir.to_str());
    assert_eq!(registry["verifyConfig"]["nopVerify"], true);
    // The provider the queries name is in that registry folder.
    let provider = page.split("```sql").nth(1).and_then(|sql| sql.split("FROM ").nth(1)).expect("a SELECT ... FROM");
    let provider = provider.split('.').next().expect("provider name");
    assert!(dir.join(provider).join("v00.00.00000/provider.yaml").is_file(), "{provider} in {}", dir.display());
}

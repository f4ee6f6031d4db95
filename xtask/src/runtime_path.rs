//! The path by which crates generated into `--out DIR` name the repository's runtime: relative to
//! a crate's folder (`DIR/generated/rust/<crate>/`), so that the output builds where it is and
//! the repository's own output (`DIR` = the repository) keeps `../../../runtime`.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

/// The runtime's path as seen from a crate folder below `out`.
pub fn for_output(root: &Path, out: &Path) -> Result<String> {
    let crate_dir = normalize(&std::path::absolute(out).context("the output folder")?)
        .join(codegen::emit::rust::RUST_ROOT)
        .join("crate");
    let runtime = normalize(&std::path::absolute(root).context("the repository root")?).join("runtime");
    Ok(relative(&crate_dir, &runtime))
}

/// `path` without `.` and with each `..` applied (on the text: the output folder may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to the folder `from`, with `/` separators (Cargo accepts them everywhere).
fn relative(from: &Path, to: &Path) -> String {
    let (from, to): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let root = Path::new("/work/repo");
        assert_eq!(for_output(root, root).unwrap(), "../../../runtime");
        assert_eq!(for_output(root, Path::new("/work/repo/./")).unwrap(), "../../../runtime");
        assert_eq!(for_output(root, Path::new("/tmp/out")).unwrap(), "../../../../../work/repo/runtime");
        assert_eq!(for_output(root, Path::new("/work/repo/target/x/..")).unwrap(), "../../../../runtime");
        assert_eq!(for_output(root, Path::new("/work")).unwrap(), "../../../repo/runtime");
    }
}

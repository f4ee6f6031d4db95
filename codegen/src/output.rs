//! Writing and checking outputs. `generate` and `generate --check` share this
//! code path: both compute the same [`Plan`]; one applies it, the other reports it.

use std::path::{Path, PathBuf};

use crate::emit::{Outputs, MARKER, OWNED_ROOTS};
use crate::error::{Error, Result};

/// How many leading bytes of a file are searched for the generated marker.
const MARKER_WINDOW: usize = 4096;

/// What a run would change below the output root.
#[derive(Debug, Default)]
pub struct Plan {
    /// New or changed files, with their contents.
    pub writes: Vec<(String, String, Change)>,
    /// Generated files that no longer have a source.
    pub deletes: Vec<String>,
    /// Files already up to date (left alone, so their mtime stays).
    pub unchanged: usize,
    /// Files in owned folders that the generator did not write: reported, never touched.
    pub foreign: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Modified,
}

impl Plan {
    pub fn is_clean(&self) -> bool {
        self.writes.is_empty() && self.deletes.is_empty()
    }

    /// One line per difference, as `generate --check` prints them.
    pub fn drift(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .writes
            .iter()
            .map(|(path, _, change)| match change {
                Change::Added => format!("missing: {path}"),
                Change::Modified => format!("differs: {path}"),
            })
            .collect();
        lines.extend(self.deletes.iter().map(|p| format!("stale: {p}")));
        lines
    }
}

fn is_generated(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(MARKER_WINDOW)];
    head.windows(MARKER.len()).any(|w| w == MARKER.as_bytes())
}

fn io(file: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { file: file.to_path_buf(), source }
}

/// Compares the outputs with what is on disk below `root`.
pub fn plan(root: &Path, outputs: &Outputs) -> Result<Plan> {
    let mut plan = Plan::default();
    for (rel, contents) in &outputs.files {
        let path = root.join(rel);
        match std::fs::read(&path) {
            Ok(existing) if existing == contents.as_bytes() => plan.unchanged += 1,
            Ok(existing) if !is_generated(&existing) => {
                return Err(Error::Output {
                    file: path,
                    message: "exists and was not written by the generator (no generated marker); move it away first"
                        .into(),
                })
            }
            Ok(_) => plan.writes.push((rel.clone(), contents.clone(), Change::Modified)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                plan.writes.push((rel.clone(), contents.clone(), Change::Added))
            }
            Err(e) => return Err(io(&path)(e)),
        }
    }
    for owned in OWNED_ROOTS {
        for file in walk(&root.join(owned))? {
            let rel = crate::read::relative(root, &file);
            if outputs.files.contains_key(&rel) {
                continue;
            }
            let bytes = std::fs::read(&file).map_err(io(&file))?;
            if is_generated(&bytes) {
                plan.deletes.push(rel);
            } else {
                plan.foreign.push(rel);
            }
        }
    }
    plan.deletes.sort();
    plan.foreign.sort();
    Ok(plan)
}

/// Every file below `dir` (none if it does not exist), sorted.
fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&d)(e)),
        };
        for entry in entries {
            let path = entry.map_err(io(&d))?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Applies a plan: each file is written to a temporary sibling and renamed into
/// place, so a reader never sees half a file. Emptied folders are removed.
pub fn apply(root: &Path, plan: &Plan) -> Result<()> {
    for (rel, contents, _) in &plan.writes {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let tmp = path.with_extension("tmp~");
        std::fs::write(&tmp, contents).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io(&path))?;
    }
    for rel in &plan.deletes {
        let path = root.join(rel);
        std::fs::remove_file(&path).map_err(io(&path))?;
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == root || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(files: &[(&str, &str)]) -> Outputs {
        let mut o = Outputs::default();
        for (p, c) in files {
            o.insert(p.to_string(), c.to_string());
        }
        o
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_then_is_clean_and_keeps_unchanged_files() {
        let root = scratch("clean");
        let page = format!("# {MARKER}\nhello\n");
        let o = outputs(&[("docs-site/docs/a.mdx", &page)]);
        let p = plan(&root, &o).unwrap();
        assert_eq!(p.drift(), vec!["missing: docs-site/docs/a.mdx"]);
        apply(&root, &p).unwrap();
        let mtime = std::fs::metadata(root.join("docs-site/docs/a.mdx")).unwrap().modified().unwrap();
        let p = plan(&root, &o).unwrap();
        assert!(p.is_clean());
        assert_eq!(p.unchanged, 1);
        apply(&root, &p).unwrap();
        assert_eq!(std::fs::metadata(root.join("docs-site/docs/a.mdx")).unwrap().modified().unwrap(), mtime);
    }

    #[test]
    fn stale_generated_files_go_and_hand_written_ones_stay() {
        let root = scratch("stale");
        let dir = root.join("docs-site/docs/x");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("old.mdx"), format!("# {MARKER}\n")).unwrap();
        std::fs::write(dir.join("notes.md"), "mine\n").unwrap();
        let o = outputs(&[]);
        let p = plan(&root, &o).unwrap();
        assert_eq!(p.drift(), vec!["stale: docs-site/docs/x/old.mdx"]);
        assert_eq!(p.foreign, vec!["docs-site/docs/x/notes.md"]);
        apply(&root, &p).unwrap();
        assert!(!dir.join("old.mdx").exists());
        assert_eq!(std::fs::read_to_string(dir.join("notes.md")).unwrap(), "mine\n");
    }

    #[test]
    fn refuses_to_overwrite_a_hand_written_file() {
        let root = scratch("foreign");
        let dir = root.join("docs-site/docs");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.mdx"), "mine\n").unwrap();
        let err = plan(&root, &outputs(&[("docs-site/docs/a.mdx", "new")])).unwrap_err();
        assert!(err.to_string().contains("not written by the generator"), "{err}");
        assert_eq!(std::fs::read_to_string(dir.join("a.mdx")).unwrap(), "mine\n");
    }
}

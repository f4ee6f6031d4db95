//! Writing and checking outputs. `generate` and `generate --check` share this
//! code path: both compute the same [`Plan`]; one applies it, the other reports it.

use std::path::{Path, PathBuf};

use crate::emit::{Outputs, MARKER, OWNED_ROOTS};
use crate::error::{Error, Result};

/// How many leading bytes of a file are searched for the generated marker.
const MARKER_WINDOW: usize = 4096;

/// What a run would change below the output root. It borrows the contents from the
/// [`Outputs`] it was made from: outputs can be hundreds of megabytes.
#[derive(Debug, Default)]
pub struct Plan<'a> {
    /// New or changed files, with their contents.
    pub writes: Vec<(String, &'a str, Change)>,
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

impl Plan<'_> {
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
pub fn plan<'a>(root: &Path, outputs: &'a Outputs) -> Result<Plan<'a>> {
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
            Ok(_) => plan.writes.push((rel.clone(), contents, Change::Modified)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                plan.writes.push((rel.clone(), contents, Change::Added))
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

/// Staging folders are named `<STAGING_PREFIX><pid>` and live in the output root.
pub const STAGING_PREFIX: &str = ".codegen-tmp-";

/// Applies a plan without ever leaving the tree half-changed:
///
/// 1. staging: every new or changed file is written below `<root>/.codegen-tmp-<pid>/new/`;
///    a failure here (disk full, bad path) only removes the staging folder;
/// 2. commit: each staged file is renamed into place (same file system, so each rename
///    is atomic), the file it replaces being kept as a hard link in `<staging>/old/`,
///    where stale files are moved too; if a step fails, every step so far is undone;
/// 3. the staging folder (holding the old versions) is removed, then emptied folders.
///
/// Unchanged files are not in the plan, so they are never rewritten. A staging folder
/// left by a killed run is removed first.
pub fn apply(root: &Path, plan: &Plan) -> Result<()> {
    remove_leftovers(root)?;
    if plan.is_clean() {
        return Ok(());
    }
    let staging = root.join(format!("{STAGING_PREFIX}{}", std::process::id()));
    let result = stage(&staging, plan).and_then(|()| commit(root, &staging, plan));
    // The old versions are only needed until the commit has succeeded or been undone.
    // Should removing them fail, the outputs are still right, and the next run removes
    // the folder as a leftover.
    let _ = std::fs::remove_dir_all(&staging);
    result?;
    for rel in &plan.deletes {
        remove_empty_parents(root, &root.join(rel));
    }
    Ok(())
}

/// Removes staging folders of earlier runs whose process is gone (killed mid-run).
/// A folder of a process still running is left to it.
pub fn remove_leftovers(root: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(root)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io(root))?;
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(STAGING_PREFIX)) else { continue };
        if pid == std::process::id().to_string() || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        std::fs::remove_dir_all(&path).map_err(io(&path))?;
    }
    Ok(())
}

/// Whether `pid` names a running process. Only Linux can tell (through `/proc`);
/// elsewhere every leftover counts as abandoned.
fn process_alive(pid: &str) -> bool {
    !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && Path::new("/proc").join(pid).exists()
}

/// Writes every new or changed file below `<staging>/new/`, on every core. If several
/// writes fail, the error is that of the first in plan order.
fn stage(staging: &Path, plan: &Plan) -> Result<()> {
    use rayon::prelude::*;
    let results: Vec<Result<()>> = plan
        .writes
        .par_iter()
        .map(|(rel, contents, _)| {
            let path = staging.join("new").join(rel);
            if let Some(parent) = path.parent() {
                // Safe to race: `create_dir_all` accepts a folder another thread made.
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::write(&path, contents).map_err(io(&path))
        })
        .collect();
    results.into_iter().collect()
}

/// One completed commit step, so that it can be undone.
enum Step {
    /// A folder the commit created.
    Dir(PathBuf),
    /// A staged file renamed onto `target`; `backup` links to what was there before.
    Placed { target: PathBuf, staged: PathBuf, backup: Option<PathBuf> },
    /// A stale file moved out of the tree, to `to`.
    Removed { from: PathBuf, to: PathBuf },
}

/// Moves staged files into place and stale files out; on failure undoes what it did.
fn commit(root: &Path, staging: &Path, plan: &Plan) -> Result<()> {
    let mut done = Vec::new();
    let result = commit_steps(root, staging, plan, &mut done);
    if result.is_err() {
        // Undo in reverse. A step that cannot be undone leaves its file in the staging
        // folder, which is as good a place as any to find it.
        for step in done.into_iter().rev() {
            let _ = match step {
                Step::Dir(dir) => std::fs::remove_dir(dir),
                Step::Placed { target, backup: Some(backup), .. } => std::fs::rename(backup, target),
                Step::Placed { target, staged, backup: None } => std::fs::rename(target, staged),
                Step::Removed { from, to } => std::fs::rename(to, from),
            };
        }
    }
    result
}

fn commit_steps(root: &Path, staging: &Path, plan: &Plan, done: &mut Vec<Step>) -> Result<()> {
    for (rel, _, change) in &plan.writes {
        let target = root.join(rel);
        let staged = staging.join("new").join(rel);
        // The old version is kept through a second link, so that the rename below replaces
        // the file in one step (a reader sees the old or the new file, never none).
        let backup = match change {
            Change::Modified => {
                let backup = staging.join("old").join(rel);
                create_parent(&backup, done)?;
                if std::fs::hard_link(&target, &backup).is_err() {
                    // File systems without hard links: a copy does as well.
                    std::fs::copy(&target, &backup).map_err(io(&backup))?;
                }
                Some(backup)
            }
            Change::Added => None,
        };
        create_parent(&target, done)?;
        std::fs::rename(&staged, &target).map_err(io(&target))?;
        done.push(Step::Placed { target, staged, backup });
    }
    for rel in &plan.deletes {
        let (from, to) = (root.join(rel), staging.join("old").join(rel));
        create_parent(&to, done)?;
        std::fs::rename(&from, &to).map_err(io(&from))?;
        done.push(Step::Removed { from, to });
    }
    Ok(())
}

fn create_parent(file: &Path, done: &mut Vec<Step>) -> Result<()> {
    match file.parent() {
        Some(parent) => create_dirs(parent, done),
        None => Ok(()),
    }
}

/// `create_dir_all`, recording each folder it creates (outermost first).
fn create_dirs(dir: &Path, done: &mut Vec<Step>) -> Result<()> {
    let mut missing = Vec::new();
    let mut d = Some(dir);
    while let Some(p) = d.filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
        missing.push(p);
        d = p.parent();
    }
    for p in missing.into_iter().rev() {
        std::fs::create_dir(p).map_err(io(p))?;
        done.push(Step::Dir(p.to_path_buf()));
    }
    Ok(())
}

/// Removes the folders above a deleted file that it left empty, up to the root.
fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
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

    /// Every file below `dir` with its contents, and every folder.
    fn tree(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let rel = crate::read::relative(dir, &p);
                if p.is_dir() {
                    stack.push(p);
                    out.push((rel, None));
                } else {
                    out.push((rel, Some(std::fs::read(&p).unwrap())));
                }
            }
        }
        out.sort();
        out
    }

    fn staging_dirs(root: &Path) -> Vec<String> {
        std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(STAGING_PREFIX))
            .collect()
    }

    fn generated(text: &str) -> String {
        format!("# {MARKER}\n{text}\n")
    }

    #[test]
    fn changes_only_what_changed() {
        let root = scratch("partial");
        let o = outputs(&[("docs-site/docs/a.mdx", &generated("a")), ("docs-site/docs/b.mdx", &generated("b"))]);
        apply(&root, &plan(&root, &o).unwrap()).unwrap();
        let mtime = |f: &str| std::fs::metadata(root.join(f)).unwrap().modified().unwrap();
        let before = mtime("docs-site/docs/a.mdx");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let o = outputs(&[("docs-site/docs/a.mdx", &generated("a")), ("docs-site/docs/b.mdx", &generated("b2"))]);
        let p = plan(&root, &o).unwrap();
        assert_eq!((p.writes.len(), p.unchanged), (1, 1));
        apply(&root, &p).unwrap();
        assert_eq!(mtime("docs-site/docs/a.mdx"), before);
        assert_eq!(std::fs::read_to_string(root.join("docs-site/docs/b.mdx")).unwrap(), generated("b2"));
        assert!(staging_dirs(&root).is_empty());
    }

    #[test]
    fn a_failed_write_leaves_the_tree_as_it_was() {
        let root = scratch("stage-fails");
        apply(&root, &plan(&root, &outputs(&[("docs-site/docs/a.mdx", &generated("old"))])).unwrap()).unwrap();
        let before = tree(&root);
        // `x` as a file and as a folder: staging `x/y.mdx` fails after `x` was written.
        let o = outputs(&[
            ("docs-site/docs/a.mdx", &generated("new")),
            ("docs-site/docs/x", &generated("x")),
            ("docs-site/docs/x/y.mdx", &generated("y")),
        ]);
        let p = plan(&root, &o).unwrap();
        assert_eq!(p.writes.len(), 3);
        assert!(apply(&root, &p).is_err());
        assert_eq!(tree(&root), before);
    }

    #[test]
    fn a_failed_rename_is_undone() {
        let root = scratch("commit-fails");
        let docs = root.join("docs-site/docs");
        let o = outputs(&[("docs-site/docs/a.mdx", &generated("old")), ("docs-site/docs/stale.mdx", &generated("s"))]);
        apply(&root, &plan(&root, &o).unwrap()).unwrap();
        // A folder where a page should go: the rename onto it fails after others succeeded.
        std::fs::create_dir_all(docs.join("m.mdx")).unwrap();
        std::fs::write(docs.join("m.mdx/notes.md"), "mine\n").unwrap();
        let before = tree(&root);
        let (new, n, m) = (generated("new"), generated("n"), generated("m"));
        let p = Plan {
            writes: vec![
                ("docs-site/docs/a.mdx".into(), &new, Change::Modified),
                ("docs-site/docs/new/deep/n.mdx".into(), &n, Change::Added),
                ("docs-site/docs/m.mdx".into(), &m, Change::Added),
            ],
            deletes: vec!["docs-site/docs/stale.mdx".into()],
            ..Plan::default()
        };
        let err = apply(&root, &p).unwrap_err();
        assert!(err.to_string().contains("m.mdx"), "{err}");
        assert_eq!(tree(&root), before);
    }

    #[test]
    fn a_killed_run_leaves_nothing_behind() {
        let root = scratch("leftover");
        // pid_max is at most 2^22, so this process cannot exist.
        let leftover = root.join(format!("{STAGING_PREFIX}999999999"));
        std::fs::create_dir_all(leftover.join("new/docs-site/docs")).unwrap();
        std::fs::write(leftover.join("new/docs-site/docs/a.mdx"), "half").unwrap();
        // A live process's staging folder (here: this test's parent, surely alive) is kept.
        let live = root.join(format!("{STAGING_PREFIX}1"));
        std::fs::create_dir_all(&live).unwrap();
        apply(&root, &plan(&root, &outputs(&[])).unwrap()).unwrap();
        assert!(!leftover.exists());
        assert_eq!(live.exists(), cfg!(target_os = "linux"));
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

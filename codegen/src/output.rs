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
    move |error| Error::Io { file: file.to_path_buf(), error }
}

fn io_write(file: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |error| Error::Write { file: file.to_path_buf(), error }
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

/// The lock file of an output root: one run at a time writes below it.
pub const LOCK_FILE: &str = ".codegen-lock";

/// The journal of a commit under way, in the output root: written (whole, by a rename)
/// before the first file of the tree changes, removed once the commit is complete.
pub const JOURNAL_FILE: &str = ".codegen-journal";

/// The right to write below one output root, held from the start of a run to its end
/// (an exclusive `flock` on `<root>/.codegen-lock`, which holds the holder's pid). The
/// system releases it when the process ends, however it ends: a lock file left by a
/// dead run is simply taken over.
#[derive(Debug)]
pub struct Lock {
    root: PathBuf,
    file: std::fs::File,
}

impl Drop for Lock {
    /// The pid goes before the lock does: a lock file left whole names a killed run.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}

/// Takes the lock of `root` (creating the folder if needed), or fails at once naming
/// the pid of the run that holds it.
pub fn lock(root: &Path) -> Result<Lock> {
    use std::io::{Read, Seek, Write};
    std::fs::create_dir_all(root).map_err(io_write(root))?;
    let path = root.join(LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_write(&path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            // The holder writes its pid right after taking the lock: give it a moment.
            let mut holder = String::new();
            for _ in 0..50 {
                holder.clear();
                file.seek(std::io::SeekFrom::Start(0))
                    .and_then(|_| file.read_to_string(&mut holder))
                    .map_err(io(&path))?;
                if !holder.trim().is_empty() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            let holder = match holder.trim() {
                "" => "a pid not yet written".to_string(),
                pid => format!("pid {pid}"),
            };
            return Err(Error::Output {
                file: path,
                message: format!(
                    "another run ({holder}) is writing to this output folder; wait for it to end or stop it"
                ),
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io_write(&path)(e)),
    }
    file.set_len(0)
        .and_then(|()| file.seek(std::io::SeekFrom::Start(0)))
        .and_then(|_| writeln!(file, "{}", std::process::id()))
        .map_err(io_write(&path))?;
    Ok(Lock { root: root.to_path_buf(), file })
}

impl Lock {
    fn check(&self, root: &Path) -> Result<()> {
        if self.root == root {
            Ok(())
        } else {
            Err(Error::Output {
                file: root.to_path_buf(),
                message: format!("the lock held is that of {}, not of this folder", self.root.display()),
            })
        }
    }
}

/// Where a run is, as Ctrl-C sees it (see [`interrupt`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing below the output root has changed: the process may end at once.
    Idle,
    /// Files are being staged: staging stops, its folder is removed, the tree stays old.
    Staging,
    /// The journal is written and files are being renamed: the commit is finished first.
    Committing,
}

static PHASE: std::sync::Mutex<Phase> = std::sync::Mutex::new(Phase::Idle);
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn set_phase(phase: Phase) {
    *PHASE.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = phase;
}

/// What the program's Ctrl-C (SIGINT) handler calls. Before staging has begun nothing
/// has changed, and `exit_now` is called (with the phase held, so that no staging can
/// begin meanwhile); it should end the process. During staging, staging stops and
/// [`apply`] returns [`Error::Interrupted`] with the tree as it was. Once the commit has
/// begun, it is finished, and [`interrupted`] tells the program to stop after it.
pub fn interrupt(exit_now: impl FnOnce()) {
    let phase = PHASE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
    if *phase == Phase::Idle {
        exit_now();
    }
}

/// Whether [`interrupt`] was called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Applies a plan so that the tree is never seen half-changed by the next run:
///
/// 1. staging: every new or changed file is written below `<root>/.codegen-tmp-<pid>/new/`;
///    a failure or Ctrl-C here only removes the staging folder;
/// 2. journal: `<root>/.codegen-journal` lists the staging folder, every file to place and
///    every file to remove; it is written to a temporary name and renamed, so it exists
///    whole or not at all, and it exists before the first file of the tree changes;
/// 3. commit: each staged file is renamed into place (same file system, so each rename
///    is atomic), the file it replaces being kept as a hard link in `<staging>/old/`,
///    where stale files are moved too; if a step fails, the journal is turned into one
///    that undoes, and every step so far is undone;
/// 4. the journal is removed, then the staging folder, then emptied folders.
///
/// A run killed in step 3 or 4 leaves the journal: [`recover`], which the next run calls
/// before anything else, finishes the commit from it (the new tree), or finishes the
/// undo (the old tree). Unchanged files are not in the plan, so they are never
/// rewritten. Staging folders left by killed runs are removed first.
pub fn apply(root: &Path, plan: &Plan, lock: &Lock) -> Result<()> {
    lock.check(root)?;
    recover(root, lock)?;
    if plan.is_clean() {
        return Ok(());
    }
    let staging_name = format!("{STAGING_PREFIX}{}", std::process::id());
    let staging = root.join(&staging_name);
    {
        let mut phase = PHASE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if interrupted() {
            return Err(Error::Interrupted { dir: root.to_path_buf() });
        }
        *phase = Phase::Staging;
    }
    let staged = stage(&staging, plan);
    let journal = Journal {
        staging: staging_name,
        undo: false,
        writes: plan.writes.iter().map(|(rel, _, change)| (rel.clone(), *change == Change::Modified)).collect(),
        deletes: plan.deletes.clone(),
    };
    // Past this point a Ctrl-C no longer stops the run: it finishes the commit.
    let began = staged.and_then(|()| {
        let mut phase = PHASE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if interrupted() {
            return Err(Error::Interrupted { dir: root.to_path_buf() });
        }
        *phase = Phase::Committing;
        drop(phase);
        journal.write(root)
    });
    if let Err(e) = began {
        set_phase(Phase::Idle);
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let result = commit(root, &staging, plan, &journal);
    // The journal goes first: once it is gone, the tree is the new one (or, after an
    // undo, the old one) whatever happens to the rest. Should removing the staging
    // folder fail, the outputs are still right, and the next run removes it.
    let done = result.and_then(|()| remove_file(&root.join(JOURNAL_FILE)));
    // After a failed commit whose undo is not complete the journal stays, and with it
    // the staging folder holding the old versions.
    if !root.join(JOURNAL_FILE).exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    set_phase(Phase::Idle);
    done?;
    for rel in &plan.deletes {
        remove_empty_parents(root, &root.join(rel));
    }
    Ok(())
}

/// What a commit under way does, as [`recover`] reads it back.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Journal {
    /// The staging folder's name in the output root.
    staging: String,
    /// `false`: the commit goes forward (files placed, stale files removed); `true`: a
    /// failed commit is being undone.
    undo: bool,
    /// Each file to place, relative to the root, and whether it replaces an older one.
    writes: Vec<(String, bool)>,
    /// Each stale file to remove.
    deletes: Vec<String>,
}

impl Journal {
    /// Writes the journal whole: to a temporary name, then renamed over the old one.
    fn write(&self, root: &Path) -> Result<()> {
        let path = root.join(JOURNAL_FILE);
        let tmp = root.join(format!("{JOURNAL_FILE}.tmp"));
        let text =
            serde_json::to_vec(self).map_err(|e| Error::Output { file: path.clone(), message: e.to_string() })?;
        std::fs::write(&tmp, text).map_err(io_write(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io_write(&path))
    }
}

/// What [`recover`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovered {
    /// No journal: no commit was under way.
    Nothing,
    /// A commit killed after it began was finished: the tree is the new output.
    Finished,
    /// An undo killed after it began was finished: the tree is the old output.
    Undone,
}

/// Brings the tree below `root` back to a whole output if a run was killed during its
/// commit: from `<root>/.codegen-journal`, finishes the commit (or the undo) it
/// describes. Every step is safe to repeat, so a recovery killed in turn is finished
/// by the next run. Then staging folders of runs killed before their commit began are
/// removed. Called by [`apply`]; a program should call it right after [`lock`].
pub fn recover(root: &Path, lock: &Lock) -> Result<Recovered> {
    lock.check(root)?;
    let path = root.join(JOURNAL_FILE);
    let _ = std::fs::remove_file(root.join(format!("{JOURNAL_FILE}.tmp")));
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            remove_leftovers(root)?;
            return Ok(Recovered::Nothing);
        }
        Err(e) => return Err(io(&path)(e)),
    };
    let journal: Journal = serde_json::from_slice(&bytes).map_err(|e| Error::Output {
        file: path.clone(),
        message: format!(
            "unreadable commit journal ({e}); the folder may be half old, half new: regenerate into a fresh folder"
        ),
    })?;
    // The staging folder is named by the journal, never taken from it as a path.
    let staging_ok =
        journal.staging.strip_prefix(STAGING_PREFIX).is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let safe = |rel: &str| {
        Path::new(rel).components().all(|c| matches!(c, std::path::Component::Normal(_)))
            && OWNED_ROOTS.iter().any(|r| rel.starts_with(&format!("{r}/")))
    };
    if !staging_ok || !journal.writes.iter().all(|(r, _)| safe(r)) || !journal.deletes.iter().all(|r| safe(r)) {
        return Err(Error::Output {
            file: path,
            message: "commit journal names a place outside the output folders; not acting on it".into(),
        });
    }
    set_phase(Phase::Committing);
    let result = replay(root, &root.join(&journal.staging), &journal);
    let result = result.and_then(|()| remove_file(&path));
    set_phase(Phase::Idle);
    result?;
    let _ = std::fs::remove_dir_all(root.join(&journal.staging));
    remove_leftovers(root)?;
    Ok(if journal.undo { Recovered::Undone } else { Recovered::Finished })
}

/// The steps of a journal not yet done, whichever they are.
fn replay(root: &Path, staging: &Path, journal: &Journal) -> Result<()> {
    let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    if !journal.undo {
        for (rel, _) in &journal.writes {
            // Still staged: not placed yet. Gone from staging: already in place.
            let (staged, target) = (staging.join("new").join(rel), root.join(rel));
            if exists(&staged) {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(io_write(parent))?;
                }
                std::fs::rename(&staged, &target).map_err(io_write(&target))?;
            }
        }
        for rel in &journal.deletes {
            let target = root.join(rel);
            if exists(&target) {
                remove_file(&target)?;
            }
            remove_empty_parents(root, &target);
        }
    } else {
        for (rel, modified) in &journal.writes {
            let (backup, target) = (staging.join("old").join(rel), root.join(rel));
            if *modified {
                // A backup is made before its file is replaced: put it back.
                if exists(&backup) {
                    std::fs::rename(&backup, &target).map_err(io_write(&target))?;
                }
            } else if exists(&target) && !exists(&staging.join("new").join(rel)) {
                remove_file(&target)?;
                remove_empty_parents(root, &target);
            }
        }
        for rel in &journal.deletes {
            let (moved, target) = (staging.join("old").join(rel), root.join(rel));
            if exists(&moved) {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(io_write(parent))?;
                }
                std::fs::rename(&moved, &target).map_err(io_write(&target))?;
            }
        }
    }
    Ok(())
}

fn remove_file(path: &Path) -> Result<()> {
    std::fs::remove_file(path).map_err(io_write(path))
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
        std::fs::remove_dir_all(&path).map_err(io_write(&path))?;
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
            if interrupted() {
                return Err(Error::Interrupted { dir: staging.parent().unwrap_or(staging).to_path_buf() });
            }
            let path = staging.join("new").join(rel);
            if let Some(parent) = path.parent() {
                // Safe to race: `create_dir_all` accepts a folder another thread made.
                std::fs::create_dir_all(parent).map_err(io_write(parent))?;
            }
            std::fs::write(&path, contents).map_err(io_write(&path))
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
fn commit(root: &Path, staging: &Path, plan: &Plan, journal: &Journal) -> Result<()> {
    let mut done = Vec::new();
    let result = commit_steps(root, staging, plan, &mut done);
    if let Err(e) = result {
        // From now on a killed run must be undone, not finished.
        Journal { undo: true, ..journal.clone() }.write(root)?;
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
        // Whatever the steps above could not undo, the journal does (or, failing that,
        // stays for the next run to finish); done, it goes.
        let undo = Journal { undo: true, ..journal.clone() };
        replay(root, staging, &undo).and_then(|()| remove_file(&root.join(JOURNAL_FILE)))?;
        return Err(e);
    }
    Ok(())
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
                    std::fs::copy(&target, &backup).map_err(io_write(&backup))?;
                }
                Some(backup)
            }
            Change::Added => None,
        };
        create_parent(&target, done)?;
        std::fs::rename(&staged, &target).map_err(io_write(&target))?;
        done.push(Step::Placed { target, staged, backup });
    }
    for rel in &plan.deletes {
        let (from, to) = (root.join(rel), staging.join("old").join(rel));
        create_parent(&to, done)?;
        std::fs::rename(&from, &to).map_err(io_write(&from))?;
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
        std::fs::create_dir(p).map_err(io_write(p))?;
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
        apply(&root, &p, &lock(&root).unwrap()).unwrap();
        let mtime = std::fs::metadata(root.join("docs-site/docs/a.mdx")).unwrap().modified().unwrap();
        let p = plan(&root, &o).unwrap();
        assert!(p.is_clean());
        assert_eq!(p.unchanged, 1);
        apply(&root, &p, &lock(&root).unwrap()).unwrap();
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
        apply(&root, &p, &lock(&root).unwrap()).unwrap();
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
        apply(&root, &plan(&root, &o).unwrap(), &lock(&root).unwrap()).unwrap();
        let mtime = |f: &str| std::fs::metadata(root.join(f)).unwrap().modified().unwrap();
        let before = mtime("docs-site/docs/a.mdx");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let o = outputs(&[("docs-site/docs/a.mdx", &generated("a")), ("docs-site/docs/b.mdx", &generated("b2"))]);
        let p = plan(&root, &o).unwrap();
        assert_eq!((p.writes.len(), p.unchanged), (1, 1));
        apply(&root, &p, &lock(&root).unwrap()).unwrap();
        assert_eq!(mtime("docs-site/docs/a.mdx"), before);
        assert_eq!(std::fs::read_to_string(root.join("docs-site/docs/b.mdx")).unwrap(), generated("b2"));
        assert!(staging_dirs(&root).is_empty());
    }

    #[test]
    fn a_failed_write_leaves_the_tree_as_it_was() {
        let root = scratch("stage-fails");
        apply(
            &root,
            &plan(&root, &outputs(&[("docs-site/docs/a.mdx", &generated("old"))])).unwrap(),
            &lock(&root).unwrap(),
        )
        .unwrap();
        let before = tree(&root);
        // `x` as a file and as a folder: staging `x/y.mdx` fails after `x` was written.
        let o = outputs(&[
            ("docs-site/docs/a.mdx", &generated("new")),
            ("docs-site/docs/x", &generated("x")),
            ("docs-site/docs/x/y.mdx", &generated("y")),
        ]);
        let p = plan(&root, &o).unwrap();
        assert_eq!(p.writes.len(), 3);
        let err = apply(&root, &p, &lock(&root).unwrap()).unwrap_err();
        // Says what failed, with the OS error once: in the message, not again as a source.
        let text = err.to_string();
        assert!(text.contains("cannot write") && text.contains("docs-site/docs/x"), "{text}");
        assert!(std::error::Error::source(&err).is_none());
        assert_eq!(tree(&root), before);
    }

    #[test]
    fn a_failed_rename_is_undone() {
        let root = scratch("commit-fails");
        let docs = root.join("docs-site/docs");
        let o = outputs(&[("docs-site/docs/a.mdx", &generated("old")), ("docs-site/docs/stale.mdx", &generated("s"))]);
        apply(&root, &plan(&root, &o).unwrap(), &lock(&root).unwrap()).unwrap();
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
        let err = apply(&root, &p, &lock(&root).unwrap()).unwrap_err();
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
        apply(&root, &plan(&root, &outputs(&[])).unwrap(), &lock(&root).unwrap()).unwrap();
        assert!(!leftover.exists());
        assert_eq!(live.exists(), cfg!(target_os = "linux"));
    }

    #[test]
    fn a_second_lock_fails_at_once_naming_the_holder() {
        let root = scratch("lock");
        let held = lock(&root).unwrap();
        let started = std::time::Instant::now();
        let err = lock(&root).unwrap_err().to_string();
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "waited {:?}", started.elapsed());
        assert!(err.contains(&format!("pid {}", std::process::id())) && err.contains(LOCK_FILE), "{err}");
        drop(held);
        lock(&root).unwrap();
    }

    #[test]
    fn a_lock_file_left_by_a_dead_run_is_taken_over() {
        let root = scratch("stale-lock");
        std::fs::write(root.join(LOCK_FILE), "999999999\n").unwrap();
        let held = lock(&root).unwrap();
        assert_eq!(std::fs::read_to_string(root.join(LOCK_FILE)).unwrap(), format!("{}\n", std::process::id()));
        drop(held);
        assert_eq!(std::fs::read_to_string(root.join(LOCK_FILE)).unwrap(), "", "a finished run leaves no pid");
    }

    /// Files (or folders, as `None`) below a root, with their contents.
    type Files = Vec<(String, Option<Vec<u8>>)>;

    /// The old tree, a plan that modifies, adds and deletes, and the new tree.
    fn old_and_new(root: &Path) -> (Files, Outputs) {
        let old = outputs(&[
            ("docs-site/docs/a.mdx", &generated("a")),
            ("docs-site/docs/b.mdx", &generated("b")),
            ("docs-site/docs/gone/c.mdx", &generated("c")),
        ]);
        apply(root, &plan(root, &old).unwrap(), &lock(root).unwrap()).unwrap();
        let new = outputs(&[
            ("docs-site/docs/a.mdx", &generated("a2")),
            ("docs-site/docs/b.mdx", &generated("b2")),
            ("docs-site/docs/new/deep/d.mdx", &generated("d")),
        ]);
        (files_only(root), new)
    }

    /// The files below `dir` and their contents (folders left out: a killed run may
    /// leave an empty one), without the lock file.
    fn files_only(dir: &Path) -> Files {
        tree(dir).into_iter().filter(|(rel, c)| c.is_some() && rel != LOCK_FILE).collect()
    }

    /// Does what `apply` does up to the `k`th commit step, then stops as if killed.
    fn killed_after(root: &Path, p: &Plan, k: usize, undo: bool) {
        let staging_name = format!("{STAGING_PREFIX}999999998");
        let staging = root.join(&staging_name);
        stage(&staging, p).unwrap();
        let journal = Journal {
            staging: staging_name,
            undo: false,
            writes: p.writes.iter().map(|(r, _, c)| (r.clone(), *c == Change::Modified)).collect(),
            deletes: p.deletes.clone(),
        };
        journal.write(root).unwrap();
        let mut done = Vec::new();
        let mut steps = 0;
        for (rel, _, change) in &p.writes {
            if steps == k {
                break;
            }
            let (target, staged) = (root.join(rel), staging.join("new").join(rel));
            if *change == Change::Modified {
                let backup = staging.join("old").join(rel);
                create_parent(&backup, &mut done).unwrap();
                std::fs::hard_link(&target, &backup).unwrap();
            }
            create_parent(&target, &mut done).unwrap();
            std::fs::rename(&staged, &target).unwrap();
            steps += 1;
        }
        for rel in &p.deletes {
            if steps == k {
                break;
            }
            let to = staging.join("old").join(rel);
            create_parent(&to, &mut done).unwrap();
            std::fs::rename(root.join(rel), &to).unwrap();
            steps += 1;
        }
        if undo {
            Journal { undo: true, ..journal }.write(root).unwrap();
        }
    }

    #[test]
    fn a_commit_killed_at_any_step_is_finished_by_the_next_run() {
        for k in 0..=4 {
            let root = scratch(&format!("journal-forward-{k}"));
            let (_, new) = old_and_new(&root);
            let p = plan(&root, &new).unwrap();
            assert_eq!((p.writes.len(), p.deletes.len()), (3, 1));
            killed_after(&root, &p, k, false);
            assert_eq!(recover(&root, &lock(&root).unwrap()).unwrap(), Recovered::Finished);
            assert!(plan(&root, &new).unwrap().is_clean(), "step {k}");
            assert!(!root.join(JOURNAL_FILE).exists() && staging_dirs(&root).is_empty());
            assert!(!root.join("docs-site/docs/gone").exists(), "emptied folder left at step {k}");
        }
    }

    #[test]
    fn an_undo_killed_at_any_step_is_finished_by_the_next_run() {
        for k in 0..=4 {
            let root = scratch(&format!("journal-undo-{k}"));
            let (old_files, new) = old_and_new(&root);
            let p = plan(&root, &new).unwrap();
            killed_after(&root, &p, k, true);
            assert_eq!(recover(&root, &lock(&root).unwrap()).unwrap(), Recovered::Undone);
            assert_eq!(files_only(&root), old_files, "step {k}");
        }
    }

    #[test]
    fn a_journal_naming_a_place_outside_the_outputs_is_refused() {
        let root = scratch("journal-outside");
        let journal = Journal {
            staging: format!("{STAGING_PREFIX}1"),
            undo: false,
            writes: vec![("../escape.mdx".into(), false)],
            deletes: vec![],
        };
        journal.write(&root).unwrap();
        let err = recover(&root, &lock(&root).unwrap()).unwrap_err().to_string();
        assert!(err.contains(JOURNAL_FILE) && err.contains("outside"), "{err}");
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

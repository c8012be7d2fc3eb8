//! The output folder: what is already there, a temporary sibling to write
//! into, and the rename that publishes a finished corpus.
//!
//! A corpus appears at its path only when complete: everything is written
//! into `.NAME.noet-tmp-XXXX` beside it and renamed into place after the
//! manifest's `end` record is on disk and validation passed. A folder that
//! does not carry this tool's manifest is never replaced or deleted.

use crate::manifest;

mod lock;
mod mounts;
mod resources;
mod sink;
mod stream;
pub(crate) mod tree;
use crate::size::human;
pub use lock::{lock, lock_path, ReadLock, TargetLock};
use lock::{parent_dir, target_name};
pub use resources::{check_resources, precheck_space};
pub use sink::{ManifestOut, Sink};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
pub use stream::TarOut;

/// What occupies the output path before a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    /// Nothing there.
    Absent,
    /// An empty folder.
    EmptyDir,
    /// A corpus made by this tool.
    Corpus {
        /// Its cache key.
        key: String,
        /// Profile name, size and seed, for messages.
        describe: String,
    },
}

/// Why the output path cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file, not a folder.
    #[error("the output path {0} exists and is not a folder")]
    NotADir(PathBuf),
    /// A symlink: refused so that nothing is written through it.
    #[error("the output path {0} is a symbolic link; nothing is written through one")]
    Symlink(PathBuf),
    /// A folder with other content.
    #[error("the output folder {0} is a non-empty folder that is not a noet-corpus corpus; it was not touched")]
    Foreign(PathBuf),
    /// A folder with a manifest that does not prove it is this tool's corpus.
    #[error("the output folder {path} is not a noet-corpus corpus: {why}; it was not touched (remove it yourself if it is disposable)")]
    NotOurs {
        /// The folder.
        path: PathBuf,
        /// What disproves it.
        why: String,
    },
    /// A mount point inside the corpus: removal would cross file systems.
    #[error("{0} is a mount point inside the corpus; nothing was removed (unmount it first)")]
    Mount(PathBuf),
    /// A path that cannot become the corpus, found before any work.
    #[error("the output folder {path} cannot be used: {why}")]
    Unusable {
        /// The folder.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// A path that cannot become the corpus because a system call on it
    /// failed, found before any work (the error is kept as the source).
    #[error("the output folder {path} cannot be used: {what}: {source}")]
    Blocked {
        /// The folder.
        path: PathBuf,
        /// What was tried (`cannot inspect it`, `cannot create the lock file X`).
        what: String,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// The output folder is a mount point, which a rename cannot replace.
    #[error("the output folder {0} is a mount point: a corpus is published by renaming a folder into place, which cannot replace a mount point; a folder inside it can be published")]
    MountPoint(PathBuf),
    /// Inside another corpus.
    #[error("the output folder {0} is inside the corpus at {1}")]
    Nested(PathBuf, PathBuf),
    /// A different corpus, and replacing it was not asked for (`force`).
    #[error("the output folder {path} holds a different corpus ({describe}), and replacing it was not asked for")]
    Different {
        /// The folder.
        path: PathBuf,
        /// What it holds.
        describe: String,
    },
    /// A path below a file (`--out some-file/corpus`).
    #[error("the output path {0} goes through a file as if it were a folder")]
    UnderAFile(PathBuf),
    /// Another run published to the output folder while this one was writing.
    #[error("the output folder {0} changed while this run was writing (another run published there); nothing was replaced, run again")]
    Changed(PathBuf),
    /// Not enough free disk space for the corpus, checked before writing.
    #[error("{what} needs about {} of disk ({} of markdown, about {} of manifest and file-system overhead) but {} has only {} free; free some space, or ask for fewer bytes or another place", human(*need), human(*bytes), human(need.saturating_sub(*bytes)), dir.display(), human(*free))]
    NoSpace {
        /// The request, for the message (`a corpus of 1TB`).
        what: String,
        /// Markdown bytes.
        bytes: u64,
        /// Estimated bytes needed on disk.
        need: u64,
        /// Bytes available to this user.
        free: u64,
        /// The folder whose file system was checked.
        dir: PathBuf,
    },
    /// A single file too large to render in the memory available.
    #[error("the largest file would be {}, which needs about {} of memory to render and check, but only {} is available; ask for more files or fewer bytes, or lower layout.file_size_max", human(*largest), human(*need), human(*available))]
    NoMemory {
        /// Bytes of the largest file.
        largest: u64,
        /// Estimated peak memory.
        need: u64,
        /// Memory available.
        available: u64,
    },
    /// A folder tree deeper than the system's path length allows.
    #[error("layout.fanout = {fanout} and layout.files_per_folder = {files_per_folder} make folders {depth} levels deep, and paths up to {bytes} bytes long, over this system's limit of {limit}; raise layout.fanout or layout.files_per_folder, or ask for fewer bytes")]
    TooDeep {
        /// Depth of the deepest folder.
        depth: usize,
        /// Estimated longest path.
        bytes: usize,
        /// The system's limit.
        limit: usize,
        /// The profile's fanout.
        fanout: u64,
        /// The profile's files per folder.
        files_per_folder: u64,
    },
    /// File system failure.
    #[error("{what} {path}: {source}{}", io_hint(source))]
    Io {
        /// What was being done.
        what: &'static str,
        /// Where.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl OutputError {
    /// File-system failures while working are the system's; everything
    /// else is found before any work and is the request's.
    pub fn class(&self) -> crate::error::ErrorClass {
        match self {
            OutputError::Io { .. } => crate::error::ErrorClass::Runtime,
            _ => crate::error::ErrorClass::Input,
        }
    }
}

/// A hint for I/O errors a user can act on.
fn io_hint(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull => "; the disk is full: free some space or write elsewhere",
        K::FileTooLarge => {
            "; a file-size limit (ulimit -f) stopped the write: raise it or ask for fewer bytes"
        }
        K::PermissionDenied | K::ReadOnlyFilesystem => "; the place is not writable",
        _ => "",
    }
}

/// An I/O error with context.
pub fn io_err<'a>(
    what: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// What makes two corpus folders the same: the parameters' key and, for a
/// shard, which shard it is.
pub fn identity(key: &str, shard: Option<manifest::Shard>) -> String {
    match shard {
        Some(s) => format!("{key}/shard-{}-of-{}", s.index, s.count),
        None => key.to_string(),
    }
}

/// Inspect the output path.
pub fn inspect(out: &Path) -> Result<Existing, OutputError> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            check_not_nested(out)?;
            return Ok(Existing::Absent);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(OutputError::UnderAFile(out.to_path_buf()))
        }
        Err(source) => {
            return Err(OutputError::Blocked {
                path: out.to_path_buf(),
                what: "cannot inspect it".into(),
                source,
            })
        }
    };
    if meta.file_type().is_symlink() {
        return Err(OutputError::Symlink(out.to_path_buf()));
    }
    if !meta.is_dir() {
        return Err(OutputError::NotADir(out.to_path_buf()));
    }
    check_not_nested(out)?;
    if mounts::is_mount_point(out) {
        return Err(OutputError::MountPoint(out.to_path_buf()));
    }
    let header = match manifest::read_header(out) {
        Ok((header, true)) => header,
        // An unfinished manifest is never published by this tool, so what
        // holds one was made or changed by something else: not replaced.
        Ok((_, false)) => {
            return Err(OutputError::NotOurs {
                path: out.to_path_buf(),
                why: "its manifest has no end record".into(),
            })
        }
        Err(manifest::ManifestError::Missing(_)) => {
            let mut entries = std::fs::read_dir(out).map_err(io_err("cannot list", out))?;
            return if entries.next().is_none() {
                Ok(Existing::EmptyDir)
            } else {
                Err(OutputError::Foreign(out.to_path_buf()))
            };
        }
        // An empty, truncated or foreign file (or a folder) at the manifest's
        // path proves nothing: the folder may be a user's.
        Err(e) => {
            return Err(OutputError::NotOurs {
                path: out.to_path_buf(),
                why: format!("its manifest cannot be read ({e})"),
            })
        }
    };
    let p = &header.params;
    Ok(Existing::Corpus {
        key: identity(&header.key, header.shard),
        describe: format!(
            "profile {}, size {}, seed {}{}{}",
            p.profile.name,
            crate::size::ByteSize(p.size),
            p.seed,
            p.files.map(|f| format!(", {f} files")).unwrap_or_default(),
            header
                .shard
                .map(|s| format!(", shard {s}"))
                .unwrap_or_default()
        ),
    })
}

/// Compare the corpus at `out` (one [`inspect`] called
/// [`Existing::Corpus`]) with the files its manifest lists. Returns why it
/// is damaged (files missing or resized), or `None` when intact. Refuses a
/// folder that holds anything unlisted, or a mount point: not this tool's
/// to replace.
///
/// It walks the tree with `stat` only; an intact corpus costs the walk
/// and its manifest's last line, a damaged or foreign one also a read of
/// the manifest's file lines.
pub fn verify(out: &Path) -> Result<Option<String>, OutputError> {
    let not_ours = |why: String| OutputError::NotOurs {
        path: out.to_path_buf(),
        why,
    };
    match tree::check(out) {
        Ok(tree::TreeState::Intact) => Ok(None),
        Ok(tree::TreeState::Damaged(why)) => Ok(Some(why)),
        Err(tree::TreeError::Extra(rel)) => Err(not_ours(format!(
            "it holds {rel}, which its manifest does not list"
        ))),
        Err(tree::TreeError::Mount(at)) => Err(OutputError::Mount(at)),
        Err(tree::TreeError::Manifest(e)) => {
            Err(not_ours(format!("its manifest cannot be read ({e})")))
        }
        Err(tree::TreeError::Io(path, e)) => Err(io_err("cannot inspect", &path)(e)),
    }
}

/// What a run that writes `out` is to do, decided by [`prepare`].
#[derive(Debug)]
pub enum Prepared {
    /// `out` already holds the wanted corpus, intact.
    UpToDate,
    /// Build it: the lock of `out` is held, and what `out` holds was
    /// looked at under it.
    Build(Target),
}

/// The right to replace one `--out`: its lock, and what it held when the
/// lock was taken. [`Target::stage`] turns it into the [`Stage`] that is
/// written and published, so the lock is held from the decision to the
/// rename, and released on drop.
#[derive(Debug)]
pub struct Target {
    out: PathBuf,
    existing: Existing,
    _lock: TargetLock,
}

impl Target {
    /// What `out` held when it was locked.
    pub fn existing(&self) -> &Existing {
        &self.existing
    }

    /// A fresh temporary folder beside `out` to build the corpus in. A
    /// failure here is a place that cannot hold the corpus, found before
    /// any work.
    pub fn stage(self) -> Result<Stage, OutputError> {
        let dir = temp_beside(&self.out).map_err(|e| unusable(&self.out, e))?;
        Ok(Stage {
            dir: Some(dir),
            target: self,
        })
    }
}

/// Whether `existing` at `out` is the wanted corpus, intact; an error if
/// it may not be replaced (another corpus without `force`, or a folder
/// that is not wholly this tool's).
fn is_current(
    out: &Path,
    existing: &Existing,
    wanted: &str,
    force: bool,
) -> Result<bool, OutputError> {
    let Existing::Corpus { key, describe } = existing else {
        return Ok(false);
    };
    if key != wanted && !force {
        return Err(OutputError::Different {
            path: out.to_path_buf(),
            describe: describe.clone(),
        });
    }
    // A damaged copy of this corpus (files lost or resized, as a partial
    // cache restore leaves it) is rebuilt as it was, without --force; a
    // folder that is not wholly this tool's is refused.
    let damage = verify(out)?;
    Ok(key == wanted && damage.is_none())
}

/// Decide what a run that wants the corpus `wanted` (an [`identity`]) at
/// `out` must do. An intact copy is found without a lock (so a read-only
/// cache is "up to date"); otherwise the lock is taken, waiting for any
/// other run, and `out` is looked at again, since that run may have built
/// it meanwhile. Every run that writes `out` (`gen`, `merge`, `suite`)
/// decides here, so they take turns and agree on what is up to date.
pub fn prepare(out: &Path, wanted: &str, force: bool) -> Result<Prepared, OutputError> {
    let given = out;
    let out = &resolve(out)?;
    if is_current(out, &inspect(out)?, wanted, force)? {
        return Ok(Prepared::UpToDate);
    }
    // Publishing replaces the folder itself: the caller's shell would be
    // left in a deleted folder.
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| fs::canonicalize(d).ok());
    if fs::canonicalize(out).ok().is_some_and(|o| Some(o) == cwd) {
        return Err(OutputError::Unusable {
            path: given.to_path_buf(),
            why: "it is the current folder, which publishing replaces (your shell would be left in a deleted folder); use the name of a new folder, such as corpus".into(),
        });
    }
    let lock = lock(out).map_err(|e| unusable(out, e))?;
    let existing = inspect(out)?;
    if is_current(out, &existing, wanted, force)? {
        return Ok(Prepared::UpToDate);
    }
    Ok(Prepared::Build(Target {
        out: out.to_path_buf(),
        existing,
        _lock: lock,
    }))
}

/// Bytes this tool adds to `--out`'s name for its temporary sibling
/// (`.NAME.noet-tmp-XXXXXX`; the lock, `.NAME.noet-lock`, needs fewer).
const SIBLING_EXTRA: usize = 1 + ".noet-tmp-".len() + TEMP_RAND;

/// `out` as a path that names its folder: `.`, `..` and a trailing `/.`
/// are resolved (a lock beside `.` would otherwise land inside it), and a
/// name the file system cannot take beside its siblings is refused before
/// any work.
pub fn resolve(out: &Path) -> Result<PathBuf, OutputError> {
    let resolved = match out.file_name() {
        Some(_) => out.to_path_buf(),
        None => fs::canonicalize(out).map_err(|source| OutputError::Blocked {
            path: out.to_path_buf(),
            what: "cannot find where it is".into(),
            source,
        })?,
    };
    let Some(name) = resolved.file_name() else {
        return Err(OutputError::Unusable {
            path: out.to_path_buf(),
            why: "it is the root folder; choose a new folder below it".into(),
        });
    };
    let len = name.len();
    let max = name_max(&parent_dir(&resolved));
    if len + SIBLING_EXTRA > max {
        return Err(OutputError::Unusable {
            path: out.to_path_buf(),
            why: format!(
                "its name is {len} bytes, and the temporary folder written beside it (.NAME.noet-tmp-XXXXXX) must fit this file system's limit of {max} bytes per name; use a name of at most {} bytes",
                max.saturating_sub(SIBLING_EXTRA)
            ),
        });
    }
    Ok(resolved)
}

/// The longest file name the file system holding `dir` (or its nearest
/// existing ancestor) takes.
fn name_max(dir: &Path) -> usize {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if d.as_os_str().is_empty() {
                break;
            }
            if d.exists() {
                if let Ok(c) = std::ffi::CString::new(d.as_os_str().as_bytes()) {
                    // SAFETY: a valid NUL-terminated path.
                    let n = unsafe { libc::pathconf(c.as_ptr(), libc::_PC_NAME_MAX) };
                    if n > 0 {
                        return n as usize;
                    }
                }
                break;
            }
            cur = d.parent();
        }
    }
    let _ = dir;
    255
}

/// A file-system error while preparing `out` (its lock, its temporary
/// folder): the place cannot hold a corpus, which is bad input found
/// before any work, not a failure during it.
fn unusable(out: &Path, e: OutputError) -> OutputError {
    match e {
        OutputError::Io { what, path, source } => OutputError::Blocked {
            path: out.to_path_buf(),
            what: format!("{what} {}", path.display()),
            source,
        },
        other => other,
    }
}

fn check_not_nested(out: &Path) -> Result<(), OutputError> {
    let abs = std::path::absolute(out).map_err(io_err("cannot resolve", out))?;
    let mut cur = abs.parent();
    while let Some(dir) = cur {
        if manifest::exists(dir) {
            return Err(OutputError::Nested(out.to_path_buf(), dir.to_path_buf()));
        }
        cur = dir.parent();
    }
    Ok(())
}

// Temporary folders, and cleanup on interruption. With the lock of `out`
// held (lock.rs), a run may delete `.NAME.noet-tmp-XXXXXX` siblings: no
// live run can own them, so they are leftovers of a killed run.

/// Length of the random suffix of temporary folder names.
const TEMP_RAND: usize = 6;

/// Temporary folders and locks held by this process, for the interrupt
/// handler.
struct Held {
    temps: Vec<PathBuf>,
    locks: Vec<PathBuf>,
    /// Temporary files (not folders) to remove on an interrupt.
    files: Vec<PathBuf>,
    /// Folders above `--out` that this run created, top first.
    created: Vec<PathBuf>,
    /// Shared (reader) locks: a clone of each lock file's handle, so the
    /// cleanup can try to take it exclusively before unlinking it.
    reads: Vec<(PathBuf, File)>,
}

static HELD: Mutex<Held> = Mutex::new(Held {
    temps: Vec::new(),
    locks: Vec::new(),
    files: Vec::new(),
    created: Vec::new(),
    reads: Vec::new(),
});

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Threads blocked on the registry after an interrupt.
static PARKED: AtomicUsize = AtomicUsize::new(0);

/// The registry. After an interrupt it stays locked until the process
/// exits, so any thread that touches it (to create, publish or remove a
/// folder) waits there instead of racing the cleanup.
fn held() -> MutexGuard<'static, Held> {
    match HELD.try_lock() {
        Ok(g) => g,
        Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => {
            if interrupted() {
                // Parked for good: tell the cleanup that this thread will
                // not create anything any more.
                PARKED.fetch_add(1, Ordering::SeqCst);
            }
            HELD.lock().unwrap_or_else(|e| e.into_inner())
        }
    }
}

/// How many corpora this process has published so far, for an interrupt
/// handler's message (it reads the count without the registry, which
/// [`interrupt_cleanup`] leaves locked).
pub fn published() -> usize {
    PUBLISHED.load(Ordering::SeqCst)
}

static PUBLISHED: AtomicUsize = AtomicUsize::new(0);

/// Have the interrupt handler remove the temporary file `path` (one that
/// is renamed into place when complete), until [`release_temp_file`].
pub fn hold_temp_file(path: &Path) {
    held().files.push(path.to_path_buf());
}

/// The temporary file `path` was renamed into place, or removed.
pub fn release_temp_file(path: &Path) {
    held().files.retain(|f| f != path);
}

/// Whether an interrupt has started cleaning up.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// One corpus on its way to `--out`: the lock of `out` (from its
/// [`Target`]), a temporary folder beside `out` that is written through
/// [`Stage::sink`], and the rename that publishes it. Dropped unpublished,
/// it removes the folder, then releases the lock; the interrupt handler
/// removes the folder too.
#[derive(Debug)]
pub struct Stage {
    dir: Option<tempfile::TempDir>,
    // Dropped after `dir` is removed (see `Drop`).
    target: Target,
}

impl Stage {
    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.as_ref().expect("a live staging folder").path()
    }

    /// Where the corpus is written: under the folder.
    pub fn sink(&self) -> Sink<'_> {
        Sink::Folder(self.path())
    }

    /// Move the finished corpus to `out`, replacing what was there (only
    /// an empty folder or one of this tool's corpora). `out` must still be
    /// what it was when locked, or nothing is replaced.
    pub fn publish(mut self) -> Result<(), OutputError> {
        let (out, existing) = (&self.target.out, &self.target.existing);
        if inspect(out)? != *existing {
            return Err(OutputError::Changed(out.to_path_buf()));
        }
        // The interrupt handler waits for the renames.
        let mut h = held();
        let staged = self.dir.take().expect("a live staging folder").keep();
        let result = replace(&mut h, &staged, out, existing);
        if result.is_ok() {
            PUBLISHED.fetch_add(1, Ordering::SeqCst);
        }
        if result.is_err() && staged.exists() {
            let _ = mounts::remove_tree(&staged);
        }
        h.temps.retain(|t| t != &staged);
        drop(h);
        result
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(d) = self.dir.take() {
            let p = d.path().to_path_buf();
            held().temps.retain(|t| t != &p);
            drop(d);
        }
    }
}

/// A fresh temporary folder beside `out`, registered for the interrupt
/// handler. Only call with the lock of `out` held.
fn temp_beside(out: &Path) -> Result<tempfile::TempDir, OutputError> {
    let parent = parent_dir(out);
    let mut h = held();
    let dir = tempfile::Builder::new()
        .prefix(&format!(".{}.noet-tmp-", target_name(out)))
        .rand_bytes(TEMP_RAND)
        .tempdir_in(&parent)
        .map_err(io_err("cannot create a temporary folder in", &parent))?;
    h.temps.push(dir.path().to_path_buf());
    Ok(dir)
}

/// Rename `staged` to `out`, replacing what `existing` says is there; `h`
/// is the registry, held across the renames.
fn replace(
    h: &mut Held,
    staged: &Path,
    out: &Path,
    existing: &Existing,
) -> Result<(), OutputError> {
    match existing {
        Existing::Absent => {}
        Existing::EmptyDir => {
            fs::remove_dir(out).map_err(io_err("cannot replace empty folder", out))?
        }
        Existing::Corpus { .. } => {
            // Atomic where the system can: `out` is never absent.
            if exchange(staged, out).is_ok() {
                if let Err(error) = mounts::remove_tree(staged) {
                    crate::notice::tell(crate::notice::Notice::OldCorpusKept {
                        path: staged,
                        error: &error,
                    });
                }
                return Ok(());
            }
            let parent = parent_dir(out);
            let old = tempfile::Builder::new()
                .prefix(&format!(".{}.noet-tmp-", target_name(out)))
                .rand_bytes(TEMP_RAND)
                .tempdir_in(&parent)
                .map_err(io_err("cannot create a temporary folder in", &parent))?
                .keep();
            h.temps.push(old.clone());
            fs::remove_dir(&old).map_err(io_err("cannot prepare", &old))?;
            fs::rename(out, &old).map_err(io_err("cannot move aside", out))?;
            fs::rename(staged, out).map_err(io_err("cannot publish to", out))?;
            mounts::remove_tree(&old).map_err(io_err("cannot remove old corpus", &old))?;
            return Ok(());
        }
    }
    fs::rename(staged, out).map_err(io_err("cannot publish to", out))
}

/// Swap two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated and outlive the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Remove every temporary folder and lock file of this process, waiting
/// for a publish in progress to finish. Afterwards the registry stays
/// locked, so no other thread can create or publish anything; the caller
/// should exit.
///
/// The run's own thread may still be writing, and `create_dir_all` would
/// make a removed folder again; so the folders are removed repeatedly
/// until that thread, failing on the missing folder, parks on the registry
/// (or 3 seconds pass), then once more.
pub fn interrupt_cleanup() {
    use std::time::{Duration, Instant};
    INTERRUPTED.store(true, Ordering::SeqCst);
    let h = HELD.lock().unwrap_or_else(|e| e.into_inner());
    let remove = || {
        for t in &h.temps {
            for _ in 0..20 {
                match mounts::remove_tree(t) {
                    Ok(()) => break,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                    // Workers are adding files: try again.
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        }
    };
    let start = Instant::now();
    if !h.temps.is_empty() {
        while PARKED.load(Ordering::SeqCst) == 0 && start.elapsed() < Duration::from_secs(3) {
            remove();
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    remove();
    for l in &h.locks {
        let _ = fs::remove_file(l);
    }
    for f in &h.files {
        let _ = fs::remove_file(f);
    }
    for (path, file) in &h.reads {
        lock::release_shared(path, file);
    }
    for d in h.created.iter().rev() {
        let _ = fs::remove_dir(d);
    }
    std::mem::forget(h);
}

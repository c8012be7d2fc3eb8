//! The lock of one `--out`: `.NAME.noet-lock` beside it.
//!
//! Every run that writes `out` holds an exclusive `flock` on it from its
//! decision to its publish, and `validate` holds a shared one while it
//! reads, so a reader sees the old corpus or the new one, never a mix. The
//! kernel releases a lock when its process dies, even by SIGKILL. Whoever
//! unlinks the lock file holds it exclusively at that moment, and whoever
//! locked a file that is no longer at the path starts over, so the lock
//! stays exclusive although the file comes and goes.

use super::{held, io_err, mounts, OutputError, TEMP_RAND};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

/// The folder that holds `out` (`.` for a bare name).
pub(super) fn parent_dir(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The last component of `out`, used in sibling names.
pub(super) fn target_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "corpus".into())
}

/// The lock file of `out`: `.NAME.noet-lock` beside it.
pub fn lock_path(out: &Path) -> PathBuf {
    parent_dir(out).join(format!(".{}.noet-lock", target_name(out)))
}

/// Whether `name` is one of this tool's temporary folders for target `target`.
pub(super) fn is_temp_name(name: &str, target: &str) -> bool {
    name.strip_prefix(&format!(".{target}.noet-tmp-"))
        .is_some_and(|rest| {
            rest.len() == TEMP_RAND && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Create the folders above `out`; returns those that did not exist, top
/// first, so that a failed run can remove them again.
fn create_parents(out: &Path) -> Result<Vec<PathBuf>, OutputError> {
    let parent = parent_dir(out);
    let mut missing = Vec::new();
    let mut cur = Some(parent.as_path());
    while let Some(d) = cur {
        if d.as_os_str().is_empty() || fs::symlink_metadata(d).is_ok() {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    missing.reverse();
    fs::create_dir_all(&parent).map_err(io_err("cannot create", &parent))?;
    Ok(missing)
}

/// The exclusive right to write one `--out`, released on drop.
#[derive(Debug)]
pub struct TargetLock {
    path: PathBuf,
    file: Option<File>,
    created: Vec<PathBuf>,
}

impl Drop for TargetLock {
    fn drop(&mut self) {
        let mut h = held();
        h.locks.retain(|p| p != &self.path);
        if self.file.is_some() {
            // Unlinked while still locked: see the module's comment.
            let _ = fs::remove_file(&self.path);
        }
        self.file = None;
        // Folders created for this run stay only if something is in them.
        for d in self.created.iter().rev() {
            let _ = fs::remove_dir(d);
        }
        h.created.retain(|c| !self.created.contains(c));
        drop(h);
    }
}

/// Whether `file` is still the file at `path` (a run that released the
/// lock unlinked it).
fn still_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Take the lock of `out`, waiting (with a [`crate::notice::Notice::Waiting`]) while another
/// run holds it; then remove temporary folders that killed runs left
/// beside `out`. Creates the folders above `out` if needed.
pub fn lock(out: &Path) -> Result<TargetLock, OutputError> {
    let created = {
        // Registered before they exist, so an interrupt cannot fall
        // between their creation and the record of it.
        let mut h = held();
        let created = create_parents(out)?;
        h.created.extend(created.iter().cloned());
        created
    };
    let path = lock_path(out);
    let mut told = false;
    for attempt in 0.. {
        let file = match open_lock_file(&path) {
            Ok(f) => f,
            // Another run removed the folder it had created: make it again.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && attempt < 10 => {
                fs::create_dir_all(parent_dir(out)).map_err(io_err("cannot create", out))?;
                continue;
            }
            Err(e) => return Err(io_err("cannot create the lock file", &path)(e)),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                if !told {
                    told = true;
                    tell_waiting(out, &path);
                }
                file.lock().map_err(io_err("cannot lock", &path))?;
            }
            // A file system without locks: go on unlocked, as before locks existed.
            Err(fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                return Ok(TargetLock {
                    path,
                    file: None,
                    created,
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_err("cannot lock", &path)(e)),
        }
        if !still_at(&file, &path) {
            continue;
        }
        held().locks.push(path.clone());
        remove_stale_temps(out);
        return Ok(TargetLock {
            path,
            file: Some(file),
            created,
        });
    }
    unreachable!("the loop returns")
}

/// Remove `.NAME.noet-tmp-XXXXXX` folders beside `out` that no live run
/// owns. Only call with the lock of `out` held.
fn remove_stale_temps(out: &Path) {
    let parent = parent_dir(out);
    let name = target_name(out);
    let Ok(entries) = fs::read_dir(&parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        if !is_temp_name(n, &name) {
            continue;
        }
        let p = parent.join(n);
        if held().temps.contains(&p) {
            continue;
        }
        if !fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        if let Err(error) = mounts::remove_tree(&p) {
            crate::notice::tell(crate::notice::Notice::LeftoverKept {
                path: &p,
                error: &error,
            });
        }
    }
}

/// A shared hold on the lock of a corpus folder, released on drop: while
/// it is held no run can replace the folder (a run that is writing it
/// makes the reader wait until it has published).
#[derive(Debug)]
pub struct ReadLock {
    path: PathBuf,
    file: File,
}

impl ReadLock {
    /// Take a shared lock of `dir`, waiting (with a [`crate::notice::Notice::Waiting`]) while
    /// a run writes it. `None` where no lock file can be made (a read-only
    /// folder, where no run can write either) or locks are not supported.
    pub fn take(dir: &Path) -> Option<ReadLock> {
        let path = lock_path(dir);
        let mut told = false;
        for _ in 0..100 {
            let file = open_lock_file(&path).ok()?;
            match file.try_lock_shared() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !told {
                        told = true;
                        tell_waiting(dir, &path);
                    }
                    file.lock_shared().ok()?;
                }
                Err(fs::TryLockError::Error(_)) => return None,
            }
            if !still_at(&file, &path) {
                continue;
            }
            let clone = file.try_clone().ok();
            let mut h = held();
            if let Some(c) = clone {
                h.reads.push((path.clone(), c));
            }
            return Some(ReadLock { path, file });
        }
        None
    }
}

impl Drop for ReadLock {
    fn drop(&mut self) {
        let mut h = held();
        h.reads.retain(|(p, _)| p != &self.path);
        release_shared(&self.path, &self.file);
    }
}

/// Leave no lock file behind a reader: the last holder (the one that can
/// take the lock exclusively) unlinks it, as a writer does.
pub(super) fn release_shared(path: &Path, file: &File) {
    if file.try_lock().is_ok() && still_at(file, path) {
        let _ = fs::remove_file(path);
    }
    let _ = file.unlock();
}

/// Open (creating) a lock file, never through a symbolic link.
fn open_lock_file(path: &Path) -> std::io::Result<File> {
    let mut opts = fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW);
    }
    opts.open(path)
}

/// Tell that another run holds the lock of `out`.
fn tell_waiting(out: &Path, path: &Path) {
    crate::notice::tell(crate::notice::Notice::Waiting { out, lock: path });
}

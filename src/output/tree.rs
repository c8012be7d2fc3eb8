//! What is on disk under a corpus folder, compared with what its manifest
//! lists: the evidence that decides whether a folder may be replaced and
//! whether a corpus is still up to date.
//!
//! A manifest alone proves nothing (anyone can copy one, or leave an empty
//! file at its path), so a folder counts as this tool's corpus only when
//! every file under it is one the manifest lists, and as up to date only
//! when every listed file is there with its listed size. Only `stat` is
//! used: no file of the corpus is read.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::manifest;

/// The longest manifest line read while listing files: file and asset
/// records are a few hundred bytes, so a longer one is not a manifest this
/// tool wrote (and reading it whole could exhaust memory).
const MAX_LINE: u64 = 1 << 20;

/// What the walk found.
#[derive(Debug, PartialEq, Eq)]
pub enum TreeState {
    /// Every listed file is present with its size, and nothing else is.
    Intact,
    /// Only listed files are present, but some are missing or have another
    /// size: this tool's corpus, damaged (rebuild it).
    Damaged(String),
}

/// Why the folder is not (only) this tool's corpus.
#[derive(Debug)]
pub enum TreeError {
    /// A file or folder the manifest does not list (relative path).
    Extra(String),
    /// A folder on another file system (a mount point).
    Mount(PathBuf),
    /// The manifest could not be listed.
    Manifest(String),
    /// The folder could not be walked.
    Io(PathBuf, std::io::Error),
}

/// Every `file` and `asset` record's path and size. Other records are
/// skipped by their prefix, unparsed, so this costs one pass over the
/// manifest's bytes.
fn listed(root: &Path) -> Result<HashMap<String, u64>, TreeError> {
    #[derive(serde::Deserialize)]
    struct Entry {
        path: String,
        bytes: u64,
    }
    let path = manifest::path(root);
    let f = std::fs::File::open(&path).map_err(|e| TreeError::Io(path.clone(), e))?;
    let mut r = BufReader::with_capacity(1 << 16, f);
    let mut files = HashMap::new();
    let mut line = Vec::new();
    let mut n = 0u64;
    loop {
        line.clear();
        let got = (&mut r)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .map_err(|e| TreeError::Io(path.clone(), e))?;
        if got == 0 {
            break;
        }
        n += 1;
        if !line.ends_with(b"\n") && got as u64 == MAX_LINE {
            return Err(TreeError::Manifest(format!(
                "line {n} of {} is longer than {MAX_LINE} bytes",
                path.display()
            )));
        }
        if line.starts_with(br#"{"type":"file","#) || line.starts_with(br#"{"type":"asset","#) {
            let e: Entry = serde_json::from_slice(&line)
                .map_err(|e| TreeError::Manifest(format!("line {n} of {}: {e}", path.display())))?;
            files.insert(e.path, e.bytes);
        }
    }
    Ok(files)
}

/// Walk `root` and compare it with its manifest's list of files.
pub fn check(root: &Path) -> Result<TreeState, TreeError> {
    let mut want = listed(root)?;
    let root_dev = std::fs::symlink_metadata(root)
        .map_err(|e| TreeError::Io(root.to_path_buf(), e))?
        .dev();
    let mut damaged: Option<String> = None;
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| TreeError::Io(dir.clone(), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| TreeError::Io(dir.clone(), e))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let child_rel = if rel.is_empty() {
                name.to_string()
            } else {
                format!("{rel}/{name}")
            };
            let p = entry.path();
            let meta = std::fs::symlink_metadata(&p).map_err(|e| TreeError::Io(p.clone(), e))?;
            if meta.dev() != root_dev {
                return Err(TreeError::Mount(p));
            }
            if meta.is_dir() {
                stack.push((p, child_rel));
                continue;
            }
            if child_rel == format!("{}/{}", manifest::DIR, manifest::FILE) {
                continue;
            }
            match (meta.is_file(), want.remove(&child_rel)) {
                (true, Some(bytes)) => {
                    if meta.len() != bytes && damaged.is_none() {
                        damaged = Some(format!(
                            "{child_rel} has {} bytes, the manifest says {bytes}",
                            meta.len()
                        ));
                    }
                }
                _ => return Err(TreeError::Extra(child_rel)),
            }
        }
    }
    if damaged.is_none() {
        if let Some(path) = want.keys().min() {
            damaged = Some(format!(
                "{path} is missing ({} listed files in all)",
                want.len()
            ));
        }
    }
    Ok(damaged.map_or(TreeState::Intact, TreeState::Damaged))
}

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
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::manifest::{self, ManifestError, Record, TreeDigest};

/// The files a corpus holds: relative `/`-separated path to size in bytes.
type Listing = HashMap<String, u64>;

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
    /// An entry that is not a folder (a file, a symlink) and that the
    /// manifest does not list, by its relative path.
    Extra(String),
    /// A folder on another file system (a mount point).
    Mount(PathBuf),
    /// The manifest could not be listed.
    Manifest(ManifestError),
    /// The folder could not be walked.
    Io(PathBuf, std::io::Error),
}

/// Every `file` and `asset` record's path and size. `link` and `heading`
/// lines, most of a manifest, are passed over unparsed.
fn listed(root: &Path) -> Result<Listing, ManifestError> {
    let mut r = manifest::Reader::open(root)?
        .skipping_links()
        .skipping_headings();
    let mut files = HashMap::new();
    while let Some(record) = r.next_record()? {
        match record {
            Record::File(f) => files.insert(f.path, f.bytes),
            Record::Asset(a) => files.insert(a.path, a.bytes),
            _ => None,
        };
    }
    Ok(files)
}

/// Whether `rel` is a revision's delta of the manifest (part of it).
fn is_delta(rel: &str) -> bool {
    rel.strip_prefix(manifest::DIR)
        .and_then(|r| r.strip_prefix('/'))
        .and_then(|r| r.strip_prefix(manifest::deltas::REVISIONS))
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|name| {
            name.len() == 8 + ".jsonl.zst".len()
                && name.ends_with(".jsonl.zst")
                && name[..8].bytes().all(|b| b.is_ascii_digit())
        })
}

/// Every entry under `root` other than folders and the manifest, by
/// relative path, with its metadata. Refuses a mount point.
fn walk(
    root: &Path,
    mut visit: impl FnMut(String, &std::fs::Metadata) -> Result<(), TreeError>,
) -> Result<(), TreeError> {
    let manifest_rel = format!("{}/{}", manifest::DIR, manifest::FILE);
    // A corpus of format 8 or before has the plain manifest instead.
    let legacy_rel = format!("{}/{}", manifest::DIR, manifest::LEGACY_FILE);
    let root_dev = std::fs::symlink_metadata(root)
        .map_err(|e| TreeError::Io(root.to_path_buf(), e))?
        .dev();
    // A bind mount of the same file system keeps `st_dev`: the kernel's
    // list finds it.
    if let Some(m) = super::mounts::under(root).into_iter().next() {
        return Err(TreeError::Mount(m));
    }
    let build = crate::site::build_dir_at(root);
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
                // A site's build output is the tool's, not the corpus's.
                if rel.is_empty() && build == Some(&*child_rel) {
                    continue;
                }
                stack.push((p, child_rel));
            } else if child_rel != manifest_rel && child_rel != legacy_rel && !is_delta(&child_rel)
            {
                visit(child_rel, &meta)?;
            }
        }
    }
    Ok(())
}

/// Walk `root` and compare it with its manifest.
///
/// When the manifest's `end` record carries a [`TreeDigest`] and a walk
/// of the folder arrives at the same one, the folder holds exactly the
/// listed files at their sizes, and nothing more of the manifest is read
/// (a rerun of a 1 GB corpus costs a walk, not a 2 GB read). Otherwise the
/// manifest's file lines are read to say what differs.
pub fn check(root: &Path) -> Result<TreeState, TreeError> {
    let recorded = manifest::read_end(root)
        .map_err(TreeError::Manifest)?
        .and_then(|e| e.tree)
        .and_then(|hex| TreeDigest::from_hex(&hex));
    if let Some(recorded) = recorded {
        let mut found = TreeDigest::default();
        walk(root, |rel, meta| {
            found.add(&rel, meta.len());
            Ok(())
        })?;
        if found == recorded {
            return Ok(TreeState::Intact);
        }
    }
    let mut want = listed(root).map_err(TreeError::Manifest)?;
    let mut damaged: Option<String> = None;
    walk(root, |rel, meta| {
        match (meta.is_file(), want.remove(&rel)) {
            (true, Some(bytes)) => {
                if meta.len() != bytes && damaged.is_none() {
                    damaged = Some(format!(
                        "{rel} has {} bytes, the manifest says {bytes}",
                        meta.len()
                    ));
                }
                Ok(())
            }
            _ => Err(TreeError::Extra(rel)),
        }
    })?;
    if damaged.is_none() {
        if let Some(path) = want.keys().min() {
            damaged = Some(format!(
                "{path} is missing ({} listed files in all)",
                want.len()
            ));
        }
    }
    // Same files at the same sizes, yet another digest: the end record
    // was edited. Not what this tool wrote, so not treated as intact.
    if damaged.is_none() && recorded.is_some() {
        damaged = Some("its end record's tree digest does not match the files".into());
    }
    Ok(damaged.map_or(TreeState::Intact, TreeState::Damaged))
}

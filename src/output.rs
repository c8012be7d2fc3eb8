//! The output folder: what is already there, a temporary sibling to write
//! into, and the rename that publishes a finished corpus.
//!
//! A corpus appears at its path only when complete: everything is written
//! into `.NAME.noet-tmp-XXXX` beside it and renamed into place after the
//! manifest's `end` record is on disk and validation passed. A folder that
//! does not carry this tool's manifest is never replaced or deleted.

use crate::manifest;
use std::path::{Path, PathBuf};

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
        /// Whether its manifest ends with an `end` record.
        complete: bool,
    },
}

/// Why the output path cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file, not a folder.
    #[error("--out {0} exists and is not a folder; choose another --out")]
    NotADir(PathBuf),
    /// A symlink: refused so that nothing is written through it.
    #[error("--out {0} is a symbolic link; pass the folder it points to instead")]
    Symlink(PathBuf),
    /// A folder with other content.
    #[error("--out {0} is a non-empty folder that is not a noet-corpus corpus; it was not touched. Choose a new or empty folder")]
    Foreign(PathBuf),
    /// Inside another corpus.
    #[error("--out {0} is inside the corpus at {1}; choose a folder outside it")]
    Nested(PathBuf, PathBuf),
    /// A different corpus without `--force`.
    #[error("--out {path} holds a different corpus ({describe}); pass --force to replace it, or choose another --out")]
    Different {
        /// The folder.
        path: PathBuf,
        /// What it holds.
        describe: String,
    },
    /// File system failure.
    #[error("{what} {path}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// Where.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
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

/// Inspect the output path.
pub fn inspect(out: &Path) -> Result<Existing, OutputError> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            check_not_nested(out)?;
            return Ok(Existing::Absent);
        }
        Err(e) => return Err(io_err("cannot inspect", out)(e)),
    };
    if meta.file_type().is_symlink() {
        return Err(OutputError::Symlink(out.to_path_buf()));
    }
    if !meta.is_dir() {
        return Err(OutputError::NotADir(out.to_path_buf()));
    }
    check_not_nested(out)?;
    match manifest::read_header(out) {
        Ok((header, complete)) => {
            let p = &header.params;
            Ok(Existing::Corpus {
                key: header.key.clone(),
                describe: format!(
                    "profile {}, size {}, seed {}{}",
                    p.profile.name,
                    crate::size::ByteSize(p.size),
                    p.seed,
                    p.files.map(|f| format!(", {f} files")).unwrap_or_default()
                ),
                complete,
            })
        }
        Err(manifest::ManifestError::Missing(_)) => {
            let mut entries = std::fs::read_dir(out).map_err(io_err("cannot list", out))?;
            if entries.next().is_none() {
                Ok(Existing::EmptyDir)
            } else {
                Err(OutputError::Foreign(out.to_path_buf()))
            }
        }
        // A manifest exists but cannot be read: it is still this tool's folder
        // (an interrupted or damaged corpus), replaceable with --force.
        Err(e) => Ok(Existing::Corpus {
            key: String::new(),
            describe: format!("a damaged manifest: {e}"),
            complete: false,
        }),
    }
}

fn check_not_nested(out: &Path) -> Result<(), OutputError> {
    let abs = std::path::absolute(out).map_err(io_err("cannot resolve", out))?;
    let mut cur = abs.parent();
    while let Some(dir) = cur {
        if manifest::path(dir).exists() {
            return Err(OutputError::Nested(out.to_path_buf(), dir.to_path_buf()));
        }
        cur = dir.parent();
    }
    Ok(())
}

/// The folder that will hold `out`, created if needed.
pub fn parent_of(out: &Path) -> Result<PathBuf, OutputError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io_err("cannot create", &parent))?;
    Ok(parent)
}

/// A fresh temporary folder beside `out`, removed on drop unless published.
pub fn temp_beside(out: &Path) -> Result<tempfile::TempDir, OutputError> {
    let parent = parent_of(out)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "corpus".into());
    tempfile::Builder::new()
        .prefix(&format!(".{name}.noet-tmp-"))
        .tempdir_in(&parent)
        .map_err(io_err("cannot create a temporary folder in", &parent))
}

/// Move the finished corpus in `tmp` to `out`, replacing what `existing`
/// says is there (only an empty folder or one of this tool's corpora).
pub fn publish(tmp: tempfile::TempDir, out: &Path, existing: &Existing) -> Result<(), OutputError> {
    let staged = tmp.keep();
    let result = (|| {
        match existing {
            Existing::Absent => {}
            Existing::EmptyDir => {
                std::fs::remove_dir(out).map_err(io_err("cannot replace empty folder", out))?
            }
            Existing::Corpus { .. } => {
                let old = temp_beside(out)?.keep();
                std::fs::remove_dir(&old).map_err(io_err("cannot prepare", &old))?;
                std::fs::rename(out, &old).map_err(io_err("cannot move aside", out))?;
                std::fs::rename(&staged, out).map_err(io_err("cannot publish to", out))?;
                std::fs::remove_dir_all(&old).map_err(io_err("cannot remove old corpus", &old))?;
                return Ok(());
            }
        }
        std::fs::rename(&staged, out).map_err(io_err("cannot publish to", out))
    })();
    if result.is_err() && staged.exists() {
        let _ = std::fs::remove_dir_all(&staged);
    }
    result
}

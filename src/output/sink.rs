//! Where a run's finished bytes go. Rendering makes a file's bytes and
//! records and touches no disk; a [`Sink`] puts them somewhere: under a
//! staging folder, into a tar stream, or nowhere for a dry run.

use super::{io_err, OutputError, TarOut};
use crate::manifest;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The destination of folders, files (markdown and assets) and the
/// manifest, each named by its path relative to the corpus root.
#[derive(Debug, Clone, Copy)]
pub enum Sink<'a> {
    /// Written under this folder (a [`super::Stage`]'s).
    Folder(&'a Path),
    /// Appended to a tar stream (`gen --out -`). A stream is written in
    /// one order, so files must be handed to it in the corpus's order
    /// ([`Sink::in_order`]), from one thread at a time.
    Tar(&'a TarOut),
    /// Written nowhere: a dry run.
    Null,
}

impl Sink<'_> {
    /// Whether files must reach [`Sink::file`] in the corpus's order (and
    /// so from the thread that orders them, not from the workers).
    pub fn in_order(&self) -> bool {
        matches!(self, Sink::Tar(_))
    }

    /// Create the folder `rel` and any missing above it.
    pub fn folder(&self, rel: &str) -> Result<(), OutputError> {
        match self {
            Sink::Folder(root) => {
                let dir = root.join(rel);
                std::fs::create_dir_all(&dir).map_err(io_err("cannot create", &dir))
            }
            Sink::Tar(t) => t.folder(rel),
            Sink::Null => Ok(()),
        }
    }

    /// Write the file `rel` (its folder exists).
    pub fn file(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        match self {
            Sink::Folder(root) => {
                let path = root.join(rel);
                std::fs::write(&path, bytes).map_err(io_err("cannot write", &path))
            }
            Sink::Tar(t) => t.file(rel, bytes),
            Sink::Null => Ok(()),
        }
    }

    /// Create the manifest, buffered by `capacity` bytes.
    pub fn manifest(&self, capacity: usize) -> Result<ManifestOut, OutputError> {
        let (out, path): (Box<dyn Write + Send>, PathBuf) = match self {
            Sink::Folder(root) => {
                let mdir = root.join(manifest::DIR);
                std::fs::create_dir_all(&mdir).map_err(io_err("cannot create", &mdir))?;
                let path = manifest::path(root);
                let file = std::fs::File::create(&path).map_err(io_err("cannot create", &path))?;
                (Box::new(file), path)
            }
            Sink::Tar(t) => t.manifest()?,
            // Nothing is kept, so nothing is compressed: a dry run costs
            // the records, not an encoding no one reads.
            Sink::Null => {
                return Ok(ManifestOut {
                    out: None,
                    path: PathBuf::new(),
                })
            }
        };
        Ok(ManifestOut {
            out: Some(manifest::FrameWriter::new(
                std::io::BufWriter::with_capacity(capacity, out),
            )),
            path,
        })
    }
}

/// The manifest's byte stream, as a [`Sink`] opened it: JSON lines in,
/// zstd frames out (manifest::frames).
pub struct ManifestOut {
    /// `None` for a sink that keeps nothing.
    out: Option<manifest::FrameWriter<std::io::BufWriter<Box<dyn Write + Send>>>>,
    path: PathBuf,
}

impl ManifestOut {
    /// Append `bytes` (whole records).
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        match &mut self.out {
            Some(out) => out.write(bytes).map_err(io_err("cannot write", &self.path)),
            None => Ok(()),
        }
    }

    /// Write the `end` record's line `bytes`, which completes the
    /// manifest, then flush and close it.
    pub fn end(self, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.path;
        match self.out {
            Some(out) => out
                .end(bytes)
                .and_then(|mut w| w.flush())
                .map_err(io_err("cannot write", &path)),
            None => Ok(()),
        }
    }
}

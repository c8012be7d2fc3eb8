//! Where a run's finished bytes go. Rendering makes a file's bytes and
//! records and touches no disk; a [`Sink`] puts them somewhere: under a
//! staging folder, or nowhere for a dry run.

use super::{io_err, OutputError};
use crate::manifest;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The destination of folders, files (markdown and assets) and the
/// manifest, each named by its path relative to the corpus root.
#[derive(Debug, Clone, Copy)]
pub enum Sink<'a> {
    /// Written under this folder (a [`super::Stage`]'s).
    Folder(&'a Path),
    /// Written nowhere: a dry run.
    Null,
}

impl Sink<'_> {
    /// Create the folder `rel` and any missing above it.
    pub fn folder(&self, rel: &str) -> Result<(), OutputError> {
        if let Sink::Folder(root) = self {
            let dir = root.join(rel);
            std::fs::create_dir_all(&dir).map_err(io_err("cannot create", &dir))?;
        }
        Ok(())
    }

    /// Write the file `rel` (its folder exists).
    pub fn file(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        if let Sink::Folder(root) = self {
            let path = root.join(rel);
            std::fs::write(&path, bytes).map_err(io_err("cannot write", &path))?;
        }
        Ok(())
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
            Sink::Null => (Box::new(std::io::sink()), PathBuf::new()),
        };
        Ok(ManifestOut {
            out: std::io::BufWriter::with_capacity(capacity, out),
            path,
        })
    }
}

/// The manifest's byte stream, as a [`Sink`] opened it.
pub struct ManifestOut {
    out: std::io::BufWriter<Box<dyn Write + Send>>,
    path: PathBuf,
}

impl ManifestOut {
    /// Append `bytes` (whole records).
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        self.out
            .write_all(bytes)
            .map_err(io_err("cannot write", &self.path))
    }

    /// Flush and close it.
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.out.flush().map_err(io_err("cannot write", &self.path))
    }
}

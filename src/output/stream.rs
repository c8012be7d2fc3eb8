//! A corpus as a tar stream (`gen --out -`): the folder sink's entries,
//! written in corpus order to any writer, byte for byte the same at any
//! `--jobs`.
//!
//! Entries are paths relative to the corpus root, so `tar -x -C DIR` makes
//! DIR the corpus. Every header is GNU (ustar-compatible) with mtime 0,
//! uid/gid 0, empty user and group names, mode 0755 for folders and 0644
//! for files; a folder comes before anything in it. A path over the
//! header's 100 bytes gets a GNU long-name entry, as the `tar` crate
//! writes it. The manifest is written as the run goes into an anonymous
//! temporary file (a tar header needs the size first, and a manifest can
//! be twice the markdown), then appended last, under `.noet-corpus/`: its
//! final `end` record is what makes the extracted folder a complete
//! corpus.
//!
//! A stream that stops early (an error, validation problems, a reader that
//! went away) does not end with tar's end-of-archive blocks but with one
//! damaged header, so `| tar -x` fails too instead of leaving a partial
//! tree and exiting 0.

use super::{io_err, OutputError};
use crate::manifest;
use std::collections::BTreeSet;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Where `gen --out -` writes: a tar stream over any writer. Open it with
/// [`TarOut::new`], write through [`super::Sink::Tar`], and end it with
/// [`TarOut::finish`]; dropped unfinished, it marks the stream damaged.
pub struct TarOut {
    state: Mutex<State>,
}

struct State {
    builder: tar::Builder<Gate>,
    /// Folders already in the stream.
    dirs: BTreeSet<String>,
    /// The manifest's temporary file, once [`super::Sink::manifest`] opened
    /// it (a second handle of the one the manifest stream writes).
    manifest: Option<std::fs::File>,
    finished: bool,
}

/// The writer under the tar builder. The builder writes its end-of-archive
/// blocks when dropped; a closed gate drops them, so that only
/// [`TarOut::finish`] ends the archive.
struct Gate {
    out: Box<dyn Write + Send>,
    open: bool,
}

impl Write for Gate {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.open {
            self.out.write(buf)
        } else {
            Ok(buf.len())
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if self.open {
            self.out.flush()
        } else {
            Ok(())
        }
    }
}

/// What an error on the stream names as its path.
fn name() -> PathBuf {
    PathBuf::from("-")
}

impl TarOut {
    /// A stream into `out`, which should be buffered (the builder writes
    /// 512-byte headers and padding separately).
    pub fn new(out: Box<dyn Write + Send>) -> TarOut {
        TarOut {
            state: Mutex::new(State {
                builder: tar::Builder::new(Gate { out, open: true }),
                dirs: BTreeSet::new(),
                manifest: None,
                finished: false,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Add the folder `rel` and any of its parents not added yet.
    pub(super) fn folder(&self, rel: &str) -> Result<(), OutputError> {
        self.lock().folder(rel)
    }

    /// Add the file `rel` (its folder was added).
    pub(super) fn file(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.lock().file(rel, bytes.len() as u64, bytes)
    }

    /// The manifest's byte stream: an anonymous temporary file, appended
    /// to the tar by [`TarOut::finish`].
    pub(super) fn manifest(&self) -> Result<(Box<dyn Write + Send>, PathBuf), OutputError> {
        let tmp = std::env::temp_dir();
        let file =
            tempfile::tempfile().map_err(io_err("cannot create a temporary file in", &tmp))?;
        let again = file
            .try_clone()
            .map_err(io_err("cannot create a temporary file in", &tmp))?;
        self.lock().manifest = Some(again);
        Ok((
            Box::new(file),
            Path::new(manifest::DIR).join(manifest::FILE),
        ))
    }

    /// Append the manifest (after its stream was finished) and end the
    /// archive.
    pub fn finish(self) -> Result<(), OutputError> {
        let mut s = self.lock();
        if let Some(mut file) = s.manifest.take() {
            let rel = format!("{}/{}", manifest::DIR, manifest::FILE);
            let path = PathBuf::from(&rel);
            let len = file
                .seek(std::io::SeekFrom::End(0))
                .map_err(io_err("cannot read", &path))?;
            file.rewind().map_err(io_err("cannot read", &path))?;
            s.folder(manifest::DIR)?;
            s.file(&rel, len, std::io::BufReader::with_capacity(1 << 20, file))?;
        }
        let b = &mut s.builder;
        b.finish()
            .and_then(|()| b.get_mut().flush())
            .map_err(io_err("cannot write", &name()))?;
        s.finished = true;
        Ok(())
    }
}

impl State {
    fn folder(&mut self, rel: &str) -> Result<(), OutputError> {
        // Each prefix ending before a `/`, then `rel` itself: parents first.
        let ends = rel
            .match_indices('/')
            .map(|(k, _)| k)
            .chain(std::iter::once(rel.len()));
        for end in ends {
            let dir = &rel[..end];
            if dir.is_empty() || self.dirs.contains(dir) {
                continue;
            }
            let mut h = header(tar::EntryType::Directory, 0o755, 0);
            self.builder
                .append_data(&mut h, dir, std::io::empty())
                .map_err(io_err("cannot write", &name()))?;
            self.dirs.insert(dir.to_string());
        }
        Ok(())
    }

    fn file(&mut self, rel: &str, len: u64, data: impl std::io::Read) -> Result<(), OutputError> {
        let mut h = header(tar::EntryType::Regular, 0o644, len);
        self.builder
            .append_data(&mut h, rel, data)
            .map_err(io_err("cannot write", &name()))
    }
}

impl std::fmt::Debug for TarOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TarOut").finish_non_exhaustive()
    }
}

impl Drop for TarOut {
    fn drop(&mut self) {
        let s = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        if s.finished {
            return;
        }
        // A header block with a wrong checksum: every tar reader stops on
        // it with an error. (Failures are ignored: the reader may be gone.)
        let gate = s.builder.get_mut();
        let mut damaged = [0u8; 512];
        damaged[..24].copy_from_slice(b"noet-corpus-interrupted/");
        damaged[148..156].copy_from_slice(b"0000000\0");
        let _ = gate.out.write_all(&damaged);
        let _ = gate.out.flush();
        gate.open = false;
    }
}

/// A header with nothing of this machine in it (no time, owner or
/// umask): the same bytes everywhere.
fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(0);
    h.set_size(size);
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Sink;
    use std::sync::Arc;

    /// A writer whose bytes the test can read after the stream is gone.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn some_entries(tar: &TarOut) {
        let sink = Sink::Tar(tar);
        sink.folder("a/b").unwrap();
        sink.file("a/b/x.md", b"# X\n").unwrap();
        let mf = sink.manifest(64).unwrap();
        mf.end(b"{}\n").unwrap();
    }

    #[test]
    fn a_finished_stream_ends_the_archive_and_holds_the_manifest_last() {
        let out = Shared::default();
        let tar = TarOut::new(Box::new(out.clone()));
        some_entries(&tar);
        tar.finish().unwrap();
        let bytes = out.0.lock().unwrap().clone();
        assert!(bytes.ends_with(&[0; 1024]));
        let mut archive = tar::Archive::new(&bytes[..]);
        let names: Vec<String> = archive
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "a",
                "a/b",
                "a/b/x.md",
                ".noet-corpus",
                ".noet-corpus/manifest.jsonl.zst"
            ]
        );
    }

    #[test]
    fn an_unfinished_stream_ends_in_a_damaged_header_not_the_end_blocks() {
        let out = Shared::default();
        let tar = TarOut::new(Box::new(out.clone()));
        some_entries(&tar);
        drop(tar);
        let bytes = out.0.lock().unwrap().clone();
        assert_eq!(bytes.len() % 512, 0);
        let last = &bytes[bytes.len() - 512..];
        assert!(last.starts_with(b"noet-corpus-interrupted/"));
        // Readers reject it: the checksum is wrong.
        let mut archive = tar::Archive::new(&bytes[..]);
        assert!(archive.entries().unwrap().any(|e| e.is_err()));
    }
}

//! Reading files a user points at, within bounds known before the read.
//!
//! A path can name a device (`/dev/zero` never ends), a pipe (which blocks
//! until someone writes) or a sparse file of terabytes. Every input this
//! tool reads is opened without blocking, must be a regular file, and has
//! its size compared with what is expected before a byte is read.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Why a bounded read did not return the file's bytes.
#[derive(Debug, thiserror::Error)]
pub enum BoundedError {
    /// The file could not be opened or read.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// Not a regular file: a device, pipe, socket or folder.
    #[error("it is a {}, not a regular file", .0.name())]
    NotRegular(FileKind),
    /// Larger than the bound (or than the size expected of it).
    #[error("it has {size} bytes, more than the {limit} expected")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The bound.
        limit: u64,
    },
}

/// Open `path` for reading if it is a regular file (following symbolic
/// links), without blocking on a pipe. Returns the file and its size.
pub fn open_regular(path: &Path) -> Result<(File, u64), BoundedError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(BoundedError::NotRegular(kind_of(&meta)));
    }
    Ok((file, meta.len()))
}

/// What a path that is not a regular file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A character or block device (`/dev/zero`).
    Device,
    /// A named pipe.
    Pipe,
    /// A socket.
    Socket,
    /// A folder.
    Folder,
    /// Anything else.
    Special,
}

impl FileKind {
    /// As messages say it.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Device => "device",
            FileKind::Pipe => "pipe",
            FileKind::Socket => "socket",
            FileKind::Folder => "folder",
            FileKind::Special => "special file",
        }
    }
}

fn kind_of(meta: &std::fs::Metadata) -> FileKind {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() || t.is_block_device() {
            return FileKind::Device;
        }
        if t.is_fifo() {
            return FileKind::Pipe;
        }
        if t.is_socket() {
            return FileKind::Socket;
        }
    }
    if meta.is_dir() {
        FileKind::Folder
    } else {
        FileKind::Special
    }
}

/// The bytes of the regular file at `path`, if it has at most `limit`.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, BoundedError> {
    let (file, size) = open_regular(path)?;
    if size > limit {
        return Err(BoundedError::TooLarge { size, limit });
    }
    read_at_most(file, size, limit)
}

/// The bytes of the regular file at `path`, which should have exactly
/// `expected` of them: a file of another size is reported by its size,
/// unread (the caller compares sizes anyway, and a swapped-in file of
/// gigabytes is not read to learn that it differs).
pub fn read_expected(path: &Path, expected: u64) -> Result<Vec<u8>, BoundedError> {
    let (file, size) = open_regular(path)?;
    if size != expected {
        return Err(BoundedError::TooLarge {
            size,
            limit: expected,
        });
    }
    read_at_most(file, size, expected)
}

/// Read a file whose size was `size`, never more than `limit` bytes (it
/// may grow while read).
fn read_at_most(file: File, size: u64, limit: u64) -> Result<Vec<u8>, BoundedError> {
    let mut bytes = Vec::with_capacity(size.min(limit) as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(BoundedError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_pipes_are_refused_without_reading() {
        let e = read_limited(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(
            matches!(e, BoundedError::NotRegular(FileKind::Device)),
            "{e}"
        );
        #[cfg(unix)]
        {
            let dir = tempfile::tempdir().unwrap();
            let fifo = dir.path().join("fifo");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            let e = read_limited(&fifo, 1 << 20).unwrap_err();
            assert!(matches!(e, BoundedError::NotRegular(FileKind::Pipe)), "{e}");
        }
    }

    #[test]
    fn a_file_over_the_bound_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        let f = File::create(&p).unwrap();
        f.set_len(3 << 30).unwrap(); // sparse: nothing is written
        let e = read_expected(&p, 100).unwrap_err();
        assert!(
            matches!(e, BoundedError::TooLarge { size, limit: 100 } if size == 3 << 30),
            "{e}"
        );
        std::fs::write(&p, b"hello").unwrap();
        assert_eq!(read_expected(&p, 5).unwrap(), b"hello");
        assert_eq!(read_limited(&p, 10).unwrap(), b"hello");
    }
}

//! Notices: what the library would tell a person at a terminal while it
//! works (waiting for another run's lock, a leftover it could not remove),
//! without printing anything itself. The binary installs a handler that
//! writes them to stderr; a harness may install its own, or none (they are
//! then dropped: none of them changes what a call returns).

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

/// Something worth telling while a call runs.
#[derive(Debug)]
#[non_exhaustive]
pub enum Notice<'a> {
    /// Another run holds the lock of `out`; this one waits for it.
    Waiting {
        /// The corpus folder.
        out: &'a Path,
        /// Its lock file.
        lock: &'a Path,
    },
    /// A temporary folder left by a killed run could not be removed.
    LeftoverKept {
        /// The folder.
        path: &'a Path,
        /// Why.
        error: &'a std::io::Error,
    },
    /// The corpus replaced by a publish could not be removed; the next run
    /// that writes the same folder removes it.
    OldCorpusKept {
        /// Where the old corpus was moved.
        path: &'a Path,
        /// Why.
        error: &'a std::io::Error,
    },
}

impl fmt::Display for Notice<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Waiting { out, lock } => write!(
                f,
                "another run is writing {} (it holds {}); waiting for it to finish",
                out.display(),
                lock.display()
            ),
            Notice::LeftoverKept { path, error } => write!(
                f,
                "warning: cannot remove the leftover temporary folder {}: {error}",
                path.display()
            ),
            Notice::OldCorpusKept { path, error } => write!(
                f,
                "warning: cannot remove the old corpus moved to {}: {error}; the next run removes it",
                path.display()
            ),
        }
    }
}

static HANDLER: OnceLock<fn(&Notice<'_>)> = OnceLock::new();

/// Have `handler` receive every notice of this process from now on. Only
/// the first call takes effect: notices are a process's one channel to its
/// person, chosen once by whoever owns `main`.
pub fn set_handler(handler: fn(&Notice<'_>)) {
    let _ = HANDLER.set(handler);
}

/// Pass `notice` to the handler, if one is installed.
pub(crate) fn tell(notice: Notice<'_>) {
    if let Some(h) = HANDLER.get() {
        h(&notice);
    }
}

//! Fault injection against the built binary: kills at many points of a run,
//! a file-size limit, a full disk, concurrent runs into one `--out`, closed
//! pipes, and `--out` through a symlink.
//!
//! Most tests work in a fenced sandbox ([`Sandbox::fenced`]) and end by
//! checking that the only thing that changed in it is the `--out` folder
//! itself: no temporary folder, no lock file, nothing beside or above it.
//!
//! Run just these with `cargo test --test it faults::` (unix only);
//! `-- --nocapture` prints what each kill hit. docs/RELIABILITY.md
//! describes the results.

mod concurrency;
mod inputs;
mod places;
mod signals;

// What the tests below share, with the shared support.
use crate::support::{
    assert_valid, bin, entries, files_under, gen_quiet, key_of, manifest_key, read_manifest_at,
    validate, write_manifest_at, Sandbox, BIN, MANIFEST,
};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Names in `dir` that a run leaves beside `--out` only while it runs.
fn leftovers(dir: &Path) -> Vec<String> {
    entries(dir)
        .into_iter()
        .filter(|n| n.contains(".noet-tmp-") || n.contains(".noet-lock"))
        .collect()
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: kill(2) on our own child's pid.
    let r = unsafe { libc::kill(child.id() as libc::pid_t, sig) };
    assert_eq!(r, 0, "kill failed");
}

fn exit_desc(o: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (o.code(), o.signal()) {
        (Some(c), _) => format!("exit {c}"),
        (None, Some(s)) => format!("signal {s}"),
        _ => "?".into(),
    }
}

fn no_panic(stderr: &[u8]) {
    let s = String::from_utf8_lossy(stderr);
    assert!(!s.contains("panicked"), "a panic: {s}");
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            fs::copy(e.path(), t).unwrap();
        }
    }
}

/// Unmounts its folder when dropped, so a failing test leaves no mount.
struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

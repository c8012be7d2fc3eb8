//! Refusing up front what the machine cannot hold: files too large for
//! memory, corpora larger than the free disk, paths deeper than the OS
//! allows.

use super::{inspect, parent_dir, Existing, OutputError};
use std::fs;
use std::path::Path;

/// Refuse up front what the machine cannot hold: a file too large to render
/// in the memory available, or (with `out` and the range of files to be
/// written there: all, or a shard's) more than the free disk space. The
/// disk estimate is the markdown, twice that for the manifest, and 4 KiB
/// per file of file-system overhead.
pub fn check_resources(
    out: Option<(&Path, std::ops::Range<u64>)>,
    plan: &crate::plan::Plan,
) -> Result<(), OutputError> {
    let size = plan.params.size;
    // Measured on one 100 MB document: `gen` peaks at about 5.5 times its
    // size and `validate` at 7 (9 before large files were parsed in
    // pieces); allow 10 and 512 MiB for everything else.
    let mem = |largest: u64| largest.saturating_mul(10).saturating_add(512 << 20);
    if let Some(available) = available_memory() {
        if mem(size) > available {
            let largest = (0..plan.files)
                .map(|i| plan.file_size(i))
                .max()
                .unwrap_or(0);
            if mem(largest) > available {
                return Err(OutputError::NoMemory {
                    largest,
                    need: mem(largest),
                    available,
                });
            }
        }
    }
    let Some((out, files)) = out else {
        return Ok(());
    };
    check_depth(out, plan)?;
    let bytes = if files == (0..plan.files) {
        size
    } else {
        files.clone().map(|i| plan.file_size(i)).sum()
    };
    let count = files.end - files.start;
    check_disk(
        out,
        bytes,
        need_for(bytes).saturating_add(count.saturating_mul(4096)),
        count < plan.files,
    )
}

/// The longest path this system accepts (Linux 4096, macOS 1024).
#[cfg(unix)]
const PATH_MAX: usize = libc::PATH_MAX as usize;
#[cfg(not(unix))]
const PATH_MAX: usize = 260;

/// Refuse folder trees too deep to write: with `layout.fanout = 1` every
/// folder is inside the previous one. The last folder is the deepest.
fn check_depth(out: &Path, plan: &crate::plan::Plan) -> Result<(), OutputError> {
    let last = plan.folders.saturating_sub(1);
    let depth = plan.depth(last);
    // Folder names are two words and a dash; file names are shorter than
    // 255 bytes, and the temporary folder's name adds about 30.
    if depth * 48 + 512 < PATH_MAX / 2 {
        return Ok(());
    }
    let base = std::path::absolute(out)
        .map(|p| p.as_os_str().len())
        .unwrap_or(0);
    let bytes = base + 30 + plan.folder_path(last).len() + 255;
    if bytes > PATH_MAX {
        let l = &plan.params.profile.layout;
        return Err(OutputError::TooDeep {
            depth,
            bytes,
            limit: PATH_MAX,
            fanout: l.fanout,
            files_per_folder: l.files_per_folder,
        });
    }
    Ok(())
}

/// The disk check of [`check_resources`] without the plan, which takes a
/// while to build for huge sizes: refuses at once when the markdown and
/// its manifest alone ([`need_for`] `size`) cannot fit. Skipped when `out`
/// holds a corpus, which may be up to date.
pub fn precheck_space(out: &Path, size: u64, shard: bool) -> Result<(), OutputError> {
    match inspect(out) {
        Ok(Existing::Absent | Existing::EmptyDir) => check_disk(out, size, need_for(size), shard),
        _ => Ok(()),
    }
}

/// Disk for `bytes` of markdown and its manifest, before each file's
/// last block: the stored manifest is ~0.15x the markdown (format 9), and
/// half the markdown again leaves room for profiles with denser links.
fn need_for(bytes: u64) -> u64 {
    bytes.saturating_add(bytes / 2)
}

fn check_disk(out: &Path, size: u64, need: u64, shard: bool) -> Result<(), OutputError> {
    // The nearest folder that exists holds the file system to check.
    let mut dir = std::path::absolute(parent_dir(out)).unwrap_or_else(|_| parent_dir(out));
    while !dir.exists() {
        match dir.parent() {
            Some(p) => dir = p.to_path_buf(),
            None => return Ok(()),
        }
    }
    if let Some(free) = available_space(&dir) {
        if need > free {
            return Err(OutputError::NoSpace {
                what: if shard {
                    format!("this shard ({} of markdown)", crate::size::ByteSize(size))
                } else {
                    format!("a corpus of {}", crate::size::ByteSize(size))
                },
                bytes: size,
                need,
                free,
                dir,
            });
        }
    }
    Ok(())
}

/// Bytes an unprivileged user may still write on the file system of `dir`.
#[cfg(unix)]
fn available_space(dir: &Path) -> Option<u64> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `c` is NUL-terminated and `st` is a valid out-pointer.
    let r = unsafe { libc::statvfs(c.as_ptr(), st.as_mut_ptr()) };
    if r != 0 {
        return None;
    }
    // SAFETY: statvfs succeeded and filled the struct.
    let st = unsafe { st.assume_init() };
    if st.f_blocks == 0 {
        // A pseudo file system (/proc, /sys): no size to check against.
        return None;
    }
    #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
    Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

#[cfg(not(unix))]
fn available_space(_: &Path) -> Option<u64> {
    None
}

/// Memory available to new allocations (Linux `MemAvailable`, capped by a
/// cgroup v2 limit), if known.
fn available_memory() -> Option<u64> {
    let info = fs::read_to_string("/proc/meminfo").ok()?;
    let kb: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    let mut avail = kb.saturating_mul(1024);
    let cg = |f: &str| -> Option<u64> {
        fs::read_to_string(format!("/sys/fs/cgroup/{f}"))
            .ok()?
            .trim()
            .parse()
            .ok()
    };
    if let (Some(max), Some(cur)) = (cg("memory.max"), cg("memory.current")) {
        avail = avail.min(max.saturating_sub(cur));
    }
    Some(avail)
}

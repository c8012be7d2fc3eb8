//! Mount points: no removal or replacement may cross into another file
//! system, because what is mounted inside a corpus folder is not this
//! tool's to delete.
//!
//! A change of `st_dev` finds most mounts, but not a bind mount of a folder
//! of the same file system, so on Linux the kernel's own list
//! (`/proc/self/mountinfo`) is read as well.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Every mount point the kernel reports for this process, as absolute
/// paths (empty where the system has no such list).
fn mount_points() -> Vec<PathBuf> {
    let Ok(text) = fs::read_to_string("/proc/self/mountinfo") else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(|p| PathBuf::from(unescape(p)))
        .collect()
}

/// mountinfo writes space, tab, newline and backslash as `\ooo`.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mount points strictly below `root` (which must exist), shortest
/// first.
pub fn under(root: &Path) -> Vec<PathBuf> {
    let Ok(root) = fs::canonicalize(root) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = mount_points()
        .into_iter()
        .filter(|m| m.starts_with(&root) && *m != root)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Whether `dir` is itself a mount point: another device than its parent,
/// or listed by the kernel.
pub fn is_mount_point(dir: &Path) -> bool {
    let Ok(abs) = fs::canonicalize(dir) else {
        return false;
    };
    let parent_dev = abs
        .parent()
        .and_then(|p| fs::metadata(p).ok())
        .map(|m| m.dev());
    let dev = fs::metadata(&abs).map(|m| m.dev()).ok();
    if abs.parent().is_some() && parent_dev != dev {
        return true;
    }
    mount_points().contains(&abs)
}

/// Remove the folder `dir` and everything under it, but only if no mount
/// point is at or below it (symbolic links are removed, never followed).
/// A mount is an error naming it, and nothing is removed.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    let inside = under(dir);
    if let Some(m) = is_mount_point(dir)
        .then(|| dir.to_path_buf())
        .or(inside.into_iter().next())
    {
        return Err(io::Error::other(format!(
            "{} is a mount point; nothing was removed (unmount it first)",
            m.display()
        )));
    }
    fs::remove_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_escapes_are_decoded() {
        assert_eq!(unescape(r"/mnt/with\040space"), "/mnt/with space");
        assert_eq!(unescape(r"/a\134b"), r"/a\b");
        assert_eq!(unescape(r"/plain\04"), r"/plain\04");
    }

    #[test]
    fn the_root_folder_is_a_mount_point_and_a_fresh_folder_is_not() {
        assert!(is_mount_point(Path::new("/")));
        let tmp = tempfile::tempdir().unwrap();
        assert!(!is_mount_point(tmp.path()));
        assert!(under(tmp.path()).is_empty());
    }
}

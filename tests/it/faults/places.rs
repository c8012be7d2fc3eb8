//! The system says no: a file-size limit, a full disk, a folder that
//! cannot be written, refused threads, mounts, symlinks and places that
//! cannot hold `--out`.

use super::*;

/// `ulimit -f`: writes fail with EFBIG (the binary ignores SIGXFSZ), the
/// run says so, exits 3 and leaves nothing.
#[test]
fn file_size_limit_is_a_clear_error_and_leaves_nothing() {
    // Many files (records gathered by the writer), and one document (its
    // records written straight into the manifest).
    for files in ["0", "1"] {
        let sb = Sandbox::fenced();
        let mut args = vec!["gen", "--size", "3MB", "-q", "--out", "corpus"];
        if files != "0" {
            args.extend(["--files", files]);
        }
        let o = Command::new("sh")
            .current_dir(sb.work())
            .arg("-c")
            .arg(r#"ulimit -f 1000 && exec "$0" "$@""#)
            .arg(BIN)
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{}: {err}", exit_desc(&o.status));
        assert!(
            err.contains("File too large") && err.contains("ulimit -f"),
            "{err}"
        );
        // A lone document's records go to the manifest before its
        // markdown is written, but compressed they are a tenth of its
        // size: the markdown is what hits the limit.
        if files == "1" {
            assert!(err.contains("index.md"), "{err}");
        }
        no_panic(&o.stderr);
        assert!(!sb.work().join("corpus").exists());
        assert_eq!(leftovers(&sb.work()), Vec::<String>::new());
        sb.assert_only(&sb.work().join("corpus"));
    }
}

/// A full disk, on a small tmpfs (needs root and mount rights; skipped
/// with a note otherwise): refused up front when the estimate does not
/// fit (exit 2), and a clean exit 3 when the disk fills up during the run.
#[cfg(target_os = "linux")]
#[test]
fn full_disk_is_refused_up_front_or_fails_cleanly() {
    let sb = Sandbox::fenced();
    let mnt = sb.work().join("small");
    fs::create_dir(&mnt).unwrap();
    let m = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=6m", "tmpfs"])
        .arg(&mnt)
        .output();
    if !m.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: cannot mount a tmpfs here (needs root): {m:?}");
        return;
    }
    let _guard = Unmount(mnt.clone());
    let gen = |size: &str| {
        bin()
            .current_dir(&mnt)
            .args(["gen", "--size", size, "-q", "--out", "corpus"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Up front: 5 MB of markdown and its manifest need about 7.5 MB.
    let o = gen("5MB").wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("needs about") && err.contains("free"), "{err}");
    assert_eq!(fs::read_dir(&mnt).unwrap().count(), 0);

    // During the run: 1 MB fits the estimate, then a filler takes the rest.
    let child = gen("1MB");
    let t = Instant::now();
    while leftovers(&mnt).iter().all(|n| !n.contains("noet-tmp")) {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "no temp folder appeared"
        );
        sleep(Duration::from_millis(2));
    }
    let filler = mnt.join("filler");
    let mut f = fs::File::create(&filler).unwrap();
    let block = vec![0u8; 64 << 10];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    if o.status.success() {
        eprintln!("note: the run finished before the disk filled up");
        assert_valid(&mnt.join("corpus"), "finished run");
    } else {
        assert_eq!(o.status.code(), Some(3), "{err}");
        assert!(
            err.contains("No space left") && err.contains("disk is full"),
            "{err}"
        );
        assert!(!mnt.join("corpus").exists());
    }
    no_panic(&o.stderr);
    assert_eq!(leftovers(&mnt), Vec::<String>::new());
    drop(f);
    fs::remove_file(&filler).unwrap();
    let _ = fs::remove_dir_all(mnt.join("corpus"));
    drop(_guard);
    fs::remove_dir(&mnt).unwrap();
    sb.assert_only(&mnt);
}

/// `stats --emit-profile` on a full disk leaves no profile (it left a
/// 0-byte one): the profile is written beside its path and renamed.
#[test]
fn emit_profile_on_a_full_disk_leaves_nothing() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    gen_quiet(&c, &["--size", "50KB"]);
    let mnt = tmp.path().join("full");
    fs::create_dir(&mnt).unwrap();
    let m = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .output()
        .unwrap();
    if !m.status.success() {
        eprintln!("skipped: cannot mount a tmpfs here (needs root): {m:?}");
        return;
    }
    let _guard = Unmount(mnt.clone());
    // Fill it: the write stops at the size limit.
    let _ = fs::write(mnt.join("filler"), vec![0u8; 128 << 10]);
    let out = bin()
        .arg("stats")
        .arg(&c)
        .arg("--emit-profile")
        .arg(mnt.join("p.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let names: Vec<String> = fs::read_dir(&mnt)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, ["filler"], "left behind: {names:?}");
}

/// A folder the user cannot write to (as `nobody` via setpriv when the
/// tests run as root): exit 2 (refused before any work) with a hint, and nothing created.
#[test]
fn read_only_place_is_a_clear_error() {
    let sb = Sandbox::fenced();
    let ro = sb.root.join("outside/deeper");
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    use std::os::unix::fs::PermissionsExt;
    let mut cmd = if root {
        if Command::new("setpriv").arg("--version").output().is_err() {
            eprintln!("skipped: running as root without setpriv");
            return;
        }
        // `nobody` must reach the binary and the sandbox.
        let mut p = sb.root.clone();
        while p.parent().is_some() {
            let mode = fs::metadata(&p).unwrap().permissions().mode();
            if mode & 0o005 != 0o005 {
                fs::set_permissions(&p, fs::Permissions::from_mode(mode | 0o005)).unwrap();
            }
            p = p.parent().unwrap().to_path_buf();
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
        c
    } else {
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
        bin()
    };
    let o = cmd
        .args(["gen", "--profile", "tiny", "--size", "20KB", "-q", "--out"])
        .arg(ro.join("sub/corpus"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    if root && err.contains("setpriv") {
        eprintln!("skipped: setpriv failed: {err}");
        return;
    }
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Permission denied") && err.contains("choose another --out"),
        "{err}"
    );
    no_panic(&o.stderr);
    if !root {
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
    }
    sb.assert_only(&ro.join("sub"));
}

/// Run `cmd` as user `nobody` with a process limit of one (so no thread
/// can be created), or `None` where that cannot be arranged (not root, no
/// `setpriv`).
fn as_nobody_without_threads(args: &[&str]) -> Option<Output> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 || Command::new("setpriv").arg("--help").output().is_err() {
        eprintln!("skipped: needs root and setpriv");
        return None;
    }
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!("ulimit -u 1 && exec '{BIN}' {}", quoted.join(" "));
    Some(
        Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "bash",
                "-c",
            ])
            .arg(script)
            .output()
            .unwrap(),
    )
}

/// A system that refuses new threads (`ulimit -u`) gets the work done on
/// fewer threads: it used to panic while building a thread pool.
#[test]
fn refused_threads_mean_fewer_threads_not_a_panic() {
    let tmp = Sandbox::new();
    let dir = tmp.path().to_path_buf();
    // SAFETY: chmod on a path we own.
    fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let c = dir.join("c");
    let c = c.to_str().unwrap();
    for args in [
        vec!["gen", "--size", "300KB", "-q", "--out", c],
        vec!["validate", c],
        vec!["validate", "--parse-only", c],
        vec!["stats", c],
        vec!["gen", "--size", "3MB", "--files", "1", "--dry-run", "-q"],
    ] {
        let Some(out) = as_nobody_without_threads(&args) else {
            return;
        };
        assert!(out.status.success(), "{args:?}: {out:?}");
        no_panic(&out.stderr);
    }
}

/// `--jobs` beyond what can be used is capped, not a panic (it was: a
/// clamp with its minimum above its maximum from 129 threads on).
#[test]
fn huge_jobs_counts_are_capped() {
    let tmp = Sandbox::new();
    for jobs in ["129", "100000"] {
        let out = bin()
            .args(["gen", "--size", "20KB", "-q", "--jobs", jobs, "--out"])
            .arg(tmp.path().join(jobs))
            .output()
            .unwrap();
        assert!(out.status.success(), "--jobs {jobs}: {out:?}");
        no_panic(&out.stderr);
    }
}

/// A bind mount inside a corpus (same file system, so `st_dev` does not
/// show it) is named and nothing is removed; `--out` that is a mount point
/// is refused before any work (it used to fail after generating).
#[test]
fn mounts_are_never_removed_through_or_replaced() {
    let s = Sandbox::fenced();
    let c = s.work().join("c");
    gen_quiet(&c, &["--size", "20KB", "--seed", "1"]);
    let ext = s.root.join("outside/deeper");
    fs::create_dir_all(c.join("mnt")).unwrap();
    let m = Command::new("mount")
        .arg("--bind")
        .arg(&ext)
        .arg(c.join("mnt"))
        .output()
        .unwrap();
    if !m.status.success() {
        eprintln!("skipped: cannot bind-mount here: {m:?}");
        return;
    }
    let guard = Unmount(c.join("mnt"));
    let out = s
        .cmd()
        .args([
            "gen", "--size", "20KB", "--seed", "2", "--force", "-q", "--out", "c",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("mount point"),
        "{out:?}"
    );
    assert!(c.join("mnt").is_dir() && c.join("index.md").is_file());
    drop(guard);
    fs::remove_dir(c.join("mnt")).unwrap();

    // --out is itself a mount point.
    let mp = s.work().join("mp");
    fs::create_dir_all(&mp).unwrap();
    let m = Command::new("mount")
        .arg("--bind")
        .arg(&ext)
        .arg(&mp)
        .output()
        .unwrap();
    assert!(m.status.success());
    let guard = Unmount(mp.clone());
    let start = Instant::now();
    let out = s
        .cmd()
        .args(["gen", "--size", "20MB", "-q", "--out", "mp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is a mount point"),
        "{out:?}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "refused only after the work"
    );
    drop(guard);
    fs::remove_dir(&mp).unwrap();
    s.assert_only(&c);
}

/// `--out` that is a symlink is refused (exit 2), whether it points at a
/// corpus, an empty folder or nothing; what it points at is not touched.
#[test]
fn symlink_out_is_refused_and_its_target_untouched() {
    let mut sb = Sandbox::fenced();
    let outside = sb.root.join("outside");
    std::os::unix::fs::symlink(&outside, sb.work().join("to-outside")).unwrap();
    std::os::unix::fs::symlink(sb.root.join("nowhere"), sb.work().join("dangling")).unwrap();
    fs::create_dir(sb.root.join("outside/deeper/empty")).unwrap();
    std::os::unix::fs::symlink(
        sb.root.join("outside/deeper/empty"),
        sb.work().join("to-empty"),
    )
    .unwrap();
    sb.remember();
    for link in ["to-outside", "dangling", "to-empty"] {
        for extra in [&[][..], &["--force"][..]] {
            let o = sb
                .cmd()
                .args([
                    "gen",
                    "--profile",
                    "tiny",
                    "--size",
                    "20KB",
                    "-q",
                    "--out",
                    link,
                ])
                .args(extra)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{link}: {err}");
            assert!(err.contains("symbolic link"), "{err}");
        }
    }
    assert!(!sb.root.join("nowhere").exists());
    sb.assert_only(&sb.work().join("no-such-target"));
}

/// What can be checked before the run is checked before it, with exit 2
/// and nothing left: the current folder as `--out` (it was called
/// "non-empty", because the lock landed inside it), a name too long for
/// the temporary folder beside it, a place that cannot be written.
#[test]
fn unusable_places_are_refused_up_front() {
    let s = Sandbox::fenced();
    let empty = s.work().join("empty");
    fs::create_dir(&empty).unwrap();
    let out = bin()
        .current_dir(&empty)
        .args(["gen", "--size", "20KB", "-q", "--out", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("current folder"),
        "{out:?}"
    );
    assert_eq!(fs::read_dir(&empty).unwrap().count(), 0);
    fs::remove_dir(&empty).unwrap();

    let long = "n".repeat(245);
    let out = s
        .cmd()
        .args(["gen", "--size", "20MB", "-q", "--out", &long])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at most"),
        "{out:?}"
    );
    let out = s
        .cmd()
        .args(["gen", "--size", "20KB", "-q", "--out", "/proc/not-here/c"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    s.assert_only(&s.work().join("none"));
}

//! Hostile inputs: profile names that climb out, manifests that point
//! outside the corpus or were planted, corpora with files lost or edited,
//! endless and huge inputs.

use super::*;

/// A profile's name becomes the default folder name; names that could
/// climb out are refused before anything is written, and an accepted name
/// lands in the current folder.
#[test]
fn profile_names_cannot_escape_the_current_folder() {
    let mut sb = Sandbox::fenced();
    sb.remember();
    for (i, bad) in ["../escape", "/tmp/abs", "a/b", "..", ".", "", "x y", "é"]
        .iter()
        .enumerate()
    {
        let p = sb.root.join(format!("bad-{i}.toml"));
        fs::write(&p, format!("name = {bad:?}\n")).unwrap();
        let o = sb
            .cmd()
            .args([
                "gen",
                "--size",
                "20KB",
                "-q",
                "--profile",
                p.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {err}");
        assert!(err.contains("`name`"), "{bad:?}: {err}");
        fs::remove_file(p).unwrap();
    }
    let good = sb.root.join("good.toml");
    fs::write(&good, "name = \"my-profile_2\"\n").unwrap();
    let o = sb
        .cmd()
        .args([
            "gen",
            "--size",
            "20KB",
            "-q",
            "--profile",
            good.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    fs::remove_file(good).unwrap();
    let made = sb.work().join("my-profile_2-20KB-s0");
    assert_valid(&made, "default --out");
    sb.assert_only(&made);
}

/// A manifest is input too: a path in it that climbs out of the corpus
/// (`../x.md`, `/etc/passwd`) is refused by `validate` (which would read
/// it) and by `merge` (which would copy a file to it, outside `--out`).
#[test]
fn manifest_paths_cannot_leave_the_corpus() {
    let mut sb = Sandbox::fenced();
    let w = sb.work();
    let run = |args: &[&str]| bin().current_dir(&w).args(args).output().unwrap();
    assert!(run(&[
        "gen",
        "--profile",
        "tiny",
        "--size",
        "20KB",
        "-q",
        "--out",
        "c"
    ])
    .status
    .success());
    for shard in ["1/2", "2/2"] {
        let out = format!("shards/s{}", &shard[..1]);
        let o = run(&[
            "gen",
            "--profile",
            "tiny",
            "--size",
            "20KB",
            "-q",
            "--shard",
            shard,
            "--out",
            &out,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    fs::write(w.join("victim.md"), "the user's file\n").unwrap();
    fs::write(w.join("shards/victim.md"), "planted\n").unwrap();
    sb.remember();
    let set_path = |manifest: &Path, path: &str| {
        let text = read_manifest_at(manifest);
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let mut rec: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
        assert_eq!(rec["type"], "file");
        rec["path"] = path.into();
        lines[1] = rec.to_string();
        write_manifest_at(manifest, lines.join("\n") + "\n").unwrap();
    };
    let m = w.join("c/.noet-corpus/manifest.jsonl.zst");
    let original = fs::read(&m).unwrap();
    for bad in [
        "../victim.md",
        "/etc/passwd",
        "a/../../victim.md",
        "./index.md",
        "a//b.md",
    ] {
        set_path(&m, bad);
        let o = run(&["validate", "c"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{bad}: {err}");
        assert!(err.contains("not a plain relative path"), "{bad}: {err}");
        no_panic(&o.stderr);
    }
    fs::write(&m, original).unwrap();

    set_path(
        &w.join("shards/s1/.noet-corpus/manifest.jsonl.zst"),
        "../victim.md",
    );
    let o = run(&["merge", "shards/s1", "shards/s2", "--out", "merged"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("not a plain relative path"), "{err}");
    no_panic(&o.stderr);
    assert_eq!(
        fs::read_to_string(w.join("victim.md")).unwrap(),
        "the user's file\n"
    );
    // Only the shard manifest edited above differs.
    assert_eq!(
        sb.changes(None).all(),
        ["work/shards/s1/.noet-corpus/manifest.jsonl.zst"]
    );
}

/// A manifest proves nothing on its own: an empty one, or one copied from a
/// real corpus beside a user's files, must not let `suite` or
/// `gen --force` delete the folder's other files.
#[test]
fn a_planted_manifest_does_not_make_a_users_folder_replaceable() {
    let tmp = Sandbox::new();
    let real = tmp.path().join("real");
    let st = bin()
        .args(["gen", "--size", "20KB", "--seed", "1", "-q", "--out"])
        .arg(&real)
        .status()
        .unwrap();
    assert!(st.success());
    let planted = [
        ("empty", Vec::new()),
        ("copied", fs::read(real.join(MANIFEST)).unwrap()),
    ];
    for (name, manifest) in planted {
        let dir = tmp.path().join(name);
        fs::create_dir_all(dir.join(".noet-corpus")).unwrap();
        fs::write(dir.join(MANIFEST), &manifest).unwrap();
        fs::write(dir.join("thesis.txt"), "precious\n").unwrap();
        let out = bin()
            .args([
                "gen", "--size", "20KB", "--seed", "1", "--force", "-q", "--out",
            ])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a noet-corpus corpus"));
        assert_eq!(
            fs::read(dir.join("thesis.txt")).unwrap(),
            b"precious\n",
            "{name}"
        );
    }
    // The same through a suite, without --force.
    let st = tmp.path().join("st");
    fs::create_dir_all(st.join("doc-10KB/.noet-corpus")).unwrap();
    fs::write(st.join("doc-10KB").join(MANIFEST), "").unwrap();
    fs::write(st.join("doc-10KB/thesis.txt"), "precious\n").unwrap();
    let suite = tmp.path().join("st.toml");
    fs::write(
        &suite,
        "name=\"s\"\n[[corpus]]\nname=\"doc-10KB\"\nsize=\"10KB\"\nfiles=1\n",
    )
    .unwrap();
    let out = bin()
        .arg("suite")
        .arg(&suite)
        .arg("--out")
        .arg(&st)
        .arg("-q")
        .output()
        .unwrap();
    assert!(!out.status.success(), "{out:?}");
    assert_eq!(
        fs::read(st.join("doc-10KB/thesis.txt")).unwrap(),
        b"precious\n"
    );
}

/// A corpus that lost files (a partial cache restore) is not "up to date":
/// the same `gen` rebuilds it, without --force.
#[test]
fn a_corpus_missing_files_is_rebuilt_not_trusted() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    let run = || {
        bin()
            .args(["gen", "--size", "50KB", "--seed", "1", "-q", "--out"])
            .arg(&c)
            .status()
            .unwrap()
    };
    assert!(run().success());
    let mds: Vec<String> = files_under(&c)
        .into_iter()
        .filter(|f| f.ends_with(".md"))
        .collect();
    assert!(!mds.is_empty());
    for f in &mds {
        fs::remove_file(c.join(f)).unwrap();
    }
    assert!(run().success());
    for f in &mds {
        assert!(c.join(f).is_file(), "{f} was rebuilt");
    }
    assert_valid(&c, "rebuilt after losing its files");
}

/// One file edited in place, same count of files, is damage too: the
/// rerun's quick check (a digest of every path and size in the end record)
/// sees it and the corpus is rebuilt to its bytes.
#[test]
fn a_corpus_with_one_file_resized_is_rebuilt() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    gen_quiet(&c, &["--size", "50KB"]);
    let md = files_under(&c)
        .into_iter()
        .find(|f| f.ends_with(".md"))
        .unwrap();
    let before = fs::read(c.join(&md)).unwrap();
    fs::write(c.join(&md), [&before[..], b"edited\n"].concat()).unwrap();
    gen_quiet(&c, &["--size", "50KB"]);
    assert_eq!(fs::read(c.join(&md)).unwrap(), before, "{md} was rebuilt");
    assert_valid(&c, "rebuilt after an edit");
}

/// Manifest lines are bounded: an endless one (think of a link to
/// /dev/zero) is refused as damage instead of read until memory runs out.
#[test]
fn an_overlong_manifest_line_is_refused_not_read_whole() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    gen_quiet(&c, &["--size", "20KB"]);
    let manifest = c.join(MANIFEST);
    let mut text = read_manifest_at(&manifest).into_bytes();
    text.extend(std::iter::repeat_n(b'x', 2 << 20));
    write_manifest_at(&manifest, text).unwrap();
    let out = validate(&c).get_output().clone();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("longer than"),
        "{out:?}"
    );
    no_panic(&out.stderr);
}

/// Inputs are opened without blocking and must be regular files: a
/// profile, suite or manifest that is a device or a pipe is an error, not
/// a read that never ends; a corpus file swapped for a 3 GB sparse file
/// is reported by its size, unread.
#[test]
fn endless_and_huge_inputs_are_refused_not_read() {
    let tmp = Sandbox::new();
    let d = tmp.path();
    let run = |args: &[&str]| {
        let mut child = tmp
            .cmd()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                panic!("{args:?} did not end");
            }
            sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    };
    let fifo = d.join("pipe.toml");
    let cs = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(cs.as_ptr(), 0o600) }, 0);
    for args in [
        &[
            "gen",
            "--profile",
            "/dev/zero",
            "--size",
            "20KB",
            "-q",
            "--out",
            "o",
        ][..],
        &[
            "gen",
            "--profile",
            "pipe.toml",
            "--size",
            "20KB",
            "-q",
            "--out",
            "o",
        ],
        &["suite", "/dev/zero", "--out", "s", "-q"],
        &["suite", "pipe.toml", "--out", "s", "-q"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
    }
    assert!(!d.join("o").exists() && !d.join("s").exists());

    gen_quiet(&d.join("c"), &["--size", "50KB"]);
    let manifest = d.join("c").join(MANIFEST);
    fs::rename(&manifest, d.join("saved.jsonl")).unwrap();
    let cs = std::ffi::CString::new(manifest.to_str().unwrap()).unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::mkfifo(cs.as_ptr(), 0o600) }, 0);
    for args in [
        &["validate", "c"][..],
        &["gen", "--size", "50KB", "-q", "--out", "c"],
    ] {
        let out = run(args);
        assert!(!out.status.success(), "{args:?}: {out:?}");
        no_panic(&out.stderr);
    }
    fs::remove_file(&manifest).unwrap();
    fs::rename(d.join("saved.jsonl"), &manifest).unwrap();

    let md = fs::read_dir(d.join("c"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    fs::File::options()
        .write(true)
        .open(&md)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let out = run(&["validate", "c"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("found {}", 3u64 << 30)),
        "{out:?}"
    );
}

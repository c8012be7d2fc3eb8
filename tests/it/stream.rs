//! `gen --out -`: the corpus as a tar stream on stdout, the same corpus
//! as a folder run's, byte for byte the same at any `--jobs`.

use crate::support::{assert_valid, gen_quiet, gen_tar, noet, snapshot, unpack, Sandbox, MANIFEST};
use predicates::str::contains;
use std::io::Read;

const PARAMS: [&str; 4] = ["--size", "200KB", "--seed", "3"];

#[test]
fn a_tar_stream_extracts_to_the_folder_corpus() {
    let dir = Sandbox::new();
    let bytes = gen_tar(&PARAMS);
    let from_tar = dir.path().join("from-tar");
    unpack(&bytes, &from_tar);
    assert_valid(&from_tar, "gen --out - | tar -x");
    noet()
        .arg("info")
        .arg(&from_tar)
        .assert()
        .success()
        .stdout(contains("complete"));
    let folder = dir.path().join("folder");
    gen_quiet(&folder, &PARAMS);
    // Every file: markdown, assets and the manifest (whose records do not
    // depend on where the corpus went).
    assert_eq!(snapshot(&from_tar), snapshot(&folder));
}

#[test]
fn tar_entries_carry_nothing_of_the_machine_and_come_in_corpus_order() {
    let bytes = gen_tar(&PARAMS);
    let mut archive = tar::Archive::new(&bytes[..]);
    let mut seen_dirs = std::collections::BTreeSet::new();
    let mut names = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut e = entry.unwrap();
        let h = e.header().clone();
        let path = e.path().unwrap().to_string_lossy().into_owned();
        assert!(!path.starts_with('/') && !path.starts_with("./"), "{path}");
        assert_eq!(h.mtime().unwrap(), 0, "{path}");
        assert_eq!((h.uid().unwrap(), h.gid().unwrap()), (0, 0), "{path}");
        assert_eq!(h.username_bytes(), Some(&b""[..]), "{path}");
        assert_eq!(h.groupname_bytes(), Some(&b""[..]), "{path}");
        let path = path.trim_end_matches('/').to_string();
        // A folder comes before anything in it.
        if let Some((parent, _)) = path.rsplit_once('/') {
            assert!(seen_dirs.contains(parent), "{path} before its folder");
        }
        if h.entry_type().is_dir() {
            assert_eq!(h.mode().unwrap(), 0o755, "{path}");
            seen_dirs.insert(path.clone());
        } else {
            assert!(h.entry_type().is_file(), "{path}");
            assert_eq!(h.mode().unwrap(), 0o644, "{path}");
            let mut content = Vec::new();
            e.read_to_end(&mut content).unwrap();
            assert_eq!(content.len() as u64, h.size().unwrap());
        }
        names.push(path);
    }
    // The manifest, with its `end` record, is last.
    assert_eq!(names.last().map(String::as_str), Some(MANIFEST));
}

#[test]
fn the_tar_stream_is_the_same_at_any_jobs() {
    let one = gen_tar(&[&PARAMS[..], &["--jobs", "1"]].concat());
    let two = gen_tar(&[&PARAMS[..], &["--jobs", "2"]].concat());
    assert!(
        one == two,
        "--jobs 1 and --jobs 2 wrote different tar bytes"
    );
}

#[test]
fn out_dash_rejects_json_and_dry_run() {
    noet()
        .args(["gen", "--size", "20KB", "--out", "-", "--json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("--json"))
        .stderr(contains("tar stream"));
    noet()
        .args(["gen", "--size", "20KB", "--out", "-", "--dry-run"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("--dry-run"));
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly_with_a_failure() {
    let mut child = crate::support::bin()
        .args(["gen", "--size", "2MB", "--out", "-", "--quiet"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -c 100`: read 100 bytes, then close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 100];
    stdout.read_exact(&mut head).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "not quiet");
}

#[test]
fn paths_over_a_tar_header_s_100_bytes_survive_the_stream() {
    // 2000 files in 1 MB make folders deep enough for 107-byte paths,
    // which a tar header's name field cannot hold (GNU long names).
    let params = ["--size", "1MB", "--files", "2000", "--seed", "1"];
    let bytes = gen_tar(&params);
    let mut archive = tar::Archive::new(&bytes[..]);
    let longest = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().as_os_str().len())
        .max()
        .unwrap();
    assert!(longest > 100, "the longest path is {longest} bytes");
    let dir = Sandbox::new();
    let from_tar = dir.path().join("from-tar");
    unpack(&bytes, &from_tar);
    let folder = dir.path().join("folder");
    gen_quiet(&folder, &params);
    assert_eq!(snapshot(&from_tar), snapshot(&folder));
}

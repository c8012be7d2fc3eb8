//! Workflows: suites for fixture scripts, cache keys for CI, shards joined
//! by `merge`, and shell completions.

use crate::support::{key_of, noet, snapshot, validate, write, Sandbox};
use predicates::str::contains;
use std::fs;
use std::path::Path;

const SMALL_SUITE: &str = r#"
name = "small"
description = "two small corpora for tests"

[[corpus]]
name = "one-doc"
size = "30KB"
files = 1

[[corpus]]
name = "tiny-net"
profile = "tiny"
size = "20KB"
seed = 7
"#;

#[test]
fn a_suite_builds_once_then_finds_everything_up_to_date() {
    let dir = Sandbox::new();
    let suite = write(dir.path(), "small.toml", SMALL_SUITE);
    let out = dir.path().join("fixtures");
    let first = noet()
        .args(["suite"])
        .arg(&suite)
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    let statuses: Vec<&str> = v["corpora"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["generated", "generated"]);
    noet()
        .arg("validate")
        .arg(out.join("one-doc"))
        .assert()
        .success();
    noet()
        .arg("validate")
        .arg(out.join("tiny-net"))
        .assert()
        .success();

    let before = snapshot(&out);
    let second = noet()
        .args(["suite"])
        .arg(&suite)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("0 built, 2 up to date"));
    assert_eq!(before, snapshot(&out));

    // The suite key is stable and follows the suite's content.
    let key = |path: &Path| key_of(&["--suite", path.to_str().unwrap()]);
    assert_eq!(key(&suite), key(&suite));
    let changed = write(
        dir.path(),
        "changed.toml",
        &SMALL_SUITE.replace("seed = 7", "seed = 8"),
    );
    assert_ne!(key(&suite), key(&changed));
}

/// A suite file's mistakes are found as a profile's are: the message names
/// the file, the line and the key, whether the key is unknown, its value
/// is wrong or the TOML does not parse.
#[test]
fn suite_file_errors_name_the_file_line_and_key() {
    let dir = Sandbox::new();
    let head =
        "name = \"s\"\n\n[[corpus]]\nname = \"a\"\nsize = \"20KB\"\n\n[[corpus]]\nname = \"b\"\n";
    let cases = [
        (
            "key.toml",
            "sise = \"20KB\"\n",
            "`corpus.sise`",
            "unknown field `sise`",
        ),
        (
            "value.toml",
            "size = \"12 parsecs\"\n",
            "`corpus.size`",
            "12 parsecs",
        ),
        (
            "syntax.toml",
            "size = \"20KB\"\nseed = = 3\n",
            "`corpus.seed`",
            "",
        ),
    ];
    for (file, tail, key, what) in cases {
        let suite = write(dir.path(), file, &format!("{head}{tail}"));
        let line = if file == "syntax.toml" { 10 } else { 9 };
        let place = format!("{}:{line}: ", suite.display());
        for args in [
            &["suite", "--list", "--out", "o"][..],
            &["key", "--suite"][..],
        ] {
            let o = noet()
                .current_dir(dir.path())
                .args(args)
                .arg(&suite)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{file}: {err}");
            for w in [place.as_str(), key, what] {
                assert!(err.contains(w), "{file} {args:?}: {w:?} not in {err}");
            }
        }
    }
    assert!(!dir.path().join("o").exists());
}

#[test]
fn a_suite_replaces_a_changed_corpus_only_with_force() {
    let dir = Sandbox::new();
    let suite = write(dir.path(), "small.toml", SMALL_SUITE);
    let out = dir.path().join("fixtures");
    let run = |suite: &Path, force: bool| {
        let mut c = noet();
        c.arg("suite").arg(suite).arg("--out").arg(&out);
        if force {
            c.arg("--force");
        }
        c.assert()
    };
    run(&suite, false).success();
    let changed = write(
        dir.path(),
        "changed.toml",
        &SMALL_SUITE.replace("seed = 7", "seed = 8"),
    );
    // Without --force, the changed corpus is refused with gen's error and
    // nothing is touched; the unchanged one before it stays up to date.
    let before = snapshot(&out);
    run(&changed, false)
        .code(2)
        .stderr(contains("tiny-net"))
        .stderr(contains("holds a different corpus"))
        .stderr(contains("pass --force to replace it"));
    assert_eq!(before, snapshot(&out));
    // A missing corpus is built without --force.
    fs::remove_dir_all(out.join("one-doc")).unwrap();
    run(&suite, false)
        .success()
        .stderr(contains("1 built, 1 up to date"));
    // With --force the changed corpus is replaced, the other left alone.
    let one_doc = snapshot(&out.join("one-doc"));
    run(&changed, true)
        .success()
        .stderr(contains("1 built, 1 up to date"));
    assert_eq!(one_doc, snapshot(&out.join("one-doc")));
    assert_eq!(
        crate::support::manifest_key(&out.join("tiny-net")),
        key_of(&["--profile", "tiny", "--size", "20KB", "--seed", "8"])
    );
    validate(&out.join("tiny-net")).success();
}

#[test]
fn built_in_suites_are_listed_by_key() {
    noet().args(["key", "--suite", "ladder"]).assert().success();
    noet()
        .args(["key", "--suite", "ladder-xl"])
        .assert()
        .success();
    noet()
        .args(["key", "--suite", "no-such-suite"])
        .assert()
        .code(2)
        .stderr(contains("not a built-in suite"));
}

#[test]
fn four_shards_merge_into_the_unsharded_corpus_byte_for_byte() {
    let dir = Sandbox::new();
    let args = ["--size", "400KB", "--seed", "11", "--quiet"];
    let full = dir.path().join("full");
    noet()
        .arg("gen")
        .args(args)
        .arg("--out")
        .arg(&full)
        .assert()
        .success();
    let mut shards = Vec::new();
    for k in [3, 1, 4, 2] {
        let s = dir.path().join(format!("shard{k}"));
        noet()
            .arg("gen")
            .args(args)
            .args(["--shard", &format!("{k}/4")])
            .arg("--out")
            .arg(&s)
            .assert()
            .success();
        shards.push(s);
    }
    // A shard alone is not a corpus to validate.
    validate(&shards[0]).failure().stderr(contains("merge"));
    // Missing a shard is refused, and nothing is written.
    let partial = dir.path().join("partial");
    noet()
        .arg("merge")
        .args(&shards[..3])
        .arg("--out")
        .arg(&partial)
        .assert()
        .code(2)
        .stderr(contains("missing"));
    assert!(!partial.exists());

    let merged = dir.path().join("merged");
    noet()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    assert_eq!(snapshot(&full), snapshot(&merged));
    validate(&merged).success();
    // Merging again is a no-op.
    noet()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success()
        .stderr(contains("up to date"));
}

#[test]
fn shards_of_different_corpora_do_not_merge() {
    let dir = Sandbox::new();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    noet()
        .args([
            "gen", "--size", "100KB", "--seed", "1", "--shard", "1/2", "-q", "--out",
        ])
        .arg(&a)
        .assert()
        .success();
    noet()
        .args([
            "gen", "--size", "100KB", "--seed", "2", "--shard", "2/2", "-q", "--out",
        ])
        .arg(&b)
        .assert()
        .success();
    noet()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .arg("--out")
        .arg(dir.path().join("m"))
        .assert()
        .code(2)
        .stderr(contains("another corpus"));
}

/// Two keys say that shards differ, not what to change: the refusal names
/// every parameter that differs, with both values.
#[test]
fn a_merge_of_mismatched_shards_names_each_differing_parameter() {
    let dir = Sandbox::new();
    let shard = |name: &str, args: &[&str], k: &str| {
        let out = dir.path().join(name);
        noet()
            .arg("gen")
            .args(args)
            .args(["--shard", k, "-q", "--out"])
            .arg(&out)
            .assert()
            .success();
        out
    };
    let one = shard("s1", &["--size", "100KB", "--seed", "1"], "1/2");
    let seed = shard("s2", &["--size", "100KB", "--seed", "2"], "2/2");
    let more = shard(
        "s3",
        &["--size", "120KB", "--seed", "1", "--profile", "tiny"],
        "2/2",
    );
    let merge = |other: &Path| {
        let o = noet()
            .arg("merge")
            .arg(&one)
            .arg(other)
            .arg("--out")
            .arg(dir.path().join("m"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert!(!dir.path().join("m").exists());
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(err.contains("another corpus"), "{err}");
        // What differs, after the two folders' names.
        err.rsplit(": ").next().unwrap().to_string()
    };
    // The refused shard's value first, then the first shard's.
    let err = merge(&seed);
    assert!(err.contains("seed 2 vs 1"), "{err}");
    assert!(!err.contains("size"), "only the seed differs: {err}");
    let err = merge(&more);
    for w in ["size 120000 vs 100000", "profile tiny vs default"] {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
    assert!(!err.contains("seed"), "the seeds are equal: {err}");
}

#[test]
fn shard_keys_differ_from_the_corpus_key() {
    let key = |extra: &[&str]| key_of(&[&["--size", "1MB"][..], extra].concat());
    assert_ne!(key(&[]), key(&["--shard", "1/2"]));
    assert_ne!(key(&["--shard", "1/2"]), key(&["--shard", "2/2"]));
    noet().args(["key", "--shard", "3/2"]).assert().code(2);
}

#[test]
fn bash_completion_loads() {
    let dir = Sandbox::new();
    let script = dir.path().join("noet-corpus.bash");
    let out = noet().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    fs::write(&script, &out.stdout).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p noet-corpus",
            script.display()
        ))
        .output();
    if let Ok(check) = check {
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
        assert!(String::from_utf8_lossy(&check.stdout).contains("noet-corpus"));
    }
    noet()
        .arg("man")
        .assert()
        .success()
        .stdout(contains(".TH noet-corpus"));
    noet()
        .arg("--version")
        .assert()
        .success()
        .stdout(contains("corpus format"));
}

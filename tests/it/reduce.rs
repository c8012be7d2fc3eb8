//! `noet-corpus reduce` (issue #19, item 2): with one planted trigger (a
//! command that fails when a `bref://` link is present) the reduction ends
//! at one file holding that construct, in a bounded number of runs, with a
//! manifest that validates; the input corpus is never touched; an input
//! the command does not fail on is bad input.

use crate::support::{assert_valid, files_under, gen_quiet, reduce_json, snapshot, Sandbox};

/// Fails (exits non-zero) exactly when a file under the folder holds a
/// `bref://` reference.
const TRIGGER: &[&str] = &["sh", "-c", "! grep -rqF 'bref://' \"$1\"", "_", "{}"];

fn tiny(tmp: &Sandbox) -> std::path::PathBuf {
    let dir = tmp.path().join("tiny");
    gen_quiet(
        &dir,
        &["--profile", "tiny", "--size", "20KB", "--seed", "7"],
    );
    dir
}

/// The markdown files of a corpus.
fn md_files(dir: &std::path::Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.ends_with(".md"))
        .collect()
}

#[test]
fn a_planted_trigger_reduces_to_one_file_with_it() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    let before = snapshot(&input);
    let mut results = Vec::new();
    for jobs in ["1", "2"] {
        let out = tmp.path().join(format!("min-{jobs}"));
        let (code, s, err) = reduce_json(&input, &out, &["--jobs", jobs], TRIGGER);
        assert_eq!(code, 0, "{err}");
        let md = md_files(&out);
        assert_eq!(md.len(), 1, "{md:?}");
        let text = std::fs::read_to_string(out.join(&md[0])).unwrap();
        assert!(text.contains("bref://"), "{text}");
        // 1-minimal at the line level: the file is the one line with it.
        assert_eq!(text.lines().count(), 1, "{text}");
        // Every field docs/JSON.md lists.
        for field in [
            "failure",
            "tests",
            "files_before",
            "bytes_before",
            "files",
            "bytes",
            "assets",
            "links",
            "now_broken",
            "paths",
            "problems",
        ] {
            assert!(s.get(field).is_some(), "no `{field}` in {s}");
        }
        let tests = s["tests"].as_u64().unwrap();
        assert!((2..200).contains(&tests), "{tests} test runs");
        assert_eq!(s["files"], 1);
        assert_eq!(s["files_before"], 25);
        assert_eq!(s["paths"].as_array().unwrap().len(), 1);
        assert!(s["problems"].as_array().unwrap().is_empty(), "{s}");
        assert_valid(&out, "the reduced corpus");
        // The input is only read.
        assert!(snapshot(&input) == before, "reduce changed its input");
        results.push(snapshot(&out));
    }
    // The first failing candidate in order wins, at any --jobs.
    assert!(results[0] == results[1], "--jobs changed the result");
}

#[test]
fn match_makes_the_output_the_failure() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    let out = tmp.path().join("min");
    // grep prints what it finds and exits 0 or 1: neither is the failure;
    // the printed construct is.
    let cmd = ["sh", "-c", "grep -rhoF 'bref://' \"$1\"; true", "_", "{}"];
    let (code, s, err) = reduce_json(&input, &out, &["--match", "bref://[0-9a-f]?"], &cmd);
    assert_eq!(code, 0, "{err}");
    assert_eq!(md_files(&out).len(), 1);
    assert!(
        s["failure"].as_str().unwrap().starts_with("output matches"),
        "{s}"
    );
}

#[test]
fn an_input_the_command_passes_is_bad_input() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    let before = snapshot(&input);
    let out = tmp.path().join("min");
    let (code, s, err) = reduce_json(&input, &out, &[], &["true"]);
    assert_eq!(code, 2, "{err}");
    assert!(s.is_null());
    assert!(err.contains("does not fail on the input corpus"), "{err}");
    assert!(!out.exists());
    assert!(snapshot(&input) == before);
    // A result inside the input would change it.
    let (code, _, err) = reduce_json(&input, &input.join("min"), &[], TRIGGER);
    assert_eq!(code, 2, "{err}");
    assert!(snapshot(&input) == before);
}

#[test]
fn a_link_whose_target_remains_keeps_its_resolution() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    let out = tmp.path().join("min");
    // Fails while a file links to stack_flex_memory.md and that file
    // exists: both stay, the target emptied (it need only exist).
    let cmd = [
        "sh",
        "-c",
        "! { test -f \"$1/stack_flex_memory.md\" && grep -rqF '](stack_flex_memory.md)' \"$1\"; }",
        "_",
        "{}",
    ];
    let (code, s, err) = reduce_json(&input, &out, &[], &cmd);
    assert_eq!(code, 0, "{err}");
    let md = md_files(&out);
    assert_eq!(md.len(), 2, "{md:?}");
    assert!(md.contains(&"stack_flex_memory.md".to_string()), "{md:?}");
    assert_eq!(
        std::fs::read(out.join("stack_flex_memory.md")).unwrap(),
        b""
    );
    assert_eq!(s["now_broken"], 0, "{s}");
    let manifest = std::fs::read_to_string(out.join(crate::support::MANIFEST)).unwrap();
    let link: serde_json::Value = manifest
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["type"] == "link")
        .unwrap();
    assert_eq!(link["target"], "stack_flex_memory.md", "{link}");
    assert_valid(&out, "the reduced corpus");
}

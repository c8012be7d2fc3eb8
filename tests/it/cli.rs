//! End-to-end tests of the `noet-corpus` command line: each test runs the
//! built binary the way a user would and checks what ends up on disk.
//!
//! Exit codes: 0 ok, 1 validation found problems, 2 bad input or usage,
//! 3 runtime I/O failure.

use crate::support::{
    entries, files_under, gen_quiet, key_of, manifest_key, noet, read_manifest_at, snapshot,
    validate, write, write_manifest_at, Sandbox, MANIFEST,
};
use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// `noet-corpus gen ARGS --out OUT`, quiet unless `--json` asks for output.
fn gen(out: &Path, args: &[&str]) -> Command {
    let mut cmd = noet();
    cmd.arg("gen").args(args).arg("--out").arg(out);
    cmd
}

/// Total bytes of the markdown files in a snapshot.
fn md_bytes(files: &BTreeMap<String, Vec<u8>>) -> u64 {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".md"))
        .map(|(_, b)| b.len() as u64)
        .sum()
}

/// Modification time of every file under `root`.
fn mtimes(root: &Path) -> BTreeMap<String, SystemTime> {
    files_under(root)
        .into_iter()
        .map(|rel| {
            let t = fs::metadata(root.join(&rel)).unwrap().modified().unwrap();
            (rel, t)
        })
        .collect()
}

/// A markdown file inside a subfolder (so its relative path has a `/`).
fn nested_md(root: &Path) -> String {
    files_under(root)
        .into_iter()
        .find(|p| p.ends_with(".md") && p.contains('/') && !p.starts_with('.'))
        .expect("the corpus has a markdown file in a subfolder")
}

#[test]
fn gen_is_deterministic_for_any_jobs_and_hits_the_size() {
    let tmp = Sandbox::new();
    let a = tmp.path().join("A");
    let b = tmp.path().join("B");
    gen(&a, &["--size", "500KB", "--seed", "42", "-q"])
        .assert()
        .success();
    gen(
        &b,
        &["--size", "500KB", "--seed", "42", "--jobs", "1", "-q"],
    )
    .assert()
    .success();

    let sa = snapshot(&a);
    let sb = snapshot(&b);
    assert!(sa.contains_key(MANIFEST), "the manifest is written");
    assert_eq!(
        sa.keys().collect::<Vec<_>>(),
        sb.keys().collect::<Vec<_>>(),
        "same file list"
    );
    for (path, bytes) in &sa {
        assert!(
            sb[path] == *bytes,
            "{path} differs between --jobs N and --jobs 1"
        );
    }

    let total = md_bytes(&sa);
    let off = total.abs_diff(500_000) as f64 / 500_000.0;
    assert!(off <= 0.005, "{total} markdown bytes for --size 500KB");

    // Only the two corpora remain: no temporary folders beside them.
    assert_eq!(entries(tmp.path()), ["A", "B"]);

    // The summary is for a person: stderr.
    validate(&a).code(0).stderr(contains("valid:"));
}

/// A file of 4 MB or more is parsed on its own thread beside the rest of
/// its work: the same bytes and manifest as on one thread, and validated.
#[test]
fn a_large_single_document_is_the_same_on_one_thread_and_two() {
    let tmp = Sandbox::new();
    let (a, b) = (tmp.path().join("A"), tmp.path().join("B"));
    gen_quiet(&a, &["--size", "5MB", "--files", "1", "--jobs", "2"]);
    gen_quiet(&b, &["--size", "5MB", "--files", "1", "--jobs", "1"]);
    let sa = snapshot(&a);
    assert_eq!(md_bytes(&sa), 5_000_000);
    assert!(sa == snapshot(&b), "--jobs 2 and --jobs 1 differ");
    validate(&a).code(0);
}

/// The promise of render.rs: "a final paragraph of exactly the right length
/// makes the file exactly its planned size", and plan.rs scales the planned
/// sizes to sum to exactly --size.
#[test]
fn gen_writes_exactly_the_requested_size() {
    let tmp = Sandbox::new();
    let a = tmp.path().join("A");
    gen(&a, &["--size", "500KB", "--seed", "42", "-q"])
        .assert()
        .success();
    assert_eq!(md_bytes(&snapshot(&a)), 500_000);
}

#[test]
fn rerunning_gen_is_a_no_op() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("corpus");
    let args = ["--size", "100KB", "--seed", "9"];
    gen(&out, &args).assert().success();

    // Backdate every file, so a rewrite could not go unnoticed even on a
    // file system with coarse timestamps.
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for rel in files_under(&out) {
        let f = fs::File::options()
            .write(true)
            .open(out.join(&rel))
            .unwrap();
        f.set_modified(old).unwrap();
    }
    let before = mtimes(&out);
    let contents = snapshot(&out);

    gen(&out, &args)
        .assert()
        .success()
        .stderr(contains("up to date"));

    assert_eq!(mtimes(&out), before, "no file was rewritten");
    assert!(before.values().all(|t| *t == old));
    assert!(snapshot(&out) == contents);
}

#[test]
fn other_params_need_force_to_replace_a_corpus() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("C");
    gen(&out, &["--size", "100KB", "--seed", "1", "-q"])
        .assert()
        .success();
    let original = snapshot(&out);

    // Different seed, no --force: refused, nothing touched.
    gen(&out, &["--size", "100KB", "--seed", "2", "-q"])
        .assert()
        .code(2)
        .stderr(contains("different corpus").and(contains("--force")));
    assert!(snapshot(&out) == original, "the corpus was left untouched");

    // With --force the old corpus is replaced by the new one.
    gen(&out, &["--size", "100KB", "--seed", "2", "--force", "-q"])
        .assert()
        .success();
    assert!(snapshot(&out) != original);
    let key = key_of(&["--size", "100KB", "--seed", "2"]);
    assert_eq!(manifest_key(&out), key);
    assert_eq!(entries(tmp.path()), ["C"], "the old corpus is gone");
    // No file of the old corpus is left over: validate reports extra files.
    validate(&out).code(0);
}

#[test]
fn a_folder_that_is_not_a_corpus_is_never_touched() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("notes");
    fs::create_dir_all(out.join("sub")).unwrap();
    fs::write(out.join("todo.txt"), "buy milk\n").unwrap();
    fs::write(out.join("sub/draft.md"), "# Draft\n").unwrap();
    let original = snapshot(&out);

    for force in [false, true] {
        let mut cmd = gen(&out, &["--size", "20KB", "--profile", "tiny", "-q"]);
        if force {
            cmd.arg("--force");
        }
        cmd.assert()
            .code(2)
            .stderr(contains("not a noet-corpus corpus"));
        assert!(snapshot(&out) == original, "force={force}: files changed");
        assert_eq!(entries(tmp.path()), ["notes"], "force={force}: leftovers");
    }
}

#[test]
fn out_pointing_at_a_file_is_refused() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("report.txt");
    fs::write(&out, "precious\n").unwrap();
    for extra in [&[][..], &["--force"][..]] {
        gen(&out, &["--size", "20KB", "-q"])
            .args(extra)
            .assert()
            .code(2)
            .stderr(contains("is not a folder"));
        assert_eq!(fs::read_to_string(&out).unwrap(), "precious\n");
        assert_eq!(entries(tmp.path()), ["report.txt"]);
    }
}

#[test]
fn validate_names_an_edited_file() {
    let tmp = Sandbox::new();

    // Append a line.
    let out = tmp.path().join("appended");
    gen(
        &out,
        &["--profile", "tiny", "--size", "20KB", "--seed", "5", "-q"],
    )
    .assert()
    .success();
    let victim = nested_md(&out);
    let mut text = fs::read_to_string(out.join(&victim)).unwrap();
    text.push_str("One more line.\n");
    fs::write(out.join(&victim), text).unwrap();
    validate(&out)
        .code(1)
        .stdout(contains(format!("{victim}:")));

    // Change a single byte, keeping the size.
    let out = tmp.path().join("one-byte");
    gen(
        &out,
        &["--profile", "tiny", "--size", "20KB", "--seed", "5", "-q"],
    )
    .assert()
    .success();
    let mut bytes = fs::read(out.join(&victim)).unwrap();
    let i = bytes.len() / 2
        + bytes[bytes.len() / 2..]
            .iter()
            .position(|&c| c == b'e')
            .unwrap();
    bytes[i] = b'a';
    fs::write(out.join(&victim), bytes).unwrap();
    validate(&out)
        .code(1)
        .stdout(contains(format!("{victim}: content hash")))
        .stderr(contains("does not match its manifest"));
}

#[test]
fn validate_reports_missing_and_unlisted_files() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("corpus");
    gen(
        &out,
        &["--profile", "tiny", "--size", "20KB", "--seed", "5", "-q"],
    )
    .assert()
    .success();
    let deleted = nested_md(&out);
    fs::remove_file(out.join(&deleted)).unwrap();
    fs::write(out.join("stray.md"), "# Stray\n\nNot in the manifest.\n").unwrap();

    validate(&out).code(1).stdout(
        contains(format!("{deleted}: file: expected present, found missing"))
            .and(contains("stray.md: file"))
            .and(contains("the manifest does not list")),
    );
}

#[test]
fn validate_rejects_a_truncated_manifest() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("corpus");
    gen(&out, &["--size", "50KB", "--seed", "3", "-q"])
        .assert()
        .success();
    let manifest = out.join(MANIFEST);
    let text = read_manifest_at(&manifest);
    let (kept, dropped) = text.trim_end_matches('\n').rsplit_once('\n').unwrap();
    assert!(
        dropped.contains(r#""type":"end""#),
        "the last line is the end record"
    );
    write_manifest_at(&manifest, format!("{kept}\n")).unwrap();

    // 1 or 2, but never 0 and never a panic (101).
    validate(&out)
        .code(predicate::in_iter([1, 2]))
        .stderr(contains("manifest").and(contains("truncated")))
        .stderr(contains("panicked").not());
}

/// Link records are read on the worker threads; a damaged one is still
/// reported by its line (exit 1: the corpus is not valid), and so is a
/// link after the `end` record.
#[test]
fn validate_names_the_line_of_a_damaged_link_record() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("corpus");
    gen_quiet(&out, &["--size", "200KB", "--seed", "3"]);
    let manifest = out.join(MANIFEST);
    let text = read_manifest_at(&manifest);
    let lines: Vec<&str> = text.lines().collect();
    // The last link record, so that earlier batches are all fine.
    let k = lines
        .iter()
        .rposition(|l| l.starts_with(r#"{"type":"link","#))
        .unwrap();
    let mut damaged = lines.clone();
    let cut = damaged[k].replace(r#""line":"#, r#""line":"x"#);
    damaged[k] = &cut;
    write_manifest_at(&manifest, damaged.join("\n") + "\n").unwrap();
    validate(&out)
        .code(1)
        .stderr(contains(format!("line {}: not a valid record", k + 1)));

    let mut after_end = lines.clone();
    after_end.push(lines[k]);
    write_manifest_at(&manifest, after_end.join("\n") + "\n").unwrap();
    validate(&out).code(1).stderr(contains(format!(
        "line {}: records after the `end` record",
        lines.len() + 1
    )));
}

/// A manifest is input: link lines written another way still validate, a
/// target that differs only by a leading `/` does not, and of two damaged
/// lines the first is reported, as a serial reader would.
#[test]
fn validate_reads_a_hand_edited_manifest_as_written() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("corpus");
    gen_quiet(
        &out,
        &["--size", "50KB", "--profile", "tiny", "--seed", "7"],
    );
    let manifest = out.join(MANIFEST);
    let text = read_manifest_at(&manifest);
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let write = |lines: &[String]| write_manifest_at(&manifest, lines.join("\n") + "\n").unwrap();
    let is_link = |l: &String| l.starts_with(r#"{"type":"link","#);
    let first_link = lines.iter().position(is_link).unwrap();

    let mut spaced = lines.clone();
    for l in spaced.iter_mut().filter(|l| is_link(l)) {
        *l = l.replacen(r#"{"type":"link","#, r#"{ "type": "link", "#, 1);
    }
    write(&spaced);
    validate(&out).code(0);

    // A link to a file at the root, its target given as `/name.md`.
    let (k, target) = lines
        .iter()
        .enumerate()
        .find_map(|(k, l)| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            let t = v["target"].as_str()?;
            (v["type"] == "link" && !t.contains('/')).then(|| (k, t.to_string()))
        })
        .expect("a link to a root-level file");
    let mut slashed = lines.clone();
    slashed[k] = slashed[k].replace(
        &format!(r#""target":"{target}""#),
        &format!(r#""target":"/{target}""#),
    );
    write(&slashed);
    validate(&out)
        .code(1)
        .stdout(contains(format!("expected /{target}")));

    let last_heading = lines
        .iter()
        .rposition(|l| l.starts_with(r#"{"type":"heading","#))
        .unwrap();
    assert!(last_heading > first_link);
    let mut two = lines.clone();
    two[first_link] = two[first_link].replace(r#""line":"#, r#""line":"x"#);
    two[last_heading] = two[last_heading].replace(r#""level":"#, r#""level":"y"#);
    write(&two);
    validate(&out).code(1).stderr(contains(format!(
        "line {}: not a valid record",
        first_link + 1
    )));
}

#[test]
fn validate_needs_a_manifest() {
    let tmp = Sandbox::new();
    let dir = tmp.path().join("plain");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("readme.md"), "# Hello\n").unwrap();
    validate(&dir)
        .code(predicate::in_iter([1, 2]))
        .stderr(contains(
            "has no manifest (.noet-corpus/manifest.jsonl.zst)",
        ))
        .stderr(contains("panicked").not());

    noet()
        .arg("validate")
        .arg(tmp.path().join("does-not-exist"))
        .assert()
        .code(2)
        .stderr(contains("is not a folder"));
}

/// Each case: extra `gen` arguments and what the error message must say.
#[test]
fn bad_input_exits_2_and_creates_nothing() {
    let profiles = Sandbox::new();
    let profile = |name: &str, text: &str| {
        write(profiles.path(), name, text)
            .to_str()
            .unwrap()
            .to_string()
    };
    let unknown_key = profile("unknown-key.toml", "name = \"p\"\n[mix]\nprose = 0.5\n");
    let wrong_type = profile(
        "wrong-type.toml",
        "name = \"p\"\n[layout]\nfanout = \"four\"\n",
    );
    let negative = profile(
        "negative.toml",
        "name = \"p\"\n\n[references.kinds]\nwikilink = -1.0\n",
    );
    let a_dir = profiles.path().to_str().unwrap().to_string();

    let cases: Vec<(Vec<&str>, Vec<String>)> = vec![
        (
            vec!["--size", ""],
            vec!["invalid size ``: it is empty".into()],
        ),
        (
            vec!["--size", "0"],
            vec!["size is 0".into(), "hint: pass a larger --size".into()],
        ),
        // `--size -5MB` would be read by clap as a flag `-5`; `=` passes it on.
        (vec!["--size=-5MB"], vec!["cannot be negative".into()]),
        (vec!["--size", "5XB"], vec!["unknown unit `xb`".into()]),
        (
            vec!["--size", "1.2.3MB"],
            vec!["more than one decimal point".into()],
        ),
        (
            vec!["--size", "99999999999999999999"],
            vec!["larger than 2^64".into()],
        ),
        (
            vec!["--size", "100KB", "--files", "0"],
            vec!["file count is 0".into(), "--files".into()],
        ),
        (
            vec!["--size", "100KB", "--files", "1000"],
            vec!["too small for 1000 files".into(), "lower --files".into()],
        ),
        (
            vec!["--profile", "nonexistent"],
            vec!["`nonexistent` is not a built-in profile".into()],
        ),
        (
            vec!["--profile", &a_dir],
            vec![a_dir.clone(), "is a directory".into()],
        ),
        (
            vec!["--profile", &unknown_key],
            vec![
                unknown_key.clone(),
                "line 3".into(),
                "unknown field `prose`".into(),
            ],
        ),
        (
            vec!["--profile", &wrong_type],
            vec![wrong_type.clone(), "line 3".into(), "invalid type".into()],
        ),
        (
            vec!["--profile", &negative],
            vec![
                format!("{negative}:4"),
                "`references.kinds.wikilink`".into(),
                ">= 0".into(),
            ],
        ),
    ];

    for (args, wanted) in cases {
        let tmp = Sandbox::new();
        let out = tmp.path().join("out");
        let assert = gen(&out, &args).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        for w in &wanted {
            assert!(
                stderr.contains(w.as_str()),
                "{args:?}: {w:?} not in {stderr:?}"
            );
        }
        assert!(!out.exists(), "{args:?} created --out");
        assert!(entries(tmp.path()).is_empty(), "{args:?} left files behind");
    }
}

/// Found by `bad_input_exits_2_and_creates_nothing`: profile.rs promises
/// that bad values "name the file, the line and the key", but for a value
/// of the wrong type the message names the value (`"four"`), not the key.
#[test]
fn wrong_type_in_a_profile_names_the_key() {
    let tmp = Sandbox::new();
    let profile = tmp.path().join("wrong-type.toml");
    fs::write(&profile, "name = \"p\"\n[layout]\nfanout = \"four\"\n").unwrap();
    noet()
        .args(["key", "--profile"])
        .arg(&profile)
        .assert()
        .code(2)
        .stderr(contains("line 3").and(contains("fanout")));
}

#[test]
fn json_summary_is_one_object() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("corpus");
    let args = ["--size", "60KB", "--seed", "4", "--json"];

    let stdout = gen(&out, &args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(stdout).unwrap();
    assert_eq!(text.trim_end().lines().count(), 1, "one line: {text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["status"], "generated");
    let files = snapshot(&out);
    let md_files = files.keys().filter(|p| p.ends_with(".md")).count() as u64;
    assert_eq!(v["files"].as_u64(), Some(md_files));
    assert_eq!(v["bytes"].as_u64(), Some(md_bytes(&files)));
    assert!(v["links"].as_u64().unwrap() > 0);

    // A second run reports the same corpus as up to date.
    let again = gen(&out, &args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let w: serde_json::Value = serde_json::from_slice(&again).unwrap();
    assert_eq!(w["status"], "up-to-date");
    for field in ["files", "bytes", "links", "key"] {
        assert_eq!(v[field], w[field], "{field}");
    }
}

#[test]
fn profiles_lists_and_shows_builtins() {
    let listing = noet().arg("profiles").assert().success();
    let text = String::from_utf8_lossy(&listing.get_output().stdout).to_string();
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        names.contains(&"default") && names.contains(&"tiny"),
        "{text}"
    );

    let shown = noet()
        .args(["profiles", "show", "default"])
        .assert()
        .success();
    let toml_text = String::from_utf8_lossy(&shown.get_output().stdout).to_string();
    let v: toml::Value = toml::from_str(&toml_text).expect("profiles show prints TOML");
    assert_eq!(v["name"].as_str(), Some("default"));
    assert!(v["layout"].is_table());

    noet()
        .args(["profiles", "show", "nonexistent"])
        .assert()
        .code(2);
}

#[test]
fn key_depends_only_on_the_parameters() {
    let key = key_of;
    let k = key(&["--size", "500KB", "--seed", "42"]);
    assert_eq!(k.len(), 16);
    assert!(k.chars().all(|c| c.is_ascii_hexdigit()), "{k}");
    assert_eq!(k, key(&["--size", "500KB", "--seed", "42"]));
    assert_eq!(k, key(&["--size", "500000", "--seed", "42"]), "same bytes");
    assert_ne!(k, key(&["--size", "500KB", "--seed", "43"]));
    assert_ne!(
        k,
        key(&["--size", "500KB", "--seed", "42", "--profile", "tiny"])
    );
}

#[test]
fn key_suite_refuses_the_options_of_a_single_corpus() {
    // A suite's key cannot take --dialect or --shard: they used to be
    // ignored silently, printing the plain suite key.
    for extra in [
        ["--dialect", "obsidian"],
        ["--shard", "2/4"],
        ["--seed", "3"],
    ] {
        noet()
            .args(["key", "--suite", "ladder"])
            .args(extra)
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains("cannot be used with"));
    }
    noet()
        .args(["key", "--help"])
        .assert()
        .success()
        .stdout(contains("--shard <K/N>"));
}

#[test]
fn one_file_corpus_is_a_single_index() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("single");
    gen(&out, &["--files", "1", "--size", "200KB", "-q"])
        .assert()
        .success();
    let files = snapshot(&out);
    let md: Vec<&String> = files.keys().filter(|p| p.ends_with(".md")).collect();
    assert_eq!(md, ["index.md"]);
    assert_eq!(files["index.md"].len(), 200_000);
    validate(&out).code(0);
}

#[test]
fn validate_notices_edited_parameters() {
    let dir = Sandbox::new();
    let out = dir.path().join("c");
    gen(&out, &["--size", "100KB", "--seed", "5", "-q"])
        .assert()
        .success();
    let manifest = out.join(MANIFEST);
    let text = read_manifest_at(&manifest);
    let (first, rest) = text.split_once('\n').unwrap();
    assert!(first.contains("\"seed\":5"));
    write_manifest_at(
        &manifest,
        format!("{}\n{rest}", first.replace("\"seed\":5", "\"seed\":6")),
    )
    .unwrap();
    validate(&out).code(1).stdout(contains("corpus key"));
}

/// `validate --parse-only --json` prints JSON, as `validate --json` does
/// (it printed the text line).
#[test]
fn parse_only_json_is_json() {
    let dir = Sandbox::new();
    let c = dir.path().join("c");
    gen_quiet(&c, &["--size", "30KB"]);
    let out = noet()
        .args(["validate", "--parse-only", "--json"])
        .arg(&c)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["parse_only"], true);
    assert_eq!(v["bytes"], 30_000);
    assert!(v["files"].as_u64().unwrap() >= 1);
}

/// `merge -q` is quiet like `gen -q`; an up-to-date merge reports the
/// corpus's real totals (they were zero in `--json`).
#[test]
fn merge_is_quiet_on_request_and_up_to_date_with_totals() {
    let d = Sandbox::new();
    for k in 1..=2 {
        gen_quiet(
            &d.path().join(format!("s{k}")),
            &["--size", "60KB", "--shard", &format!("{k}/2")],
        );
    }
    d.noet()
        .args(["merge", "s1", "s2", "--out", "m", "-q"])
        .assert()
        .success()
        .stdout("");
    let out = d
        .noet()
        .args(["merge", "s1", "s2", "--out", "m", "--json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["status"], "up-to-date");
    assert_eq!(v["bytes"], 60_000);
}

/// Front-matter tags never repeat within a file (`tags: [data, data]` was
/// written), in every front-matter format.
#[test]
fn tags_are_distinct_within_a_file() {
    let dir = Sandbox::new();
    let c = dir.path().join("c");
    gen_quiet(&c, &["--size", "2MB", "--seed", "11"]);
    let mut lists = 0;
    for path in files_under(&c).into_iter().filter(|p| p.ends_with(".md")) {
        let text = fs::read_to_string(c.join(&path)).unwrap();
        for line in text.lines().take(12) {
            let Some(at) = line.find("tags") else {
                continue;
            };
            let rest = &line[at..];
            let (Some(a), Some(b)) = (rest.find('['), rest.find(']')) else {
                continue;
            };
            let tags: Vec<&str> = rest[a + 1..b]
                .split(',')
                .map(|t| t.trim().trim_matches('"'))
                .collect();
            lists += 1;
            for (k, t) in tags.iter().enumerate() {
                assert!(!tags[..k].contains(t), "{path}: {line}");
            }
        }
    }
    assert!(lists > 20, "only {lists} tag lists seen");
}

/// One exit policy: a manifest with a garbled line is a corpus that
/// contradicts its ground truth (exit 1), whether `validate` or `merge`
/// meets it; before, `merge` called it bad input (2).
#[test]
fn the_same_error_exits_the_same_way_in_every_command() {
    let dir = Sandbox::new();
    for s in ["1/2", "2/2"] {
        let out = dir.path().join(format!("s{}", &s[..1]));
        gen(
            &out,
            &[
                "--profile",
                "tiny",
                "--size",
                "20KB",
                "--seed",
                "1",
                "--shard",
                s,
                "-q",
            ],
        )
        .assert()
        .success();
    }
    let m = dir.path().join("s1").join(MANIFEST);
    let text = read_manifest_at(&m);
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{garbled";
    write_manifest_at(&m, lines.join("\n") + "\n").unwrap();
    let whole = dir.path().join("whole");
    gen(
        &whole,
        &["--profile", "tiny", "--size", "20KB", "--seed", "1", "-q"],
    )
    .assert()
    .success();
    let wm = whole.join(MANIFEST);
    let text = read_manifest_at(&wm);
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{garbled";
    write_manifest_at(&wm, lines.join("\n") + "\n").unwrap();
    validate(&whole).code(1).stderr(contains("line 3"));
    noet()
        .arg("merge")
        .arg(dir.path().join("s1"))
        .arg(dir.path().join("s2"))
        .arg("--out")
        .arg(dir.path().join("m"))
        .assert()
        .code(1)
        .stderr(contains("line 3"));
    assert!(!dir.path().join("m").exists());
}

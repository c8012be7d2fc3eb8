//! `noet-corpus check` (issue #19, item 1): a tool's answers compared with
//! the manifest. The manifest's own answers (`--expected`) agree 100%, in
//! any order and without line numbers; planted errors are reported
//! exactly, each in its class; a malformed line is bad input naming the
//! line.

use crate::support::{
    check_json, check_json_with, expected_answers, gen_quiet, noet, write_answers, Sandbox,
};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The classes a report found, with their counts.
fn classes(report: &Value) -> BTreeMap<String, u64> {
    report["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["class"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Every tally of a report (kinds, constructs) agrees in full.
fn all_tallies_agree(report: &Value) {
    for group in ["by_kind", "by_construct"] {
        for t in report[group].as_array().unwrap() {
            assert_eq!(t["agree"], t["links"], "{group}: {t}");
        }
    }
}

fn is_link(a: &Value) -> bool {
    a.get("source").is_some()
}

fn corpus(tmp: &Sandbox, name: &str, args: &[&str]) -> std::path::PathBuf {
    let out = tmp.path().join(name);
    gen_quiet(&out, args);
    out
}

#[test]
fn the_manifests_own_answers_agree_in_full() {
    let tmp = Sandbox::new();
    for (name, args) in [
        ("default", &["--size", "60KB", "--seed", "3"][..]),
        (
            "obsidian",
            &["--size", "60KB", "--seed", "3", "--dialect", "obsidian"][..],
        ),
    ] {
        let dir = corpus(&tmp, name, args);
        let answers = expected_answers(&dir);
        let path = tmp.path().join(format!("{name}.jsonl"));
        write_answers(&path, &answers);
        let (code, report) = check_json(&dir, &path);
        assert_eq!(code, 0, "{name}: {report}");
        assert_eq!(report["agree"], true);
        assert!(classes(&report).is_empty(), "{report}");
        let links = answers.iter().filter(|a| is_link(a)).count() as u64;
        assert!(links > 50, "{name}: {links} links");
        assert_eq!(report["links"], links);
        assert_eq!(report["agree"], true);
        assert_eq!(report["answered"], links);
        all_tallies_agree(&report);
        let kinds: Vec<&str> = report["by_kind"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        if name == "obsidian" {
            assert!(kinds.contains(&"wikilink_heading"), "{kinds:?}");
        }
        let constructs: Vec<&str> = report["by_construct"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        for c in ["wikilink", "path", "index_source", "negative"] {
            assert!(constructs.contains(&c), "{name}: {c} in {constructs:?}");
        }

        // Reversed, without line numbers and without the file answers: a
        // tool that reports references as it finds them, in any order.
        let mut loose: Vec<Value> = answers.into_iter().filter(is_link).collect();
        loose.reverse();
        for a in &mut loose {
            a.as_object_mut().unwrap().remove("line");
        }
        write_answers(&path, &loose);
        let (code, report) = check_json(&dir, &path);
        assert_eq!(code, 0, "{name} without lines: {report}");
        assert_eq!(report["files"]["links"], 0);
    }
}

/// The position in `answers` of the first link answer that `pick` takes
/// and no earlier plant took (kept in `used`).
fn find(answers: &[Value], used: &mut Vec<usize>, pick: impl Fn(&Value) -> bool) -> usize {
    let i = (0..answers.len())
        .find(|i| !used.contains(i) && is_link(&answers[*i]) && pick(&answers[*i]))
        .expect("a link of that shape in the corpus");
    used.push(i);
    i
}

#[test]
fn planted_errors_are_reported_exactly_by_class() {
    let tmp = Sandbox::new();
    let dir = corpus(&tmp, "c", &["--size", "60KB", "--seed", "3"]);
    let mut answers = expected_answers(&dir);
    let links = answers.iter().filter(|a| is_link(a)).count() as u64;
    let resolved = |a: &Value| a["resolved"].clone();
    let plain_file = |a: &Value| resolved(a).is_object() && resolved(a).get("anchor").is_none();
    let mut used = Vec::new();

    // One target changed: another file.
    let i = find(&answers, &mut used, |a| {
        plain_file(a) && resolved(a)["file"] != "index.md"
    });
    answers[i]["resolved"] = json!({"file": "index.md"});
    let wrong_file = answers[i].clone();
    // One anchor changed.
    let i = find(&answers, &mut used, |a| resolved(a).get("anchor").is_some());
    answers[i]["resolved"]["anchor"] = json!("not-this-section");
    // One deliberate negative resolved.
    let i = find(&answers, &mut used, |a| resolved(a).is_null());
    answers[i]["resolved"] = json!({"file": "index.md"});
    // One resolvable link left unresolved.
    let i = find(&answers, &mut used, plain_file);
    answers[i]["resolved"] = Value::Null;
    // One external URL taken for a file.
    let i = find(&answers, &mut used, |a| resolved(a) == "external");
    answers[i]["resolved"] = json!({"file": "index.md"});
    // One answer dropped (the last plant: removing shifts the others).
    let i = find(&answers, &mut used, plain_file);
    let dropped = answers.remove(i);
    // One answer naming no link.
    answers
        .push(json!({"source": "index.md", "line": 99999, "dest": "nowhere.md", "resolved": null}));
    // One title read otherwise.
    let i = answers.iter().position(|a| !is_link(a)).unwrap();
    answers[i]["title"] = json!("Some Other Title");

    let path = tmp.path().join("answers.jsonl");
    write_answers(&path, &answers);
    let (code, report) = check_json(&dir, &path);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["agree"], false);
    let want: BTreeMap<String, u64> = [
        "wrong_file",
        "wrong_anchor",
        "resolved_negative",
        "unresolved",
        "external",
        "missing",
        "extra",
        "file_title",
    ]
    .into_iter()
    .map(|c| (c.to_string(), 1))
    .collect();
    assert_eq!(classes(&report), want, "{report}");
    // Six manifest links disagree (the extra answer names none).
    assert_eq!(report["agree"], false);
    assert_eq!(report["links"], links);
    let agreeing: u64 = report["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["agree"].as_u64().unwrap())
        .sum();
    assert_eq!(agreeing, links - 6);
    assert_eq!(
        report["files"]["agree"],
        report["files"]["links"].as_u64().unwrap() - 1
    );
    // Every field docs/JSON.md lists.
    for c in report["disagreements"].as_array().unwrap() {
        for f in ["class", "meaning", "count", "examples"] {
            assert!(c.get(f).is_some(), "{f} in {c}");
        }
        for e in c["examples"].as_array().unwrap() {
            for f in ["path", "line", "dest", "expected", "found"] {
                assert!(e.get(f).is_some(), "{f} in {e}");
            }
        }
    }
    // Each example says where, what was written, expected and found.
    let example = |class: &str| -> Value {
        report["disagreements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["class"] == class)
            .unwrap()["examples"][0]
            .clone()
    };
    let e = example("wrong_file");
    assert_eq!(
        (&e["path"], &e["line"], &e["dest"], &e["found"]),
        (
            &wrong_file["source"],
            &wrong_file["line"],
            &wrong_file["dest"],
            &json!("index.md")
        )
    );
    let e = example("missing");
    assert_eq!(
        (&e["path"], &e["line"]),
        (&dropped["source"], &dropped["line"])
    );
    assert_eq!(e["found"], "no answer");

    // The text report names the same classes, with file:line examples.
    let run = noet()
        .arg("check")
        .arg(&dir)
        .arg("--answers")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let text = String::from_utf8(run.stdout).unwrap();
    for line in [
        "wrong_file (1)",
        "missing (1)",
        "extra (1)",
        "index.md:99999: `nowhere.md`",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
    assert!(String::from_utf8_lossy(&run.stderr).contains("8 disagreement(s)"));
    // -q: nothing at all, the exit code says it.
    let run = noet()
        .arg("check")
        .arg(&dir)
        .arg("--answers")
        .arg(&path)
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty());
}

#[test]
fn ill_formed_answers_are_bad_input_naming_the_line() {
    let tmp = Sandbox::new();
    let dir = corpus(&tmp, "c", &["--profile", "tiny", "--size", "20KB"]);
    let mut answers: Vec<String> = expected_answers(&dir)
        .iter()
        .map(|a| a.to_string())
        .collect();
    let path = tmp.path().join("answers.jsonl");
    for (line, says) in [
        (
            r#"{"source":"index.md","line":3,"dest":"x.md"}"#,
            "no `resolved`",
        ),
        ("not json", "not JSON"),
        (
            r#"{"source":"index.md","dest":"x.md","resolved":"somewhere"}"#,
            "`resolved` must be",
        ),
    ] {
        let mut bad = answers.clone();
        bad.insert(2, line.to_string());
        std::fs::write(&path, bad.join("\n") + "\n").unwrap();
        noet()
            .arg("check")
            .arg(&dir)
            .arg("--answers")
            .arg(&path)
            .assert()
            .code(2)
            .stderr(contains(format!("answers.jsonl:3: {says}")));
    }
    // Unreadable answers, and a folder that is no corpus: bad input too.
    noet()
        .arg("check")
        .arg(&dir)
        .arg("--answers")
        .arg(tmp.path().join("none.jsonl"))
        .assert()
        .code(2)
        .stderr(contains("cannot read answers"));
    answers.truncate(3);
    std::fs::write(&path, answers.join("\n") + "\n").unwrap();
    noet()
        .arg("check")
        .arg(tmp.path())
        .arg("--answers")
        .arg(&path)
        .assert()
        .code(2);
    // Answers on stdin.
    let expected = noet()
        .args(["check", "--expected"])
        .arg(&dir)
        .output()
        .unwrap()
        .stdout;
    noet()
        .arg("check")
        .arg(&dir)
        .args(["--answers", "-"])
        .write_stdin(expected)
        .assert()
        .success()
        .stdout(contains("100.0%"));
}

/// A profile can switch constructs off one by one (`references.avoid`),
/// so a tool with a known bug can still be measured: none is written, and
/// the corpus still validates.
#[test]
fn avoided_constructs_are_not_written() {
    use noet_corpus::{Reader, Record};
    let tmp = Sandbox::new();
    let count = |out: &std::path::Path| {
        let mut reader = Reader::open(out).unwrap();
        let (mut file, mut is_index) = (String::new(), false);
        let mut found = BTreeMap::<&str, u64>::new();
        while let Some(r) = reader.next_record().unwrap() {
            match r {
                Record::File(f) => {
                    is_index = f.path == "index.md" || f.path.ends_with("/index.md");
                    file = f.path;
                }
                Record::Link(l) => {
                    if l.dest.starts_with('/') {
                        *found.entry("root_absolute").or_default() += 1;
                    }
                    if is_index && l.dest.starts_with('#') {
                        *found.entry("index_anchor").or_default() += 1;
                    }
                    if l.target.as_deref() == Some(file.as_str()) && l.anchor.is_some() {
                        *found.entry("own_section").or_default() += 1;
                    }
                }
                _ => {}
            }
        }
        found
    };
    let plain = tmp.path().join("plain");
    gen_quiet(&plain, &["--size", "300KB", "--seed", "5"]);
    let before = count(&plain);
    for c in ["root_absolute", "index_anchor", "own_section"] {
        assert!(
            before.get(c).copied().unwrap_or(0) > 0,
            "{c} is there by default: {before:?}"
        );
    }
    let prof = crate::support::write(
        tmp.path(),
        "avoid.toml",
        "name = \"avoid\"\n[references]\navoid = [\"root_absolute\", \"index_anchor\", \"own_section\", \"own_index\"]\n",
    );
    let out = tmp.path().join("avoid");
    gen_quiet(
        &out,
        &[
            "--profile",
            prof.to_str().unwrap(),
            "--size",
            "300KB",
            "--seed",
            "5",
        ],
    );
    crate::support::assert_valid(&out, "avoid");
    assert!(count(&out).is_empty(), "{:?}", count(&out));
    // A construct it does not know is named, with the ones it does.
    let bad = crate::support::write(
        tmp.path(),
        "bad.toml",
        "name = \"bad\"\n[references]\navoid = [\"wikilinks\"]\n",
    );
    noet()
        .args(["gen", "--profile", bad.to_str().unwrap(), "--out"])
        .arg(tmp.path().join("bad"))
        .assert()
        .code(2)
        .stderr(contains("references.avoid").and(contains("own_section")));
}

/// A link checker's report: only the broken links, each `null`. With
/// `--unanswered found` the rest count as resolved; a negative left out is
/// a `resolved_negative`, a good link reported broken an `unresolved`,
/// and a tool may also say `"found"` itself.
#[test]
fn a_report_of_broken_links_alone_is_checked_with_unanswered_found() {
    let tmp = Sandbox::new();
    let dir = corpus(&tmp, "c", &["--size", "60KB", "--seed", "3"]);
    let all = expected_answers(&dir);
    let mut broken: Vec<Value> = all
        .iter()
        .filter(|a| is_link(a) && a["resolved"].is_null())
        .cloned()
        .collect();
    assert!(broken.len() >= 2, "the default profile plants negatives");
    let run = |answers: &[Value], unanswered: &str| {
        let file = tmp.path().join("broken.jsonl");
        write_answers(&file, answers);
        check_json_with(&dir, &file, &["--unanswered", unanswered])
    };

    // Exactly the negatives reported: full agreement.
    let (code, report) = run(&broken, "found");
    assert_eq!(code, 0, "{report}");
    all_tallies_agree(&report);
    // The same report without the option: every other link is missing.
    let (code, report) = run(&broken, "missing");
    assert_eq!(code, 1);
    let links = all.iter().filter(|a| is_link(a)).count() as u64;
    assert_eq!(
        classes(&report),
        BTreeMap::from([("missing".into(), links - broken.len() as u64)])
    );

    // One negative not reported, one good link reported broken, and one
    // negative that the tool says it found.
    broken.pop();
    broken[0]["resolved"] = json!("found");
    let good = all
        .iter()
        .find(|a| is_link(a) && a["resolved"].is_object())
        .unwrap();
    let mut wrong = good.clone();
    wrong["resolved"] = Value::Null;
    broken.push(wrong);
    let (code, report) = run(&broken, "found");
    assert_eq!(code, 1);
    assert_eq!(
        classes(&report),
        BTreeMap::from([("resolved_negative".into(), 2), ("unresolved".into(), 1)])
    );
}

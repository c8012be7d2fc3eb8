//! The command line's conventions (issue #17): the same options wherever
//! they make sense, human output on stderr and data on stdout, man pages
//! per subcommand, readable problems, `info` and `suite --list`.

use crate::support::{gen_quiet, noet, Sandbox};
use predicates::str::contains;
use std::fs;

/// Every subcommand's `--help`.
fn help(sub: &str) -> String {
    let out = noet().args([sub, "--help"]).output().unwrap();
    assert!(out.status.success(), "{sub} --help");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn options_are_where_they_make_sense() {
    for sub in [
        "gen", "validate", "stats", "suite", "merge", "check", "reduce",
    ] {
        assert!(help(sub).contains("-q, --quiet"), "{sub} has -q/--quiet");
        assert!(help(sub).contains("--json"), "{sub} has --json");
    }
    for sub in ["gen", "validate", "suite", "merge", "reduce"] {
        let h = help(sub);
        assert!(h.contains("-j, --jobs"), "{sub} has --jobs");
        assert!(
            h.contains("0 or none: all cores"),
            "{sub}: --jobs 0 is every core"
        );
    }
    for sub in ["gen", "suite"] {
        assert!(help(sub).contains("--progress"), "{sub} has --progress");
    }
    for sub in ["gen", "merge", "suite"] {
        assert!(help(sub).contains("--force"), "{sub} has --force");
    }
    assert!(help("info").contains("--json"));
    assert!(help("suite").contains("--list"));
}

#[test]
fn gen_speaks_to_stderr_and_its_json_to_stdout() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("c");
    let run = noet()
        .args([
            "gen",
            "--profile",
            "tiny",
            "--size",
            "20KB",
            "--jobs",
            "0",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success());
    assert!(
        run.stdout.is_empty(),
        "`$(noet-corpus gen ...)` captures nothing"
    );
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("generated 25 files"), "{err}");
    // tiny at 20 KB has no room for a code block: it says so.
    assert!(
        err.contains("note: the mix is missed at this size"),
        "{err}"
    );
    assert!(err.contains("code 0% of 10% requested"), "{err}");

    let json = noet()
        .args([
            "gen",
            "--profile",
            "tiny",
            "--size",
            "20KB",
            "--json",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON value");
    assert_eq!(v["status"], "up-to-date");
    assert_eq!(v["files"], 25);
}

#[test]
fn gen_json_names_every_share_of_the_mix() {
    let tmp = Sandbox::new();
    let run = noet()
        .args(["gen", "--size", "200KB", "--seed", "3", "--json", "--out"])
        .arg(tmp.path().join("c"))
        .output()
        .unwrap();
    assert!(run.status.success());
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).expect("one JSON value");
    let a = &v["achieved"];
    let blocks = [
        "paragraph",
        "list",
        "code",
        "table",
        "blockquote",
        "definition_list",
        "html",
    ];
    let sum = |o: &serde_json::Value, keys: &[&str]| -> f64 {
        let m = o.as_object().expect("an object, not an array");
        assert_eq!(m.len(), keys.len(), "{o}");
        keys.iter().map(|k| m[*k].as_f64().expect(k)).sum()
    };
    assert!(
        (sum(&a["mix_requested"], &blocks) - 1.0).abs() < 0.01,
        "{a}"
    );
    let all: Vec<&str> = blocks.iter().copied().chain(["heading", "other"]).collect();
    assert!((sum(&a["mix_achieved"], &all) - 1.0).abs() < 0.01, "{a}");
    assert!(
        a["mix_achieved"]["paragraph"].as_f64().unwrap() > 0.3,
        "{a}"
    );
}

#[test]
fn quiet_means_nothing_on_success() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("c");
    gen_quiet(&out, &["--profile", "tiny", "--size", "20KB"]);
    for args in [
        vec!["validate", "-q"],
        vec!["validate", "--parse-only", "-q"],
    ] {
        let run = noet().args(&args).arg(&out).output().unwrap();
        assert!(run.status.success());
        assert!(run.stdout.is_empty() && run.stderr.is_empty(), "{args:?}");
    }
    let profile = tmp.path().join("fit.toml");
    let run = noet()
        .args(["stats", "-q", "--emit-profile"])
        .arg(&profile)
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success() && run.stderr.is_empty());
    assert!(profile.is_file());
}

#[test]
fn every_subcommand_has_a_man_page_with_exit_status() {
    let tmp = Sandbox::new();
    let dir = tmp.path().join("man");
    noet().args(["man", "--dir"]).arg(&dir).assert().success();
    let mut pages: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for sub in [
        "gen", "validate", "info", "stats", "suite", "merge", "key", "check", "reduce",
    ] {
        let name = format!("noet-corpus-{sub}.1");
        assert!(pages.contains(&name), "{name} in {pages:?}");
        let page = fs::read_to_string(dir.join(&name)).unwrap();
        assert!(page.contains(".SH \"EXIT STATUS\""), "{name}");
        assert!(page.contains(".SH OPTIONS"), "{name}");
    }
    // The main page names pages that exist.
    let main = fs::read_to_string(dir.join("noet-corpus.1")).unwrap();
    assert!(main.contains("noet\\-corpus\\-gen(1)") || main.contains("noet-corpus-gen(1)"));
    noet()
        .args(["man", "validate"])
        .assert()
        .success()
        .stdout(contains("noet-corpus-validate"))
        .stdout(contains("EXIT STATUS"));
    noet()
        .args(["man", "nope"])
        .assert()
        .code(2)
        .stderr(contains("pass one of: gen"));
}

#[test]
fn a_mistyped_profile_suggests_the_builtin_meant() {
    noet()
        .args(["gen", "--profile", "defualt", "--dry-run"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `default`?"));
    // Shells complete the built-in names.
    let bash = noet().args(["completions", "bash"]).output().unwrap();
    assert!(String::from_utf8_lossy(&bash.stdout).contains("realistic"));
}

#[test]
fn info_says_what_a_corpus_is() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("c");
    gen_quiet(
        &out,
        &["--profile", "tiny", "--size", "20KB", "--seed", "3"],
    );
    noet()
        .arg("info")
        .arg(&out)
        .assert()
        .success()
        .stdout(contains(
            "profile tiny, dialect noet, --size 20KB, --seed 3",
        ))
        .stdout(contains("state    complete"));
    let run = noet().arg("info").arg(&out).arg("--json").output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    for field in [
        "key",
        "format",
        "files",
        "bytes",
        "links",
        "broken",
        "links_by_kind",
        "complete",
    ] {
        assert!(!v[field].is_null(), "info --json has {field}");
    }
    assert_eq!(v["complete"], true);
    let by_kind: u64 = v["links_by_kind"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(Some(by_kind), v["links"].as_u64());
    // Not a corpus: a clear error, exit 2.
    noet()
        .arg("info")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(contains("has no manifest"));
}

#[test]
fn suite_list_shows_what_it_builds_and_builds_nothing() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("fx");
    noet()
        .args(["suite", "ladder", "--list", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("doc-10KB"))
        .stdout(contains("to build"));
    assert!(!out.exists(), "--list builds nothing");
}

#[test]
fn validate_problems_are_readable_and_json_objects() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("c");
    gen_quiet(&out, &["--size", "100KB", "--seed", "2"]);
    let victim = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let name = victim.file_name().unwrap().to_string_lossy().into_owned();
    let mut text = fs::read_to_string(&victim).unwrap();
    text.push_str("\nAn extra paragraph.\n");
    fs::write(&victim, text).unwrap();
    let run = noet().arg("validate").arg(&out).output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    let shown = String::from_utf8_lossy(&run.stdout);
    assert!(
        shown.contains(&format!("{name}: block counts: expected")),
        "{shown}"
    );
    assert!(
        !shown.contains("BlockCounts") && !shown.contains(":0:"),
        "{shown}"
    );
    let run = noet()
        .arg("validate")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["valid"], false);
    let p = &v["problems"][0];
    for field in ["path", "line", "what", "expected", "found"] {
        assert!(!p[field].is_null(), "a problem has {field}: {p}");
    }
}

#[test]
fn the_readme_shows_the_real_tree() {
    use noet_corpus::{Params, Plan, Profile};
    let readme = include_str!("../../README.md");
    let start = readme
        .find("```\ndefault-5MB-s42/\n")
        .expect("the README shows default-5MB-s42");
    let block = &readme[start + 4..];
    let block = &block[..block.find("```").unwrap()];
    let plan = Plan::new(Params::new(
        Profile::load("default").unwrap(),
        5_000_000,
        42,
        None,
    ))
    .unwrap();
    let mut real: std::collections::BTreeSet<String> =
        (0..plan.files).map(|i| plan.file(i).path.clone()).collect();
    real.extend((1..plan.folders).map(|j| format!("{}/", plan.folder_path(j))));
    real.extend((0..plan.assets).map(|k| plan.asset_path(k)));
    real.insert("assets/".into());
    real.insert(".noet-corpus/manifest.jsonl.zst".into());
    // Each line: indentation (two spaces a level), a path, a comment.
    let mut parents: Vec<String> = Vec::new();
    let mut checked = 0;
    for line in block.lines().skip(1) {
        let depth = (line.len() - line.trim_start().len()) / 2 - 1;
        let name = line.split_whitespace().next().unwrap();
        parents.truncate(depth);
        let path = format!("{}{name}", parents.concat());
        assert!(
            real.contains(&path),
            "README shows {path}, which the corpus lacks"
        );
        if name.ends_with('/') {
            parents.push(name.to_string());
        }
        checked += 1;
    }
    assert!(checked >= 6);
}

#[test]
fn the_ci_example_uses_only_commands_and_options_that_exist() {
    let yml = include_str!("../../examples/ci-cache.yml");
    let mut checked = 0;
    for line in yml.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let mut rest = line;
        while let Some(at) = rest.find("noet-corpus ") {
            let words: Vec<&str> = rest[at + 12..]
                .split(|c: char| c.is_whitespace() || c == ')' || c == '"')
                .filter(|w| !w.is_empty())
                .collect();
            rest = &rest[at + 12..];
            let Some(sub) = words.first() else { continue };
            if sub.starts_with('-') || sub.contains('.') {
                continue; // a URL or the crate name after `cargo install`
            }
            let h = help(sub);
            for flag in words.iter().filter(|w| w.starts_with("--")) {
                assert!(h.contains(flag), "`noet-corpus {sub}` has no {flag}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 4, "{checked} invocations checked");
}

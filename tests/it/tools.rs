//! Real tools' answers, through the adapters in `examples/adapters`,
//! checked end to end (issue #19): MkDocs' build warnings and
//! remark-validate-links' JSON report, on a `gfm` corpus of every preset.
//! Both tools report only what they cannot resolve, so the answers are
//! checked with `--unanswered found`. Each tool is right about most of a
//! corpus and wrong in one way of its own, which `check` must find and
//! nothing else:
//! - MkDocs numbers a repeated heading's anchor `_1`, GitHub (the `gfm`
//!   ground truth) `-1`: links to `#usage-1` are reported broken;
//! - remark-validate-links passes over root-absolute links (`/a/b.md`),
//!   so a deliberate negative written that way goes unreported.
//!
//! The tools come from `scripts/install-tools.sh` (pinned, under
//! `target/tools` or `$NOET_CORPUS_TOOLS`). Where they are missing the
//! tests say so and pass, unless `NOET_CORPUS_REQUIRE_TOOLS` is set, as
//! `.ci/run` sets it: CI never passes by skipping.

use crate::support::{check_json_with, noet, tools, Sandbox, PRESETS};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn adapter(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/adapters")
        .join(name)
}

/// Whether `path` (the tool `what`) is there to run; a missing tool fails
/// the test when tools are required.
fn installed(path: &Path, what: &str) -> bool {
    let python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if path.exists() && python {
        return true;
    }
    let missing = if python {
        what
    } else {
        "python3 (for the adapters)"
    };
    assert!(
        std::env::var_os("NOET_CORPUS_REQUIRE_TOOLS").is_none(),
        "{missing} is not installed at {}; run scripts/install-tools.sh",
        path.display()
    );
    eprintln!("skipped: {missing} is not installed (scripts/install-tools.sh installs it)");
    false
}

/// A `gfm` corpus of `preset` in `dir/c`.
fn corpus(dir: &Path, preset: &str) -> PathBuf {
    let c = dir.join("c");
    noet()
        .args(["gen", "--profile", preset, "--dialect", "gfm"])
        .args(["--size", "200KB", "--seed", "3", "-q", "--out"])
        .arg(&c)
        .assert()
        .success();
    c
}

/// Run `cmd`, feeding it `input`; its stdout, after checking it
/// succeeded.
fn run(cmd: &mut Command, input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// `check CORPUS --answers FILE --unanswered found --json`, with every
/// example kept.
fn check(corpus: &Path, answers: &[u8]) -> Value {
    let file = corpus.with_extension("answers.jsonl");
    std::fs::write(&file, answers).unwrap();
    let args = ["--unanswered", "found", "--examples", "100000"];
    check_json_with(corpus, &file, &args).1
}

/// The report's tally for construct `name`: (links, agree).
fn construct(report: &Value, name: &str) -> (u64, u64) {
    report["by_construct"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .map_or((0, 0), |t| {
            (t["links"].as_u64().unwrap(), t["agree"].as_u64().unwrap())
        })
}

/// Every example of every class of disagreement in `report`: (class, dest).
fn disagreements(report: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in report["disagreements"].as_array().unwrap() {
        let examples = c["examples"].as_array().unwrap();
        assert_eq!(examples.len() as u64, c["count"].as_u64().unwrap(), "{c}");
        for e in examples {
            out.push((
                c["class"].as_str().unwrap().to_string(),
                e["dest"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

/// `#name-N`: GitHub's anchor of the N-th repeat of a heading.
fn repeated_heading_anchor(dest: &str) -> bool {
    dest.rsplit_once('#')
        .and_then(|(_, a)| a.rsplit_once('-'))
        .is_some_and(|(head, n)| !head.is_empty() && n.parse::<u32>().is_ok_and(|n| n > 0))
}

#[test]
fn mkdocs_reports_every_negative_and_numbers_repeated_headings_its_own_way() {
    let mkdocs = tools().join("venv/bin/mkdocs");
    if !installed(&mkdocs, "MkDocs 1.6.1") {
        return;
    }
    let mut repeats = 0;
    for preset in PRESETS {
        let tmp = Sandbox::new();
        let c = corpus(tmp.path(), preset);
        // MkDocs' own link checks, every one a warning; root-absolute
        // links are read from the docs folder, as the corpus means them.
        std::fs::write(
            tmp.path().join("mkdocs.yml"),
            "site_name: corpus\ndocs_dir: c\nsite_dir: site\nvalidation:\n  omitted_files: ignore\n  absolute_links: relative_to_docs\n  unrecognized_links: warn\n  anchors: warn\n",
        )
        .unwrap();
        let build = Command::new(&mkdocs)
            .arg("build")
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert!(build.status.success(), "{preset}: mkdocs build failed");
        assert!(tmp.path().join("site/index.html").is_file(), "{preset}");
        let answers = run(
            Command::new("python3").arg(adapter("mkdocs_warnings.py")),
            &build.stderr,
        );
        let report = check(&c, &answers);
        let (negatives, reported) = construct(&report, "negative");
        assert_eq!(
            reported, negatives,
            "{preset}: a negative MkDocs did not report"
        );
        for (class, dest) in disagreements(&report) {
            assert_eq!(class, "unresolved", "{preset}: {dest}");
            assert!(repeated_heading_anchor(&dest), "{preset}: {dest}");
            repeats += 1;
        }
        if preset == "default" {
            assert!(negatives > 0, "the default profile plants negatives");
        }
    }
    assert!(repeats > 0, "no corpus linked to a repeated heading");
}

#[test]
fn remark_validate_links_reports_every_negative_but_root_absolute_ones() {
    let modules = tools().join("node_modules");
    let remark = modules.join(".bin/remark");
    if !installed(&remark, "remark-cli with remark-validate-links") {
        return;
    }
    let plugin = |name: &str| modules.join(name).join("index.js");
    let mut root_absolute = 0;
    for preset in PRESETS {
        let tmp = Sandbox::new();
        let c = corpus(tmp.path(), preset);
        // Plugins by path: they are not installed under the corpus.
        let o = Command::new(&remark)
            .arg("--use")
            .arg(plugin("remark-gfm"))
            .arg("--use")
            .arg(format!(
                "{}=repository:false",
                plugin("remark-validate-links").display()
            ))
            .arg("--report")
            .arg(plugin("vfile-reporter-json"))
            .args(["--quiet", "--no-stdout", "."])
            .current_dir(&c)
            .output()
            .unwrap();
        // Its report is on stderr; the exit code says whether it
        // reported an error (warnings do not fail it).
        assert!(o.status.success(), "{preset}: remark failed");
        let answers = run(
            Command::new("python3")
                .arg(adapter("remark_validate_links.py"))
                .arg(&c),
            &o.stderr,
        );
        let report = check(&c, &answers);
        assert!(
            report["answered"].as_u64().unwrap() > 0 || preset != "default",
            "{preset}: remark reported nothing"
        );
        for (class, dest) in disagreements(&report) {
            assert_eq!(class, "resolved_negative", "{preset}: {dest}");
            assert!(dest.starts_with('/'), "{preset}: {dest}");
            root_absolute += 1;
        }
    }
    assert!(root_absolute > 0, "no corpus had a root-absolute negative");
}

/// The end-to-end recipe of docs/WORKFLOWS.md: find MkDocs' disagreement
/// with `check`, then `reduce` the corpus to the smallest one on which
/// MkDocs still disagrees. It ends at one file: a heading, its repeat and
/// a link to the repeat's GitHub anchor (`#name-1`), which MkDocs calls
/// `name_1`.
#[test]
fn reduce_shrinks_a_mkdocs_disagreement_to_a_repeated_heading() {
    let mkdocs = tools().join("venv/bin/mkdocs");
    if !installed(&mkdocs, "MkDocs 1.6.1") {
        return;
    }
    let tmp = Sandbox::new();
    let c = corpus(tmp.path(), "default");
    // Fails when MkDocs' warnings, as answers, disagree with the manifest
    // of the corpus in $1. The site is built outside the candidate.
    let script = r#"site=$(mktemp -d) || exit 3
trap 'rm -rf "$site"' EXIT
printf 'site_name: c\ndocs_dir: %s\nsite_dir: %s/site\nvalidation:\n  omitted_files: ignore\n  absolute_links: relative_to_docs\n  unrecognized_links: warn\n  anchors: warn\n' "$1" "$site" > "$site/mkdocs.yml"
"$MKDOCS" build -f "$site/mkdocs.yml" 2> "$site/log" || exit 3
python3 "$ADAPTER" < "$site/log" > "$site/answers.jsonl" || exit 3
"$NOET" check "$1" --answers "$site/answers.jsonl" --unanswered found -q"#;
    let out = tmp.path().join("min");
    let o = noet()
        .env("MKDOCS", &mkdocs)
        .env("ADAPTER", adapter("mkdocs_warnings.py"))
        .env("NOET", crate::support::BIN)
        .arg("reduce")
        .arg(&c)
        .arg("--out")
        .arg(&out)
        .args(["--json", "--jobs", "2", "--exit", "1", "--"])
        .args(["sh", "-c", script, "_", "{}"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["failure"], "exit 1", "{s}");
    assert_eq!(s["files"], 1, "{s}");
    let path = s["paths"][0].as_str().unwrap();
    let text = std::fs::read_to_string(out.join(path)).unwrap();
    let headings: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once("# ").map(|(_, h)| h))
        .collect();
    assert_eq!(headings.len(), 2, "{text}");
    assert_eq!(headings[0], headings[1], "a heading and its repeat: {text}");
    assert_eq!(s["links"], 1, "{s}");
    let manifest = crate::support::manifest_text(&out);
    let link: Value = manifest
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["type"] == "link")
        .unwrap();
    let dest = link["dest"].as_str().unwrap();
    assert!(repeated_heading_anchor(dest), "{link}");
    // The ground truth still says it resolves, to the repeat.
    assert_eq!(link["target"], path, "{link}");
    assert!(link["broken"].is_null(), "{link}");
}

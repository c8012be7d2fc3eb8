//! Dialects end to end: `gen --dialect` writes each dialect's forms, its
//! ground truth follows that dialect's rules, and `validate` holds a corpus
//! to them.

use crate::support::{
    assert_valid, gen_quiet, key_of, noet, snapshot, validate, write, Sandbox, MANIFEST,
};
use predicates::prelude::*;
use predicates::str::contains;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn gen_ok(out: &Path, args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    gen_quiet(out, args);
    snapshot(out)
}

fn manifest_lines(files: &BTreeMap<String, Vec<u8>>) -> Vec<serde_json::Value> {
    crate::support::decode_manifest(&files[MANIFEST])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn markdown(files: &BTreeMap<String, Vec<u8>>) -> String {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".md"))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn count_kind(lines: &[serde_json::Value], kind: &str) -> usize {
    lines
        .iter()
        .filter(|l| l["type"] == "link" && l["kind"] == kind && l["broken"].is_null())
        .count()
}

#[test]
fn every_dialect_and_preset_generates_corpora_that_validate() {
    let tmp = Sandbox::new();
    for dialect in ["noet", "obsidian", "gfm"] {
        for profile in ["default", "tiny", "vault", "mdn-like", "book"] {
            let out = tmp.path().join(format!("{profile}-{dialect}"));
            let args = [
                "--profile",
                profile,
                "--dialect",
                dialect,
                "--size",
                "150KB",
                "--seed",
                "11",
            ];
            let files = gen_ok(&out, &args);
            let corpus = &manifest_lines(&files)[0];
            let recorded = corpus["params"]["profile"]["dialect"].as_str();
            assert_eq!(recorded.unwrap_or("noet"), dialect, "{profile}");
            validate(&out).success();
        }
    }
}

#[test]
fn obsidian_writes_its_wikilinks_blocks_and_embeds() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("vault");
    let files = gen_ok(
        &out,
        &[
            "--profile",
            "tiny",
            "--dialect",
            "obsidian",
            "--size",
            "60KB",
        ],
    );
    let lines = manifest_lines(&files);
    for kind in ["wikilink", "wikilink_heading", "wikilink_block", "embed"] {
        assert!(count_kind(&lines, kind) > 0, "no {kind} reference");
    }
    // Ground truth: a heading link names the heading by its text and
    // resolves to its id; a block link names a block some heading carries.
    let blocks: Vec<&str> = lines.iter().filter_map(|l| l["block"].as_str()).collect();
    assert!(!blocks.is_empty());
    for l in lines
        .iter()
        .filter(|l| l["type"] == "link" && l["broken"].is_null())
    {
        let dest = l["dest"].as_str().unwrap();
        match l["kind"].as_str().unwrap() {
            "wikilink_block" => {
                let id = dest.split_once("#^").unwrap().1;
                assert!(blocks.contains(&id), "{dest}");
                assert_eq!(l["anchor"], format!("^{id}"));
            }
            "wikilink_heading" => assert!(dest.contains('#') && !l["anchor"].is_null()),
            "wikilink" => assert!(!dest.ends_with(".md") && !dest.contains(' ')),
            // Obsidian reads `x.md` as a vault path first: local paths
            // carry `./`.
            "relative" | "image" => {
                assert!(dest.starts_with("./") || dest.starts_with("../"), "{dest}")
            }
            "reference" if l["external"].is_null() => {
                assert!(dest.starts_with("./") || dest.starts_with("../"), "{dest}")
            }
            _ => {}
        }
    }
    let md = markdown(&files);
    assert!(md.contains("![["), "an embed is written");
    assert!(md.contains("#^"), "a block reference is written");
    assert!(!md.contains("{#"), "Obsidian has no heading attributes");
    assert!(!md.contains("](id:") && !md.contains("bref://"));
    assert!(
        md.lines().any(|l| l.starts_with("---")) && !md.contains("+++"),
        "YAML front matter"
    );
}

#[test]
fn gfm_numbers_repeated_headings_and_links_to_them() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("gfm");
    let files = gen_ok(
        &out,
        &["--dialect", "gfm", "--size", "300KB", "--seed", "2"],
    );
    let lines = manifest_lines(&files);
    // Some file repeats a heading, and GitHub's `-1` suffix is its id.
    let mut current: Vec<(String, String)> = Vec::new();
    let mut numbered = 0;
    for l in &lines {
        match l["type"].as_str().unwrap() {
            "file" => current.clear(),
            "heading" => {
                let (text, id) = (l["text"].as_str().unwrap(), l["id"].as_str().unwrap());
                if let Some((_, first)) = current.iter().find(|(t, _)| t == text) {
                    let n = id.strip_prefix(&format!("{first}-")).unwrap_or("");
                    assert!(n.parse::<u32>().is_ok_and(|n| n > 0), "{text}: {id}");
                    numbered += 1;
                }
                current.push((text.to_string(), id.to_string()));
            }
            _ => {}
        }
    }
    assert!(numbered > 0, "no repeated heading");
    let suffixed = lines.iter().any(|l| {
        l["type"] == "link"
            && l["broken"].is_null()
            && l["anchor"].as_str().is_some_and(|a| a.ends_with("-1"))
    });
    assert!(suffixed, "some reference targets a numbered anchor");
    let md = markdown(&files);
    assert!(!md.contains("[["), "GitHub has no wikilinks");
    assert!(!md.contains("{#"), "GitHub has no heading attributes");
    assert_eq!(count_kind(&lines, "id") + count_kind(&lines, "bref"), 0);
}

/// Edit the first markdown file of `files` that `pick` accepts with
/// `edit`, and expect `validate` to fail naming that file and `what`.
fn tamper(
    out: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    pick: impl Fn(&str) -> bool,
    edit: impl Fn(&str) -> String,
    what: &str,
) {
    let (path, text) = files
        .iter()
        .filter(|(p, _)| p.ends_with(".md"))
        .map(|(p, b)| (p, String::from_utf8(b.clone()).unwrap()))
        .find(|(_, t)| pick(t))
        .expect("a file to edit");
    fs::write(out.join(path), edit(&text)).unwrap();
    validate(out)
        .code(1)
        .stdout(contains(path.as_str()).and(contains(what)));
}

/// The first level-2 heading that repeats an earlier one.
fn repeated_h2(text: &str) -> Option<&str> {
    let heads: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    heads
        .iter()
        .enumerate()
        .find(|(k, h)| heads[..*k].contains(h))
        .map(|(_, h)| *h)
}

#[test]
fn validate_holds_an_obsidian_corpus_to_its_block_ids() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("vault");
    let files = gen_ok(&out, &["--dialect", "obsidian", "--size", "100KB"]);
    // Drop the caret of the first block id: the paragraph no longer has one.
    let drop_caret = |t: &str| {
        let at = t.find(" ^").unwrap();
        format!("{} {}", &t[..at], &t[at + 2..])
    };
    tamper(&out, &files, |t| t.contains(" ^"), drop_caret, "block ids");
}

#[test]
fn validate_holds_a_gfm_corpus_to_githubs_anchors() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("gfm");
    let files = gen_ok(
        &out,
        &["--dialect", "gfm", "--size", "300KB", "--seed", "2"],
    );
    // Rename the first occurrence of a repeated heading: the numbering of
    // every later repeat moves, so their recorded ids are off.
    let rename = |t: &str| t.replacen(repeated_h2(t).unwrap(), "## Renamed section", 1);
    tamper(
        &out,
        &files,
        |t| repeated_h2(t).is_some(),
        rename,
        "heading",
    );
}

#[test]
fn a_profile_in_one_dialect_refuses_forms_it_lacks() {
    let tmp = Sandbox::new();
    let prof = write(
        tmp.path(),
        "p.toml",
        "name = \"gh\"\ndialect = \"gfm\"\n\n[references.kinds]\nwikilink = 3.0\n",
    );
    let out = tmp.path().join("c");
    noet()
        .arg("gen")
        .arg("--profile")
        .arg(&prof)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("p.toml:5").and(contains("references.kinds.wikilink")))
        .stderr(contains("gfm"))
        // The library says what is wrong; the command line, which flag fixes it.
        .stderr(contains("hint: pass --dialect NAME"));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_profile_that_names_a_dialect_starts_from_its_defaults() {
    let tmp = Sandbox::new();
    let prof = write(tmp.path(), "p.toml", "name = \"gh\"\ndialect = \"gfm\"\n");
    let out = tmp.path().join("c");
    let files = gen_ok(
        &out,
        &["--profile", prof.to_str().unwrap(), "--size", "100KB"],
    );
    let lines = manifest_lines(&files);
    assert_eq!(count_kind(&lines, "wikilink"), 0);
    assert!(count_kind(&lines, "relative") > 0);
    // ... and equals the default profile passed through `--dialect gfm`,
    // apart from its name.
    let kinds = |l: &serde_json::Value| l["params"]["profile"]["references"].clone();
    let other = gen_ok(
        &tmp.path().join("d"),
        &["--dialect", "gfm", "--size", "100KB"],
    );
    assert_eq!(kinds(&lines[0]), kinds(&manifest_lines(&other)[0]));
}

#[test]
fn the_dialect_is_part_of_the_key_and_the_default_folder() {
    let key = |extra: &[&str]| key_of(&[&["--size", "1MB"][..], extra].concat());
    let (plain, noet_key, gfm) = (
        key(&[]),
        key(&["--dialect", "noet"]),
        key(&["--dialect", "gfm"]),
    );
    assert_eq!(plain, noet_key, "noet is the default");
    assert_ne!(plain, gfm);
    let tmp = Sandbox::new();
    tmp.noet()
        .args(["gen", "--size", "20KB", "--dialect", "obsidian", "--quiet"])
        .assert()
        .success();
    assert!(tmp.path().join("default-20KB-s0-obsidian").is_dir());
}

#[test]
fn api_headings_in_code_validate_in_noet_and_gfm() {
    // Reference pages title sections with API names in code
    // (`headings.code_share`); their ids are the slugs of the code's text.
    let tmp = Sandbox::new();
    for d in ["noet", "gfm"] {
        let prof = write(
            tmp.path(),
            &format!("api-{d}.toml"),
            &format!(
                "name = \"api\"\ndialect = \"{d}\"\n[headings]\nper_kb = 4.0\ncode_share = 0.6\n"
            ),
        );
        let out = tmp.path().join(d);
        gen_quiet(
            &out,
            &["--profile", prof.to_str().unwrap(), "--size", "200KB"],
        );
        assert_valid(&out, d);
        let text: String = crate::support::files_under(&out)
            .iter()
            .filter(|p| p.ends_with(".md"))
            .map(|p| std::fs::read_to_string(out.join(p)).unwrap())
            .collect();
        let api = text
            .lines()
            .filter(|l| l.starts_with('#') && l.contains(" `"))
            .count();
        assert!(api > 20, "{d}: {api} API headings");
    }
}

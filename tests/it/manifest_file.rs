//! The manifest file (format 9): JSON lines in zstd frames. `noet-corpus
//! manifest` prints the lines for any reader, filtered by kind; the file
//! is a tenth of the JSON and well under the 0.35x of the markdown that
//! issue #16 allows; a damaged or cut file is an error, never wrong ground
//! truth; a corpus of the legacy plain format is still read and replaced.

use crate::support::{
    files_under, gen_quiet, manifest_text, noet, validate, write_manifest_at, Sandbox, MANIFEST,
};
use predicates::prelude::*;
use predicates::str::contains;
use std::fs;

/// The `manifest` command's stdout.
fn printed(dir: &std::path::Path, args: &[&str]) -> String {
    let o = noet().arg("manifest").arg(dir).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn count(text: &str, kind: &str) -> usize {
    let start = format!(r#"{{"type":"{kind}","#);
    text.lines().filter(|l| l.starts_with(&start)).count()
}

#[test]
fn manifest_prints_the_json_lines_and_filters_them_by_kind() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    gen_quiet(&c, &["--size", "300KB", "--seed", "2"]);
    let all = printed(&c, &[]);
    // Exactly what zstd's own decoder reads from the file.
    assert_eq!(all, manifest_text(&c));
    let end: serde_json::Value = serde_json::from_str(all.lines().last().unwrap()).unwrap();
    assert_eq!(end["type"], "end");
    for (flag, kind, total) in [
        ("--files", "file", &end["files"]),
        ("--links", "link", &end["links"]),
        ("--headings", "heading", &end["headings"]),
        ("--assets", "asset", &end["assets"]),
    ] {
        let only = printed(&c, &[flag]);
        assert_eq!(count(&only, kind) as u64, total.as_u64().unwrap(), "{flag}");
        assert_eq!(
            only.lines().count(),
            count(&only, kind),
            "{flag}: other kinds"
        );
    }
    // Two kinds keep their order: each file's links follow it.
    let both = printed(&c, &["--files", "--links"]);
    assert_eq!(
        both.lines().count(),
        count(&all, "file") + count(&all, "link")
    );
    assert!(both.starts_with(r#"{"type":"file","#));
    // A reader that stops early is no error.
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "\"{}\" manifest \"$1\" | head -1",
            crate::support::BIN
        ))
        .arg("_")
        .arg(&c)
        .output()
        .unwrap();
    assert!(o.status.success() && o.stderr.is_empty(), "{o:?}");
}

#[test]
fn the_manifest_is_a_small_fraction_of_the_markdown() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    gen_quiet(&c, &["--size", "3MB", "--seed", "1"]);
    let markdown: u64 = files_under(&c)
        .iter()
        .filter(|p| p.ends_with(".md"))
        .map(|p| fs::metadata(c.join(p)).unwrap().len())
        .sum();
    let stored = fs::metadata(c.join(MANIFEST)).unwrap().len();
    let lines = manifest_text(&c).len() as u64;
    // The JSON lines are more than the markdown; stored, a fraction of it.
    assert!(lines > markdown, "{lines} vs {markdown}");
    let ratio = stored as f64 / markdown as f64;
    assert!(
        ratio <= 0.35,
        "manifest {stored} B for {markdown} B of markdown: {ratio:.3}x"
    );
}

#[test]
fn a_damaged_or_cut_manifest_is_an_error() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    gen_quiet(&c, &["--size", "3MB", "--seed", "4"]);
    let m = c.join(MANIFEST);
    let good = fs::read(&m).unwrap();
    // A flipped byte inside a frame: its checksum or its decoding fails.
    let mut flipped = good.clone();
    flipped[good.len() / 3] ^= 0x55;
    fs::write(&m, &flipped).unwrap();
    validate(&c)
        .code(1)
        .stderr(contains("damaged").and(contains("panicked").not()));
    noet()
        .arg("manifest")
        .arg(&c)
        .assert()
        .code(1)
        .stderr(contains("damaged"));
    // Cut in half: damaged where it stops, and without its trailer
    // incomplete, so a run does not replace it.
    fs::write(&m, &good[..good.len() / 2]).unwrap();
    noet()
        .arg("info")
        .arg(&c)
        .assert()
        .code(1)
        .stderr(contains("cut short").and(contains("damaged")));
    validate(&c).code(1).stderr(contains("cut short"));
    noet()
        .args([
            "gen", "--size", "3MB", "--seed", "4", "--force", "-q", "--out",
        ])
        .arg(&c)
        .assert()
        .code(2)
        .stderr(contains("no end record"));
    // Whole again: valid.
    fs::write(&m, &good).unwrap();
    validate(&c).code(0);
}

#[test]
fn a_legacy_plain_manifest_is_read_and_its_corpus_replaced() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    gen_quiet(&c, &["--profile", "tiny", "--size", "20KB", "--seed", "7"]);
    let text = manifest_text(&c);
    // As format 8 left it: the same lines, uncompressed, with that
    // format's key (another than this format's).
    let key = crate::support::manifest_key(&c);
    let text = text.replacen(&key, "00000000000000ff", 1);
    fs::remove_file(c.join(MANIFEST)).unwrap();
    fs::write(c.join(".noet-corpus/manifest.jsonl"), &text).unwrap();
    assert_eq!(printed(&c, &[]), text);
    noet().arg("info").arg(&c).assert().success();
    // It is a corpus of this tool, so `gen --force` replaces it.
    noet()
        .args(["gen", "--profile", "tiny", "--size", "20KB", "--seed", "7"])
        .args(["--force", "-q", "--out"])
        .arg(&c)
        .assert()
        .success();
    assert!(c.join(MANIFEST).is_file());
    assert!(!c.join(".noet-corpus/manifest.jsonl").exists());
    assert_eq!(crate::support::manifest_key(&c), key);
    // And a hand-made manifest in the new format reads as written.
    write_manifest_at(&c.join(MANIFEST), manifest_text(&c)).unwrap();
    validate(&c).code(0);
}

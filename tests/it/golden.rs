//! Golden hashes: the exact bytes of six small corpora, pinned (one at a
//! revision, so the edit stream is pinned too).
//!
//! A corpus is a pure function of (profile, size, seed, files) and the
//! generator version. If one of these tests fails, the bytes produced for the
//! same parameters changed: that is a corpus format change, so bump
//! `FORMAT_VERSION` in src/plan.rs (caches keyed on the old format must not
//! be reused), then run `cargo test --release --test it golden::` and paste
//! the new hashes it prints (`set NAME = "..."`) into the constants below.
//!
//! The hash covers every file of the corpus, the manifest
//! `.noet-corpus/manifest.jsonl.zst` included as its JSON lines, except the
//! manifest's `tool` field (`noet-corpus <crate version>`), which is
//! normalised so that a release without format changes does not move the
//! hashes. The manifest's stored bytes are pinned too: they must be
//! exactly the canonical encoding of those lines (`manifest::encode`).

use crate::support::{gen_quiet, snapshot, Sandbox, MANIFEST};
use std::path::Path;

/// `gen --size 200KB --seed 1` (default profile).
const DEFAULT_200KB_S1: &str = "f95b4d96887e1b5f251425c58f37db56b1e3e41d94576a15775b2088cf2d3d4f";
/// `gen --profile tiny --size 20KB --seed 7`.
const TINY_20KB_S7: &str = "956fe44537870e116d71cae72c1264e4b9d5ea8c347566959f472261d5378cb1";
/// `gen --files 1 --size 100KB --seed 3` (default profile).
const SINGLE_100KB_S3: &str = "00618ad703b5b3a42e93f47764ee2516ce341ba71d13af24895830404f3c6fd1";

/// `gen --profile vault --dialect obsidian --size 200KB --seed 2`.
const OBSIDIAN_VAULT_200KB_S2: &str =
    "22a9c1789befa3b2d32c97d1f32f05703c7de92ed0ec31b3d663b2eba3ba1a60";
/// `gen --dialect gfm --size 200KB --seed 4` (default profile).
const GFM_200KB_S4: &str = "bfb34ca44dcc54f98636db55724800b1b163ca80e5a8acfd344c5ce015cb2924";

/// Generate a corpus with `args` into a temporary folder and hash it.
fn corpus_hash(args: &[&str]) -> String {
    let tmp = Sandbox::new();
    let out = tmp.path().join("corpus");
    gen_quiet(&out, args);
    hash_tree(&out)
}

/// BLAKE3 over the sorted (relative path, bytes) pairs of every file under
/// `root`, each as: path, NUL, length (u64 little-endian), bytes.
fn hash_tree(root: &Path) -> String {
    let mut files = snapshot(root);
    let manifest = files.get_mut(MANIFEST).expect("the corpus has a manifest");
    let lines = crate::support::decode_manifest(manifest);
    assert!(
        noet_corpus::manifest::encode(lines.as_bytes()) == *manifest,
        "the manifest file is not the canonical encoding of its lines"
    );
    *manifest = normalise_tool(lines.as_bytes());

    hash_files(&files)
}

/// BLAKE3 over `files` in order, each as: path, NUL, length (u64
/// little-endian), bytes.
fn hash_files(files: &crate::support::Tree) -> String {
    let mut hasher = blake3::Hasher::new();
    for (rel, bytes) in files {
        hasher.update(rel.as_bytes());
        hasher.update(&[0]);
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hasher.finalize().to_hex().to_string()
}

/// Replace the crate version in the manifest's `tool` field.
fn normalise_tool(manifest: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(manifest).expect("the manifest is UTF-8");
    let tool = format!(r#""tool":"noet-corpus {}""#, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        text.matches(&tool).count(),
        1,
        "the corpus record names the tool once"
    );
    text.replacen(&tool, r#""tool":"noet-corpus VERSION""#, 1)
        .into_bytes()
}

fn check(name: &str, expected: &str, args: &[&str]) {
    let got = corpus_hash(args);
    assert_eq!(
        got, expected,
        "{name}: the corpus for `gen {}` changed; if intended, bump FORMAT_VERSION in src/plan.rs and set {name} = \"{got}\"",
        args.join(" ")
    );
}

#[test]
fn golden_default_200kb_seed_1() {
    check(
        "DEFAULT_200KB_S1",
        DEFAULT_200KB_S1,
        &["--size", "200KB", "--seed", "1"],
    );
}

#[test]
fn golden_tiny_20kb_seed_7() {
    check(
        "TINY_20KB_S7",
        TINY_20KB_S7,
        &["--profile", "tiny", "--size", "20KB", "--seed", "7"],
    );
}

#[test]
fn golden_single_file_100kb_seed_3() {
    check(
        "SINGLE_100KB_S3",
        SINGLE_100KB_S3,
        &["--files", "1", "--size", "100KB", "--seed", "3"],
    );
}

#[test]
fn golden_obsidian_vault_200kb_seed_2() {
    check(
        "OBSIDIAN_VAULT_200KB_S2",
        OBSIDIAN_VAULT_200KB_S2,
        &[
            "--profile",
            "vault",
            "--dialect",
            "obsidian",
            "--size",
            "200KB",
            "--seed",
            "2",
        ],
    );
}

#[test]
fn golden_gfm_200kb_seed_4() {
    check(
        "GFM_200KB_S4",
        GFM_200KB_S4,
        &["--dialect", "gfm", "--size", "200KB", "--seed", "4"],
    );
}

#[test]
fn thread_count_does_not_change_the_bytes() {
    let one = corpus_hash(&["--size", "200KB", "--seed", "1", "--jobs", "1"]);
    let three = corpus_hash(&["--size", "200KB", "--seed", "1", "--jobs", "3"]);
    assert_eq!(one, three);
    assert_eq!(one, DEFAULT_200KB_S1);
}

/// `gen --size 200KB --seed 1 --revision 12` (default profile): the
/// edit stream pinned. Hashed as [`hash_tree`] does, but with the whole
/// `.noet-corpus` folder (base manifest and zstd deltas) replaced by what
/// `noet-corpus manifest` reads from it: every record of revision 12.
const DEFAULT_200KB_S1_R12: &str =
    "d90336fcde8b3d048140668962e5d12dbacb71f8ff9ee09b32f598470566d5c8";

#[test]
fn golden_default_200kb_seed_1_revision_12() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("corpus");
    gen_quiet(
        &out,
        &["--size", "200KB", "--seed", "1", "--revision", "12"],
    );
    let mut files = snapshot(&out);
    files.retain(|rel, _| !rel.starts_with(".noet-corpus/"));
    let records = crate::support::noet()
        .arg("manifest")
        .arg(&out)
        .output()
        .unwrap();
    assert!(records.status.success());
    files.insert("records".into(), normalise_tool(&records.stdout));
    let got = hash_files(&files);
    assert_eq!(
        got, DEFAULT_200KB_S1_R12,
        "the corpus for `gen --size 200KB --seed 1 --revision 12` changed; if intended, bump FORMAT_VERSION in src/plan/mod.rs and set DEFAULT_200KB_S1_R12 = \"{got}\""
    );
}

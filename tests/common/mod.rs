//! Helpers shared by the integration tests: the command under test and
//! snapshots of corpus folders.

// Each test crate uses a different subset of these.
#![allow(dead_code)]

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The manifest, relative to a corpus root.
pub const MANIFEST: &str = ".noet-corpus/manifest.jsonl";

/// `noet-corpus gen ARGS --out OUT --quiet`, which must succeed.
pub fn gen_quiet(out: &Path, args: &[&str]) {
    noet()
        .arg("gen")
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .assert()
        .success();
}

/// A fresh `noet-corpus` command.
pub fn noet() -> Command {
    Command::cargo_bin("noet-corpus").expect("the noet-corpus binary is built")
}

/// Relative `/`-separated paths of every file under `root`, hidden ones
/// included, sorted.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let r = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if entry.file_type().unwrap().is_dir() {
                stack.push((entry.path(), r));
            } else {
                out.push(r);
            }
        }
    }
    out.sort();
    out
}

/// Every file under `root` (hidden ones included): relative path -> bytes.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(root)
        .into_iter()
        .map(|rel| {
            let bytes = fs::read(root.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

//! A corpus's revisions after the first: one delta per revision beside the
//! manifest (`.noet-corpus/revisions/00000001.jsonl.zst`, ...), each
//! holding the records of the files that revision changed, so that a step
//! writes what it changes and not the whole ground truth. Readers see the
//! manifest with every delta applied ([`open_composed`]): the same JSON
//! lines a manifest written whole for that revision would hold.
//!
//! A delta is JSON lines in the manifest's zstd frames: first a
//! [`DeltaHead`], then the records of each file it replaces or adds (a
//! `file` record and its `heading` and `link` records), in the order its
//! `groups` names them. Files are named by their origin: the path they had
//! when first written (revision 0, or the revision that added them), so
//! that a renamed file keeps its place in the manifest.

use super::{CorpusRecord, EndRecord, Record, DIR};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// The folder of the deltas, inside [`DIR`].
pub const REVISIONS: &str = "revisions";

/// The first line of a delta.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeltaHead {
    /// The revision this delta makes.
    pub revision: u64,
    /// The `corpus` record of that revision.
    pub corpus: CorpusRecord,
    /// Its `end` record.
    pub end: EndRecord,
    /// Origins of the files it deletes.
    pub deleted: Vec<String>,
    /// Origins of the files it adds, in the order they join the manifest
    /// (after every file before them).
    pub added: Vec<String>,
    /// Origin of each group of records that follows, in order.
    pub groups: Vec<String>,
}

/// The path of revision `s`'s delta in corpus `root`.
pub fn delta_path(root: &Path, s: u64) -> PathBuf {
    root.join(DIR)
        .join(REVISIONS)
        .join(format!("{s:08}.jsonl.zst"))
}

/// The revisions `root` has deltas for: 1 to this, each present.
pub fn deltas(root: &Path) -> u64 {
    let mut s = 0;
    while delta_path(root, s + 1).is_file() {
        s += 1;
    }
    s
}

/// A delta's bytes: its head and its groups' record lines.
pub fn encode_delta(head: &DeltaHead, lines: &[u8]) -> Vec<u8> {
    let mut text = serde_json::to_vec(head).expect("a delta head serialises");
    text.push(b'\n');
    text.extend_from_slice(lines);
    super::encode(&text)
}

/// Each group of a delta: the origin it names and its record lines.
pub type Groups = Vec<(String, Vec<u8>)>;

/// Read delta `s` of `root`: its head and each group's lines.
pub fn read_delta(root: &Path, s: u64) -> std::io::Result<(DeltaHead, Groups)> {
    let bytes = std::fs::read(delta_path(root, s))?;
    let mut text = Vec::new();
    zstd::stream::read::Decoder::new(&bytes[..])?.read_to_end(&mut text)?;
    let bad = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidData, why);
    let mut lines = text.split_inclusive(|&b| b == b'\n');
    let head: DeltaHead = serde_json::from_slice(lines.next().unwrap_or_default())
        .map_err(|e| bad(format!("revision {s}'s delta has no head: {e}")))?;
    let mut groups: Vec<(String, Vec<u8>)> = Vec::new();
    let mut names = head.groups.iter();
    for line in lines {
        if line.starts_with(br#"{"type":"file","#) {
            let origin = names.next().ok_or_else(|| {
                bad(format!(
                    "revision {s}'s delta has more files than its head names"
                ))
            })?;
            groups.push((origin.clone(), Vec::new()));
        }
        match groups.last_mut() {
            Some(g) => g.1.extend_from_slice(line),
            None => {
                return Err(bad(format!(
                    "revision {s}'s delta has records before a file"
                )))
            }
        }
    }
    Ok((head, groups))
}

/// Every delta of `root` applied in order: what replaces each origin's
/// records (nothing: deleted), the files added, and the last revision's
/// `corpus` and `end` records.
pub struct Composition {
    replace: HashMap<String, Option<Vec<u8>>>,
    appended: Vec<String>,
    corpus: Vec<u8>,
    end: Vec<u8>,
    /// The last revision's head.
    pub head: DeltaHead,
}

impl Composition {
    /// The deltas of `root` (`None` when it has none).
    pub fn read(root: &Path) -> std::io::Result<Option<Composition>> {
        let n = deltas(root);
        if n == 0 {
            return Ok(None);
        }
        let mut replace: HashMap<String, Option<Vec<u8>>> = HashMap::new();
        let mut appended = Vec::new();
        let mut head = None;
        for s in 1..=n {
            let (h, groups) = read_delta(root, s)?;
            for o in &h.deleted {
                replace.insert(o.clone(), None);
            }
            appended.extend(h.added.iter().cloned());
            for (o, lines) in groups {
                replace.insert(o, Some(lines));
            }
            head = Some(h);
        }
        let head = head.expect("at least one delta");
        let line = |r: &Record| {
            let mut v = Vec::new();
            super::write_line(&mut v, r);
            v
        };
        Ok(Some(Composition {
            corpus: line(&Record::Corpus(Box::new(head.corpus.clone()))),
            end: line(&Record::End(head.end.clone())),
            replace,
            appended,
            head,
        }))
    }
}

/// The manifest's lines `base` with `c` applied, as a stream.
pub fn open_composed(base: Box<dyn BufRead + Send>, c: Composition) -> Box<dyn Read + Send> {
    Box::new(Composed {
        base,
        c,
        out: Vec::new(),
        at: 0,
        skipping: false,
        appended_done: false,
        done: false,
        line: Vec::new(),
    })
}

struct Composed {
    base: Box<dyn BufRead + Send>,
    c: Composition,
    out: Vec<u8>,
    at: usize,
    /// Inside a base file whose records are replaced or deleted.
    skipping: bool,
    appended_done: bool,
    done: bool,
    line: Vec<u8>,
}

impl Composed {
    /// The added files' records, once, before the assets or the end.
    fn appended(&mut self) {
        if self.appended_done {
            return;
        }
        self.appended_done = true;
        for o in &self.c.appended {
            if let Some(Some(lines)) = self.c.replace.get(o) {
                self.out.extend_from_slice(lines);
            }
        }
    }

    /// Fill `out` from the next base line; false at the end.
    fn next(&mut self) -> std::io::Result<bool> {
        self.line.clear();
        if self.base.read_until(b'\n', &mut self.line)? == 0 {
            if !self.done {
                // A base cut short: the added files and no end record, so
                // that a reader sees an incomplete manifest.
                self.appended();
                self.done = true;
                return Ok(!self.out.is_empty());
            }
            return Ok(false);
        }
        let line = std::mem::take(&mut self.line);
        if line.starts_with(br#"{"type":"corpus","#) {
            self.out.extend_from_slice(&self.c.corpus);
        } else if line.starts_with(br#"{"type":"file","#) {
            let path = serde_json::from_slice::<Record>(&line)
                .ok()
                .and_then(|r| match r {
                    Record::File(f) => Some(f.path),
                    _ => None,
                });
            match path.and_then(|p| self.c.replace.get(&p)) {
                Some(Some(lines)) => {
                    self.out.extend_from_slice(lines);
                    self.skipping = true;
                }
                Some(None) => self.skipping = true,
                None => {
                    self.skipping = false;
                    self.out.extend_from_slice(&line);
                }
            }
        } else if line.starts_with(br#"{"type":"heading","#)
            || line.starts_with(br#"{"type":"link","#)
        {
            if !self.skipping {
                self.out.extend_from_slice(&line);
            }
        } else if line.starts_with(br#"{"type":"asset","#) {
            self.skipping = false;
            self.appended();
            self.out.extend_from_slice(&line);
        } else if line.starts_with(br#"{"type":"end","#) {
            self.skipping = false;
            self.appended();
            self.out.extend_from_slice(&self.c.end);
            self.done = true;
        } else {
            self.skipping = false;
            self.out.extend_from_slice(&line);
        }
        self.line = line;
        Ok(true)
    }
}

impl Read for Composed {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at >= self.out.len() {
            self.out.clear();
            self.at = 0;
            if !self.next()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

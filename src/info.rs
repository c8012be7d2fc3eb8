//! What a corpus folder is (`noet-corpus info`): its parameters, counts,
//! references by kind, and whether it is complete, read from its manifest
//! and a walk of the folder.

use crate::manifest::{self, ManifestError};
use crate::output::tree::{self, TreeError, TreeState};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// A corpus, described.
#[derive(Debug, Clone, Serialize)]
pub struct Info {
    /// The folder.
    pub path: PathBuf,
    /// The tool and version that wrote it (`noet-corpus 0.1.0`).
    pub tool: String,
    /// Corpus format version of its bytes.
    pub format: u32,
    /// Cache key (as `noet-corpus key` prints it for the same options).
    pub key: String,
    /// Profile name.
    pub profile: String,
    /// Markdown dialect.
    pub dialect: String,
    /// Requested markdown bytes (`--size`).
    pub size: u64,
    /// Seed.
    pub seed: u64,
    /// `--files`, if it was given.
    pub files_requested: Option<u64>,
    /// `K/N` for one shard of a corpus.
    pub shard: Option<String>,
    /// Folders, the root included.
    pub folders: u64,
    /// Markdown files written (from the manifest's end record).
    pub files: u64,
    /// Markdown bytes written.
    pub bytes: u64,
    /// Image assets.
    pub assets: u64,
    /// Heading records.
    pub headings: u64,
    /// Reference records.
    pub links: u64,
    /// Deliberate negatives among them.
    pub broken: u64,
    /// References by kind (the manifest's `kind` names), in name order.
    pub links_by_kind: BTreeMap<String, u64>,
    /// The manifest is complete and the folder holds exactly the files it
    /// lists, with their sizes.
    pub complete: bool,
    /// Why it is not complete (empty when it is).
    pub problem: String,
}

/// Why a folder could not be described.
#[derive(Debug, thiserror::Error)]
pub enum InfoError {
    /// Not a corpus, or its manifest cannot be read.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

impl InfoError {
    /// The class of the failure.
    pub fn class(&self) -> crate::error::ErrorClass {
        match self {
            InfoError::Manifest(e) => e.class(),
        }
    }
}

/// Describe the corpus at `root`. Reads the manifest's first and last
/// lines, scans its `link` lines for their kind without parsing them, and
/// walks the folder with `stat` only.
pub fn info(root: &Path) -> Result<Info, InfoError> {
    let (header, _) = manifest::read_header(root)?;
    let end = manifest::read_end(root)?;
    let links_by_kind = kinds(root)?;
    let (complete, problem) = match (&end, tree::check(root)) {
        (None, _) => (
            false,
            "the manifest has no end record: the run that wrote it did not finish".to_string(),
        ),
        (Some(_), Ok(TreeState::Intact)) => (true, String::new()),
        (Some(_), Ok(TreeState::Damaged(why))) => (false, why),
        (Some(_), Err(TreeError::Extra(rel))) => (
            false,
            format!("it holds {rel}, which its manifest does not list"),
        ),
        (Some(_), Err(TreeError::Mount(at))) => {
            (false, format!("{} is another file system", at.display()))
        }
        (Some(_), Err(TreeError::Manifest(e))) => return Err(e.into()),
        (Some(_), Err(TreeError::Io(path, e))) => {
            (false, format!("cannot inspect {}: {e}", path.display()))
        }
    };
    let end = end.unwrap_or_default();
    let p = &header.params;
    Ok(Info {
        path: root.to_path_buf(),
        tool: header.tool,
        format: p.format,
        key: header.key,
        profile: p.profile.name.clone(),
        dialect: header.dialect,
        size: p.size,
        seed: p.seed,
        files_requested: p.files,
        shard: header.shard.map(|s| format!("{}/{}", s.index, s.count)),
        folders: header.folders,
        files: end.files,
        bytes: end.bytes,
        assets: end.assets,
        headings: end.headings,
        links: end.links,
        broken: end.broken,
        links_by_kind,
        complete,
        problem,
    })
}

/// Count `link` lines by their `kind`, read off the line as written
/// (`{"type":"link","line":N,"kind":"..."`) rather than parsed: a 1 GB
/// corpus has two million of them.
fn kinds(root: &Path) -> Result<BTreeMap<String, u64>, ManifestError> {
    let path = manifest::path(root);
    let mut lines = 0u64;
    let mut input = manifest::lines(root)?;
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if input
            .read_until(b'\n', &mut line)
            .map_err(|e| manifest::read_error(&path, lines + 1, e))?
            == 0
        {
            break;
        }
        lines += 1;
        if !line.starts_with(br#"{"type":"link","#) {
            continue;
        }
        let Some(at) = memchr::memmem::find(&line, br#""kind":""#) else {
            continue;
        };
        let rest = &line[at + 8..];
        let Some(len) = memchr::memchr(b'"', rest) else {
            continue;
        };
        let kind = String::from_utf8_lossy(&rest[..len]);
        match counts.get_mut(kind.as_ref()) {
            Some(n) => *n += 1,
            None => {
                counts.insert(kind.into_owned(), 1);
            }
        }
    }
    Ok(counts)
}

impl std::fmt::Display for Info {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::size::human;
        writeln!(f, "corpus   {}", self.path.display())?;
        writeln!(
            f,
            "made by  {}, corpus format {}; key {}",
            self.tool, self.format, self.key
        )?;
        let files = self
            .files_requested
            .map_or(String::new(), |n| format!(", --files {n}"));
        let shard = self
            .shard
            .as_ref()
            .map_or(String::new(), |s| format!(", shard {s}"));
        writeln!(
            f,
            "params   profile {}, dialect {}, --size {}, --seed {}{files}{shard}",
            self.profile,
            self.dialect,
            crate::size::ByteSize(self.size),
            self.seed
        )?;
        writeln!(
            f,
            "content  {} markdown files ({}) in {} folders, {} assets; {} headings",
            self.files,
            human(self.bytes),
            self.folders,
            self.assets,
            self.headings
        )?;
        writeln!(
            f,
            "links    {} ({} deliberately broken)",
            self.links, self.broken
        )?;
        let mut by: Vec<(&String, &u64)> = self.links_by_kind.iter().collect();
        by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let kinds: Vec<String> = by.iter().map(|(k, n)| format!("{k} {n}")).collect();
        if !kinds.is_empty() {
            writeln!(f, "         {}", kinds.join(", "))?;
        }
        if self.complete {
            writeln!(
                f,
                "state    complete: every listed file is present with its size"
            )
        } else {
            writeln!(f, "state    NOT complete: {}", self.problem)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate, GenOptions, Params, Profile};

    #[test]
    fn info_describes_a_corpus_and_notices_damage() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("c");
        let params = Params::new(Profile::load("tiny").unwrap(), 20_000, 7, None);
        let summary = generate(&GenOptions::new(params, &root), &mut |_| {}).unwrap();
        let i = info(&root).unwrap();
        assert!(i.complete, "{}", i.problem);
        assert_eq!(
            (i.files, i.bytes, i.links),
            (summary.files, 20_000, summary.links)
        );
        assert_eq!(i.links_by_kind.values().sum::<u64>(), i.links);
        assert_eq!((i.profile.as_str(), i.seed), ("tiny", 7));
        // A file cut short: still described, no longer complete.
        let victim = walk_one(&root);
        std::fs::write(&victim, b"x").unwrap();
        let i = info(&root).unwrap();
        assert!(!i.complete && !i.problem.is_empty());
        assert!(i.to_string().contains("NOT complete"));
    }

    fn walk_one(root: &Path) -> PathBuf {
        std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "md"))
            .expect("a markdown file at the root")
    }
}

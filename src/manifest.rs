//! The manifest: parameters, files and the ground truth of every heading and
//! reference, as a stream of JSON lines (docs/FORMAT.md).
//!
//! One record per line, so a corpus with millions of links is written and
//! read in constant memory. The first line is the `corpus` record (the
//! parameters); each `file` record is followed by its `heading` and `link`
//! records; `asset` records follow the files; the last line is the `end`
//! record, whose presence marks the manifest (and so the corpus) complete.

use crate::links::LinkRecord;
use crate::plan::{FrontMatterFormat, Params};
use crate::render::{BlockCounts, HeadingRecord};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The hidden folder at the corpus root that holds the manifest.
pub const DIR: &str = ".noet-corpus";
/// The manifest's file name inside [`DIR`].
pub const FILE: &str = "manifest.jsonl";

/// Path of the manifest inside corpus `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(DIR).join(FILE)
}

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    /// First line: what made the corpus.
    Corpus(Box<CorpusRecord>),
    /// A markdown file.
    File(FileRecord),
    /// A heading of the preceding file.
    Heading(HeadingRecord),
    /// A reference in the preceding file.
    Link(LinkRecord),
    /// A non-markdown file (an image).
    Asset(AssetRecord),
    /// Last line: totals; marks the manifest complete.
    End(EndRecord),
}

/// The parameters and shape of the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusRecord {
    /// `noet-corpus <version>`.
    pub tool: String,
    /// Cache key: a hash of `params` (same as `noet-corpus key`).
    pub key: String,
    /// Dialect of the markdown.
    pub dialect: String,
    /// Everything the bytes depend on.
    pub params: Params,
    /// Markdown files.
    pub files: u64,
    /// Folders, the root included.
    pub folders: u64,
    /// Image assets.
    pub assets: u64,
}

/// A markdown file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Path relative to the corpus root, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// BLAKE3 hash of the bytes, hex.
    pub blake3: String,
    /// Document title as noet reads it.
    pub title: String,
    /// Front matter `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Front matter `bid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bid: Option<String>,
    /// `bref` of the bid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bref: Option<String>,
    /// Front matter format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub front_matter: Option<FrontMatterFormat>,
    /// A network's `index.md`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub network: bool,
    /// Deliberate collision: the file whose title and id this one repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collides_with: Option<String>,
    /// Top-level block counts.
    pub blocks: BlockCounts,
    /// Number of heading records that follow.
    pub headings: u64,
    /// Number of link records that follow the headings.
    pub links: u64,
}

/// A non-markdown file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetRecord {
    /// Path relative to the corpus root.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// BLAKE3 hash, hex.
    pub blake3: String,
}

/// Totals, written last.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndRecord {
    /// Markdown files.
    pub files: u64,
    /// Markdown bytes.
    pub bytes: u64,
    /// Heading records.
    pub headings: u64,
    /// Link records.
    pub links: u64,
    /// Deliberately broken links among them.
    pub broken: u64,
    /// Asset files.
    pub assets: u64,
}

/// Serialise one record as a line.
pub fn write_line(out: &mut Vec<u8>, rec: &Record) {
    serde_json::to_writer(&mut *out, rec).expect("records always serialise");
    out.push(b'\n');
}

/// A manifest that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// No manifest file.
    #[error("{0} has no manifest ({DIR}/{FILE}): it is not a noet-corpus corpus, or its generation never finished")]
    Missing(PathBuf),
    /// I/O failure.
    #[error("cannot read manifest {path}: {source}")]
    Io {
        /// The manifest.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A line that is not a valid record.
    #[error("manifest {path}, line {line}: {reason}")]
    Bad {
        /// The manifest.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        reason: String,
    },
}

/// Streams records from a manifest.
pub struct Reader {
    path: PathBuf,
    lines: std::io::Lines<BufReader<File>>,
    line: u64,
}

impl Reader {
    /// Open the manifest of corpus `root`.
    pub fn open(root: &Path) -> Result<Reader, ManifestError> {
        let path = path(root);
        let f = File::open(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ManifestError::Missing(root.to_path_buf())
            } else {
                ManifestError::Io {
                    path: path.clone(),
                    source: e,
                }
            }
        })?;
        Ok(Reader {
            path,
            lines: BufReader::with_capacity(1 << 20, f).lines(),
            line: 0,
        })
    }

    /// Line number of the last record read.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// An error at the current line.
    pub fn error(&self, reason: impl Into<String>) -> ManifestError {
        ManifestError::Bad {
            path: self.path.clone(),
            line: self.line,
            reason: reason.into(),
        }
    }

    /// The next record, or `None` at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<Record>, ManifestError> {
        let Some(line) = self.lines.next() else {
            return Ok(None);
        };
        self.line += 1;
        let line = line.map_err(|e| ManifestError::Io {
            path: self.path.clone(),
            source: e,
        })?;
        serde_json::from_str(&line)
            .map(Some)
            .map_err(|e| self.error(format!("not a valid record: {e}")))
    }
}

/// Read the `corpus` record and check that the manifest is complete (its
/// last line is an `end` record), reading only the first and last lines.
pub fn read_header(root: &Path) -> Result<(CorpusRecord, bool), ManifestError> {
    let mut r = Reader::open(root)?;
    let header = match r.next_record()? {
        Some(Record::Corpus(c)) => *c,
        _ => return Err(r.error("the first line is not a `corpus` record")),
    };
    let path = path(root);
    let io = |e| ManifestError::Io {
        path: path.clone(),
        source: e,
    };
    let mut f = File::open(&path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    let from = len.saturating_sub(4096);
    f.seek(SeekFrom::Start(from)).map_err(io)?;
    let mut tail = Vec::new();
    f.read_to_end(&mut tail).map_err(io)?;
    let text = String::from_utf8_lossy(&tail);
    let last = text
        .trim_end_matches('\n')
        .rsplit('\n')
        .next()
        .unwrap_or("");
    let complete =
        tail.ends_with(b"\n") && matches!(serde_json::from_str::<Record>(last), Ok(Record::End(_)));
    Ok((header, complete))
}

/// The cache key of a set of parameters: 16 hex digits of the BLAKE3 hash
/// of their canonical JSON.
pub fn key(params: &Params) -> String {
    let json = serde_json::to_vec(params).expect("params always serialise");
    blake3::hash(&json).to_hex()[..16].to_string()
}

//! Joining shards: `noet-corpus merge --out DIR SHARD...` copies the files
//! of every shard of one corpus into a new folder and writes the manifest
//! the unsharded run would have written, byte for byte.
//!
//! A shard's manifest is the full manifest's records for its files (and,
//! for the last shard, the assets), between a `corpus` record that names
//! the shard and an `end` record with the shard's totals. Dropping the shard
//! field and summing the totals therefore gives back the full manifest.

use crate::generate::GenError;
use crate::manifest::{self, EndRecord, ManifestError, Reader, Record};
use crate::output::{self, io_err, OutputError};
use crate::record::Status;
use crate::validate;
use std::path::{Path, PathBuf};

/// Why shards cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A folder is not a complete shard, or shards do not fit together.
    #[error("{0}")]
    Shards(String),
    /// Output folder, manifest or validation trouble.
    #[error(transparent)]
    Gen(#[from] GenError),
}

impl MergeError {
    /// Shards that do not fit together are the request's; the rest is the
    /// class of the generation failure inside.
    pub fn class(&self) -> crate::error::ErrorClass {
        match self {
            MergeError::Shards(_) => crate::error::ErrorClass::Input,
            MergeError::Gen(e) => e.class(),
        }
    }
}

impl From<OutputError> for MergeError {
    fn from(e: OutputError) -> Self {
        MergeError::Gen(GenError::Output(e))
    }
}

impl From<ManifestError> for MergeError {
    fn from(e: ManifestError) -> Self {
        MergeError::Gen(GenError::Manifest(e))
    }
}

/// Totals of a merge.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MergeSummary {
    /// Output folder.
    pub path: PathBuf,
    /// Shards joined.
    pub shards: u64,
    /// Totals of the merged corpus.
    pub files: u64,
    /// Markdown bytes.
    pub bytes: u64,
    /// References.
    pub links: u64,
    /// `merged` or `up-to-date`.
    pub status: Status,
}

/// Merge `shards` (folders made by `gen --shard K/N`, in any order) into
/// `out`, validate the result, and publish it. `force` replaces an existing
/// corpus at `out` made with other parameters.
pub fn merge(
    shards: &[PathBuf],
    out: &Path,
    force: bool,
    jobs: usize,
) -> Result<MergeSummary, MergeError> {
    if shards.is_empty() {
        return Err(MergeError::Shards(
            "no shard folders given; pass every folder made by `gen --shard K/N`".into(),
        ));
    }
    let mut found = Vec::new();
    for dir in shards {
        let (header, complete) = manifest::read_header(dir)?;
        let Some(shard) = header.shard else {
            return Err(MergeError::Shards(format!(
                "{} is a whole corpus, not a shard",
                dir.display()
            )));
        };
        if !complete {
            return Err(MergeError::Shards(format!(
                "{} is an incomplete shard (its manifest has no end record); rebuild it",
                dir.display()
            )));
        }
        found.push((shard, header, dir.clone()));
    }
    found.sort_by_key(|(s, _, _)| s.index);
    let (first, header, _) = &found[0];
    let count = first.count;
    for (k, (s, h, dir)) in found.iter().enumerate() {
        if h.key != header.key || s.count != count {
            return Err(MergeError::Shards(format!(
                "{} belongs to another corpus (key {}, shard {}) than {} (key {}, {} shards)",
                dir.display(),
                h.key,
                s,
                found[0].2.display(),
                header.key,
                count
            )));
        }
        if k > 0 && found[k - 1].0.index == s.index {
            return Err(MergeError::Shards(format!(
                "shard {s} is given twice ({} and {}); pass each of the {count} shards once",
                found[k - 1].2.display(),
                dir.display()
            )));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|i| !found.iter().any(|(s, _, _)| s.index == *i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Shards(format!(
            "{} of {count} shards given; missing: shard {}",
            found.len(),
            missing.join(", ")
        )));
    }
    let mut full = header.clone();
    full.shard = None;
    let target = match output::prepare(out, &full.key, force)? {
        output::Prepared::UpToDate => {
            return Ok(up_to_date(out, count));
        }
        output::Prepared::Build(t) => t,
    };
    let stage = target.stage()?;
    let root = stage.path();
    let mut mf = stage.sink().manifest(1 << 20)?;
    let mut line = Vec::new();
    manifest::write_line(&mut line, &Record::Corpus(Box::new(full)));
    mf.write(&line)?;
    let mut total = EndRecord::default();
    let mut tree = Some(manifest::TreeDigest::default());
    for (_, _, dir) in &found {
        let mut reader = Reader::open(dir)?;
        reader.next_record()?;
        while let Some(rec) = reader.next_record()? {
            let rel = match &rec {
                Record::End(e) => {
                    total.files += e.files;
                    total.bytes += e.bytes;
                    total.headings += e.headings;
                    total.links += e.links;
                    total.broken += e.broken;
                    total.assets += e.assets;
                    // A shard without a digest (an older format) leaves
                    // the merged corpus without one: checked the slow way.
                    tree = match (
                        tree,
                        e.tree.as_deref().and_then(manifest::TreeDigest::from_hex),
                    ) {
                        (Some(mut t), Some(d)) => {
                            t.merge(d);
                            Some(t)
                        }
                        _ => None,
                    };
                    continue;
                }
                Record::Corpus(_) => return Err(reader.error("a second corpus record").into()),
                Record::File(f) => Some(f.path.clone()),
                Record::Asset(a) => Some(a.path.clone()),
                _ => None,
            };
            if let Some(rel) = rel {
                copy_into(&dir.join(&rel), &root.join(&rel))?;
            }
            line.clear();
            manifest::write_line(&mut line, &rec);
            mf.write(&line)?;
        }
    }
    total.tree = tree.map(|t| t.to_hex());
    line.clear();
    manifest::write_line(&mut line, &Record::End(total.clone()));
    mf.write(&line)?;
    mf.finish()?;
    let report = validate::validate_unlocked(root, true, jobs)?;
    if !report.problems.is_empty() {
        return Err(GenError::Invalid(report.problems).into());
    }
    stage.publish()?;
    Ok(MergeSummary {
        path: out.to_path_buf(),
        shards: count,
        files: total.files,
        bytes: total.bytes,
        links: total.links,
        status: Status::Merged,
    })
}

fn copy_into(from: &Path, to: &Path) -> Result<(), OutputError> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
    }
    std::fs::copy(from, to).map_err(io_err("cannot copy", from))?;
    Ok(())
}

/// The summary of a merge whose result was already in place: the totals
/// of the corpus there, as `gen` reports an up-to-date corpus.
fn up_to_date(out: &Path, shards: u64) -> MergeSummary {
    let end = manifest::read_end(out).ok().flatten().unwrap_or_default();
    MergeSummary {
        path: out.to_path_buf(),
        shards,
        files: end.files,
        bytes: end.bytes,
        links: end.links,
        status: Status::UpToDate,
    }
}

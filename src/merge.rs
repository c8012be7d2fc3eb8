//! Joining shards: `noet-corpus merge --out DIR SHARD...` copies the files
//! of every shard of one corpus into a new folder and writes the manifest
//! the unsharded run would have written, byte for byte.
//!
//! A shard's manifest is the full manifest's records for its files (and,
//! for the last shard, the assets), between a `corpus` record that names
//! the shard and an `end` record with the shard's totals. Dropping the shard
//! field and summing the totals therefore gives back the full manifest.

use crate::generate::GenError;
use crate::manifest::{self, CorpusRecord, EndRecord, ManifestError, Reader, Record};
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
    /// Two shards were made with different parameters.
    #[error("{} belongs to another corpus than {}: {}", .shard.display(), .other.display(), list(.differences))]
    Mismatch {
        /// The shard refused.
        shard: PathBuf,
        /// The shard it was compared with (the lowest-numbered one).
        other: PathBuf,
        /// Every parameter that differs, `shard`'s value first.
        differences: Vec<Difference>,
    },
    /// Output folder, manifest or validation trouble.
    #[error(transparent)]
    Gen(#[from] GenError),
}

impl MergeError {
    /// Shards that do not fit together are the request's; the rest is the
    /// class of the generation failure inside.
    pub fn class(&self) -> crate::error::ErrorClass {
        match self {
            MergeError::Shards(_) | MergeError::Mismatch { .. } => crate::error::ErrorClass::Input,
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
            "no shard folders given; a merge needs every shard of one corpus".into(),
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
            return Err(MergeError::Mismatch {
                shard: dir.clone(),
                other: found[0].2.clone(),
                differences: differences(h, header),
            });
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
    mf.end(&line)?;
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

/// One parameter in which the corpora of two shards differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The parameter: `seed`, `size`, `files`, `profile`, `dialect`,
    /// `format`, `shard count`, or a profile key such as
    /// `profile.layout.fanout` when both use a profile of the same name.
    pub name: String,
    /// Its value in one shard.
    pub this: String,
    /// Its value in the other.
    pub other: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} vs {}", self.name, self.this, self.other)
    }
}

/// At most this many differences are spelled out: two profiles of other
/// names differ in dozens of keys, and the first few say enough.
const SHOWN: usize = 8;

fn list(differences: &[Difference]) -> String {
    let mut parts: Vec<String> = differences
        .iter()
        .take(SHOWN)
        .map(|d| d.to_string())
        .collect();
    if differences.len() > SHOWN {
        parts.push(format!("and {} more", differences.len() - SHOWN));
    }
    parts.join(", ")
}

/// Every parameter in which the corpus of shard `a` differs from that of
/// shard `b`, `a`'s value first: what a user must make equal to merge them.
/// Two keys alone say that they differ, not what to change.
pub fn differences(a: &CorpusRecord, b: &CorpusRecord) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut differ = |name: &str, this: String, other: String| {
        if this != other {
            out.push(Difference {
                name: name.to_string(),
                this,
                other,
            });
        }
    };
    let (pa, pb) = (&a.params, &b.params);
    differ("format", pa.format.to_string(), pb.format.to_string());
    differ("size", pa.size.to_string(), pb.size.to_string());
    differ("seed", pa.seed.to_string(), pb.seed.to_string());
    let files = |f: Option<u64>| f.map_or("unset".to_string(), |n| n.to_string());
    differ("files", files(pa.files), files(pb.files));
    differ("profile", pa.profile.name.clone(), pb.profile.name.clone());
    differ("dialect", a.dialect.clone(), b.dialect.clone());
    let count = |r: &CorpusRecord| r.shard.map_or("unset".to_string(), |s| s.count.to_string());
    differ("shard count", count(a), count(b));
    if pa.profile.name == pb.profile.name {
        // Same name, other content (an edited profile file): name each key.
        let value = |p: &crate::profile::Profile| {
            serde_json::to_value(p).expect("a profile always serialises")
        };
        let mut keys = Vec::new();
        leaves(
            "profile",
            &value(&pa.profile),
            &value(&pb.profile),
            &mut keys,
        );
        out.extend(
            keys.into_iter()
                // Said above, from the record, which names noet too.
                .filter(|d| d.name != "profile.dialect"),
        );
    }
    if out.is_empty() && a.key != b.key {
        // Parameters this comparison does not know (a newer manifest).
        out.push(Difference {
            name: "key".into(),
            this: a.key.clone(),
            other: b.key.clone(),
        });
    }
    out
}

/// The dotted paths below `at` where `a` and `b` hold different values.
fn leaves(at: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<Difference>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let names: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            let none = Value::Null;
            for k in names {
                let (va, vb) = (x.get(k).unwrap_or(&none), y.get(k).unwrap_or(&none));
                leaves(&format!("{at}.{k}"), va, vb, out);
            }
        }
        _ if a != b => {
            // Strings quoted, as TOML writes them: an empty description
            // must still show.
            let show = |v: &Value| match v {
                Value::Null => "unset".to_string(),
                v => v.to_string(),
            };
            out.push(Difference {
                name: at.to_string(),
                this: show(a),
                other: show(b),
            });
        }
        _ => {}
    }
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

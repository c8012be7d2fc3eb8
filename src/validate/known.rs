//! `validate`'s first pass: what the corpus holds that references can land
//! on, read from the manifest's file, heading and asset records.
//!
//! A manifest records the parameters it was generated from. When every
//! file and heading record is exactly what those parameters plan (the
//! usual case), references are resolved against the plan itself, as `gen`
//! resolves them, in memory that does not grow with the corpus. A manifest
//! that differs in any record (edited by hand, written by another version)
//! is checked as written, against an [`Index`] of its records.

use super::index::Index;
use super::{Problem, Report};
use crate::manifest::{self, CorpusRecord, FileRecord, ManifestError, Reader, Record};
use crate::plan::{Plan, FORMAT_VERSION};
use rayon::prelude::*;
use std::path::Path;

/// Files compared with the plan at a time, on every worker.
const BATCH: usize = 2048;

/// The corpus-wide facts and the targets of the corpus at `root`: an
/// index of the manifest's records, or (when they are exactly what the
/// manifest's parameters plan) an index of its assets only and the plan.
pub(super) fn first_pass(
    root: &Path,
    report: &mut Report,
    pool: &crate::threads::Pool,
) -> Result<(Index, Option<Plan>), ManifestError> {
    let mut reader = Reader::open(root)?.skipping_links();
    let c = corpus(&mut reader, report)?;
    let fresh = || {
        let mut ix = Index::new(c.params.profile.dialect);
        ix.site = c.params.profile.site;
        ix.header_files = Some(c.files);
        ix.header_assets = Some(c.assets);
        ix
    };
    let mut index = fresh();
    let keyed = manifest::key(&c.params) == c.key;
    // Parameters edited by hand (with the key recomputed) may be out of
    // range: those are not planned, only listed.
    let plan = (keyed && c.params.format == FORMAT_VERSION && c.params.profile.is_valid())
        .then(|| Plan::new(c.params.clone()).ok())
        .flatten()
        .filter(|p| p.files == c.files && p.assets == c.assets);
    if let Some(plan) = plan {
        if as_planned(&mut reader, &plan, &mut index, pool)? {
            return Ok((index, Some(plan)));
        }
        // Start again, listing every record.
        index = fresh();
        reader = Reader::open(root)?.skipping_links();
        reader.next_record()?;
    }
    list(&mut reader, &mut index, report)?;
    Ok((index, None))
}

/// The corpus record, which must come first; a shard's manifest is an
/// error, and parameters that no longer match the corpus key a problem.
fn corpus(reader: &mut Reader, report: &mut Report) -> Result<CorpusRecord, ManifestError> {
    let Some(Record::Corpus(c)) = reader.next_record()? else {
        return Err(reader.error("the first line is not a `corpus` record"));
    };
    if let Some(s) = c.shard {
        // Its references point into other shards.
        return Err(reader.error(format!(
            "this folder is shard {s} of a corpus; join the shards with `noet-corpus merge` and validate the result"
        )));
    }
    // An edited parameter (a seed, a profile value) no longer matches the
    // key the corpus was made and cached under.
    let key = manifest::key(&c.params);
    if key != c.key {
        report.problems.push(Problem {
            path: format!("{}/{}", manifest::DIR, manifest::FILE),
            line: 1,
            what: "corpus key".into(),
            expected: format!("{} (the key of the recorded parameters)", key),
            found: c.key.clone(),
        });
    }
    Ok(*c)
}

/// A file record and its sections as the manifest gives them: (id, text,
/// block) of each heading but an H1 that folds into the document.
type Listed = (FileRecord, Vec<(String, String, Option<String>)>);

/// Whether every file, heading and asset record after the corpus record
/// is what `plan` makes, in order; assets are added to `index`. Stops at
/// the first difference.
fn as_planned(
    reader: &mut Reader,
    plan: &Plan,
    index: &mut Index,
    pool: &crate::threads::Pool,
) -> Result<bool, ManifestError> {
    let mut batch: Vec<Listed> = Vec::with_capacity(BATCH);
    let mut next = 0u64;
    let mut assets = 0u64;
    let same = |batch: &[Listed], first: u64| -> bool {
        pool.install(|| {
            batch
                .par_iter()
                .enumerate()
                .all(|(k, l)| is_planned(plan, first + k as u64, l))
        })
    };
    while let Some(rec) = reader.next_record()? {
        match rec {
            Record::File(f) => {
                if assets > 0 {
                    return Ok(false);
                }
                if batch.len() == BATCH {
                    if !same(&batch, next) {
                        return Ok(false);
                    }
                    next += BATCH as u64;
                    batch.clear();
                }
                batch.push((f, Vec::new()));
            }
            Record::Heading(h) => {
                let Some((_, sections)) = batch.last_mut() else {
                    return Ok(false);
                };
                // An H1 before any section folds into the document.
                if h.level > 1 || !sections.is_empty() {
                    sections.push((h.id, h.text, h.block));
                }
            }
            Record::Asset(a) => {
                if assets >= plan.listed_assets() || a.path != plan.listed_asset_path(assets) {
                    return Ok(false);
                }
                index.add_asset(a.path);
                assets += 1;
            }
            _ => {}
        }
    }
    Ok(same(&batch, next)
        && next + batch.len() as u64 == plan.files
        && assets == plan.listed_assets())
}

/// Whether `l` is file `i` of `plan` as `gen` records it.
fn is_planned(plan: &Plan, i: u64, (f, sections): &Listed) -> bool {
    if i >= plan.files {
        return false;
    }
    let m = plan.file(i);
    let bref = m.bid.as_deref().map(crate::record::bref);
    f.path == m.path
        && f.title == m.title
        && f.id == m.id
        && f.bref == bref
        && sections.len() as u64 == m.headings
        && plan
            .headings(i, m.headings)
            .iter()
            .zip(sections)
            .all(|(h, (id, text, block))| h.id == *id && h.text == *text && h.block == *block)
}

/// Every target in the records after the corpus record, into `index`.
fn list(reader: &mut Reader, index: &mut Index, report: &mut Report) -> Result<(), ManifestError> {
    // Whether a file's headings are being read (not a duplicate's), and
    // whether it has a section yet.
    let mut current: Option<bool> = None;
    while let Some(rec) = reader.next_record()? {
        match rec {
            Record::File(f) => {
                if index.file(&f.path).is_some() {
                    report.problems.push(Problem {
                        path: f.path.clone(),
                        line: 0,
                        what: "manifest".into(),
                        expected: "each path once".into(),
                        found: "a duplicate file record".into(),
                    });
                    current = None;
                    continue;
                }
                index.add_file(&f.path, &f.title, f.id.as_deref(), f.bref.as_deref());
                for a in &f.aliases {
                    index.add_alias(a);
                }
                current = Some(false);
            }
            Record::Heading(h) => {
                if let Some(sections) = current {
                    // An H1 before any section folds into the document:
                    // not an anchor.
                    if h.level > 1 || sections {
                        index.add_heading(&h.id, &h.text, h.block.as_deref());
                        current = Some(true);
                    }
                }
            }
            Record::Asset(a) => index.add_asset(a.path),
            _ => {}
        }
    }
    index.finish();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GenOptions};
    use crate::plan::Params;
    use crate::profile::Profile;

    fn corpus(dir: &Path) -> std::path::PathBuf {
        let root = dir.join("c");
        let mut opts = GenOptions::new(Params::new(Profile::default(), 300_000, 5, None), &root);
        opts.jobs = 2;
        opts.validate = false;
        generate(&opts, &mut |_| {}).expect("generate");
        root
    }

    /// The manifest of the corpus at `root`: its path and its text.
    fn manifest_of(root: &Path) -> (std::path::PathBuf, String) {
        let m = root.join(manifest::DIR).join(manifest::FILE);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut manifest::lines(root).unwrap(), &mut text).unwrap();
        (m, text)
    }

    fn pool() -> crate::threads::Pool {
        crate::threads::pool(2)
    }

    #[test]
    fn a_manifest_as_generated_is_resolved_against_its_plan() {
        let dir = tempfile::tempdir().unwrap();
        let root = corpus(dir.path());
        let mut report = Report::default();
        let (index, plan) = first_pass(&root, &mut report, &pool()).unwrap();
        let plan = plan.expect("the records are what the parameters plan");
        assert_eq!(index.paths.len(), 0, "no file is listed");
        assert_eq!(index.assets.len() as u64, plan.assets);
        assert!(report.problems.is_empty());
    }

    #[test]
    fn an_edited_record_is_read_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = corpus(dir.path());
        let (m, text) = manifest_of(&root);
        // The last heading of the corpus gets another id.
        let at = text.rfind("\"type\":\"heading\"").unwrap();
        let id = at + text[at..].find("\"id\":\"").unwrap() + 6;
        let edited = format!("{}zz{}", &text[..id], &text[id..]);
        std::fs::write(&m, manifest::encode(edited.as_bytes())).unwrap();
        let mut report = Report::default();
        let (index, plan) = first_pass(&root, &mut report, &pool()).unwrap();
        assert!(plan.is_none());
        assert!(index.paths.len() > 10, "every file is listed");
    }

    #[test]
    fn parameters_out_of_range_are_listed_not_planned() {
        let dir = tempfile::tempdir().unwrap();
        let root = corpus(dir.path());
        let (m, text) = manifest_of(&root);
        let (first, rest) = text.split_once('\n').unwrap();
        let mut c: CorpusRecord = serde_json::from_str(first).unwrap();
        // Planning these would divide by zero; the key is made to match.
        c.params.profile.layout.files_per_folder = 0;
        c.key = manifest::key(&c.params);
        let mut line = Vec::new();
        manifest::write_line(&mut line, &Record::Corpus(Box::new(c)));
        std::fs::write(&m, manifest::encode(&[&line[..], rest.as_bytes()].concat())).unwrap();
        let mut report = Report::default();
        let (_, plan) = first_pass(&root, &mut report, &pool()).unwrap();
        assert!(plan.is_none());
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}

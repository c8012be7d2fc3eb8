//! Revisions on disk: reading a corpus into a [`Corpus`], and moving a
//! corpus folder from one revision to another in place, one step at a
//! time, each step atomic.
//!
//! A step is committed by a journal. Every new or changed file is first
//! written beside the corpus (under `.noet-corpus/edit/`), with the new
//! manifest; then the journal listing what goes where is written and
//! renamed into place (the commit point); then each file is renamed over
//! its old self (so a watcher never reads half a file), deleted files are
//! removed, the manifest is renamed into place and the journal removed.
//! A run killed before the commit leaves the corpus at revision r (the
//! leftovers are removed by the next run); after it, the next run (or
//! [`recover`], which `validate` and `edit` call first) finishes the step,
//! so the corpus is at r + 1.

use super::{Corpus, Diff, Doc, ReviseError};
use crate::manifest::{self, Reader, Record};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ReviseError {
    let what = what.into();
    move |source| ReviseError::Io { what, source }
}

/// The folder of a step in progress.
fn edit_dir(root: &Path) -> PathBuf {
    root.join(".noet-corpus").join("edit")
}

/// What a committed step still has to do.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    /// The revision the step makes.
    revision: u64,
    /// (file under the edit folder, path in the corpus) to rename.
    renames: Vec<(String, String)>,
    /// Paths to remove.
    removes: Vec<String>,
    /// Revisions whose deltas go (going back to an earlier revision).
    #[serde(default)]
    drop: Vec<u64>,
}

/// A manifest's `corpus` record, files and assets.
type Records = (
    Option<crate::manifest::CorpusRecord>,
    Vec<Doc>,
    Vec<crate::manifest::AssetRecord>,
);

/// The records of a manifest stream, grouped by file: the `corpus`
/// record, each file with its headings and links, the assets.
fn read_records(mut reader: Reader) -> Result<Records, ReviseError> {
    let mut header = None;
    let mut docs: Vec<Doc> = Vec::new();
    let mut assets = Vec::new();
    while let Some(rec) = reader.next_record()? {
        match rec {
            Record::Corpus(c) => header = Some(*c),
            Record::File(f) => docs.push(Doc {
                rec: f,
                headings: Vec::new(),
                links: Vec::new(),
                bytes: Vec::new(),
            }),
            Record::Heading(h) => {
                if let Some(d) = docs.last_mut() {
                    d.headings.push(h);
                }
            }
            Record::Link(l) => {
                if let Some(d) = docs.last_mut() {
                    d.links.push(l);
                }
            }
            Record::Asset(a) => assets.push(a),
            Record::End(_) => {}
        }
    }
    Ok((header, docs, assets))
}

impl Corpus {
    /// Read the corpus at `root`: its manifest, the deltas of its later
    /// revisions (which name files by origin, so they are applied here
    /// rather than read composed) and every markdown file.
    pub fn load(root: &Path) -> Result<Corpus, ReviseError> {
        let (header, docs, assets) = read_records(Reader::open_base(root)?)?;
        let mut header = header.ok_or_else(|| {
            ReviseError::Input(format!("{} has no corpus record", root.display()))
        })?;
        if header.shard.is_some() {
            return Err(ReviseError::Input(
                "a shard has no revisions: merge the shards first".into(),
            ));
        }
        super::check_params(&header.params)?;
        let mut origins: Vec<String> = docs.iter().map(|d| d.rec.path.clone()).collect();
        let mut docs: Vec<Option<Doc>> = docs.into_iter().map(Some).collect();
        let mut at: std::collections::HashMap<String, usize> = origins
            .iter()
            .enumerate()
            .map(|(i, o)| (o.clone(), i))
            .collect();
        for s in 1..=manifest::deltas::deltas(root) {
            let (head, groups) = manifest::deltas::read_delta(root, s)
                .map_err(io(format!("reading revision {s}'s delta")))?;
            for o in &head.deleted {
                if let Some(&i) = at.get(o) {
                    docs[i] = None;
                }
            }
            for o in &head.added {
                at.insert(o.clone(), docs.len());
                origins.push(o.clone());
                docs.push(None);
            }
            for (o, lines) in groups {
                let i = *at.get(&o).ok_or_else(|| {
                    ReviseError::Input(format!(
                        "revision {s}'s delta names a file {o} that is not there"
                    ))
                })?;
                let reader = Reader::from_lines(
                    Box::new(std::io::Cursor::new(lines)),
                    &manifest::deltas::delta_path(root, s),
                );
                let (_, mut one, _) = read_records(reader)?;
                docs[i] = one.pop();
            }
            header = head.corpus;
        }
        let mut kept = Vec::new();
        let mut kept_origins = Vec::new();
        for (d, o) in docs.into_iter().zip(origins) {
            if let Some(mut d) = d {
                let path = root.join(&d.rec.path);
                d.bytes =
                    std::fs::read(&path).map_err(io(format!("reading {}", path.display())))?;
                kept.push(d);
                kept_origins.push(o);
            }
        }
        let mut c = Corpus::new(header, kept, assets);
        c.origins = kept_origins;
        Ok(c)
    }
}

/// What `edit` should do.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EditOptions {
    /// The corpus folder.
    pub dir: PathBuf,
    /// The revision to move it to.
    pub to: u64,
}

impl EditOptions {
    /// Move the corpus at `dir` to revision `to`.
    pub fn new(dir: impl Into<PathBuf>, to: u64) -> EditOptions {
        EditOptions {
            dir: dir.into(),
            to,
        }
    }
}

/// Move the corpus at `opts.dir` to revision `opts.to`, in place, one
/// atomic step at a time; `each` hears of every step as it is committed.
/// Going backwards rebuilds the older revision from revision 0 in memory
/// and moves to it in one step.
pub fn edit(opts: &EditOptions, each: &mut dyn FnMut(&Diff)) -> Result<Vec<Diff>, ReviseError> {
    let _lock = crate::output::lock(&opts.dir)
        .map_err(|e| ReviseError::Input(format!("cannot lock {}: {e}", opts.dir.display())))?;
    recover_locked(&opts.dir)?;
    let mut c = Corpus::load(&opts.dir)?;
    let mut diffs = Vec::new();
    if opts.to < c.revision() {
        let mut old = rebuild(&c.header.params, opts.to)?;
        std::mem::swap(&mut old, &mut c);
        let d = super::diff(&old, &c);
        commit(&opts.dir, &d, &c, old.revision())?;
        each(&d);
        diffs.push(d);
        return Ok(diffs);
    }
    while c.revision() < opts.to {
        let from = c.revision();
        let d = c.step();
        commit(&opts.dir, &d, &c, from)?;
        each(&d);
        diffs.push(d);
    }
    Ok(diffs)
}

/// Revision `to` of the corpus of `params`, made from revision 0 in a
/// temporary folder.
pub fn rebuild(params: &crate::plan::Params, to: u64) -> Result<Corpus, ReviseError> {
    let tmp = tempfile::tempdir().map_err(io("making a temporary folder"))?;
    let out = tmp.path().join("r0");
    let mut p = params.clone();
    p.revision = 0;
    let mut opts = crate::generate::GenOptions::new(p, &out);
    opts.validate = false;
    crate::generate::generate(&opts, &mut |_| {})
        .map_err(|e| ReviseError::Input(format!("rebuilding revision 0: {e}")))?;
    let mut c = Corpus::load(&out)?;
    while c.revision() < to {
        c.step();
    }
    Ok(c)
}

/// [`GenOptions`](crate::generate::GenOptions) that make revision
/// `params.revision` of the corpus of `params` at `out`: revision 0 is
/// written to the staging folder, then stepped there.
pub fn gen_options(
    params: crate::plan::Params,
    out: impl Into<PathBuf>,
) -> crate::generate::GenOptions {
    let mut opts = crate::generate::GenOptions::new(params, out);
    opts.finish = Some(|root, to| advance_staged(root, to).map_err(|e| (e.class(), e.to_string())));
    opts
}

/// Advance the corpus just generated at revision 0 in `root` (a staging
/// folder no one else sees) to revision `to`: `gen --revision`.
fn advance_staged(root: &Path, to: u64) -> Result<(), ReviseError> {
    let mut c = Corpus::load(root)?;
    c.header.params.revision = 0;
    let at_zero: std::collections::BTreeSet<String> =
        c.docs.iter().map(|d| d.rec.path.clone()).collect();
    let mut written = std::collections::BTreeSet::new();
    let mut removed = std::collections::BTreeSet::new();
    let dir = root.join(manifest::DIR).join(manifest::deltas::REVISIONS);
    std::fs::create_dir_all(&dir).map_err(io(format!("creating {}", dir.display())))?;
    while c.revision() < to {
        let d = c.step();
        let delta = manifest::deltas::delta_path(root, c.revision());
        std::fs::write(&delta, c.delta().expect("a step makes a delta"))
            .map_err(io(format!("writing {}", delta.display())))?;
        for p in d.added.into_iter().chain(d.changed) {
            removed.remove(&p);
            written.insert(p);
        }
        for p in d.removed {
            written.remove(&p);
            if at_zero.contains(&p) {
                removed.insert(p);
            }
        }
    }
    for path in &written {
        let d = c.doc(path).expect("a written file is in the revision");
        std::fs::write(root.join(path), &d.bytes).map_err(io(format!("writing {path}")))?;
    }
    for path in &removed {
        std::fs::remove_file(root.join(path)).map_err(io(format!("removing {path}")))?;
    }
    Ok(())
}

/// Move the corpus at `root` to `after` by the changes `d` says,
/// atomically (see the module's documentation).
fn commit(root: &Path, d: &Diff, after: &Corpus, from: u64) -> Result<(), ReviseError> {
    let dir = edit_dir(root);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(io(format!("removing {}", dir.display())))?;
    }
    std::fs::create_dir_all(&dir).map_err(io(format!("creating {}", dir.display())))?;
    let renames: Vec<(String, String)> = d
        .added
        .iter()
        .chain(&d.changed)
        .enumerate()
        .map(|(k, p)| (format!("{k}.md"), p.clone()))
        .collect();
    let removes = d.removed.clone();
    for (tmp, path) in &renames {
        let d = after.doc(path).expect("a written file is in the revision");
        write_synced(&dir.join(tmp), &d.bytes)?;
    }
    let forward = after.revision() > from;
    if forward {
        write_synced(
            &dir.join("delta"),
            after.delta().expect("a step makes a delta"),
        )?;
    }
    let journal = Journal {
        revision: after.revision(),
        renames,
        removes,
        drop: if forward {
            Vec::new()
        } else {
            (after.revision() + 1..=from).collect()
        },
    };
    let text = serde_json::to_vec(&journal).expect("a journal serialises");
    write_synced(&dir.join("journal.tmp"), &text)?;
    // The commit point.
    std::fs::rename(dir.join("journal.tmp"), dir.join("journal.json"))
        .map_err(io("committing the step's journal"))?;
    finish(root, &journal)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), ReviseError> {
    use std::io::Write;
    let mut f = std::fs::File::create(path).map_err(io(format!("creating {}", path.display())))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(io(format!("writing {}", path.display())))
}

/// Carry out a committed journal; each action may have been done already
/// by a run that was killed.
fn finish(root: &Path, j: &Journal) -> Result<(), ReviseError> {
    let dir = edit_dir(root);
    for (tmp, path) in &j.renames {
        let from = dir.join(tmp);
        if from.exists() {
            std::fs::rename(&from, root.join(path)).map_err(io(format!("renaming into {path}")))?;
        }
    }
    for path in &j.removes {
        match std::fs::remove_file(root.join(path)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io(format!("removing {path}"))(e))
            }
            _ => {}
        }
    }
    for s in j.drop.iter().rev() {
        match std::fs::remove_file(manifest::deltas::delta_path(root, *s)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io(format!("removing revision {s}'s delta"))(e))
            }
            _ => {}
        }
    }
    let delta = dir.join("delta");
    if delta.exists() {
        let to = manifest::deltas::delta_path(root, j.revision);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(io(format!("creating {}", parent.display())))?;
        }
        std::fs::rename(&delta, &to).map_err(io("renaming the revision's delta into place"))?;
    }
    std::fs::remove_dir_all(&dir).map_err(io(format!("removing {}", dir.display())))
}

/// Finish or undo a step that a killed `edit` left at `root`, under the
/// folder's lock: a committed step is finished (the corpus is then at its
/// revision), an uncommitted one removed (the corpus stays where it was).
/// Without a step in progress it does nothing and takes no lock, so a
/// reader (`validate`, `diff`) calls it first at no cost.
pub fn recover(root: &Path) -> Result<(), ReviseError> {
    if !edit_dir(root).exists() {
        return Ok(());
    }
    let _lock = crate::output::lock(root)
        .map_err(|e| ReviseError::Input(format!("cannot lock {}: {e}", root.display())))?;
    recover_locked(root)
}

/// [`recover`] by a run that holds the lock.
fn recover_locked(root: &Path) -> Result<(), ReviseError> {
    let dir = edit_dir(root);
    if !dir.exists() {
        return Ok(());
    }
    let journal = dir.join("journal.json");
    match std::fs::read(&journal) {
        Ok(text) => {
            let j: Journal = serde_json::from_slice(&text).map_err(|e| {
                ReviseError::Input(format!("{} is damaged: {e}", journal.display()))
            })?;
            finish(root, &j)
        }
        Err(_) => std::fs::remove_dir_all(&dir).map_err(io(format!("removing {}", dir.display()))),
    }
}

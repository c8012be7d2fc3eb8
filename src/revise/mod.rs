//! Revisions: deterministic edit histories with the expected effect of
//! each edit (`gen --revision`, `edit`, `diff`).
//!
//! Revision r+1 is revision r plus an edit set that is a pure function of
//! (format, profile, size, seed, r) and of revision r's content: which
//! files an edit touches is drawn from the files revision r has, and what
//! it writes is drawn from its own stream. A [`Corpus`] holds one
//! revision in memory (every file's bytes and ground truth);
//! [`Corpus::step`] makes the next. Revision R is therefore the same
//! whether it is reached from revision 0 in one run (`gen --revision R`)
//! or step by step on disk (`edit --to R`), as long as a corpus read back
//! from disk is the corpus that was written, which the manifest makes
//! true: it records every file, heading and reference.
//!
//! After the edits of a step, every reference is resolved again by the
//! dialect's rules ([`RecordTargets`]): a reference to a deleted or
//! renamed file, or to a renamed heading, stops resolving; one by title,
//! id or bref follows a file renamed. The files whose bytes did not change
//! but whose references now land elsewhere are the step's affected set.

mod disk;
mod edits;
mod live;

pub use disk::{edit, gen_options, rebuild, recover, EditOptions};

use crate::manifest::{self, AssetRecord, CorpusRecord, FileRecord, Record};
use crate::record::{HeadingRecord, LinkRecord};
use crate::rng::{stream, Domain, Weighted};
use crate::validate::{self, anchor_hash, Landing};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One markdown file of a revision, with its ground truth.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// Its manifest record (path, size, hash, title, ...).
    pub rec: FileRecord,
    /// Its headings.
    pub headings: Vec<HeadingRecord>,
    /// Its references.
    pub links: Vec<LinkRecord>,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// One revision of a corpus, in memory.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The manifest's first record; `header.params.revision` is the
    /// revision.
    pub header: CorpusRecord,
    /// The markdown files, in manifest order (files added by edits last).
    pub docs: Vec<Doc>,
    /// The assets (never edited).
    pub assets: Vec<AssetRecord>,
    /// What steps look up, built on the first step and kept current.
    live: Option<Box<live::Live>>,
    /// Each file's origin: its path when first written (at revision 0, or
    /// by the step that added it), by which deltas name it.
    origins: Vec<String>,
    /// Origins of the files the step in progress added, and deleted.
    added: Vec<String>,
    deleted: Vec<String>,
    /// How many files the step in progress has added, whether or not
    /// they were deleted again: the next one's origin number.
    births: usize,
    /// The last step's delta (see `manifest::deltas`), encoded.
    delta: Option<Vec<u8>>,
}

impl PartialEq for Corpus {
    /// The same revision: header, files and assets (what steps keep to
    /// look things up is made from these).
    fn eq(&self, o: &Corpus) -> bool {
        self.header == o.header && self.docs == o.docs && self.assets == o.assets
    }
}

/// Where a reference lands, as a diff shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "to")]
pub enum Lands {
    /// A file (and a section of it).
    File {
        /// The file's path.
        path: String,
        /// The section id, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        anchor: Option<String>,
    },
    /// Nowhere: a broken reference.
    Broken,
    /// An external URL.
    External,
}

impl Lands {
    fn of(l: &LinkRecord) -> Lands {
        if l.external {
            Lands::External
        } else if l.broken.is_some() {
            Lands::Broken
        } else {
            Lands::File {
                path: l.target.clone().unwrap_or_default(),
                anchor: l.anchor.clone(),
            }
        }
    }
}

/// A reference whose resolution changed while its file's bytes did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    /// 1-based line in its file.
    pub line: u64,
    /// The destination as written.
    pub dest: String,
    /// Where it landed before.
    pub before: Lands,
    /// Where it lands now.
    pub after: Lands,
}

/// A file whose bytes did not change but whose references now resolve
/// differently: a correct incremental rebuild must re-check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Affected {
    /// Its path.
    pub path: String,
    /// Each reference whose resolution changed.
    pub references: Vec<Moved>,
}

/// What one revision changes relative to another.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The revision compared from.
    pub from: u64,
    /// The revision compared to.
    pub to: u64,
    /// Edits made, one line each, in order (empty for a diff over more
    /// than one step computed from two trees).
    pub edits: Vec<String>,
    /// Files in `to` only.
    pub added: Vec<String>,
    /// Files in `from` only.
    pub removed: Vec<String>,
    /// Files at the same path whose bytes differ.
    pub changed: Vec<String>,
    /// Files renamed: (path in `from`, path in `to`), also listed under
    /// `removed` and `added`.
    pub moved: Vec<(String, String)>,
    /// Files with the same bytes whose references resolve differently.
    pub affected: Vec<Affected>,
}

/// Why revisions cannot be made or read.
#[derive(Debug, thiserror::Error)]
pub enum ReviseError {
    /// The corpus's manifest.
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    /// What was asked cannot be done.
    #[error("{0}")]
    Input(String),
    /// Reading or writing failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        source: std::io::Error,
    },
}

impl ReviseError {
    /// The class of the failure, for exit codes.
    pub fn class(&self) -> crate::error::ErrorClass {
        use crate::error::ErrorClass;
        match self {
            ReviseError::Manifest(e) => e.class(),
            ReviseError::Input(_) => ErrorClass::Input,
            ReviseError::Io { .. } => ErrorClass::Runtime,
        }
    }
}

/// Whether corpora of `params` can have revisions: not yet a static
/// site's (its URLs and navigation would need editing too).
pub fn check_params(params: &crate::plan::Params) -> Result<(), ReviseError> {
    if params.profile.site.is_some() {
        return Err(ReviseError::Input(
            "revisions of a static site's corpus (--site) are not supported yet; drop --site or --revision".into(),
        ));
    }
    Ok(())
}

impl Corpus {
    /// The revision this corpus is at.
    pub fn revision(&self) -> u64 {
        self.header.params.revision
    }

    /// The doc at `path`, if any.
    pub fn doc(&self, path: &str) -> Option<&Doc> {
        match &self.live {
            Some(l) => l.at.get(path).map(|&i| &self.docs[i]),
            None => self.docs.iter().find(|d| d.rec.path == path),
        }
    }

    /// A corpus of these records and bytes.
    pub fn new(header: CorpusRecord, docs: Vec<Doc>, assets: Vec<AssetRecord>) -> Corpus {
        let origins = docs.iter().map(|d| d.rec.path.clone()).collect();
        Corpus {
            header,
            docs,
            assets,
            live: None,
            origins,
            added: Vec::new(),
            births: 0,
            deleted: Vec::new(),
            delta: None,
        }
    }

    /// The last step's delta: what `edit` writes beside the manifest for
    /// the revision it made (`manifest::deltas`).
    pub fn delta(&self) -> Option<&[u8]> {
        self.delta.as_deref()
    }

    /// Move to the next revision; returns what it changed. Costs what the
    /// step changes (the files it edits and those that reference them),
    /// not the corpus, after the first step's O(corpus) index.
    pub fn step(&mut self) -> Diff {
        let s = self.revision() + 1;
        let seed = self.header.params.seed;
        let v = self.header.params.profile.revisions.clone();
        let mut r = stream(seed, Domain::Revision, &[s]);
        let most = (2.0 * v.edits_per_revision - 1.0).round().max(1.0) as u64;
        let n = 1 + r.below(most);
        let kinds = Weighted::new(&[
            v.paragraph,
            v.add_reference,
            v.remove_reference,
            v.rename_heading,
            v.add_file,
            v.delete_file,
            v.move_file,
            v.front_matter,
            v.move_section,
        ]);
        let grammar = self.live().grammar.clone();
        self.added.clear();
        self.births = 0;
        self.deleted.clear();
        let mut log = edits::Log::default();
        for e in 0..n {
            let mut er = stream(seed, Domain::Revision, &[s, e + 1]);
            let kind = edits::KINDS[kinds.sample(&mut er)];
            edits::apply(self, &grammar, kind, &mut er, &mut log);
        }
        let affected = self.resolve(s, &log);
        self.header.params.revision = s;
        self.header.key = manifest::key(&self.header.params);
        self.header.files = self.docs.len() as u64;
        let mut diff = log.diff(self);
        let mut groups: Vec<usize> = log
            .paths()
            .filter_map(|(_, now)| now)
            .chain(affected.iter().map(|a| a.path.clone()))
            .filter_map(|p| self.live().at.get(&p).copied())
            .collect();
        groups.sort_unstable();
        groups.dedup();
        self.delta = Some(self.encode_delta(&groups));
        diff.affected = affected;
        diff.from = s - 1;
        diff.to = s;
        diff
    }

    /// The delta of the step just made: the records of files `groups`
    /// (positions), and what it added and deleted.
    fn encode_delta(&mut self, groups: &[usize]) -> Vec<u8> {
        let live = self.live.as_ref().expect("built by the step");
        let mut end = live.end.clone();
        end.tree = Some(live.tree.to_hex());
        let mut lines = Vec::new();
        for &i in groups {
            let d = &self.docs[i];
            manifest::write_line(&mut lines, &Record::File(d.rec.clone()));
            for h in &d.headings {
                manifest::write_heading(&mut lines, h);
            }
            for l in &d.links {
                manifest::write_link(&mut lines, l);
            }
        }
        let head = manifest::deltas::DeltaHead {
            revision: self.revision(),
            corpus: self.header.clone(),
            end,
            deleted: self.deleted.clone(),
            added: self.added.clone(),
            groups: groups.iter().map(|&i| self.origins[i].clone()).collect(),
        };
        manifest::deltas::encode_delta(&head, &lines)
    }

    /// Resolve again, by the dialect's rules, every reference the step may
    /// have moved: those of the files it edited, and those that landed on
    /// a file it edited, renamed or deleted. Returns the files it did not
    /// edit whose references now land elsewhere.
    fn resolve(&mut self, s: u64, log: &edits::Log) -> Vec<Affected> {
        let live = self.live();
        let mut dirty: BTreeSet<String> = BTreeSet::new();
        for (start, now) in log.paths() {
            for p in [start, now].into_iter().flatten() {
                if let Some(m) = live.referrers.get(&p) {
                    dirty.extend(m.keys().cloned());
                }
                dirty.insert(p);
            }
        }
        let edited: BTreeSet<String> = log.paths().filter_map(|(_, now)| now).collect();
        let mut affected = Vec::new();
        for path in dirty {
            let Some(&i) = self.live().at.get(&path) else {
                continue;
            };
            let (links, moved) = self.landings(i, s);
            if moved.is_empty() {
                continue;
            }
            // Out of the lookups with the old records, in with the new.
            let seed = self.header.params.seed;
            let mut doc = std::mem::replace(&mut self.docs[i], live::empty());
            self.live().index(seed, &doc, false);
            doc.links = links;
            self.live().index(seed, &doc, true);
            self.docs[i] = doc;
            if !edited.contains(&path) {
                affected.push(Affected {
                    path,
                    references: moved,
                });
            }
        }
        affected.sort_by(|a, b| a.path.cmp(&b.path));
        affected
    }

    /// File `i`'s reference records as they land now, and each one that
    /// lands elsewhere than its record says.
    fn landings(&mut self, i: usize, s: u64) -> (Vec<LinkRecord>, Vec<Moved>) {
        let live = self.live.as_ref().expect("built by the step");
        let d = &self.docs[i];
        let mut out = Vec::with_capacity(d.links.len());
        let mut moved = Vec::new();
        for old in &d.links {
            let mut l = old.clone();
            match live.targets.lands(&d.rec.path, old) {
                Landing::Outside => {}
                Landing::Nowhere => {
                    if l.broken.is_none() {
                        l.broken = Some(format!("its target is gone at revision {s}"));
                    }
                    l.target = None;
                    l.anchor = None;
                }
                Landing::Asset(path) => {
                    l.target = Some(path);
                    l.anchor = None;
                    l.broken = None;
                }
                Landing::File(path, hash) => {
                    let anchor = match hash {
                        None => None,
                        Some(h) if l.anchor.as_deref().map(anchor_hash) == Some(h) => {
                            l.anchor.clone()
                        }
                        Some(h) => live.at.get(&path).and_then(|&t| {
                            self.docs[t].headings.iter().find_map(|x| {
                                if anchor_hash(&x.id) == h {
                                    Some(x.id.clone())
                                } else {
                                    x.block
                                        .as_ref()
                                        .map(|b| format!("^{b}"))
                                        .filter(|b| anchor_hash(b) == h)
                                }
                            })
                        }),
                    };
                    l.target = Some(path);
                    l.anchor = anchor;
                    l.broken = None;
                }
            }
            let (was, now) = (Lands::of(old), Lands::of(&l));
            if was != now {
                moved.push(Moved {
                    line: l.line,
                    dest: l.dest.clone(),
                    before: was,
                    after: now,
                });
            }
            out.push(l);
        }
        (out, moved)
    }
}

/// A touched file's records again from its bytes: headings and reference
/// lines as parsed (block ids staying with their headings), the rest of
/// each reference's record as the edit left it.
fn rederive(d: &mut Doc, dialect: crate::dialect::Dialect) {
    let text = String::from_utf8_lossy(&d.bytes).into_owned();
    let p = validate::parse_as(&text, dialect);
    let mut headings = p.headings.clone();
    for (k, h) in headings.iter_mut().enumerate() {
        h.block = d
            .headings
            .get(k)
            .and_then(|o| o.block.clone())
            .filter(|b| p.block_ids.contains(b));
    }
    assert_eq!(
        p.links.len(),
        d.links.len(),
        "an edit of {} kept its references' records in step",
        d.rec.path
    );
    for (l, (line, event, dest)) in d.links.iter_mut().zip(&p.links) {
        l.line = *line;
        l.event = *event;
        l.dest = dest.clone();
    }
    d.rec.tags.retain(|t| text.contains(t.as_str()));
    d.rec.bytes = d.bytes.len() as u64;
    d.rec.blake3 = blake3::hash(&d.bytes).to_hex().to_string();
    d.rec.blocks = p.blocks;
    d.rec.headings = headings.len() as u64;
    d.rec.links = d.links.len() as u64;
    d.headings = headings;
}

/// What `after` changes relative to the files `before` listed (path,
/// where each reference landed, hash); `moves` are the renames between.
fn compare(
    before: &[(String, Vec<Lands>, String)],
    after: &Corpus,
    moves: &[(String, String)],
) -> Diff {
    let old: BTreeMap<&str, (&Vec<Lands>, &str)> = before
        .iter()
        .map(|(p, l, h)| (p.as_str(), (l, h.as_str())))
        .collect();
    let new: BTreeSet<&str> = after.docs.iter().map(|d| d.rec.path.as_str()).collect();
    let mut diff = Diff::default();
    for (p, _, _) in before {
        if !new.contains(p.as_str()) {
            diff.removed.push(p.clone());
        }
    }
    for d in &after.docs {
        let path = d.rec.path.as_str();
        match old.get(path) {
            None => diff.added.push(path.to_string()),
            Some((_, hash)) if *hash != d.rec.blake3 => diff.changed.push(path.to_string()),
            Some((lands, _)) => {
                let references: Vec<Moved> = d
                    .links
                    .iter()
                    .zip(lands.iter())
                    .filter_map(|(l, was)| {
                        let now = Lands::of(l);
                        (now != *was).then(|| Moved {
                            line: l.line,
                            dest: l.dest.clone(),
                            before: was.clone(),
                            after: now,
                        })
                    })
                    .collect();
                if !references.is_empty() {
                    diff.affected.push(Affected {
                        path: path.to_string(),
                        references,
                    });
                }
            }
        }
    }
    diff.moved = moves
        .iter()
        .filter(|(a, b)| old.contains_key(a.as_str()) && new.contains(b.as_str()))
        .cloned()
        .collect();
    diff.added.sort();
    diff.removed.sort();
    diff.changed.sort();
    diff.affected.sort_by(|a, b| a.path.cmp(&b.path));
    diff
}

/// What revision `to` changes relative to `from` (either order), both
/// given in full.
pub fn diff(from: &Corpus, to: &Corpus) -> Diff {
    let before: Vec<(String, Vec<Lands>, String)> = from
        .docs
        .iter()
        .map(|d| {
            (
                d.rec.path.clone(),
                d.links.iter().map(Lands::of).collect(),
                d.rec.blake3.clone(),
            )
        })
        .collect();
    let mut d = compare(&before, to, &[]);
    d.from = from.revision();
    d.to = to.revision();
    d
}

/// [`diff`] of revisions `a` and `b` of the corpus `base` is at (or
/// later), replaying the steps between so that renames are known.
pub fn diff_revisions(base: &Corpus, a: u64, b: u64) -> Result<Diff, ReviseError> {
    let (lo, hi) = (a.min(b), a.max(b));
    if base.revision() > lo {
        return Err(ReviseError::Input(format!(
            "revision {lo} is before this corpus's revision {}; diff needs a corpus at or before both",
            base.revision()
        )));
    }
    let mut c = base.clone();
    while c.revision() < lo {
        c.step();
    }
    let start = c.clone();
    let mut moves: Vec<(String, String)> = Vec::new();
    let mut edits = Vec::new();
    while c.revision() < hi {
        let d = c.step();
        for (x, y) in d.moved {
            // A file renamed twice is one rename from its first path.
            match moves.iter_mut().find(|(_, to)| *to == x) {
                Some(m) => m.1 = y,
                None => moves.push((x, y)),
            }
        }
        edits.extend(d.edits.into_iter().map(|e| format!("r{}: {e}", d.to)));
    }
    let mut d = diff(&start, &c);
    d.moved = moves
        .into_iter()
        .filter(|(x, y)| start.doc(x).is_some() && c.doc(y).is_some())
        .collect();
    d.edits = edits;
    if a > b {
        d = reverse(d);
        d.from = a;
        d.to = b;
    }
    Ok(d)
}

/// The same changes seen from the other side.
fn reverse(d: Diff) -> Diff {
    Diff {
        from: d.to,
        to: d.from,
        edits: d.edits,
        added: d.removed,
        removed: d.added,
        changed: d.changed,
        moved: d.moved.into_iter().map(|(a, b)| (b, a)).collect(),
        affected: d
            .affected
            .into_iter()
            .map(|a| Affected {
                path: a.path,
                references: a
                    .references
                    .into_iter()
                    .map(|m| Moved {
                        before: m.after,
                        after: m.before,
                        ..m
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Params;
    use crate::profile::Profile;

    /// A step re-resolves only the references it may have moved: after
    /// every step, resolving every reference of the corpus again changes
    /// none, and the lookups kept across steps are the ones built afresh.
    #[test]
    fn a_step_resolves_again_exactly_what_it_may_have_moved() {
        for (profile, dialect) in [
            ("default", None),
            ("vault", Some(crate::dialect::Dialect::Obsidian)),
            ("default", Some(crate::dialect::Dialect::Gfm)),
        ] {
            // As the profile has it, and with only the edits that rename
            // or move what references name.
            for renames in [false, true] {
                let mut p = Profile::load_for(profile, dialect, None).unwrap();
                if renames {
                    p.revisions = crate::profile::Revisions {
                        paragraph: 0.0,
                        add_reference: 0.2,
                        remove_reference: 0.0,
                        add_file: 0.2,
                        delete_file: 0.2,
                        rename_heading: 0.5,
                        move_file: 0.5,
                        front_matter: 1.0,
                        move_section: 1.0,
                        follow_share: 0.7,
                        ..p.revisions
                    };
                }
                let params = Params::new(p, 300_000, 5, None);
                let mut c = rebuild(&params, 0).unwrap();
                for _ in 0..40 {
                    c.step();
                    let s = c.revision();
                    let mut fresh = c.clone();
                    fresh.live = None;
                    let built = fresh.live().clone();
                    let kept = c.live.as_ref().unwrap();
                    assert_eq!(kept.referrers, built.referrers, "{profile} r{s}: referrers");
                    assert_eq!(kept.heat, built.heat, "{profile} r{s}: heat");
                    assert_eq!(kept.taken, built.taken, "{profile} r{s}: names");
                    assert_eq!(kept.fragments, built.fragments, "{profile} r{s}: fragments");
                    assert_eq!(kept.at, built.at, "{profile} r{s}: positions");
                    assert_eq!(kept.end, built.end, "{profile} r{s}: totals");
                    assert_eq!(kept.tree, built.tree, "{profile} r{s}: tree digest");
                    for i in 0..fresh.docs.len() {
                        let (_, moved) = fresh.landings(i, s);
                        assert!(
                        moved.is_empty(),
                        "{profile} r{s}: {} resolves differently when resolved again: {moved:?}",
                        fresh.docs[i].rec.path
                    );
                    }
                }
            }
        }
    }

    /// The default `[revisions]` with every edit kind's weight 0: a test
    /// names the kinds it makes.
    fn no_edits() -> crate::profile::Revisions {
        crate::profile::Revisions {
            paragraph: 0.0,
            add_reference: 0.0,
            remove_reference: 0.0,
            rename_heading: 0.0,
            add_file: 0.0,
            delete_file: 0.0,
            move_file: 0.0,
            front_matter: 0.0,
            move_section: 0.0,
            ..Default::default()
        }
    }

    /// A file renamed at every step keeps a name of bounded length (a
    /// name that grew by a word per rename once made the 120-byte limit
    /// unreachable, and the step looped forever).
    #[test]
    fn a_file_renamed_again_and_again_keeps_a_short_name() {
        let mut p = Profile::load_for("default", None, None).unwrap();
        p.revisions = crate::profile::Revisions {
            edits_per_revision: 1.0,
            move_file: 1.0,
            ..no_edits()
        };
        let params = Params::new(p, 20_000, 3, Some(3));
        let mut c = rebuild(&params, 0).unwrap();
        for _ in 0..300 {
            c.step();
        }
        for d in &c.docs {
            let name = d.rec.path.rsplit('/').next().unwrap();
            assert!(name.len() <= 124, "{name}");
        }
    }

    /// A step that adds files and deletes some of them again gives every
    /// file it keeps its own origin (numbered by what was left, a file
    /// added after a deletion once took the origin of one still there).
    #[test]
    fn files_added_and_deleted_in_one_step_keep_distinct_origins() {
        let mut p = Profile::load_for("default", None, None).unwrap();
        p.revisions = crate::profile::Revisions {
            edits_per_revision: 8.0,
            hot_exponent: 2.0,
            add_file: 1.0,
            delete_file: 1.0,
            ..no_edits()
        };
        let params = Params::new(p, 40_000, 8, Some(4));
        let mut c = rebuild(&params, 0).unwrap();
        for _ in 0..60 {
            c.step();
            let origins: BTreeSet<&String> = c.origins.iter().collect();
            assert_eq!(origins.len(), c.docs.len(), "r{}", c.revision());
        }
    }
}

//! The reference targets of a corpus that is being generated, answered
//! from its plan: paths, titles and ids are read back into file numbers
//! (`plan::lookup`), a file's sections are computed when a reference needs
//! them (and kept a while: references crowd onto a few popular files), and
//! only `bref`s, which are hashes, are listed.
//!
//! An [`Index`] of a 10 GB corpus (870,000 files, 13 million sections) took
//! ~220 MB; this takes the `bref` list (~6 MB there), the assets and a
//! bounded cache of section lists.

use super::index::{h64, HashMap, Index};
use super::targets::Targets;
use crate::dialect::Dialect;
use crate::plan::Plan;
use rayon::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many files' section lists each thread keeps (direct-mapped by file
/// number; each ~0.2-0.6 KB).
const SECTION_SLOTS: usize = 4096;

/// How many lookups (a path, title or id, and the file it names) each
/// thread keeps: references crowd onto popular files, and reading a path
/// or title back costs ~1,000-2,500 instructions where a kept answer costs
/// ~100.
const ANSWER_SLOTS: usize = 1 << 14;

/// What a lookup was: the same string can be a path, a title and an id.
/// (0 is an empty slot.)
#[derive(Clone, Copy)]
enum Ask {
    Path = 1,
    Title = 2,
    Id = 3,
    /// An Obsidian name, from a folder: the folder (a planned file's,
    /// which holds no newline), a newline, the name.
    Named = 4,
    Alias = 5,
    /// A `bref`: confirming a hit computes the file's bid and a SHA-1.
    Bref = 6,
}

/// A kept answer: what was asked, about which string (so an answer is
/// given only for the same string), and the file.
#[derive(Default)]
struct Answer {
    ask: u8,
    key: Box<str>,
    file: u32,
}

/// One file's sections, as hashes, each list sorted.
#[derive(Default)]
struct Sections {
    file: u32,
    /// Section ids.
    ids: Vec<u64>,
    /// Obsidian: (heading text, section id).
    texts: Vec<(u64, u64)>,
    /// Obsidian: `^block` ids.
    blocks: Vec<u64>,
}

/// A thread's caches, for the [`PlanTargets`] numbered `owner`. Per thread
/// because shared ones, locked per slot, made both cores write the same
/// cache lines for every reference to a popular file: 1 GB `gen` with
/// validation took 12-17% longer than with the index.
#[derive(Default)]
struct Kept {
    owner: u64,
    answers: Vec<Answer>,
    sections: Vec<Option<Rc<Sections>>>,
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::default();
}

/// Numbers each [`PlanTargets`], so that a thread's caches are never read
/// for another corpus.
static OWNERS: AtomicU64 = AtomicU64::new(1);

/// See the module documentation.
pub(super) struct PlanTargets<'p> {
    plan: &'p Plan,
    /// (high half of the `bref`'s hash, file), sorted: a hit is confirmed
    /// against the file's own `bref`.
    brefs: Vec<(u32, u32)>,
    /// Folder numbers by the hash of their path: found by walking the
    /// path's components instead, a reference cost twice as much.
    folders: HashMap<u32>,
    /// The assets (an index of no files).
    assets: Index,
    /// Which caches of each thread are this one's.
    owner: u64,
}

impl<'p> PlanTargets<'p> {
    /// The targets of every file of `plan` (all shards included), listing
    /// its `bref`s on `jobs` threads.
    pub(super) fn new(plan: &'p Plan, jobs: usize) -> PlanTargets<'p> {
        let mut brefs = Vec::new();
        if plan.params.profile.front_matter.bids {
            let pool = crate::threads::pool(jobs.max(1));
            brefs = pool.install(|| {
                let mut v: Vec<_> = (0..plan.files)
                    .into_par_iter()
                    .filter(|&i| plan.has_front_matter(i))
                    .map(|i| (key(&bref_of(plan, i)), i as u32))
                    .collect();
                v.par_sort_unstable();
                v
            });
        }
        let mut assets = Index::new(plan.dialect());
        for k in 0..plan.assets {
            assets.add_asset(plan.asset_path(k));
        }
        let mut folders = HashMap::default();
        folders.reserve(plan.folders as usize);
        for j in 0..plan.folders {
            folders.insert(h64(&plan.folder_path(j)), j as u32);
        }
        PlanTargets {
            plan,
            brefs,
            folders,
            assets,
            owner: OWNERS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Run `f` on this thread's caches, emptied first if they were
    /// another corpus's.
    fn kept<T>(&self, f: impl FnOnce(&mut Kept) -> T) -> T {
        KEPT.with(|k| {
            let mut k = k.borrow_mut();
            if k.owner != self.owner {
                *k = Kept {
                    owner: self.owner,
                    answers: (0..ANSWER_SLOTS).map(|_| Answer::default()).collect(),
                    sections: vec![None; SECTION_SLOTS],
                };
            }
            f(&mut k)
        })
    }

    /// The answer to `ask` about `key`, kept or from `find`.
    fn answer(&self, ask: Ask, key: &str, find: impl FnOnce() -> Option<u32>) -> Option<u32> {
        let h = h64(key) ^ (ask as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let slot = (h >> 40) as usize % ANSWER_SLOTS;
        let hit = self.kept(|k| {
            let a = &k.answers[slot];
            (a.ask == ask as u8 && &*a.key == key).then_some(a.file)
        });
        if hit.is_some() {
            return hit;
        }
        // Not under the borrow: `find` is free to look things up.
        let file = find()?;
        self.kept(|k| {
            k.answers[slot] = Answer {
                ask: ask as u8,
                key: key.into(),
                file,
            }
        });
        Some(file)
    }

    /// File `f`'s sections, from the cache or computed.
    fn sections(&self, f: u32) -> Rc<Sections> {
        let slot = f as usize % SECTION_SLOTS;
        let hit = self.kept(|k| k.sections[slot].clone().filter(|s| s.file == f));
        if let Some(s) = hit {
            return s;
        }
        let i = u64::from(f);
        let headings = self.plan.headings(i, self.plan.section_count(i));
        let obsidian = self.obsidian();
        let mut s = Sections {
            file: f,
            ids: Vec::with_capacity(headings.len()),
            texts: Vec::with_capacity(if obsidian { headings.len() } else { 0 }),
            blocks: Vec::new(),
        };
        for h in headings {
            let id = h64(&h.id);
            s.ids.push(id);
            if obsidian {
                s.texts.push((h64(&h.text), id));
                if let Some(b) = &h.block {
                    s.blocks.push(h64(&format!("^{b}")));
                }
            }
        }
        s.ids.sort_unstable();
        s.texts.sort_unstable();
        s.blocks.sort_unstable();
        let s = Rc::new(s);
        self.kept(|k| k.sections[slot] = Some(Rc::clone(&s)));
        s
    }

    /// The file at `path`, read back from the plan.
    fn find_file(&self, path: &str) -> Option<u32> {
        let (dir, name) = crate::plan::split_path(path)?;
        let j = match self.folders.get(&h64(dir)) {
            Some(&j) if self.plan.is_folder_path(u64::from(j), dir) => u64::from(j),
            // Another folder with the same hash, or none: the slow way.
            _ => self.plan.folder_at(dir)?,
        };
        self.plan.file_named_in(j, name).map(|i| i as u32)
    }

    /// The file an Obsidian link to `name` from folder `dir` means: the
    /// root's, else the folder's, else the one with the shortest path.
    fn find_named(&self, name: &str, dir: &str) -> Option<u32> {
        let file = format!("{name}.md");
        let in_dir = if dir.is_empty() {
            file.clone()
        } else {
            format!("{dir}/{file}")
        };
        if let Some(f) = self.file(&file).or_else(|| self.file(&in_dir)) {
            return Some(f);
        }
        let files = self.plan.files_named(&file);
        files
            .into_iter()
            .map(|i| (self.plan.file_path(i), i))
            .min_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)))
            .map(|(_, i)| i as u32)
    }

    /// The first in path order of `files`.
    fn first_by_path(&self, files: Vec<u64>) -> Option<u32> {
        let f = match files.as_slice() {
            [] => return None,
            [only] => *only,
            _ => files.into_iter().min_by_key(|&i| self.plan.file_path(i))?,
        };
        Some(f as u32)
    }
}

/// The key `brefs` is sorted by.
fn key(bref: &str) -> u32 {
    (h64(bref) >> 32) as u32
}

/// File `i`'s `bref` (it has front matter, and the profile gives bids).
fn bref_of(plan: &Plan, i: u64) -> String {
    crate::record::bref(&plan.bid(i))
}

impl Targets for PlanTargets<'_> {
    fn dialect(&self) -> Dialect {
        self.plan.dialect()
    }

    fn file(&self, path: &str) -> Option<u32> {
        self.answer(Ask::Path, path, || self.find_file(path))
    }

    fn is_file_at(&self, f: u32, path: &str) -> bool {
        self.file(path) == Some(f)
    }

    fn path(&self, f: u32) -> String {
        self.plan.file_path(u64::from(f))
    }

    fn is_asset(&self, path: &str) -> bool {
        self.assets.is_asset(path)
    }

    fn titled(&self, title: &str) -> Option<u32> {
        self.answer(Ask::Title, title, || {
            self.first_by_path(self.plan.files_titled(title))
        })
    }

    fn with_id(&self, id: &str) -> Option<u32> {
        self.answer(Ask::Id, id, || {
            self.first_by_path(self.plan.files_with_id(id))
        })
    }

    fn with_bref(&self, bref: &str) -> Option<u32> {
        self.answer(Ask::Bref, bref, || {
            let k = key(bref);
            let start = self.brefs.partition_point(|&(x, _)| x < k);
            self.brefs[start..]
                .iter()
                .take_while(|&&(x, _)| x == k)
                .map(|&(_, f)| f)
                .find(|&f| bref_of(self.plan, u64::from(f)) == bref)
        })
    }

    fn named(&self, name: &str, dir: &str) -> Option<u32> {
        // Links crowd onto popular names as onto popular paths, and a name
        // found in neither place below is searched for among all files.
        let key = format!("{dir}\n{name}");
        self.answer(Ask::Named, &key, || self.find_named(name, dir))
    }

    fn aliased(&self, alias: &str) -> Option<u32> {
        if self.plan.profile().front_matter.alias_share <= 0.0 {
            return None;
        }
        // An alias is its note's title, and a note with one shares its
        // title with no other: the titled notes that list an alias.
        self.answer(Ask::Alias, alias, || {
            let owners = self.plan.files_titled(alias);
            let owners = owners.into_iter().filter(|&i| self.plan.has_alias(i));
            self.first_by_path(owners.collect())
        })
    }

    fn asset_named(&self, name: &str, dir: &str) -> Option<String> {
        self.assets.asset_named(name, dir)
    }

    fn has_anchor(&self, f: u32, anchor: &str) -> bool {
        self.sections(f).ids.binary_search(&h64(anchor)).is_ok()
    }

    fn has_block(&self, f: u32, block: &str) -> bool {
        self.sections(f).blocks.binary_search(&h64(block)).is_ok()
    }

    fn heading_id(&self, f: u32, text: &str) -> Option<u64> {
        let s = self.sections(f);
        let h = h64(text);
        let k = s.texts.partition_point(|&(x, _)| x < h);
        s.texts.get(k).filter(|&&(x, _)| x == h).map(|&(_, id)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Params;
    use crate::profile::Profile;

    /// An [`Index`] of every target of `plan`, built as `validate` builds
    /// one from a manifest.
    fn listed(plan: &Plan) -> Index {
        let mut ix = Index::new(plan.dialect());
        for i in 0..plan.files {
            let m = plan.file(i);
            let bref = m.bid.as_deref().map(crate::record::bref);
            ix.add_file(&m.path, &m.title, m.id.as_deref(), bref.as_deref());
            if let Some(a) = &m.alias {
                ix.add_alias(a);
            }
            for h in plan.headings(i, m.headings) {
                ix.add_heading(&h.id, &h.text, h.block.as_deref());
            }
        }
        for k in 0..plan.assets {
            ix.add_asset(plan.asset_path(k));
        }
        ix.finish();
        ix
    }

    #[test]
    fn the_plan_answers_every_lookup_as_a_list_of_its_files_does() {
        for d in [Dialect::Noet, Dialect::Obsidian, Dialect::Gfm] {
            let mut p = Profile::default().with_dialect(d);
            // Collisions share titles and ids: the first in path order wins.
            p.references.collision_share = 0.2;
            let plan = Plan::new(Params::new(p, 6_000_000, 11, None)).expect("plan");
            let (ix, pt) = (listed(&plan), PlanTargets::new(&plan, 2));
            let mut asked = 0;
            for i in 0..plan.files {
                let m = plan.file(i);
                let f = i as u32;
                let stem = m.path.trim_end_matches(".md");
                let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
                let wrong = format!("{}x", m.path);
                for path in [m.path.as_str(), &wrong, &format!("/{}", m.path)] {
                    assert_eq!(pt.file(path), Targets::file(&ix, path), "{d} {path}");
                    assert_eq!(pt.is_file_at(f, path), ix.is_file_at(f, path), "{path}");
                }
                assert_eq!(pt.titled(&m.title), ix.titled(&m.title), "{}", m.title);
                if let Some(id) = &m.id {
                    assert_eq!(pt.with_id(id), ix.with_id(id), "{id}");
                }
                if let Some(bid) = &m.bid {
                    let b = crate::record::bref(bid);
                    assert_eq!(pt.with_bref(&b), ix.with_bref(&b), "{b}");
                }
                if d == Dialect::Obsidian {
                    for dir in [dir, "", "x"] {
                        assert_eq!(pt.named(name, dir), ix.named(name, dir), "{name} in {dir}");
                    }
                }
                for h in plan.headings(i, m.headings) {
                    assert!(pt.has_anchor(f, &h.id) && ix.has_anchor(f, &h.id));
                    asked += 1;
                    if d != Dialect::Obsidian {
                        continue;
                    }
                    assert_eq!(pt.heading_id(f, &h.text), ix.heading_id(f, &h.text));
                    if let Some(b) = &h.block {
                        let b = format!("^{b}");
                        assert!(pt.has_block(f, &b) && ix.has_block(f, &b));
                    }
                }
                assert!(!pt.has_anchor(f, "no-such-section"));
                if d == Dialect::Obsidian {
                    assert_eq!(pt.heading_id(f, "No such heading"), None);
                    assert!(!pt.has_block(f, "^0000"));
                }
            }
            assert!(asked > 1000, "{d}: only {asked} sections");
            for (t, want) in [("Data File Value", None), ("documentation-root", Some(0))] {
                assert_eq!(pt.titled(t), ix.titled(t), "{t}");
                assert_eq!(pt.with_id(t).is_some(), want.is_some(), "{t}");
            }
        }
    }
}

#[cfg(test)]
mod review {
    use super::*;
    use crate::plan::Params;
    use crate::profile::Profile;

    #[test]
    fn a_kept_answer_is_given_only_for_the_same_string() {
        // Two names with the same 64-bit hash (found by a review).
        assert_eq!(h64("qredzqwvtlvz7zpb"), h64("index.md"));
        let plan = Plan::new(Params::new(Profile::default(), 100_000, 5, None)).unwrap();
        let pt = PlanTargets::new(&plan, 1);
        assert_eq!(pt.file("index.md"), Some(0));
        assert_eq!(pt.file("qredzqwvtlvz7zpb"), None);
        assert!(!pt.is_file_at(0, "qredzqwvtlvz7zpb"));
    }
}

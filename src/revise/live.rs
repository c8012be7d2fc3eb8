//! What a step looks up, kept current as files change: the targets of
//! every reference ([`LiveTargets`]), who references each file, the files
//! ranked by heat, the names in use. Each is a function of the corpus's
//! content alone (so a corpus read back from disk builds the same one),
//! and each edit updates it for the one file it changed, so that a step
//! costs what it changes, not the corpus.

use super::{Corpus, Doc};
use crate::dialect::Dialect;
use crate::record::LinkRecord;
use crate::rng::{hash_coords, Domain};
use crate::validate::LiveTargets;
use std::collections::{BTreeSet, HashMap};

/// See the module documentation.
#[derive(Debug, Clone)]
pub(super) struct Live {
    pub(super) targets: LiveTargets,
    /// Target path -> the files whose references land there, each with its
    /// number of such references.
    pub(super) referrers: HashMap<String, HashMap<String, u32>>,
    /// Every file by (heat, path): edits draw files by rank in this order.
    pub(super) heat: BTreeSet<(u64, String)>,
    /// Names in use, lowercased, with counts: each file's name, title, id
    /// and aliases, and the names and fragments broken references ask for.
    /// A file or heading an edit adds takes none of them, so no reference
    /// that resolves (or is broken) elsewhere starts landing on it.
    pub(super) taken: HashMap<String, u32>,
    /// (page, fragment) of each broken reference with a fragment, as
    /// [`asked`] names them: a heading an edit moves into a file must not
    /// be one of these under any of the file's names.
    pub(super) fragments: HashMap<(String, String), u32>,
    /// Files in a deliberate collision (either side), with counts.
    pub(super) colliding: HashMap<String, u32>,
    /// Path -> position in `Corpus::docs`.
    pub(super) at: HashMap<String, usize>,
    /// The grammar of new prose.
    pub(super) grammar: crate::text::grammar::Grammar,
    /// The `end` record's totals, and its digest of paths and sizes.
    pub(super) end: crate::manifest::EndRecord,
    pub(super) tree: crate::manifest::TreeDigest,
}

/// The heat of a file: a fixed hash of its title.
pub(super) fn heat(seed: u64, title: &str) -> u64 {
    let h = blake3::hash(title.as_bytes());
    let t = u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes"));
    hash_coords(seed, Domain::Revision, &[t])
}

fn stem(path: &str) -> &str {
    let s = path.rsplit('/').next().unwrap_or(path);
    s.strip_suffix(".md").unwrap_or(s)
}

/// The names a broken reference asks for: its page (a path's file name, a
/// wikilink's page, an id) and its fragment, lowercased.
fn asked(l: &LinkRecord) -> Vec<String> {
    let (page, frag) = match l.dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (l.dest.as_str(), None),
    };
    let page = page.strip_prefix("id:").unwrap_or(page);
    let mut out = vec![stem(page.trim_end_matches('/')).to_lowercase()];
    if let Some(f) = frag {
        out.push(f.trim_start_matches('^').to_lowercase());
    }
    out
}

fn count(map: &mut HashMap<String, u32>, key: String, up: bool) {
    if up {
        *map.entry(key).or_default() += 1;
    } else if let Some(n) = map.get_mut(&key) {
        *n -= 1;
        if *n == 0 {
            map.remove(&key);
        }
    }
}

fn count2(map: &mut HashMap<(String, String), u32>, key: (String, String), up: bool) {
    if up {
        *map.entry(key).or_default() += 1;
    } else if let Some(n) = map.get_mut(&key) {
        *n -= 1;
        if *n == 0 {
            map.remove(&key);
        }
    }
}

impl Live {
    /// Everything looked up, for `c` as it is.
    pub(super) fn build(c: &Corpus) -> Live {
        let plan = crate::plan::Plan::new(c.header.params.clone())
            .expect("a corpus's parameters make a plan");
        let mut live = Live {
            targets: LiveTargets::new(c.header.params.profile.dialect),
            referrers: HashMap::new(),
            heat: BTreeSet::new(),
            taken: HashMap::new(),
            fragments: HashMap::new(),
            colliding: HashMap::new(),
            at: HashMap::new(),
            grammar: plan.grammar.clone(),
            end: Default::default(),
            tree: Default::default(),
        };
        live.taken.insert("index".into(), 1);
        for a in &c.assets {
            live.targets.add_asset(&a.path);
            live.tree.add(&a.path, a.bytes);
            live.end.assets += 1;
        }
        for (i, d) in c.docs.iter().enumerate() {
            live.index(c.header.params.seed, d, true);
            live.at.insert(d.rec.path.clone(), i);
        }
        live
    }

    /// Count `d` in (`up`) or out of every lookup but `at`.
    pub(super) fn index(&mut self, seed: u64, d: &Doc, up: bool) {
        let path = &d.rec.path;
        let broken = d.links.iter().filter(|l| l.broken.is_some()).count() as u64;
        let e = &mut self.end;
        if up {
            self.targets.add(&d.rec, &d.headings);
            self.heat.insert((heat(seed, &d.rec.title), path.clone()));
            self.tree.add(path, d.rec.bytes);
            e.files += 1;
            e.bytes += d.rec.bytes;
            e.headings += d.headings.len() as u64;
            e.links += d.links.len() as u64;
            e.broken += broken;
        } else {
            self.targets.remove(path);
            self.heat.remove(&(heat(seed, &d.rec.title), path.clone()));
            self.tree.remove(path, d.rec.bytes);
            e.files -= 1;
            e.bytes -= d.rec.bytes;
            e.headings -= d.headings.len() as u64;
            e.links -= d.links.len() as u64;
            e.broken -= broken;
        }
        let mut names = vec![stem(path).to_lowercase(), d.rec.title.to_lowercase()];
        names.extend(d.rec.id.iter().map(|i| i.to_lowercase()));
        names.extend(d.rec.aliases.iter().map(|a| a.to_lowercase()));
        for n in names {
            count(&mut self.taken, n, up);
        }
        if let Some(other) = &d.rec.collides_with {
            count(&mut self.colliding, path.clone(), up);
            count(&mut self.colliding, other.clone(), up);
        }
        for l in &d.links {
            if l.broken.is_some() {
                let names = asked(l);
                if let [page, fragment] = &names[..] {
                    count2(&mut self.fragments, (page.clone(), fragment.clone()), up);
                }
                for n in names {
                    count(&mut self.taken, n, up);
                }
            } else if let Some(t) = &l.target {
                let m = self.referrers.entry(t.clone()).or_default();
                count(m, path.clone(), up);
                if m.is_empty() {
                    self.referrers.remove(t);
                }
            }
        }
    }
}

impl Corpus {
    /// The lookups, built on first use.
    pub(super) fn live(&mut self) -> &mut Live {
        if self.live.is_none() {
            self.live = Some(Box::new(Live::build(self)));
        }
        self.live.as_mut().expect("built above")
    }

    /// The file an edit touches: a rank drawn by the profile's Zipf law
    /// over the files by heat, then the first from there (wrapping) that
    /// `ok` accepts.
    pub(super) fn hot(
        &mut self,
        rng: &mut crate::rng::Rng,
        ok: impl Fn(&Corpus, &Doc) -> bool,
    ) -> Option<usize> {
        let s = self.header.params.profile.revisions.hot_exponent;
        let n = self.docs.len();
        if n == 0 {
            return None;
        }
        let rank = (rng.zipf(n as u64, s) as usize).min(n - 1);
        self.live();
        let live = self.live.as_ref().expect("built above");
        live.heat
            .iter()
            .skip(rank)
            .chain(live.heat.iter().take(rank))
            .map(|(_, p)| live.at[p])
            .find(|&i| ok(self, &self.docs[i]))
    }

    /// Whether the file may be deleted or renamed: not a network's index
    /// (whose folder links name it), in no deliberate collision.
    pub(super) fn movable(&self, d: &Doc) -> bool {
        !d.rec.network
            && !self
                .live
                .as_ref()
                .is_some_and(|l| l.colliding.contains_key(&d.rec.path))
    }

    /// Whether no file is called, titled, identified or aliased `name`
    /// (lowercased), and no broken reference asks for it.
    pub(super) fn fresh(&self, name: &str) -> bool {
        !self
            .live
            .as_ref()
            .expect("built by the step")
            .taken
            .contains_key(&name.to_lowercase())
    }

    /// Whether a broken reference asks for `fragment` (lowercased) in a
    /// file it names by any of `d`'s names, or in its own file.
    pub(super) fn asked_in(&self, d: &Doc, fragment: &str) -> bool {
        let live = self.live.as_ref().expect("built by the step");
        let f = fragment.to_lowercase();
        let mut names = vec![String::new(), stem(&d.rec.path).to_lowercase()];
        names.push(d.rec.title.to_lowercase());
        names.extend(d.rec.id.iter().map(|i| i.to_lowercase()));
        names.extend(d.rec.aliases.iter().map(|a| a.to_lowercase()));
        names
            .into_iter()
            .any(|n| live.fragments.contains_key(&(n, f.clone())))
    }

    /// The files whose references land on `target`.
    pub(super) fn referrers(&mut self, target: &str) -> Vec<String> {
        self.live()
            .referrers
            .get(target)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The position of the file at `path`.
    pub(super) fn position(&mut self, path: &str) -> Option<usize> {
        self.live().at.get(path).copied()
    }

    /// The mean size of a markdown file now.
    pub(super) fn mean_file_bytes(&mut self) -> u64 {
        let e = &self.live().end;
        e.bytes / e.files.max(1)
    }

    /// Give file `i` new bytes and reference records, re-deriving the rest
    /// of its records from the bytes.
    pub(super) fn update(&mut self, i: usize, bytes: Vec<u8>, links: Vec<LinkRecord>) {
        self.update_with(i, |d| {
            d.bytes = bytes;
            d.links = links;
        });
    }

    /// Change file `i` by `edit` (its bytes, reference records, and any
    /// record field its bytes do not give, such as a front matter title),
    /// then re-derive the rest of its records from the bytes.
    pub(super) fn update_with(&mut self, i: usize, edit: impl FnOnce(&mut Doc)) {
        let seed = self.header.params.seed;
        let dialect: Dialect = self.header.params.profile.dialect;
        let mut d = std::mem::replace(&mut self.docs[i], empty());
        self.live().index(seed, &d, false);
        edit(&mut d);
        super::rederive(&mut d, dialect);
        self.live().index(seed, &d, true);
        self.docs[i] = d;
    }

    /// Add a file at the end.
    pub(super) fn push(&mut self, mut d: Doc) -> usize {
        let seed = self.header.params.seed;
        super::rederive(&mut d, self.header.params.profile.dialect);
        let i = self.docs.len();
        let live = self.live();
        live.index(seed, &d, true);
        live.at.insert(d.rec.path.clone(), i);
        // Named by the step and its order in it: a path can come back
        // after its file was deleted, an origin never does (not even
        // when the step deletes a file it added).
        let origin = format!("+{}.{}", self.revision() + 1, self.births);
        self.births += 1;
        self.origins.push(origin.clone());
        self.added.push(origin);
        self.docs.push(d);
        i
    }

    /// Remove file `i`.
    pub(super) fn remove(&mut self, i: usize) -> Doc {
        let seed = self.header.params.seed;
        let d = self.docs.remove(i);
        let origin = self.origins.remove(i);
        match self.added.iter().position(|o| *o == origin) {
            Some(k) => {
                self.added.remove(k);
            }
            None => self.deleted.push(origin),
        }
        let live = self.live();
        live.index(seed, &d, false);
        live.at.remove(&d.rec.path);
        for v in live.at.values_mut() {
            if *v > i {
                *v -= 1;
            }
        }
        d
    }

    /// Give file `i` the path `to`.
    pub(super) fn rename(&mut self, i: usize, to: String) {
        let seed = self.header.params.seed;
        let mut d = std::mem::replace(&mut self.docs[i], empty());
        let live = self.live();
        live.index(seed, &d, false);
        live.at.remove(&d.rec.path);
        d.rec.path = to;
        live.index(seed, &d, true);
        live.at.insert(d.rec.path.clone(), i);
        self.docs[i] = d;
    }
}

pub(super) fn empty() -> Doc {
    Doc {
        rec: crate::manifest::FileRecord {
            path: String::new(),
            bytes: 0,
            blake3: String::new(),
            title: String::new(),
            id: None,
            bid: None,
            bref: None,
            front_matter: None,
            network: false,
            collides_with: None,
            aliases: Vec::new(),
            tags: Vec::new(),
            blocks: Default::default(),
            headings: 0,
            links: 0,
            url: None,
        },
        headings: Vec::new(),
        links: Vec::new(),
        bytes: Vec::new(),
    }
}

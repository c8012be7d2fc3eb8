//! The targets of a corpus that changes: files added, removed and
//! re-indexed one at a time, answering every lookup exactly as the
//! [`Index`](super::index::Index) built from a manifest does. Edits
//! (`revise`) keep one across steps, so that resolving the references a
//! step may have moved costs what the step changed, not the corpus.

use super::index::h64;
use super::resolve::{resolve_with, Scratch, Target};
use super::targets::{obsidian_pick, Targets};
use super::Landing;
use crate::dialect::Dialect;
use crate::manifest::FileRecord;
use crate::record::{HeadingRecord, LinkRecord};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One file's lookups.
#[derive(Debug, Default, Clone)]
struct Entry {
    path: String,
    title: String,
    id: Option<String>,
    bref: Option<String>,
    aliases: Vec<String>,
    anchors: HashSet<u64>,
    /// Obsidian: (hash of heading text, hash of its id), sorted.
    texts: BTreeSet<(u64, u64)>,
    blocks: HashSet<u64>,
}

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct LiveTargets {
    dialect: Dialect,
    entries: Vec<Option<Entry>>,
    files: HashMap<String, u32>,
    /// Owners of each title, id and alias, by path (the first in path
    /// order owns it).
    titles: HashMap<String, BTreeMap<String, u32>>,
    ids: HashMap<String, BTreeMap<String, u32>>,
    aliases: HashMap<String, BTreeMap<String, u32>>,
    brefs: HashMap<String, u32>,
    /// Obsidian: file names without `.md`, to the files of that name.
    names: HashMap<String, BTreeSet<u32>>,
    assets: HashSet<String>,
    asset_names: HashMap<String, Vec<String>>,
}

fn owner(map: &HashMap<String, BTreeMap<String, u32>>, key: &str) -> Option<u32> {
    map.get(key).and_then(|m| m.values().next().copied())
}

fn own(map: &mut HashMap<String, BTreeMap<String, u32>>, key: &str, path: &str, f: u32) {
    map.entry(key.to_string())
        .or_default()
        .insert(path.to_string(), f);
}

fn disown(map: &mut HashMap<String, BTreeMap<String, u32>>, key: &str, path: &str) {
    if let Some(m) = map.get_mut(key) {
        m.remove(path);
        if m.is_empty() {
            map.remove(key);
        }
    }
}

fn stem(path: &str) -> &str {
    let s = path.strip_suffix(".md").unwrap_or(path);
    s.rsplit('/').next().unwrap_or(s)
}

impl LiveTargets {
    /// No files yet.
    pub fn new(dialect: Dialect) -> LiveTargets {
        LiveTargets {
            dialect,
            entries: Vec::new(),
            files: HashMap::new(),
            titles: HashMap::new(),
            ids: HashMap::new(),
            aliases: HashMap::new(),
            brefs: HashMap::new(),
            names: HashMap::new(),
            assets: HashSet::new(),
            asset_names: HashMap::new(),
        }
    }

    /// Add the file of `rec` with its heading records (replacing one at
    /// the same path).
    pub fn add(&mut self, rec: &FileRecord, headings: &[HeadingRecord]) {
        self.remove(&rec.path);
        let f = self.entries.len() as u32;
        let obsidian = self.dialect == Dialect::Obsidian;
        let mut e = Entry {
            path: rec.path.clone(),
            title: rec.title.clone(),
            id: rec.id.clone(),
            bref: rec.bref.clone(),
            aliases: if obsidian {
                rec.aliases.clone()
            } else {
                Vec::new()
            },
            ..Entry::default()
        };
        let mut sections = false;
        for h in headings {
            // An H1 before any section folds into the document.
            if h.level > 1 || sections {
                sections = true;
                let id = h64(&h.id);
                e.anchors.insert(id);
                if obsidian {
                    e.texts.insert((h64(&h.text), id));
                    if let Some(b) = &h.block {
                        e.blocks.insert(h64(&format!("^{b}")));
                    }
                }
            }
        }
        self.files.insert(e.path.clone(), f);
        own(&mut self.titles, &e.title, &e.path, f);
        if let Some(id) = &e.id {
            own(&mut self.ids, id, &e.path, f);
        }
        for a in &e.aliases {
            own(&mut self.aliases, a, &e.path, f);
        }
        if let Some(b) = &e.bref {
            self.brefs.insert(b.clone(), f);
        }
        if obsidian {
            self.names
                .entry(stem(&e.path).to_string())
                .or_default()
                .insert(f);
        }
        self.entries.push(Some(e));
    }

    /// Remove the file at `path`, if there is one.
    pub fn remove(&mut self, path: &str) {
        let Some(f) = self.files.remove(path) else {
            return;
        };
        let e = self.entries[f as usize].take().expect("a live entry");
        disown(&mut self.titles, &e.title, path);
        if let Some(id) = &e.id {
            disown(&mut self.ids, id, path);
        }
        for a in &e.aliases {
            disown(&mut self.aliases, a, path);
        }
        if let Some(b) = &e.bref {
            if self.brefs.get(b) == Some(&f) {
                self.brefs.remove(b);
            }
        }
        if let Some(s) = self.names.get_mut(stem(path)) {
            s.remove(&f);
            if s.is_empty() {
                self.names.remove(stem(path));
            }
        }
    }

    /// Add an asset at `path`.
    pub fn add_asset(&mut self, path: &str) {
        if self.dialect == Dialect::Obsidian {
            let name = path.rsplit('/').next().unwrap_or(path);
            self.asset_names
                .entry(name.to_string())
                .or_default()
                .push(path.to_string());
        }
        self.assets.insert(path.to_string());
    }

    /// Where `l`, written in the file at `src`, lands.
    pub fn lands(&self, src: &str, l: &LinkRecord) -> Landing {
        if l.external {
            return Landing::Outside;
        }
        match resolve_with(self, src, l.kind, &l.dest, &mut Scratch::default()) {
            None => Landing::Nowhere,
            Some((Target::File(f), anchor)) => Landing::File(self.path(f), anchor),
            Some((Target::Asset(a), _)) => Landing::Asset(a),
        }
    }

    fn entry(&self, f: u32) -> &Entry {
        self.entries[f as usize].as_ref().expect("a live file")
    }
}

impl Targets for LiveTargets {
    fn dialect(&self) -> Dialect {
        self.dialect
    }

    fn file(&self, path: &str) -> Option<u32> {
        self.files.get(path).copied()
    }

    fn is_file_at(&self, f: u32, path: &str) -> bool {
        self.entries
            .get(f as usize)
            .and_then(Option::as_ref)
            .is_some_and(|e| e.path == path)
    }

    fn path(&self, f: u32) -> String {
        self.entry(f).path.clone()
    }

    fn is_asset(&self, path: &str) -> bool {
        self.assets.contains(path)
    }

    fn titled(&self, title: &str) -> Option<u32> {
        owner(&self.titles, title)
    }

    fn with_id(&self, id: &str) -> Option<u32> {
        owner(&self.ids, id)
    }

    fn with_bref(&self, bref: &str) -> Option<u32> {
        self.brefs.get(bref).copied()
    }

    fn named(&self, name: &str, dir: &str) -> Option<u32> {
        let files = self.names.get(name)?;
        if files.len() == 1 {
            return files.iter().next().copied();
        }
        let owned: Vec<String> = files.iter().map(|&f| self.path(f)).collect();
        let paths: Vec<&str> = owned.iter().map(String::as_str).collect();
        let p = obsidian_pick(&paths, &format!("{name}.md"), dir)?;
        self.file(p)
    }

    fn aliased(&self, alias: &str) -> Option<u32> {
        owner(&self.aliases, alias)
    }

    fn asset_named(&self, name: &str, dir: &str) -> Option<String> {
        let assets = self.asset_names.get(name)?;
        let paths: Vec<&str> = assets.iter().map(String::as_str).collect();
        obsidian_pick(&paths, name, dir).map(str::to_string)
    }

    fn has_anchor(&self, f: u32, anchor: &str) -> bool {
        self.entry(f).anchors.contains(&h64(anchor))
    }

    fn has_block(&self, f: u32, block: &str) -> bool {
        self.entry(f).blocks.contains(&h64(block))
    }

    fn heading_id(&self, f: u32, text: &str) -> Option<u64> {
        let h = h64(text);
        self.entry(f)
            .texts
            .range((h, 0)..)
            .next()
            .filter(|&&(x, _)| x == h)
            .map(|&(_, id)| id)
    }
}

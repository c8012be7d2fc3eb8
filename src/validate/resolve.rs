//! Resolving references the way the corpus's dialect does (noet, Obsidian
//! or GitHub), against an index of every target in the corpus (paths,
//! titles, ids, brefs, file names, section ids and texts, block ids,
//! assets).

use super::Problem;
use crate::dialect::Dialect;
use crate::links::{join_path, LinkKind, LinkRecord};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What `resolve` needs to know about the corpus, from the manifest. Keys
/// are kept as 64-bit hashes (titles, ids, brefs, anchors) so that a corpus
/// of millions of headings fits in a few tens of MB; a hash hit is always
/// confirmed against the stored path for file paths; a title, id or bref
/// hash collision (odds about 1e-7 for a million keys) could go unnoticed.
#[derive(Default)]
pub(super) struct Index {
    pub(super) dialect: Dialect,
    pub(super) paths: Vec<String>,
    pub(super) files: HashMap<u64, u32>,
    pub(super) assets: HashSet<String>,
    pub(super) titles: HashMap<u64, u32>,
    pub(super) ids: HashMap<u64, u32>,
    pub(super) brefs: HashMap<u64, u32>,
    pub(super) anchors: Vec<Vec<u64>>,
    /// Obsidian: file names without `.md`, to every file of that name.
    names: HashMap<u64, Vec<u32>>,
    /// Obsidian: asset file names, to every asset of that name.
    asset_names: HashMap<u64, Vec<String>>,
    /// Obsidian: per file, (hash of heading text, hash of its id), sorted.
    texts: Vec<Vec<(u64, u64)>>,
    /// Obsidian: per file, hashes of `^blockid`, sorted.
    blocks: Vec<Vec<u64>>,
    pub(super) header_files: Option<u64>,
    pub(super) header_assets: Option<u64>,
}

/// Which of `paths` (all with file name `name`) Obsidian opens for a bare
/// name written in folder `dir`: the one at the vault root, else the one
/// in `dir`, else the shortest (then the first in byte order).
fn obsidian_pick<'a>(paths: &[&'a str], name: &str, dir: &str) -> Option<&'a str> {
    let in_dir = if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    };
    paths
        .iter()
        .find(|p| **p == name)
        .or_else(|| paths.iter().find(|p| **p == in_dir))
        .or_else(|| paths.iter().min_by_key(|p| (p.len(), **p)))
        .copied()
}

/// Record `file` as the owner of title or id `key` in `map`, unless a file
/// earlier in path order owns it already (noet: the first keeps the id).
pub(super) fn add_owner(paths: &[String], map: &mut HashMap<u64, u32>, key: &str, file: u32) {
    match map.get_mut(&h64(key)) {
        Some(p) if paths[file as usize] < paths[*p as usize] => *p = file,
        Some(_) => {}
        None => {
            map.insert(h64(key), file);
        }
    }
}

/// A section's lookup keys: hashes of its id, its text and `^block`.
type SectionKeys = (u64, u64, Option<u64>);

fn section_keys(id: &str, text: &str, block: Option<&str>) -> SectionKeys {
    (h64(id), h64(text), block.map(|b| h64(&format!("^{b}"))))
}

/// FNV-1a: a fixed, fast 64-bit hash (the index never reaches the output).
pub(super) fn h64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Index {
    pub(super) fn file(&self, path: &str) -> Option<u32> {
        self.files
            .get(&h64(path))
            .copied()
            .filter(|&i| self.paths[i as usize] == path)
    }

    fn path(&self, i: u32) -> String {
        self.paths[i as usize].clone()
    }

    fn obsidian(&self) -> bool {
        self.dialect == Dialect::Obsidian
    }

    /// Add a section of file `file` (an H1 that folds into the document is
    /// not one).
    pub(super) fn add_heading(&mut self, file: u32, id: &str, text: &str, block: Option<&str>) {
        self.add_section(file, section_keys(id, text, block));
    }

    /// [`Index::add_heading`] with the keys already hashed.
    fn add_section(&mut self, file: u32, (id, text, block): SectionKeys) {
        let f = file as usize;
        self.anchors[f].push(id);
        if self.obsidian() {
            self.texts[f].push((text, id));
            if let Some(b) = block {
                self.blocks[f].push(b);
            }
        }
    }

    /// Add an asset file.
    pub(super) fn add_asset(&mut self, path: String) {
        if self.obsidian() {
            let name = path.rsplit('/').next().unwrap_or(&path);
            self.asset_names
                .entry(h64(name))
                .or_default()
                .push(path.clone());
        }
        self.assets.insert(path);
    }

    /// Sort for lookups once every file is in.
    pub(super) fn finish(&mut self) {
        for a in self.anchors.iter_mut().chain(&mut self.blocks) {
            a.sort_unstable();
            a.shrink_to_fit();
        }
        for t in &mut self.texts {
            t.sort_unstable();
            t.shrink_to_fit();
        }
    }

    /// Obsidian's `[[Page#Heading]]`, `[[Page#^block]]`, `![[Page]]`,
    /// `![[image.png]]`. A page with a `/` is a vault path. A bare name is
    /// looked up as Obsidian does: the file at that vault path (the root)
    /// first, then one of that name in the source's folder, then the one
    /// with the shortest path. A fragment is a heading's text or a block id.
    fn obsidian_link(&self, src: &str, dest: &str) -> Option<(String, Option<u64>)> {
        let (page, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let dir = src.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let file = if page.is_empty() {
            self.file(src)
        } else if page.contains('/') {
            self.file(&format!("{page}.md"))
        } else {
            match self.names.get(&h64(page)) {
                Some(files) => {
                    let paths: Vec<&str> = files
                        .iter()
                        .map(|&f| self.paths[f as usize].as_str())
                        .collect();
                    let p = obsidian_pick(&paths, &format!("{page}.md"), dir)?;
                    self.file(p)
                }
                None if frag.is_none() => {
                    let assets = self.asset_names.get(&h64(page))?;
                    let paths: Vec<&str> = assets.iter().map(String::as_str).collect();
                    let p = obsidian_pick(&paths, page, dir)?;
                    return Some((p.to_string(), None));
                }
                None => None,
            }
        }?;
        let anchor = match frag {
            None => None,
            Some(b) if b.starts_with('^') => {
                let h = h64(b);
                self.blocks[file as usize].binary_search(&h).ok()?;
                Some(h)
            }
            Some(text) => {
                let t = &self.texts[file as usize];
                let k = t.partition_point(|&(x, _)| x < h64(text));
                let &(x, id) = t.get(k)?;
                (x == h64(text)).then_some(id)?;
                Some(id)
            }
        };
        Some((self.path(file), anchor))
    }

    /// Add a file; returns its number.
    pub(super) fn add_file(
        &mut self,
        path: String,
        title: &str,
        id: Option<&str>,
        bref: Option<&str>,
    ) -> u32 {
        let i = self.paths.len() as u32;
        self.files.insert(h64(&path), i);
        if self.obsidian() {
            let stem = path.strip_suffix(".md").unwrap_or(&path);
            let name = stem.rsplit('/').next().unwrap_or(stem);
            self.names.entry(h64(name)).or_default().push(i);
            self.texts.push(Vec::new());
            self.blocks.push(Vec::new());
        }
        self.paths.push(path);
        self.anchors.push(Vec::new());
        add_owner(&self.paths, &mut self.titles, title, i);
        if let Some(id) = id {
            add_owner(&self.paths, &mut self.ids, id, i);
        }
        if let Some(b) = bref {
            self.brefs.insert(h64(b), i);
        }
        i
    }

    fn has_anchor(&self, file: u32, anchor: &str) -> bool {
        self.anchors[file as usize]
            .binary_search(&h64(anchor))
            .is_ok()
    }
}

/// Every reference target of a corpus (titles, ids, brefs, paths, section
/// ids, assets), built from the plan before generation, so that each file's
/// references are resolved right after it is rendered, in parallel, instead
/// of reading the manifest back.
pub struct LinkIndex(Index);

impl LinkIndex {
    /// The targets of every file of `plan` (all shards included).
    pub fn from_plan(plan: &crate::plan::Plan, jobs: usize) -> LinkIndex {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build()
            .expect("thread pool");
        let mut index = Index {
            dialect: plan.dialect(),
            ..Index::default()
        };
        let chunk = 4096u64;
        let mut start = 0;
        while start < plan.files {
            let end = (start + chunk).min(plan.files);
            let metas: Vec<_> = pool.install(|| {
                (start..end)
                    .into_par_iter()
                    .map(|i| {
                        let m = plan.file(i);
                        // Hashed at once: a chunk's heading texts would
                        // take megabytes.
                        let sections: Vec<SectionKeys> = plan
                            .headings(i, m.headings)
                            .iter()
                            .map(|h| section_keys(&h.id, &h.text, h.block.as_deref()))
                            .collect();
                        let bref = m.bid.as_deref().map(crate::links::bref);
                        (m, bref, sections)
                    })
                    .collect()
            });
            for (m, bref, sections) in metas {
                let i = index.add_file(m.path, &m.title, m.id.as_deref(), bref.as_deref());
                for keys in sections {
                    index.add_section(i, keys);
                }
            }
            start = end;
        }
        for k in 0..plan.assets {
            index.add_asset(plan.asset_path(k));
        }
        index.finish();
        LinkIndex(index)
    }

    /// Resolve each of `links` (in the file at `src`) independently and
    /// record a problem where it lands elsewhere than its ground truth.
    pub fn check(&self, src: &str, links: &[LinkRecord], out: &mut Vec<Problem>) {
        for l in links {
            resolve_check(&self.0, src, l, out);
        }
    }
}

/// Resolve `dest` as written in `src` the way the dialect does,
/// independently of how it was generated: `Some((path, hash of the anchor))`,
/// or `None` if it cannot.
fn resolve(index: &Index, src: &str, kind: LinkKind, dest: &str) -> Option<(String, Option<u64>)> {
    use LinkKind::*;
    let wiki = matches!(
        kind,
        Wikilink | WikilinkAlias | WikilinkHeading | WikilinkBlock | Embed
    );
    if index.obsidian() && wiki {
        return index.obsidian_link(src, dest);
    }
    match kind {
        // GitHub has no wikilinks or ids: nothing resolves them.
        Wikilink | WikilinkAlias | Id | Bref if index.dialect == Dialect::Gfm => None,
        WikilinkHeading | WikilinkBlock | Embed => None,
        LinkKind::Wikilink | LinkKind::WikilinkAlias => index
            .titles
            .get(&h64(dest))
            .or_else(|| index.ids.get(&h64(dest)))
            .map(|&p| (index.path(p), None)),
        LinkKind::Id | LinkKind::BareWord if index.dialect == Dialect::Noet => {
            let id = dest.strip_prefix("id:").or(if kind == LinkKind::BareWord {
                Some(dest)
            } else {
                None
            })?;
            index.ids.get(&h64(id)).map(|&p| (index.path(p), None))
        }
        LinkKind::Bref => index
            .brefs
            .get(&h64(dest.strip_prefix("bref://")?))
            .map(|&p| (index.path(p), None)),
        LinkKind::External | LinkKind::Autolink => None,
        _ => {
            let (path, anchor) = match dest.split_once('#') {
                Some((p, a)) => (p, Some(a.to_string())),
                None => (dest, None),
            };
            // Obsidian reads a path without `./` or `../` as a vault path
            // first, and only then relative to the source.
            let vault = (index.obsidian()
                && !path.starts_with("./")
                && !path.starts_with("../")
                && !path.starts_with('/'))
            .then(|| join_path("", path))
            .flatten()
            .filter(|p| index.file(p).is_some() || index.assets.contains(p));
            let target = if let Some(v) = vault {
                v
            } else if path.is_empty() {
                src.to_string()
            } else {
                let base = src.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                let mut joined = join_path(base, path)?;
                if path.ends_with('/') {
                    joined = if joined.is_empty() {
                        "index.md".into()
                    } else {
                        format!("{joined}/index.md")
                    };
                }
                joined
            };
            let file = index.file(&target);
            if file.is_none() && !index.assets.contains(&target) {
                return None;
            }
            if let Some(a) = &anchor {
                if !file.is_some_and(|f| index.has_anchor(f, a)) {
                    return None;
                }
            }
            Some((target, anchor.map(|a| h64(&a))))
        }
    }
}

pub(super) fn resolve_check(index: &Index, src: &str, l: &LinkRecord, out: &mut Vec<Problem>) {
    let mut problem = |expected: String, found: String| {
        out.push(Problem {
            path: src.to_string(),
            line: l.line,
            what: format!("{} link `{}`", l.kind.name(), l.dest),
            expected,
            found,
        });
    };
    let is_url = l.dest.starts_with("https://")
        || l.dest.starts_with("http://")
        || l.dest.starts_with("mailto:");
    if l.external {
        if !is_url {
            problem("an external URL".into(), l.dest.clone());
        }
        return;
    }
    let got = resolve(index, src, l.kind, &l.dest);
    // Anchors are compared as hashes; a found one is shown by name when it
    // is the expected one.
    let show = |r: &Option<(String, Option<u64>)>| match r {
        Some((p, Some(a))) => match &l.anchor {
            Some(want) if h64(want) == *a => format!("{p}#{want}"),
            _ => format!("{p}#(another section)"),
        },
        Some((p, None)) => p.clone(),
        None => "unresolved".into(),
    };
    if let Some(why) = &l.broken {
        if got.is_some() {
            problem(format!("broken ({why})"), show(&got));
        }
        return;
    }
    let want = l.target.clone().map(|t| (t, l.anchor.as_deref().map(h64)));
    if want.is_none() || got != want {
        problem(show(&want), show(&got));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> Index {
        let mut ix = Index {
            dialect: Dialect::Obsidian,
            ..Index::default()
        };
        for path in [
            "a/x.md",
            "b/x.md",
            "c/y.md",
            "index.md",
            "c/index.md",
            "d/index.md",
            "d/e/z.md",
            "f/z.md",
        ] {
            ix.add_file(path.into(), "Title", None, None);
        }
        let y = ix.file("c/y.md").unwrap();
        ix.add_heading(y, "setup-guide", "Setup guide", Some("ab120"));
        ix.add_asset("assets/logo-3.png".into());
        ix.finish();
        ix
    }

    #[test]
    fn obsidian_resolves_names_as_obsidian_does() {
        let ix = vault();
        let r = |src: &str, dest: &str| resolve(&ix, src, LinkKind::Wikilink, dest).map(|r| r.0);
        assert_eq!(r("a/x.md", "y").as_deref(), Some("c/y.md"), "a unique name");
        assert_eq!(
            r("b/x.md", "x").as_deref(),
            Some("b/x.md"),
            "the source's folder first"
        );
        assert_eq!(
            r("c/y.md", "index").as_deref(),
            Some("index.md"),
            "the vault root first"
        );
        assert_eq!(
            r("c/y.md", "z").as_deref(),
            Some("f/z.md"),
            "then the shortest path"
        );
        assert_eq!(r("a/x.md", "d/index").as_deref(), Some("d/index.md"));
        assert_eq!(
            r("a/x.md", "logo-3.png").as_deref(),
            Some("assets/logo-3.png")
        );
        assert_eq!(r("a/x.md", "w"), None);
    }

    #[test]
    fn obsidian_reads_bare_paths_as_vault_paths_first() {
        let ix = vault();
        let r = |dest: &str| resolve(&ix, "c/y.md", LinkKind::Relative, dest).map(|r| r.0);
        assert_eq!(r("index.md").as_deref(), Some("index.md"), "not c/index.md");
        assert_eq!(r("./index.md").as_deref(), Some("c/index.md"));
        assert_eq!(r("../d/index.md").as_deref(), Some("d/index.md"));
    }

    #[test]
    fn obsidian_resolves_headings_by_text_and_blocks_by_id() {
        let ix = vault();
        let r = |dest: &str| resolve(&ix, "a/x.md", LinkKind::WikilinkHeading, dest);
        assert_eq!(
            r("y#Setup guide"),
            Some(("c/y.md".into(), Some(h64("setup-guide"))))
        );
        assert_eq!(r("y#setup-guide"), None, "a slug is not a heading text");
        assert_eq!(r("y#^ab120"), Some(("c/y.md".into(), Some(h64("^ab120")))));
        assert_eq!(r("y#^ab121"), None);
    }

    #[test]
    fn gfm_resolves_no_wikilinks() {
        let mut ix = vault();
        ix.dialect = Dialect::Gfm;
        assert_eq!(resolve(&ix, "a/x.md", LinkKind::Wikilink, "Title"), None);
        assert!(resolve(&ix, "a/x.md", LinkKind::Relative, "../c/y.md").is_some());
    }

    #[test]
    fn join_path_folds_dots() {
        assert_eq!(join_path("a/b", "../c/d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(join_path("a", "./x.md").as_deref(), Some("a/x.md"));
        assert_eq!(join_path("", "../x.md"), None);
    }
}

//! Resolving references the way noet does, against an index of every
//! target in the corpus (paths, titles, ids, brefs, section ids, assets).

use super::Problem;
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
    pub(super) paths: Vec<String>,
    pub(super) files: HashMap<u64, u32>,
    pub(super) assets: HashSet<String>,
    pub(super) titles: HashMap<u64, u32>,
    pub(super) ids: HashMap<u64, u32>,
    pub(super) brefs: HashMap<u64, u32>,
    pub(super) anchors: Vec<Vec<u64>>,
    pub(super) header_files: Option<u64>,
    pub(super) header_assets: Option<u64>,
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
        let mut index = Index::default();
        let chunk = 4096u64;
        let mut start = 0;
        while start < plan.files {
            let end = (start + chunk).min(plan.files);
            let metas: Vec<_> = pool.install(|| {
                (start..end)
                    .into_par_iter()
                    .map(|i| {
                        let m = plan.file(i);
                        let anchors: Vec<u64> = (0..m.headings)
                            .map(|k| h64(&plan.heading(i, k).id))
                            .collect();
                        let bref = m.bid.as_deref().map(crate::links::bref);
                        (m, bref, anchors)
                    })
                    .collect()
            });
            for (m, bref, mut anchors) in metas {
                let i = index.add_file(m.path, &m.title, m.id.as_deref(), bref.as_deref());
                anchors.sort_unstable();
                index.anchors[i as usize] = anchors;
            }
            start = end;
        }
        for k in 0..plan.assets {
            index.assets.insert(plan.asset_path(k));
        }
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

/// Resolve `dest` as written in `src` the way noet does, independently of
/// how it was generated: `Some((path, anchor))`, or `None` if it cannot.
fn resolve(
    index: &Index,
    src: &str,
    kind: LinkKind,
    dest: &str,
) -> Option<(String, Option<String>)> {
    match kind {
        LinkKind::Wikilink | LinkKind::WikilinkAlias => index
            .titles
            .get(&h64(dest))
            .or_else(|| index.ids.get(&h64(dest)))
            .map(|&p| (index.path(p), None)),
        LinkKind::Id | LinkKind::BareWord => {
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
            let target = if path.is_empty() {
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
            Some((target, anchor))
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
    let show = |r: &Option<(String, Option<String>)>| match r {
        Some((p, Some(a))) => format!("{p}#{a}"),
        Some((p, None)) => p.clone(),
        None => "unresolved".into(),
    };
    if let Some(why) = &l.broken {
        if got.is_some() {
            problem(format!("broken ({why})"), show(&got));
        }
        return;
    }
    let want = l.target.clone().map(|t| (t, l.anchor.clone()));
    if want.is_none() || got != want {
        problem(show(&want), show(&got));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_path_folds_dots() {
        assert_eq!(join_path("a/b", "../c/d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(join_path("a", "./x.md").as_deref(), Some("a/x.md"));
        assert_eq!(join_path("", "../x.md"), None);
    }
}

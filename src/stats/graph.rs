//! Link destinations and their resolution to the tree's files: the
//! graph figures.

use super::hist::{q_sorted, ratio};
use super::measure::FileMeasure;
use super::GraphStats;
use crate::links::join_path;
use std::collections::{HashMap, HashSet};

/// Where a reference points, before the whole tree is known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Dest {
    /// A file path relative to the root (normalised), with candidates tried
    /// in order.
    Paths(Vec<String>),
    /// A wikilink title.
    Title(String),
    /// An `id:`.
    Id(String),
    /// A `bref://`.
    Bref(String),
    /// Outside the tree (a `..` above the root).
    Outside,
}

pub(super) fn has_scheme(d: &str) -> bool {
    let mut chars = d.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    for c in chars {
        if c == ':' {
            return true;
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')) {
            return false;
        }
    }
    false
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The candidate files a path destination may mean, most likely first.
fn path_dest(src_dir: &str, dest: &str) -> Option<Dest> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return None; // same file
    }
    let path = percent_decode(path);
    let Some(joined) = join_path(src_dir, &path) else {
        return Some(Dest::Outside);
    };
    let dir_like = path.ends_with('/') || path == "." || path == "..";
    let mut c = Vec::new();
    if !dir_like && !joined.is_empty() {
        c.push(joined.clone());
        if let Some(stem) = joined.strip_suffix(".html") {
            c.push(format!("{stem}.md"));
        }
        if !joined.rsplit('/').next().unwrap_or("").contains('.') {
            c.push(format!("{joined}.md"));
        }
    }
    for index in ["index.md", "README.md", "_index.md"] {
        c.push(if joined.is_empty() {
            index.to_string()
        } else {
            format!("{joined}/{index}")
        });
    }
    Some(Dest::Paths(c))
}

/// Normalised wikilink / title key.
pub(super) fn title_key(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_suffix(".md").unwrap_or(s);
    let s = s.rsplit('/').next().unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = if c == '_' || c == '-' || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// The internal destination of a link, if it points into the tree.
pub(super) fn internal_dest(src_dir: &str, dest: &str) -> Option<Dest> {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    if lower.starts_with("id:") {
        return Some(Dest::Id(dest[3..].to_string()));
    }
    if lower.starts_with("bref://") {
        return Some(Dest::Bref(dest[7..].to_ascii_lowercase()));
    }
    if has_scheme(dest) || dest.starts_with("//") {
        return None;
    }
    path_dest(src_dir, dest)
}

pub(super) fn graph(paths: &[String], others: &HashSet<String>, ms: &[FileMeasure]) -> GraphStats {
    let index: HashMap<&str, u32> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i as u32))
        .collect();
    // Titles (front matter title, first H1, file stem), ids and brefs; the
    // first file in path order wins.
    let mut titles: HashMap<String, u32> = HashMap::new();
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut brefs: HashMap<String, u32> = HashMap::new();
    for (i, (p, m)) in paths.iter().zip(ms).enumerate() {
        let i = i as u32;
        for t in [m.title.as_deref(), m.h1.as_deref(), Some(p.as_str())]
            .into_iter()
            .flatten()
        {
            titles.entry(title_key(t)).or_insert(i);
        }
        if let Some(id) = &m.fm_id {
            ids.entry(id.as_str()).or_insert(i);
        }
        if let Some(bid) = &m.fm_bid {
            brefs.entry(crate::links::bref(bid)).or_insert(i);
        }
    }
    let n = paths.len();
    let mut g = GraphStats::default();
    let mut inbound_links = vec![0u64; n];
    let mut in_sources: Vec<u32> = vec![0; n];
    let mut out_degree: Vec<f64> = Vec::with_capacity(n);
    let mut out_targets: Vec<Vec<u32>> = Vec::with_capacity(n);
    for (src, m) in ms.iter().enumerate() {
        let mut targets: Vec<u32> = Vec::new();
        for d in &m.dests {
            g.internal += 1;
            let t = match d {
                Dest::Paths(c) => {
                    let hit = c.iter().find_map(|p| index.get(p.as_str()).copied());
                    if hit.is_none() && c.iter().any(|p| others.contains(p)) {
                        g.non_markdown += 1;
                        continue;
                    }
                    hit
                }
                Dest::Title(t) => titles.get(t).copied(),
                Dest::Id(id) => ids.get(id.as_str()).copied(),
                Dest::Bref(b) => brefs.get(b).copied(),
                Dest::Outside => None,
            };
            match t {
                Some(t) => {
                    g.resolved += 1;
                    if t as usize != src {
                        inbound_links[t as usize] += 1;
                        targets.push(t);
                    }
                }
                None => g.unresolved += 1,
            }
        }
        targets.sort_unstable();
        targets.dedup();
        for &t in &targets {
            in_sources[t as usize] += 1;
        }
        g.edges += targets.len() as u64;
        out_degree.push(targets.len() as f64);
        out_targets.push(targets);
    }
    let nav_min = (n as u64).div_ceil(2).max(10) as usize;
    let mut linked_without_nav = vec![false; n];
    for t in &out_targets {
        if t.len() >= nav_min {
            g.navigation_pages += 1;
        } else {
            for &x in t {
                linked_without_nav[x as usize] = true;
            }
        }
    }
    g.no_inbound_share_without_nav = ratio(
        linked_without_nav.iter().filter(|&&b| !b).count() as f64,
        n as f64,
    );
    g.resolved_share = ratio(g.resolved as f64, g.internal as f64);
    g.targets = in_sources.iter().filter(|&&c| c > 0).count() as u64;
    g.in_degree_max = in_sources.iter().copied().max().unwrap_or(0) as u64;
    let mut inbound = inbound_links.clone();
    inbound.sort_unstable_by(|a, b| b.cmp(a));
    let all: u64 = inbound.iter().sum();
    g.top10_share = ratio(inbound.iter().take(10).sum::<u64>() as f64, all as f64);
    g.no_inbound_share = ratio((n as u64 - g.targets) as f64, n as f64);
    g.out_degree_mean = ratio(out_degree.iter().sum::<f64>(), n as f64);
    out_degree.sort_by(f64::total_cmp);
    g.out_degree_median = q_sorted(&out_degree, 0.5);
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_like_a_browser() {
        assert_eq!(join_path("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join_path("a/b", "/c.md").as_deref(), Some("c.md"));
        assert_eq!(join_path("", "../c.md"), None);
        let Some(Dest::Paths(c)) = path_dest("a", "x.html#frag") else {
            panic!()
        };
        assert_eq!(c[..2], ["a/x.html".to_string(), "a/x.md".to_string()]);
        let Some(Dest::Paths(c)) = path_dest("a", "sub%20dir/") else {
            panic!()
        };
        assert_eq!(c[0], "a/sub dir/index.md");
        assert_eq!(path_dest("a", "#only"), None);
        assert_eq!(title_key("Some_Page-name.md"), "some page name");
    }
}

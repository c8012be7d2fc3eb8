//! The resolution of link destinations to the tree's files: the graph
//! figures.

use super::dest::{title_key, Dest};
use super::hist::{q_sorted, ratio};
use super::measure::FileMeasure;
use super::GraphStats;
use std::collections::{HashMap, HashSet};

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
            brefs.entry(crate::record::bref(bid)).or_insert(i);
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

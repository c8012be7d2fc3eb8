//! The manifest of a candidate, re-derived from its bytes, and writing a
//! candidate to disk.

use super::tester::{hold, release};
use super::{io, Input, ReduceError, State};
use crate::dialect::Dialect;
use crate::manifest::{self, EndRecord, Record};
use crate::record::{LinkEvent, LinkKind, LinkRecord};
use crate::validate::{self, Parsed};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A candidate's manifest and what went into it.
pub(super) struct Derived {
    pub(super) manifest: Vec<u8>,
    pub(super) end: EndRecord,
    /// Indices of the assets kept.
    pub(super) assets: Vec<usize>,
    pub(super) now_broken: u64,
}

/// Why a link that resolved in the input does not in the reduced corpus.
const TARGET_REMOVED: &str = "target removed by reduce";
/// Why a link whose section is gone does not resolve.
const ANCHOR_REMOVED: &str = "anchor removed by reduce";
/// A link that reduce's line edits made (a reference whose definition went
/// is a link to its label in noet): not in the input's ground truth.
const MADE_BY_REDUCE: &str = "made by reduce's line edits: not in the input's ground truth";

/// Re-derive the manifest of `state`: file records recounted from the
/// bytes, headings and links parsed as the validator parses, each link
/// keeping the input's resolution while its target (and anchor) remains,
/// else marked broken.
pub(super) fn derive(input: &Input, state: &State) -> Derived {
    let dialect: Dialect = input.header.params.profile.dialect;
    let parsed: Vec<Option<Parsed>> = state
        .par_iter()
        .map(|s| {
            s.as_ref()
                .map(|b| validate::parse_as(&String::from_utf8_lossy(b), dialect))
        })
        .collect();
    let by_path: HashMap<&str, usize> = input
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| state[*i].is_some())
        .map(|(i, f)| (f.rec.path.as_str(), i))
        .collect();
    let asset_at: HashMap<&str, usize> = input
        .assets
        .iter()
        .enumerate()
        .map(|(i, (a, _))| (a.path.as_str(), i))
        .collect();
    let mut out = Vec::new();
    let mut end = EndRecord::default();
    let mut tree = manifest::TreeDigest::default();
    let mut kept_assets = BTreeSet::new();
    let mut now_broken = 0;
    let mut body = Vec::new();
    let mut folders = BTreeSet::new();
    folders.insert(String::new());
    for (i, f) in input.files.iter().enumerate() {
        let (Some(bytes), Some(p)) = (&state[i], &parsed[i]) else {
            continue;
        };
        let mut dir = f.rec.path.as_str();
        while let Some((d, _)) = dir.rsplit_once('/') {
            folders.insert(d.to_string());
            dir = d;
        }
        let text = String::from_utf8_lossy(bytes);
        let mut rec = f.rec.clone();
        rec.bytes = bytes.len() as u64;
        rec.blake3 = blake3::hash(bytes).to_hex().to_string();
        rec.blocks = p.blocks.clone();
        if p.blocks.front_matter == 0 && rec.front_matter.is_some() {
            // The front matter went: so did what only it said.
            rec.id = None;
            rec.bid = None;
            rec.bref = None;
            rec.front_matter = None;
            rec.aliases.clear();
        }
        // A tag is kept while its text is still there (in front matter or
        // as an inline `#tag`).
        rec.tags.retain(|t| text.contains(t.as_str()));
        if rec
            .collides_with
            .as_deref()
            .is_some_and(|c| !by_path.contains_key(c))
        {
            rec.collides_with = None;
        }
        // Headings as parsed; an Obsidian block id stays with its heading
        // while the paragraph that carries it does.
        let mut headings = p.headings.clone();
        for h in &mut headings {
            h.block = f
                .headings
                .iter()
                .find(|o| o.level == h.level && o.id == h.id)
                .and_then(|o| o.block.clone())
                .filter(|b| p.block_ids.contains(b));
        }
        // Each parsed link takes the first unused input link with the same
        // event and destination.
        let mut used = vec![false; f.links.len()];
        let mut links = Vec::with_capacity(p.links.len());
        for (line, event, dest) in &p.links {
            let found = f
                .links
                .iter()
                .enumerate()
                .position(|(k, l)| !used[k] && l.event == *event && l.dest == *dest);
            let l = match found {
                Some(k) => {
                    used[k] = true;
                    let mut l = f.links[k].clone();
                    l.line = *line;
                    if let Some(t) = l.target.clone() {
                        let why = if let Some(&a) = asset_at.get(t.as_str()) {
                            kept_assets.insert(a);
                            None
                        } else if let Some(&j) = by_path.get(t.as_str()) {
                            match &l.anchor {
                                Some(a) if !has_anchor(parsed[j].as_ref(), a) => {
                                    Some(ANCHOR_REMOVED)
                                }
                                _ => None,
                            }
                        } else {
                            Some(TARGET_REMOVED)
                        };
                        if let Some(why) = why {
                            l.target = None;
                            l.anchor = None;
                            l.broken = Some(why.into());
                            l.url = None;
                            now_broken += 1;
                        }
                    }
                    l
                }
                None => made_link(*line, *event, dest),
            };
            links.push(l);
        }
        rec.headings = headings.len() as u64;
        rec.links = links.len() as u64;
        end.files += 1;
        end.bytes += rec.bytes;
        end.headings += rec.headings;
        end.links += rec.links;
        end.broken += links.iter().filter(|l| l.broken.is_some()).count() as u64;
        tree.add(&rec.path, rec.bytes);
        manifest::write_line(&mut body, &Record::File(rec));
        for h in headings {
            manifest::write_heading(&mut body, &h);
        }
        for l in &links {
            manifest::write_link(&mut body, l);
        }
    }
    for &a in &kept_assets {
        let rec = &input.assets[a].0;
        tree.add(&rec.path, rec.bytes);
        manifest::write_line(&mut body, &Record::Asset(rec.clone()));
    }
    end.assets = kept_assets.len() as u64;
    end.tree = Some(tree.to_hex());
    let mut header = input.header.clone();
    header.files = end.files;
    header.assets = end.assets;
    header.folders = folders.len() as u64;
    manifest::write_line(&mut out, &Record::Corpus(Box::new(header)));
    out.extend_from_slice(&body);
    manifest::write_line(&mut out, &Record::End(end.clone()));
    Derived {
        manifest: manifest::encode(&out),
        end,
        assets: kept_assets.into_iter().collect(),
        now_broken,
    }
}

/// Whether `anchor` (a section id, or `^` and a block id) is in the file
/// parsed as `p`. The H1 folds into the document and is no target.
fn has_anchor(p: Option<&Parsed>, anchor: &str) -> bool {
    let Some(p) = p else { return false };
    match anchor.strip_prefix('^') {
        Some(b) => p.block_ids.iter().any(|x| x == b),
        None => p
            .headings
            .iter()
            .enumerate()
            .any(|(k, h)| h.id == anchor && !(k == 0 && h.level == 1)),
    }
}

/// The record of a link the input did not have: external if it is a URL,
/// else a negative (what reduce's edits made of it is not ground truth).
fn made_link(line: u64, event: LinkEvent, dest: &str) -> LinkRecord {
    let external = dest.starts_with("http://") || dest.starts_with("https://");
    LinkRecord {
        line,
        kind: match (external, event) {
            (true, LinkEvent::Autolink) => LinkKind::Autolink,
            (true, _) => LinkKind::External,
            _ => LinkKind::BareWord,
        },
        event,
        dest: dest.to_string(),
        target: None,
        anchor: None,
        external,
        broken: (!external).then(|| MADE_BY_REDUCE.to_string()),
        url: None,
    }
}

/// Write `state` (its files, the assets they reference, and its manifest)
/// into the new folder `dir`.
pub(super) fn write_tree(input: &Input, state: &State, dir: &Path) -> Result<Derived, ReduceError> {
    let d = derive(input, state);
    let mut made: HashSet<PathBuf> = HashSet::new();
    let mut put = |rel: &str, bytes: &[u8]| -> Result<(), ReduceError> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            if made.insert(parent.to_path_buf()) {
                std::fs::create_dir_all(parent)
                    .map_err(io(format!("cannot make {}", parent.display())))?;
            }
        }
        std::fs::write(&path, bytes).map_err(io(format!("cannot write {}", path.display())))
    };
    for (f, s) in input.files.iter().zip(state) {
        if let Some(b) = s {
            put(&f.rec.path, b)?;
        }
    }
    for &a in &d.assets {
        let (rec, bytes) = &input.assets[a];
        put(&rec.path, bytes)?;
    }
    put(
        &format!("{}/{}", manifest::DIR, manifest::FILE),
        &d.manifest,
    )?;
    Ok(d)
}

/// Write the result beside `out` and rename it into place, so that `out`
/// is never a half-written corpus.
pub(super) fn write_result(input: &Input, state: &State, out: &Path) -> Result<(), ReduceError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(format!("cannot make {}", parent.display())))?;
    let stage = tempfile::Builder::new()
        .prefix(".noet-reduce-")
        .tempdir_in(&parent)
        .map_err(io(format!("cannot make a folder in {}", parent.display())))?;
    hold(stage.path(), None);
    let dir = stage.path().join("corpus");
    let done = write_tree(input, state, &dir).and_then(|_| {
        std::fs::rename(&dir, out)
            .map_err(io(format!("cannot move the result to {}", out.display())))
    });
    release(stage.path());
    done
}

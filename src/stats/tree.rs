//! Reading a tree (or sources held in memory) and measuring every file:
//! files are parsed in parallel, a chunk at a time, in the shuffled order
//! of the growth figures, so the vocabulary is folded as files come and
//! no file's words outlive its chunk.

use super::aggregate::{aggregate, aggregate_with};
use super::measure::{measure_file, FileMeasure};
use super::text::FileWords;
use super::vocab::{shuffled_order, Vocabulary};
use super::{Stats, StatsError};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// Files parsed between two folds of the vocabulary: enough to keep every
/// core busy, few enough that their words (about a file's size each) stay
/// small next to the measures kept for every file.
const CHUNK: usize = 512;

/// One markdown source to measure: a `/`-separated path relative to the
/// root, and its bytes.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the root.
    pub path: String,
    /// The markdown.
    pub bytes: Vec<u8>,
}

fn is_markdown(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with(".md") || l.ends_with(".markdown")
}

/// Markdown files and all other files under `root`, as sorted relative
/// paths. Hidden entries and symlinked folders are skipped.
fn walk(root: &Path) -> Result<(Vec<String>, HashSet<String>), StatsError> {
    let mut md = Vec::new();
    let mut others = HashSet::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source: std::io::Error| StatsError::Io { path: p, source }
    };
    while let Some((dir, rel)) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let ft = entry.file_type().map_err(io(&entry.path()))?;
            if ft.is_dir() {
                stack.push((entry.path(), r));
            } else if ft.is_file() || (ft.is_symlink() && entry.path().is_file()) {
                if is_markdown(&name) {
                    md.push(r);
                } else {
                    others.insert(r);
                }
            }
        }
    }
    md.sort();
    Ok((md, others))
}

/// Measure the markdown tree under `root`.
pub fn stats_dir(root: &Path) -> Result<Stats, StatsError> {
    if !root.is_dir() {
        return Err(StatsError::NotADir(root.to_path_buf()));
    }
    let (paths, others) = walk(root)?;
    if paths.is_empty() {
        return Err(StatsError::Empty(root.to_path_buf()));
    }
    let mut slots: Vec<Option<FileMeasure>> = (0..paths.len()).map(|_| None).collect();
    let mut vocab = Vocabulary::default();
    // The vocabulary is folded on one thread, in order: fold each chunk
    // while the next one is parsed, so the fold hides behind the parsing.
    let mut pending: Vec<(usize, FileMeasure)> = Vec::new();
    for chunk in shuffled_order(&paths).chunks(CHUNK) {
        let (measured, ()) = rayon::join(
            || {
                chunk
                    .par_iter()
                    .map(|&i| {
                        let full = root.join(&paths[i]);
                        let bytes = std::fs::read(&full).map_err(|source| StatsError::Io {
                            path: full.clone(),
                            source,
                        })?;
                        let text = String::from_utf8_lossy(&bytes);
                        Ok((i, measure_file(&paths[i], &text)))
                    })
                    .collect::<Result<Vec<_>, StatsError>>()
            },
            || fold(&mut vocab, &mut slots, std::mem::take(&mut pending)),
        );
        pending = measured?;
    }
    fold(&mut vocab, &mut slots, pending);
    let measures: Vec<FileMeasure> = slots
        .into_iter()
        .map(|m| m.expect("every file is in one chunk"))
        .collect();
    let mut s = aggregate_with(
        &root.display().to_string(),
        &paths,
        &others,
        &measures,
        vocab.finish(),
    );
    s.images = images(root, &others);
    Ok(s)
}

/// Sizes and formats of the image files among `others`.
fn images(root: &Path, others: &HashSet<String>) -> super::ImageStats {
    const EXT: [&str; 6] = [".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"];
    let mut sizes = Vec::new();
    let mut svg = 0u64;
    for p in others {
        let l = p.to_ascii_lowercase();
        if !EXT.iter().any(|e| l.ends_with(e)) {
            continue;
        }
        // An image that cannot be read is left out: it says nothing of size.
        if let Ok(m) = std::fs::metadata(root.join(p)) {
            sizes.push(m.len() as f64);
            svg += l.ends_with(".svg") as u64;
        }
    }
    if sizes.is_empty() {
        return super::ImageStats::default();
    }
    sizes.sort_by(f64::total_cmp);
    let q = |f: f64| sizes[((sizes.len() - 1) as f64 * f).round() as usize];
    let (p50, p90) = (q(0.5), q(0.9));
    super::ImageStats {
        files: sizes.len() as u64,
        bytes_median: p50,
        bytes_sigma: if p50 > 0.0 && p90 > p50 {
            (p90 / p50).ln() / 1.2816
        } else {
            0.0
        },
        svg_share: svg as f64 / sizes.len() as f64,
    }
}

/// Fold measured files (in the shuffled order) into the vocabulary, drop
/// their words and file them at their path's place.
fn fold(
    vocab: &mut Vocabulary,
    slots: &mut [Option<FileMeasure>],
    files: Vec<(usize, FileMeasure)>,
) {
    for (i, mut m) in files {
        vocab.add(m.bytes, &m.prose.vocab);
        m.prose.vocab = FileWords::default();
        slots[i] = Some(m);
    }
}

/// Measure markdown held in memory (`others`: paths of non-markdown files
/// that links may point at).
pub fn stats_sources(root: &str, sources: &[Source], others: &HashSet<String>) -> Stats {
    let (paths, measures) = measure_sources(sources);
    aggregate(root, &paths, others, &measures)
}

/// Parse every source; returns paths and measures in path order.
pub(super) fn measure_sources(sources: &[Source]) -> (Vec<String>, Vec<FileMeasure>) {
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by(|&a, &b| sources[a].path.cmp(&sources[b].path));
    let paths: Vec<String> = order.iter().map(|&i| sources[i].path.clone()).collect();
    let measures: Vec<FileMeasure> = order
        .par_iter()
        .map(|&i| {
            let s = &sources[i];
            measure_file(&s.path, &String::from_utf8_lossy(&s.bytes))
        })
        .collect();
    (paths, measures)
}

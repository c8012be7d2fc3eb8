//! The tree's vocabulary: every file's distinct words folded in a fixed
//! shuffled order, which gives the growth figures (distinct words at
//! 0.25 MB and 1 MB read, the Heaps exponent) and the frequency figures
//! (distinct words, hapax, top words).

use super::text::{FileWords, FxMap};

/// Markdown read before the first growth checkpoint, in bytes (0.25 MB,
/// 1 MB = 1024 * 1024 bytes as everywhere in `stats`).
pub(super) const QUARTER_MB: u64 = 256 * 1024;
/// Markdown read before the second growth checkpoint, in bytes.
pub(super) const ONE_MB: u64 = 1024 * 1024;
/// The first Heaps checkpoint, in words; the next ones double it.
const HEAPS_FIRST: u64 = 1000;
/// Fewer checkpoints than this give no Heaps exponent: two points always
/// make a line, so they say nothing about its fit.
const HEAPS_MIN_POINTS: usize = 3;

/// The tree's vocabulary, folded file by file in the shuffled order.
#[derive(Debug)]
pub(super) struct Vocabulary {
    counts: FxMap<Box<[u8]>, u64>,
    words: u64,
    bytes: u64,
    at_quarter_mb: Option<u64>,
    at_one_mb: Option<u64>,
    next_checkpoint: u64,
    /// (words, distinct words) at each checkpoint.
    checkpoints: Vec<(u64, u64)>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            counts: FxMap::default(),
            words: 0,
            bytes: 0,
            at_quarter_mb: None,
            at_one_mb: None,
            next_checkpoint: HEAPS_FIRST,
            checkpoints: Vec::new(),
        }
    }
}

/// What the vocabulary gives once every file is in.
#[derive(Debug, Default)]
pub(super) struct VocabFigures {
    pub(super) distinct: u64,
    pub(super) at_quarter_mb: Option<u64>,
    pub(super) at_one_mb: Option<u64>,
    pub(super) heaps: Option<f64>,
    pub(super) checkpoints: u64,
    pub(super) hapax: u64,
    /// The ten most frequent words, most frequent first (ties by word).
    pub(super) top: Vec<(String, u64)>,
}

impl Vocabulary {
    /// Fold in the next file of the shuffled order: its markdown bytes and
    /// its words.
    pub(super) fn add(&mut self, bytes: u64, words: &FileWords) {
        for (w, c) in words.iter() {
            // Look up by slice first: most words of a file are already known,
            // and only new ones are worth an allocation.
            if let Some(n) = self.counts.get_mut(w) {
                *n += c;
            } else {
                self.counts.insert(w.into(), c);
            }
            self.words += c;
        }
        self.bytes += bytes;
        let distinct = self.counts.len() as u64;
        if self.at_quarter_mb.is_none() && self.bytes >= QUARTER_MB {
            self.at_quarter_mb = Some(distinct);
        }
        if self.at_one_mb.is_none() && self.bytes >= ONE_MB {
            self.at_one_mb = Some(distinct);
        }
        if self.words >= self.next_checkpoint {
            self.checkpoints.push((self.words, distinct));
            while self.next_checkpoint <= self.words {
                self.next_checkpoint *= 2;
            }
        }
    }

    /// The figures.
    pub(super) fn finish(self) -> VocabFigures {
        let heaps = (self.checkpoints.len() >= HEAPS_MIN_POINTS).then(|| {
            let pts: Vec<(f64, f64)> = self
                .checkpoints
                .iter()
                .map(|&(w, d)| ((w as f64).ln(), (d as f64).ln()))
                .collect();
            slope(&pts)
        });
        let hapax = self.counts.values().filter(|&&c| c == 1).count() as u64;
        let mut all: Vec<(&[u8], u64)> = self.counts.iter().map(|(w, &c)| (&**w, c)).collect();
        let by_rank = |a: &(&[u8], u64), b: &(&[u8], u64)| b.1.cmp(&a.1).then(a.0.cmp(b.0));
        if all.len() > 10 {
            all.select_nth_unstable_by(9, by_rank);
            all.truncate(10);
        }
        all.sort_unstable_by(by_rank);
        VocabFigures {
            distinct: self.counts.len() as u64,
            at_quarter_mb: self.at_quarter_mb,
            at_one_mb: self.at_one_mb,
            heaps,
            checkpoints: self.checkpoints.len() as u64,
            hapax,
            top: all
                .into_iter()
                .map(|(w, c)| (String::from_utf8_lossy(w).into_owned(), c))
                .collect(),
        }
    }
}

/// Least-squares slope of y on x.
fn slope(pts: &[(f64, f64)]) -> f64 {
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    if sxx > 0.0 {
        sxy / sxx
    } else {
        0.0
    }
}

/// The order files are read in for the growth figures: by BLAKE3 of the
/// relative path (ties, which need a collision, by path), so it is the same
/// on every machine and run and unrelated to the folder layout.
pub(super) fn shuffled_order(paths: &[String]) -> Vec<usize> {
    let mut keyed: Vec<([u8; 32], usize)> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (*blake3::hash(p.as_bytes()).as_bytes(), i))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(paths[a.1].cmp(&paths[b.1])));
    keyed.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::super::text::Prose;
    use super::*;

    #[test]
    fn vocabulary_growth_checkpoints_and_top_words() {
        let mut v = Vocabulary::default();
        let mut file = Prose::default();
        for ev in pulldown_cmark::Parser::new(&"b a b c ".repeat(300)) {
            file.event(&ev);
        }
        file.finish();
        for _ in 0..5 {
            v.add(QUARTER_MB / 2, &file.vocab);
        }
        let f = v.finish();
        assert_eq!(f.distinct, 3);
        assert_eq!(f.at_quarter_mb, Some(3), "the second file reaches 0.25 MB");
        assert_eq!(f.at_one_mb, None, "2.5 quarters read");
        // 1200, 2400, 3600 (< 4800), 4800, 6000 words: checkpoints at
        // 1200, 2400, 4800.
        assert_eq!(f.checkpoints, 3);
        assert_eq!(f.heaps, Some(0.0), "no new word after the first file");
        assert_eq!(f.hapax, 0);
        assert_eq!(
            f.top,
            [
                ("b".to_string(), 3000),
                ("a".into(), 1500),
                ("c".into(), 1500)
            ]
        );
    }

    #[test]
    fn shuffled_order_is_a_fixed_permutation() {
        let paths: Vec<String> = (0..50).map(|i| format!("d/{i}.md")).collect();
        let o = shuffled_order(&paths);
        assert_eq!(o, shuffled_order(&paths));
        let mut sorted = o.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(o, sorted, "not the path order");
    }
}

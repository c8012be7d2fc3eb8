//! Text and code figures: the words of a file's prose and its fenced code
//! blocks, read off the same pulldown-cmark events as the structure, and
//! the vocabulary folded over files in a fixed shuffled order.
//!
//! Prose is the inline text of paragraphs (at any depth, so also inside
//! blockquotes and footnotes), headings, list items and table cells. Code
//! blocks, inline code, HTML, front matter, image descriptions, autolinks
//! and any whitespace-separated token holding `://` are not prose; link
//! text is. Words are `[a-z]+('[a-z]+)*` after lowercasing.

use super::hist::Hist;
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag, TagEnd};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// The function words whose share is reported, exactly as issue #15 lists
/// them (so the figure compares with the measured sets).
pub(super) const FUNCTION_WORDS: [&str; 27] = [
    "the", "a", "an", "of", "to", "in", "is", "and", "that", "for", "it", "with", "be", "this",
    "you", "on", "as", "are", "can", "by", "or", "not", "from", "at", "if", "your", "we",
];

fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.contains(&w)
}

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

/// FxHash (rustc's hasher). Words are hashed once per file for the file's
/// own counts and once more per distinct word for the tree's; SipHash made
/// that a visible share of `stats` time, and no one picks words to attack
/// a measuring tool's hash table.
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// One file's distinct words with their counts, packed into one string so
/// a file costs two allocations however many words it has.
#[derive(Debug, Default)]
pub(super) struct FileWords {
    arena: String,
    /// (length in bytes, occurrences) of each word, in arena order.
    entries: Vec<(u32, u32)>,
}

impl FileWords {
    /// Each distinct word with its count, in an unspecified but fixed
    /// order (only sums are taken of it).
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        let mut at = 0;
        self.entries.iter().map(move |&(len, count)| {
            let w = &self.arena[at..at + len as usize];
            at += len as usize;
            (w, u64::from(count))
        })
    }
}

/// One fenced language's blocks in one file (or the tree).
#[derive(Debug, Default, Clone)]
pub(super) struct Fence {
    /// Lines per block.
    pub(super) lines: Hist,
}

/// A file's prose and fenced-code figures, fed one parser event at a time.
#[derive(Debug, Default)]
pub(super) struct Prose {
    /// Words of prose.
    pub(super) words: u64,
    /// Letters of those words (apostrophes not counted).
    pub(super) letters: u64,
    /// Words in [`FUNCTION_WORDS`].
    pub(super) function_words: u64,
    /// Occurrences of "the".
    pub(super) the: u64,
    /// ASCII punctuation characters in prose.
    pub(super) punctuation: u64,
    /// Commas in prose.
    pub(super) commas: u64,
    /// Words per sentence (sentences with no word are not counted).
    pub(super) sentences: Hist,
    /// Fenced code blocks by language (`none` for an empty info string).
    pub(super) fences: BTreeMap<String, Fence>,
    /// Distinct words, filled by [`Prose::finish`].
    pub(super) vocab: FileWords,
    /// Prose containers open (paragraph, heading, item, table cell).
    containers: u32,
    /// Inside something whose text is not prose (code block, front matter,
    /// image, autolink).
    hidden: u32,
    /// The block being read, flushed at every block boundary.
    block: String,
    /// Every word of the file so far, lowercased, separated by spaces.
    all: String,
    /// The fenced block being read: its language and body.
    fence: Option<(String, String)>,
    /// Inside an autolink (its text is its URL).
    autolink: bool,
}

/// Tags that do not end a run of prose: inline markup.
fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The language of a fence's info string: its first word, lowercased, cut
/// at `,` and `{` too (`rust,ignore` and `js{1,3}` are rust and js).
pub(super) fn fence_language(info: &str) -> String {
    let l = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if l.is_empty() {
        "none".to_string()
    } else {
        l
    }
}

impl Prose {
    /// Take one parser event (every event of the file, in order).
    pub(super) fn event(&mut self, ev: &Event<'_>) {
        match ev {
            Event::Start(tag) => {
                if !is_inline(tag) {
                    self.flush();
                }
                match tag {
                    Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell => {
                        self.containers += 1
                    }
                    Tag::CodeBlock(kind) => {
                        self.hidden += 1;
                        if let CodeBlockKind::Fenced(info) = kind {
                            self.fence = Some((fence_language(info), String::new()));
                        }
                    }
                    Tag::MetadataBlock(_) | Tag::Image { .. } => self.hidden += 1,
                    Tag::Link {
                        link_type: LinkType::Autolink | LinkType::Email,
                        ..
                    } => {
                        self.hidden += 1;
                        self.autolink = true;
                    }
                    _ => {}
                }
            }
            Event::End(end) => {
                if !is_inline_end(end) {
                    self.flush();
                }
                match end {
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell => {
                        self.containers = self.containers.saturating_sub(1)
                    }
                    TagEnd::CodeBlock => {
                        self.hidden = self.hidden.saturating_sub(1);
                        if let Some((lang, body)) = self.fence.take() {
                            self.end_fence(lang, &body);
                        }
                    }
                    TagEnd::MetadataBlock(_) | TagEnd::Image => {
                        self.hidden = self.hidden.saturating_sub(1)
                    }
                    // Links do not nest, so the autolink that opened is the
                    // one that closes.
                    TagEnd::Link if self.autolink => {
                        self.autolink = false;
                        self.hidden = self.hidden.saturating_sub(1)
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, body)) = self.fence.as_mut() {
                    body.push_str(t);
                } else if self.containers > 0 && self.hidden == 0 {
                    self.block.push_str(t);
                }
            }
            // What is left out still separates the words around it.
            Event::Code(_) | Event::InlineHtml(_) | Event::SoftBreak | Event::HardBreak => {
                if !self.block.is_empty() {
                    self.block.push(' ');
                }
            }
            _ => {}
        }
    }

    fn end_fence(&mut self, lang: String, body: &str) {
        let lines = body.lines().count().max(1) as u64;
        // Issue #15: the share of blocks that parse goes here, as
        // `crate::code::parses(&lang, body)` counted per language in
        // `Fence` (not wired yet: that function is being written).
        self.fences.entry(lang).or_default().lines.add(lines);
    }

    /// Count the block read so far: split it into sentences at ". " (and
    /// at its end) and scan each for words and punctuation.
    fn flush(&mut self) {
        if self.block.is_empty() {
            return;
        }
        let block = std::mem::take(&mut self.block);
        // split_inclusive: the period stays, to be counted as punctuation.
        for sentence in block.split_inclusive(". ") {
            let mut n = 0;
            for token in sentence.split_whitespace() {
                if token.contains("://") {
                    continue;
                }
                n += self.token(token);
            }
            if n > 0 {
                self.sentences.add(n);
            }
        }
        // Keep the buffer's capacity for the next block.
        self.block = block;
        self.block.clear();
    }

    /// Count one whitespace-free token; returns its words.
    fn token(&mut self, token: &str) -> u64 {
        let b = token.as_bytes();
        let mut words = 0;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_punctuation() {
                self.punctuation += 1;
                self.commas += u64::from(c == b',');
            }
            if !c.is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let start = self.all.len();
            let mut letters = 0;
            loop {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    self.all.push(b[i].to_ascii_lowercase() as char);
                    letters += 1;
                    i += 1;
                }
                // An apostrophe joins two runs of letters ("don't"); any
                // other is punctuation, counted by the outer loop.
                if i + 1 < b.len() && b[i] == b'\'' && b[i + 1].is_ascii_alphabetic() {
                    self.all.push('\'');
                    self.punctuation += 1;
                    i += 1;
                } else {
                    break;
                }
            }
            let w = &self.all[start..];
            self.function_words += u64::from(is_function_word(w));
            self.the += u64::from(w == "the");
            self.all.push(' ');
            self.letters += letters;
            words += 1;
        }
        self.words += words;
        words
    }

    /// Flush the last block and pack the file's words into [`Self::vocab`].
    pub(super) fn finish(&mut self) {
        self.flush();
        let all = std::mem::take(&mut self.all);
        let mut counts: FxMap<&str, u32> = FxMap::default();
        for w in all.split_ascii_whitespace() {
            *counts.entry(w).or_default() += 1;
        }
        let mut v = FileWords {
            arena: String::with_capacity(counts.keys().map(|w| w.len()).sum()),
            entries: Vec::with_capacity(counts.len()),
        };
        for (w, c) in counts {
            v.arena.push_str(w);
            v.entries.push((w.len() as u32, c));
        }
        self.vocab = v;
        self.block = String::new();
    }
}

/// The tree's vocabulary, folded file by file in the shuffled order.
#[derive(Debug)]
pub(super) struct Vocabulary {
    counts: FxMap<Box<str>, u64>,
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
            // Look up by &str first: most words of a file are already known,
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
        let mut all: Vec<(&str, u64)> = self.counts.iter().map(|(w, &c)| (&**w, c)).collect();
        let by_rank = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then(a.0.cmp(b.0));
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
            top: all.into_iter().map(|(w, c)| (w.to_string(), c)).collect(),
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
    use super::*;
    use pulldown_cmark::Parser;

    fn prose(md: &str) -> Prose {
        let mut p = Prose::default();
        for ev in Parser::new_ext(md, crate::validate::noet_options()) {
            p.event(&ev);
        }
        p.finish();
        p
    }

    fn words(p: &Prose) -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = p.vocab.iter().map(|(w, c)| (w.to_string(), c)).collect();
        v.sort();
        v
    }

    #[test]
    fn words_follow_the_pattern() {
        let p = prose("Don't stop: rock'n'roll, 'quoted' x2y _under_score.\n");
        let got: Vec<String> = words(&p).into_iter().map(|(w, _)| w).collect();
        assert_eq!(
            got,
            [
                "don't",
                "quoted",
                "rock'n'roll",
                "score",
                "stop",
                "under",
                "x",
                "y"
            ]
        );
        assert_eq!(p.words, 8);
        // don't(4) stop(4) rock'n'roll(9) quoted(6) x y under score(5+5)
        assert_eq!(p.letters, 4 + 4 + 9 + 6 + 1 + 1 + 5 + 5);
    }

    #[test]
    fn fenced_languages_and_lines() {
        let p = prose("```Rust,ignore\na\nb\n```\n\n```\nx\n```\n\n    indented\n");
        let l: Vec<(&str, u64)> = p.fences.iter().map(|(k, f)| (&**k, f.lines.n)).collect();
        assert_eq!(
            l,
            [("none", 1), ("rust", 1)],
            "indented blocks are not fenced"
        );
        assert_eq!(p.fences["rust"].lines.q(0.5), 2.0);
        assert_eq!(p.words, 0, "code is not prose");
    }

    #[test]
    fn vocabulary_growth_checkpoints_and_top_words() {
        let mut v = Vocabulary::default();
        let mut file = Prose::default();
        file.all = "b a b c ".repeat(300);
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

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
pub const FUNCTION_WORDS: [&str; 27] = [
    "the", "a", "an", "of", "to", "in", "is", "and", "that", "for", "it", "with", "be", "this",
    "you", "on", "as", "are", "can", "by", "or", "not", "from", "at", "if", "your", "we",
];

/// [`FUNCTION_WORDS`] as a match, which compiles to a switch on length and
/// a few compares instead of 27 of them.
fn is_function_word(w: &[u8]) -> bool {
    matches!(
        w,
        b"the"
            | b"a"
            | b"an"
            | b"of"
            | b"to"
            | b"in"
            | b"is"
            | b"and"
            | b"that"
            | b"for"
            | b"it"
            | b"with"
            | b"be"
            | b"this"
            | b"you"
            | b"on"
            | b"as"
            | b"are"
            | b"can"
            | b"by"
            | b"or"
            | b"not"
            | b"from"
            | b"at"
            | b"if"
            | b"your"
            | b"we"
    )
}

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

pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// One file's distinct words with their counts, packed into one string so
/// a file costs two allocations however many words it has.
#[derive(Debug, Default)]
pub(super) struct FileWords {
    arena: Vec<u8>,
    /// (length in bytes, occurrences) of each word, in arena order.
    entries: Vec<(u32, u32)>,
}

impl FileWords {
    /// Each distinct word with its count, in an unspecified but fixed
    /// order (only sums are taken of it).
    pub(super) fn iter(&self) -> impl Iterator<Item = (&[u8], u64)> {
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
    /// Blocks checked with the language's parser (see [`crate::code::parses`]).
    pub(super) checked: u64,
    /// Of those, blocks that parse.
    pub(super) parsed: u64,
}

impl Fence {
    pub(super) fn merge(&mut self, o: &Fence) {
        self.lines.merge(&o.lines);
        self.checked += o.checked;
        self.parsed += o.parsed;
    }
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
    all: Vec<u8>,
    /// The fenced block being read: its language and body.
    fence: Option<(String, String)>,
    /// Inside an autolink (its text is its URL).
    autolink: bool,
}

/// Byte classes of the prose scan: ASCII whitespace, letters,
/// punctuation, and everything else (digits, non-ASCII bytes).
const SPACE: u8 = 1;
const LETTER: u8 = 2;
const PUNCT: u8 = 3;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_whitespace() {
            SPACE
        } else if b.is_ascii_alphabetic() {
            LETTER
        } else if b.is_ascii_punctuation() {
            PUNCT
        } else {
            0
        };
        c += 1;
    }
    t
};

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
            Event::Code(_) | Event::InlineHtml(_) | Event::SoftBreak | Event::HardBreak
                if !self.block.is_empty() =>
            {
                self.block.push(' ')
            }
            _ => {}
        }
    }

    fn end_fence(&mut self, lang: String, body: &str) {
        let lines = body.lines().count().max(1) as u64;
        let parses = crate::code::parses(&lang, body);
        let f = self.fences.entry(lang).or_default();
        f.lines.add(lines);
        if let Some(ok) = parses {
            f.checked += 1;
            f.parsed += ok as u64;
        }
    }

    /// Count the block read so far: split it into sentences at ". " (and
    /// at its end) and scan each for words and punctuation.
    fn flush(&mut self) {
        if self.block.is_empty() {
            return;
        }
        let block = std::mem::take(&mut self.block);
        let b = block.as_bytes();
        // One pass over the bytes. A ". " split falls exactly after a
        // whitespace-separated token ending in '.' and followed by a space;
        // a token found to be a URL is taken back.
        let mut n = 0;
        let mut i = 0;
        while i < b.len() {
            if CLASS[b[i] as usize] == SPACE {
                i += 1;
                continue;
            }
            let undo = self.counters(n);
            let mut url = false;
            while i < b.len() {
                let c = b[i];
                match CLASS[c as usize] {
                    SPACE => break,
                    LETTER => {
                        i = self.word(b, i);
                        n += 1;
                    }
                    class => {
                        if class == PUNCT {
                            self.punctuation += 1;
                            self.commas += u64::from(c == b',');
                            url |= c == b':' && b[i + 1..].starts_with(b"//");
                        }
                        i += 1;
                    }
                }
            }
            if url {
                n = self.restore(undo);
            }
            if b[i - 1] == b'.' && b.get(i) == Some(&b' ') && n > 0 {
                self.sentences.add(n);
                n = 0;
            }
        }
        if n > 0 {
            self.sentences.add(n);
        }
        // Keep the buffer's capacity for the next block.
        self.block = block;
        self.block.clear();
    }

    /// The running counts a URL token must not change, and `n`.
    fn counters(&self, n: u64) -> [u64; 8] {
        [
            self.words,
            self.letters,
            self.function_words,
            self.the,
            self.punctuation,
            self.commas,
            self.all.len() as u64,
            n,
        ]
    }

    /// Put back [`Self::counters`]; returns `n`.
    fn restore(&mut self, c: [u64; 8]) -> u64 {
        [
            self.words,
            self.letters,
            self.function_words,
            self.the,
            self.punctuation,
            self.commas,
        ] = [c[0], c[1], c[2], c[3], c[4], c[5]];
        self.all.truncate(c[6] as usize);
        c[7]
    }

    /// Count the word starting at `b[i]` (a letter); returns where it ends.
    fn word(&mut self, b: &[u8], mut i: usize) -> usize {
        let start = i;
        let mut apostrophes = 0;
        loop {
            while i < b.len() && CLASS[b[i] as usize] == LETTER {
                i += 1;
            }
            // An apostrophe joins two runs of letters ("don't"); any other
            // is punctuation, counted by the caller.
            if i + 1 < b.len() && b[i] == b'\'' && CLASS[b[i + 1] as usize] == LETTER {
                self.punctuation += 1;
                apostrophes += 1;
                i += 1;
            } else {
                break;
            }
        }
        let at = self.all.len();
        self.all.extend_from_slice(&b[start..i]);
        self.all[at..].make_ascii_lowercase();
        let w = &self.all[at..];
        self.letters += (w.len() - apostrophes) as u64;
        self.function_words += u64::from(is_function_word(w));
        self.the += u64::from(w == b"the");
        self.all.push(b' ');
        self.words += 1;
        i
    }

    /// Flush the last block and pack the file's words into [`Self::vocab`].
    pub(super) fn finish(&mut self) {
        self.flush();
        let all = std::mem::take(&mut self.all);
        // A file repeats about half its words; sized for that, the map
        // never grows in the common case.
        let mut counts: FxMap<&[u8], u32> =
            FxMap::with_capacity_and_hasher(self.words as usize / 2 + 8, Default::default());
        for w in all.split(|&c| c == b' ').filter(|w| !w.is_empty()) {
            *counts.entry(w).or_default() += 1;
        }
        let mut v = FileWords {
            arena: Vec::with_capacity(counts.keys().map(|w| w.len()).sum()),
            entries: Vec::with_capacity(counts.len()),
        };
        for (w, c) in counts {
            v.arena.extend_from_slice(w);
            v.entries.push((w.len() as u32, c));
        }
        self.vocab = v;
        self.block = String::new();
    }
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
        let mut v: Vec<(String, u64)> = p
            .vocab
            .iter()
            .map(|(w, c)| (String::from_utf8_lossy(w).into_owned(), c))
            .collect();
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
    fn function_word_match_is_the_list() {
        for w in FUNCTION_WORDS {
            assert!(is_function_word(w.as_bytes()), "{w}");
        }
        for w in ["then", "th", "ands", "i", "our", "was"] {
            assert!(!is_function_word(w.as_bytes()), "{w}");
        }
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
}

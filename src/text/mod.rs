//! Words, slugs and the line-wrapping prose writer.

use crate::rng::Rng;
use crate::words;

pub mod grammar;
pub mod lexicon;
pub mod lists;

/// The vocabulary with its Zipf-like frequency table.
#[derive(Debug, Clone)]
pub struct Vocab {
    words: Vec<&'static str>,
    /// Each word zero-padded to 16 bytes, so that writers copy a fixed 16
    /// bytes and keep `len` of them instead of calling `memcpy` per word.
    padded: Vec<[u8; 16]>,
    /// Walker/Vose alias table: slot `i` keeps word `i` with probability
    /// `keep[i]`, else gives `alias[i]`. O(1) per draw, where a binary
    /// search over ~900 cumulative weights cost a tenth of generation time.
    slots: Vec<Slot>,
    by_len: Vec<Vec<u32>>,
}

/// One slot of the alias table. `keep` is the probability as a threshold
/// on 32 random bits: `v < ceil(p * 2^32)` holds exactly when
/// `v as f64 / 2^32 < p`, so integer draws pick the same words as the float
/// comparison did, without an int-to-float conversion per word.
#[derive(Debug, Clone, Copy)]
struct Slot {
    keep: u64,
    alias: u32,
}

/// A word of the vocabulary, as [`Vocab::draw`] returns it.
#[derive(Debug, Clone, Copy)]
pub struct Word<'v> {
    /// The word zero-padded to 16 bytes.
    pub padded: &'v [u8; 16],
    /// Its length.
    pub len: usize,
}

impl<'v> Word<'v> {
    /// The word's bytes.
    #[inline]
    pub fn bytes(&self) -> &'v [u8] {
        &self.padded[..self.len]
    }
}

impl Vocab {
    /// Build the vocabulary; word `r` (0-based rank) has weight `1/(r+1)^s`.
    pub fn new(exponent: f64) -> Self {
        let mut words: Vec<&'static str> = Vec::new();
        for w in words::VOCAB.split_ascii_whitespace() {
            if !words.contains(&w) && !words::STOP.contains(&w) {
                words.push(w);
            }
        }
        let weights: Vec<f64> = (0..words.len())
            .map(|r| 1.0 / libm::pow(r as f64 + 1.0, exponent))
            .collect();
        let (keep, alias) = alias_table(&weights);
        let slots = keep
            .iter()
            .zip(alias)
            .map(|(k, alias)| Slot {
                keep: (k * 4_294_967_296.0).ceil() as u64,
                alias,
            })
            .collect();
        let padded = words
            .iter()
            .map(|w| {
                let mut p = [0u8; 16];
                p[..w.len()].copy_from_slice(w.as_bytes());
                p
            })
            .collect();
        let mut by_len = vec![Vec::new(); 32];
        for (i, w) in words.iter().enumerate() {
            by_len[w.len().min(31)].push(i as u32);
        }
        Vocab {
            words,
            padded,
            slots,
            by_len,
        }
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Never empty; present for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The word of rank `i` (wrapping).
    #[inline]
    pub fn get(&self, i: usize) -> &'static str {
        self.words[i % self.words.len()]
    }

    /// The rank of a word drawn by frequency (one 64-bit draw).
    #[inline]
    fn draw_rank(&self, rng: &mut Rng) -> usize {
        let x = rng.next_u64();
        let slot = (((x >> 32) * self.slots.len() as u64) >> 32) as usize;
        let s = self.slots[slot];
        // A select, not a branch: which of the two is as good as random.
        let keep = ((x & 0xffff_ffff) < s.keep) as usize;
        let alias = s.alias as usize;
        alias ^ ((slot ^ alias) & keep.wrapping_neg())
    }

    /// A word drawn by frequency.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> &'static str {
        self.words[self.draw_rank(rng)]
    }

    /// [`Vocab::sample`] (the same draw), as a padded [`Word`].
    #[inline]
    pub fn draw(&self, rng: &mut Rng) -> Word<'_> {
        let i = self.draw_rank(rng);
        Word {
            padded: &self.padded[i],
            len: self.words[i].len(),
        }
    }

    /// A word of exactly `len` bytes, if the vocabulary has one.
    pub fn of_len(&self, len: usize, rng: &mut Rng) -> Option<&'static str> {
        let pool = self.by_len.get(len)?;
        if pool.is_empty() {
            return None;
        }
        Some(self.words[pool[rng.index(pool.len())] as usize])
    }
}

/// Vose's alias method over `weights`: deterministic, since it only uses
/// IEEE arithmetic in a fixed order.
fn alias_table(weights: &[f64]) -> (Vec<f64>, Vec<u32>) {
    let n = weights.len();
    let total: f64 = weights.iter().sum();
    let mut scaled: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
    let mut keep = vec![1.0; n];
    let mut alias: Vec<u32> = (0..n as u32).collect();
    let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| scaled[i] < 1.0);
    while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
        keep[s] = scaled[s];
        alias[s] = l as u32;
        scaled[l] -= 1.0 - scaled[s];
        if scaled[l] < 1.0 {
            large.pop();
            small.push(l);
        }
    }
    (keep, alias)
}

/// Append `word` with its first letter upper-cased.
pub fn push_capitalized(out: &mut String, word: &str) {
    if let Some(&b) = word.as_bytes().first() {
        if b.is_ascii() {
            out.push(b.to_ascii_uppercase() as char);
            out.push_str(&word[1..]);
            return;
        }
    }
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// A short token assembled on the stack (a word with markup around it, a
/// capitalised word, a number), so that building one allocates nothing.
/// Holds at most 48 bytes; vocabulary words are at most 16.
#[derive(Clone, Copy)]
pub struct Tok {
    buf: [u8; 48],
    len: usize,
}

impl Default for Tok {
    fn default() -> Self {
        Self::new()
    }
}

impl Tok {
    /// An empty token.
    #[inline]
    pub fn new() -> Self {
        Tok {
            buf: [0; 48],
            len: 0,
        }
    }

    /// Append bytes.
    #[inline]
    pub fn push(&mut self, s: &[u8]) -> &mut Self {
        self.buf[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
        self
    }

    /// Append `word` with its first letter upper-cased (ASCII words).
    #[inline]
    pub fn push_capitalized(&mut self, word: &str) -> &mut Self {
        if !word.as_bytes().first().is_some_and(u8::is_ascii) {
            let mut s = String::new();
            push_capitalized(&mut s, word);
            return self.push(s.as_bytes());
        }
        let at = self.len;
        self.push(word.as_bytes());
        if let Some(b) = self.buf[at..self.len].first_mut() {
            b.make_ascii_uppercase();
        }
        self
    }

    /// Append `n` in decimal.
    #[inline]
    pub fn push_u64(&mut self, n: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let s = u64_digits(n, &mut digits);
        self.push(s)
    }

    /// The token's bytes.
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// `n` in decimal, written at the end of `buf`; returns the digits.
#[inline]
pub fn u64_digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Writes space-separated tokens into a buffer, wrapping at a column and
/// prefixing continuation lines (list indentation, `> ` for quotes). It
/// holds only the line state, so the caller keeps its buffer.
pub struct Prose<'a> {
    col: usize,
    /// The wrap column, `usize::MAX` for none (one comparison, no test
    /// for "never wraps" per token).
    wrap: usize,
    prefix: &'a [u8],
    empty: bool,
}

impl<'a> Prose<'a> {
    /// Start writing at column `col`; `wrap` 0 never wraps.
    pub fn new(col: usize, wrap: usize, prefix: &'a [u8]) -> Self {
        Prose {
            col,
            wrap: if wrap == 0 { usize::MAX } else { wrap },
            prefix,
            empty: true,
        }
    }

    /// True before the first token.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// The separator before a token of `len` bytes (none before the first).
    /// Whether the line breaks is as good as random, so the choice is made
    /// by selects, not branches; only a prefix (lists, quotes) is copied.
    #[inline]
    fn separate(&mut self, out: &mut Vec<u8>, len: usize) {
        if !self.empty {
            let brk = self.col + 1 + len > self.wrap;
            // All-ones on a break: the byte and the column by masks.
            let m = (brk as usize).wrapping_neg();
            out.push(b' ' ^ ((b' ' ^ b'\n') & m as u8));
            if brk & !self.prefix.is_empty() {
                out.extend_from_slice(self.prefix);
            }
            self.col = (self.col + 1) ^ (((self.col + 1) ^ self.prefix.len()) & m);
        }
        self.empty = false;
    }

    /// Write a separator (space or line break) and `tok`; returns the byte
    /// offset where `tok` starts.
    #[inline]
    pub fn token(&mut self, out: &mut Vec<u8>, tok: &[u8]) -> usize {
        self.separate(out, tok.len());
        let at = out.len();
        out.extend_from_slice(tok);
        self.col += tok.len();
        at
    }

    /// [`Prose::token`] for a vocabulary word: copies its 16 padded bytes
    /// (a fixed-size move) and keeps `len` of them, which is several times
    /// cheaper than a variable-length copy of a few bytes.
    #[inline]
    pub fn word(&mut self, out: &mut Vec<u8>, w: Word) -> usize {
        self.separate(out, w.len);
        let at = out.len();
        out.extend_from_slice(w.padded);
        out.truncate(at + w.len);
        self.col += w.len;
        at
    }

    /// [`Prose::token`] for `len` bytes at the start of `buf`: copies all
    /// 32 (a fixed move) and keeps `len`.
    #[inline]
    pub fn padded(&mut self, out: &mut Vec<u8>, buf: &[u8; 32], len: usize) -> usize {
        self.separate(out, len);
        let at = out.len();
        out.extend_from_slice(buf);
        out.truncate(at + len);
        self.col += len;
        at
    }

    /// Append bytes to the last token with no separator (punctuation).
    #[inline]
    pub fn attach(&mut self, out: &mut Vec<u8>, s: &[u8]) {
        out.extend_from_slice(s);
        self.col += s.len();
    }

    /// Bytes a token would add, separator included.
    #[inline]
    pub fn cost(&self, tok_len: usize) -> usize {
        if self.empty {
            tok_len
        } else if self.col + 1 + tok_len > self.wrap {
            1 + self.prefix.len() + tok_len
        } else {
            1 + tok_len
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_is_clean() {
        let v = Vocab::new(1.0);
        assert!(v.len() > 500, "{}", v.len());
        for i in 0..v.len() {
            let w = v.get(i);
            assert!(w.bytes().all(|b| b.is_ascii_lowercase()), "{w}");
            assert!(!words::STOP.contains(&w));
        }
    }

    #[test]
    fn word_frequencies_follow_the_ranks() {
        let v = Vocab::new(1.0);
        let mut r = crate::rng::stream(3, crate::rng::Domain::Body, &[]);
        let mut counts = std::collections::HashMap::new();
        for _ in 0..200_000 {
            *counts.entry(v.sample(&mut r)).or_insert(0u32) += 1;
        }
        let c = |w: &str| counts.get(w).copied().unwrap_or(0) as f64;
        // rank 1 vs rank 2 should be about 2:1 for exponent 1.
        let ratio = c(v.get(0)) / c(v.get(1));
        assert!((1.8..2.2).contains(&ratio), "{ratio}");
        assert!(c(v.get(0)) > c(v.get(100)) * 20.0);
    }

    #[test]
    fn prose_wraps_and_prefixes() {
        let mut out = b"- ".to_vec();
        let mut p = Prose::new(2, 12, b"  ");
        for w in ["alpha", "beta", "gamma", "delta"] {
            p.token(&mut out, w.as_bytes());
        }
        p.attach(&mut out, b".");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "- alpha beta\n  gamma\n  delta."
        );
    }
}

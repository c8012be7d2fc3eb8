//! Words, slugs and the line-wrapping prose writer.

use crate::rng::Rng;
use crate::words;

/// The vocabulary with its Zipf-like frequency table.
#[derive(Debug, Clone)]
pub struct Vocab {
    words: Vec<&'static str>,
    /// Walker/Vose alias table: slot `i` keeps word `i` with probability
    /// `keep[i]`, else gives `alias[i]`. O(1) per draw, where a binary
    /// search over ~900 cumulative weights cost a tenth of generation time.
    keep: Vec<f64>,
    alias: Vec<u32>,
    by_len: Vec<Vec<u32>>,
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
        let mut by_len = vec![Vec::new(); 32];
        for (i, w) in words.iter().enumerate() {
            by_len[w.len().min(31)].push(i as u32);
        }
        Vocab {
            words,
            keep,
            alias,
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

    /// A word drawn by frequency.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> &'static str {
        let x = rng.next_u64();
        let slot = (((x >> 32) * self.keep.len() as u64) >> 32) as usize;
        let u = (x & 0xffff_ffff) as f64 * (1.0 / 4_294_967_296.0);
        let i = if u < self.keep[slot] {
            slot
        } else {
            self.alias[slot] as usize
        };
        self.words[i]
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

/// noet's `to_anchor`: lowercase, ASCII whitespace to `-`, keep Unicode
/// alphanumerics and `- . _ ( ) [ ] @`, drop the rest, collapse runs of `-`,
/// trim `-`. (noet applies NFKC first; generated text is ASCII, where NFKC is
/// the identity.)
pub fn slug(text: &str) -> String {
    if text.is_ascii() {
        return slug_ascii(text.as_bytes());
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_whitespace() { '-' } else { c };
        if c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '(' | ')' | '[' | ']' | '@') {
            if c == '-' && out.ends_with('-') {
                continue;
            }
            out.push(c);
        }
    }
    out.trim_matches('-').to_string()
}

/// [`slug`] for ASCII text, byte by byte (generated text is ASCII, and
/// slugs are computed for every title and heading).
fn slug_ascii(text: &[u8]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    for &b in text {
        let c = match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => b'-',
            b'A'..=b'Z' => b + 32,
            _ => b,
        };
        if c.is_ascii_alphanumeric()
            || matches!(c, b'-' | b'.' | b'_' | b'(' | b')' | b'[' | b']' | b'@')
        {
            if c == b'-' && (out.is_empty() || out.last() == Some(&b'-')) {
                continue;
            }
            out.push(c);
        }
    }
    while out.last() == Some(&b'-') {
        out.pop();
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
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

/// Writes space-separated tokens into a buffer, wrapping at a column and
/// prefixing continuation lines (list indentation, `> ` for quotes). It
/// holds only the line state, so the caller keeps its buffer.
pub struct Prose<'a> {
    col: usize,
    wrap: usize,
    prefix: &'a [u8],
    empty: bool,
}

impl<'a> Prose<'a> {
    /// Start writing at column `col`; `wrap` 0 never wraps.
    pub fn new(col: usize, wrap: usize, prefix: &'a [u8]) -> Self {
        Prose {
            col,
            wrap,
            prefix,
            empty: true,
        }
    }

    /// True before the first token.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// Write a separator (space or line break) and `tok`; returns the byte
    /// offset where `tok` starts.
    #[inline]
    pub fn token(&mut self, out: &mut Vec<u8>, tok: &[u8]) -> usize {
        if !self.empty {
            if self.wrap > 0 && self.col + 1 + tok.len() > self.wrap {
                out.push(b'\n');
                out.extend_from_slice(self.prefix);
                self.col = self.prefix.len();
            } else {
                out.push(b' ');
                self.col += 1;
            }
        }
        self.empty = false;
        let at = out.len();
        out.extend_from_slice(tok);
        self.col += tok.len();
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
        } else if self.wrap > 0 && self.col + 1 + tok_len > self.wrap {
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
    fn slugs_follow_noet() {
        assert_eq!(slug("Section 2.1: Overview"), "section-2.1-overview");
        assert_eq!(slug("C++ & Rust: A Guide"), "c-rust-a-guide");
        assert_eq!(slug("  See also  "), "see-also");
        assert_eq!(
            slug("Using cache in the (fast) path"),
            "using-cache-in-the-(fast)-path"
        );
    }

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

//! The open vocabulary of prose: an unbounded, ranked lexicon whose word of
//! rank `r` is a pure function of `r`, drawn by a two-regime
//! Zipf-Mandelbrot law.
//!
//! Real text keeps meeting new words as it grows (distinct words grow as
//! roughly the 0.35-0.6th power of the words read, Heaps' law), so a closed
//! list of a thousand words gives a search index, a spell checker or a
//! tokenizer a dictionary no real documentation set has. Frequencies follow
//! Zipf's law with exponent near 1 over the common words and fall faster
//! (near 2) in the tail, as measured on large corpora; one exponent alone
//! cannot give both a realistic head and a realistic growth.
//!
//! Ranks below the core lists are real words (common documentation nouns
//! interleaved with the technical vocabulary). Beyond them come derived
//! forms (a core root with an affix: `caching`, `reindex`), then compounds
//! of two roots (`queuebuffer`), then pronounceable coinages from syllables,
//! without end. Every form is lowercase ASCII letters only, so no word can
//! form markdown syntax.

use crate::rng::Rng;
use crate::words;

/// Common nouns of documentation prose, most frequent first. Interleaved
/// with [`words::VOCAB`] to make the core of the lexicon.
const COMMON: &str = "
example way name number time case part step change line use list order
value point kind set option result rule section page command default type
work end form detail reason problem question idea note issue support size
level mode word text group item place side start view run team user call
limit range unit format choice length key field area detail setting piece
tool app job row bug fix log box tab day host port disk site flag code mode
rate tag id plan task goal step hook load call path test rule role spec
copy fork pool core unit team link note doc api cli map bit byte word char
time date hour week top base root head tail body name ";

/// Affixes that make derived words from a root: `-` marks a suffix after
/// the root, `+` a prefix before it.
const AFFIXES: &[&str] = &[
    "-ing", "-er", "+re", "-ed", "-able", "+un", "-less", "+pre", "-ers", "+sub", "-ize", "+multi",
    "-ness", "+auto", "-ized", "+inter", "-ful", "+over", "-ity", "+non", "-al", "+co", "-ization",
    "+de", "-ic", "+micro", "-ish", "+meta",
];

/// Syllables for coinages beyond every derived and compound form.
const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bo", "da", "de", "di", "do", "fa", "fe", "fi", "fo", "ga", "ge", "go", "ka",
    "ke", "ki", "ko", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "na", "ne", "ni", "no",
    "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "ru", "sa", "se", "si", "so", "ta", "te", "ti",
    "to", "tu", "va", "ve", "vi", "vo", "za", "zo", "lan", "ter", "mor", "ven", "sil", "dor",
    "kel", "bar", "ton", "mir", "pel", "rax", "sen", "tic",
];

/// Longest word [`Lexicon::word`] writes.
pub const MAX_WORD: usize = 24;

/// The ranked lexicon and its frequency law.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Real words, by rank.
    core: Vec<&'static str>,
    /// Roots for derived and compound forms (core words of 3-9 letters).
    roots: Vec<&'static str>,
    /// Ranks below `head` are drawn from an alias table; slot `head` stands
    /// for the whole tail.
    head: usize,
    /// Words of the head ranks, zero-padded, with their lengths.
    head_words: Vec<([u8; MAX_WORD], u8)>,
    keep: Vec<u64>,
    alias: Vec<u32>,
    /// Mandelbrot's offset `q` and the tail exponent, for the tail draw.
    q: f64,
    tail_exponent: f64,
    /// The tail's inverse CDF at `k / TAIL_STEPS`, interpolated between
    /// (a `pow` per tail draw cost several percent of generation).
    tail_table: Vec<f64>,
    /// Extra words drawn, on average, to keep the longest
    /// (`text.long_words`), as technical prose leans on long terms.
    long: f64,
}

/// Steps of the tail's tabulated inverse CDF; the last step, where it
/// diverges, is computed exactly.
const TAIL_STEPS: usize = 4096;

impl Lexicon {
    /// A lexicon whose rank `r` has weight `1/(r+q)^s1` below `head` and
    /// falls as `(r+q)^-s2` beyond it (continuous at `head`).
    pub fn new(head: usize, s1: f64, s2: f64) -> Lexicon {
        let mut core: Vec<&'static str> = Vec::new();
        let common: Vec<&str> = COMMON.split_ascii_whitespace().collect();
        let tech: Vec<&str> = words::VOCAB.split_ascii_whitespace().collect();
        // Three common words to every technical one at the top, so that
        // prose leans on short general nouns as documentation does.
        let (mut c, mut t) = (common.iter(), tech.iter());
        loop {
            let mut any = false;
            for w in [c.next(), c.next(), c.next(), t.next()]
                .into_iter()
                .flatten()
            {
                any = true;
                if !core.contains(w) && w.len() <= MAX_WORD {
                    core.push(w);
                }
            }
            if !any {
                break;
            }
        }
        let roots = core
            .iter()
            .copied()
            .filter(|w| (3..=9).contains(&w.len()))
            .collect();
        // A large offset flattens the head: nouns are not the commonest words
        // of real text (function words are), so no noun takes a tenth of them.
        let q = 30.0;
        let head = head.max(2);
        let mut weights: Vec<f64> = (0..head).map(|r| libm::pow(r as f64 + q, -s1)).collect();
        // The tail's mass: the integral of a (x+q)^-s2 from `head` on, with
        // `a` making the density continuous at `head`.
        let a = libm::pow(head as f64 + q, s2 - s1);
        weights.push(a * libm::pow(head as f64 + q, 1.0 - s2) / (s2 - 1.0));
        let (keep, alias) = super::alias_table(&weights);
        let mut lex = Lexicon {
            core,
            roots,
            head,
            head_words: Vec::new(),
            keep: keep
                .iter()
                .map(|k| (k * 4_294_967_296.0).ceil() as u64)
                .collect(),
            alias,
            q,
            tail_exponent: s2,
            tail_table: Vec::new(),
            long: 0.0,
        };
        lex.tail_table = (0..TAIL_STEPS)
            .map(|k| lex.tail_rank(k as f64 / TAIL_STEPS as f64))
            .collect();
        lex.head_words = (0..head as u64)
            .map(|r| {
                let mut buf = [0u8; MAX_WORD];
                let n = lex.spell(r, &mut buf);
                (buf, n as u8)
            })
            .collect();
        lex
    }

    /// This lexicon with `long` extra draws on average per word, the
    /// longest kept.
    pub fn with_long_words(mut self, long: f64) -> Lexicon {
        self.long = long;
        self
    }

    /// Number of real (core) words; ranks from here on are generated.
    pub fn core_len(&self) -> usize {
        self.core.len()
    }

    /// A rank drawn by frequency.
    #[inline]
    pub fn draw(&self, rng: &mut Rng) -> u64 {
        let x = rng.next_u64();
        let n = self.keep.len() as u64;
        let slot = (((x >> 32) * n) >> 32) as usize;
        // A select, not a branch: which of the two is as good as random.
        let keep = ((x & 0xffff_ffff) < self.keep[slot]) as usize;
        let alias = self.alias[slot] as usize;
        let pick = alias ^ ((slot ^ alias) & keep.wrapping_neg());
        if pick < self.head {
            return pick as u64;
        }
        let t = rng.unit() * TAIL_STEPS as f64;
        let k = t as usize;
        let r = if k + 1 < TAIL_STEPS {
            let (a, b) = (self.tail_table[k], self.tail_table[k + 1]);
            a + (t - k as f64) * (b - a)
        } else {
            self.tail_rank(t / TAIL_STEPS as f64)
        };
        (r as u64).clamp(self.head as u64, 1 << 40)
    }

    /// Inverse of the tail's survival function ((x+q)/(head+q))^(1-s2).
    fn tail_rank(&self, u: f64) -> f64 {
        let base = self.head as f64 + self.q;
        base * libm::pow(1.0 - u, -1.0 / (self.tail_exponent - 1.0)) - self.q
    }

    /// The word of rank `r`, written into `buf`; returns its length.
    #[inline]
    pub fn word(&self, r: u64, buf: &mut [u8; MAX_WORD]) -> usize {
        if let Some((w, n)) = self.head_words.get(r as usize) {
            *buf = *w;
            return *n as usize;
        }
        self.spell(r, buf)
    }

    /// A word drawn by frequency, into `buf`; returns its length.
    #[inline]
    pub fn sample(&self, rng: &mut Rng, buf: &mut [u8; MAX_WORD]) -> usize {
        let r = self.draw(rng);
        let n = self.word(r, buf);
        // Drawn only when asked for, so other profiles keep every draw.
        if self.long <= 0.0 {
            return n;
        }
        // `long` extra draws on average (its whole part always, its
        // fraction by chance); the longest word wins.
        let extra = self.long as usize + rng.chance(self.long.fract()) as usize;
        let mut n = n;
        for _ in 0..extra {
            // Only words of the head compete: long terms that recur, not
            // new coinages (which would inflate the distinct words).
            let r = self.draw(rng);
            if r >= self.head as u64 {
                continue;
            }
            let mut other = [0u8; MAX_WORD];
            let m = self.word(r, &mut other);
            if m > n {
                *buf = other;
                n = m;
            }
        }
        n
    }

    /// Spell rank `r`: core word, derived form, compound or coinage. Each
    /// stage maps its ranks one to one onto its forms.
    fn spell(&self, r: u64, buf: &mut [u8; MAX_WORD]) -> usize {
        let mut w = Spell { buf, len: 0 };
        let c = self.core.len() as u64;
        if r < c {
            w.push(self.core[r as usize]);
            return w.len;
        }
        let n = self.roots.len() as u64;
        let s = AFFIXES.len() as u64;
        let mut t = r - c;
        if t < n * s {
            // Root i takes affixes in a rotated order, so neighbouring ranks
            // differ in both root and affix.
            let (i, j) = (t % n, t / n);
            let root = self.roots[i as usize];
            let affix = AFFIXES[((j + i) % s) as usize];
            let (mark, part) = affix.split_at(1);
            if mark == "+" {
                w.push(part);
                w.push(root);
            } else {
                let vowel = matches!(part.as_bytes()[0], b'a' | b'e' | b'i' | b'o' | b'u');
                w.push(if vowel {
                    root.strip_suffix('e').unwrap_or(root)
                } else {
                    root
                });
                w.push(part);
            }
            return w.len;
        }
        t -= n * s;
        if t < n * (n - 1) {
            let (i, j) = (t % n, t / n);
            // The second root is never the first (j + 1 + i wraps past i).
            let second = (i + 1 + j) % n;
            w.push(self.roots[i as usize]);
            w.push(self.roots[second as usize]);
            return w.len;
        }
        t -= n * (n - 1);
        // Bijective base-k numerals over syllables, two syllables at least.
        let k = SYLLABLES.len() as u64;
        let mut x = t + k + 1;
        let mut parts = [0usize; 12];
        let mut m = 0;
        while x > 0 && m < parts.len() {
            x -= 1;
            parts[m] = (x % k) as usize;
            x /= k;
            m += 1;
        }
        for &p in parts[..m].iter().rev() {
            w.push(SYLLABLES[p]);
        }
        w.len
    }
}

/// Appends to a fixed buffer, dropping what does not fit.
struct Spell<'a> {
    buf: &'a mut [u8; MAX_WORD],
    len: usize,
}

impl Spell<'_> {
    fn push(&mut self, s: &str) {
        let n = s.len().min(MAX_WORD - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn spelled(lex: &Lexicon, r: u64) -> String {
        let mut b = [0u8; MAX_WORD];
        let n = lex.word(r, &mut b);
        String::from_utf8(b[..n].to_vec()).unwrap()
    }

    #[test]
    fn every_rank_spells_a_lowercase_word_and_ranks_rarely_collide() {
        let lex = Lexicon::new(1500, 1.2, 2.0);
        let probes: Vec<u64> = (0..20_000)
            .chain((0..20_000).map(|k| 30_000 + k * 97))
            .chain((0..5_000).map(|k| 2_000_000 + k * 7_919))
            .collect();
        let mut seen = HashSet::new();
        for &r in &probes {
            let w = spelled(&lex, r);
            assert!(w.len() >= 2, "rank {r}: {w:?}");
            assert!(w.bytes().all(|b| b.is_ascii_lowercase()), "rank {r}: {w}");
            seen.insert(w);
        }
        // Derived forms can meet a real word (`re` + `set`); almost never.
        assert!(
            seen.len() as f64 > probes.len() as f64 * 0.99,
            "{}",
            seen.len()
        );
    }

    #[test]
    fn long_words_lengthen_the_mean_from_the_head() {
        let mean = |long: f64| {
            let lex = Lexicon::new(1500, 1.2, 2.0).with_long_words(long);
            let mut rng = crate::rng::stream(3, crate::rng::Domain::Body, &[0]);
            let mut buf = [0u8; MAX_WORD];
            let total: usize = (0..50_000).map(|_| lex.sample(&mut rng, &mut buf)).sum();
            total as f64 / 50_000.0
        };
        let (plain, long) = (mean(0.0), mean(1.5));
        assert!(long > plain * 1.1, "{plain} -> {long}");
    }

    #[test]
    fn distinct_words_keep_growing_with_the_text() {
        let lex = Lexicon::new(1500, 1.2, 2.0);
        let mut rng = crate::rng::stream(1, crate::rng::Domain::Body, &[]);
        let mut seen = HashSet::new();
        let mut at = Vec::new();
        for n in 1..=400_000u64 {
            seen.insert(lex.draw(&mut rng));
            if n == 25_000 || n == 400_000 {
                at.push(seen.len() as f64);
            }
        }
        // Heaps' law: 16x the words, distinct words up 2.5-6x (exponent
        // 0.33-0.65), never flat as a closed list is.
        let growth = at[1] / at[0];
        assert!((2.5..6.0).contains(&growth), "{at:?}");
    }

    #[test]
    fn the_tail_is_drawn_and_the_head_dominates() {
        let lex = Lexicon::new(1500, 1.2, 2.0);
        let mut rng = crate::rng::stream(2, crate::rng::Domain::Body, &[]);
        let draws: Vec<u64> = (0..100_000).map(|_| lex.draw(&mut rng)).collect();
        let tail = draws.iter().filter(|&&r| r >= 1500).count();
        assert!((2_000..15_000).contains(&tail), "{tail}");
        let top = draws.iter().filter(|&&r| r == 0).count();
        assert!(top > draws.iter().filter(|&&r| r == 200).count() * 4);
    }
}

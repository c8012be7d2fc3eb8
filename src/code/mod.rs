//! Fenced code blocks that parse in their language.
//!
//! Code blocks carry no references (a parser must not find links in them),
//! but they should look like the code real documentation shows, because
//! tools that highlight, index or check code spend their time there, and
//! most snippets in real docs are complete enough to parse. Each language
//! has a small structural grammar (items, statements, nested mappings)
//! over the corpus vocabulary; whatever the line or byte budget, every
//! structure the grammar opens is closed, so a short block is still valid.
//!
//! Pieces are copied straight into the output buffer: a `format!` per line
//! cost more than choosing the words.

mod check;
mod data;
mod rust;
mod script;
mod shell;

pub use check::parses;

use crate::rng::Rng;
use crate::text::{u64_digits, Vocab};

/// The longest line any grammar writes, indentation included. Budget checks
/// reserve this much per line still to come, so it bounds how far a block
/// can run past its room.
pub(crate) const LINE: usize = 160;

/// The languages [`block`] writes, as fence info strings.
pub const LANGS: &[&str] = &[
    "rust",
    "python",
    "bash",
    "toml",
    "json",
    "yaml",
    "javascript",
    "console",
    "text",
];

/// Write the body of a fenced block of `lang` (every line ends in `\n`):
/// about `lines` lines (at least one), and past `room` bytes only by the
/// smallest complete block of the language. A language without a grammar
/// gets lines of words.
pub fn block(
    out: &mut Vec<u8>,
    lang: &str,
    vocab: &Vocab,
    rng: &mut Rng,
    lines: usize,
    room: usize,
) {
    let mut g = Gen {
        start: out.len(),
        out,
        vocab,
        rng,
        room,
        want: lines.max(1),
        lines: 0,
        close: 0,
        close_lines: 0,
        line_start: 0,
        names: NAMES.take(),
    };
    g.names.clear();
    g.line_start = g.out.len();
    match lang {
        "rust" => rust::file(&mut g),
        "python" => script::python(&mut g),
        "javascript" => script::javascript(&mut g),
        "bash" => shell::bash(&mut g),
        "console" => shell::console(&mut g),
        "json" => data::json(&mut g),
        "yaml" => data::yaml(&mut g),
        "toml" => data::toml(&mut g),
        _ => shell::text(&mut g),
    }
    if g.out.last() != Some(&b'\n') {
        g.nl();
    }
    NAMES.set(std::mem::take(&mut g.names));
}

std::thread_local! {
    /// The names buffer, kept from block to block: one allocation per block
    /// showed in profiles.
    static NAMES: std::cell::Cell<Vec<(&'static str, &'static str)>> =
        const { std::cell::Cell::new(Vec::new()) };
}

/// The writer every grammar shares: the output, the budget in lines and
/// bytes, what the open structures still need to close, and the names taken
/// in the scopes that are open.
pub(crate) struct Gen<'a> {
    pub out: &'a mut Vec<u8>,
    pub vocab: &'a Vocab,
    pub rng: &'a mut Rng,
    start: usize,
    room: usize,
    want: usize,
    lines: usize,
    /// Bytes the open structures' closing lines will take.
    close: usize,
    /// Lines they will take.
    close_lines: usize,
    line_start: usize,
    /// Names declared in the open scopes, innermost last; a scope is a mark
    /// (the length when it opened) that the grammar truncates back to.
    names: Vec<(&'static str, &'static str)>,
}

impl Gen<'_> {
    /// Is there room for one more line (and the closing lines of whatever
    /// is open) within both budgets?
    #[inline]
    pub fn more(&self) -> bool {
        self.lines + self.close_lines < self.want
            && self.out.len() - self.start + self.close + LINE <= self.room
    }

    /// [`Gen::more`] for `n` more lines, for a construct that must write
    /// them together (a header and its mandatory body).
    #[inline]
    pub fn more_n(&self, n: usize) -> bool {
        self.lines + self.close_lines + n <= self.want
            && self.out.len() - self.start + self.close + n * LINE <= self.room
    }

    /// A structure opened whose closing takes `bytes` in `lines` lines.
    #[inline]
    pub fn open(&mut self, bytes: usize, lines: usize) {
        self.close += bytes;
        self.close_lines += lines;
    }

    /// The structure [`Gen::open`] announced is about to be closed.
    #[inline]
    pub fn shut(&mut self, bytes: usize, lines: usize) {
        self.close -= bytes;
        self.close_lines -= lines;
    }

    /// End the current line.
    #[inline]
    pub fn nl(&mut self) {
        debug_assert!(
            self.out.len() - self.line_start <= LINE,
            "line over {LINE} bytes: {}",
            String::from_utf8_lossy(&self.out[self.line_start..])
        );
        self.out.push(b'\n');
        self.lines += 1;
        self.line_start = self.out.len();
    }

    /// Lines written so far.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// Append bytes.
    #[inline]
    pub fn w(&mut self, s: &[u8]) {
        self.out.extend_from_slice(s);
    }

    /// One of `opts`, uniformly.
    #[inline]
    pub fn one_of(&mut self, opts: &[&[u8]]) {
        let k = self.rng.index(opts.len());
        self.out.extend_from_slice(opts[k]);
    }

    /// `a` with chance `p`, else `b`.
    #[inline]
    pub fn either(&mut self, p: f64, a: &[u8], b: &[u8]) {
        let s = if self.rng.chance(p) { a } else { b };
        self.out.extend_from_slice(s);
    }

    /// `n` spaces.
    #[inline]
    pub fn ind(&mut self, n: usize) {
        self.out
            .extend_from_slice(&b"                                "[..n.min(32)]);
    }

    /// A decimal number below `n`.
    #[inline]
    pub fn num(&mut self, n: u64) {
        let mut d = [0u8; 20];
        let v = self.rng.below(n.max(1));
        self.out.extend_from_slice(u64_digits(v, &mut d));
    }

    /// Uniform in `0..n`.
    #[inline]
    pub fn pick(&mut self, n: usize) -> usize {
        self.rng.index(n)
    }

    /// Uniform in `lo..=hi`: how many entries, fields or statements a
    /// nested construct holds (the top level runs to the budget).
    #[inline]
    pub fn span(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.rng.index(hi - lo + 1)
    }

    /// True with chance `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.chance(p)
    }

    /// A vocabulary word, any.
    #[inline]
    pub fn word(&mut self) -> &'static str {
        self.vocab.sample(self.rng)
    }

    /// A vocabulary word that is no keyword or literal in any language
    /// written here, so it can stand alone as a name.
    pub fn plain(&mut self) -> &'static str {
        loop {
            let w = self.word();
            if !reserved(w) {
                return w;
            }
        }
    }

    /// A name not yet taken in the scope opened at `mark`: one plain word,
    /// or two words (never a keyword, joined by the caller's style), and
    /// remembered in that scope.
    pub fn fresh(&mut self, mark: usize) -> (&'static str, &'static str) {
        let mut tries = 0;
        loop {
            // Single words first, pairs once they start to collide; only a
            // word that stands alone must be no keyword.
            let name = if tries < 2 && self.chance(0.5) {
                (self.plain(), "")
            } else {
                (self.word(), self.word())
            };
            tries += 1;
            if !self.names[mark..].contains(&name) {
                self.names.push(name);
                return name;
            }
        }
    }

    /// Take `name` in the innermost scope (a name the grammar fixes, like
    /// `err` in `catch (err)`), so that [`Gen::fresh`] avoids it.
    pub fn declare(&mut self, name: &'static str) {
        self.names.push((name, ""));
    }

    /// [`Gen::fresh`], but a single word unless the scope has taken the
    /// few drawn: for parameters, which share one line.
    pub fn fresh_word(&mut self, mark: usize) -> (&'static str, &'static str) {
        for _ in 0..6 {
            let a = self.plain();
            if !self.names[mark..].contains(&(a, "")) {
                self.names.push((a, ""));
                return (a, "");
            }
        }
        self.fresh(mark)
    }

    /// Open a scope of names; pass the mark to [`Gen::fresh`] and
    /// [`Gen::end_scope`].
    #[inline]
    pub fn scope(&self) -> usize {
        self.names.len()
    }

    /// Forget the names of the scope opened at `mark`.
    #[inline]
    pub fn end_scope(&mut self, mark: usize) {
        self.names.truncate(mark);
    }

    /// Write `(a, b)` as `a_b` (or `a`).
    pub fn snake(&mut self, (a, b): (&str, &str)) {
        self.w(a.as_bytes());
        if !b.is_empty() {
            self.w(b"_");
            self.w(b.as_bytes());
        }
    }

    /// Write `(a, b)` as `aB` (or `a`).
    pub fn camel(&mut self, (a, b): (&str, &str)) {
        self.w(a.as_bytes());
        if !b.is_empty() {
            self.cap(b);
        }
    }

    /// Write `(a, b)` as `AB` (or `A`).
    pub fn pascal(&mut self, (a, b): (&str, &str)) {
        self.cap(a);
        if !b.is_empty() {
            self.cap(b);
        }
    }

    /// Write `(a, b)` as `A_B` (or `A`).
    pub fn upper(&mut self, (a, b): (&str, &str)) {
        let at = self.out.len();
        self.snake((a, b));
        self.out[at..].make_ascii_uppercase();
    }

    /// Write `w` with its first letter upper-case.
    pub fn cap(&mut self, w: &str) {
        let at = self.out.len();
        self.w(w.as_bytes());
        self.out[at..at + 1].make_ascii_uppercase();
    }

    /// A fresh snake-case name in no particular scope (a local that nothing
    /// else declares, a module path segment).
    pub fn any_snake(&mut self) {
        if self.chance(0.4) {
            let (a, b) = (self.word(), self.word());
            self.w(a.as_bytes());
            self.w(b"_");
            self.w(b.as_bytes());
        } else {
            let a = self.plain();
            self.w(a.as_bytes());
        }
    }

    /// `n` words separated by spaces (prose for comments and strings).
    pub fn words(&mut self, n: usize) {
        for k in 0..n {
            if k > 0 {
                self.w(b" ");
            }
            let w = self.word();
            self.w(w.as_bytes());
        }
    }
}

/// Words that are a keyword, a literal or a built-in name in one of the
/// languages written here (sorted, for the binary search). Vocabulary
/// words among them are never used alone as names.
const RESERVED: &[&str] = &[
    "abstract",
    "and",
    "arguments",
    "as",
    "assert",
    "async",
    "await",
    "become",
    "box",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "coproc",
    "crate",
    "debugger",
    "def",
    "default",
    "del",
    "delete",
    "do",
    "done",
    "dyn",
    "elif",
    "else",
    "enum",
    "esac",
    "eval",
    "except",
    "export",
    "extends",
    "extern",
    "false",
    "fi",
    "final",
    "finally",
    "fn",
    "for",
    "from",
    "function",
    "gen",
    "get",
    "global",
    "if",
    "impl",
    "implements",
    "import",
    "in",
    "inf",
    "instanceof",
    "interface",
    "is",
    "lambda",
    "let",
    "loop",
    "macro",
    "match",
    "mod",
    "move",
    "mut",
    "nan",
    "new",
    "no",
    "none",
    "nonlocal",
    "not",
    "null",
    "of",
    "off",
    "on",
    "or",
    "override",
    "package",
    "pass",
    "priv",
    "private",
    "protected",
    "pub",
    "public",
    "raise",
    "ref",
    "return",
    "select",
    "self",
    "set",
    "static",
    "struct",
    "super",
    "switch",
    "then",
    "this",
    "throw",
    "time",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "undefined",
    "union",
    "unsafe",
    "unsized",
    "until",
    "use",
    "var",
    "virtual",
    "void",
    "where",
    "while",
    "with",
    "yes",
    "yield",
];

/// FNV-1a, usable in a `const` (for [`FILTER`]).
const fn fnv(w: &[u8]) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < w.len() {
        h = (h ^ w[i] as u32).wrapping_mul(0x0100_0193);
        i += 1;
    }
    h as usize
}

/// A 4096-bit filter of [`RESERVED`]'s hashes: names are drawn for most
/// lines of code, and the binary search over strings on every draw cost
/// more than writing the line.
const FILTER: [u64; 64] = {
    let mut bits = [0u64; 64];
    let mut i = 0;
    while i < RESERVED.len() {
        let h = fnv(RESERVED[i].as_bytes()) % 4096;
        bits[h / 64] |= 1 << (h % 64);
        i += 1;
    }
    bits
};

/// Is `w` in [`RESERVED`]?
#[inline]
pub(crate) fn reserved(w: &str) -> bool {
    let h = fnv(w.as_bytes()) % 4096;
    (FILTER[h / 64] >> (h % 64)) & 1 == 1 && RESERVED.binary_search(&w).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_are_sorted() {
        assert!(RESERVED.windows(2).all(|p| p[0] < p[1]));
    }

    #[test]
    fn the_filter_keeps_every_reserved_word() {
        for w in RESERVED {
            assert!(reserved(w), "{w}");
        }
        for w in ["cache", "Self", "selfish", "", "types"] {
            assert!(!reserved(w), "{w}");
        }
    }
}

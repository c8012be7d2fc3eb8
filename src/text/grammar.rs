//! A small grammar of documentation sentences.
//!
//! Sentences are built from templates over word classes (determiners,
//! pronouns, prepositions, conjunctions, auxiliaries, verbs, adjectives,
//! nouns from the open [`Lexicon`], numbers with units, identifiers in
//! inline code), so that function words, word lengths, punctuation and
//! sentence lengths fall where real documentation has them. A sentence is
//! built whole into a [`Sentence`] of pieces; the renderer then writes the
//! pieces, and may put a reference in place of any noun phrase (the pieces
//! mark where each starts and ends), which is where real text links.
//!
//! Only `. , ; : ( ) " ' ? -` appear as punctuation, and never at the start
//! of a piece, so no wrap can begin a line with list, heading, quote or
//! table syntax.

use super::lexicon::{Lexicon, MAX_WORD};
use super::lists::{
    ADJECTIVES, ADVERBS, COUNTS, MODALS, OPENERS, PREPOSITIONS, SUBORDINATORS, UNITS, VERBS,
};
use crate::rng::{Rng, Weighted};

/// No space before this piece (punctuation).
pub const ATTACH: u8 = 1;
/// The piece is a word (counted toward a block's words).
pub const WORD: u8 = 2;
/// A noun phrase starts here; a reference may replace it up to `end`.
pub const PHRASE: u8 = 4;
/// A content word (a footnote may follow it).
pub const CONTENT: u8 = 8;

/// One token of a sentence: bytes in [`Sentence::bytes`] and flags.
#[derive(Debug, Clone, Copy)]
pub struct Piece {
    /// Offset in the sentence's bytes.
    pub start: u32,
    /// Length in bytes.
    pub len: u16,
    /// [`ATTACH`], [`WORD`], [`PHRASE`], [`CONTENT`].
    pub flags: u8,
    /// For a [`PHRASE`] piece: the index of the first piece after it.
    pub end: u16,
}

/// A sentence built by [`Grammar::sentence`]: reused between sentences so
/// that building one allocates nothing.
#[derive(Debug, Default)]
pub struct Sentence {
    /// The pieces' text, concatenated.
    pub bytes: Vec<u8>,
    /// The pieces in order.
    pub pieces: Vec<Piece>,
}

impl Sentence {
    /// The bytes of piece `k`.
    #[inline]
    pub fn text(&self, k: usize) -> &[u8] {
        let p = self.pieces[k];
        &self.bytes[p.start as usize..p.start as usize + p.len as usize]
    }

    /// Piece `k` as 16 bytes from its start, when it is at most 16 long:
    /// writers copy a fixed 16 bytes and keep `len`, much cheaper than a
    /// copy of a few bytes of variable length.
    #[inline]
    pub fn padded(&self, k: usize) -> Option<crate::text::Word<'_>> {
        let p = self.pieces[k];
        let start = p.start as usize;
        (p.len <= 16).then(|| crate::text::Word {
            padded: self.bytes[start..start + 16].try_into().expect("padded"),
            len: p.len as usize,
        })
    }

    /// Sixteen bytes of slack after the last piece, for [`Sentence::padded`].
    fn pad(&mut self) {
        self.bytes.extend_from_slice(&[0; 16]);
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.pieces.clear();
    }
}

/// The grammar's tables, built once per plan.
#[derive(Debug, Clone)]
pub struct Grammar {
    lexicon: Lexicon,
    prepositions: Weighted,
    templates: Weighted,
}

/// Template weights, by the arm of [`Build::template`] they pick.
const TEMPLATES: &[f64] = &[
    22.0, // subject verb object
    9.0,  // subject modal verb object
    8.0,  // passive
    13.0, // subordinate clause, main clause
    4.0,  // main clause, subordinate clause
    14.0, // opener, clause
    6.0,  // imperative
    3.0,  // to do this, do that
    4.0,  // you can
    2.5,  // use `x` to
    1.5,  // set `x` to N
    5.0,  // which-clause
    2.0,  // semicolon
    5.0,  // parenthesis
    1.5,  // colon and a list
    2.0,  // this means that
    2.0,  // note that
    1.5,  // question
    2.5,  // short: see X
    2.0,  // it does A and B
    1.0,  // we recommend
    2.0,  // numbers
    1.0,  // both A and B
    2.0,  // but
    1.5,  // possessive
    1.0,  // don't
    1.0,  // quoted name
    3.0,  // object list
    1.0,  // it's best to
    1.0,  // unlike
    6.0,  // copula: X is a Y that ...
    4.0,  // can be done
    3.0,  // X is ADJ, so ...
    3.0,  // as with X
    2.0,  // if you want to
    1.0,  // the following ...:
    9.0,  // clause, and clause
];

impl Grammar {
    /// The grammar over a lexicon.
    pub fn new(lexicon: Lexicon) -> Grammar {
        let weights: Vec<f64> = PREPOSITIONS.iter().map(|(_, w)| *w).collect();
        Grammar {
            lexicon,
            prepositions: Weighted::new(&weights),
            templates: Weighted::new(TEMPLATES),
        }
    }

    /// The lexicon nouns come from.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Build one sentence into `s`. `markup` is the chance that a noun is
    /// emphasised or given as inline code.
    pub fn sentence(&self, rng: &mut Rng, markup: f64, s: &mut Sentence) {
        s.clear();
        let mut b = Build {
            g: self,
            rng,
            s,
            markup,
            pending_open: false,
        };
        let t = b.g.templates.sample(b.rng);
        b.template(t);
        b.capitalize_first();
        s.pad();
    }

    /// A noun phrase alone (a table cell): no sentence punctuation.
    pub fn fragment(&self, rng: &mut Rng, markup: f64, s: &mut Sentence) {
        s.clear();
        let mut b = Build {
            g: self,
            rng,
            s,
            markup,
            pending_open: false,
        };
        match b.rng.index(4) {
            0 => {
                b.adjective();
                b.noun(false);
            }
            1 => {
                let plural = b.rng.chance(0.3);
                b.noun(plural);
                b.pp();
            }
            2 => {
                b.verb(Form::Third);
                b.np();
            }
            _ => {
                b.noun(false);
            }
        }
        b.capitalize_first();
        s.pad();
    }
}

#[derive(Clone, Copy)]
enum Form {
    Base,
    Third,
    Participle,
    Gerund,
}

struct Build<'a> {
    g: &'a Grammar,
    rng: &'a mut Rng,
    s: &'a mut Sentence,
    markup: f64,
    /// An opening parenthesis waits for the next piece.
    pending_open: bool,
}

impl Build<'_> {
    fn push(&mut self, text: &[u8], flags: u8) {
        let start = self.s.bytes.len() as u32;
        if self.pending_open && flags & ATTACH == 0 {
            self.s.bytes.push(b'(');
            self.pending_open = false;
        }
        self.s.bytes.extend_from_slice(text);
        let len = (self.s.bytes.len() as u32 - start) as u16;
        self.s.pieces.push(Piece {
            start,
            len,
            flags,
            end: 0,
        });
    }

    fn word(&mut self, w: &str) {
        // A multi-word entry ("a few", "does not") is one piece per word.
        let b = w.as_bytes();
        if memchr::memchr(b' ', b).is_none() {
            return self.push(b, WORD);
        }
        for part in b.split(|&c| c == b' ') {
            self.push(part, WORD);
        }
    }

    fn punct(&mut self, p: &str) {
        self.push(p.as_bytes(), ATTACH);
    }

    fn open_paren(&mut self) {
        self.pending_open = true;
    }

    fn one_of(&mut self, list: &[&str]) {
        let w = list[self.rng.index(list.len())];
        self.word(w);
    }

    fn pick<'w>(&mut self, list: &[&'w str]) -> &'w str {
        list[self.rng.index(list.len())]
    }

    fn capitalize_first(&mut self) {
        // Past quotes, emphasis or a parenthesis; never inside inline code.
        if let Some(p) = self.s.pieces.first() {
            let text = &mut self.s.bytes[p.start as usize..(p.start + p.len as u32) as usize];
            if text.first() != Some(&b'`') {
                if let Some(b) = text.iter_mut().find(|b| b.is_ascii_alphabetic()) {
                    b.make_ascii_uppercase();
                }
            }
        }
    }

    /// A noun from the lexicon, maybe plural, maybe marked up. Returns
    /// whether it starts with a vowel (for `a`/`an`). Written straight into
    /// the sentence's bytes: this is the commonest piece.
    fn noun(&mut self, plural: bool) -> bool {
        let start = self.s.bytes.len();
        if self.pending_open {
            self.s.bytes.push(b'(');
            self.pending_open = false;
        }
        // One draw decides markup and quotes.
        let x = self.rng.unit();
        let style = if x < self.markup {
            self.rng.index(3) as u8
        } else if x < self.markup + 0.015 {
            3
        } else {
            4
        };
        let lex = &self.g.lexicon;
        let rank = lex.draw(self.rng);
        let bytes = &mut self.s.bytes;
        let (open, close): (&[u8], &[u8]) = match style {
            0 => (b"*", b"*"),
            1 => (b"**", b"**"),
            2 => (b"`", b"`"),
            3 => (b"\"", b"\""),
            _ => (b"", b""),
        };
        bytes.extend_from_slice(open);
        let word_at = bytes.len();
        lex.append(rank, bytes);
        let vowel = matches!(bytes.get(word_at), Some(b'a' | b'e' | b'i' | b'o' | b'u'));
        let mut flags = WORD | CONTENT;
        if style == 2 {
            // An identifier, as documentation names options and functions
            // in running text.
            bytes.push(b'_');
            let second = lex.draw(self.rng);
            lex.append(second, &mut self.s.bytes);
            if self.rng.chance(0.3) {
                self.s.bytes.extend_from_slice(b"()");
            }
            flags = WORD;
        } else if plural {
            pluralize(bytes, word_at);
        }
        self.s.bytes.extend_from_slice(close);
        let len = (self.s.bytes.len() - start) as u16;
        self.s.pieces.push(Piece {
            start: start as u32,
            len,
            flags,
            end: 0,
        });
        vowel && style != 2
    }

    fn adjective(&mut self) -> bool {
        let a = self.pick(ADJECTIVES);
        self.word(a);
        matches!(a.as_bytes()[0], b'a' | b'e' | b'i' | b'o' | b'u')
    }

    /// A noun phrase; returns whether it is plural. Marked as a place for
    /// a reference.
    fn np(&mut self) -> bool {
        let first = self.s.pieces.len();
        let plural = self.rng.chance(0.3);
        if plural {
            let x = self.rng.unit();
            let det = match x {
                x if x < 0.50 => None,
                x if x < 0.68 => Some("the"),
                x if x < 0.74 => Some("all"),
                x if x < 0.80 => Some("these"),
                x if x < 0.86 => Some("some"),
                x if x < 0.91 => Some("your"),
                x if x < 0.94 => Some("many"),
                x if x < 0.97 => Some("other"),
                _ => Some("its"),
            };
            if let Some(d) = det {
                self.word(d);
            }
            if self.rng.chance(0.25) {
                self.adjective();
            }
            if self.rng.chance(0.15) {
                self.noun(false);
            }
            self.noun(true);
        } else {
            let x = self.rng.unit();
            let det = match x {
                x if x < 0.31 => Some("the"),
                x if x < 0.53 => Some("a"),
                x if x < 0.56 => Some("this"),
                x if x < 0.60 => Some("each"),
                x if x < 0.64 => Some("your"),
                x if x < 0.66 => Some("its"),
                x if x < 0.68 => Some("any"),
                x if x < 0.70 => Some("that"),
                x if x < 0.71 => Some("every"),
                x if x < 0.72 => Some("our"),
                x if x < 0.74 => Some("one"),
                x if x < 0.75 => Some("another"),
                _ => None,
            };
            let det_at = self.s.pieces.len();
            if let Some(d) = det {
                self.word(d);
            }
            let vowel = match self.rng.index(10) {
                0..=2 => {
                    let v = self.adjective();
                    if self.rng.chance(0.2) {
                        self.noun(false);
                    }
                    self.noun(false);
                    v
                }
                3 | 4 => {
                    let v = self.noun(false);
                    self.noun(false);
                    v
                }
                _ => self.noun(false),
            };
            if det == Some("a") && vowel {
                let at = self.s.bytes.len() as u32;
                self.s.bytes.extend_from_slice(b"an");
                let p = &mut self.s.pieces[det_at];
                p.start = at;
                p.len = 2;
            }
        }
        let end = self.s.pieces.len() as u16;
        let p = &mut self.s.pieces[first];
        // A piece that carries an opening parenthesis stays: a reference in
        // its place would lose it.
        if self.s.bytes[p.start as usize] != b'(' {
            p.flags |= PHRASE;
            p.end = end;
        }
        plural
    }

    fn pp(&mut self) {
        let k = self.g.prepositions.sample(self.rng);
        self.word(PREPOSITIONS[k].0);
        self.np();
    }

    fn maybe_pp(&mut self, p: f64) {
        if self.rng.chance(p) {
            self.pp();
            if self.rng.chance(0.15) {
                self.pp();
            }
        }
    }

    fn verb(&mut self, form: Form) {
        let v = VERBS[self.rng.index(VERBS.len())];
        self.word(match form {
            Form::Base => v.0,
            Form::Third => v.1,
            Form::Participle => v.2,
            Form::Gerund => v.3,
        });
    }

    fn be(&mut self, plural: bool) {
        self.word(if plural { "are" } else { "is" });
    }

    /// Subject, verb agreeing with it, object, maybe a prepositional phrase.
    fn clause(&mut self) {
        let plural = self.subject();
        self.maybe_adverb(0.12);
        let finite = if plural { Form::Base } else { Form::Third };
        self.verb(finite);
        self.object();
        self.maybe_pp(0.55);
        if self.rng.chance(0.12) {
            // A purpose: documentation explains why as often as what.
            self.one_of(&["to", "to", "in order to", "so that you can"]);
            self.verb(Form::Base);
            self.np();
        } else if self.rng.chance(0.15) {
            self.word("and");
            self.verb(finite);
            self.object();
        }
    }

    /// A verb's object: a noun phrase, now and then two joined, or one
    /// with a relative clause.
    fn object(&mut self) {
        let plural = self.np();
        let x = self.rng.unit();
        if x < 0.06 {
            self.one_of(&["and", "and", "or"]);
            self.np();
        } else if x < 0.1 {
            self.punct(",");
            self.np();
            if self.rng.chance(0.5) {
                self.punct(",");
            }
            self.one_of(&["and", "and", "or"]);
            self.np();
        } else if x < 0.2 {
            if self.rng.chance(0.3) {
                self.punct(",");
                self.word("which");
            } else {
                self.word("that");
            }
            self.one_of(&["is", "can be", "is not", "was"]);
            self.verb(Form::Participle);
            self.maybe_pp(0.6);
        } else if x < 0.25 {
            self.word("that");
            self.verb(if plural { Form::Base } else { Form::Third });
            self.np();
        } else if x < 0.29 {
            self.open_paren();
            self.one_of(&[
                "the default",
                "optional",
                "see below",
                "if any",
                "in bytes",
                "one per line",
                "not recommended",
                "usually empty",
            ]);
            self.punct(")");
        }
    }

    /// A subject: a noun phrase or a pronoun. Returns whether it is plural.
    fn subject(&mut self) -> bool {
        match self.rng.index(10) {
            0 => {
                self.word("it");
                false
            }
            1 => {
                self.one_of(&["you", "we", "they"]);
                true
            }
            2 => {
                self.word("this");
                false
            }
            _ => self.np(),
        }
    }

    fn maybe_adverb(&mut self, p: f64) {
        if self.rng.chance(p) {
            let a = self.pick(ADVERBS);
            self.word(a);
        }
    }

    fn number(&mut self) {
        let mut digits = [0u8; 20];
        let n = match self.rng.index(4) {
            0 => 1 + self.rng.below(9),
            1 => 10 + self.rng.below(90),
            2 => [16, 32, 64, 128, 256, 512, 1024][self.rng.index(7)],
            _ => 100 + self.rng.below(9900),
        };
        let mut d = super::u64_digits(n, &mut digits).to_vec();
        if n < 100 && self.rng.chance(0.25) {
            d.push(b'.');
            d.push(b'1' + self.rng.below(9) as u8);
        }
        self.push(&d, WORD);
        let u = self.pick(UNITS);
        self.word(u);
    }

    fn code(&mut self) {
        let mut a = [0u8; MAX_WORD];
        let mut b = [0u8; MAX_WORD];
        let n = self.g.lexicon.sample(self.rng, &mut a);
        let m = self.g.lexicon.sample(self.rng, &mut b);
        let mut t = Vec::with_capacity(n + m + 5);
        t.push(b'`');
        t.extend_from_slice(&a[..n]);
        t.push(b'_');
        t.extend_from_slice(&b[..m]);
        t.push(b'`');
        self.push(&t, WORD);
    }

    fn end(&mut self, p: &str) {
        self.punct(p);
    }

    fn template(&mut self, t: usize) {
        match t {
            0 => {
                self.clause();
                self.end(".");
            }
            1 => {
                let plural = self.subject();
                let _ = plural;
                let m = self.pick(MODALS);
                self.word(m);
                self.maybe_adverb(0.1);
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.5);
                self.end(".");
            }
            2 => {
                let plural = self.np();
                self.be(plural);
                self.maybe_adverb(0.15);
                self.verb(Form::Participle);
                if self.rng.chance(0.5) {
                    let s = self.pick(SUBORDINATORS);
                    self.word(s);
                    self.clause();
                } else {
                    self.pp();
                }
                self.end(".");
            }
            3 => {
                let s = self.pick(SUBORDINATORS);
                self.word(s);
                if self.rng.chance(0.4) {
                    let plural = self.np();
                    self.be(plural);
                    self.adjective();
                } else {
                    self.clause();
                }
                self.punct(",");
                self.clause();
                self.end(".");
            }
            4 => {
                self.clause();
                let s = self.pick(SUBORDINATORS);
                self.word(s);
                self.clause();
                self.end(".");
            }
            5 => {
                let o = self.pick(OPENERS);
                self.word(o);
                self.punct(",");
                self.clause();
                self.end(".");
            }
            6 => {
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.6);
                self.end(".");
            }
            7 => {
                self.word("to");
                self.verb(Form::Base);
                self.np();
                self.punct(",");
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.4);
                self.end(".");
            }
            8 => {
                self.word("you");
                self.one_of(&["can", "can", "need to", "may want to"]);
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.6);
                self.end(".");
            }
            9 => {
                self.word("use");
                self.code();
                self.word("to");
                self.verb(Form::Base);
                self.np();
                self.end(".");
            }
            10 => {
                self.word("set");
                self.code();
                self.word("to");
                self.number();
                self.word("to");
                self.verb(Form::Base);
                self.np();
                self.end(".");
            }
            11 => {
                self.clause();
                self.punct(",");
                self.word("which");
                self.verb(Form::Third);
                self.np();
                self.end(".");
            }
            12 => {
                self.clause();
                self.punct(";");
                self.clause();
                self.end(".");
            }
            13 => {
                if self.rng.chance(0.5) {
                    let plural = self.np();
                    self.open_paren();
                    self.one_of(&["for example", "such as", "or"]);
                    if self.pieces_last_is("example") {
                        self.punct(",");
                    }
                    self.np();
                    self.punct(")");
                    self.verb(if plural { Form::Base } else { Form::Third });
                    self.np();
                } else {
                    self.clause();
                    self.open_paren();
                    self.word("see");
                    self.np();
                    self.punct(")");
                }
                self.end(".");
            }
            14 => {
                self.word("there are");
                let c = self.pick(COUNTS);
                self.word(c);
                self.noun(true);
                self.punct(":");
                self.np();
                self.punct(",");
                self.np();
                self.one_of(&["and", "or"]);
                self.np();
                self.end(".");
            }
            15 => {
                self.word("this means that");
                self.clause();
                self.end(".");
            }
            16 => {
                self.word("note that");
                self.clause();
                self.end(".");
            }
            17 => {
                if self.rng.chance(0.5) {
                    self.word("what happens when");
                    self.clause();
                } else {
                    self.one_of(&["how does", "why does", "when does"]);
                    self.np();
                    self.verb(Form::Base);
                    self.np();
                }
                self.end("?");
            }
            18 => {
                match self.rng.index(4) {
                    0 => {
                        self.word("see");
                        self.np();
                    }
                    1 => {
                        self.word("for details");
                        self.punct(",");
                        self.word("see");
                        self.np();
                    }
                    2 => {
                        self.one_of(&["this is", "it is", "that is"]);
                        self.adjective();
                    }
                    _ => {
                        self.word("it is");
                        self.adjective();
                        self.word("by default");
                    }
                }
                self.end(".");
            }
            19 => {
                self.word("it");
                self.verb(Form::Third);
                self.np();
                self.word("and");
                self.verb(Form::Third);
                self.np();
                self.maybe_pp(0.4);
                self.end(".");
            }
            20 => {
                self.word("we recommend");
                self.verb(Form::Gerund);
                self.np();
                self.maybe_pp(0.6);
                self.end(".");
            }
            21 => {
                let plural = self.subject();
                self.verb(if plural { Form::Base } else { Form::Third });
                if self.rng.chance(0.4) {
                    self.one_of(&["up to", "at most", "about", "at least"]);
                }
                self.number();
                self.maybe_pp(0.5);
                self.end(".");
            }
            22 => {
                self.word("both");
                self.np();
                self.word("and");
                self.np();
                self.verb(Form::Base);
                self.np();
                self.end(".");
            }
            23 => {
                self.clause();
                self.punct(",");
                self.word("but");
                let plural = self.subject();
                self.word(if plural { "do not" } else { "does not" });
                self.verb(Form::Base);
                self.np();
                self.end(".");
            }
            24 => {
                self.word("the");
                self.noun(false);
                self.punct("'s");
                self.noun(false);
                self.verb(Form::Third);
                self.np();
                self.maybe_pp(0.4);
                self.end(".");
            }
            25 => {
                self.one_of(&["don't", "do not", "never"]);
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.5);
                self.end(".");
            }
            26 => {
                self.word("the");
                self.noun(false);
                self.punct(",");
                self.word("called");
                let mut w = [0u8; MAX_WORD];
                let n = self.g.lexicon.sample(self.rng, &mut w);
                let mut q = Vec::with_capacity(n + 2);
                q.push(b'"');
                q.extend_from_slice(&w[..n]);
                q.push(b'"');
                self.push(&q, WORD);
                self.punct(",");
                self.verb(Form::Third);
                self.np();
                self.end(".");
            }
            27 => {
                let plural = self.subject();
                self.verb(if plural { Form::Base } else { Form::Third });
                self.np();
                self.punct(",");
                self.np();
                if self.rng.chance(0.4) {
                    self.punct(",");
                }
                self.one_of(&["and", "or"]);
                self.np();
                self.end(".");
            }
            28 => {
                self.one_of(&["it's", "it is"]);
                self.one_of(&["best", "safer", "easier", "common"]);
                self.word("to");
                self.verb(Form::Base);
                self.np();
                self.word("before");
                self.verb(Form::Gerund);
                self.np();
                self.end(".");
            }
            29 => {
                self.word("unlike");
                self.np();
                self.punct(",");
                self.clause();
                self.end(".");
            }
            30 => {
                let plural = self.subject();
                self.be(plural);
                if self.rng.chance(0.5) {
                    self.word(if plural { "the" } else { "a" });
                    self.noun(plural);
                    self.word("that");
                    self.verb(if plural { Form::Base } else { Form::Third });
                    self.np();
                } else {
                    self.maybe_adverb(0.2);
                    self.adjective();
                    self.pp();
                }
                self.end(".");
            }
            31 => {
                self.np();
                self.one_of(&["can", "can", "should", "must", "may", "cannot"]);
                self.word("be");
                self.verb(Form::Participle);
                self.pp();
                if self.rng.chance(0.3) {
                    self.one_of(&["or", "and"]);
                    self.pp();
                }
                self.end(".");
            }
            32 => {
                let plural = self.np();
                self.be(plural);
                if self.rng.chance(0.3) {
                    self.word("not");
                }
                self.adjective();
                self.punct(",");
                self.one_of(&["so", "and", "but"]);
                self.clause();
                self.end(".");
            }
            33 => {
                self.one_of(&["as with", "as in", "as for"]);
                self.np();
                self.punct(",");
                self.clause();
                self.end(".");
            }
            34 => {
                self.word("if you want to");
                self.verb(Form::Base);
                self.np();
                self.punct(",");
                self.one_of(&[
                    "you can",
                    "you should",
                    "you need to",
                    "we recommend that you",
                ]);
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.5);
                self.end(".");
            }
            35 => {
                self.word("the following");
                self.noun(true);
                self.verb(Form::Base);
                self.np();
                self.end(":");
            }
            _ => {
                self.clause();
                self.punct(",");
                self.one_of(&["and", "and", "but", "so", "and then", "or"]);
                self.clause();
                self.end(".");
            }
        }
    }

    fn pieces_last_is(&self, w: &str) -> bool {
        self.s
            .pieces
            .len()
            .checked_sub(1)
            .is_some_and(|k| self.s.text(k) == w.as_bytes())
    }
}

/// English plural of the lowercase noun at `bytes[at..]`, in place.
fn pluralize(bytes: &mut Vec<u8>, at: usize) {
    let w = &bytes[at..];
    let n = w.len();
    if w.ends_with(b"s") || w.ends_with(b"x") || w.ends_with(b"ch") || w.ends_with(b"sh") {
        bytes.extend_from_slice(b"es");
    } else if n > 1 && w[n - 1] == b'y' && !matches!(w[n - 2], b'a' | b'e' | b'o' | b'u') {
        bytes.pop();
        bytes.extend_from_slice(b"ies");
    } else {
        bytes.push(b's');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grammar() -> Grammar {
        Grammar::new(Lexicon::new(1500, 1.2, 2.0))
    }

    fn text(s: &Sentence) -> String {
        let mut out = String::new();
        for (k, p) in s.pieces.iter().enumerate() {
            if k > 0 && p.flags & ATTACH == 0 {
                out.push(' ');
            }
            out.push_str(std::str::from_utf8(s.text(k)).unwrap());
        }
        out
    }

    #[test]
    fn sentences_start_capitalised_and_end_with_a_stop() {
        let g = grammar();
        let mut rng = crate::rng::stream(1, crate::rng::Domain::Body, &[]);
        let mut s = Sentence::default();
        for _ in 0..2_000 {
            g.sentence(&mut rng, 0.05, &mut s);
            let t = text(&s);
            let first = t
                .bytes()
                .find(|b| b.is_ascii_alphanumeric() || *b == b'`')
                .unwrap();
            assert!(first.is_ascii_uppercase() || first == b'`', "{t}");
            assert!(
                t.ends_with('.') || t.ends_with('?') || t.ends_with(':'),
                "{t}"
            );
            assert_eq!(t.matches('(').count(), t.matches(')').count(), "{t}");
        }
    }

    #[test]
    fn pieces_never_start_with_block_syntax() {
        let g = grammar();
        let mut rng = crate::rng::stream(2, crate::rng::Domain::Body, &[]);
        let mut s = Sentence::default();
        for _ in 0..5_000 {
            g.sentence(&mut rng, 0.1, &mut s);
            for k in 0..s.pieces.len() {
                let t = s.text(k);
                assert!(
                    !matches!(t[0], b'#' | b'>' | b'-' | b'+' | b'=' | b'|' | b'<' | b'['),
                    "{t:?}"
                );
                assert!(!t.iter().any(|b| matches!(
                    b,
                    b'[' | b']' | b'<' | b'&' | b'\\' | b'~' | b'$' | b'%' | b'#' | b'|'
                )));
            }
        }
    }

    #[test]
    fn plurals_follow_spelling() {
        for (w, p) in [
            ("cache", "caches"),
            ("index", "indexes"),
            ("policy", "policies"),
            ("key", "keys"),
            ("batch", "batches"),
        ] {
            let mut buf = b"x ".to_vec();
            buf.extend_from_slice(w.as_bytes());
            pluralize(&mut buf, 2);
            assert_eq!(&buf[2..], p.as_bytes());
        }
    }
}

//! A small grammar of documentation sentences.
//!
//! Sentences are built from templates over word classes (determiners,
//! pronouns, prepositions, conjunctions, auxiliaries, verbs, adjectives,
//! nouns from the open [`Lexicon`], numbers with units, identifiers in
//! inline code), so that function words, word lengths, punctuation and
//! sentence lengths fall where real documentation has them.
//!
//! A sentence is not built into a buffer and copied: the grammar hands its
//! tokens to a [`Sink`] as it chooses them, and asks the sink at the start
//! of every noun phrase whether it wants to put a reference there instead
//! (where real text links: a phrase, not a point between two words). One
//! pass, no intermediate copy: the prose is most of a corpus's bytes.
//!
//! Only `. , ; : ( ) " ' ? -` appear as punctuation, and never at the start
//! of a token, so no wrap can begin a line with list, heading, quote or
//! table syntax.

use super::lexicon::{Lexicon, MAX_WORD};
use super::lists::{
    w, ADJECTIVES, ADVERBS, COUNTS, MODALS, OPENERS, PREPOSITIONS, SUBORDINATORS, UNITS, VERBS, W,
};
use crate::rng::{unit_threshold, Lookup, Rng};

/// Where the grammar writes a sentence, token by token.
pub trait Sink {
    /// The generator every choice of the sentence draws from.
    fn rng(&mut self) -> &mut Rng;
    /// A token after a separator: `words` words (an entry such as "a few"
    /// is one token of two words); `content` marks a noun, after which a
    /// footnote may go.
    fn token(&mut self, text: &[u8], words: u32, content: bool);
    /// [`Sink::token`] for a token of `len` bytes at the start of `buf`
    /// (the rest is slack): a writer may copy all 32 bytes and keep `len`,
    /// a fixed move where a copy of a varying few bytes branches on the
    /// length and mispredicts.
    fn padded(&mut self, buf: &[u8; 32], len: usize, words: u32, content: bool) {
        self.token(&buf[..len], words, content);
    }
    /// Punctuation, with no separator before it.
    fn attach(&mut self, text: &[u8]);
    /// A noun phrase starts here: return true after writing a reference in
    /// its place, and the grammar skips the phrase.
    fn phrase(&mut self) -> bool {
        false
    }
}

/// The grammar's tables, built once per plan.
#[derive(Debug, Clone)]
pub struct Grammar {
    lexicon: Lexicon,
    /// Scales the chance of optional function-word constructions.
    fw: f64,
    prepositions: Lookup,
    templates: Lookup,
    /// [`SINGULAR`]'s and [`PLURAL`]'s bounds as thresholds on
    /// [`Rng::unit_bits`], and the bound below which a plural goes bare.
    singular: [u64; SINGULAR.len() - 1],
    plural: [u64; PLURAL.len() - 1],
    bare: u64,
}

/// Determiners of a singular noun phrase, each up to a bound on one
/// uniform draw; the last (no determiner) takes the rest.
const SINGULAR: [(f64, W); 13] = [
    (0.31, w("the")),
    (0.53, w("a")),
    (0.56, w("this")),
    (0.60, w("each")),
    (0.64, w("your")),
    (0.66, w("its")),
    (0.68, w("any")),
    (0.70, w("that")),
    (0.71, w("every")),
    (0.72, w("our")),
    (0.74, w("one")),
    (0.75, w("another")),
    (1.0, w("")),
];

/// Determiners of a plural noun phrase past the bare share, as
/// [`SINGULAR`].
const PLURAL: [(f64, W); 8] = [
    (0.68, w("the")),
    (0.74, w("all")),
    (0.80, w("these")),
    (0.86, w("some")),
    (0.91, w("your")),
    (0.94, w("many")),
    (0.97, w("other")),
    (1.0, w("its")),
];

/// The first of `bounds` a draw's bits fall below, counted without a
/// branch: the determiner chains mispredicted on most noun phrases.
#[inline]
fn bucket(bits: u64, bounds: &[u64]) -> usize {
    bounds.iter().map(|&t| (bits >= t) as usize).sum()
}

fn thresholds<const N: usize>(table: &[(f64, W)]) -> [u64; N] {
    std::array::from_fn(|i| unit_threshold(table[i].0))
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
            fw: 1.0,
            prepositions: Lookup::new(&weights),
            templates: Lookup::new(TEMPLATES),
            singular: thresholds(&SINGULAR),
            plural: thresholds(&PLURAL),
            bare: unit_threshold(0.5),
        }
    }

    /// The same grammar taking optional function-word constructions
    /// (prepositional phrases, pronoun subjects, determiners on plural
    /// nouns) `fw` times as often as its own rate (profile key
    /// `text.function_words`).
    pub fn with_function_words(mut self, fw: f64) -> Grammar {
        self.fw = fw;
        self.bare = unit_threshold(0.5 / fw.max(0.5));
        self
    }

    /// The lexicon nouns come from.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Write one sentence to `out`, capitalised and closed. `markup` is the
    /// chance that a noun is emphasised or given as inline code.
    pub fn sentence<S: Sink>(&self, out: &mut S, markup: f64) {
        let mut b = Build::new(self, out, markup);
        let t = b.g.templates.sample(b.out.rng());
        b.template(t);
    }

    /// A sentence of two to six words, the short paragraphs of reference
    /// pages are made of ("Returns the buffer.", "Default: `max_size`.").
    pub fn short_sentence<S: Sink>(&self, out: &mut S, markup: f64) {
        let mut b = Build::new(self, out, markup);
        match b.out.rng().index(4) {
            0 => b.template(18),
            1 => {
                b.word(const { w("returns") });
                b.np();
                b.end(".");
            }
            2 => {
                b.word(const { w("default") });
                b.punct(":");
                b.code();
                b.end(".");
            }
            _ => {
                let plural = b.np();
                b.be(plural);
                b.adjective();
                b.end(".");
            }
        }
    }

    /// A noun phrase alone (a table cell): no sentence punctuation.
    pub fn fragment<S: Sink>(&self, out: &mut S, markup: f64) {
        let mut b = Build::new(self, out, markup);
        match b.out.rng().index(4) {
            0 => {
                b.adjective();
                b.noun(false);
            }
            1 => {
                let plural = b.out.rng().chance(0.3);
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
    }
}

#[derive(Clone, Copy)]
enum Form {
    Base,
    Third,
    Participle,
    Gerund,
}

/// A token being assembled before it goes to the sink: a noun with its
/// markup, plural ending or identifier suffix, or a number.
struct Tok {
    buf: [u8; 80],
    len: usize,
}

impl Tok {
    fn new() -> Tok {
        Tok {
            buf: [0; 80],
            len: 0,
        }
    }

    #[inline]
    fn push(&mut self, b: &[u8]) {
        self.buf[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
    }

    /// Append a word drawn from the lexicon, spelled in place (a fixed
    /// copy of [`MAX_WORD`] bytes, then cut); returns its first letter.
    #[inline]
    fn word(&mut self, lex: &Lexicon, rng: &mut Rng) -> u8 {
        let at = self.len;
        let slot: &mut [u8; MAX_WORD] = (&mut self.buf[at..at + MAX_WORD])
            .try_into()
            .expect("a token has room for a word");
        self.len += lex.sample(rng, slot);
        self.buf[at]
    }

    /// Append the first `n` (0 to 2) of two bytes, by a fixed store.
    #[inline]
    fn mark(&mut self, m: [u8; 2], n: usize) {
        self.buf[self.len..self.len + 2].copy_from_slice(&m);
        self.len += n;
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Markup around a noun by style (see `Build::noun_into`): emphasis,
/// strong, inline code, quotes, none.
const MARKS: [([u8; 2], usize); 5] = [
    (*b"* ", 1),
    (*b"**", 2),
    (*b"` ", 1),
    (*b"\" ", 1),
    (*b"  ", 0),
];

struct Build<'a, S> {
    g: &'a Grammar,
    out: &'a mut S,
    markup: f64,
    /// An opening parenthesis waits for the next token.
    pending_open: bool,
    /// The next token starts the sentence (capitalise it).
    first: bool,
}

impl<'a, S: Sink> Build<'a, S> {
    fn new(g: &'a Grammar, out: &'a mut S, markup: f64) -> Self {
        Build {
            g,
            out,
            markup,
            pending_open: false,
            first: true,
        }
    }

    /// Hand a token to the sink, with a waiting parenthesis before it and
    /// a capital if it starts the sentence (never inside inline code).
    fn emit(&mut self, text: &[u8], words: u32, content: bool) {
        if !(self.pending_open | self.first) {
            return self.out.token(text, words, content);
        }
        let mut t = Tok::new();
        if self.pending_open {
            t.push(b"(");
        }
        let at = t.len;
        t.push(text);
        self.dress(&mut t, at, words, content);
    }

    /// [`Build::emit`] for `len` bytes at the start of a padded buffer:
    /// the token is assembled by fixed copies and reaches the sink padded.
    fn emit_padded(&mut self, buf: &[u8; 32], len: usize, words: u32, content: bool) {
        let mut t = Tok::new();
        let at = self.pending_open as usize;
        t.buf[0] = b'(';
        t.buf[at..at + 32].copy_from_slice(buf);
        t.len = at + len;
        self.dress(&mut t, at, words, content);
    }

    /// The waiting parenthesis is in `t` (the text starts at `at`):
    /// capitalise the first letter if the token starts the sentence, and
    /// hand it on.
    fn dress(&mut self, t: &mut Tok, at: usize, words: u32, content: bool) {
        self.pending_open = false;
        if self.first {
            self.first = false;
            if t.buf[at] != b'`' {
                if let Some(b) = t.buf[at..t.len]
                    .iter_mut()
                    .find(|b| b.is_ascii_alphabetic())
                {
                    b.make_ascii_uppercase();
                }
            }
        }
        self.send(t, words, content);
    }

    /// A finished token to the sink: padded when it fits 32 bytes.
    #[inline]
    fn send(&mut self, t: &Tok, words: u32, content: bool) {
        if t.len <= 32 {
            let buf: &[u8; 32] = t.buf[..32].try_into().expect("32 bytes");
            self.out.padded(buf, t.len, words, content);
        } else {
            self.out.token(t.bytes(), words, content);
        }
    }

    // `emit_tok`, `word` and `noun` are out of line: every template calls
    // them, and inlined copies made the templates outgrow the instruction
    // cache (docs/PERFORMANCE.md, stop 33).
    /// [`Build::emit`] for an assembled token.
    #[inline(never)]
    fn emit_tok(&mut self, t: &Tok, words: u32, content: bool) {
        if !(self.pending_open | self.first) {
            return self.send(t, words, content);
        }
        if t.len <= 32 {
            let buf: &[u8; 32] = t.buf[..32].try_into().expect("32 bytes");
            return self.emit_padded(buf, t.len, words, content);
        }
        self.emit(t.bytes(), words, content);
    }

    /// A word of the grammar's own: a fixed copy, and its word count
    /// worked out when the constant was made.
    #[inline(never)]
    fn word(&mut self, w: W) {
        if !(self.pending_open | self.first) {
            return self.out.padded(&w.b, w.len as usize, w.words as u32, false);
        }
        self.emit_padded(&w.b, w.len as usize, w.words as u32, false);
    }

    fn punct(&mut self, p: &str) {
        self.out.attach(p.as_bytes());
    }

    fn open_paren(&mut self) {
        self.pending_open = true;
    }

    fn one_of(&mut self, list: &[W]) {
        let w = list[self.out.rng().index(list.len())];
        self.word(w);
    }

    fn pick(&mut self, list: &[W]) -> W {
        list[self.out.rng().index(list.len())]
    }

    /// A noun from the lexicon, maybe plural, maybe marked up, assembled
    /// in `t`. Returns whether it starts with a vowel (for `a`/`an`) and
    /// whether it is a content word (inline code is not).
    fn noun_into(&mut self, plural: bool, t: &mut Tok) -> (bool, bool) {
        // One draw decides markup and quotes.
        let rng = self.out.rng();
        let x = rng.unit();
        let style = if x < self.markup {
            rng.index(3) as u8
        } else if x < self.markup + 0.015 {
            3
        } else {
            4
        };
        let lex = &self.g.lexicon;
        // The markup around the noun, written as two fixed bytes of which
        // `n` count: no branch on the style.
        let (mark, n) = MARKS[style as usize];
        t.mark(mark, n);
        let vowel = matches!(
            t.word(lex, self.out.rng()),
            b'a' | b'e' | b'i' | b'o' | b'u'
        );
        if style == 2 {
            // An identifier, as documentation names options and functions
            // in running text.
            t.push(b"_");
            t.word(lex, self.out.rng());
            if self.out.rng().chance(0.3) {
                t.push(b"()");
            }
        } else if plural {
            pluralize(t);
        }
        t.mark(mark, n);
        (vowel && style != 2, style != 2)
    }

    #[inline(never)]
    fn noun(&mut self, plural: bool) -> bool {
        let mut t = Tok::new();
        let (vowel, content) = self.noun_into(plural, &mut t);
        self.emit_tok(&t, 1, content);
        vowel
    }

    fn adjective(&mut self) -> bool {
        let a = self.pick(ADJECTIVES);
        self.word(a);
        matches!(a.b[0], b'a' | b'e' | b'i' | b'o' | b'u')
    }

    /// A noun phrase; returns whether it is plural. The sink may put a
    /// reference in its place (never right after an opening parenthesis,
    /// which the phrase's first token carries).
    fn np(&mut self) -> bool {
        let plural = self.out.rng().chance(0.3);
        if !self.pending_open && self.out.phrase() {
            self.first = false;
            return plural;
        }
        if plural {
            // Half of plural nouns go bare at the grammar's own rate.
            let bits = self.out.rng().unit_bits();
            let d = PLURAL[bucket(bits, &self.g.plural)].1;
            if bits >= self.g.bare {
                self.word(d);
            }
            if self.out.rng().chance(0.25) {
                self.adjective();
            }
            if self.out.rng().chance(0.15) {
                self.noun(false);
            }
            self.noun(true);
        } else {
            let k = bucket(self.out.rng().unit_bits(), &self.g.singular);
            // The first word is chosen before the determiner is written, so
            // that `a` can become `an`.
            let shape = self.out.rng().index(10);
            let mut t = Tok::new();
            let (adjective, vowel, content) = if shape <= 2 {
                let a = self.pick(ADJECTIVES);
                (
                    Some(a),
                    matches!(a.b[0], b'a' | b'e' | b'i' | b'o' | b'u'),
                    false,
                )
            } else {
                let (v, c) = self.noun_into(false, &mut t);
                (None, v, c)
            };
            if k + 1 < SINGULAR.len() {
                let d = if vowel && k == 1 {
                    const { w("an") }
                } else {
                    SINGULAR[k].1
                };
                self.word(d);
            }
            match adjective {
                Some(a) => self.word(a),
                None => self.emit_tok(&t, 1, content),
            }
            match shape {
                0..=2 => {
                    if self.out.rng().chance(0.2) {
                        self.noun(false);
                    }
                    self.noun(false);
                }
                3 | 4 => {
                    self.noun(false);
                }
                _ => {}
            }
        }
        plural
    }

    fn pp(&mut self) {
        let k = self.g.prepositions.sample(self.out.rng());
        self.word(PREPOSITIONS[k].0);
        self.np();
    }

    fn maybe_pp(&mut self, p: f64) {
        if self.out.rng().chance(p * self.g.fw) {
            self.pp();
            if self.out.rng().chance(0.15) {
                self.pp();
            }
        }
    }

    fn verb(&mut self, form: Form) {
        let v = VERBS[self.out.rng().index(VERBS.len())];
        self.word(match form {
            Form::Base => v.0,
            Form::Third => v.1,
            Form::Participle => v.2,
            Form::Gerund => v.3,
        });
    }

    fn be(&mut self, plural: bool) {
        self.word(if plural {
            const { w("are") }
        } else {
            const { w("is") }
        });
    }

    /// Subject, verb agreeing with it, object, maybe a prepositional phrase.
    fn clause(&mut self) {
        let plural = self.subject();
        self.maybe_adverb(0.12);
        let finite = if plural { Form::Base } else { Form::Third };
        self.verb(finite);
        self.object();
        self.maybe_pp(0.55);
        if self.out.rng().chance(0.12) {
            // A purpose: documentation explains why as often as what.
            self.one_of(const { &[w("to"), w("to"), w("in order to"), w("so that you can")] });
            self.verb(Form::Base);
            self.np();
        } else if self.out.rng().chance(0.15) {
            self.word(const { w("and") });
            self.verb(finite);
            self.object();
        }
    }

    /// A verb's object: a noun phrase, now and then two joined, or one
    /// with a relative clause.
    fn object(&mut self) {
        let plural = self.np();
        let x = self.out.rng().unit();
        if x < 0.06 {
            self.one_of(const { &[w("and"), w("and"), w("or")] });
            self.np();
        } else if x < 0.1 {
            self.punct(",");
            self.np();
            if self.out.rng().chance(0.5) {
                self.punct(",");
            }
            self.one_of(const { &[w("and"), w("and"), w("or")] });
            self.np();
        } else if x < 0.2 {
            if self.out.rng().chance(0.3) {
                self.punct(",");
                self.word(const { w("which") });
            } else {
                self.word(const { w("that") });
            }
            self.one_of(const { &[w("is"), w("can be"), w("is not"), w("was")] });
            self.verb(Form::Participle);
            self.maybe_pp(0.6);
        } else if x < 0.25 {
            self.word(const { w("that") });
            self.verb(if plural { Form::Base } else { Form::Third });
            self.np();
        } else if x < 0.29 {
            self.open_paren();
            self.one_of(
                const {
                    &[
                        w("the default"),
                        w("optional"),
                        w("see below"),
                        w("if any"),
                        w("in bytes"),
                        w("one per line"),
                        w("not recommended"),
                        w("usually empty"),
                    ]
                },
            );
            self.punct(")");
        }
    }

    /// A subject: a noun phrase or a pronoun. Returns whether it is plural.
    fn subject(&mut self) -> bool {
        // Pronouns are three subjects in ten at the grammar's own rate.
        let x = self.out.rng().unit() * 10.0 / self.g.fw;
        match x as usize {
            0 => {
                self.word(const { w("it") });
                false
            }
            1 => {
                self.one_of(const { &[w("you"), w("we"), w("they")] });
                true
            }
            2 => {
                self.word(const { w("this") });
                false
            }
            _ => self.np(),
        }
    }

    fn maybe_adverb(&mut self, p: f64) {
        if self.out.rng().chance(p) {
            let a = self.pick(ADVERBS);
            self.word(a);
        }
    }

    fn number(&mut self) {
        let mut digits = [0u8; 20];
        let n = match self.out.rng().index(4) {
            0 => 1 + self.out.rng().below(9),
            1 => 10 + self.out.rng().below(90),
            2 => [16, 32, 64, 128, 256, 512, 1024][self.out.rng().index(7)],
            _ => 100 + self.out.rng().below(9900),
        };
        let mut t = Tok::new();
        t.push(super::u64_digits(n, &mut digits));
        if n < 100 && self.out.rng().chance(0.25) {
            t.push(b".");
            t.buf[t.len] = b'1' + self.out.rng().below(9) as u8;
            t.len += 1;
        }
        self.emit_tok(&t, 1, false);
        let u = self.pick(UNITS);
        self.word(u);
    }

    fn code(&mut self) {
        let mut t = Tok::new();
        t.push(b"`");
        t.word(&self.g.lexicon, self.out.rng());
        t.push(b"_");
        t.word(&self.g.lexicon, self.out.rng());
        t.push(b"`");
        self.emit_tok(&t, 1, false);
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
                if self.out.rng().chance(0.5) {
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
                if self.out.rng().chance(0.4) {
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
                self.word(const { w("to") });
                self.verb(Form::Base);
                self.np();
                self.punct(",");
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.4);
                self.end(".");
            }
            8 => {
                self.word(const { w("you") });
                self.one_of(const { &[w("can"), w("can"), w("need to"), w("may want to")] });
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.6);
                self.end(".");
            }
            9 => {
                self.word(const { w("use") });
                self.code();
                self.word(const { w("to") });
                self.verb(Form::Base);
                self.np();
                self.end(".");
            }
            10 => {
                self.word(const { w("set") });
                self.code();
                self.word(const { w("to") });
                self.number();
                self.word(const { w("to") });
                self.verb(Form::Base);
                self.np();
                self.end(".");
            }
            11 => {
                self.clause();
                self.punct(",");
                self.word(const { w("which") });
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
                if self.out.rng().chance(0.5) {
                    let plural = self.np();
                    self.open_paren();
                    let x = self.pick(const { &[w("for example"), w("such as"), w("or")] });
                    self.word(x);
                    if x.bytes() == b"for example" {
                        self.punct(",");
                    }
                    self.np();
                    self.punct(")");
                    self.verb(if plural { Form::Base } else { Form::Third });
                    self.np();
                } else {
                    self.clause();
                    self.open_paren();
                    self.word(const { w("see") });
                    self.np();
                    self.punct(")");
                }
                self.end(".");
            }
            14 => {
                self.word(const { w("there are") });
                let c = self.pick(COUNTS);
                self.word(c);
                self.noun(true);
                self.punct(":");
                self.np();
                self.punct(",");
                self.np();
                self.one_of(const { &[w("and"), w("or")] });
                self.np();
                self.end(".");
            }
            15 => {
                self.word(const { w("this means that") });
                self.clause();
                self.end(".");
            }
            16 => {
                self.word(const { w("note that") });
                self.clause();
                self.end(".");
            }
            17 => {
                if self.out.rng().chance(0.5) {
                    self.word(const { w("what happens when") });
                    self.clause();
                } else {
                    self.one_of(const { &[w("how does"), w("why does"), w("when does")] });
                    self.np();
                    self.verb(Form::Base);
                    self.np();
                }
                self.end("?");
            }
            18 => {
                match self.out.rng().index(4) {
                    0 => {
                        self.word(const { w("see") });
                        self.np();
                    }
                    1 => {
                        self.word(const { w("for details") });
                        self.punct(",");
                        self.word(const { w("see") });
                        self.np();
                    }
                    2 => {
                        self.one_of(const { &[w("this is"), w("it is"), w("that is")] });
                        self.adjective();
                    }
                    _ => {
                        self.word(const { w("it is") });
                        self.adjective();
                        self.word(const { w("by default") });
                    }
                }
                self.end(".");
            }
            19 => {
                self.word(const { w("it") });
                self.verb(Form::Third);
                self.np();
                self.word(const { w("and") });
                self.verb(Form::Third);
                self.np();
                self.maybe_pp(0.4);
                self.end(".");
            }
            20 => {
                self.word(const { w("we recommend") });
                self.verb(Form::Gerund);
                self.np();
                self.maybe_pp(0.6);
                self.end(".");
            }
            21 => {
                let plural = self.subject();
                self.verb(if plural { Form::Base } else { Form::Third });
                if self.out.rng().chance(0.4) {
                    self.one_of(const { &[w("up to"), w("at most"), w("about"), w("at least")] });
                }
                self.number();
                self.maybe_pp(0.5);
                self.end(".");
            }
            22 => {
                self.word(const { w("both") });
                self.np();
                self.word(const { w("and") });
                self.np();
                self.verb(Form::Base);
                self.np();
                self.end(".");
            }
            23 => {
                self.clause();
                self.punct(",");
                self.word(const { w("but") });
                let plural = self.subject();
                self.word(if plural {
                    const { w("do not") }
                } else {
                    const { w("does not") }
                });
                self.verb(Form::Base);
                self.np();
                self.end(".");
            }
            24 => {
                self.word(const { w("the") });
                self.noun(false);
                self.punct("'s");
                self.noun(false);
                self.verb(Form::Third);
                self.np();
                self.maybe_pp(0.4);
                self.end(".");
            }
            25 => {
                self.one_of(const { &[w("don't"), w("do not"), w("never")] });
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.5);
                self.end(".");
            }
            26 => {
                self.word(const { w("the") });
                self.noun(false);
                self.punct(",");
                self.word(const { w("called") });
                let mut q = Tok::new();
                q.push(b"\"");
                q.word(&self.g.lexicon, self.out.rng());
                q.push(b"\"");
                self.emit_tok(&q, 1, false);
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
                if self.out.rng().chance(0.4) {
                    self.punct(",");
                }
                self.one_of(const { &[w("and"), w("or")] });
                self.np();
                self.end(".");
            }
            28 => {
                self.one_of(const { &[w("it's"), w("it is")] });
                self.one_of(const { &[w("best"), w("safer"), w("easier"), w("common")] });
                self.word(const { w("to") });
                self.verb(Form::Base);
                self.np();
                self.word(const { w("before") });
                self.verb(Form::Gerund);
                self.np();
                self.end(".");
            }
            29 => {
                self.word(const { w("unlike") });
                self.np();
                self.punct(",");
                self.clause();
                self.end(".");
            }
            30 => {
                let plural = self.subject();
                self.be(plural);
                if self.out.rng().chance(0.5) {
                    self.word(if plural {
                        const { w("the") }
                    } else {
                        const { w("a") }
                    });
                    self.noun(plural);
                    self.word(const { w("that") });
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
                self.one_of(
                    const {
                        &[
                            w("can"),
                            w("can"),
                            w("should"),
                            w("must"),
                            w("may"),
                            w("cannot"),
                        ]
                    },
                );
                self.word(const { w("be") });
                self.verb(Form::Participle);
                self.pp();
                if self.out.rng().chance(0.3) {
                    self.one_of(const { &[w("or"), w("and")] });
                    self.pp();
                }
                self.end(".");
            }
            32 => {
                let plural = self.np();
                self.be(plural);
                if self.out.rng().chance(0.3) {
                    self.word(const { w("not") });
                }
                self.adjective();
                self.punct(",");
                self.one_of(const { &[w("so"), w("and"), w("but")] });
                self.clause();
                self.end(".");
            }
            33 => {
                self.one_of(const { &[w("as with"), w("as in"), w("as for")] });
                self.np();
                self.punct(",");
                self.clause();
                self.end(".");
            }
            34 => {
                self.word(const { w("if you want to") });
                self.verb(Form::Base);
                self.np();
                self.punct(",");
                self.one_of(
                    const {
                        &[
                            w("you can"),
                            w("you should"),
                            w("you need to"),
                            w("we recommend that you"),
                        ]
                    },
                );
                self.verb(Form::Base);
                self.np();
                self.maybe_pp(0.5);
                self.end(".");
            }
            35 => {
                self.word(const { w("the following") });
                self.noun(true);
                self.verb(Form::Base);
                self.np();
                self.end(":");
            }
            _ => {
                self.clause();
                self.punct(",");
                self.one_of(
                    const {
                        &[
                            w("and"),
                            w("and"),
                            w("but"),
                            w("so"),
                            w("and then"),
                            w("or"),
                        ]
                    },
                );
                self.clause();
                self.end(".");
            }
        }
    }
}

/// English plural of the lowercase noun at the end of `t`, in place.
fn pluralize(t: &mut Tok) {
    let w = t.bytes();
    let n = w.len();
    if w.ends_with(b"s") || w.ends_with(b"x") || w.ends_with(b"ch") || w.ends_with(b"sh") {
        t.push(b"es");
    } else if n > 1 && w[n - 1] == b'y' && !matches!(w[n - 2], b'a' | b'e' | b'o' | b'u') {
        t.len -= 1;
        t.push(b"ies");
    } else {
        t.push(b"s");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grammar() -> Grammar {
        Grammar::new(Lexicon::new(1500, 1.2, 2.0))
    }

    /// A sink that keeps the tokens; every `links`-th phrase becomes `[L]`.
    struct Collect {
        rng: Rng,
        tokens: Vec<Vec<u8>>,
        text: String,
        links: usize,
        phrases: usize,
    }

    impl Collect {
        fn new(seed: u64, links: usize) -> Collect {
            Collect {
                rng: crate::rng::stream(seed, crate::rng::Domain::Body, &[]),
                tokens: Vec::new(),
                text: String::new(),
                links,
                phrases: 0,
            }
        }

        fn clear(&mut self) {
            self.tokens.clear();
            self.text.clear();
        }
    }

    impl Sink for Collect {
        fn rng(&mut self) -> &mut Rng {
            &mut self.rng
        }
        fn token(&mut self, text: &[u8], _words: u32, _content: bool) {
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.push_str(std::str::from_utf8(text).unwrap());
            self.tokens.push(text.to_vec());
        }
        fn attach(&mut self, text: &[u8]) {
            self.text.push_str(std::str::from_utf8(text).unwrap());
        }
        fn phrase(&mut self) -> bool {
            self.phrases += 1;
            if self.links > 0 && self.phrases.is_multiple_of(self.links) {
                self.token(b"[L]", 1, false);
                return true;
            }
            false
        }
    }

    #[test]
    fn sentences_start_capitalised_and_end_with_a_stop() {
        let g = grammar();
        let mut c = Collect::new(1, 0);
        for _ in 0..2_000 {
            c.clear();
            g.sentence(&mut c, 0.05);
            let t = &c.text;
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
    fn a_reference_takes_the_place_of_a_whole_noun_phrase() {
        let g = grammar();
        let mut c = Collect::new(3, 2);
        for _ in 0..2_000 {
            c.clear();
            g.sentence(&mut c, 0.05);
            // No determiner is left dangling before a reference.
            for det in ["the", "a", "an", "this", "each", "your"] {
                assert!(!c.text.contains(&format!(" {det} [L]")), "{}", c.text);
            }
        }
        assert!(c.phrases > 2_000);
    }

    #[test]
    fn tokens_never_start_with_block_syntax() {
        let g = grammar();
        let mut c = Collect::new(2, 0);
        for _ in 0..5_000 {
            c.clear();
            g.sentence(&mut c, 0.1);
            for t in &c.tokens {
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
    fn a_comes_before_a_consonant_and_an_before_a_vowel() {
        let g = grammar();
        let mut c = Collect::new(4, 0);
        for _ in 0..3_000 {
            c.clear();
            g.sentence(&mut c, 0.0);
            let words: Vec<&str> = c.text.split(' ').collect();
            for w in words.windows(2) {
                let next = w[1].trim_start_matches(['(', '"', '*']).as_bytes();
                let vowel = matches!(next.first(), Some(b'a' | b'e' | b'i' | b'o' | b'u'));
                if w[0].eq_ignore_ascii_case("an") {
                    assert!(vowel, "{}", c.text);
                }
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
            let mut t = Tok::new();
            t.push(w.as_bytes());
            pluralize(&mut t);
            assert_eq!(t.bytes(), p.as_bytes());
        }
    }
}

//! Running text: the grammar's sentences written into the file, wrapped,
//! with references in place of noun phrases and footnotes after nouns.

use super::{Class, Renderer};
use crate::rng::Rng;
use crate::text::grammar::Sink;
use crate::text::{push_capitalized, Prose};

impl Renderer<'_> {
    /// Sentences and references until about `words` words are written, or
    /// the block reaches `self.limit` bytes (then the sentence is cut and
    /// closed). A table cell gets one noun phrase, with no full stop.
    pub(super) fn words(
        &mut self,
        p: &mut Prose,
        class: Class,
        block_start: usize,
        words: usize,
        in_table: bool,
    ) {
        let t = &self.plan.profile().text;
        let markup = t.inline_markup;
        let fn_rate = if in_table || self.plain {
            0.0
        } else {
            t.footnotes_per_kb * 7.0 / 1024.0
        };
        let grammar = &self.plan.grammar;
        // Content words until the next footnote: one geometric draw per
        // footnote rather than a chance per noun; the count runs on from
        // block to block.
        let footnote_in = if fn_rate > 0.0 {
            *self
                .footnote_in
                .get_or_insert_with(|| geometric(&mut self.rng, fn_rate))
        } else {
            u64::MAX
        };
        let room = self.room();
        let mut sink = Writer {
            room,
            footnote_in,
            r: self,
            p,
            class,
            block_start,
            in_table,
            count: 0,
            open: 0,
            in_sentence: false,
            stopped: false,
            cut: false,
            footnote_due: false,
        };
        loop {
            sink.in_sentence = false;
            if in_table {
                grammar.fragment(&mut sink, markup);
            } else if words < 8 && sink.count == 0 {
                // A paragraph shorter than most sentences: one short one.
                grammar.short_sentence(&mut sink, markup);
            } else {
                grammar.sentence(&mut sink, markup);
            }
            // Another sentence only while it would not overshoot by more
            // than it undershoots (sentences average about 12 words).
            if sink.stopped || in_table || sink.count + 6 > words {
                break;
            }
        }
        sink.flush_footnote();
        let Writer {
            r,
            p,
            cut,
            open,
            footnote_in,
            ..
        } = sink;
        if fn_rate > 0.0 {
            r.footnote_in = Some(footnote_in);
        }
        if cut && !p.is_empty() {
            while matches!(r.out.last(), Some(b',' | b';' | b':')) {
                r.out.pop();
            }
            for _ in 0..open {
                p.attach(&mut r.out, b")");
            }
            if !in_table {
                p.attach(&mut r.out, b".");
            }
        }
    }

    fn footnote(&mut self, p: &mut Prose) {
        self.footnotes += 1;
        let label = format!("[^{}]", self.footnotes);
        p.attach(&mut self.out, label.as_bytes());
        let mut def = format!("{label}: ");
        push_capitalized(&mut def, self.plan.vocab.sample(&mut self.rng));
        for _ in 0..3 + self.rng.index(8) {
            def.push(' ');
            def.push_str(self.plan.vocab.sample(&mut self.rng));
        }
        def.push_str(".\n");
        // Footnotes go after the reference definitions, each after a blank
        // line: a definition line right after a footnote would be read as
        // a lazy continuation of the footnote's paragraph.
        self.notes.push(b'\n');
        self.notes.extend_from_slice(def.as_bytes());
        self.blocks.footnote += 1;
    }
}

/// The grammar's sink for one block: writes tokens through [`Prose`],
/// decides references and footnotes, and stops at the file's limit.
struct Writer<'r, 'p, 'q> {
    r: &'r mut Renderer<'p>,
    p: &'r mut Prose<'q>,
    class: Class,
    block_start: usize,
    in_table: bool,
    /// `out` may grow to this before the block is full (the file's limit
    /// less the definitions and footnotes that follow the body).
    room: usize,
    /// Content words before the next footnote.
    footnote_in: u64,
    /// Words written in the block.
    count: usize,
    /// Parentheses open in the current sentence.
    open: usize,
    /// Something of the current sentence is written.
    in_sentence: bool,
    /// The block reached the limit: the rest of the sentence is dropped.
    stopped: bool,
    /// A sentence was cut short (it gets closed).
    cut: bool,
    /// A footnote goes before the next token: after the noun and any
    /// punctuation attached to it (`word's,[^3]`), never between them.
    footnote_due: bool,
}

impl Writer<'_, '_, '_> {
    fn fn_rate(&self) -> f64 {
        self.r.plan.profile().text.footnotes_per_kb * 7.0 / 1024.0
    }

    /// Stop at the limit; never leave a block empty (an empty list item
    /// under a line of text reads as a setext heading underline).
    #[inline]
    fn full(&mut self) -> bool {
        if self.stopped {
            return true;
        }
        if self.r.out.len() >= self.room && !self.p.is_empty() {
            self.stopped = true;
            self.cut = self.in_sentence || self.in_table;
            return true;
        }
        false
    }

    /// Whether a token may be written; a due footnote goes first.
    #[inline]
    fn before_token(&mut self) -> bool {
        if self.full() {
            return false;
        }
        self.flush_footnote();
        true
    }

    /// Count a written token: its words, an opening parenthesis, and a
    /// content word toward the next footnote.
    #[inline]
    fn after_token(&mut self, first: u8, words: u32, content: bool) {
        self.in_sentence = true;
        self.open += (first == b'(') as usize;
        self.count += words as usize;
        self.content_word(content);
    }

    /// Count a content word toward the next footnote. Content and
    /// function words alternate as good as randomly, so the count is
    /// taken without a branch on `content`; only a due footnote branches.
    #[inline]
    fn content_word(&mut self, content: bool) {
        if content & (self.footnote_in == 0) {
            self.footnote_due = true;
            let rate = self.fn_rate();
            self.footnote_in = geometric(&mut self.r.rng, rate);
        } else {
            self.footnote_in -= content as u64;
        }
    }

    /// Write a due footnote. Asked before every token, so the check is
    /// inlined and the rare footnote is not.
    #[inline]
    fn flush_footnote(&mut self) {
        if self.footnote_due {
            self.write_footnote();
        }
    }

    #[cold]
    #[inline(never)]
    fn write_footnote(&mut self) {
        self.footnote_due = false;
        self.r.footnote(self.p);
        self.room = self.r.room();
    }
}

impl Sink for Writer<'_, '_, '_> {
    #[inline]
    fn rng(&mut self) -> &mut Rng {
        &mut self.r.rng
    }

    #[inline]
    fn token(&mut self, text: &[u8], words: u32, content: bool) {
        if self.before_token() {
            self.p.token(&mut self.r.out, text);
            self.after_token(text[0], words, content);
        }
    }

    #[inline]
    fn padded(&mut self, buf: &[u8; 32], len: usize, words: u32, content: bool) {
        if self.before_token() {
            self.p.padded(&mut self.r.out, buf, len);
            self.after_token(buf[0], words, content);
        }
    }

    #[inline]
    fn attach(&mut self, text: &[u8]) {
        if self.stopped {
            return;
        }
        self.open -= (text == b")" && self.open > 0) as usize;
        self.p.attach(&mut self.r.out, text);
    }

    fn phrase(&mut self) -> bool {
        if self.r.plain || self.full() {
            return false;
        }
        let r = &mut *self.r;
        let made = if let Some(next) = r.chain.take() {
            r.linker.path_to(&mut r.rng, next)
        } else if r.link_due(self.class, r.out.len() - self.block_start) {
            r.linker.make(&mut r.rng, self.in_table)
        } else {
            return false;
        };
        self.flush_footnote();
        self.r.push_link(self.p, made, self.class);
        self.room = self.r.room();
        self.in_sentence = true;
        self.count += 1;
        true
    }
}

/// Failures before the first success of a trial with chance `p` (0 < p <= 1).
fn geometric(rng: &mut Rng, p: f64) -> u64 {
    if p >= 1.0 {
        return 0;
    }
    let u = 1.0 - rng.unit();
    (libm::log(u) / libm::log(1.0 - p)) as u64
}

//! Block writers: paragraphs, lists, code, tables, quotes, definition
//! lists, raw HTML, and the final paragraph that makes a file exactly its
//! planned size. Each appends one block (or a few lines of one) to the
//! renderer's buffer and counts it.

use super::{Class, Renderer, SPACES};
use crate::record::BlockKind;
use crate::rng::Weighted;
use crate::text::{Prose, Tok};
use crate::words::{CALLOUTS, CODE_LANGS, TABLE_HEADERS};

/// The code-language distribution, built once: it was rebuilt (two
/// allocations) for every code block.
fn code_langs() -> &'static Weighted {
    static LANGS: std::sync::OnceLock<Weighted> = std::sync::OnceLock::new();
    LANGS.get_or_init(|| Weighted::new(&CODE_LANGS.iter().map(|(_, w)| *w).collect::<Vec<_>>()))
}

impl Renderer<'_> {
    pub(super) fn end_block(&mut self, class: Option<Class>, start: usize) {
        self.out.extend_from_slice(b"\n\n");
        if let Some(c) = class {
            self.class_bytes[c as usize] += (self.out.len() - start) as u64;
        }
    }

    pub(super) fn paragraph_words(&mut self) -> usize {
        let t = &self.plan.profile().text;
        let median = t.paragraph_words as f64;
        let words = self.rng.lognormal(libm::log(median), t.paragraph_sigma);
        (words as usize).clamp(4, median as usize * 6)
    }

    /// A raw HTML block (`<div>`, `<details>`, `<figure>`) of plain words:
    /// one block to the parser, no references inside. It never contains a
    /// blank line, which would end the HTML block early.
    pub(super) fn html(&mut self) {
        let v = &self.plan.vocab;
        let (a, b) = (v.sample(&mut self.rng), v.sample(&mut self.rng));
        let n = 6 + self.rng.index(24);
        let mut words = String::new();
        for k in 0..n {
            if k > 0 {
                words.push(' ');
            }
            words.push_str(v.sample(&mut self.rng));
        }
        let block = match self.rng.index(3) {
            0 => format!("<div class=\"{a}-{b}\">\n<p>{words}.</p>\n</div>\n\n"),
            1 => format!("<details>\n<summary>{a} {b}</summary>\n<p>{words}.</p>\n</details>\n\n"),
            _ => {
                let src = match self.plan.site() {
                    // A site's tool copies the image as it is: one of the
                    // corpus's own (chosen without a draw), where the
                    // built page finds it.
                    // Raw HTML is not rewritten: the path goes from the
                    // page's URL (MkDocs' `a/b/` is a folder deeper).
                    Some(site) if self.plan.assets > 0 => {
                        let k = self.out.len() as u64 % self.plan.assets;
                        let url = site.page_url(&self.meta.path);
                        let dir = url.rsplit_once('/').map_or("", |(d, _)| d);
                        let image = site.file_url(&self.plan.asset_path(k));
                        crate::links::relative_path(dir, &image)
                    }
                    Some(_) => String::new(),
                    None => format!("{a}.svg"),
                };
                let img = if src.is_empty() {
                    String::new()
                } else {
                    format!("<img src=\"{src}\" alt=\"{b}\">\n")
                };
                format!("<figure>\n{img}<figcaption>{words}.</figcaption>\n</figure>\n\n")
            }
        };
        self.out.extend_from_slice(block.as_bytes());
        self.blocks.html += 1;
    }

    /// `words` is an upper bound; `self.limit` bounds the bytes.
    pub(super) fn paragraph(&mut self, words: usize) {
        let start = self.out.len();
        let n = self.paragraph_words().min(words);
        let mut p = Prose::new(0, self.wrap, b"");
        self.words(&mut p, Class::Prose, start, n, false);
        if self.tag_rate > 0.0 {
            self.inline_tag(start);
        }
        self.end_block(Some(Class::Prose), start);
        self.blocks.paragraph += 1;
        self.mix_bytes.blocks[BlockKind::Paragraph] += (self.out.len() - start) as u64;
    }

    /// Maybe end the paragraph begun at `start` with an inline `#tag`
    /// (a quarter of them nested, `#cache/eviction`), at the rate of
    /// `text.tags_per_kb`. Drawn only when the rate is positive, so
    /// corpora without inline tags keep every other draw.
    fn inline_tag(&mut self, start: usize) {
        let p = (self.tag_rate * (self.out.len() - start) as f64).min(1.0);
        if !self.rng.chance(p) {
            return;
        }
        let v = &self.plan.vocab;
        let mut tag = v.sample(&mut self.rng).to_string();
        if self.rng.chance(0.25) {
            tag.push('/');
            tag.push_str(v.sample(&mut self.rng));
        }
        self.out.extend_from_slice(b" #");
        self.out.extend_from_slice(tag.as_bytes());
        if !self.tags.contains(&tag) {
            self.tags.push(tag);
        }
    }

    /// A short paragraph ending in Obsidian's block id ` ^id`, on its last
    /// line so that no soft break separates it from the text.
    pub(super) fn block_paragraph(&mut self, id: &str) {
        let start = self.out.len();
        let n = 5 + self.rng.index(8);
        let mut p = Prose::new(0, self.wrap, b"");
        // Its length is reserved with the heading, wherever the heading
        // falls: bound it by itself, not by the current block's limit.
        // Words only: a reference (with its definition) or a footnote as the
        // last token could outgrow the reservation by hundreds of bytes.
        let bound = self.used() + 80;
        let limit = std::mem::replace(&mut self.limit, bound);
        self.plain = true;
        self.words(&mut p, Class::Prose, start, n, false);
        self.plain = false;
        self.limit = limit;
        self.out.extend_from_slice(b" ^");
        self.out.extend_from_slice(id.as_bytes());
        self.end_block(Some(Class::Prose), start);
        self.blocks.paragraph += 1;
        self.mix_bytes.blocks[BlockKind::Paragraph] += (self.out.len() - start) as u64;
    }

    pub(super) fn list(&mut self) {
        let start = self.out.len();
        let t = &self.plan.profile().text;
        let (max_items, max_depth) = (t.list_items_max.max(1), t.list_depth_max as usize);
        let ordered = self.rng.chance(t.ordered_list_share);
        let task = !ordered && self.rng.chance(t.task_list_share);
        self.lists += 1;
        let bullet = [b'-', b'*', b'+'][(self.lists % 3) as usize];
        let delim = [b'.', b')'][(self.lists % 2) as usize];
        let items = 1 + self.rng.below(max_items) as usize;
        let mut depth = 0usize;
        let mut cols = [0usize; 9];
        let mut numbers = [0u64; 9];
        for item in 0..items {
            if item > 0 && self.used() + 60 >= self.limit {
                break;
            }
            if item > 0 {
                let deeper = depth + 1 < max_depth && self.rng.chance(0.25);
                depth = if deeper {
                    depth + 1
                } else if depth > 0 && self.rng.chance(0.4) {
                    self.rng.index(depth)
                } else {
                    depth
                };
            } else {
                depth = 0;
            }
            // A level entered afresh starts counting at 1 again.
            for n in numbers.iter_mut().skip(depth + 1) {
                *n = 0;
            }
            let indent = if depth == 0 { 0 } else { cols[depth - 1] };
            numbers[depth] += 1;
            let mut marker = Tok::new();
            if ordered {
                marker.push_u64(numbers[depth]).push(&[delim]);
            } else if task {
                let done = if self.rng.chance(0.4) { b'x' } else { b' ' };
                marker.push(&[bullet, b' ', b'[', done, b']']);
            } else {
                marker.push(&[bullet]);
            }
            let marker = marker.bytes();
            self.out.extend_from_slice(&SPACES[..indent]);
            self.out.extend_from_slice(marker);
            self.out.push(b' ');
            let content_col = indent + if task { 2 } else { marker.len() + 1 };
            cols[depth] = content_col;
            let col = indent + marker.len() + 1;
            let mut p = Prose::new(col, self.wrap, &SPACES[..content_col.min(SPACES.len())]);
            let n = 4 + self.rng.index(14);
            let item_start = self.out.len();
            self.words(&mut p, Class::List, item_start, n, false);
            self.out.push(b'\n');
        }
        self.out.push(b'\n');
        self.class_bytes[Class::List as usize] += (self.out.len() - start) as u64;
        self.blocks.list += 1;
    }

    /// A fenced block that parses in its language, of a lognormal number
    /// of lines. The body stops growing, its open structures closed, where
    /// the old line-per-line writer stopped: about 100 bytes before `limit`.
    pub(super) fn code(&mut self) {
        let lang = CODE_LANGS[code_langs().sample(&mut self.rng)].0;
        self.out.extend_from_slice(b"```");
        self.out.extend_from_slice(lang.as_bytes());
        self.out.push(b'\n');
        let t = &self.plan.profile().text;
        let drawn = self
            .rng
            .lognormal(libm::log(t.code_lines_median), t.code_lines_sigma);
        let lines = (drawn.round() as u64).clamp(1, t.code_lines_max.max(1)) as usize;
        // Room for the body: up to 100 bytes past `limit` less the closing
        // fence, like a last line started just inside it.
        let room = (self.limit + 100).saturating_sub(self.used() + 5);
        crate::code::block(
            &mut self.out,
            lang,
            &self.plan.vocab,
            &mut self.rng,
            lines,
            room,
        );
        self.out.extend_from_slice(b"```\n\n");
        self.blocks.code += 1;
    }

    pub(super) fn table(&mut self) {
        let start = self.out.len();
        let header = TABLE_HEADERS[self.rng.index(TABLE_HEADERS.len())];
        self.out.push(b'|');
        for h in header {
            self.out.push(b' ');
            self.out.extend_from_slice(h.as_bytes());
            self.out.extend_from_slice(b" |");
        }
        self.out.extend_from_slice(b"\n|");
        for _ in header.iter() {
            self.out.extend_from_slice(b" --- |");
        }
        self.out.push(b'\n');
        let rows = 1 + self.rng.below(self.plan.profile().text.table_rows_max);
        for row in 0..rows {
            if row > 0 && self.used() + 250 >= self.limit {
                break;
            }
            self.out.push(b'|');
            for c in 0..header.len() {
                let mut p = Prose::new(0, 0, b"");
                if c == 0 {
                    let w = self.plan.vocab.sample(&mut self.rng).as_bytes();
                    self.out.push(b' ');
                    p.token(
                        &mut self.out,
                        Tok::new().push(b"`").push(w).push(b"`").bytes(),
                    );
                } else {
                    let cell_start = self.out.len();
                    self.out.push(b' ');
                    let n = 1 + self.rng.index(5);
                    self.words(&mut p, Class::Table, cell_start, n, true);
                }
                self.out.extend_from_slice(b" |");
            }
            self.out.push(b'\n');
        }
        self.out.push(b'\n');
        self.class_bytes[Class::Table as usize] += (self.out.len() - start) as u64;
        self.blocks.table += 1;
    }

    pub(super) fn quote(&mut self) {
        let start = self.out.len();
        if self.rng.chance(self.plan.profile().text.callout_share) {
            let kind = CALLOUTS[self.rng.index(CALLOUTS.len())];
            self.out.extend_from_slice(b"> [!");
            self.out.extend_from_slice(kind.as_bytes());
            self.out.extend_from_slice(b"]\n");
        }
        self.out.extend_from_slice(b"> ");
        let mut p = Prose::new(2, self.wrap, b"> ");
        let n = 8 + self.rng.index(30);
        self.words(&mut p, Class::Prose, start, n, false);
        self.end_block(Some(Class::Prose), start);
        self.blocks.blockquote += 1;
    }

    pub(super) fn deflist(&mut self) {
        let start = self.out.len();
        let terms = 1 + self.rng.index(3);
        for k in 0..terms {
            if k > 0 && self.used() + 80 >= self.limit {
                break;
            }
            if k > 0 {
                self.out.push(b'\n');
            }
            let mut term = Tok::new();
            term.push_capitalized(self.plan.vocab.sample(&mut self.rng))
                .push(b" ")
                .push(self.plan.vocab.sample(&mut self.rng).as_bytes());
            self.out.extend_from_slice(term.bytes());
            self.out.extend_from_slice(b"\n: ");
            let mut p = Prose::new(2, self.wrap, b"  ");
            let n = 6 + self.rng.index(20);
            self.words(&mut p, Class::Prose, start, n, false);
            self.out.push(b'\n');
        }
        self.out.push(b'\n');
        self.class_bytes[Class::Prose as usize] += (self.out.len() - start) as u64;
        self.blocks.definition_list += 1;
    }

    /// The last paragraph: exactly `remaining` bytes including its blank
    /// line, so the file is exactly its planned size. Below 16 bytes a
    /// whitespace-only line pads instead (a blank line to the parser).
    pub(super) fn filler(&mut self, remaining: usize) {
        if remaining == 0 {
            return;
        }
        if remaining < 16 {
            self.out.extend(std::iter::repeat_n(b' ', remaining - 1));
            self.out.push(b'\n');
            self.mix_bytes.other += remaining as u64;
            return;
        }
        let start = self.out.len();
        // content bytes before the final ".\n\n"
        let budget = remaining - 3;
        let mut p = Prose::new(0, self.wrap, b"");
        let mut w = Tok::new();
        w.push_capitalized(self.plan.vocab.sample(&mut self.rng));
        p.token(&mut self.out, &w.bytes()[..w.bytes().len().min(budget)]);
        loop {
            let left = budget - (self.out.len() - start);
            if left < 24 {
                break;
            }
            // A chain link no paragraph took yet (a small file, or one
            // whose paragraphs carry block ids) goes here if it fits.
            if let Some(next) = self.chain.take() {
                let made = self.linker.path_to(&mut self.rng, next);
                if made.definition.is_none() && p.cost(made.markup.len()) + 12 <= left {
                    self.push_link(&mut p, made, Class::Prose);
                    continue;
                }
            }
            if self.link_due(Class::Prose, self.out.len() - start) {
                let made = self.linker.make(&mut self.rng, false);
                if made.definition.is_none() && p.cost(made.markup.len()) + 12 <= left {
                    self.push_link(&mut p, made, Class::Prose);
                    continue;
                }
            }
            let word = self.plan.vocab.sample(&mut self.rng);
            if p.cost(word.len()) + 12 <= left {
                p.token(&mut self.out, word.as_bytes());
            }
        }
        // Exact finish: one or two words whose lengths fill what is left.
        let mut left = budget - (self.out.len() - start);
        while left > 0 {
            if left == 1 {
                p.attach(&mut self.out, b"s");
                break;
            }
            let want = left - 1;
            if let Some(word) = self
                .plan
                .vocab
                .of_len(want.min(13), &mut self.rng)
                .filter(|_| want <= 13)
            {
                p.token(&mut self.out, word.as_bytes());
                break;
            }
            let first = (want / 2).clamp(2, 10);
            let word = self
                .plan
                .vocab
                .of_len(first, &mut self.rng)
                .unwrap_or("data");
            if p.cost(word.len()) > left {
                // No word that short in this vocabulary: lengthen the last
                // word instead of overshooting (left is at most 10 here).
                p.attach(&mut self.out, &b"ssssssssss"[..left.min(10)]);
                break;
            }
            p.token(&mut self.out, word.as_bytes());
            left = budget - (self.out.len() - start);
        }
        self.out.extend_from_slice(b".\n\n");
        self.class_bytes[Class::Prose as usize] += (self.out.len() - start) as u64;
        self.blocks.paragraph += 1;
        self.mix_bytes.blocks[BlockKind::Paragraph] += (self.out.len() - start) as u64;
    }
}

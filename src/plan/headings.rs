//! Section headings: their text, their id in the corpus's dialect and, in
//! Obsidian, the block id of the paragraph that opens the section.

use super::{FileMeta, HeadingMeta, Plan};
use crate::dialect::noet_slug as slug;
use crate::dialect::Dialect;
use crate::rng::{hash_coords, stream, Domain};
use crate::site::SiteSlugger;
use crate::text::push_capitalized;
use crate::words::{API_HEADINGS, GENERIC_HEADINGS, HEADING_TEMPLATES};

/// The section ids of one file, in order, in one string (one allocation
/// instead of one per id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionIds {
    text: String,
    /// End of each id in `text`.
    ends: Vec<usize>,
}

impl SectionIds {
    pub(super) fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    /// The id of section `k`.
    ///
    /// # Panics
    ///
    /// When `k` is not below [`SectionIds::len`].
    pub fn get(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.text[start..self.ends[k]]
    }

    /// Number of sections.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the file has no sections.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl Plan {
    /// The dialect the corpus is written in.
    pub fn dialect(&self) -> Dialect {
        self.params.profile.dialect
    }

    /// Section heading `k` (0-based, the H1 excluded) of file `i`.
    ///
    /// In `noet` and `obsidian`, ids are unique within a file by
    /// construction: generic titles are used only for `k` below their count,
    /// each at most once; topical headings carry a word drawn injectively
    /// from `k`; explicit ids end in `-k`. So heading `k` costs O(1). In
    /// `gfm`, generic titles repeat within a file on purpose (as "Example"
    /// does under every function of an API page) and GitHub numbers the
    /// repeats, so the id of heading `k` depends on the headings before it:
    /// O(k).
    pub fn heading(&self, i: u64, k: u64) -> HeadingMeta {
        if self.dialect() == Dialect::Gfm {
            let mut all = self.headings(i, k + 1);
            return all.pop().expect("k + 1 headings");
        }
        self.heading_alone(i, k)
    }

    /// The first `n` section headings of file `i`, in O(n).
    pub fn headings(&self, i: u64, n: u64) -> Vec<HeadingMeta> {
        if self.dialect() == Dialect::Gfm && n > 0 {
            return self.headings_titled(i, &self.file(i).title, n);
        }
        (0..n).map(|k| self.heading_alone(i, k)).collect()
    }

    /// [`Plan::headings`] of a file whose title the caller already has:
    /// `gfm` numbers repeated ids counting the title's, and computing the
    /// whole [`FileMeta`] again just for it cost as much as the headings.
    fn headings_titled(&self, i: u64, title: &str, n: u64) -> Vec<HeadingMeta> {
        let mut all: Vec<HeadingMeta> = (0..n).map(|k| self.heading_alone(i, k)).collect();
        if self.dialect() == Dialect::Gfm && n > 0 {
            // GitHub's slugs and repeat numbering, or the site's own.
            let mut slugs = SiteSlugger::gfm(self.site());
            slugs.heading(title);
            for h in &mut all {
                h.id = slugs.heading(&h.text);
            }
        }
        all
    }

    /// The ids of every section of file `f`, in order.
    pub fn section_ids(&self, f: &FileMeta) -> SectionIds {
        let mut ids = SectionIds::default();
        for h in self.headings_titled(f.index, &f.title, f.headings) {
            ids.push(&h.id);
        }
        ids
    }

    /// Heading `k` of file `i` with its id as if no heading came before it;
    /// in `gfm`, where an id depends on the headings before it, without one.
    pub(super) fn heading_alone(&self, i: u64, k: u64) -> HeadingMeta {
        let h = &self.params.profile.headings;
        let mut r = stream(self.params.seed, Domain::Heading, &[i, k]);
        let g = GENERIC_HEADINGS.len() as u64;
        let generic = r.chance(h.generic_share);
        let explicit = r.chance(h.explicit_id_share);
        let file_key = hash_coords(self.params.seed, Domain::Heading, &[i]);
        let dialect = self.dialect();
        let (text, first) = if generic && dialect == Dialect::Gfm {
            // A few generic titles per file, drawn with repetition.
            let t = GENERIC_HEADINGS[((file_key % g + r.below(4)) % g) as usize];
            (t.to_string(), String::new())
        } else if generic && k < g {
            let t = GENERIC_HEADINGS[((file_key % g + k) % g) as usize];
            (t.to_string(), slug(t.split(' ').next().unwrap_or(t)))
        } else {
            let v = self.vocab.len() as u64;
            // An injective map of k < v onto words, shifted per file.
            let a = self
                .vocab
                .get((((k % v) * self.heading_step + file_key % v) % v) as usize);
            let b = self.vocab.sample(&mut r);
            // Drawn only when asked for, so other profiles keep every draw.
            let code = h.code_share > 0.0 && dialect != Dialect::Obsidian && r.chance(h.code_share);
            let tpl = if code {
                API_HEADINGS[r.index(API_HEADINGS.len())]
            } else {
                HEADING_TEMPLATES[r.index(HEADING_TEMPLATES.len())]
            };
            let mut t = String::with_capacity(tpl.len() + 24);
            let mut rest = tpl;
            while let Some(pos) = rest.find('{') {
                t.push_str(&rest[..pos]);
                match &rest[pos..pos + 3] {
                    "{a}" => t.push_str(a),
                    "{A}" => push_capitalized(&mut t, a),
                    _ => t.push_str(b),
                }
                rest = &rest[pos + 3..];
            }
            t.push_str(rest);
            if k >= v {
                t.push_str(&format!(" part {}", k / v + 1));
            }
            (t, a.to_string())
        };
        let id = if dialect == Dialect::Gfm {
            // Left for `headings_titled`, which numbers repeated ids and
            // replaces every one (a slug here was computed for nothing).
            String::new()
        } else if explicit {
            format!("{first}-{k}")
        } else {
            slug(&text)
        };
        let block = (dialect == Dialect::Obsidian && k.is_multiple_of(2)).then(|| {
            let h = hash_coords(self.params.seed, Domain::Heading, &[i, k, 7]);
            format!("{:04x}{k}", h & 0xffff)
        });
        HeadingMeta {
            text,
            id,
            explicit,
            block,
        }
    }
}

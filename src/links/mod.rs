//! References: the kinds a corpus uses, how each is written, and the ground
//! truth of where it resolves.

use crate::dialect::Dialect;
use crate::plan::{FileMeta, Plan, SectionIds};
use crate::record::{LinkKind, LinkRecord};
use crate::rng::{Rng, Weighted};
use std::borrow::Cow;
use std::cell::Cell;

mod external;
mod forms;
mod negative;
mod obsidian;
mod paths;

use external::external_url;
pub use paths::relative_path;
use paths::Folder;

/// A reference ready to insert: its inline markup, an optional definition
/// line for the end of the file, and its ground truth.
#[derive(Debug, Clone)]
pub struct Made {
    /// Markup written inline.
    pub markup: String,
    /// `[label]: dest` line to append at the end of the file.
    pub definition: Option<String>,
    /// Ground truth; `line` is filled in by the renderer.
    pub record: LinkRecord,
}

/// Makes references for one source file.
pub struct Linker<'p> {
    plan: &'p Plan,
    src: &'p FileMeta,
    /// This file's folder, where its relative paths start.
    src_dir: Folder,
    own_anchors: &'p [String],
    kinds: Weighted,
    /// Start of this file's low-discrepancy sequence of kind draws.
    phase: f64,
    dialect: Dialect,
    /// `gfm`: section ids of recent targets (see `section_id`).
    sections: Vec<(u64, SectionIds)>,
    labels: u64,
    /// This file's reference labels so far, with their records: a label
    /// used again links to the same definition.
    defined: Vec<(String, LinkRecord)>,
    made: u64,
    enabled: Vec<LinkKind>,
    /// A markup string handed back through [`Linker::recycle`], reused for
    /// the next reference's markup instead of allocating one per reference.
    spare: Cell<String>,
}

impl<'p> Linker<'p> {
    /// A linker for `src`, whose section ids are `own_anchors`.
    pub fn new(plan: &'p Plan, src: &'p FileMeta, own_anchors: &'p [String]) -> Self {
        let mut w = plan.profile().references.kinds.0;
        if !plan.profile().front_matter.bids {
            w[LinkKind::Bref] = 0.0; // a bref names a bid
        }
        if plan.assets == 0 {
            w[LinkKind::Image] = 0.0;
        }
        let dialect = plan.dialect();
        for (k, w) in w.iter_mut() {
            if !k.written_in(dialect) {
                *w = 0.0;
            }
        }
        if w.sum() <= 0.0 {
            w[LinkKind::External] = 1.0;
        }
        let enabled = w
            .iter()
            .filter(|(_, w)| **w > 0.0)
            .map(|(k, _)| k)
            .collect();
        Linker {
            plan,
            src,
            src_dir: Folder::new(&plan.folder_path(src.folder)),
            own_anchors,
            kinds: Weighted::new(w.values()),
            phase: {
                let h =
                    crate::rng::hash_coords(plan.seed(), crate::rng::Domain::Body, &[src.index, 1]);
                (h >> 11) as f64 / (1u64 << 53) as f64
            },
            dialect,
            sections: Vec::new(),
            labels: 0,
            defined: Vec::new(),
            made: 0,
            enabled,
            spare: Cell::new(String::new()),
        }
    }

    /// A reference of a kind drawn from the profile's weights. In table
    /// cells, forms containing `|` are avoided.
    pub fn make(&mut self, rng: &mut Rng, in_table: bool) -> Made {
        let mut made = self.make_any(rng, in_table);
        let share = self.plan.profile().references.shortcode_share;
        if share > 0.0 && self.plan.site() == Some(crate::site::Site::Hugo) {
            // Drawn only here, so that other corpora keep every draw.
            let path = matches!(
                made.record.kind,
                LinkKind::Relative | LinkKind::Parent | LinkKind::PathAnchor
            );
            if path && made.record.broken.is_none() && rng.chance(share) {
                made.markup = shortcode(&made.markup, &made.record.dest);
            }
        }
        if !self.plan.profile().references.avoid.is_empty() && self.avoided(&made.record) {
            // A construct the profile switches off (a consumer's known
            // bug), deliberate negatives included: an external link takes
            // its place, which no construct is. Checked only when asked, so
            // other corpora keep every draw.
            return self.external(rng, LinkKind::External);
        }
        made
    }

    /// [`Linker::make`] before `references.avoid`.
    fn make_any(&mut self, rng: &mut Rng, in_table: bool) -> Made {
        let refs = &self.plan.profile().references;
        // Kinds follow a Weyl sequence (steps of the golden ratio) from a
        // per-file phase instead of independent draws: each file's kind
        // counts are within one of their expected share, so a corpus of a
        // few hundred references per kind does not drift 10% from seed to
        // seed.
        const GOLDEN: f64 = 0.618_033_988_749_894_9;
        let u = (self.phase + self.made as f64 * GOLDEN).fract();
        let mut kind = LinkKind::ALL[self.kinds.at(u)];
        let n = self.src.index;
        let cover = refs.cover_kinds && !self.enabled.is_empty();
        if cover && self.made == 0 {
            kind = self.enabled[(n % self.enabled.len() as u64) as usize];
        }
        if in_table && kind == LinkKind::WikilinkAlias {
            kind = LinkKind::Wikilink;
        }
        self.made += 1;
        let forced_negative =
            cover && self.made == 2 && n.is_multiple_of(4) && refs.broken_share > 0.0;
        if forced_negative {
            // The corpus's own forms, in turn: the kinds it writes that a
            // negative can take the form of.
            let forms = self.enabled.iter().filter(|k| Self::breakable(**k));
            let count = forms.clone().count().max(1) as u64;
            let form = forms
                .clone()
                .nth((n / 4 % count) as usize)
                .copied()
                .unwrap_or(LinkKind::Relative);
            // In a table cell, no `|` of an alias.
            let form = match form {
                LinkKind::WikilinkAlias if in_table => LinkKind::Wikilink,
                f => f,
            };
            return self.negative(rng, form);
        }
        if rng.chance(refs.broken_share) {
            return self.negative(rng, kind);
        }
        self.make_kind(rng, kind)
    }

    /// Whether `rec` is a construct the profile's `references.avoid` lists.
    fn avoided(&self, rec: &LinkRecord) -> bool {
        let refs = &self.plan.profile().references;
        let has = |c: &str| refs.avoid.iter().any(|a| a == c);
        let target = rec.target.as_deref();
        let src = self.src.path.as_str();
        (has("root_absolute") && rec.dest.starts_with('/'))
            || (has("index_anchor") && self.src.is_index && rec.dest.starts_with('#'))
            || (has("own_section") && target == Some(src) && rec.anchor.is_some())
            || (has("own_index") && target.is_some_and(|t| t == self.own_index()))
    }

    /// The `index.md` of the source's network.
    fn own_index(&self) -> String {
        let dir = self.plan.folder_path(self.plan.network_of(self.src.folder));
        let name = self.plan.index_name();
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    }

    /// `dest`, a path relative to this file's folder, as written: Obsidian
    /// looks a path without `./` or `../` up as a vault path first (and
    /// every folder has an `index.md`), so there it always gets `./`.
    pub(super) fn local(&self, mut dest: String) -> String {
        if self.dialect == Dialect::Obsidian && !dest.starts_with("./") && !dest.starts_with("../")
        {
            // In place: `Folder::relative` leaves room for it.
            dest.insert_str(0, "./");
        }
        dest
    }

    // Out of line, as are the helpers below marked so: every link form
    // calls them, and one shared copy keeps the hot code small enough for
    // the instruction cache (docs/PERFORMANCE.md, stop 33).
    /// The id of section `k` of file `t`. In `gfm` an id depends on every
    /// heading before it, so a target's ids are computed once, all
    /// together: popular targets' in the plan, for the whole corpus, and
    /// others' here, kept for this file's next references to them (a few
    /// big files with thousands of sections made this quadratic).
    #[inline(never)]
    pub(super) fn section_id(&mut self, t: &FileMeta, k: u64) -> String {
        if self.dialect != Dialect::Gfm {
            return self.plan.heading(t.index, k).id;
        }
        if let Some(ids) = self.plan.hub_section_ids(t) {
            return ids.get(k as usize).to_string();
        }
        let at = match self.sections.iter().position(|(i, _)| *i == t.index) {
            Some(at) => at,
            None => {
                if self.sections.len() >= 32 {
                    self.sections.remove(0);
                }
                self.sections.push((t.index, self.plan.section_ids(t)));
                self.sections.len() - 1
            }
        };
        self.sections[at].1.get(k as usize).to_string()
    }

    /// A path link from this file to file `target` (used for chains).
    pub fn path_to(&mut self, rng: &mut Rng, target: u64) -> Made {
        let t = self.plan.file_cached(target);
        let dest = self.local(self.src_dir.relative(&t.path, 2));
        let kind = if dest.starts_with("../") {
            LinkKind::Parent
        } else {
            LinkKind::Relative
        };
        self.inline(rng, kind, dest, Some(path_of(t)), None)
    }

    /// Hand back the markup of a [`Made`] once it has been copied: the next
    /// reference writes its markup into the same allocation.
    pub fn recycle(&self, markup: String) {
        self.spare.set(markup);
    }

    /// An empty string for markup, with room for `cap` bytes: the recycled
    /// one if it is large enough (growing it would cost more than a new
    /// one). New ones get room for most markup, so that they can be reused.
    fn markup_buf(&self, cap: usize) -> String {
        let mut s = self.spare.take();
        if s.capacity() < cap {
            return String::with_capacity(cap.max(128));
        }
        s.clear();
        s
    }

    /// Markup made of `parts`, in [`Linker::markup_buf`].
    fn markup_cat(&self, parts: &[&str]) -> String {
        let mut s = self.markup_buf(parts.iter().map(|p| p.len()).sum());
        for p in parts {
            s.push_str(p);
        }
        s
    }

    /// Append `words` drawn words, separated by spaces.
    #[inline(never)]
    fn push_text(&self, rng: &mut Rng, out: &mut String, words: usize) {
        for k in 0..words {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(self.plan.vocab.sample(rng));
        }
    }

    #[inline(never)]
    fn inline(
        &self,
        rng: &mut Rng,
        kind: LinkKind,
        dest: String,
        target: Option<String>,
        anchor: Option<String>,
    ) -> Made {
        let n = 1 + rng.index(3);
        Made {
            markup: self.bracketed(rng, "[", n, &dest),
            definition: None,
            record: record(kind, dest, target, anchor),
        }
    }

    /// `{open}text](dest)` with `words` drawn words of text: an inline link
    /// (`[`) or an image (`![`).
    #[inline(never)]
    fn bracketed(&self, rng: &mut Rng, open: &str, words: usize, dest: &str) -> String {
        let mut markup = self.markup_buf(dest.len() + 52);
        markup.push_str(open);
        self.push_text(rng, &mut markup, words);
        markup.push_str("](");
        markup.push_str(dest);
        markup.push(')');
        markup
    }

    /// Draw a target other than the source, satisfying `ok`.
    #[inline(never)]
    fn target(&self, rng: &mut Rng, ok: impl Fn(&FileMeta) -> bool) -> Option<Cow<'p, FileMeta>> {
        for _ in 0..8 {
            let f = self.plan.hub_file(rng);
            if f.index != self.src.index && !f.orphan && ok(&f) {
                return Some(f);
            }
        }
        // The popular files are all unfit (the source itself, or without
        // headings for a section link): look on from a random file rather
        // than give the reference another kind, which skewed small trees'
        // kind mix by a third from seed to seed.
        let n = self.plan.files;
        let start = rng.below(n);
        (0..n.min(64))
            .map(|k| self.plan.file_cached((start + k) % n))
            .find(|f| f.index != self.src.index && !f.orphan && ok(f))
    }

    /// The file noet resolves a title or id of `f` to, when it is not `f`
    /// itself: its deliberate duplicate, if that comes first in path order.
    #[inline(never)]
    fn other_owner(&self, f: &FileMeta) -> Option<String> {
        let other = match f.collides_with {
            Some(p) => Some(p),
            None => (f.index + 1 < self.plan.files
                && self.plan.collision_partner(f.index + 1) == Some(f.index))
            .then_some(f.index + 1),
        };
        let o = self.plan.file_cached(other?);
        (o.path < f.path).then(|| path_of(o))
    }

    #[inline(never)]
    fn external(&self, rng: &mut Rng, kind: LinkKind) -> Made {
        let url = external_url(self.plan, rng);
        let mut made = if kind == LinkKind::Autolink {
            Made {
                markup: self.markup_cat(&["<", &url, ">"]),
                definition: None,
                record: record(kind, url, None, None),
            }
        } else {
            self.inline(rng, LinkKind::External, url, None, None)
        };
        made.record.external = true;
        made
    }
}

/// The path of a drawn file, for its record: moved out when the plan
/// computed the file for this draw, copied when it is the plan's.
fn path_of(f: Cow<'_, FileMeta>) -> String {
    match f {
        Cow::Owned(f) => f.path,
        Cow::Borrowed(f) => f.path.clone(),
    }
}

fn record(
    kind: LinkKind,
    dest: String,
    target: Option<String>,
    anchor: Option<String>,
) -> LinkRecord {
    LinkRecord {
        line: 0,
        kind,
        event: kind.event(),
        dest,
        target,
        anchor,
        external: false,
        broken: None,
        url: None,
    }
}

fn broken(kind: LinkKind, dest: String, why: &str) -> LinkRecord {
    let mut r = record(kind, dest, None, None);
    r.broken = Some(why.to_string());
    r
}

/// `[text](dest)` as `[text]({{< relref "dest" >}})`: Hugo replaces the
/// shortcode with the page's URL before it reads the markdown.
fn shortcode(markup: &str, dest: &str) -> String {
    let tail = cat(&["(", dest, ")"]);
    match markup.strip_suffix(tail.as_str()) {
        Some(head) => cat(&[head, "({{< relref \"", dest, "\" >}})"]),
        None => markup.to_string(),
    }
}

/// `text` as Hugo reads it once `relref` shortcodes have been replaced
/// (the form [`shortcode`] writes): each by its path, on the same line.
pub fn without_shortcodes(text: &str) -> Cow<'_, str> {
    const OPEN: &str = "({{< relref \"";
    const CLOSE: &str = "\" >}})";
    if !text.contains(OPEN) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let Some(end) = after.find(CLOSE) else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push('(');
        out.push_str(&after[..end]);
        out.push(')');
        rest = &after[end + CLOSE.len()..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The concatenation of `parts`, allocated once at its final size (where
/// `format!` goes through the formatting machinery and grows its string).
fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

//! Obsidian's forms: wikilinks by file name or vault path, to headings by
//! their text and to blocks by their id, and embeds.

use super::{cat, record, LinkKind, Linker, Made};
use crate::plan::FileMeta;
use crate::rng::Rng;
use std::borrow::Cow;

impl<'p> Linker<'p> {
    /// A target Obsidian can name in a wikilink, other than the source.
    pub(super) fn named(
        &self,
        rng: &mut Rng,
        ok: impl Fn(&FileMeta) -> bool,
    ) -> Option<(Cow<'p, FileMeta>, String)> {
        let t = self.target(rng, ok)?;
        let name = self.plan.wikilink_name(&t);
        Some((t, name))
    }

    /// Obsidian's wikilink forms: by file name, to a heading by its text, to
    /// a block by its `^id`, and embeds of notes and images.
    pub(super) fn obsidian(&mut self, rng: &mut Rng, kind: LinkKind) -> Made {
        use LinkKind::*;
        let made = |markup: String, dest: String, target: String, anchor: Option<String>| Made {
            markup,
            definition: None,
            record: record(kind, dest, Some(target), anchor),
        };
        match kind {
            WikilinkHeading | WikilinkBlock => {
                let Some((t, name)) = self.named(rng, |f| f.headings > 0) else {
                    return self.external(rng, External);
                };
                let (frag, anchor) = if kind == WikilinkBlock {
                    // Even headings are followed by a block with an id.
                    let k = 2 * rng.below(t.headings.div_ceil(2));
                    let h = self.plan.heading(t.index, k);
                    let b = h.block.expect("even headings carry a block id");
                    let b = cat(&["^", &b]);
                    (b.clone(), b)
                } else {
                    let h = self.plan.heading(t.index, rng.below(t.headings));
                    (h.text, h.id)
                };
                let dest = cat(&[&name, "#", &frag]);
                made(
                    self.markup_cat(&["[[", &dest, "]]"]),
                    dest,
                    t.path.clone(),
                    Some(anchor),
                )
            }
            Embed if self.plan.assets > 0 && rng.chance(0.5) => {
                let path = self.plan.asset_path(rng.below(self.plan.assets));
                let dest = path.rsplit('/').next().unwrap_or(&path).to_string();
                made(self.markup_cat(&["![[", &dest, "]]"]), dest, path, None)
            }
            _ => {
                // No other file (path links fall back here too): external.
                let Some((t, name)) = self.named(rng, |_| true) else {
                    return self.external(rng, External);
                };
                // Half the plain wikilinks to a note with an alias call it
                // by that (`[[Cache Eviction]]`, not `[[cache_eviction]]`);
                // drawn only for such notes, so vaults without aliases keep
                // every other draw.
                let name = match &t.alias {
                    Some(a) if kind == Wikilink && rng.chance(0.5) => a.clone(),
                    _ => name,
                };
                let markup = match kind {
                    Embed => self.markup_cat(&["![[", &name, "]]"]),
                    WikilinkAlias => self.markup_cat(&["[[", &name, "|", &t.title, "]]"]),
                    _ => self.markup_cat(&["[[", &name, "]]"]),
                };
                made(markup, name, t.path.clone(), None)
            }
        }
    }
}

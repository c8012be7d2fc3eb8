//! Deliberate negatives: references written in a form the dialect's
//! reader does not resolve, recorded with the reason.

use super::{broken, cat, LinkKind, Linker, Made};
use crate::dialect::Dialect;
use crate::rng::Rng;
use crate::text::push_capitalized;
use crate::words::GENERIC_HEADINGS;

impl Linker<'_> {
    /// A deliberate negative in the spirit of `kind`.
    pub(super) fn negative(&mut self, rng: &mut Rng, kind: LinkKind) -> Made {
        use LinkKind::*;
        let wiki = matches!(
            kind,
            Wikilink | WikilinkAlias | WikilinkHeading | WikilinkBlock | Embed
        );
        if self.dialect == Dialect::Obsidian && wiki {
            let sections = matches!(kind, WikilinkHeading | WikilinkBlock);
            let kind = if sections { WikilinkHeading } else { Wikilink };
            let (dest, why) = if sections {
                let t = self.plan.hub_file(rng);
                let name = self.plan.wikilink_name(&t);
                let mut dest = cat(&[&name, "#No such section "]);
                dest.push_str(self.plan.vocab.sample(rng));
                (dest, "the target has no heading with this text")
            } else {
                // File names hold no spaces: no note has this name.
                let mut dest = String::new();
                push_capitalized(&mut dest, self.plan.vocab.sample(rng));
                dest.push_str(" draft ");
                dest.push_str(self.plan.vocab.sample(rng));
                (dest, "no note has this name")
            };
            return Made {
                markup: self.markup_cat(&["[[", &dest, "]]"]),
                definition: None,
                record: broken(kind, dest, why),
            };
        }
        let kind = match kind {
            Wikilink | WikilinkAlias if self.dialect == Dialect::Gfm => Relative,
            WikilinkHeading | WikilinkBlock => PathAnchor,
            Embed => Relative,
            k => k,
        };
        let (kind, dest, why) = match kind {
            LinkKind::Wikilink | LinkKind::WikilinkAlias => {
                let t = self.plan.hub_file(rng);
                let h = if t.headings > 0 {
                    self.plan.heading(t.index, 0).text
                } else {
                    "Overview".to_string()
                };
                let dest = cat(&[&t.title, "#", &h]);
                let made = Made {
                    markup: self.markup_cat(&["[[", &dest, "]]"]),
                    definition: None,
                    record: broken(
                        LinkKind::Wikilink,
                        dest,
                        "wikilink with a heading is not resolved",
                    ),
                };
                return made;
            }
            LinkKind::PathAnchor | LinkKind::Anchor => {
                let t = self.plan.hub_file(rng);
                let mut dest = self.src_dir.relative(&t.path, 25);
                dest.push_str("#missing-");
                dest.push_str(self.plan.vocab.sample(rng));
                (
                    LinkKind::PathAnchor,
                    dest,
                    "anchor does not exist in the target",
                )
            }
            LinkKind::BareWord | LinkKind::Id => {
                // Not a word that is some generic heading's id ("summary"),
                // nor, for Obsidian, which looks a bare path up as a note
                // name, the name of the index notes.
                let mut dest = self.plan.vocab.sample(rng);
                while GENERIC_HEADINGS
                    .iter()
                    .any(|g| crate::dialect::noet_slug(g) == dest)
                    || dest == "index"
                {
                    dest = self.plan.vocab.sample(rng);
                }
                let dest = dest.to_string();
                let why = if self.dialect == Dialect::Noet {
                    "bare word is read as an id that no document has"
                } else {
                    "no file has this name"
                };
                (LinkKind::BareWord, dest, why)
            }
            _ => {
                let w = self.plan.vocab.sample(rng);
                let dest = cat(&[w, "_missing_page.md"]);
                (LinkKind::Relative, dest, "target file does not exist")
            }
        };
        let mut made = self.inline(rng, kind, dest.clone(), None, None);
        made.record = broken(kind, dest, why);
        made
    }
}

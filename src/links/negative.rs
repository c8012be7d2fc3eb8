//! Deliberate negatives: references written in a form the dialect's
//! reader does not resolve, recorded with the reason.
//!
//! A negative keeps the written form of the kind it stands in for (a vault
//! gets wikilinks to notes that do not exist, a site root-absolute paths to
//! pages that do not exist), so a fitted corpus has no link forms its source
//! never had. Only kinds that cannot be broken in their own form (external
//! URLs, which nothing resolves) become a missing page beside the file.

use super::{broken, cat, LinkKind, Linker, Made};
use crate::dialect::Dialect;
use crate::rng::Rng;
use crate::text::push_capitalized;
use crate::words::GENERIC_HEADINGS;

impl Linker<'_> {
    /// Whether a negative can be written in `kind`'s own form.
    pub(super) fn breakable(kind: LinkKind) -> bool {
        !matches!(kind, LinkKind::External | LinkKind::Autolink)
    }

    /// A note name no file, title or id has: four words (titles have three,
    /// file names and ids no spaces).
    fn missing_name(&self, rng: &mut Rng) -> String {
        let mut name = String::new();
        push_capitalized(&mut name, self.plan.vocab.sample(rng));
        name.push(' ');
        name.push_str(self.plan.vocab.sample(rng));
        name.push(' ');
        name.push_str(self.plan.vocab.sample(rng));
        name.push_str(" draft");
        name
    }

    /// The root-relative path of a page that does not exist, in the folder
    /// of a popular target (so that its relative form climbs as the
    /// corpus's own links do).
    fn missing_page(&self, rng: &mut Rng) -> String {
        let t = self.plan.hub_file(rng);
        let dir = t.path.rsplit_once('/').map_or("", |(d, _)| d);
        let w = self.plan.vocab.sample(rng);
        if dir.is_empty() {
            cat(&[w, "_missing_page.md"])
        } else {
            cat(&[dir, "/", w, "_missing_page.md"])
        }
    }

    /// A word that no document has as its id and that is not the slug of a
    /// generic heading (nor, for Obsidian, which looks a bare path up as a
    /// note name, the name of the index notes).
    fn missing_id(&self, rng: &mut Rng) -> String {
        let mut w = self.plan.vocab.sample(rng);
        while GENERIC_HEADINGS
            .iter()
            .any(|g| crate::dialect::noet_slug(g) == w)
            || w == "index"
        {
            w = self.plan.vocab.sample(rng);
        }
        w.to_string()
    }

    /// A deliberate negative written as `kind` is.
    pub(super) fn negative(&mut self, rng: &mut Rng, kind: LinkKind) -> Made {
        use LinkKind::*;
        let wiki = matches!(
            kind,
            Wikilink | WikilinkAlias | WikilinkHeading | WikilinkBlock | Embed
        );
        if wiki && self.dialect != Dialect::Gfm {
            return self.wiki_negative(rng, kind);
        }
        let kind = match kind {
            // GitHub has no wikilinks: a path to a missing page instead.
            Wikilink | WikilinkAlias | Embed => Relative,
            WikilinkHeading | WikilinkBlock => PathAnchor,
            // Nothing resolves an external URL: nothing can break it.
            External | Autolink => Relative,
            k => k,
        };
        let (kind, dest, why) = match kind {
            Relative | Parent => {
                let dest = self.local(self.src_dir.relative(&self.missing_page(rng), 2));
                let kind = if dest.starts_with("../") {
                    Parent
                } else {
                    Relative
                };
                (kind, dest, "target file does not exist")
            }
            Absolute => {
                let dest = cat(&["/", &self.missing_page(rng)]);
                (Absolute, dest, "target file does not exist")
            }
            Directory => {
                let w = self.plan.vocab.sample(rng);
                let dest = self.local(cat(&[w, "_missing/"]));
                (Directory, dest, "no such folder")
            }
            PathAnchor => {
                let t = self.plan.hub_file(rng);
                let mut dest = self.local(self.src_dir.relative(&t.path, 25));
                dest.push_str("#missing-");
                dest.push_str(self.plan.vocab.sample(rng));
                (PathAnchor, dest, "anchor does not exist in the target")
            }
            Anchor => {
                let mut dest = cat(&["#missing-", self.plan.vocab.sample(rng)]);
                while self.own_anchors.iter().any(|a| *a == dest[1..]) {
                    dest = cat(&["#missing-", self.plan.vocab.sample(rng)]);
                }
                (Anchor, dest, "anchor does not exist in this file")
            }
            // A bref names a bid's hash: an id that no document has stands
            // in for it.
            Id | Bref if self.dialect == Dialect::Noet => {
                let dest = cat(&["id:", &self.missing_id(rng)]);
                (Id, dest, "no document has this id")
            }
            Reference => return self.reference_negative(rng),
            Image => {
                let w = self.plan.vocab.sample(rng);
                let path = self.plan.in_content(&cat(&["assets/", w, "-missing.png"]));
                let dest = self.local(self.src_dir.relative(&path, 2));
                return Made {
                    markup: self.bracketed(rng, "![", 2, &dest),
                    definition: None,
                    record: broken(Image, dest, "image file does not exist"),
                };
            }
            _ => {
                let dest = self.missing_id(rng);
                let why = if self.dialect == Dialect::Noet {
                    "bare word is read as an id that no document has"
                } else {
                    "no file has this name"
                };
                (BareWord, dest, why)
            }
        };
        let mut made = self.inline(rng, kind, dest.clone(), None, None);
        made.record = broken(kind, dest, why);
        made
    }

    /// A wikilink (or embed) to a note or section that does not exist.
    fn wiki_negative(&mut self, rng: &mut Rng, kind: LinkKind) -> Made {
        use LinkKind::*;
        let obsidian = self.dialect == Dialect::Obsidian;
        let (kind, dest, why) = match kind {
            WikilinkHeading | WikilinkBlock if obsidian => {
                let t = self.plan.hub_file(rng);
                let name = self.plan.wikilink_name(&t);
                let mut dest = cat(&[&name, "#No such section "]);
                dest.push_str(self.plan.vocab.sample(rng));
                (
                    WikilinkHeading,
                    dest,
                    "the target has no heading with this text",
                )
            }
            // noet reads no heading part of a wikilink: `[[Title#Heading]]`
            // names no document (its own documented negative).
            Wikilink | WikilinkHeading | WikilinkBlock if !obsidian && rng.chance(0.5) => {
                let t = self.plan.hub_file(rng);
                let h = if t.headings > 0 {
                    self.plan.heading(t.index, 0).text
                } else {
                    "Overview".to_string()
                };
                let dest = cat(&[&t.title, "#", &h]);
                (Wikilink, dest, "wikilink with a heading is not resolved")
            }
            Embed if obsidian => {
                let dest = self.missing_name(rng);
                let markup = self.markup_cat(&["![[", &dest, "]]"]);
                return Made {
                    markup,
                    definition: None,
                    record: broken(Embed, dest, "no note has this name"),
                };
            }
            WikilinkAlias => (
                WikilinkAlias,
                self.missing_name(rng),
                "no note has this name",
            ),
            _ => (Wikilink, self.missing_name(rng), "no note has this name"),
        };
        let mut markup = self.markup_buf(dest.len() + 30);
        markup.push_str("[[");
        markup.push_str(&dest);
        if kind == WikilinkAlias {
            markup.push('|');
            self.push_text(rng, &mut markup, 2);
        }
        markup.push_str("]]");
        Made {
            markup,
            definition: None,
            record: broken(kind, dest, why),
        }
    }

    /// `[label]` whose definition names a page that does not exist.
    fn reference_negative(&mut self, rng: &mut Rng) -> Made {
        let dest = self.local(self.src_dir.relative(&self.missing_page(rng), 2));
        self.labelled(
            rng,
            broken(LinkKind::Reference, dest, "target file does not exist"),
        )
    }
}

//! How each reference kind is written, where it points, and what replaces
//! it when it has no suitable target.

use super::{cat, external_url, path_of, record, LinkKind, Linker, Made};
use crate::dialect::Dialect;
use crate::rng::Rng;
use std::borrow::Cow;

impl Linker<'_> {
    pub(super) fn make_kind(&mut self, rng: &mut Rng, kind: LinkKind) -> Made {
        use LinkKind::*;
        let fallback = |s: &mut Self, rng: &mut Rng| s.external(rng, External);
        // Where a path link has no target of its kind: a root path, or in
        // Obsidian (which has none) a wikilink.
        let elsewhere = if self.dialect == Dialect::Obsidian {
            Wikilink
        } else {
            Absolute
        };
        if self.dialect == Dialect::Obsidian
            && matches!(
                kind,
                Wikilink | WikilinkAlias | WikilinkHeading | WikilinkBlock | Embed
            )
        {
            return self.obsidian(rng, kind);
        }
        match kind {
            Wikilink | WikilinkAlias => {
                let Some(t) = self.target(rng, |_| true) else {
                    return fallback(self, rng);
                };
                let other = self.other_owner(&t);
                if *other.as_deref().unwrap_or(&t.path) == self.src.path {
                    // The title's owner is this very file (its collision
                    // twin was drawn): that would be a self-link.
                    return self.make_kind(rng, Relative);
                }
                let mut markup = self.markup_buf(t.title.len() + 40);
                markup.push_str("[[");
                markup.push_str(&t.title);
                if kind == WikilinkAlias {
                    markup.push('|');
                    self.push_text(rng, &mut markup, 2);
                }
                markup.push_str("]]");
                let (title, owner) = match t {
                    Cow::Owned(f) => (f.title, other.unwrap_or(f.path)),
                    Cow::Borrowed(f) => (f.title.clone(), other.unwrap_or_else(|| f.path.clone())),
                };
                Made {
                    markup,
                    definition: None,
                    record: record(kind, title, Some(owner), None),
                }
            }
            Relative => {
                let range = self.plan.files_in(self.src.folder);
                let children = self.plan.children(self.src.folder);
                let draw = |rng: &mut Rng| {
                    if !children.is_empty() && rng.chance(0.3) {
                        let c = children.start + rng.below(children.end - children.start);
                        let r = self.plan.files_in(c);
                        (!r.is_empty()).then(|| r.start + rng.below(r.end - r.start))
                    } else if range.end - range.start > 1 {
                        let mut t = range.start + rng.below(range.end - range.start - 1);
                        if t >= self.src.index {
                            t += 1;
                        }
                        Some(t)
                    } else {
                        None
                    }
                };
                // Orphans are nobody's target: draw again (the first draw
                // is the only one when there are none).
                let mut pick = draw(rng);
                for _ in 0..7 {
                    match pick {
                        Some(t) if self.plan.is_orphan(t) => pick = draw(rng),
                        _ => break,
                    }
                }
                let pick = pick.filter(|&t| !self.plan.is_orphan(t));
                let Some(t) = pick else {
                    return self.make_kind(rng, elsewhere);
                };
                let t = self.plan.file_cached(t);
                let mut dest = self.src_dir.relative(&t.path, 2);
                if rng.chance(0.2) {
                    dest.insert_str(0, "./");
                }
                let dest = self.local(dest);
                self.inline(rng, kind, dest, Some(path_of(t)), None)
            }
            Parent => {
                if self.src.folder == 0 {
                    return self.make_kind(rng, elsewhere);
                }
                let Some(t) = self.target(rng, |_| true) else {
                    return fallback(self, rng);
                };
                let mut dest = self.src_dir.relative(&t.path, 0);
                if !dest.starts_with("../") {
                    // Go up one level and back down: still a parent path.
                    let own = self.plan.folder_name(self.src.folder);
                    dest = cat(&["../", &own, "/", &dest]);
                }
                self.inline(rng, kind, dest, Some(path_of(t)), None)
            }
            Absolute => {
                let Some(t) = self.target(rng, |_| true) else {
                    return fallback(self, rng);
                };
                if self.plan.site().is_some() {
                    // Neither site tool resolves a root path to a page: the
                    // relative path to the same target instead.
                    let dest = self.src_dir.relative(&t.path, 2);
                    let kind = if dest.starts_with("../") {
                        Parent
                    } else {
                        Relative
                    };
                    return self.inline(rng, kind, dest, Some(path_of(t)), None);
                }
                let dest = cat(&["/", &t.path]);
                self.inline(rng, kind, dest, Some(path_of(t)), None)
            }
            PathAnchor => {
                let Some(t) = self.target(rng, |f| f.headings > 0) else {
                    return self.make_kind(rng, Relative);
                };
                let id = self.section_id(&t, rng.below(t.headings));
                let mut dest = self.src_dir.relative(&t.path, 1 + id.len());
                dest.push('#');
                dest.push_str(&id);
                self.inline(rng, kind, dest, Some(path_of(t)), Some(id))
            }
            Anchor => {
                if self.own_anchors.is_empty() {
                    return self.make_kind(rng, PathAnchor);
                }
                let id = self.own_anchors[rng.index(self.own_anchors.len())].clone();
                let dest = cat(&["#", &id]);
                let own = self.src.path.clone();
                self.inline(rng, kind, dest, Some(own), Some(id))
            }
            Directory => {
                let Some(t) = self.target(rng, |_| true) else {
                    return fallback(self, rng);
                };
                let net = self.plan.network_of(t.folder);
                let net_path = self.plan.folder_path(net);
                if net == self.src.folder {
                    return self.make_kind(rng, Relative);
                }
                let index = if net_path.is_empty() {
                    "index.md".to_string()
                } else {
                    cat(&[&net_path, "/index.md"])
                };
                let mut dest = self.src_dir.relative(&net_path, 1);
                if dest.is_empty() || dest.ends_with("..") {
                    dest = self.src_dir.relative(&index, 0);
                } else {
                    dest.push('/');
                }
                self.inline(rng, kind, dest, Some(index), None)
            }
            Id => {
                let Some(t) = self.target(rng, |f| f.id.is_some()) else {
                    return self.make_kind(rng, Wikilink);
                };
                let dest = cat(&["id:", t.id.as_deref().unwrap_or_default()]);
                let other = self.other_owner(&t);
                if *other.as_deref().unwrap_or(&t.path) == self.src.path {
                    return self.make_kind(rng, Relative);
                }
                let owner = other.unwrap_or_else(|| path_of(t));
                self.inline(rng, kind, dest, Some(owner), None)
            }
            Bref => {
                let Some(t) = self.target(rng, |f| f.bid.is_some()) else {
                    return self.make_kind(rng, Wikilink);
                };
                let dest = cat(&["bref://", &self.plan.bref_of(&t)]);
                self.inline(rng, kind, dest, Some(path_of(t)), None)
            }
            Reference => {
                let reuse = self.plan.profile().references.definition_reuse;
                if !self.defined.is_empty() && rng.chance(reuse) {
                    let (label, rec) = &self.defined[rng.index(self.defined.len())];
                    return Made {
                        markup: self.markup_cat(&[label]),
                        definition: None,
                        record: rec.clone(),
                    };
                }
                let ext = self.plan.profile().references.definition_external;
                let (dest, target, external) = if !rng.chance(ext) {
                    match self.target(rng, |_| true) {
                        Some(t) => (
                            self.local(self.src_dir.relative(&t.path, 2)),
                            Some(path_of(t)),
                            false,
                        ),
                        None => (external_url(self.plan, rng), None, true),
                    }
                } else {
                    (external_url(self.plan, rng), None, true)
                };
                let mut rec = record(kind, dest, target, None);
                rec.external = external;
                self.labelled(rng, rec)
            }
            External | Autolink => self.external(rng, kind),
            Image => {
                let k = rng.below(self.plan.assets.max(1));
                let path = self.plan.asset_path(k);
                let dest = self.local(self.src_dir.relative(&path, 2));
                Made {
                    markup: self.bracketed(rng, "![", 2, &dest),
                    definition: None,
                    record: record(kind, dest, Some(path), None),
                }
            }
            BareWord => self.negative(rng, BareWord),
            // Reached only in Obsidian (handled above) or from a profile
            // that bypassed the dialect check: write a plain path instead.
            WikilinkHeading | WikilinkBlock | Embed => self.make_kind(rng, Relative),
        }
    }
}

impl Linker<'_> {
    /// A new `[label]` for `rec`, with its definition line.
    pub(super) fn labelled(&mut self, rng: &mut Rng, rec: crate::record::LinkRecord) -> Made {
        self.labels += 1;
        // `[label]`: two words and the label's number.
        let mut markup = self.markup_buf(60);
        markup.push('[');
        self.push_text(rng, &mut markup, 2);
        markup.push(' ');
        let mut digits = [0; 20];
        let n = crate::text::u64_digits(self.labels, &mut digits);
        markup.push_str(std::str::from_utf8(n).expect("ASCII digits"));
        markup.push(']');
        let definition = cat(&[&markup, ": ", &rec.dest]);
        Made {
            markup,
            definition: Some(definition),
            record: rec,
        }
    }

    /// `made`, a labelled reference, was written with its definition: later
    /// references of this file may use its label again.
    pub fn defined(&mut self, made: &Made) {
        if made.definition.is_some() && self.plan.profile().references.definition_reuse > 0.0 {
            self.defined
                .push((made.markup.clone(), made.record.clone()));
        }
    }
}

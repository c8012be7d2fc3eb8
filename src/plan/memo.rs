//! What the plan keeps of its most popular reference targets, each part
//! computed on first use: with a Zipf law most references land on a few
//! files, and some of what a reference needs of its target is costly.

use super::{FileMeta, HeadingMeta, Plan, SectionIds};
use crate::dialect::Dialect;
use std::borrow::Cow;
use std::sync::OnceLock;

/// How many of the most popular targets are kept: with the default Zipf
/// exponent about 85% of the references of a corpus of 87,000 files land
/// on them. Their `gfm` section ids (about 16 a file) take about 1.5 MB.
const HUB_MEMO: u64 = 4096;

/// Per hub rank, what has been computed of the target.
#[derive(Debug, Clone, Default)]
pub(super) struct HubMemo {
    /// `gfm` only: every section id.
    sections: Vec<OnceLock<SectionIds>>,
    /// When the profile gives files bids: the `bref`.
    brefs: Vec<OnceLock<String>>,
}

impl HubMemo {
    /// Empty slots for what `plan`'s references will need.
    pub(super) fn new(plan: &Plan) -> HubMemo {
        let n = plan.files.min(HUB_MEMO) as usize;
        let slots = |on: bool| if on { n } else { 0 };
        HubMemo {
            sections: (0..slots(plan.dialect() == Dialect::Gfm))
                .map(|_| OnceLock::new())
                .collect(),
            brefs: (0..slots(plan.params.profile.front_matter.bids))
                .map(|_| OnceLock::new())
                .collect(),
        }
    }
}

impl Plan {
    /// `gfm`: the section ids of `f` if it is one of the most popular
    /// targets, computed on the first request and kept for the rest of the
    /// corpus. There an id depends on every heading before it, and a
    /// reference links into a few popular files far more often than a file
    /// links to any one of them, so a per-file cache missed most of the
    /// time. `None` in other dialects (an id is O(1) there) and for other
    /// files.
    pub fn hub_section_ids(&self, f: &FileMeta) -> Option<&SectionIds> {
        let slot = self
            .memo
            .sections
            .get(self.hub_perm.invert(f.index) as usize)?;
        Some(slot.get_or_init(|| self.section_ids(f)))
    }

    /// `gfm`: keep the section ids of `f`, whose headings the renderer has
    /// just computed in `sections` (all of them), if it is one of the most
    /// popular targets, so that its first reference does not compute them
    /// again. In a small corpus, where every file is one, that was as much
    /// work as rendering the headings.
    pub fn offer_section_ids(&self, f: &FileMeta, sections: &[HeadingMeta]) {
        debug_assert_eq!(sections.len() as u64, f.headings);
        if let Some(slot) = self
            .memo
            .sections
            .get(self.hub_perm.invert(f.index) as usize)
        {
            slot.get_or_init(|| {
                let mut ids = SectionIds::default();
                for h in sections {
                    ids.push(&h.id);
                }
                ids
            });
        }
    }

    /// [`crate::record::bref`] of `f`'s bid (of an empty bid when it has
    /// none), kept for the most popular targets: a UUIDv5 (SHA-1) per
    /// `bref://` reference cost more than the rest of the reference.
    pub fn bref_of(&self, f: &FileMeta) -> Cow<'_, str> {
        let bref = || crate::record::bref(f.bid.as_deref().unwrap_or_default());
        match self.memo.brefs.get(self.hub_perm.invert(f.index) as usize) {
            Some(slot) => Cow::Borrowed(slot.get_or_init(bref)),
            None => Cow::Owned(bref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Params;
    use crate::profile::Profile;

    #[test]
    fn kept_values_equal_computed_ones() {
        for dialect in [Dialect::Noet, Dialect::Gfm] {
            let profile = Profile {
                dialect,
                ..Profile::default()
            };
            let p = Plan::new(Params::new(profile, 2_000_000, 3, None)).unwrap();
            let mut kept = 0;
            // Half the files offer their ids first, as their renderer does.
            for i in (0..p.files).step_by(2) {
                let f = p.file(i);
                p.offer_section_ids(&f, &p.headings(i, f.headings));
            }
            // Twice: the first call fills the slots, the second reads them.
            for _ in 0..2 {
                for i in 0..p.files {
                    let f = p.file(i);
                    let bref = crate::record::bref(f.bid.as_deref().unwrap_or_default());
                    assert_eq!(p.bref_of(&f), bref);
                    if let Some(ids) = p.hub_section_ids(&f) {
                        kept += 1;
                        let want = p.headings(i, f.headings);
                        assert_eq!(ids.len(), want.len());
                        for (k, h) in want.iter().enumerate() {
                            assert_eq!(ids.get(k), h.id);
                        }
                    }
                }
            }
            assert_eq!(kept > 0, dialect == Dialect::Gfm);
        }
    }
}

//! Edits inside a file: its prose, its references, its sections.

use super::{path_link, prose, Log};
use crate::record::{LinkEvent, LinkKind};
use crate::revise::Corpus;
use crate::rng::Rng;
use crate::text::grammar::Grammar;
use crate::validate;

/// Rewrite the plain sentences a paragraph of a hot file opens with.
pub(super) fn paragraph(c: &mut Corpus, grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let markup = c.header.params.profile.text.inline_markup;
    let Some(i) = c.hot(rng, |_, _| true) else {
        return;
    };
    let d = &c.docs[i];
    let text = String::from_utf8_lossy(&d.bytes).into_owned();
    let o = validate::outline(&text, dialect);
    // The whole sentences a paragraph opens with, before its first
    // reference or other markup: rewritten in place, the rest of
    // the paragraph (and its references) left as they are.
    let leads: Vec<std::ops::Range<usize>> = o
        .paragraphs
        .iter()
        .filter(|(r, _)| !text[r.clone()].contains(" ^"))
        .filter_map(|(r, lead)| {
            let plain = &text[r.start..*lead];
            let end = if *lead == r.end {
                Some(plain.len())
            } else {
                plain.rfind(". ").map(|k| k + 1)
            }?;
            (end >= 20).then(|| r.start..r.start + end)
        })
        .collect();
    if leads.is_empty() {
        return log.note(format!(
            "paragraph: {} has no plain sentence; nothing done",
            d.rec.path
        ));
    }
    let at = leads[rng.index(leads.len())].clone();
    let new = prose(grammar, rng, at.len(), markup);
    let path = d.rec.path.clone();
    let mut bytes = Vec::with_capacity(text.len() + new.len());
    bytes.extend_from_slice(&text.as_bytes()[..at.start]);
    bytes.extend_from_slice(new.as_bytes());
    bytes.extend_from_slice(&text.as_bytes()[at.end..]);
    let links = c.docs[i].links.clone();
    log.touch(c, i);
    c.update(i, bytes, links);
    log.note(format!(
        "paragraph: rewrote {} bytes of a paragraph of {path}",
        at.len()
    ));
}

/// Add a path reference to another file at the end of a paragraph.
pub(super) fn add_reference(c: &mut Corpus, _grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let Some(i) = c.hot(rng, |_, _| true) else {
        return;
    };
    if c.docs.len() < 2 {
        return;
    }
    let mut j = rng.index(c.docs.len() - 1);
    if j >= i {
        j += 1;
    }
    let d = &c.docs[i];
    let text = String::from_utf8_lossy(&d.bytes).into_owned();
    let o = validate::outline(&text, dialect);
    if o.links.len() != d.links.len() {
        return log.note(format!("add reference: {} skipped", d.rec.path));
    }
    let paras: Vec<_> = o
        .paragraphs
        .iter()
        .filter(|(r, _)| !text[r.clone()].contains(" ^"))
        .map(|(r, _)| r.clone())
        .collect();
    if paras.is_empty() {
        return log.note(format!(
            "add reference: {} has no paragraph; nothing done",
            d.rec.path
        ));
    }
    let at = paras[rng.index(paras.len())].end;
    let (markup, rec) = path_link(dialect, &d.rec.path, &c.docs[j]);
    let insert = format!(" See {markup}.");
    // The new reference's place among the file's references.
    let k = o.links.iter().filter(|(span, _)| span.start < at).count();
    let path = d.rec.path.clone();
    let to = c.docs[j].rec.path.clone();
    let mut bytes = text.into_bytes();
    bytes.splice(at..at, insert.bytes());
    let mut links = c.docs[i].links.clone();
    links.insert(k, rec);
    log.touch(c, i);
    c.update(i, bytes, links);
    log.note(format!("add reference: {path} now links to {to}"));
}

/// Remove a reference, keeping its text.
pub(super) fn remove_reference(c: &mut Corpus, _grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let Some(i) = c.hot(rng, |_, d| !d.links.is_empty()) else {
        return;
    };
    let d = &c.docs[i];
    let text = String::from_utf8_lossy(&d.bytes).into_owned();
    let o = validate::outline(&text, dialect);
    if o.links.len() != d.links.len() {
        return log.note(format!("remove reference: {} skipped", d.rec.path));
    }
    let in_heading = |at: usize| o.headings.iter().any(|(h, _)| h.contains(&at));
    let removable: Vec<usize> = (0..d.links.len())
        .filter(|&k| {
            use LinkKind::*;
            let l = &d.links[k];
            matches!(
                l.kind,
                Wikilink
                    | WikilinkAlias
                    | Relative
                    | Parent
                    | Absolute
                    | PathAnchor
                    | Anchor
                    | Id
                    | Bref
                    | External
                    | WikilinkHeading
            ) && l.event != LinkEvent::Image
                && !in_heading(o.links[k].0.start)
                && !o.links[k].1.is_empty()
        })
        .collect();
    if removable.is_empty() {
        return log.note(format!(
            "remove reference: {} has none to remove; nothing done",
            d.rec.path
        ));
    }
    let k = removable[rng.index(removable.len())];
    let (span, inner) = o.links[k].clone();
    let path = d.rec.path.clone();
    let dest = d.links[k].dest.clone();
    let mut bytes = Vec::with_capacity(text.len());
    bytes.extend_from_slice(&text.as_bytes()[..span.start]);
    bytes.extend_from_slice(&text.as_bytes()[inner]);
    bytes.extend_from_slice(&text.as_bytes()[span.end..]);
    let mut links = c.docs[i].links.clone();
    links.remove(k);
    log.touch(c, i);
    c.update(i, bytes, links);
    log.note(format!(
        "remove reference: {path} no longer links to {dest}"
    ));
}

//! Edits inside a file: its prose, its references, its sections.

use super::{definition_line, folder, follow, path_link, prose, Log};
use crate::dialect::Dialect;
use crate::record::{HeadingRecord, LinkEvent, LinkKind, LinkRecord};
use crate::revise::Corpus;
use crate::rng::Rng;
use crate::text::grammar::Grammar;
use crate::validate;

/// Rewrite the plain sentences a paragraph of a hot file opens with.
pub(super) fn paragraph(c: &mut Corpus, grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let markup = c.header.params.profile.text.inline_markup;
    // A file of references and lists may have no paragraph that opens
    // with plain sentences: then the next hot file drawn, a few times.
    let mut found = None;
    let mut first = None;
    for _ in 0..4 {
        let Some(i) = c.hot(rng, |_, _| true) else {
            return;
        };
        first.get_or_insert(i);
        let text = String::from_utf8_lossy(&c.docs[i].bytes).into_owned();
        let leads = leads(&text, dialect);
        if !leads.is_empty() {
            found = Some((i, text, leads));
            break;
        }
    }
    let Some((i, text, leads)) = found else {
        let path = first
            .map(|i| c.docs[i].rec.path.clone())
            .unwrap_or_default();
        return log.note(format!(
            "paragraph: {path} and the next files drawn have no plain sentence; nothing done"
        ));
    };
    let d = &c.docs[i];
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
    // Half the time, a path reference an earlier edit broke (its target
    // deleted or renamed) is fixed instead: pointed at another file, as
    // someone tidying a page does. Deliberate negatives stay broken.
    let fixable: Vec<usize> = removable
        .iter()
        .copied()
        .filter(|&k| {
            use LinkKind::*;
            let l = &d.links[k];
            matches!(l.kind, Relative | Parent | Absolute | PathAnchor)
                && l.event == LinkEvent::Inline
                && l.broken
                    .as_deref()
                    .is_some_and(|b| b.starts_with("its target is gone"))
        })
        .collect();
    if !fixable.is_empty() && c.docs.len() > 1 && rng.chance(0.5) {
        let k = fixable[rng.index(fixable.len())];
        let mut j = rng.index(c.docs.len() - 1);
        if j >= i {
            j += 1;
        }
        let (markup, rec) = path_link(dialect, &d.rec.path, &c.docs[j]);
        let path = d.rec.path.clone();
        let dest = d.links[k].dest.clone();
        let to = c.docs[j].rec.path.clone();
        let mut bytes = text.into_bytes();
        bytes.splice(o.links[k].0.clone(), markup.bytes());
        let mut links = c.docs[i].links.clone();
        links[k] = rec;
        log.touch(c, i);
        c.update(i, bytes, links);
        return log.note(format!(
            "fix reference: {path} now links to {to}, not the missing {dest}"
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

/// Move a section (its heading and all under it) of a hot file to the end
/// of another file in the same folder, so that the section's own path
/// references still land. References to its headings from other files
/// follow it (by the profile's share) or break; the file's own `#anchor`
/// references to it break.
pub(super) fn move_section(c: &mut Corpus, _grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let Some(i) = c.hot(rng, |_, d| d.headings.iter().any(|h| h.level > 1)) else {
        return;
    };
    let from = c.docs[i].rec.path.clone();
    let dir = folder(&from).to_string();
    let Some(j) = c.hot(rng, |_, d| d.rec.path != from && folder(&d.rec.path) == dir) else {
        return log.note(format!(
            "move section: {from} has no file beside it; nothing done"
        ));
    };
    let to = c.docs[j].rec.path.clone();
    let (a, b) = (&c.docs[i], &c.docs[j]);
    let ta = String::from_utf8_lossy(&a.bytes).into_owned();
    let o = validate::outline(&ta, dialect);
    if o.headings.len() != a.headings.len() || o.links.len() != a.links.len() {
        return log.note(format!("move section: {from} skipped"));
    }
    let sections: Vec<usize> = (0..o.headings.len())
        .filter(|&k| o.headings[k].1 > 1 && ta[o.headings[k].0.clone()].starts_with('#'))
        .collect();
    if sections.is_empty() {
        return log.note(format!(
            "move section: {from} has no section to move; nothing done"
        ));
    }
    let k = sections[rng.index(sections.len())];
    let level = o.headings[k].1;
    let last = (k + 1..o.headings.len())
        .find(|&m| o.headings[m].1 <= level)
        .unwrap_or(o.headings.len());
    let span = o.headings[k].0.start..o.headings.get(last).map_or(ta.len(), |h| h.0.start);
    let moved = &a.headings[k..last];
    // No broken reference asks for its headings, so that nothing but
    // references to them (and in the two files) can land differently.
    if moved
        .iter()
        .any(|h| c.asked_in(b, &h.id) || c.asked_in(b, &h.text))
    {
        return log.note(format!(
            "move section: \"{}\" of {from} has a heading a broken reference asks for; nothing done",
            moved[0].text
        ));
    }
    let first = o.links.iter().filter(|l| l.0.start < span.start).count();
    let past = o.links.iter().filter(|l| l.0.start < span.end).count();
    // A label's definition goes where its references go: the moved
    // references' definitions elsewhere in the file are copied along,
    // and those in the section that the rest of the file uses stay too.
    let inside = |r: &std::ops::Range<usize>| r.start >= span.start && r.end <= span.end;
    let mut carry: Vec<std::ops::Range<usize>> = a.links[first..past]
        .iter()
        .filter_map(|l| definition_line(&ta, l))
        .filter(|r| !inside(r))
        .collect();
    let mut keep: Vec<std::ops::Range<usize>> = a.links[..first]
        .iter()
        .chain(&a.links[past..])
        .filter_map(|l| definition_line(&ta, l))
        .filter(|r| inside(r))
        .collect();
    for v in [&mut carry, &mut keep] {
        v.sort_by_key(|r| r.start);
        v.dedup();
    }
    let lines = |v: &[std::ops::Range<usize>], out: &mut String| {
        if v.is_empty() {
            return;
        }
        paragraph_break(out);
        for r in v {
            out.push_str(&ta[r.clone()]);
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
    };
    let mut section = ta[span.clone()].to_string();
    if !section.ends_with('\n') {
        section.push('\n');
    }
    lines(&carry, &mut section);
    let mut new_a = ta[..span.start].to_string();
    new_a.push_str(&ta[span.end..]);
    lines(&keep, &mut new_a);
    let mut new_b = String::from_utf8_lossy(&b.bytes).into_owned();
    paragraph_break(&mut new_b);
    new_b.push_str(&section);
    let mut links_a = a.links[..first].to_vec();
    links_a.extend_from_slice(&a.links[past..]);
    let mut links_b = b.links.clone();
    links_b.extend_from_slice(&a.links[first..past]);
    let mut heads_a = a.headings[..k].to_vec();
    heads_a.extend_from_slice(&a.headings[last..]);
    let mut heads_b = b.headings.clone();
    heads_b.extend_from_slice(moved);
    // Both files must parse to just those references and headings (a
    // label defined elsewhere in the file, a list the section would run
    // on from, and so on, would not): otherwise nothing is done. Heading
    // ids may shift where the dialect numbers repeated ones, but only to
    // ids the file had, or (in the new file's moved headings) to ids
    // nothing asks for.
    let parsed = |text: &str, links: &[LinkRecord], heads: &[HeadingRecord]| {
        let p = validate::parse_as(text, dialect);
        let same = p.links.len() == links.len()
            && p.links.iter().zip(links).all(|(p, l)| p.2 == l.dest)
            && p.headings.len() == heads.len()
            && p.headings
                .iter()
                .zip(heads)
                .all(|(p, h)| p.text == h.text && p.level == h.level);
        same.then_some(p.headings)
    };
    let new_ids = parsed(&new_a, &links_a, &heads_a)
        .filter(|h| h.iter().all(|h| a.headings.iter().any(|x| x.id == h.id)))
        .and_then(|_| parsed(&new_b, &links_b, &heads_b))
        .filter(|h| {
            h.iter().zip(&b.headings).all(|(h, x)| h.id == x.id)
                && h[b.headings.len()..].iter().all(|h| !c.asked_in(b, &h.id))
        });
    let Some(new_ids) = new_ids else {
        return log.note(format!(
            "move section: \"{}\" of {from} would not parse the same in {to}; nothing done",
            moved[0].text
        ));
    };
    // Each moved heading's id before and after.
    let ids: Vec<(String, String)> = moved
        .iter()
        .zip(&new_ids[b.headings.len()..])
        .map(|(h, n)| (h.id.clone(), n.id.clone()))
        .collect();
    let title = moved[0].text.clone();
    log.touch(c, i);
    log.touch(c, j);
    c.update_with(i, |d| {
        d.bytes = new_a.into_bytes();
        d.links = links_a;
        d.headings = heads_a;
    });
    c.update_with(j, |d| {
        d.bytes = new_b.into_bytes();
        d.links = links_b;
        d.headings = heads_b;
    });
    let stem = |p: &str| {
        let s = p.rsplit('/').next().unwrap_or(p);
        s.strip_suffix(".md").unwrap_or(s).to_string()
    };
    let (sa, sb) = (stem(&from), stem(&to));
    let obsidian = dialect == Dialect::Obsidian;
    let followed = follow(c, rng, log, &from, |l| {
        let anchor = l.anchor.as_deref()?;
        let (old, new) = ids.iter().find(|(old, _)| old == anchor)?;
        let page = l.dest.split('#').next().unwrap_or_default();
        match l.kind {
            LinkKind::PathAnchor
                if page.ends_with(&format!("{sa}.md")) && l.dest.ends_with(&format!("#{old}")) =>
            {
                Some((format!("{sa}.md#{old}"), format!("{sb}.md#{new}")))
            }
            LinkKind::WikilinkHeading if obsidian && page == sa => {
                Some((format!("[[{sa}#"), format!("[[{sb}#")))
            }
            _ => None,
        }
    });
    log.note(format!(
        "move section: \"{title}\" of {from} -> {to}; {followed} reference(s) follow it"
    ));
}

/// End `text` with a blank line (what a heading or a label's definition
/// after it needs, so as not to run on from what comes before).
fn paragraph_break(text: &mut String) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() && !text.ends_with("\n\n") {
        text.push('\n');
    }
}

/// The whole sentences each paragraph of `text` opens with, before its
/// first reference or other markup: what a paragraph edit rewrites in
/// place, leaving the rest of the paragraph (and its references) as is.
fn leads(text: &str, dialect: Dialect) -> Vec<std::ops::Range<usize>> {
    let o = validate::outline(text, dialect);
    o.paragraphs
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
        .collect()
}

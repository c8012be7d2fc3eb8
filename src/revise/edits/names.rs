//! Edits that rename: a heading, a front matter title or id, a file;
//! references to the old name follow it or break.

use super::{folder, follow, join, phrase, slug, Log};
use crate::dialect::Dialect;
use crate::record::LinkKind;
use crate::revise::Corpus;
use crate::rng::Rng;
use crate::text::grammar::Grammar;
use crate::validate;
use std::collections::BTreeSet;

/// Give a section heading new text; references to its anchor follow or break.
pub(super) fn rename_heading(c: &mut Corpus, grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let Some(i) = c.hot(rng, |_, d| d.headings.iter().any(|h| h.level > 1)) else {
        return;
    };
    let d = &c.docs[i];
    let text = String::from_utf8_lossy(&d.bytes).into_owned();
    let o = validate::outline(&text, dialect);
    if o.headings.len() != d.headings.len() {
        return log.note(format!("rename heading: {} skipped", d.rec.path));
    }
    let candidates: Vec<usize> = (0..o.headings.len())
        .filter(|&k| {
            let (r, level) = &o.headings[k];
            let line = &text[r.clone()];
            *level > 1 && line.starts_with('#') && !line.contains("{#") && !line.contains('\n')
        })
        .collect();
    if candidates.is_empty() {
        return log.note(format!(
            "rename heading: {} has none to rename; nothing done",
            d.rec.path
        ));
    }
    let k = candidates[rng.index(candidates.len())];
    let (r, level) = o.headings[k].clone();
    let ids: BTreeSet<String> = d.headings.iter().map(|h| h.id.clone()).collect();
    let old = d.headings[k].text.clone();
    let path = d.rec.path.clone();
    let words = 2 + rng.index(3);
    let mut new = phrase(grammar, rng, words);
    while ids.contains(&dialect.slug(&new))
        || dialect.slug(&new).is_empty()
        || !c.fresh(&dialect.slug(&new))
        || !c.fresh(&new)
    {
        new.push(' ');
        new.push_str(&phrase(grammar, rng, 1).to_lowercase());
    }
    let line = format!("{} {new}", "#".repeat(level as usize));
    let mut bytes = Vec::with_capacity(text.len());
    bytes.extend_from_slice(&text.as_bytes()[..r.start]);
    bytes.extend_from_slice(line.as_bytes());
    bytes.extend_from_slice(&text.as_bytes()[r.end..]);
    let old_id = c.docs[i].headings[k].id.clone();
    let links = c.docs[i].links.clone();
    log.touch(c, i);
    c.update(i, bytes, links);
    let new_id = c.docs[i].headings[k].id.clone();
    // References to the anchor follow it (by the profile's share)
    // or break.
    let wiki = dialect == Dialect::Obsidian;
    let followed = follow(c, rng, log, &path, |l| {
        let (from, to) = match l.kind {
            LinkKind::WikilinkHeading if wiki => (old.as_str(), new.as_str()),
            LinkKind::PathAnchor | LinkKind::Anchor => (old_id.as_str(), new_id.as_str()),
            _ => return None,
        };
        (l.anchor.as_deref() == Some(old_id.as_str()) && l.dest.ends_with(&format!("#{from}")))
            .then(|| (format!("#{from}"), format!("#{to}")))
    });
    log.note(format!(
        "rename heading: \"{old}\" in {path} is now \"{new}\"; {followed} reference(s) follow it"
    ));
}

/// Rename a file within its folder; references to it follow or break.
pub(super) fn move_file(c: &mut Corpus, grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    let Some(i) = c.hot(rng, |c, d| c.movable(d)) else {
        return;
    };
    let old = c.docs[i].rec.path.clone();
    let stem = old
        .rsplit('/')
        .next()
        .unwrap_or(&old)
        .trim_end_matches(".md")
        .to_string();
    let mut name = format!("{stem}-{}", slug(&phrase(grammar, rng, 1)));
    while !c.fresh(&name) || name.len() > 120 {
        name = format!("{stem}-{}", slug(&phrase(grammar, rng, 2)));
    }
    let new = join(folder(&old), &format!("{name}.md"));
    log.touch(c, i);
    c.rename(i, new.clone());
    log.renamed(&old, &new);
    // Path references follow it (by the profile's share) or break:
    // in the same folder, only the file name changes.
    let (from, to) = (format!("{stem}.md"), format!("{name}.md"));
    let followed = follow(c, rng, log, &old, |l| {
        use LinkKind::*;
        (matches!(l.kind, Relative | Parent | Absolute | PathAnchor)
            && l.dest.split('#').next().is_some_and(|p| p.ends_with(&from)))
        .then(|| (from.clone(), to.clone()))
    });
    log.note(format!(
        "move file: {old} -> {new}; {followed} reference(s) follow it"
    ));
}

//! Edits that rename: a heading, a front matter title or id, a file;
//! references to the old name follow it or break.

use super::{folder, follow, join, phrase, plain, slug, Log};
use crate::dialect::Dialect;
use crate::record::{FrontMatterFormat, LinkKind};
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
            // An ATX heading's span runs to its line end.
            let line = text[r.clone()].trim_end_matches(['\n', '\r']);
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
    let r = r.start..r.start + text[r].trim_end_matches(['\n', '\r']).len();
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
    // The old name and a word or two, from at most 60 bytes of the old
    // name: a file renamed again and again keeps a name of bounded length.
    let mut cut = stem.len().min(60);
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    let base = stem[..cut].trim_end_matches(['-', '_']);
    let name = (0..64).find_map(|k| {
        let name = format!("{base}-{}", slug(&phrase(grammar, rng, 1 + k % 2)));
        (name != stem && name.len() <= 120 && c.fresh(&name)).then_some(name)
    });
    let Some(name) = name else {
        return log.note(format!("move file: no fresh name for {old}; nothing done"));
    };
    let new = join(folder(&old), &format!("{name}.md"));
    log.touch(c, i);
    c.rename(i, new.clone());
    log.renamed(&old, &new);
    // References by path (inline or by a label's definition), and in
    // Obsidian by file name, follow it (by the profile's share) or break:
    // in the same folder, only the file name changes.
    let (from, to) = (format!("{stem}.md"), format!("{name}.md"));
    let obsidian = c.header.params.profile.dialect == Dialect::Obsidian;
    let followed = follow(c, rng, log, &old, |l| {
        use LinkKind::*;
        let page = l.dest.split('#').next().unwrap_or_default();
        match l.kind {
            Relative | Parent | Absolute | PathAnchor | Reference if page.ends_with(&from) => {
                Some((from.clone(), to.clone()))
            }
            Wikilink | WikilinkAlias | WikilinkHeading | WikilinkBlock | Embed
                if obsidian && page == stem =>
            {
                Some((format!("[[{stem}"), format!("[[{name}")))
            }
            _ => None,
        }
    });
    log.note(format!(
        "move file: {old} -> {new}; {followed} reference(s) follow it"
    ));
}

/// Give a file's front matter a new title or a new id. References by the
/// old one follow it (by the profile's share) or break: wikilinks by title
/// (but in Obsidian, which links by file name), `id:` links by id.
pub(super) fn front_matter(c: &mut Corpus, grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let Some(i) = c.hot(rng, |c, d| d.rec.front_matter.is_some() && c.movable(d)) else {
        return;
    };
    let d = &c.docs[i];
    let path = d.rec.path.clone();
    let format = d.rec.front_matter.expect("drawn for its front matter");
    let old_id = d.rec.id.clone().filter(|id| !id.is_empty());
    let retitle = old_id.is_none() || rng.chance(0.5);
    let (key, old) = match &old_id {
        Some(id) if !retitle => ("id", id.clone()),
        _ => ("title", d.rec.title.clone()),
    };
    let written = |v: &str| match format {
        FrontMatterFormat::Toml => format!("\n{key} = \"{v}\"\n"),
        FrontMatterFormat::Yaml => format!("\n{key}: {v}\n"),
        FrontMatterFormat::Json => format!("\"{key}\": \"{v}\""),
    };
    let text = String::from_utf8_lossy(&d.bytes).into_owned();
    let end = text
        .strip_prefix("---\n")
        .and_then(|t| t.find("\n---\n"))
        .map(|k| k + 5);
    let at = end.and_then(|end| {
        let region = &text[..end];
        let line = written(&old);
        (region.matches(line.as_str()).count() == 1).then(|| region.find(line.as_str()))?
    });
    let Some(at) = at else {
        return log.note(format!(
            "front matter: {path} does not write its {key} plainly; nothing done"
        ));
    };
    // A name no file has and no broken reference asks for, so that nothing
    // but the references that named the old one lands differently.
    let new = (0..32).find_map(|_| {
        let words = 2 + rng.index(3);
        let p = phrase(grammar, rng, words);
        let v = if retitle { p } else { slug(&p) };
        (plain(&v) && v != old && c.fresh(&v) && c.fresh(&slug(&v))).then_some(v)
    });
    let Some(new) = new else {
        return log.note(format!(
            "front matter: no fresh {key} for {path}; nothing done"
        ));
    };
    let line = written(&old);
    let mut bytes = text.into_bytes();
    bytes.splice(at..at + line.len(), written(&new).bytes());
    log.touch(c, i);
    let value = new.clone();
    c.update_with(i, |d| {
        d.bytes = bytes;
        if retitle {
            d.rec.title = value;
        } else {
            d.rec.id = Some(value);
        }
    });
    let followed = follow(c, rng, log, &path, |l| {
        use LinkKind::*;
        let page = l.dest.split(['#', '|']).next().unwrap_or_default();
        match l.kind {
            Wikilink | WikilinkAlias | WikilinkHeading
                if retitle && dialect != Dialect::Obsidian && page == old =>
            {
                Some((format!("[[{old}"), format!("[[{new}")))
            }
            Id if !retitle && l.dest == format!("id:{old}") => {
                Some((format!("id:{old}"), format!("id:{new}")))
            }
            _ => None,
        }
    });
    log.note(format!(
        "front matter: {key} \"{old}\" of {path} is now \"{new}\"; {followed} reference(s) follow it"
    ));
}

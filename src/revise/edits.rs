//! The edit kinds, each a change to a [`Corpus`] drawn from its own
//! stream: which file (hot files first), where in it, and what it writes.
//! An edit that finds nothing to act on (a file with no plain paragraph,
//! no heading to rename) does nothing, and the log says so.

use super::{Corpus, Doc};
use crate::dialect::Dialect;
use crate::links::relative_path;
use crate::manifest::FileRecord;
use crate::record::{LinkEvent, LinkKind, LinkRecord};
use crate::rng::Rng;
use crate::text::grammar::{Grammar, Sink};
use crate::text::lexicon::MAX_WORD;
use crate::validate;
use std::collections::BTreeSet;

/// An edit kind, in the order of the profile's weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Paragraph,
    AddReference,
    RemoveReference,
    RenameHeading,
    AddFile,
    DeleteFile,
    MoveFile,
}

pub(super) const KINDS: [Kind; 7] = [
    Kind::Paragraph,
    Kind::AddReference,
    Kind::RemoveReference,
    Kind::RenameHeading,
    Kind::AddFile,
    Kind::DeleteFile,
    Kind::MoveFile,
];

/// What a step's edits did.
#[derive(Debug, Default)]
pub(super) struct Log {
    /// One line per edit.
    pub(super) edits: Vec<String>,
    /// Each file the step touched: its path before the step (none for a
    /// file it added), its path now (none once deleted), and its hash
    /// before the step.
    files: Vec<(Option<String>, Option<String>, String)>,
}

impl Log {
    /// File `path` is about to change.
    fn touch(&mut self, c: &Corpus, i: usize) {
        let path = &c.docs[i].rec.path;
        if !self
            .files
            .iter()
            .any(|(_, now, _)| now.as_ref() == Some(path))
        {
            self.files.push((
                Some(path.clone()),
                Some(path.clone()),
                c.docs[i].rec.blake3.clone(),
            ));
        }
    }

    fn added(&mut self, path: &str) {
        self.files
            .push((None, Some(path.to_string()), String::new()));
    }

    fn renamed(&mut self, from: &str, to: &str) {
        for f in &mut self.files {
            if f.1.as_deref() == Some(from) {
                f.1 = Some(to.to_string());
            }
        }
    }

    fn deleted(&mut self, path: &str) {
        for f in &mut self.files {
            if f.1.as_deref() == Some(path) {
                f.1 = None;
            }
        }
    }

    /// (path before, path now) of every file touched.
    pub(super) fn paths(&self) -> impl Iterator<Item = (Option<String>, Option<String>)> + '_ {
        self.files.iter().map(|(a, b, _)| (a.clone(), b.clone()))
    }

    /// The step's files added, removed, changed and moved (`c` after it).
    pub(super) fn diff(&self, c: &Corpus) -> super::Diff {
        let mut d = super::Diff {
            edits: self.edits.clone(),
            ..super::Diff::default()
        };
        for (start, now, hash) in &self.files {
            match (start, now) {
                (None, Some(p)) => d.added.push(p.clone()),
                (Some(p), None) => d.removed.push(p.clone()),
                (Some(a), Some(b)) if a != b => {
                    d.removed.push(a.clone());
                    d.added.push(b.clone());
                    d.moved.push((a.clone(), b.clone()));
                }
                (Some(a), Some(_)) => {
                    if c.doc(a).is_some_and(|x| x.rec.blake3 != *hash) {
                        d.changed.push(a.clone());
                    }
                }
                (None, None) => {}
            }
        }
        d.added.sort();
        d.removed.sort();
        d.changed.sort();
        d.moved.sort();
        d
    }
}

/// The grammar's tokens, written as one line of prose.
struct Line<'r> {
    rng: &'r mut Rng,
    out: String,
}

impl Sink for Line<'_> {
    fn rng(&mut self) -> &mut Rng {
        self.rng
    }
    fn token(&mut self, text: &[u8], _words: u32, _content: bool) {
        if !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push_str(&String::from_utf8_lossy(text));
    }
    fn attach(&mut self, text: &[u8]) {
        self.out.push_str(&String::from_utf8_lossy(text));
    }
}

/// About `bytes` of prose from `grammar`, whole sentences, one line.
fn prose(grammar: &Grammar, rng: &mut Rng, bytes: usize, markup: f64) -> String {
    let mut line = Line {
        rng,
        out: String::new(),
    };
    while line.out.len() < bytes.max(20) {
        grammar.sentence(&mut line, markup);
    }
    line.out
}

/// A few lexicon words, capitalised: a heading or a title.
fn phrase(grammar: &Grammar, rng: &mut Rng, words: usize) -> String {
    let mut out = String::new();
    let mut buf = [0u8; MAX_WORD];
    for k in 0..words {
        let n = grammar.lexicon().sample(rng, &mut buf);
        let w = String::from_utf8_lossy(&buf[..n]).into_owned();
        if k == 0 {
            crate::text::push_capitalized(&mut out, &w);
        } else {
            out.push(' ');
            out.push_str(&w);
        }
    }
    out
}

fn slug(title: &str) -> String {
    title
        .to_lowercase()
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Whether a title can be a link's text as it is.
fn plain(title: &str) -> bool {
    !title.is_empty()
        && title
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == ' ' || ch == '-')
}

/// A path reference from the doc at `src` to the doc `to`, as this
/// dialect writes one, and its record (line and event are filled in when
/// the file is parsed again).
fn path_link(dialect: Dialect, src: &str, to: &Doc) -> (String, LinkRecord) {
    let mut dest = relative_path(folder(src), &to.rec.path);
    if dialect == Dialect::Obsidian && !dest.starts_with("../") && !dest.starts_with("./") {
        dest.insert_str(0, "./");
    }
    let text = if plain(&to.rec.title) {
        to.rec.title.clone()
    } else {
        "this page".to_string()
    };
    let kind = if dest.starts_with("../") {
        LinkKind::Parent
    } else {
        LinkKind::Relative
    };
    let rec = LinkRecord {
        line: 0,
        kind,
        event: LinkEvent::Inline,
        dest: dest.clone(),
        target: Some(to.rec.path.clone()),
        anchor: None,
        external: false,
        broken: None,
        url: None,
    };
    (format!("[{text}]({dest})"), rec)
}

/// Rewrite, in each file that referenced `target` (in path order), each
/// reference `how` gives a (from, to) rewrite for, with the profile's
/// `follow_share` chance: `from` replaced by `to` in its markup, when
/// `from` is there exactly once. Returns how many followed.
fn follow(
    c: &mut Corpus,
    rng: &mut Rng,
    log: &mut Log,
    target: &str,
    how: impl Fn(&LinkRecord) -> Option<(String, String)>,
) -> usize {
    let share = c.header.params.profile.revisions.follow_share;
    if share <= 0.0 {
        return 0;
    }
    let dialect = c.header.params.profile.dialect;
    let mut referrers: Vec<String> = c.referrers(target).into_iter().collect();
    referrers.sort();
    let mut followed = 0;
    for r in referrers {
        let Some(i) = c.position(&r) else { continue };
        let text = String::from_utf8_lossy(&c.docs[i].bytes).into_owned();
        let o = validate::outline(&text, dialect);
        if o.links.len() != c.docs[i].links.len() {
            continue;
        }
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let mut links = c.docs[i].links.clone();
        for (k, l) in c.docs[i].links.iter().enumerate() {
            if l.target.as_deref() != Some(target) {
                continue;
            }
            let Some((from, to)) = how(l) else { continue };
            if !rng.chance(share) {
                continue;
            }
            let span = o.links[k].0.clone();
            let markup = &text[span.clone()];
            if markup.matches(from.as_str()).count() != 1 {
                continue;
            }
            let at = span.start + markup.find(from.as_str()).expect("counted once");
            edits.push((at..at + from.len(), to.clone()));
            links[k].dest = l.dest.replacen(from.as_str(), &to, 1);
        }
        if edits.is_empty() {
            continue;
        }
        let mut bytes = text.into_bytes();
        for (range, to) in edits.iter().rev() {
            bytes.splice(range.clone(), to.bytes());
        }
        followed += edits.len();
        log.touch(c, i);
        c.update(i, bytes, links);
    }
    followed
}

/// Apply one edit of kind `kind` to `c`.
pub(super) fn apply(c: &mut Corpus, grammar: &Grammar, kind: Kind, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let markup = c.header.params.profile.text.inline_markup;
    let note = |log: &mut Log, what: String| log.edits.push(what);
    match kind {
        Kind::Paragraph => {
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
                return note(
                    log,
                    format!(
                        "paragraph: {} has no plain sentence; nothing done",
                        d.rec.path
                    ),
                );
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
            note(
                log,
                format!(
                    "paragraph: rewrote {} bytes of a paragraph of {path}",
                    at.len()
                ),
            );
        }
        Kind::AddReference => {
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
                return note(log, format!("add reference: {} skipped", d.rec.path));
            }
            let paras: Vec<_> = o
                .paragraphs
                .iter()
                .filter(|(r, _)| !text[r.clone()].contains(" ^"))
                .map(|(r, _)| r.clone())
                .collect();
            if paras.is_empty() {
                return note(
                    log,
                    format!(
                        "add reference: {} has no paragraph; nothing done",
                        d.rec.path
                    ),
                );
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
            note(log, format!("add reference: {path} now links to {to}"));
        }
        Kind::RemoveReference => {
            let Some(i) = c.hot(rng, |_, d| !d.links.is_empty()) else {
                return;
            };
            let d = &c.docs[i];
            let text = String::from_utf8_lossy(&d.bytes).into_owned();
            let o = validate::outline(&text, dialect);
            if o.links.len() != d.links.len() {
                return note(log, format!("remove reference: {} skipped", d.rec.path));
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
                return note(
                    log,
                    format!(
                        "remove reference: {} has none to remove; nothing done",
                        d.rec.path
                    ),
                );
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
            note(
                log,
                format!("remove reference: {path} no longer links to {dest}"),
            );
        }
        Kind::RenameHeading => {
            let Some(i) = c.hot(rng, |_, d| d.headings.iter().any(|h| h.level > 1)) else {
                return;
            };
            let d = &c.docs[i];
            let text = String::from_utf8_lossy(&d.bytes).into_owned();
            let o = validate::outline(&text, dialect);
            if o.headings.len() != d.headings.len() {
                return note(log, format!("rename heading: {} skipped", d.rec.path));
            }
            let candidates: Vec<usize> = (0..o.headings.len())
                .filter(|&k| {
                    let (r, level) = &o.headings[k];
                    let line = &text[r.clone()];
                    *level > 1
                        && line.starts_with('#')
                        && !line.contains("{#")
                        && !line.contains('\n')
                })
                .collect();
            if candidates.is_empty() {
                return note(
                    log,
                    format!(
                        "rename heading: {} has none to rename; nothing done",
                        d.rec.path
                    ),
                );
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
                (l.anchor.as_deref() == Some(old_id.as_str())
                    && l.dest.ends_with(&format!("#{from}")))
                .then(|| (format!("#{from}"), format!("#{to}")))
            });
            note(
                log,
                format!("rename heading: \"{old}\" in {path} is now \"{new}\"; {followed} reference(s) follow it"),
            );
        }
        Kind::AddFile => {
            let Some(near) = c.hot(rng, |_, _| true) else {
                return;
            };
            let dir = folder(&c.docs[near].rec.path).to_string();
            let words = 2 + rng.index(3);
            let mut title = phrase(grammar, rng, words);
            while !c.fresh(&slug(&title)) || !c.fresh(&title) {
                title.push(' ');
                title.push_str(&phrase(grammar, rng, 1).to_lowercase());
            }
            let path = join(&dir, &format!("{}.md", slug(&title)));
            let mut body = format!("# {title}\n\n");
            // About the corpus's mean file size (a lognormal around it
            // whose mean is the mean), so that adds and deletes of equal
            // weight keep the corpus's size.
            let mean = c.mean_file_bytes() as f64;
            let sigma = 0.5;
            let target =
                rng.lognormal(libm::log(mean.max(600.0)) - sigma * sigma / 2.0, sigma) as usize;
            while body.len() + 80 < target {
                let len = 200 + rng.index(600);
                body.push_str(&prose(grammar, rng, len, markup));
                body.push_str("\n\n");
            }
            let to = rng.index(c.docs.len());
            let (link, mut rec) = path_link(dialect, &path, &c.docs[to]);
            body.push_str(&format!("See {link}.\n"));
            rec.line = 0;
            let empty = super::live::empty();
            let doc = Doc {
                rec: FileRecord {
                    path: path.clone(),
                    title,
                    ..empty.rec
                },
                links: vec![rec],
                bytes: body.into_bytes(),
                ..empty
            };
            c.push(doc);
            log.added(&path);
            note(log, format!("add file: {path}"));
        }
        Kind::DeleteFile => {
            if c.docs.len() <= 2 {
                return;
            }
            let Some(i) = c.hot(rng, |c, d| c.movable(d)) else {
                return;
            };
            let path = c.docs[i].rec.path.clone();
            log.touch(c, i);
            c.remove(i);
            log.deleted(&path);
            note(log, format!("delete file: {path}"));
        }
        Kind::MoveFile => {
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
            note(
                log,
                format!("move file: {old} -> {new}; {followed} reference(s) follow it"),
            );
        }
    }
}

//! The edit kinds, each a change to a [`Corpus`] drawn from its own
//! stream: which file (hot files first), where in it, and what it writes.
//! An edit that finds nothing to act on (a file with no plain paragraph,
//! no heading to rename) does nothing, and the log says so.

use super::{Corpus, Doc};
use crate::dialect::Dialect;
use crate::links::relative_path;
use crate::manifest::FileRecord;
use crate::record::{BlockCounts, LinkEvent, LinkKind, LinkRecord};
use crate::rng::{hash_coords, Domain, Rng};
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
    /// Docs whose bytes changed (indices into `Corpus::docs`).
    pub(super) touched: BTreeSet<usize>,
    /// Renames: (old path, new path).
    pub(super) moves: Vec<(String, String)>,
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

/// The file an edit touches: ranks drawn by the profile's Zipf law over
/// the docs ordered by a fixed per-file heat (a hash of its title), so
/// that the same few files stay hot as others come and go.
fn hot(c: &Corpus, rng: &mut Rng, ok: impl Fn(&Doc) -> bool) -> Option<usize> {
    let seed = c.header.params.seed;
    let mut order: Vec<(u64, usize)> = c
        .docs
        .iter()
        .enumerate()
        .filter(|(_, d)| ok(d))
        .map(|(i, d)| {
            (
                hash_coords(seed, Domain::Revision, &[title_hash(&d.rec.title)]),
                i,
            )
        })
        .collect();
    if order.is_empty() {
        return None;
    }
    order.sort_unstable();
    let s = c.header.params.profile.revisions.hot_exponent;
    let rank = rng.zipf(order.len() as u64, s) as usize;
    Some(order[rank.min(order.len() - 1)].1)
}

fn title_hash(t: &str) -> u64 {
    let h = blake3::hash(t.as_bytes());
    u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes"))
}

/// Whether a file may be deleted or renamed: not a network's index (whose
/// folder links name it), in no deliberate collision.
fn movable(c: &Corpus, d: &Doc) -> bool {
    !d.rec.network
        && d.rec.collides_with.is_none()
        && !c
            .docs
            .iter()
            .any(|o| o.rec.collides_with.as_deref() == Some(d.rec.path.as_str()))
}

/// Whether no file is called `name` (its stem, Obsidian's lookup key) or
/// titled, identified or aliased as `title`.
fn fresh(c: &Corpus, stem: &str, title: &str) -> bool {
    let t = title.to_lowercase();
    !c.docs.iter().any(|d| {
        let s = d.rec.path.rsplit('/').next().unwrap_or(&d.rec.path);
        s.strip_suffix(".md")
            .unwrap_or(s)
            .eq_ignore_ascii_case(stem)
            || d.rec.title.to_lowercase() == t
            || d.rec
                .id
                .as_deref()
                .is_some_and(|i| i.eq_ignore_ascii_case(stem))
            || d.rec.aliases.iter().any(|a| a.to_lowercase() == t)
    })
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

/// Apply one edit of kind `kind` to `c`.
pub(super) fn apply(c: &mut Corpus, grammar: &Grammar, kind: Kind, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let markup = c.header.params.profile.text.inline_markup;
    let note = |log: &mut Log, what: String| log.edits.push(what);
    match kind {
        Kind::Paragraph => {
            let Some(i) = hot(c, rng, |_| true) else {
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
            c.docs[i].bytes = bytes;
            log.touched.insert(i);
            note(
                log,
                format!(
                    "paragraph: rewrote {} bytes of a paragraph of {path}",
                    at.len()
                ),
            );
        }
        Kind::AddReference => {
            let Some(i) = hot(c, rng, |_| true) else {
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
            let d = &mut c.docs[i];
            d.bytes = bytes;
            d.links.insert(k, rec);
            log.touched.insert(i);
            note(log, format!("add reference: {path} now links to {to}"));
        }
        Kind::RemoveReference => {
            let Some(i) = hot(c, rng, |d| !d.links.is_empty()) else {
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
            let d = &mut c.docs[i];
            d.bytes = bytes;
            d.links.remove(k);
            log.touched.insert(i);
            note(
                log,
                format!("remove reference: {path} no longer links to {dest}"),
            );
        }
        Kind::RenameHeading => {
            let Some(i) = hot(c, rng, |d| d.headings.iter().any(|h| h.level > 1)) else {
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
            let words = 2 + rng.index(3);
            let mut new = phrase(grammar, rng, words);
            while ids.contains(&dialect.slug(&new)) || dialect.slug(&new).is_empty() {
                new.push(' ');
                new.push_str(&phrase(grammar, rng, 1).to_lowercase());
            }
            let old = d.headings[k].text.clone();
            let path = d.rec.path.clone();
            let line = format!("{} {new}", "#".repeat(level as usize));
            let mut bytes = Vec::with_capacity(text.len());
            bytes.extend_from_slice(&text.as_bytes()[..r.start]);
            bytes.extend_from_slice(line.as_bytes());
            bytes.extend_from_slice(&text.as_bytes()[r.end..]);
            c.docs[i].bytes = bytes;
            log.touched.insert(i);
            note(
                log,
                format!("rename heading: \"{old}\" in {path} is now \"{new}\""),
            );
        }
        Kind::AddFile => {
            let Some(near) = hot(c, rng, |_| true) else {
                return;
            };
            let dir = folder(&c.docs[near].rec.path).to_string();
            let words = 2 + rng.index(3);
            let mut title = phrase(grammar, rng, words);
            while !fresh(c, &slug(&title), &title) {
                title.push(' ');
                title.push_str(&phrase(grammar, rng, 1).to_lowercase());
            }
            let path = join(&dir, &format!("{}.md", slug(&title)));
            let mut body = format!("# {title}\n\n");
            let paragraphs = 2 + rng.index(5);
            for _ in 0..paragraphs {
                let len = 200 + rng.index(600);
                body.push_str(&prose(grammar, rng, len, markup));
                body.push_str("\n\n");
            }
            let to = rng.index(c.docs.len());
            let (link, mut rec) = path_link(dialect, &path, &c.docs[to]);
            body.push_str(&format!("See {link}.\n"));
            rec.line = 0;
            let doc = Doc {
                rec: FileRecord {
                    path: path.clone(),
                    bytes: 0,
                    blake3: String::new(),
                    title,
                    id: None,
                    bid: None,
                    bref: None,
                    front_matter: None,
                    network: false,
                    collides_with: None,
                    aliases: Vec::new(),
                    tags: Vec::new(),
                    blocks: BlockCounts::default(),
                    headings: 0,
                    links: 0,
                    url: None,
                },
                headings: Vec::new(),
                links: vec![rec],
                bytes: body.into_bytes(),
            };
            c.docs.push(doc);
            log.touched.insert(c.docs.len() - 1);
            note(log, format!("add file: {path}"));
        }
        Kind::DeleteFile => {
            if c.docs.len() <= 2 {
                return;
            }
            let Some(i) = hot(c, rng, |d| movable(c, d)) else {
                return;
            };
            let path = c.docs[i].rec.path.clone();
            c.docs.remove(i);
            // Indices of docs after it moved down by one.
            log.touched = log
                .touched
                .iter()
                .filter(|&&t| t != i)
                .map(|&t| if t > i { t - 1 } else { t })
                .collect();
            note(log, format!("delete file: {path}"));
        }
        Kind::MoveFile => {
            let Some(i) = hot(c, rng, |d| movable(c, d)) else {
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
            while !fresh(c, &name, "") || name.len() > 120 {
                name = format!("{stem}-{}", slug(&phrase(grammar, rng, 2)));
            }
            let new = join(folder(&old), &format!("{name}.md"));
            c.docs[i].rec.path = new.clone();
            log.moves.push((old.clone(), new.clone()));
            note(log, format!("move file: {old} -> {new}"));
        }
    }
}

//! The edit kinds, each a change to a [`Corpus`] drawn from its own
//! stream: which file (hot files first), where in it, and what it writes.
//! An edit that finds nothing to act on (a file with no plain paragraph,
//! no heading to rename) does nothing, and the log says so.

mod content;
mod files;
mod names;

use super::{Corpus, Doc};
use crate::dialect::Dialect;
use crate::links::relative_path;
use crate::record::{LinkEvent, LinkKind, LinkRecord};
use crate::rng::Rng;
use crate::text::grammar::{Grammar, Sink};
use crate::text::lexicon::MAX_WORD;
use crate::validate;

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
    FrontMatter,
    MoveSection,
}

pub(super) const KINDS: [Kind; 9] = [
    Kind::Paragraph,
    Kind::AddReference,
    Kind::RemoveReference,
    Kind::RenameHeading,
    Kind::AddFile,
    Kind::DeleteFile,
    Kind::MoveFile,
    Kind::FrontMatter,
    Kind::MoveSection,
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

    /// Say what an edit did (or why it did nothing).
    fn note(&mut self, what: String) {
        self.edits.push(what);
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
/// `follow_share` chance: `from` replaced by `to` where the reference's
/// destination is written, when `from` is there exactly once. That is its
/// markup, or for a `[text][label]` reference its label's definition
/// (which moves every reference that shares the label: they all name the
/// one destination). Returns how many were rewritten.
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
        // Keyed by where each rewrite starts: references that share a
        // definition rewrite it once.
        let mut edits: std::collections::BTreeMap<usize, (usize, String)> = Default::default();
        let links = c.docs[i].links.clone();
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
            let at = if markup.matches(from.as_str()).count() == 1 {
                span.start + markup.find(from.as_str()).expect("counted once")
            } else if let Some(at) = definition(&text, l, &from) {
                at
            } else {
                continue;
            };
            edits.insert(at, (at + from.len(), to));
        }
        if edits.is_empty() {
            continue;
        }
        let mut bytes = text.into_bytes();
        for (&at, (end, to)) in edits.iter().rev() {
            bytes.splice(at..*end, to.bytes());
        }
        followed += edits.len();
        log.touch(c, i);
        // The records' destinations are read again from the new bytes.
        c.update(i, bytes, links);
    }
    followed
}

/// Where `from` is in the one definition of the label `l` uses.
fn definition(text: &str, l: &LinkRecord, from: &str) -> Option<usize> {
    let line = definition_line(text, l)?;
    let k = l.dest.find(from)?;
    let at = line.start + text[line].find("]: ")? + 3;
    (l.dest.matches(from).count() == 1).then_some(at + k)
}

/// The line (with its line end) of the one definition of the label `l`
/// uses, when `l` is written by label (`[text][label]`, `[label][]`,
/// `[label]`): the single line `[...]: dest` in `text` that gives `l`'s
/// destination.
fn definition_line(text: &str, l: &LinkRecord) -> Option<std::ops::Range<usize>> {
    if !matches!(
        l.event,
        LinkEvent::Reference | LinkEvent::Collapsed | LinkEvent::Shortcut
    ) {
        return None;
    }
    let written = format!("]: {}", l.dest);
    let mut found = text.match_indices(written.as_str()).filter_map(|(at, _)| {
        let line = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let end = at + written.len();
        (text[line..].starts_with('[')
            && matches!(text.as_bytes().get(end), None | Some(b'\n' | b' ' | b'\r')))
        .then(|| line..text[end..].find('\n').map_or(text.len(), |n| end + n + 1))
    });
    let line = found.next()?;
    found.next().is_none().then_some(line)
}

/// Apply one edit of kind `kind` to `c`.
pub(super) fn apply(c: &mut Corpus, grammar: &Grammar, kind: Kind, rng: &mut Rng, log: &mut Log) {
    match kind {
        Kind::Paragraph => content::paragraph(c, grammar, rng, log),
        Kind::AddReference => content::add_reference(c, grammar, rng, log),
        Kind::RemoveReference => content::remove_reference(c, grammar, rng, log),
        Kind::RenameHeading => names::rename_heading(c, grammar, rng, log),
        Kind::AddFile => files::add_file(c, grammar, rng, log),
        Kind::DeleteFile => files::delete_file(c, grammar, rng, log),
        Kind::MoveFile => names::move_file(c, grammar, rng, log),
        Kind::FrontMatter => names::front_matter(c, grammar, rng, log),
        Kind::MoveSection => content::move_section(c, grammar, rng, log),
    }
}

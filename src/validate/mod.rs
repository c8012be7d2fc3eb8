//! Validation: parse files with noet's exact pulldown-cmark options and
//! compare what the parser sees with the manifest's ground truth; resolve
//! every reference independently and compare with the expected resolution.

use crate::dialect::Dialect;
use crate::manifest::{self, FileRecord, ManifestError, Reader, Record};
use crate::record::HeadingRecord;
use crate::record::LinkRecord;
use crate::site::{Site, SiteSlugger};
use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;
use std::fmt;
use std::path::Path;

mod index;
mod known;
mod live;
mod pieces;
mod planned;
mod resolve;
mod targets;
mod walk;
pub use live::LiveTargets;
use resolve::resolve_check;
pub use resolve::{Landing, LinkIndex};
pub use walk::Parsed;

/// The hash by which [`Landing::File`] names a section: compare it with
/// the hash of the id a reference means.
pub fn anchor_hash(id: &str) -> u64 {
    index::h64(id)
}

/// The pulldown-cmark options a reader of `dialect` parses with: exactly
/// these, not `Options::all()`.
pub fn options(dialect: Dialect) -> Options {
    let common = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    match dialect {
        Dialect::Noet => {
            common
                | Options::ENABLE_DEFINITION_LIST
                | Options::ENABLE_HEADING_ATTRIBUTES
                | Options::ENABLE_SUBSCRIPT
                | Options::ENABLE_SUPERSCRIPT
                | Options::ENABLE_WIKILINKS
        }
        Dialect::Obsidian => common | Options::ENABLE_WIKILINKS,
        Dialect::Gfm => common,
    }
}

/// The options noet-core parses with (the `noet` dialect's [`options`]).
pub fn noet_options() -> Options {
    options(Dialect::Noet)
}

/// Parse `text` as noet does (undefined references become links whose
/// destination is their label, like noet's broken-link callback).
pub fn parse(text: &str) -> Parsed {
    parse_as(text, Dialect::Noet)
}

/// Parse `text` as a reader of `dialect` does: its parser options; noet's
/// broken-link callback; section ids by the dialect's slug (GitHub's with
/// its `-1` suffixes for repeats in `gfm`); block ids in `obsidian`.
///
/// A text of several MB is parsed in pieces, on the current rayon pool's
/// threads when called from one (else one after the other), when the
/// pieces provably parse as the whole does; the answer is the same either
/// way. pulldown-cmark builds a tree of the whole text before its first
/// event, and on a 100 MB document that tree's page faults made it 2-4x
/// slower per byte than on files of a few KB.
pub fn parse_as(text: &str, dialect: Dialect) -> Parsed {
    pieces::parse_in_pieces(text, dialect).unwrap_or_else(|| walk::whole(text, dialect))
}

/// Where things are in a file, as a reader of the dialect parses it: what
/// an editor (`revise`) needs to change a paragraph, a heading or a
/// reference in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Each link and image, in the order of [`Parsed::links`] (and so of
    /// the manifest's link records): its span, its text inside the span.
    pub links: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    /// Each top-level paragraph's span (to its last character, no line
    /// end), and where its plain lead ends: the
    /// offset of its first link, image, footnote reference, HTML, break or
    /// other non-text element (the span's end when it has none). Before it
    /// are only words, emphasis and code spans.
    pub paragraphs: Vec<(std::ops::Range<usize>, usize)>,
    /// Each heading's span and level.
    pub headings: Vec<(std::ops::Range<usize>, u8)>,
}

/// The [`Outline`] of `text` in `dialect`.
pub fn outline(text: &str, dialect: Dialect) -> Outline {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut callback =
        |link: pulldown_cmark::BrokenLink<'_>| walk::broken(dialect, &link.reference);
    let parser = Parser::new_with_broken_link_callback(text, options(dialect), Some(&mut callback));
    let mut out = Outline::default();
    let mut depth = 0usize;
    // The paragraph open at the top level, and where its plain lead ends
    // (`usize::MAX` while it has not).
    let mut para: Option<(std::ops::Range<usize>, usize)> = None;
    // The link open, its span and the extent of its inner events.
    let mut link: Option<(std::ops::Range<usize>, Option<std::ops::Range<usize>>)> = None;
    for (ev, r) in parser.into_offset_iter() {
        match &ev {
            Event::Start(tag) => {
                match tag {
                    Tag::Paragraph if depth == 0 => para = Some((r.clone(), usize::MAX)),
                    Tag::Heading { level, .. } => out.headings.push((r.clone(), *level as u8)),
                    Tag::Link { .. } | Tag::Image { .. } if link.is_none() => {
                        link = Some((r.clone(), None));
                        if let Some(p) = &mut para {
                            p.1 = p.1.min(r.start);
                        }
                    }
                    Tag::Emphasis | Tag::Strong => {}
                    _ => {
                        if let Some(p) = &mut para {
                            p.1 = p.1.min(r.start);
                        }
                    }
                }
                depth += 1;
            }
            Event::End(end) => {
                depth -= 1;
                match end {
                    TagEnd::Paragraph if depth == 0 => {
                        out.paragraphs.extend(para.take().map(|(span, lead)| {
                            // The span ends after the paragraph's line
                            // end: it is cut back to its last character.
                            let body = text[span.clone()].trim_end();
                            let span = span.start..span.start + body.len();
                            let end = lead.min(span.end);
                            (span, end)
                        }));
                    }
                    TagEnd::Link | TagEnd::Image
                        if link.as_ref().is_some_and(|(span, _)| *span == r) =>
                    {
                        let (span, inner) = link.take().expect("a link is open");
                        let inner = inner.unwrap_or(span.start..span.start);
                        out.links.push((span, inner));
                    }
                    _ => {}
                }
            }
            Event::Text(_) | Event::Code(_) | Event::SoftBreak => {}
            _ => {
                if let Some(p) = &mut para {
                    p.1 = p.1.min(r.start);
                }
            }
        }
        if !matches!(ev, Event::Start(Tag::Link { .. } | Tag::Image { .. })) {
            if let Some((span, inner)) = &mut link {
                if r.start >= span.start && r.end <= span.end && *span != r {
                    *inner = Some(match inner.take() {
                        Some(i) => i.start.min(r.start)..i.end.max(r.end),
                        None => r.clone(),
                    });
                }
            }
        }
    }
    out
}

/// One disagreement between a corpus and its manifest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    /// File path relative to the corpus root (or the manifest).
    pub path: String,
    /// 1-based line, 0 when the problem is about the whole file.
    pub line: u64,
    /// What was checked.
    pub what: String,
    /// Expected value.
    pub expected: String,
    /// Value found.
    pub found: String,
}

impl Problem {
    /// A problem about the whole of the file `rec` (line 0).
    fn whole_file(rec: &FileRecord, what: &str, expected: String, found: String) -> Problem {
        Problem {
            path: rec.path.clone(),
            line: 0,
            what: what.into(),
            expected,
            found,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Line 0 is the whole file: `path: what: ...`, as compilers write
        // a file-level diagnostic.
        if self.line == 0 {
            write!(f, "{}: ", self.path)?;
        } else {
            write!(f, "{}:{}: ", self.path, self.line)?;
        }
        write!(
            f,
            "{}: expected {}, found {}",
            self.what, self.expected, self.found
        )
    }
}

/// Compare one file's bytes with its manifest entry, read as `dialect`.
pub fn check_file(
    bytes: &[u8],
    dialect: Dialect,
    site: Option<Site>,
    rec: &FileRecord,
    headings: &[HeadingRecord],
    links: &[LinkRecord],
    out: &mut Vec<Problem>,
) {
    if bytes.len() as u64 != rec.bytes {
        out.push(Problem::whole_file(
            rec,
            "size",
            rec.bytes.to_string(),
            bytes.len().to_string(),
        ));
    }
    let hash = blake3::hash(bytes).to_hex().to_string();
    if hash != rec.blake3 {
        out.push(Problem::whole_file(
            rec,
            "content hash",
            rec.blake3.clone(),
            hash,
        ));
    }
    check_parse(bytes, dialect, site, rec, headings, links, out);
}

/// Compare what the parser sees in `bytes` with the manifest entry (the
/// hash and size are not checked: see [`check_file`]). A site's corpus
/// (`site`) is read as `gfm` with the site's section ids.
pub fn check_parse(
    bytes: &[u8],
    dialect: Dialect,
    site: Option<Site>,
    rec: &FileRecord,
    headings: &[HeadingRecord],
    links: &[LinkRecord],
    out: &mut Vec<Problem>,
) {
    let mut problem = |line: u64, what: &str, expected: String, found: String| {
        out.push(Problem {
            path: rec.path.clone(),
            line,
            what: what.into(),
            expected,
            found,
        });
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        problem(0, "encoding", "UTF-8".into(), "invalid UTF-8".into());
        return;
    };
    // Hugo replaces its shortcodes before it reads the markdown.
    let read = match site {
        Some(Site::Hugo) => crate::links::without_shortcodes(text),
        _ => std::borrow::Cow::Borrowed(text),
    };
    let mut parsed = parse_as(&read, dialect);
    if let Some(site) = site {
        // The walk numbered repeats GitHub's way; the site numbers its own.
        let mut slugs = SiteSlugger::new(site);
        for h in &mut parsed.headings {
            h.id = slugs.heading(&h.text);
        }
    }
    let want_blocks: Vec<&str> = headings.iter().filter_map(|h| h.block.as_deref()).collect();
    if parsed.block_ids != want_blocks {
        let show = |ids: &[&str]| match ids {
            [] => "none".to_string(),
            ids => ids
                .iter()
                .map(|i| format!("^{i}"))
                .collect::<Vec<_>>()
                .join(" "),
        };
        let found: Vec<&str> = parsed.block_ids.iter().map(|s| s.as_ref()).collect();
        problem(0, "block ids", show(&want_blocks), show(&found));
    }
    if parsed.blocks != rec.blocks {
        // Only the kinds that differ: `paragraph 12, list 3`.
        let (want, got) = (rec.blocks.named(), parsed.blocks.named());
        let differ = |side: &[(&str, u64); 11]| {
            side.iter()
                .zip(&want)
                .zip(&got)
                .filter(|((_, w), g)| w.1 != g.1)
                .map(|(((name, n), _), _)| format!("{n} {name}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        problem(0, "block counts", differ(&want), differ(&got));
    }
    for k in 0..headings.len().max(parsed.headings.len()) {
        match (headings.get(k), parsed.headings.get(k)) {
            (Some(e), Some(f)) if e.level == f.level && e.id == f.id && e.line == f.line => {}
            (e, f) => {
                let show = |h: Option<&HeadingRecord>| {
                    h.map(|h| format!("H{} #{}", h.level, h.id))
                        .unwrap_or_else(|| "nothing".into())
                };
                let line = e.or(f).map(|h| h.line).unwrap_or(0);
                problem(line, "heading", show(e), show(f));
                break;
            }
        }
    }
    for k in 0..links.len().max(parsed.links.len()) {
        match (links.get(k), parsed.links.get(k)) {
            (Some(e), Some(f)) if e.event == f.1 && e.dest == f.2 && e.line == f.0 => {}
            (e, f) => {
                let line = e.map(|l| l.line).or(f.map(|l| l.0)).unwrap_or(0);
                let exp = e
                    .map(|l| format!("{:?} link to `{}` (line {})", l.event, l.dest, l.line))
                    .unwrap_or_else(|| "no more links".into());
                let got = f
                    .map(|l| format!("{:?} link to `{}` (line {})", l.1, l.2, l.0))
                    .unwrap_or_else(|| "no more links".into());
                problem(line, "link", exp, got);
                break;
            }
        }
    }
}

/// The outcome of validating a corpus.
#[derive(Debug, Default)]
pub struct Report {
    /// Markdown files checked.
    pub files: u64,
    /// Bytes checked.
    pub bytes: u64,
    /// Links resolved.
    pub links: u64,
    /// Headings checked.
    pub headings: u64,
    /// Deliberately broken links among `links`.
    pub broken: u64,
    /// Everything that disagreed (empty when the corpus is valid).
    pub problems: Vec<Problem>,
}

/// Parse every markdown file of corpus `root` with noet's options and do
/// nothing else: the floor that validation (and generation with validation)
/// is measured against. Returns (files, bytes).
pub fn parse_only(root: &Path, jobs: usize) -> Result<(u64, u64), ManifestError> {
    let _hold = crate::output::ReadLock::take(root);
    let pool = crate::threads::pool(jobs.max(1));
    let mut reader = Reader::open(root)?.skipping_links().skipping_headings();
    let dialect = match reader.next_record()? {
        Some(Record::Corpus(c)) => c.params.profile.dialect,
        _ => return Err(reader.error("the first line is not a `corpus` record")),
    };
    let mut paths = Vec::new();
    let (mut files, mut bytes) = (0u64, 0u64);
    // Each file is read only if it has its listed size: a file swapped
    // for something larger is not read whole (this mode checks nothing).
    let run = |paths: &mut Vec<(String, u64)>| -> u64 {
        let n = pool.install(|| {
            paths
                .par_iter()
                .map(|(p, size)| {
                    let text = crate::bounded::read_expected(&root.join(p), *size)
                        .ok()
                        .and_then(|b| String::from_utf8(b).ok())
                        .unwrap_or_default();
                    std::hint::black_box(
                        Parser::new_ext(&text, crate::validate::options(dialect)).count(),
                    );
                    text.len() as u64
                })
                .sum()
        });
        paths.clear();
        n
    };
    while let Some(rec) = reader.next_record()? {
        if let Record::File(f) = rec {
            files += 1;
            paths.push((f.path, f.bytes));
            if paths.len() >= 256 {
                bytes += run(&mut paths);
            }
        }
    }
    bytes += run(&mut paths);
    Ok((files, bytes))
}

/// A group of records for one file.
struct Group {
    file: FileRecord,
    headings: Vec<HeadingRecord>,
    /// Read by the worker that checks the file: deserialising every link
    /// on the reading thread was most of `validate`'s serial time.
    links: Vec<manifest::UnreadLink>,
}

/// What checking one file found.
#[derive(Default)]
struct Checked {
    problems: Vec<Problem>,
    links: u64,
    broken: u64,
}

/// Validate corpus `root` against its manifest. With `parse_files`, every
/// file is read, hashed and parsed; without, only the references are
/// resolved (used right after generation, which checked each file's parse
/// in memory).
///
/// A shared lock on the folder's lock file is held while it reads, so a
/// run that replaces the corpus meanwhile (`gen --force`) waits, and one
/// that is replacing it makes this wait: the report is about one whole
/// corpus, the old or the new.
pub fn validate_dir(root: &Path, parse_files: bool, jobs: usize) -> Result<Report, ManifestError> {
    let _hold = crate::output::ReadLock::take(root);
    validate_unlocked(root, parse_files, jobs)
}

/// [`validate_dir`] without the lock, for a folder no other run can
/// write (a staging folder, under the lock of its `--out`).
pub(crate) fn validate_unlocked(
    root: &Path,
    parse_files: bool,
    jobs: usize,
) -> Result<Report, ManifestError> {
    validate_records(root, parse_files, jobs).map_err(|e| earliest(root, e))
}

/// The damaged line to report when reading failed with `e`: link records
/// are read out of line order (on the workers, and not at all by the index
/// pass), so an earlier damaged line may not have been seen yet; a plain
/// read up to `e`'s line finds it, as a serial reader would have.
fn earliest(root: &Path, e: ManifestError) -> ManifestError {
    let ManifestError::Bad { line, .. } = e else {
        return e;
    };
    let Ok(mut reader) = Reader::open(root) else {
        return e;
    };
    while reader.line() + 1 < line {
        match reader.next_record() {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(earlier @ ManifestError::Bad { line: l, .. }) if l < line => return earlier,
            Err(_) => break,
        }
    }
    e
}

/// [`validate_dir`], reporting the first error it meets.
fn validate_records(root: &Path, parse_files: bool, jobs: usize) -> Result<Report, ManifestError> {
    let pool = crate::threads::pool(jobs.max(1));
    let mut report = Report::default();
    let (index, plan) = known::first_pass(root, &mut report, &pool)?;
    let planned = plan.as_ref().map(|p| planned::PlanTargets::new(p, jobs));
    let targets: &dyn targets::Targets = match &planned {
        Some(p) => p,
        None => &index,
    };
    let mut reader = Reader::open(root)?.deferring_links();
    reader.next_record()?; // the corpus record, checked by the first pass
    let mpath = reader.path().to_path_buf();
    let mut batch: Vec<Group> = Vec::new();
    let mut batch_bytes = 0u64;
    let mut end = None;
    let check = |g: &mut Group| -> Result<Checked, ManifestError> {
        // Each line is freed as it is read: a 100 MB document has ~200 MB
        // of them.
        let links = std::mem::take(&mut g.links)
            .into_iter()
            .map(|l| l.read(&mpath))
            .collect::<Result<Vec<LinkRecord>, _>>()?;
        let mut out = Checked {
            links: links.len() as u64,
            broken: links.iter().filter(|l| l.broken.is_some()).count() as u64,
            ..Checked::default()
        };
        if parse_files {
            // A file somewhat off its size is read and checked in full (an
            // edit should show what changed); one far larger is reported by
            // its size alone.
            let limit = g.file.bytes.saturating_mul(2).saturating_add(1 << 20);
            match crate::bounded::read_limited(&root.join(&g.file.path), limit) {
                Ok(bytes) => check_file(
                    &bytes,
                    index.dialect,
                    index.site,
                    &g.file,
                    &g.headings,
                    &links,
                    &mut out.problems,
                ),
                // Another size: said without reading the file (which may
                // be a sparse file of gigabytes swapped in).
                Err(crate::bounded::BoundedError::TooLarge { size, .. }) => {
                    out.problems.push(Problem {
                        path: g.file.path.clone(),
                        line: 0,
                        what: "size".into(),
                        expected: g.file.bytes.to_string(),
                        found: size.to_string(),
                    })
                }
                Err(e) => out.problems.push(Problem {
                    path: g.file.path.clone(),
                    line: 0,
                    what: "file".into(),
                    expected: "a readable file".into(),
                    found: e.to_string(),
                }),
            }
        }
        let mut scratch = resolve::Scratch::default();
        for l in &links {
            resolve_check(targets, &g.file.path, l, &mut out.problems, &mut scratch);
        }
        Ok(out)
    };
    let flush = |batch: &mut Vec<Group>, report: &mut Report| -> Result<(), ManifestError> {
        let results: Vec<Result<Checked, ManifestError>> =
            pool.install(|| batch.par_iter_mut().map(check).collect());
        for (g, r) in batch.iter().zip(results) {
            // The batch's first damaged line (see `earliest` for earlier
            // ones).
            let c = r?;
            report.files += 1;
            report.bytes += g.file.bytes;
            report.links += c.links;
            report.broken += c.broken;
            report.headings += g.headings.len() as u64;
            report.problems.extend(c.problems);
        }
        batch.clear();
        Ok(())
    };
    while let Some(entry) = reader.next_entry()? {
        let rec = match entry {
            manifest::Entry::Record(r) => r,
            manifest::Entry::Link(_) if end.is_some() => {
                return Err(reader.error("records after the `end` record"))
            }
            manifest::Entry::Link(l) => match batch.last_mut() {
                Some(g) => {
                    g.links.push(l);
                    continue;
                }
                None => return Err(reader.error("a link record before any file record")),
            },
        };
        match rec {
            Record::File(f) => {
                if batch_bytes > 4 << 20 || batch.len() >= 64 {
                    flush(&mut batch, &mut report)?;
                    batch_bytes = 0;
                }
                batch_bytes += f.bytes;
                batch.push(Group {
                    file: f,
                    headings: Vec::new(),
                    links: Vec::new(),
                });
            }
            Record::Heading(h) => match batch.last_mut() {
                Some(g) => g.headings.push(h),
                None => return Err(reader.error("a heading record before any file record")),
            },
            // Handed over unread (above).
            Record::Link(_) => unreachable!("links are deferred"),
            Record::Asset(a) => {
                if parse_files {
                    check_asset(root, &a, &mut report.problems);
                }
            }
            Record::End(e) => {
                if end.is_some() {
                    return Err(reader.error("a second `end` record"));
                }
                end = Some(e);
                continue;
            }
            Record::Corpus(_) => return Err(reader.error("a second corpus record")),
        }
        if end.is_some() {
            return Err(reader.error("records after the `end` record"));
        }
    }
    flush(&mut batch, &mut report)?;
    let Some(end) = end else {
        return Err(reader.error("the manifest ends without an `end` record: it is truncated, or generation was interrupted"));
    };
    if end.files != report.files
        || end.links != report.links
        || end.headings != report.headings
        || end.bytes != report.bytes
        || end.broken != report.broken
        || end.assets != index.assets.len() as u64
        || index.header_files != Some(end.files)
        || index.header_assets != Some(end.assets)
    {
        report.problems.push(Problem {
            path: format!("{}/{}", manifest::DIR, manifest::FILE),
            line: reader.line(),
            what: "totals".into(),
            expected: format!(
                "{} files ({} bytes), {} headings, {} links ({} broken), {} assets",
                end.files, end.bytes, end.headings, end.links, end.broken, end.assets
            ),
            found: format!(
                "{} files ({} bytes), {} headings, {} links ({} broken), {} assets; the corpus record says {} files, {} assets",
                report.files,
                report.bytes,
                report.headings,
                report.links,
                report.broken,
                index.assets.len(),
                index.header_files.map_or("no".into(), |n| n.to_string()),
                index.header_assets.map_or("no".into(), |n| n.to_string())
            ),
        });
    }
    if parse_files {
        let listed: (u64, Box<dyn Iterator<Item = String>>) = match &plan {
            Some(p) => (p.files, Box::new((0..p.files).map(|i| p.file_path(i)))),
            None => (index.paths.len() as u64, Box::new(index.paths.iter())),
        };
        check_tree(root, targets, listed, &index.assets, &mut report.problems);
    }
    report.problems.sort();
    Ok(report)
}

fn check_asset(root: &Path, a: &manifest::AssetRecord, out: &mut Vec<Problem>) {
    let found = match crate::bounded::read_expected(&root.join(&a.path), a.bytes) {
        Ok(b) => blake3::hash(&b).to_hex().to_string(),
        Err(e) => e.to_string(),
    };
    if found != a.blake3 {
        out.push(Problem {
            path: a.path.clone(),
            line: 0,
            what: "asset content hash".into(),
            expected: a.blake3.clone(),
            found,
        });
    }
}

/// Files on disk that the manifest does not list, and listed files that
/// are missing (hidden entries are skipped, as noet skips them). Only the
/// folders still to walk are held: a file on disk is looked up among the
/// `targets`, and the `listed` paths are read (and looked for on disk) only
/// when fewer were found than `files` plus `assets`.
fn check_tree(
    root: &Path,
    targets: &dyn targets::Targets,
    (files, listed): (u64, Box<dyn Iterator<Item = String> + '_>),
    assets: &std::collections::HashSet<String>,
    out: &mut Vec<Problem>,
) {
    let mut found = 0u64;
    let build = crate::site::build_dir_at(root);
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                // A site's build output (see `site::build_dir_at`).
                if rel.is_empty() && build == Some(&*r) {
                    continue;
                }
                stack.push((e.path(), r));
            } else if targets.file(&r).is_some() || assets.contains(&r) {
                found += 1;
            } else {
                out.push(Problem {
                    path: r,
                    line: 0,
                    what: "file".into(),
                    expected: "only files listed in the manifest".into(),
                    found: "a file the manifest does not list".into(),
                });
            }
        }
    }
    if found == files + assets.len() as u64 {
        return;
    }
    for p in listed.chain(assets.iter().cloned()) {
        let there = std::fs::symlink_metadata(root.join(&p)).is_ok_and(|m| !m.is_dir());
        if !there {
            out.push(Problem {
                path: p,
                line: 0,
                what: "file".into(),
                expected: "present".into(),
                found: "missing".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::LinkEvent;

    #[test]
    fn parse_sees_noet_link_forms() {
        let md = "---\ntitle = \"A\"\n---\n\n# A\n\nSee [[Big Page]], [[Big Page|alias]], [x](b.md#s) and <https://e.org/x>.\n\n[label 1]\n\n[label 1]: c.md\n\n## Part two {#two}\n\n![i](assets/i.png) [q][#sec]\n";
        let p = parse(md);
        let links: Vec<_> = p
            .links
            .iter()
            .map(|(l, e, d)| (*l, *e, d.as_str()))
            .collect();
        assert_eq!(
            links,
            vec![
                (7, LinkEvent::Wikilink, "Big Page"),
                (7, LinkEvent::WikilinkPothole, "Big Page"),
                (7, LinkEvent::Inline, "b.md#s"),
                (7, LinkEvent::Autolink, "https://e.org/x"),
                (9, LinkEvent::Shortcut, "c.md"),
                (15, LinkEvent::Image, "assets/i.png"),
                (15, LinkEvent::Unknown, "#sec"),
            ]
        );
        assert_eq!(p.headings[1].id, "two");
        assert_eq!(p.headings[0].id, "a");
        assert_eq!(p.blocks.front_matter, 1);
        assert_eq!(p.blocks.paragraph, 3);
    }
}

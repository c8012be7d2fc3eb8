//! Validation: parse files with noet's exact pulldown-cmark options and
//! compare what the parser sees with the manifest's ground truth; resolve
//! every reference independently and compare with the expected resolution.

use crate::links::{LinkEvent, LinkKind, LinkRecord};
use crate::manifest::{self, FileRecord, ManifestError, Reader, Record};
use crate::render::{BlockCounts, HeadingRecord};
use crate::text::slug;
use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::path::Path;

/// The options noet-core parses with: exactly these, not `Options::all()`.
pub fn noet_options() -> Options {
    Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// What the parser found in one file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    /// Links and images in order: (line, event, destination).
    pub links: Vec<(u64, LinkEvent, String)>,
    /// Headings in order.
    pub headings: Vec<HeadingRecord>,
    /// Top-level blocks.
    pub blocks: BlockCounts,
}

/// Parse `text` as noet does (undefined references become links whose
/// destination is their label, like noet's broken-link callback).
pub fn parse(text: &str) -> Parsed {
    let mut callback =
        |link: BrokenLink<'_>| Some((CowStr::from(link.reference.to_string()), CowStr::from("")));
    let parser = Parser::new_with_broken_link_callback(text, noet_options(), Some(&mut callback));
    let newlines: Vec<usize> = memchr_all(text.as_bytes());
    let line_of = |off: usize| newlines.partition_point(|&n| n < off) as u64 + 1;
    let mut out = Parsed::default();
    let mut depth = 0usize;
    let mut heading: Option<(u64, u8, Option<String>, String)> = None;
    for (ev, range) in parser.into_offset_iter() {
        match ev {
            Event::Start(tag) => {
                if depth == 0 {
                    count_block(&mut out.blocks, &tag);
                }
                depth += 1;
                match tag {
                    Tag::Heading { level, id, .. } => {
                        heading = Some((
                            line_of(range.start),
                            level as u8,
                            id.map(|s| s.to_string()),
                            String::new(),
                        ));
                    }
                    Tag::Link {
                        link_type,
                        dest_url,
                        ..
                    } => {
                        let ev = match link_type {
                            LinkType::Inline => LinkEvent::Inline,
                            LinkType::WikiLink { has_pothole: false } => LinkEvent::Wikilink,
                            LinkType::WikiLink { has_pothole: true } => LinkEvent::WikilinkPothole,
                            LinkType::Shortcut => LinkEvent::Shortcut,
                            LinkType::Autolink => LinkEvent::Autolink,
                            LinkType::Email => LinkEvent::Email,
                            LinkType::Reference => LinkEvent::Reference,
                            LinkType::Collapsed => LinkEvent::Collapsed,
                            _ => LinkEvent::Unknown,
                        };
                        out.links
                            .push((line_of(range.start), ev, dest_url.to_string()));
                    }
                    Tag::Image { dest_url, .. } => {
                        out.links.push((
                            line_of(range.start),
                            LinkEvent::Image,
                            dest_url.to_string(),
                        ));
                    }
                    _ => {}
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if let TagEnd::Heading(_) = end {
                    if let Some((line, level, id, text)) = heading.take() {
                        let text = text.trim().to_string();
                        let id = id.unwrap_or_else(|| slug(&text));
                        out.headings.push(HeadingRecord {
                            line,
                            level,
                            text,
                            id,
                        });
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.3.push_str(&t);
                }
            }
            Event::Html(_) if depth == 0 => out.blocks.html += 1,
            Event::Rule if depth == 0 => out.blocks.rule += 1,
            _ => {}
        }
    }
    out
}

fn memchr_all(b: &[u8]) -> Vec<usize> {
    memchr::memchr_iter(b'\n', b).collect()
}

fn count_block(b: &mut BlockCounts, tag: &Tag) {
    match tag {
        Tag::Paragraph => b.paragraph += 1,
        Tag::Heading { .. } => b.heading += 1,
        Tag::List(_) => b.list += 1,
        Tag::CodeBlock(_) => b.code += 1,
        Tag::Table(_) => b.table += 1,
        Tag::BlockQuote(_) => b.blockquote += 1,
        Tag::DefinitionList => b.definition_list += 1,
        Tag::FootnoteDefinition(_) => b.footnote += 1,
        Tag::MetadataBlock(_) => b.front_matter += 1,
        Tag::HtmlBlock => b.html += 1,
        _ => {}
    }
}

/// One disagreement between a corpus and its manifest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
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
        write!(
            f,
            "{}:{}: {}: expected {}, found {}",
            self.path, self.line, self.what, self.expected, self.found
        )
    }
}

/// Compare one file's bytes with its manifest entry.
pub fn check_file(
    bytes: &[u8],
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
    check_parse(bytes, rec, headings, links, out);
}

/// Compare what the parser sees in `bytes` with the manifest entry (the
/// hash and size are not checked: see [`check_file`]).
pub fn check_parse(
    bytes: &[u8],
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
    let parsed = parse(text);
    if parsed.blocks != rec.blocks {
        problem(
            0,
            "block counts",
            format!("{:?}", rec.blocks),
            format!("{:?}", parsed.blocks),
        );
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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .expect("thread pool");
    let mut reader = Reader::open(root)?;
    let mut paths = Vec::new();
    let (mut files, mut bytes) = (0u64, 0u64);
    let run = |paths: &mut Vec<String>| -> u64 {
        let n = pool.install(|| {
            paths
                .par_iter()
                .map(|p| {
                    let text = std::fs::read_to_string(root.join(p)).unwrap_or_default();
                    std::hint::black_box(Parser::new_ext(&text, noet_options()).count());
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
            paths.push(f.path);
            if paths.len() >= 256 {
                bytes += run(&mut paths);
            }
        }
    }
    bytes += run(&mut paths);
    Ok((files, bytes))
}

/// What `resolve` needs to know about the corpus, from the manifest. Keys
/// are kept as 64-bit hashes (titles, ids, brefs, anchors) so that a corpus
/// of millions of headings fits in a few tens of MB; a hash hit is always
/// confirmed against the stored path for file paths; a title, id or bref
/// hash collision (odds about 1e-7 for a million keys) could go unnoticed.
#[derive(Default)]
struct Index {
    paths: Vec<String>,
    files: HashMap<u64, u32>,
    assets: HashSet<String>,
    titles: HashMap<u64, u32>,
    ids: HashMap<u64, u32>,
    brefs: HashMap<u64, u32>,
    anchors: Vec<Vec<u64>>,
    header_files: Option<u64>,
    header_assets: Option<u64>,
}

/// Record `file` as the owner of title or id `key` in `map`, unless a file
/// earlier in path order owns it already (noet: the first keeps the id).
fn add_owner(paths: &[String], map: &mut HashMap<u64, u32>, key: &str, file: u32) {
    match map.get_mut(&h64(key)) {
        Some(p) if paths[file as usize] < paths[*p as usize] => *p = file,
        Some(_) => {}
        None => {
            map.insert(h64(key), file);
        }
    }
}

/// FNV-1a: a fixed, fast 64-bit hash (the index never reaches the output).
fn h64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Index {
    fn file(&self, path: &str) -> Option<u32> {
        self.files
            .get(&h64(path))
            .copied()
            .filter(|&i| self.paths[i as usize] == path)
    }

    fn path(&self, i: u32) -> String {
        self.paths[i as usize].clone()
    }

    /// Add a file; returns its number.
    fn add_file(&mut self, path: String, title: &str, id: Option<&str>, bref: Option<&str>) -> u32 {
        let i = self.paths.len() as u32;
        self.files.insert(h64(&path), i);
        self.paths.push(path);
        self.anchors.push(Vec::new());
        add_owner(&self.paths, &mut self.titles, title, i);
        if let Some(id) = id {
            add_owner(&self.paths, &mut self.ids, id, i);
        }
        if let Some(b) = bref {
            self.brefs.insert(h64(b), i);
        }
        i
    }

    fn has_anchor(&self, file: u32, anchor: &str) -> bool {
        self.anchors[file as usize]
            .binary_search(&h64(anchor))
            .is_ok()
    }
}

/// Every reference target of a corpus (titles, ids, brefs, paths, section
/// ids, assets), built from the plan before generation, so that each file's
/// references are resolved right after it is rendered, in parallel, instead
/// of reading the manifest back.
pub struct LinkIndex(Index);

impl LinkIndex {
    /// The targets of every file of `plan` (all shards included).
    pub fn from_plan(plan: &crate::plan::Plan, jobs: usize) -> LinkIndex {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build()
            .expect("thread pool");
        let mut index = Index::default();
        let chunk = 4096u64;
        let mut start = 0;
        while start < plan.files {
            let end = (start + chunk).min(plan.files);
            let metas: Vec<_> = pool.install(|| {
                (start..end)
                    .into_par_iter()
                    .map(|i| {
                        let m = plan.file(i);
                        let anchors: Vec<u64> = (0..m.headings)
                            .map(|k| h64(&plan.heading(i, k).id))
                            .collect();
                        let bref = m.bid.as_deref().map(crate::links::bref);
                        (m, bref, anchors)
                    })
                    .collect()
            });
            for (m, bref, mut anchors) in metas {
                let i = index.add_file(m.path, &m.title, m.id.as_deref(), bref.as_deref());
                anchors.sort_unstable();
                index.anchors[i as usize] = anchors;
            }
            start = end;
        }
        for k in 0..plan.assets {
            index.assets.insert(plan.asset_path(k));
        }
        LinkIndex(index)
    }

    /// Resolve each of `links` (in the file at `src`) independently and
    /// record a problem where it lands elsewhere than its ground truth.
    pub fn check(&self, src: &str, links: &[LinkRecord], out: &mut Vec<Problem>) {
        for l in links {
            resolve_check(&self.0, src, l, out);
        }
    }
}

/// A group of records for one file.
struct Group {
    file: FileRecord,
    headings: Vec<HeadingRecord>,
    links: Vec<LinkRecord>,
}

/// Validate corpus `root` against its manifest. With `parse_files`, every
/// file is read, hashed and parsed; without, only the references are
/// resolved (used right after generation, which checked each file's parse
/// in memory).
pub fn validate_dir(root: &Path, parse_files: bool, jobs: usize) -> Result<Report, ManifestError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .expect("thread pool");
    let mut report = Report::default();
    let index = build_index(root, &mut report)?;
    let mut reader = Reader::open(root)?;
    reader.next_record()?; // the corpus record, checked by build_index
    let mut batch: Vec<Group> = Vec::new();
    let mut batch_bytes = 0u64;
    let mut end = None;
    let flush = |batch: &mut Vec<Group>, report: &mut Report| {
        let results: Vec<Vec<Problem>> = pool.install(|| {
            batch
                .par_iter()
                .map(|g| {
                    let mut probs = Vec::new();
                    if parse_files {
                        match std::fs::read(root.join(&g.file.path)) {
                            Ok(bytes) => {
                                check_file(&bytes, &g.file, &g.headings, &g.links, &mut probs)
                            }
                            Err(e) => probs.push(Problem {
                                path: g.file.path.clone(),
                                line: 0,
                                what: "file".into(),
                                expected: "a readable file".into(),
                                found: e.to_string(),
                            }),
                        }
                    }
                    for l in &g.links {
                        resolve_check(&index, &g.file.path, l, &mut probs);
                    }
                    probs
                })
                .collect()
        });
        for (g, p) in batch.iter().zip(results) {
            report.files += 1;
            report.bytes += g.file.bytes;
            report.links += g.links.len() as u64;
            report.broken += g.links.iter().filter(|l| l.broken.is_some()).count() as u64;
            report.headings += g.headings.len() as u64;
            report.problems.extend(p);
        }
        batch.clear();
    };
    while let Some(rec) = reader.next_record()? {
        match rec {
            Record::File(f) => {
                if batch_bytes > 16 << 20 || batch.len() >= 256 {
                    flush(&mut batch, &mut report);
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
            Record::Link(l) => match batch.last_mut() {
                Some(g) => g.links.push(l),
                None => return Err(reader.error("a link record before any file record")),
            },
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
    flush(&mut batch, &mut report);
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
        check_tree(root, &index, &mut report.problems);
    }
    report.problems.sort();
    Ok(report)
}

fn check_asset(root: &Path, a: &manifest::AssetRecord, out: &mut Vec<Problem>) {
    let found = match std::fs::read(root.join(&a.path)) {
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

/// First pass: titles, ids, brefs and anchors of every file.
fn build_index(root: &Path, report: &mut Report) -> Result<Index, ManifestError> {
    let mut reader = Reader::open(root)?;
    let mut index = Index::default();
    match reader.next_record()? {
        Some(Record::Corpus(c)) => {
            if let Some(s) = c.shard {
                // Its references point into other shards.
                return Err(reader.error(format!(
                    "this folder is shard {s} of a corpus; join the shards with `noet-corpus merge` and validate the result"
                )));
            }
            index.header_files = Some(c.files);
            index.header_assets = Some(c.assets);
        }
        _ => return Err(reader.error("the first line is not a `corpus` record")),
    }
    let mut current: Option<u32> = None;
    while let Some(rec) = reader.next_record()? {
        match rec {
            Record::File(f) => {
                if index.file(&f.path).is_some() {
                    report.problems.push(Problem {
                        path: f.path.clone(),
                        line: 0,
                        what: "manifest".into(),
                        expected: "each path once".into(),
                        found: "a duplicate file record".into(),
                    });
                    current = None;
                    continue;
                }
                current =
                    Some(index.add_file(f.path, &f.title, f.id.as_deref(), f.bref.as_deref()));
            }
            Record::Heading(h) => {
                if let Some(i) = current {
                    let a = &mut index.anchors[i as usize];
                    // The first H1 folds into the document: not an anchor.
                    if h.level > 1 || !a.is_empty() {
                        a.push(h64(&h.id));
                    }
                }
            }
            Record::Asset(a) => {
                index.assets.insert(a.path);
            }
            _ => {}
        }
    }
    for a in &mut index.anchors {
        a.sort_unstable();
        a.shrink_to_fit();
    }
    Ok(index)
}

/// Resolve `dest` as written in `src` the way noet does, independently of
/// how it was generated: `Some((path, anchor))`, or `None` if it cannot.
fn resolve(
    index: &Index,
    src: &str,
    kind: LinkKind,
    dest: &str,
) -> Option<(String, Option<String>)> {
    match kind {
        LinkKind::Wikilink | LinkKind::WikilinkAlias => index
            .titles
            .get(&h64(dest))
            .or_else(|| index.ids.get(&h64(dest)))
            .map(|&p| (index.path(p), None)),
        LinkKind::Id | LinkKind::BareWord => {
            let id = dest.strip_prefix("id:").or(if kind == LinkKind::BareWord {
                Some(dest)
            } else {
                None
            })?;
            index.ids.get(&h64(id)).map(|&p| (index.path(p), None))
        }
        LinkKind::Bref => index
            .brefs
            .get(&h64(dest.strip_prefix("bref://")?))
            .map(|&p| (index.path(p), None)),
        LinkKind::External | LinkKind::Autolink => None,
        _ => {
            let (path, anchor) = match dest.split_once('#') {
                Some((p, a)) => (p, Some(a.to_string())),
                None => (dest, None),
            };
            let target = if path.is_empty() {
                src.to_string()
            } else {
                let base = if path.starts_with('/') {
                    ""
                } else {
                    src.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
                };
                let mut joined = normalize(base, path)?;
                if path.ends_with('/') {
                    joined = if joined.is_empty() {
                        "index.md".into()
                    } else {
                        format!("{joined}/index.md")
                    };
                }
                joined
            };
            let file = index.file(&target);
            if file.is_none() && !index.assets.contains(&target) {
                return None;
            }
            if let Some(a) = &anchor {
                if !file.is_some_and(|f| index.has_anchor(f, a)) {
                    return None;
                }
            }
            Some((target, anchor))
        }
    }
}

/// Join `rel` onto folder `base` and fold `.` and `..`; `None` if it
/// climbs above the root.
fn normalize(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn resolve_check(index: &Index, src: &str, l: &LinkRecord, out: &mut Vec<Problem>) {
    let mut problem = |expected: String, found: String| {
        out.push(Problem {
            path: src.to_string(),
            line: l.line,
            what: format!("{} link `{}`", l.kind.name(), l.dest),
            expected,
            found,
        });
    };
    let is_url = l.dest.starts_with("https://")
        || l.dest.starts_with("http://")
        || l.dest.starts_with("mailto:");
    if l.external {
        if !is_url {
            problem("an external URL".into(), l.dest.clone());
        }
        return;
    }
    let got = resolve(index, src, l.kind, &l.dest);
    let show = |r: &Option<(String, Option<String>)>| match r {
        Some((p, Some(a))) => format!("{p}#{a}"),
        Some((p, None)) => p.clone(),
        None => "unresolved".into(),
    };
    if let Some(why) = &l.broken {
        if got.is_some() {
            problem(format!("broken ({why})"), show(&got));
        }
        return;
    }
    let want = l.target.clone().map(|t| (t, l.anchor.clone()));
    if want.is_none() || got != want {
        problem(show(&want), show(&got));
    }
}

/// Files on disk that the manifest does not list, and listed files that
/// are missing (hidden entries are skipped, as noet skips them).
fn check_tree(root: &Path, index: &Index, out: &mut Vec<Problem>) {
    let mut on_disk = BTreeSet::new();
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
                stack.push((e.path(), r));
            } else {
                on_disk.insert(r);
            }
        }
    }
    for p in &on_disk {
        if index.file(p).is_none() && !index.assets.contains(p) {
            out.push(Problem {
                path: p.clone(),
                line: 0,
                what: "file".into(),
                expected: "only files listed in the manifest".into(),
                found: "a file the manifest does not list".into(),
            });
        }
    }
    for p in index.paths.iter().chain(&index.assets) {
        if !on_disk.contains(p) {
            out.push(Problem {
                path: p.clone(),
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

    #[test]
    fn normalize_folds_dots() {
        assert_eq!(normalize("a/b", "../c/d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(normalize("a", "./x.md").as_deref(), Some("a/x.md"));
        assert_eq!(normalize("", "../x.md"), None);
    }
}

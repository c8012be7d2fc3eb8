//! `stats`: measure any markdown tree, generated or real, and fit a profile
//! that makes `gen` reproduce it.
//!
//! Every file is parsed with pulldown-cmark and noet's options
//! ([`crate::validate::noet_options`]). The figures:
//!
//! - **Mix**: bytes of non-blank source lines, each line attributed to the
//!   top-level block whose offset range holds its first non-blank byte.
//!   Lines outside every top-level block that look like `[label]: dest` are
//!   link reference definitions (continuation lines of a definition too);
//!   any other uncovered line is `other`. Shares are of the counted bytes.
//! - **References**: every link and image event. Reference-style links
//!   (`[t][r]`, `[t][]`, `[t]` with a definition) are `reference`, wikilinks
//!   `wikilink`/`wikilink_alias`, `<...>` autolinks `autolink`, images
//!   `image`; inline links are classified by destination (`external`, `id`,
//!   `bref`, `anchor`, `path_anchor`, `directory`, `absolute`, `parent`,
//!   `relative`). Undefined `[brackets]` that noet's broken-link callback
//!   would turn into links are counted apart, not as references.
//! - **Graph**: path destinations (and wikilinks, `id:` and `bref://`) are
//!   resolved to the markdown files of the tree; edges are distinct
//!   (source, target) pairs between different files.
//!
//! 1 KB is 1024 bytes. Hidden files and folders are skipped.

use crate::links::LinkKind;
use crate::plan::{Params, Plan};
use crate::profile::Profile;
use crate::validate::noet_options;
use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, LinkType, MetadataBlockKind, Parser, Tag, TagEnd,
};
use rayon::prelude::*;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Names of the content-mix block kinds, in report order.
pub const BLOCK_KINDS: [&str; 12] = [
    "paragraph",
    "list",
    "code",
    "table",
    "heading",
    "blockquote",
    "html",
    "front_matter",
    "definition_list",
    "footnote",
    "link_ref_def",
    "other",
];
const B_PARA: usize = 0;
const B_LIST: usize = 1;
const B_CODE: usize = 2;
const B_TABLE: usize = 3;
const B_HEAD: usize = 4;
const B_QUOTE: usize = 5;
const B_HTML: usize = 6;
const B_FM: usize = 7;
const B_DL: usize = 8;
const B_FN: usize = 9;
const B_LRD: usize = 10;
const B_OTHER: usize = 11;

/// Names of the blocks that enclose references, in report order.
pub const REF_BLOCKS: [&str; 4] = ["paragraph", "list", "table", "other"];

/// Profile reference kinds, in the order of [`LinkKind::ALL`].
fn kind_names() -> [&'static str; 14] {
    LinkKind::ALL.map(|k| k.name())
}
const K_WIKI: usize = 0;
const K_WIKI_ALIAS: usize = 1;
const K_RELATIVE: usize = 2;
const K_PARENT: usize = 3;
const K_ABSOLUTE: usize = 4;
const K_PATH_ANCHOR: usize = 5;
const K_ANCHOR: usize = 6;
const K_DIRECTORY: usize = 7;
const K_ID: usize = 8;
const K_BREF: usize = 9;
const K_REFERENCE: usize = 10;
const K_EXTERNAL: usize = 11;
const K_AUTOLINK: usize = 12;
const K_IMAGE: usize = 13;

/// Named values that serialise as a JSON object in a fixed key order.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T>(pub Vec<(String, T)>);

impl<T> Named<T> {
    /// The value named `name`, if present.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Everything `stats` measures in a markdown tree.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The tree that was measured.
    pub root: String,
    /// Markdown files (`.md`, `.markdown`).
    pub files: u64,
    /// Their total bytes.
    pub bytes: u64,
    /// File-size distribution.
    pub file_size: FileSizeStats,
    /// Folders and index files.
    pub layout: LayoutStats,
    /// Content mix by bytes of top-level blocks.
    pub mix: MixStats,
    /// Front matter.
    pub front_matter: FrontMatterStats,
    /// Headings.
    pub headings: HeadingStats,
    /// References.
    pub references: ReferenceStats,
    /// The internal link graph.
    pub graph: GraphStats,
    /// Top-level paragraphs.
    pub paragraphs: ParagraphStats,
    /// Code blocks (at any depth).
    pub code: CodeStats,
    /// Lists.
    pub lists: ListStats,
    /// Tables.
    pub tables: TableStats,
    /// Blockquotes.
    pub blockquotes: QuoteStats,
}

/// File sizes in bytes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileSizeStats {
    /// Smallest file.
    pub min: u64,
    /// 10th percentile (nearest rank).
    pub p10: u64,
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// Largest file.
    pub max: u64,
    /// Mean.
    pub mean: f64,
    /// Mean of ln(bytes) over non-empty files (the lognormal's mu).
    pub mu: f64,
    /// Standard deviation of ln(bytes) (the lognormal's sigma).
    pub sigma: f64,
    /// Share of all bytes in the largest file.
    pub largest_share: f64,
    /// Share of files below 512 bytes (stub pages).
    pub stub_share: f64,
}

/// Folders holding markdown files.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LayoutStats {
    /// Folders holding at least one markdown file.
    pub folders: u64,
    /// Markdown files per such folder, on average.
    pub files_per_folder: f64,
    /// Subfolders (with markdown somewhere below) per folder that has any.
    pub fanout: f64,
    /// Share of folders other than the root that hold an `index.md`.
    pub index_share: f64,
    /// Deepest folder level (root = 0).
    pub depth_max: u64,
}

/// One block kind's bytes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MixEntry {
    /// Bytes of non-blank lines attributed to this kind.
    pub bytes: u64,
    /// Share of the counted bytes.
    pub share: f64,
    /// Top-level blocks of this kind (link reference definitions and
    /// `other` count lines).
    pub blocks: u64,
}

/// Content mix.
#[derive(Debug, Clone, Serialize)]
pub struct MixStats {
    /// Bytes of non-blank lines (the denominator of the shares).
    pub counted_bytes: u64,
    /// Per kind, in [`BLOCK_KINDS`] order.
    pub kinds: Named<MixEntry>,
}

impl MixStats {
    /// The share of `kind` (0 for an unknown name).
    pub fn share(&self, kind: &str) -> f64 {
        self.kinds.get(kind).map_or(0.0, |e| e.share)
    }
}

/// Front matter.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrontMatterStats {
    /// Files with a front matter block.
    pub files: u64,
    /// Their share of all files.
    pub share: f64,
    /// Blocks written as TOML (`key = value`).
    pub toml: u64,
    /// Blocks written as YAML.
    pub yaml: u64,
    /// Blocks written as a JSON object.
    pub json: u64,
    /// Blocks with an `id`.
    pub with_id: u64,
    /// Blocks with a `bid`.
    pub with_bid: u64,
    /// Blocks with `tags`.
    pub with_tags: u64,
}

/// Headings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HeadingStats {
    /// All headings (H1 included).
    pub count: u64,
    /// Per 1024 bytes.
    pub per_kb: f64,
    /// Counts of H1..H6.
    pub by_level: [u64; 6],
    /// Share of headings with an explicit `{#id}`.
    pub explicit_id_share: f64,
}

/// A reference kind's figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindEntry {
    /// References of this kind.
    pub count: u64,
    /// Per 1024 bytes of the whole tree.
    pub per_kb: f64,
    /// Share of all references.
    pub share: f64,
}

/// References in one kind of enclosing block.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BlockRefEntry {
    /// References inside such blocks.
    pub count: u64,
    /// Share of all references.
    pub share: f64,
    /// References per 1024 bytes of such blocks.
    pub per_kb_of_block: f64,
}

/// Five-number summary with the mean.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Quantiles {
    /// Smallest.
    pub min: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Largest.
    pub max: f64,
    /// Mean.
    pub mean: f64,
}

/// References.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceStats {
    /// Links and images.
    pub count: u64,
    /// Per 1024 bytes.
    pub per_kb: f64,
    /// By kind, with the kind names profiles use.
    pub by_kind: Named<KindEntry>,
    /// By enclosing top-level block.
    pub by_block: Named<BlockRefEntry>,
    /// References per KB of each file.
    pub per_file_per_kb: Quantiles,
    /// `[text]` with no definition (noet's broken-link callback would make
    /// these links; they are not counted as references).
    pub unresolved_brackets: u64,
    /// Footnote references `[^n]`.
    pub footnote_refs: u64,
}

impl ReferenceStats {
    /// References per KB of `kind` (0 for an unknown name).
    pub fn kind_per_kb(&self, kind: &str) -> f64 {
        self.by_kind.get(kind).map_or(0.0, |e| e.per_kb)
    }
}

/// The internal link graph.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GraphStats {
    /// References that point into the tree by path, title, id or bref
    /// (same-file `#anchor`s excluded).
    pub internal: u64,
    /// Of those, resolved to a markdown file of the tree.
    pub resolved: u64,
    /// Resolved to another file of the tree (an image, a source file).
    pub non_markdown: u64,
    /// Resolved to nothing.
    pub unresolved: u64,
    /// `resolved / internal`.
    pub resolved_share: f64,
    /// Distinct (source, target) edges between different markdown files.
    pub edges: u64,
    /// Files with at least one inbound edge.
    pub targets: u64,
    /// Largest in-degree (distinct linking files).
    pub in_degree_max: u64,
    /// Share of resolved links (self-links excluded) that land on the 10
    /// most linked files.
    pub top10_share: f64,
    /// Share of files that no other file links to.
    pub no_inbound_share: f64,
    /// Navigation pages: files linking to at least half of all files (and
    /// at least 10), such as an mdBook `SUMMARY.md`.
    pub navigation_pages: u64,
    /// Share of files that no file other than a navigation page links to.
    pub no_inbound_share_without_nav: f64,
    /// Median number of distinct files a file links to.
    pub out_degree_median: f64,
    /// Mean of the same.
    pub out_degree_mean: f64,
}

/// Top-level paragraphs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParagraphStats {
    /// Top-level paragraphs.
    pub count: u64,
    /// Median words.
    pub words_median: f64,
    /// Mean words.
    pub words_mean: f64,
    /// 90th percentile of words.
    pub words_p90: f64,
    /// Source lines per paragraph, on average.
    pub lines_mean: f64,
    /// 90th percentile of paragraph line length in bytes.
    pub line_bytes_p90: f64,
    /// Emphasis, strong and code spans per word.
    pub inline_markup: f64,
}

/// Code blocks.
#[derive(Debug, Clone, Serialize)]
pub struct CodeStats {
    /// Fenced and indented code blocks, at any depth.
    pub blocks: u64,
    /// Per 1024 bytes.
    pub per_kb: f64,
    /// Median lines.
    pub lines_median: f64,
    /// Mean lines.
    pub lines_mean: f64,
    /// 90th percentile of lines.
    pub lines_p90: f64,
    /// The most common fence languages (`text` for none), as shares of
    /// blocks.
    pub languages: Named<f64>,
}

/// Lists.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ListStats {
    /// Top-level lists.
    pub lists: u64,
    /// Lists at any depth.
    pub all_lists: u64,
    /// Items per list (any depth), on average.
    pub items_mean: f64,
    /// Median items per list.
    pub items_median: f64,
    /// Deepest nesting (1 = flat).
    pub depth_max: u64,
    /// 90th percentile of top-level lists' depth.
    pub depth_p90: f64,
    /// Share of items at depth 1.
    pub depth1_item_share: f64,
    /// Share of lists that are ordered.
    pub ordered_share: f64,
    /// Share of unordered lists with task items.
    pub task_share: f64,
}

/// Tables.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TableStats {
    /// Tables.
    pub tables: u64,
    /// Per 1024 bytes.
    pub per_kb: f64,
    /// Body rows per table, on average.
    pub rows_mean: f64,
    /// Median body rows.
    pub rows_median: f64,
}

/// Blockquotes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuoteStats {
    /// Top-level blockquotes.
    pub blockquotes: u64,
    /// Share of them that are GFM callouts (`> [!NOTE]`).
    pub callout_share: f64,
}

/// Why a tree could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// Not a folder.
    #[error("{0} is not a folder; pass the root of a markdown tree")]
    NotADir(PathBuf),
    /// Reading failed.
    #[error("cannot read {path}: {reason}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// No markdown at all.
    #[error("{0} holds no markdown files (.md or .markdown)")]
    Empty(PathBuf),
}

// ---------------------------------------------------------------------------
// Histograms and quantiles

const HIST_CAP: u64 = 100_000;

#[derive(Debug, Clone, Default)]
struct Hist {
    counts: Vec<u64>,
    n: u64,
    sum: f64,
}

impl Hist {
    fn add(&mut self, v: u64) {
        let i = v.min(HIST_CAP) as usize;
        if self.counts.len() <= i {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        self.n += 1;
        self.sum += v as f64;
    }

    fn merge(&mut self, o: &Hist) {
        if self.counts.len() < o.counts.len() {
            self.counts.resize(o.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        self.n += o.n;
        self.sum += o.sum;
    }

    /// Nearest-rank quantile.
    fn q(&self, p: f64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let rank = ((p * self.n as f64).ceil() as u64).clamp(1, self.n);
        let mut acc = 0;
        for (v, c) in self.counts.iter().enumerate() {
            acc += c;
            if acc >= rank {
                return v as f64;
            }
        }
        (self.counts.len() - 1) as f64
    }

    fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }

    fn max(&self) -> u64 {
        self.counts.iter().rposition(|&c| c > 0).unwrap_or(0) as u64
    }
}

/// Nearest-rank quantile of sorted values.
fn q_sorted(xs: &[f64], p: f64) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let rank = ((p * xs.len() as f64).ceil() as usize).clamp(1, xs.len());
    xs[rank - 1]
}

fn quantiles(mut xs: Vec<f64>) -> Quantiles {
    xs.sort_by(f64::total_cmp);
    if xs.is_empty() {
        return Quantiles::default();
    }
    Quantiles {
        min: xs[0],
        p10: q_sorted(&xs, 0.1),
        p50: q_sorted(&xs, 0.5),
        p90: q_sorted(&xs, 0.9),
        max: xs[xs.len() - 1],
        mean: xs.iter().sum::<f64>() / xs.len() as f64,
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

// ---------------------------------------------------------------------------
// One file

/// Where a reference points, before the whole tree is known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Dest {
    /// A file path relative to the root (normalised), with candidates tried
    /// in order.
    Paths(Vec<String>),
    /// A wikilink title.
    Title(String),
    /// An `id:`.
    Id(String),
    /// A `bref://`.
    Bref(String),
    /// Outside the tree (a `..` above the root).
    Outside,
}

#[derive(Debug, Default)]
struct FileMeasure {
    bytes: u64,
    mix: [u64; 12],
    blocks: [u64; 12],
    headings: [u64; 6],
    explicit_ids: u64,
    title: Option<String>,
    h1: Option<String>,
    fm_format: Option<u8>, // 0 toml, 1 yaml, 2 json
    fm_id: Option<String>,
    fm_bid: Option<String>,
    fm_tags: bool,
    refs: [[u64; 4]; 14],
    unresolved_brackets: u64,
    footnote_refs: u64,
    dests: Vec<Dest>,
    para_words: Hist,
    para_lines: u64,
    para_line_bytes: Hist,
    markup_spans: u64,
    words: u64,
    code_lines: Hist,
    languages: BTreeMap<String, u64>,
    list_items: Hist,
    list_depth: Hist,
    items_by_depth: [u64; 2], // depth 1, deeper
    all_lists: u64,
    ordered_lists: u64,
    unordered_lists: u64,
    task_lists: u64,
    table_rows: Hist,
    quotes: u64,
    callouts: u64,
}

/// Is this (trimmed-start) line a link reference definition's first line?
fn is_ref_def(line: &str) -> bool {
    let l = line.trim_start();
    let Some(rest) = l.strip_prefix('[') else {
        return false;
    };
    match rest.find(']') {
        Some(end) => end > 0 && rest[end + 1..].starts_with(':'),
        None => false,
    }
}

fn top_kind(tag: &Tag) -> usize {
    match tag {
        Tag::Paragraph => B_PARA,
        Tag::Heading { .. } => B_HEAD,
        Tag::List(_) => B_LIST,
        Tag::CodeBlock(_) => B_CODE,
        Tag::Table(_) => B_TABLE,
        Tag::BlockQuote(_) => B_QUOTE,
        Tag::HtmlBlock => B_HTML,
        Tag::MetadataBlock(_) => B_FM,
        Tag::DefinitionList => B_DL,
        Tag::FootnoteDefinition(_) => B_FN,
        _ => B_OTHER,
    }
}

fn has_scheme(d: &str) -> bool {
    let mut chars = d.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    for c in chars {
        if c == ':' {
            return true;
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')) {
            return false;
        }
    }
    false
}

/// The profile kind of an inline link's destination.
fn classify_inline(dest: &str) -> usize {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    if lower.starts_with("id:") {
        K_ID
    } else if lower.starts_with("bref://") {
        K_BREF
    } else if has_scheme(dest) || dest.starts_with("//") {
        K_EXTERNAL
    } else if dest.starts_with('#') {
        K_ANCHOR
    } else if dest.contains('#') {
        K_PATH_ANCHOR
    } else if dest.ends_with('/') || dest == "." || dest == ".." {
        K_DIRECTORY
    } else if dest.starts_with('/') {
        K_ABSOLUTE
    } else if dest.starts_with("../") {
        K_PARENT
    } else {
        K_RELATIVE
    }
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Join `rel` onto folder `base` (no trailing `/`, empty = root) and
/// normalise `.` and `..`; `None` when it climbs above the root.
fn join_path(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
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

/// The candidate files a path destination may mean, most likely first.
fn path_dest(src_dir: &str, dest: &str) -> Option<Dest> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return None; // same file
    }
    let path = percent_decode(path);
    let Some(joined) = join_path(src_dir, &path) else {
        return Some(Dest::Outside);
    };
    let dir_like = path.ends_with('/') || path == "." || path == "..";
    let mut c = Vec::new();
    if !dir_like && !joined.is_empty() {
        c.push(joined.clone());
        if let Some(stem) = joined.strip_suffix(".html") {
            c.push(format!("{stem}.md"));
        }
        if !joined.rsplit('/').next().unwrap_or("").contains('.') {
            c.push(format!("{joined}.md"));
        }
    }
    for index in ["index.md", "README.md", "_index.md"] {
        c.push(if joined.is_empty() {
            index.to_string()
        } else {
            format!("{joined}/{index}")
        });
    }
    Some(Dest::Paths(c))
}

/// Normalised wikilink / title key.
fn title_key(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_suffix(".md").unwrap_or(s);
    let s = s.rsplit('/').next().unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = if c == '_' || c == '-' || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

fn parse_front_matter(fm: &mut FileMeasure, text: &str) {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    let Some(first) = first else {
        fm.fm_format = Some(1);
        return;
    };
    let clean = |v: &str| {
        v.trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .trim()
            .to_string()
    };
    if first.starts_with('{') {
        fm.fm_format = Some(2);
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str(text) {
            let s = |k: &str| m.get(k).and_then(|v| v.as_str()).map(str::to_string);
            fm.title = s("title");
            fm.fm_id = s("id");
            fm.fm_bid = s("bid");
            fm.fm_tags = m.contains_key("tags");
        }
        return;
    }
    let toml_like = first
        .split_once('=')
        .is_some_and(|(k, _)| !k.contains(':') && !k.trim().is_empty());
    fm.fm_format = Some(if toml_like { 0 } else { 1 });
    let sep = if toml_like { '=' } else { ':' };
    for line in text.lines() {
        if line.starts_with([' ', '\t', '-']) {
            continue;
        }
        let Some((k, v)) = line.split_once(sep) else {
            continue;
        };
        match k.trim() {
            "title" => fm.title = Some(clean(v)),
            "id" => fm.fm_id = Some(clean(v)),
            "bid" => fm.fm_bid = Some(clean(v)),
            "tags" => fm.fm_tags = true,
            _ => {}
        }
    }
}

/// Count the words of paragraph text.
fn count_words(s: &str) -> u64 {
    s.split_whitespace().count() as u64
}

fn measure_file(path: &str, text: &str) -> FileMeasure {
    let mut m = FileMeasure {
        bytes: text.len() as u64,
        ..Default::default()
    };
    let src_dir = match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    };
    let mut callback =
        |link: BrokenLink<'_>| Some((CowStr::from(link.reference.to_string()), CowStr::from("")));
    let parser = Parser::new_with_broken_link_callback(text, noet_options(), Some(&mut callback));

    let mut ranges: Vec<(usize, usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut top = B_OTHER;
    // Paragraph (top-level) being read: text and span count.
    let mut para: Option<(String, u64)> = None;
    let mut heading: Option<(u8, String)> = None;
    let mut in_meta = false;
    let mut meta_text = String::new();
    let mut code: Option<String> = None;
    // Open lists: (items, ordered, has task markers).
    let mut lists: Vec<(u64, bool, bool)> = Vec::new();
    let mut list_max_depth = 0u64;
    let mut table_rows = 0u64;
    let mut in_table_head = false;

    for (ev, range) in parser.into_offset_iter() {
        match ev {
            Event::Start(tag) => {
                if depth == 0 {
                    top = top_kind(&tag);
                    ranges.push((range.start, range.end, top));
                    m.blocks[top] += 1;
                    match &tag {
                        Tag::Paragraph => para = Some((String::new(), 0)),
                        Tag::BlockQuote(kind) => {
                            m.quotes += 1;
                            m.callouts += u64::from(kind.is_some());
                        }
                        Tag::Table(_) => table_rows = 0,
                        Tag::List(_) => list_max_depth = 0,
                        _ => {}
                    }
                }
                depth += 1;
                match tag {
                    Tag::Heading { level, id, .. } => {
                        let l = level as usize;
                        m.headings[l - 1] += 1;
                        m.explicit_ids += u64::from(id.is_some());
                        heading = Some((l as u8, String::new()));
                    }
                    Tag::MetadataBlock(MetadataBlockKind::YamlStyle)
                    | Tag::MetadataBlock(MetadataBlockKind::PlusesStyle) => {
                        in_meta = true;
                        meta_text.clear();
                    }
                    Tag::CodeBlock(kind) => {
                        let lang = match kind {
                            CodeBlockKind::Fenced(info) => info
                                .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                                .next()
                                .unwrap_or("")
                                .to_ascii_lowercase(),
                            CodeBlockKind::Indented => String::new(),
                        };
                        let lang = if lang.is_empty() {
                            "text".to_string()
                        } else {
                            lang
                        };
                        *m.languages.entry(lang).or_default() += 1;
                        code = Some(String::new());
                    }
                    Tag::List(start) => {
                        lists.push((0, start.is_some(), false));
                        list_max_depth = list_max_depth.max(lists.len() as u64);
                        m.all_lists += 1;
                        if start.is_some() {
                            m.ordered_lists += 1;
                        } else {
                            m.unordered_lists += 1;
                        }
                    }
                    Tag::Item => {
                        if let Some(l) = lists.last_mut() {
                            l.0 += 1;
                        }
                        m.items_by_depth[usize::from(lists.len() > 1)] += 1;
                    }
                    Tag::TableHead => in_table_head = true,
                    Tag::TableRow if !in_table_head => table_rows += 1,
                    Tag::Emphasis | Tag::Strong => {
                        if let Some(p) = para.as_mut() {
                            p.1 += 1;
                        }
                    }
                    Tag::Link {
                        link_type,
                        dest_url,
                        ..
                    } => {
                        let kind = match link_type {
                            LinkType::WikiLink { has_pothole } => {
                                let target = dest_url.split('#').next().unwrap_or("");
                                if !target.is_empty() {
                                    m.dests.push(Dest::Title(title_key(target)));
                                }
                                if has_pothole {
                                    K_WIKI_ALIAS
                                } else {
                                    K_WIKI
                                }
                            }
                            LinkType::Autolink | LinkType::Email => K_AUTOLINK,
                            LinkType::ReferenceUnknown
                            | LinkType::CollapsedUnknown
                            | LinkType::ShortcutUnknown => {
                                m.unresolved_brackets += 1;
                                continue;
                            }
                            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                                if let Some(d) = internal_dest(src_dir, &dest_url) {
                                    m.dests.push(d);
                                }
                                K_REFERENCE
                            }
                            LinkType::Inline => {
                                let k = classify_inline(&dest_url);
                                if let Some(d) = internal_dest(src_dir, &dest_url) {
                                    m.dests.push(d);
                                }
                                k
                            }
                        };
                        m.refs[kind][ref_block(top)] += 1;
                    }
                    Tag::Image { dest_url, .. } => {
                        m.refs[K_IMAGE][ref_block(top)] += 1;
                        if let Some(d) = internal_dest(src_dir, &dest_url) {
                            m.dests.push(d);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                match end {
                    TagEnd::Heading(_) => {
                        if let Some((level, t)) = heading.take() {
                            if level == 1 && m.h1.is_none() {
                                m.h1 = Some(t.trim().to_string());
                            }
                        }
                    }
                    TagEnd::MetadataBlock(_) => {
                        in_meta = false;
                        let t = std::mem::take(&mut meta_text);
                        parse_front_matter(&mut m, &t);
                    }
                    TagEnd::CodeBlock => {
                        if let Some(c) = code.take() {
                            let lines = c.lines().count().max(1) as u64;
                            m.code_lines.add(lines);
                        }
                    }
                    TagEnd::List(_) => {
                        if let Some((items, ordered, task)) = lists.pop() {
                            m.list_items.add(items);
                            if task && !ordered {
                                m.task_lists += 1;
                            }
                        }
                        if lists.is_empty() && depth == 0 {
                            m.list_depth.add(list_max_depth);
                        }
                    }
                    TagEnd::TableHead => in_table_head = false,
                    TagEnd::Table if depth == 0 => m.table_rows.add(table_rows),
                    TagEnd::Paragraph if depth == 0 => {
                        if let Some((t, spans)) = para.take() {
                            let w = count_words(&t);
                            m.para_words.add(w);
                            m.words += w;
                            m.markup_spans += spans;
                            let src = &text[range.clone()];
                            let mut lines = 0;
                            for l in src.lines() {
                                if !l.trim().is_empty() {
                                    lines += 1;
                                    m.para_line_bytes.add(l.len() as u64);
                                }
                            }
                            m.para_lines += lines;
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if in_meta {
                    meta_text.push_str(&t);
                } else if let Some(c) = code.as_mut() {
                    c.push_str(&t);
                } else {
                    if let Some(p) = para.as_mut() {
                        p.0.push_str(&t);
                    }
                    if let Some(h) = heading.as_mut() {
                        h.1.push_str(&t);
                    }
                }
            }
            Event::Code(t) => {
                if let Some(p) = para.as_mut() {
                    p.0.push_str(&t);
                    p.1 += 1;
                }
                if let Some(h) = heading.as_mut() {
                    h.1.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = para.as_mut() {
                    p.0.push(' ');
                }
            }
            Event::TaskListMarker(_) => {
                if let Some(l) = lists.last_mut() {
                    l.2 = true;
                }
            }
            Event::FootnoteReference(_) => m.footnote_refs += 1,
            Event::Rule if depth == 0 => {
                ranges.push((range.start, range.end, B_OTHER));
                m.blocks[B_OTHER] += 1;
            }
            Event::Html(_) if depth == 0 => {
                ranges.push((range.start, range.end, B_HTML));
                m.blocks[B_HTML] += 1;
            }
            _ => {}
        }
    }
    if m.title.is_none() {
        m.title = m.h1.clone();
    }
    attribute_lines(text, &ranges, &mut m);
    m
}

fn ref_block(top: usize) -> usize {
    match top {
        B_PARA => 0,
        B_LIST => 1,
        B_TABLE => 2,
        _ => 3,
    }
}

/// The internal destination of a link, if it points into the tree.
fn internal_dest(src_dir: &str, dest: &str) -> Option<Dest> {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    if lower.starts_with("id:") {
        return Some(Dest::Id(dest[3..].to_string()));
    }
    if lower.starts_with("bref://") {
        return Some(Dest::Bref(dest[7..].to_ascii_lowercase()));
    }
    if has_scheme(dest) || dest.starts_with("//") {
        return None;
    }
    path_dest(src_dir, dest)
}

/// Attribute each non-blank line's bytes to the top-level block holding
/// its first non-blank byte.
fn attribute_lines(text: &str, ranges: &[(usize, usize, usize)], m: &mut FileMeasure) {
    let mut ptr = 0;
    let mut offset = 0;
    let mut prev_lrd = false;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_start();
        if body.trim_end().is_empty() {
            prev_lrd = false;
            continue;
        }
        let pos = start + (line.len() - body.len());
        while ptr < ranges.len() && ranges[ptr].1 <= pos {
            ptr += 1;
        }
        let kind = if ptr < ranges.len() && ranges[ptr].0 <= pos {
            prev_lrd = false;
            ranges[ptr].2
        } else if is_ref_def(line) {
            prev_lrd = true;
            m.blocks[B_LRD] += 1;
            B_LRD
        } else if prev_lrd {
            B_LRD
        } else {
            m.blocks[B_OTHER] += 1;
            B_OTHER
        };
        m.mix[kind] += line.len() as u64;
    }
}

// ---------------------------------------------------------------------------
// The tree

/// One markdown source to measure: a `/`-separated path relative to the
/// root, and its bytes.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the root.
    pub path: String,
    /// The markdown.
    pub bytes: Vec<u8>,
}

fn is_markdown(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with(".md") || l.ends_with(".markdown")
}

/// Markdown files and all other files under `root`, as sorted relative
/// paths. Hidden entries and symlinked folders are skipped.
fn walk(root: &Path) -> Result<(Vec<String>, HashSet<String>), StatsError> {
    let mut md = Vec::new();
    let mut others = HashSet::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e: std::io::Error| StatsError::Io {
            path: p,
            reason: e.to_string(),
        }
    };
    while let Some((dir, rel)) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let ft = entry.file_type().map_err(io(&entry.path()))?;
            if ft.is_dir() {
                stack.push((entry.path(), r));
            } else if ft.is_file() || (ft.is_symlink() && entry.path().is_file()) {
                if is_markdown(&name) {
                    md.push(r);
                } else {
                    others.insert(r);
                }
            }
        }
    }
    md.sort();
    Ok((md, others))
}

/// Measure the markdown tree under `root`.
pub fn stats_dir(root: &Path) -> Result<Stats, StatsError> {
    if !root.is_dir() {
        return Err(StatsError::NotADir(root.to_path_buf()));
    }
    let (paths, others) = walk(root)?;
    if paths.is_empty() {
        return Err(StatsError::Empty(root.to_path_buf()));
    }
    let measures: Vec<Result<FileMeasure, StatsError>> = paths
        .par_iter()
        .map(|p| {
            let full = root.join(p);
            let bytes = std::fs::read(&full).map_err(|e| StatsError::Io {
                path: full.clone(),
                reason: e.to_string(),
            })?;
            let text = String::from_utf8_lossy(&bytes);
            Ok(measure_file(p, &text))
        })
        .collect();
    let measures = measures.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(aggregate(
        &root.display().to_string(),
        &paths,
        &others,
        &measures,
    ))
}

/// Measure markdown held in memory (`others`: paths of non-markdown files
/// that links may point at).
pub fn stats_sources(root: &str, sources: &[Source], others: &HashSet<String>) -> Stats {
    let (paths, measures) = measure_sources(sources);
    aggregate(root, &paths, others, &measures)
}

/// Parse every source; returns paths and measures in path order.
fn measure_sources(sources: &[Source]) -> (Vec<String>, Vec<FileMeasure>) {
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by(|&a, &b| sources[a].path.cmp(&sources[b].path));
    let paths: Vec<String> = order.iter().map(|&i| sources[i].path.clone()).collect();
    let measures: Vec<FileMeasure> = order
        .par_iter()
        .map(|&i| {
            let s = &sources[i];
            measure_file(&s.path, &String::from_utf8_lossy(&s.bytes))
        })
        .collect();
    (paths, measures)
}

fn folder_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn aggregate(root: &str, paths: &[String], others: &HashSet<String>, ms: &[FileMeasure]) -> Stats {
    let n = ms.len() as u64;
    let bytes: u64 = ms.iter().map(|m| m.bytes).sum();
    let kb = (bytes as f64 / 1024.0).max(1e-9);

    // File sizes.
    let mut sizes: Vec<u64> = ms.iter().map(|m| m.bytes).collect();
    sizes.sort_unstable();
    let sizes_f: Vec<f64> = sizes.iter().map(|&b| b as f64).collect();
    let logs: Vec<f64> = sizes
        .iter()
        .filter(|&&b| b > 0)
        .map(|&b| (b as f64).ln())
        .collect();
    let mu = if logs.is_empty() {
        0.0
    } else {
        logs.iter().sum::<f64>() / logs.len() as f64
    };
    let sigma = if logs.len() > 1 {
        (logs.iter().map(|l| (l - mu) * (l - mu)).sum::<f64>() / logs.len() as f64).sqrt()
    } else {
        0.0
    };
    let file_size = FileSizeStats {
        min: sizes.first().copied().unwrap_or(0),
        p10: q_sorted(&sizes_f, 0.1) as u64,
        p50: q_sorted(&sizes_f, 0.5) as u64,
        p90: q_sorted(&sizes_f, 0.9) as u64,
        max: sizes.last().copied().unwrap_or(0),
        mean: ratio(bytes as f64, n as f64),
        mu,
        sigma,
        largest_share: ratio(sizes.last().copied().unwrap_or(0) as f64, bytes as f64),
        stub_share: ratio(sizes.iter().filter(|&&b| b < 512).count() as f64, n as f64),
    };

    // Layout.
    let mut folder_files: BTreeMap<&str, u64> = BTreeMap::new();
    for p in paths {
        *folder_files.entry(folder_of(p)).or_default() += 1;
    }
    let mut all_folders: HashSet<&str> = HashSet::new();
    for f in folder_files.keys() {
        let mut f: &str = f;
        loop {
            if !all_folders.insert(f) || f.is_empty() {
                break;
            }
            f = folder_of(f);
        }
    }
    all_folders.insert("");
    let mut children: HashMap<&str, u64> = HashMap::new();
    for f in &all_folders {
        if !f.is_empty() {
            *children.entry(folder_of(f)).or_default() += 1;
        }
    }
    let path_set: HashSet<&str> = paths.iter().map(String::as_str).collect();
    let non_root: Vec<&&str> = all_folders.iter().filter(|f| !f.is_empty()).collect();
    let with_index = non_root
        .iter()
        .filter(|f| path_set.contains(format!("{f}/index.md").as_str()))
        .count();
    let layout = LayoutStats {
        folders: folder_files.len() as u64,
        files_per_folder: ratio(n as f64, folder_files.len() as f64),
        fanout: ratio(children.values().sum::<u64>() as f64, children.len() as f64),
        index_share: ratio(with_index as f64, non_root.len() as f64),
        depth_max: all_folders
            .iter()
            .filter(|f| !f.is_empty())
            .map(|f| f.split('/').count() as u64)
            .max()
            .unwrap_or(0),
    };

    // Mix.
    let mut mix = [0u64; 12];
    let mut blocks = [0u64; 12];
    for m in ms {
        for k in 0..12 {
            mix[k] += m.mix[k];
            blocks[k] += m.blocks[k];
        }
    }
    let counted: u64 = mix.iter().sum();
    let mix = MixStats {
        counted_bytes: counted,
        kinds: Named(
            BLOCK_KINDS
                .iter()
                .enumerate()
                .map(|(k, name)| {
                    (
                        name.to_string(),
                        MixEntry {
                            bytes: mix[k],
                            share: ratio(mix[k] as f64, counted as f64),
                            blocks: blocks[k],
                        },
                    )
                })
                .collect(),
        ),
    };

    // Front matter.
    let fm_files = ms.iter().filter(|m| m.fm_format.is_some()).count() as u64;
    let fmt = |f: u8| ms.iter().filter(|m| m.fm_format == Some(f)).count() as u64;
    let front_matter = FrontMatterStats {
        files: fm_files,
        share: ratio(fm_files as f64, n as f64),
        toml: fmt(0),
        yaml: fmt(1),
        json: fmt(2),
        with_id: ms.iter().filter(|m| m.fm_id.is_some()).count() as u64,
        with_bid: ms.iter().filter(|m| m.fm_bid.is_some()).count() as u64,
        with_tags: ms.iter().filter(|m| m.fm_tags).count() as u64,
    };

    // Headings.
    let mut by_level = [0u64; 6];
    for m in ms {
        for (a, b) in by_level.iter_mut().zip(m.headings) {
            *a += b;
        }
    }
    let hcount: u64 = by_level.iter().sum();
    let headings = HeadingStats {
        count: hcount,
        per_kb: hcount as f64 / kb,
        by_level,
        explicit_id_share: ratio(
            ms.iter().map(|m| m.explicit_ids).sum::<u64>() as f64,
            hcount as f64,
        ),
    };

    // References.
    let mut refs = [[0u64; 4]; 14];
    for m in ms {
        for (row, mrow) in refs.iter_mut().zip(&m.refs) {
            for (a, b) in row.iter_mut().zip(mrow) {
                *a += b;
            }
        }
    }
    let total_refs: u64 = refs.iter().flatten().sum();
    let names = kind_names();
    let by_kind = Named(
        (0..14)
            .map(|k| {
                let c: u64 = refs[k].iter().sum();
                (
                    names[k].to_string(),
                    KindEntry {
                        count: c,
                        per_kb: c as f64 / kb,
                        share: ratio(c as f64, total_refs as f64),
                    },
                )
            })
            .collect(),
    );
    let block_bytes = [
        mix.kinds.0[B_PARA].1.bytes,
        mix.kinds.0[B_LIST].1.bytes,
        mix.kinds.0[B_TABLE].1.bytes,
        counted
            - mix.kinds.0[B_PARA].1.bytes
            - mix.kinds.0[B_LIST].1.bytes
            - mix.kinds.0[B_TABLE].1.bytes,
    ];
    let by_block = Named(
        (0..4)
            .map(|b| {
                let c: u64 = refs.iter().map(|r| r[b]).sum();
                (
                    REF_BLOCKS[b].to_string(),
                    BlockRefEntry {
                        count: c,
                        share: ratio(c as f64, total_refs as f64),
                        per_kb_of_block: ratio(c as f64, block_bytes[b] as f64 / 1024.0),
                    },
                )
            })
            .collect(),
    );
    let per_file: Vec<f64> = ms
        .iter()
        .filter(|m| m.bytes > 0)
        .map(|m| m.refs.iter().flatten().sum::<u64>() as f64 / (m.bytes as f64 / 1024.0))
        .collect();
    let footnote_refs = ms.iter().map(|m| m.footnote_refs).sum();
    let references = ReferenceStats {
        count: total_refs,
        per_kb: total_refs as f64 / kb,
        by_kind,
        by_block,
        per_file_per_kb: quantiles(per_file),
        unresolved_brackets: ms.iter().map(|m| m.unresolved_brackets).sum(),
        footnote_refs,
    };

    let graph = graph(paths, others, ms);

    // Paragraphs.
    let mut pw = Hist::default();
    let mut plb = Hist::default();
    let mut code_lines = Hist::default();
    let mut list_items = Hist::default();
    let mut list_depth = Hist::default();
    let mut table_rows = Hist::default();
    let mut langs: BTreeMap<String, u64> = BTreeMap::new();
    for m in ms {
        pw.merge(&m.para_words);
        plb.merge(&m.para_line_bytes);
        code_lines.merge(&m.code_lines);
        list_items.merge(&m.list_items);
        list_depth.merge(&m.list_depth);
        table_rows.merge(&m.table_rows);
        for (l, c) in &m.languages {
            *langs.entry(l.clone()).or_default() += c;
        }
    }
    let words: u64 = ms.iter().map(|m| m.words).sum();
    let paragraphs = ParagraphStats {
        count: pw.n,
        words_median: pw.q(0.5),
        words_mean: pw.mean(),
        words_p90: pw.q(0.9),
        lines_mean: ratio(
            ms.iter().map(|m| m.para_lines).sum::<u64>() as f64,
            pw.n as f64,
        ),
        line_bytes_p90: plb.q(0.9),
        inline_markup: ratio(
            ms.iter().map(|m| m.markup_spans).sum::<u64>() as f64,
            words as f64,
        ),
    };
    let mut lang_list: Vec<(String, u64)> = langs.into_iter().collect();
    lang_list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let code = CodeStats {
        blocks: code_lines.n,
        per_kb: code_lines.n as f64 / kb,
        lines_median: code_lines.q(0.5),
        lines_mean: code_lines.mean(),
        lines_p90: code_lines.q(0.9),
        languages: Named(
            lang_list
                .into_iter()
                .take(8)
                .map(|(l, c)| (l, ratio(c as f64, code_lines.n as f64)))
                .collect(),
        ),
    };
    let depth_items: [u64; 2] = ms.iter().fold([0, 0], |a, m| {
        [a[0] + m.items_by_depth[0], a[1] + m.items_by_depth[1]]
    });
    let ordered: u64 = ms.iter().map(|m| m.ordered_lists).sum();
    let unordered: u64 = ms.iter().map(|m| m.unordered_lists).sum();
    let lists = ListStats {
        lists: list_depth.n,
        all_lists: list_items.n,
        items_mean: list_items.mean(),
        items_median: list_items.q(0.5),
        depth_max: list_depth.max(),
        depth_p90: list_depth.q(0.9),
        depth1_item_share: ratio(
            depth_items[0] as f64,
            (depth_items[0] + depth_items[1]) as f64,
        ),
        ordered_share: ratio(ordered as f64, (ordered + unordered) as f64),
        task_share: ratio(
            ms.iter().map(|m| m.task_lists).sum::<u64>() as f64,
            unordered as f64,
        ),
    };
    let tables = TableStats {
        tables: table_rows.n,
        per_kb: table_rows.n as f64 / kb,
        rows_mean: table_rows.mean(),
        rows_median: table_rows.q(0.5),
    };
    let quotes: u64 = ms.iter().map(|m| m.quotes).sum();
    let blockquotes = QuoteStats {
        blockquotes: quotes,
        callout_share: ratio(
            ms.iter().map(|m| m.callouts).sum::<u64>() as f64,
            quotes as f64,
        ),
    };

    Stats {
        root: root.to_string(),
        files: n,
        bytes,
        file_size,
        layout,
        mix,
        front_matter,
        headings,
        references,
        graph,
        paragraphs,
        code,
        lists,
        tables,
        blockquotes,
    }
}

fn graph(paths: &[String], others: &HashSet<String>, ms: &[FileMeasure]) -> GraphStats {
    let index: HashMap<&str, u32> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i as u32))
        .collect();
    // Titles (front matter title, first H1, file stem), ids and brefs; the
    // first file in path order wins.
    let mut titles: HashMap<String, u32> = HashMap::new();
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut brefs: HashMap<String, u32> = HashMap::new();
    for (i, (p, m)) in paths.iter().zip(ms).enumerate() {
        let i = i as u32;
        for t in [m.title.as_deref(), m.h1.as_deref(), Some(p.as_str())]
            .into_iter()
            .flatten()
        {
            titles.entry(title_key(t)).or_insert(i);
        }
        if let Some(id) = &m.fm_id {
            ids.entry(id.as_str()).or_insert(i);
        }
        if let Some(bid) = &m.fm_bid {
            brefs.entry(crate::links::bref(bid)).or_insert(i);
        }
    }
    let n = paths.len();
    let mut g = GraphStats::default();
    let mut inbound_links = vec![0u64; n];
    let mut in_sources: Vec<u32> = vec![0; n];
    let mut out_degree: Vec<f64> = Vec::with_capacity(n);
    let mut out_targets: Vec<Vec<u32>> = Vec::with_capacity(n);
    for (src, m) in ms.iter().enumerate() {
        let mut targets: Vec<u32> = Vec::new();
        for d in &m.dests {
            g.internal += 1;
            let t = match d {
                Dest::Paths(c) => {
                    let hit = c.iter().find_map(|p| index.get(p.as_str()).copied());
                    if hit.is_none() && c.iter().any(|p| others.contains(p)) {
                        g.non_markdown += 1;
                        continue;
                    }
                    hit
                }
                Dest::Title(t) => titles.get(t).copied(),
                Dest::Id(id) => ids.get(id.as_str()).copied(),
                Dest::Bref(b) => brefs.get(b).copied(),
                Dest::Outside => None,
            };
            match t {
                Some(t) => {
                    g.resolved += 1;
                    if t as usize != src {
                        inbound_links[t as usize] += 1;
                        targets.push(t);
                    }
                }
                None => g.unresolved += 1,
            }
        }
        targets.sort_unstable();
        targets.dedup();
        for &t in &targets {
            in_sources[t as usize] += 1;
        }
        g.edges += targets.len() as u64;
        out_degree.push(targets.len() as f64);
        out_targets.push(targets);
    }
    let nav_min = (n as u64).div_ceil(2).max(10) as usize;
    let mut linked_without_nav = vec![false; n];
    for t in &out_targets {
        if t.len() >= nav_min {
            g.navigation_pages += 1;
        } else {
            for &x in t {
                linked_without_nav[x as usize] = true;
            }
        }
    }
    g.no_inbound_share_without_nav = ratio(
        linked_without_nav.iter().filter(|&&b| !b).count() as f64,
        n as f64,
    );
    g.resolved_share = ratio(g.resolved as f64, g.internal as f64);
    g.targets = in_sources.iter().filter(|&&c| c > 0).count() as u64;
    g.in_degree_max = in_sources.iter().copied().max().unwrap_or(0) as u64;
    let mut inbound = inbound_links.clone();
    inbound.sort_unstable_by(|a, b| b.cmp(a));
    let all: u64 = inbound.iter().sum();
    g.top10_share = ratio(inbound.iter().take(10).sum::<u64>() as f64, all as f64);
    g.no_inbound_share = ratio((n as u64 - g.targets) as f64, n as f64);
    g.out_degree_mean = ratio(out_degree.iter().sum::<f64>(), n as f64);
    out_degree.sort_by(f64::total_cmp);
    g.out_degree_median = q_sorted(&out_degree, 0.5);
    g
}

// ---------------------------------------------------------------------------
// The readable report

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn kbytes(b: f64) -> String {
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else if b >= 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{b:.0} B")
    }
}

/// The statistics as a readable table (what `stats DIR` prints).
pub fn report(s: &Stats) -> String {
    let mut o = String::new();
    let w = &mut o;
    let _ = writeln!(
        w,
        "{}: {} markdown files, {} ({} bytes; 1 KB = 1024 B)",
        s.root,
        s.files,
        kbytes(s.bytes as f64),
        s.bytes
    );
    let f = &s.file_size;
    let _ = writeln!(w, "\nFile size");
    let _ = writeln!(
        w,
        "  min {}  p10 {}  p50 {}  p90 {}  max {}  mean {}",
        kbytes(f.min as f64),
        kbytes(f.p10 as f64),
        kbytes(f.p50 as f64),
        kbytes(f.p90 as f64),
        kbytes(f.max as f64),
        kbytes(f.mean)
    );
    let _ = writeln!(
        w,
        "  ln(bytes): mu {:.2}  sigma {:.2}   largest file {} of bytes   files < 512 B: {}",
        f.mu,
        f.sigma,
        pct(f.largest_share),
        pct(f.stub_share)
    );
    let l = &s.layout;
    let _ = writeln!(
        w,
        "  {} folders with markdown, {:.1} files per folder, fanout {:.1}, depth {}, index.md in {} of subfolders",
        l.folders,
        l.files_per_folder,
        l.fanout,
        l.depth_max,
        pct(l.index_share)
    );

    let _ = writeln!(
        w,
        "\nContent mix (bytes of non-blank lines by top-level block; {} counted)",
        s.mix.counted_bytes
    );
    let _ = writeln!(
        w,
        "  {:<18}{:>10}{:>9}{:>9}",
        "kind", "bytes", "share", "blocks"
    );
    for (k, e) in &s.mix.kinds.0 {
        let _ = writeln!(
            w,
            "  {:<18}{:>10}{:>9}{:>9}",
            k,
            e.bytes,
            pct(e.share),
            e.blocks
        );
    }
    let fm = &s.front_matter;
    let _ = writeln!(
        w,
        "  front matter in {} of files ({} toml, {} yaml, {} json; {} with id, {} with bid)",
        pct(fm.share),
        fm.toml,
        fm.yaml,
        fm.json,
        fm.with_id,
        fm.with_bid
    );

    let h = &s.headings;
    let _ = writeln!(
        w,
        "\nHeadings: {} = {:.2} per KB; H1..H6 {:?}; explicit ids {}",
        h.count,
        h.per_kb,
        h.by_level,
        pct(h.explicit_id_share)
    );

    let r = &s.references;
    let _ = writeln!(w, "\nReferences: {} = {:.2} per KB", r.count, r.per_kb);
    let _ = writeln!(
        w,
        "  {:<16}{:>8}{:>9}{:>8}",
        "kind", "count", "per KB", "share"
    );
    for (k, e) in &r.by_kind.0 {
        if e.count > 0 {
            let _ = writeln!(
                w,
                "  {:<16}{:>8}{:>9.3}{:>8}",
                k,
                e.count,
                e.per_kb,
                pct(e.share)
            );
        }
    }
    let _ = writeln!(
        w,
        "  {:<16}{:>8}{:>8}{:>17}",
        "in block", "count", "share", "per KB of block"
    );
    for (k, e) in &r.by_block.0 {
        let _ = writeln!(
            w,
            "  {:<16}{:>8}{:>8}{:>17.2}",
            k,
            e.count,
            pct(e.share),
            e.per_kb_of_block
        );
    }
    let q = &r.per_file_per_kb;
    let _ = writeln!(
        w,
        "  per file, per KB: min {:.2}  p10 {:.2}  p50 {:.2}  p90 {:.2}  max {:.2}  mean {:.2}",
        q.min, q.p10, q.p50, q.p90, q.max, q.mean
    );
    let _ = writeln!(
        w,
        "  undefined [brackets] (not counted): {}   footnote references: {}",
        r.unresolved_brackets, r.footnote_refs
    );

    let g = &s.graph;
    let _ = writeln!(
        w,
        "\nLink graph: {} internal references, {} resolved to markdown ({}), {} to other files, {} unresolved",
        g.internal,
        g.resolved,
        pct(g.resolved_share),
        g.non_markdown,
        g.unresolved
    );
    let _ = writeln!(
        w,
        "  {} edges; {} files linked to; in-degree max {}; top-10 targets take {} of links; {} of files have no inbound link",
        g.edges,
        g.targets,
        g.in_degree_max,
        pct(g.top10_share),
        pct(g.no_inbound_share)
    );
    let _ = writeln!(
        w,
        "  out-degree (distinct files linked): median {:.0}, mean {:.2}; {} navigation page(s) (linking to half the files or more), without them {} of files have no inbound link",
        g.out_degree_median,
        g.out_degree_mean,
        g.navigation_pages,
        pct(g.no_inbound_share_without_nav)
    );

    let p = &s.paragraphs;
    let _ = writeln!(
        w,
        "\nParagraphs: {} top-level; words median {:.0}, mean {:.1}, p90 {:.0}; {:.1} lines each, line p90 {:.0} B; markup spans per word {:.3}",
        p.count, p.words_median, p.words_mean, p.words_p90, p.lines_mean, p.line_bytes_p90, p.inline_markup
    );
    let c = &s.code;
    let langs: Vec<String> = c
        .languages
        .0
        .iter()
        .map(|(l, sh)| format!("{l} {}", pct(*sh)))
        .collect();
    let _ = writeln!(
        w,
        "Code blocks: {} = {:.2} per KB; lines median {:.0}, mean {:.1}, p90 {:.0}; {}",
        c.blocks,
        c.per_kb,
        c.lines_median,
        c.lines_mean,
        c.lines_p90,
        langs.join(", ")
    );
    let li = &s.lists;
    let _ = writeln!(
        w,
        "Lists: {} top-level ({} at any depth); items per list mean {:.1}, median {:.0}; depth max {}, p90 {:.0}; {} of items at depth 1; {} ordered, {} of unordered are task lists",
        li.lists,
        li.all_lists,
        li.items_mean,
        li.items_median,
        li.depth_max,
        li.depth_p90,
        pct(li.depth1_item_share),
        pct(li.ordered_share),
        pct(li.task_share)
    );
    let t = &s.tables;
    let _ = writeln!(
        w,
        "Tables: {} = {:.3} per KB; body rows mean {:.1}, median {:.0}",
        t.tables, t.per_kb, t.rows_mean, t.rows_median
    );
    let bq = &s.blockquotes;
    let _ = writeln!(
        w,
        "Blockquotes: {}; {} are callouts",
        bq.blockquotes,
        pct(bq.callout_share)
    );
    o
}

// ---------------------------------------------------------------------------
// Fitting a profile

/// One figure of the round trip: the source's value, what `gen` with the
/// fitted profile is predicted to measure, and whether it is in the bound.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// What is compared (`mix.paragraph`, `references.per_kb`, ...).
    pub figure: String,
    /// The source tree's value.
    pub source: f64,
    /// The mean of the values measured on corpora generated with the fitted
    /// profile at the source's size (one per seed).
    pub generated: f64,
    /// `|generated - source| / source`: the error of the expected value.
    pub error: f64,
    /// Standard deviation of the generated values across seeds, relative
    /// to their mean.
    pub spread: f64,
    /// Share of seeds whose value is within [`ROUND_TRIP_BOUND`].
    pub within: f64,
    /// False when no profile key can produce this figure yet.
    pub reachable: bool,
}

/// A profile fitted to a tree, with the predicted round trip.
#[derive(Debug, Clone, Serialize)]
pub struct Fit {
    /// The profile.
    pub profile: Profile,
    /// The profile as TOML, with a header saying where it came from.
    pub toml: String,
    /// Round-trip figures, measured on corpora generated with `profile` at
    /// the source's total size.
    pub checks: Vec<Check>,
    /// Calibration rounds run.
    pub rounds: usize,
    /// Seeds simulated per round.
    pub seeds: u64,
    /// Bytes of each simulated corpus.
    pub simulated_bytes: u64,
}

impl Fit {
    /// The largest relative error among reachable figures.
    pub fn worst(&self) -> f64 {
        self.checks
            .iter()
            .filter(|c| c.reachable)
            .map(|c| c.error)
            .fold(0.0, f64::max)
    }
}

/// The round-trip bound of issue 4: relative error on each checked figure.
pub const ROUND_TRIP_BOUND: f64 = 0.15;

/// Mix shares above this are checked in the round trip.
pub const MIX_CHECK_MIN: f64 = 0.05;

/// Reference kinds with at least this share of references are "main" kinds.
pub const MAIN_KIND_MIN: f64 = 0.10;

/// Body kinds a profile's `[mix]` weighs, as indices into [`BLOCK_KINDS`],
/// in the order of `Mix::weights`.
const MIX_BODY: [usize; 6] = [B_PARA, B_LIST, B_CODE, B_TABLE, B_QUOTE, B_DL];

/// Fit `density = min + (max - min) * u^skew` to the per-file quantiles:
/// returns (min, max, skew).
fn fit_density(q: &Quantiles) -> (f64, f64, f64) {
    let (q10, q50, q90) = (q.p10, q.p50, q.p90);
    if q90 <= 0.0 {
        // Nearly no file has references: a few dense files carry them.
        return (0.0, q.max.clamp(0.5, 40.0), 10.0);
    }
    let g = |s: f64| {
        let (a, b, c) = (0.1f64.powf(s), 0.5f64.powf(s), 0.9f64.powf(s));
        (b - a) / (c - b)
    };
    let target = if q90 > q50 {
        (q50 - q10) / (q90 - q50)
    } else {
        1e9
    };
    // g falls from large (s small) to 0 (s large): bisect on ln s.
    let (mut lo, mut hi) = (0.1f64.ln(), 10f64.ln());
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if g(mid.exp()) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut s = (0.5 * (lo + hi)).exp();
    let mut b = (q90 - q10) / (0.9f64.powf(s) - 0.1f64.powf(s)).max(1e-9);
    let mut a = q10 - b * 0.1f64.powf(s);
    if a < 0.0 || !a.is_finite() {
        // Refit through 0 with the median and p90 only.
        a = 0.0;
        s = if q50 > 0.0 {
            ((q50 / q90).ln() / (5.0f64 / 9.0).ln()).clamp(0.1, 10.0)
        } else {
            10.0
        };
        b = q90 / 0.9f64.powf(s);
    }
    let max = (a + b).clamp(a, 40.0);
    (a.clamp(0.0, 40.0), max, s.clamp(0.1, 10.0))
}

fn round_sig(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let m = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * m).round() / m
}

/// A profile name from a folder name.
fn profile_name(root: &str) -> String {
    let base = Path::new(root)
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let mut name: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches('-').to_string();
    if name.is_empty() {
        "fitted".to_string()
    } else {
        format!("{name}-fit")
    }
}

/// The calibration state: knobs kept as floats between rounds.
#[derive(Debug, Clone)]
struct Knobs {
    profile: Profile,
    paragraph_words: f64,
    code_lines: f64,
}

impl Knobs {
    fn apply(&self) -> Profile {
        let mut p = self.profile.clone();
        p.text.paragraph_words = (self.paragraph_words.round() as u64).clamp(4, 2000);
        p.text.code_lines_max = (self.code_lines.round() as u64).clamp(1, 1000);
        tidy(&mut p);
        p
    }
}

/// Round a profile's floats to 4 significant digits (readable TOML).
fn tidy(p: &mut Profile) {
    let r = |x: &mut f64| *x = round_sig(*x, 4);
    let l = &mut p.layout;
    r(&mut l.file_size_median);
    r(&mut l.file_size_sigma);
    r(&mut l.network_share);
    let f = &mut p.front_matter;
    for x in [&mut f.share, &mut f.toml, &mut f.yaml, &mut f.json] {
        r(x);
    }
    let m = &mut p.mix;
    for x in [
        &mut m.paragraph,
        &mut m.list,
        &mut m.code,
        &mut m.table,
        &mut m.blockquote,
        &mut m.definition_list,
        &mut m.html,
    ] {
        r(x);
    }
    let h = &mut p.headings;
    for x in [
        &mut h.per_kb,
        &mut h.explicit_id_share,
        &mut h.generic_share,
    ] {
        r(x);
    }
    let rf = &mut p.references;
    for x in [
        &mut rf.per_kb_min,
        &mut rf.per_kb_max,
        &mut rf.density_skew,
        &mut rf.list_multiplier,
        &mut rf.table_multiplier,
        &mut rf.hub_exponent,
        &mut rf.chain_share,
        &mut rf.collision_share,
        &mut rf.broken_share,
    ] {
        r(x);
    }
    let k = &mut rf.kinds;
    for x in [
        &mut k.wikilink,
        &mut k.wikilink_alias,
        &mut k.relative,
        &mut k.parent,
        &mut k.absolute,
        &mut k.path_anchor,
        &mut k.anchor,
        &mut k.directory,
        &mut k.id,
        &mut k.bref,
        &mut k.reference,
        &mut k.external,
        &mut k.autolink,
        &mut k.image,
    ] {
        r(x);
    }
    let t = &mut p.text;
    for x in [
        &mut t.inline_markup,
        &mut t.task_list_share,
        &mut t.ordered_list_share,
        &mut t.callout_share,
        &mut t.footnotes_per_kb,
        &mut t.paragraph_sigma,
    ] {
        r(x);
    }
}

fn kind_weights_mut(k: &mut crate::profile::Kinds) -> [&mut f64; 14] {
    [
        &mut k.wikilink,
        &mut k.wikilink_alias,
        &mut k.relative,
        &mut k.parent,
        &mut k.absolute,
        &mut k.path_anchor,
        &mut k.anchor,
        &mut k.directory,
        &mut k.id,
        &mut k.bref,
        &mut k.reference,
        &mut k.external,
        &mut k.autolink,
        &mut k.image,
    ]
}

fn mix_weights_mut(m: &mut crate::profile::Mix) -> [&mut f64; 6] {
    [
        &mut m.paragraph,
        &mut m.list,
        &mut m.code,
        &mut m.table,
        &mut m.blockquote,
        &mut m.definition_list,
    ]
}

/// The first guess: every key read directly off the statistics.
pub fn initial_profile(s: &Stats) -> Profile {
    let mut p = Profile {
        name: profile_name(&s.root),
        description: format!(
            "fitted by `noet-corpus stats --emit-profile` to {} ({} files, {})",
            Path::new(&s.root)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(&s.root),
            s.files,
            kbytes(s.bytes as f64)
        ),
        ..Profile::default()
    };
    let fs = &s.file_size;
    let l = &mut p.layout;
    l.file_size_median = (fs.p50 as f64).clamp(64.0, 1e9);
    l.file_size_sigma = fs.sigma.clamp(0.0, 4.0);
    l.file_size_min = fs.min.clamp(64, 1_000_000_000);
    l.file_size_max = fs.max.max(l.file_size_min).max(fs.p50 * 2);
    if s.layout.folders > 1 {
        l.files_per_folder = (s.layout.files_per_folder.round() as u64).clamp(1, 60_000);
        l.fanout = (s.layout.fanout.round() as u64).clamp(1, 1000);
        l.network_share = s.layout.index_share.clamp(0.0, 1.0);
    } else {
        // One folder: keep it one folder at the source's size; larger
        // corpora grow folders of the same size.
        l.files_per_folder = s.files.clamp(1, 60_000);
        l.network_share = 0.0;
    }
    let images = s.references.by_kind.get("image").map_or(0, |e| e.count);
    l.assets = images.clamp(1, 64);

    let f = &mut p.front_matter;
    let fm = &s.front_matter;
    f.share = fm.share;
    if fm.files > 0 {
        f.toml = fm.toml as f64;
        f.yaml = fm.yaml as f64;
        f.json = fm.json as f64;
        f.bids = fm.with_bid > 0;
        f.tags = fm.with_tags * 2 >= fm.files;
    } else {
        f.bids = false;
        f.tags = false;
    }

    let shares: Vec<f64> = MIX_BODY.iter().map(|&k| s.mix.kinds.0[k].1.share).collect();
    for (w, v) in mix_weights_mut(&mut p.mix).into_iter().zip(&shares) {
        *w = *v;
    }
    p.mix.paragraph = p.mix.paragraph.max(0.01);
    // Recorded for when raw HTML is rendered; until then calibration gives
    // its bytes to paragraphs.
    p.mix.html = s.mix.kinds.0[B_HTML].1.share;

    let h = &s.headings;
    p.headings.per_kb = h.per_kb.clamp(0.0, 50.0);
    let deepest = (0..6)
        .rev()
        .find(|&i| h.by_level[i] as f64 >= 0.01 * h.count as f64)
        .unwrap_or(1);
    p.headings.max_level = (deepest as u8 + 1).clamp(2, 6);
    p.headings.explicit_id_share = h.explicit_id_share;

    let r = &s.references;
    let rp = &mut p.references;
    if r.count == 0 {
        rp.per_kb_min = 0.0;
        rp.per_kb_max = 0.0;
    } else {
        let (a, b, skew) = fit_density(&r.per_file_per_kb);
        rp.per_kb_min = a;
        rp.per_kb_max = b;
        rp.density_skew = skew;
    }
    let blk = |name: &str| r.by_block.get(name).cloned().unwrap_or_default();
    let (para, list, table) = (blk("paragraph"), blk("list"), blk("table"));
    if para.per_kb_of_block > 0.0 {
        rp.list_multiplier = (list.per_kb_of_block / para.per_kb_of_block).clamp(0.0, 10.0);
        rp.table_multiplier = (table.per_kb_of_block / para.per_kb_of_block).clamp(0.0, 10.0);
    }
    rp.chain_share = 0.0;
    rp.collision_share = 0.0;
    rp.broken_share = ratio(s.graph.unresolved as f64, s.graph.internal as f64).clamp(0.0, 0.2);
    for (w, (_, e)) in kind_weights_mut(&mut rp.kinds)
        .into_iter()
        .zip(&r.by_kind.0)
    {
        *w = e.count as f64;
    }
    if !p.front_matter.bids {
        p.references.kinds.bref = 0.0;
    }

    let t = &mut p.text;
    let pg = &s.paragraphs;
    if pg.count > 0 {
        t.paragraph_words = (pg.words_median.round() as u64).clamp(4, 2000);
        t.wrap = if pg.lines_mean <= 1.3 {
            0
        } else {
            ((pg.line_bytes_p90 / 10.0).ceil() as u64 * 10).clamp(30, 10_000)
        };
        t.inline_markup = pg.inline_markup.clamp(0.0, 1.0);
        if pg.words_median > 0.0 && pg.words_p90 > pg.words_median {
            // p90 / median of a lognormal is e^(1.2816 sigma).
            t.paragraph_sigma = ((pg.words_p90 / pg.words_median).ln() / 1.2816).clamp(0.0, 2.0);
        }
    }
    let li = &s.lists;
    if li.all_lists > 0 {
        t.list_items_max = ((2.0 * li.items_mean - 2.0).round() as u64).clamp(2, 100);
        t.list_depth_max = (li.depth_p90.round() as u64).clamp(1, 8);
        if li.depth1_item_share < 0.95 {
            t.list_depth_max = t.list_depth_max.max(2);
        }
        t.ordered_list_share = li.ordered_share;
        t.task_list_share = li.task_share;
    }
    if s.code.blocks > 0 {
        t.code_lines_max = ((2.0 * s.code.lines_median - 1.0).round() as u64).clamp(1, 1000);
    }
    if s.tables.tables > 0 {
        t.table_rows_max = ((2.0 * s.tables.rows_mean - 1.0).round() as u64).clamp(1, 1000);
    }
    t.callout_share = s.blockquotes.callout_share;
    let prose_kb = (s.mix.kinds.0[B_PARA].1.bytes
        + s.mix.kinds.0[B_LIST].1.bytes
        + s.mix.kinds.0[B_QUOTE].1.bytes
        + s.mix.kinds.0[B_DL].1.bytes) as f64
        / 1024.0;
    t.footnotes_per_kb = ratio(r.footnote_refs as f64, prose_kb).clamp(0.0, 5.0);
    tidy(&mut p);
    p
}

/// Statistics of corpora generated in memory with one profile.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// All seeds measured as one tree (the graph is the first seed's).
    pub pooled: Stats,
    /// Each seed's corpus on its own.
    pub seeds: Vec<Stats>,
}

/// Generate `seeds` corpora of `size` bytes with `profile` in memory (seeds
/// 1, 2, ...) and measure them. `None` if the profile cannot make a corpus
/// of that size.
pub fn simulate(profile: &Profile, size: u64, seeds: u64) -> Option<Simulation> {
    let none = HashSet::new();
    let mut per_seed = Vec::new();
    let mut all_paths = Vec::new();
    let mut all = Vec::new();
    for seed in 0..seeds {
        let plan = Plan::new(Params::new(profile.clone(), size, seed + 1, None)).ok()?;
        let files: Vec<Source> = (0..plan.files)
            .into_par_iter()
            .map(|i| {
                let r = crate::render::render(&plan, i);
                Source {
                    path: r.meta.path,
                    bytes: r.bytes,
                }
            })
            .collect();
        let (paths, ms) = measure_sources(&files);
        per_seed.push(aggregate("simulated", &paths, &none, &ms));
        all_paths.extend(paths.into_iter().map(|p| format!("s{seed}/{p}")));
        all.extend(ms);
    }
    let mut pooled = aggregate("simulated", &all_paths, &none, &all);
    pooled.graph = per_seed.first()?.graph.clone();
    Some(Simulation {
        pooled,
        seeds: per_seed,
    })
}

/// The round-trip figures: (name, value, reachable) of everything issue 4
/// bounds, with the source deciding which mix kinds and reference kinds
/// count.
fn figures(source: &Stats, s: &Stats) -> Vec<(String, f64, bool)> {
    let mut out = Vec::new();
    for (k, name) in BLOCK_KINDS.iter().enumerate() {
        if source.mix.kinds.0[k].1.share > MIX_CHECK_MIN {
            out.push((
                format!("mix.{name}"),
                s.mix.kinds.0[k].1.share,
                reachable_kind(k),
            ));
        }
    }
    out.push(("references.per_kb".into(), s.references.per_kb, true));
    for (name, e) in &source.references.by_kind.0 {
        if e.share >= MAIN_KIND_MIN {
            out.push((
                format!("references.{name}.per_kb"),
                s.references.kind_per_kb(name),
                true,
            ));
        }
    }
    out.push(("headings.per_kb".into(), s.headings.per_kb, true));
    out.push(("file_size.p50".into(), s.file_size.p50 as f64, true));
    out.push(("file_size.sigma".into(), s.file_size.sigma, true));
    out
}

fn rel_err(source: f64, x: f64) -> f64 {
    if source != 0.0 {
        (x - source).abs() / source.abs()
    } else {
        x.abs()
    }
}

/// The round trip of `generated` corpora (one per seed) against `source`:
/// every figure issue 4 bounds, with the mean over the seeds, its error,
/// and the spread between seeds.
pub fn round_trip(source: &Stats, generated: &[Stats]) -> Vec<Check> {
    let want = figures(source, source);
    let got: Vec<Vec<(String, f64, bool)>> = generated.iter().map(|g| figures(source, g)).collect();
    want.into_iter()
        .enumerate()
        .map(|(i, (figure, s, reachable))| {
            let xs: Vec<f64> = got.iter().map(|g| g[i].1).collect();
            let n = xs.len().max(1) as f64;
            let mean = xs.iter().sum::<f64>() / n;
            let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
            Check {
                figure,
                source: s,
                generated: mean,
                error: rel_err(s, mean),
                spread: ratio(var.sqrt(), mean.abs()),
                within: xs
                    .iter()
                    .filter(|&&x| rel_err(s, x) <= ROUND_TRIP_BOUND)
                    .count() as f64
                    / n,
                reachable,
            }
        })
        .collect()
}

/// Block kinds the generator can write (others have no profile key that
/// renders them yet).
fn reachable_kind(k: usize) -> bool {
    !matches!(k, B_HTML | B_OTHER)
}

fn step(target: f64, achieved: f64) -> f64 {
    if achieved <= 0.0 {
        return 3.0;
    }
    (target / achieved).clamp(1.0 / 3.0, 3.0)
}

/// Fit a profile to `source`: read every key off the statistics, then
/// calibrate against this generator by generating corpora at the source's
/// size in memory, measuring them, and correcting the keys, for up to
/// `max_rounds` rounds (the best round is kept).
pub fn fit(source: &Stats, max_rounds: usize) -> Fit {
    let size = source.bytes.clamp(4096, 32 << 20);
    let seeds = (16u64 << 20).div_ceil(size).clamp(1, 12);
    let p0 = initial_profile(source);
    let mut knobs = Knobs {
        paragraph_words: p0.text.paragraph_words as f64,
        code_lines: p0.text.code_lines_max as f64,
        profile: p0,
    };
    // Kinds the generator cannot write: their bytes go to paragraphs, the
    // block that fills every file.
    let unreachable: f64 = (0..12)
        .filter(|&k| !reachable_kind(k))
        .map(|k| source.mix.kinds.0[k].1.share)
        .sum();
    let mix_target = |k: usize| {
        let s = source.mix.kinds.0[k].1.share;
        if k == B_PARA {
            s + unreachable
        } else {
            s
        }
    };
    let score = |c: &[Check]| {
        c.iter()
            .filter(|c| c.reachable)
            .map(|c| c.error)
            .fold(0.0, f64::max)
    };
    let mut best: Option<(f64, Profile, Vec<Check>)> = None;
    let mut rounds = 0;
    let mut failures = 0;
    while rounds < max_rounds.max(1) {
        let profile = knobs.apply();
        let Some(sim) = simulate(&profile, size, seeds) else {
            // Files too small for `gen` (at least 256 bytes on average):
            // make them larger and retry, a few times.
            failures += 1;
            if failures > 8 {
                break;
            }
            let l = &mut knobs.profile.layout;
            l.file_size_median = (l.file_size_median * 2.0).max(512.0);
            l.file_size_min = l.file_size_min.max(crate::plan::MIN_FILE_BYTES);
            l.file_size_max = l.file_size_max.max(4 * l.file_size_median as u64);
            continue;
        };
        rounds += 1;
        let checks = round_trip(source, &sim.seeds);
        let g = sim.pooled;
        let sc = score(&checks);
        if best.as_ref().is_none_or(|b| sc < b.0) {
            best = Some((sc, profile, checks));
        }
        if sc < 0.02 {
            break;
        }
        let p = &mut knobs.profile;
        // Mix.
        let mw = mix_weights_mut(&mut p.mix);
        for (w, &k) in mw.into_iter().zip(&MIX_BODY) {
            let t = mix_target(k);
            if t <= 0.0 {
                *w = 0.0;
            } else {
                *w *= step(t, g.mix.kinds.0[k].1.share);
            }
        }
        p.mix.paragraph = p.mix.paragraph.max(1e-3);
        let total: f64 = p.mix.weights().iter().sum();
        for w in mix_weights_mut(&mut p.mix) {
            *w /= total;
        }
        // Headings.
        p.headings.per_kb =
            (p.headings.per_kb * step(source.headings.per_kb, g.headings.per_kb)).clamp(0.0, 50.0);
        // References.
        let r = &mut p.references;
        if source.references.count > 0 {
            let f = step(source.references.per_kb, g.references.per_kb);
            r.per_kb_max = (r.per_kb_max * f).clamp(0.0, 40.0);
            r.per_kb_min = (r.per_kb_min * f).clamp(0.0, r.per_kb_max);
            for (w, ((_, se), (_, ge))) in kind_weights_mut(&mut r.kinds).into_iter().zip(
                source
                    .references
                    .by_kind
                    .0
                    .iter()
                    .zip(&g.references.by_kind.0),
            ) {
                if se.count == 0 {
                    *w = 0.0;
                } else {
                    *w = (*w * step(se.share, ge.share)).min(1e6);
                }
            }
            let blk =
                |s: &Stats, n: &str| s.references.by_block.get(n).cloned().unwrap_or_default();
            let (sp, gp) = (blk(source, "paragraph"), blk(&g, "paragraph"));
            for (name, m) in [
                ("list", &mut r.list_multiplier),
                ("table", &mut r.table_multiplier),
            ] {
                let (sb, gb) = (blk(source, name), blk(&g, name));
                if sb.count >= 10 && sp.count >= 10 && gp.per_kb_of_block > 0.0 {
                    let t = sb.per_kb_of_block / sp.per_kb_of_block;
                    let a = gb.per_kb_of_block / gp.per_kb_of_block;
                    *m = (*m * step(t, a)).clamp(0.0, 10.0);
                }
            }
            let (st, gt) = (source.graph.top10_share, g.graph.top10_share);
            if source.graph.resolved >= 30 && gt > 0.0 {
                r.hub_exponent = (r.hub_exponent + 1.5 * (st - gt)).clamp(0.0, 3.0);
            }
        }
        // File sizes.
        let l = &mut p.layout;
        l.file_size_median = (l.file_size_median
            * step(source.file_size.p50 as f64, g.file_size.p50 as f64))
        .clamp(64.0, 1e9);
        l.file_size_sigma =
            (l.file_size_sigma * step(source.file_size.sigma, g.file_size.sigma)).clamp(0.0, 4.0);
        // Text.
        if source.paragraphs.count > 0 && g.paragraphs.words_median > 0.0 {
            knobs.paragraph_words *=
                step(source.paragraphs.words_median, g.paragraphs.words_median);
        }
        if source.code.blocks > 0 && g.code.lines_median > 0.0 {
            knobs.code_lines *= step(source.code.lines_median, g.code.lines_median);
        }
    }
    let (_, profile, checks) = best.unwrap_or_else(|| {
        let p = knobs.apply();
        (f64::MAX, p, Vec::new())
    });
    let toml = profile_toml(source, &profile, &checks, rounds, seeds, size);
    Fit {
        profile,
        toml,
        checks,
        rounds,
        seeds,
        simulated_bytes: size,
    }
}

/// The fitted profile as TOML, with a comment header.
fn profile_toml(
    source: &Stats,
    profile: &Profile,
    checks: &[Check],
    rounds: usize,
    seeds: u64,
    size: u64,
) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "# Fitted by `noet-corpus stats --emit-profile` (noet-corpus {}, corpus format {})",
        env!("CARGO_PKG_VERSION"),
        crate::plan::FORMAT_VERSION
    );
    let _ = writeln!(
        h,
        "# from {}: {} markdown files, {} bytes.",
        source.root, source.files, source.bytes
    );
    let mix: Vec<String> = source
        .mix
        .kinds
        .0
        .iter()
        .filter(|(_, e)| e.share >= 0.005)
        .map(|(k, e)| format!("{k} {}", pct(e.share)))
        .collect();
    let _ = writeln!(h, "# Source mix: {}.", mix.join(", "));
    let kinds: Vec<String> = source
        .references
        .by_kind
        .0
        .iter()
        .filter(|(_, e)| e.count > 0)
        .map(|(k, e)| format!("{k} {:.3}", e.per_kb))
        .collect();
    let _ = writeln!(
        h,
        "# Source figures: median file {} B (ln sigma {:.2}); {:.2} headings/KB; {:.3} references/KB ({}).",
        source.file_size.p50,
        source.file_size.sigma,
        source.headings.per_kb,
        source.references.per_kb,
        if kinds.is_empty() {
            "none".to_string()
        } else {
            kinds.join(", ")
        }
    );
    if rounds == 0 {
        let _ = writeln!(
            h,
            "# Not calibrated: `gen` cannot make files this small (it needs 256 bytes per file on average)."
        );
    }
    let _ = writeln!(
        h,
        "# Calibrated in {rounds} round(s) on {seeds} seed(s) of {size} bytes. `gen --size {}` with",
        source.bytes
    );
    let _ = writeln!(
        h,
        "# this profile is expected to measure (source -> generated, relative error):"
    );
    for c in checks {
        let _ = writeln!(
            h,
            "#   {:<28} {:>10.4} -> {:>10.4}  {:>5.1}%{}",
            c.figure,
            c.source,
            c.generated,
            100.0 * c.error,
            if c.reachable {
                ""
            } else {
                "  (recorded in mix.html; not rendered yet)"
            }
        );
    }
    let unreachable: Vec<String> = (0..12)
        .filter(|&k| !reachable_kind(k) && source.mix.kinds.0[k].1.share >= 0.005)
        .map(|k| format!("{} {}", BLOCK_KINDS[k], pct(source.mix.kinds.0[k].1.share)))
        .collect();
    if !unreachable.is_empty() {
        let _ = writeln!(
            h,
            "# Recorded below but not rendered by this generator yet (calibration gives their bytes to paragraphs): {}.",
            unreachable.join(", ")
        );
    }
    h.push('\n');
    h.push_str(&profile.to_toml());
    h
}

/// The predicted round trip as text (what `stats --emit-profile` prints).
pub fn fit_report(f: &Fit) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "fitted profile `{}`: {} calibration round(s), {} seed(s) of {} bytes each",
        f.profile.name, f.rounds, f.seeds, f.simulated_bytes
    );
    let _ = writeln!(
        o,
        "  {:<30}{:>12}{:>12}{:>8}{:>9}{:>10}",
        "figure", "source", "generated", "error", "seed sd", "in 15%"
    );
    for c in &f.checks {
        let _ = writeln!(
            o,
            "  {:<30}{:>12.4}{:>12.4}{:>7.1}%{:>8.1}%{:>9.0}%{}",
            c.figure,
            c.source,
            c.generated,
            100.0 * c.error,
            100.0 * c.spread,
            100.0 * c.within,
            if !c.reachable {
                "  not generated yet"
            } else if c.error > ROUND_TRIP_BOUND {
                "  OUTSIDE 15%"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        o,
        "  (generated: mean over the seeds at the source's size; seed sd: spread between seeds; in 15%: share of seeds within the bound)"
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_destinations_map_to_profile_kinds() {
        let k = |d: &str| kind_names()[classify_inline(d)];
        assert_eq!(k("https://x.org/a"), "external");
        assert_eq!(k("mailto:a@b.c"), "external");
        assert_eq!(k("id:doc"), "id");
        assert_eq!(k("bref://0123456789ab"), "bref");
        assert_eq!(k("#sec"), "anchor");
        assert_eq!(k("../x.md#sec"), "path_anchor");
        assert_eq!(k("sub/"), "directory");
        assert_eq!(k("/a/b.md"), "absolute");
        assert_eq!(k("../b.md"), "parent");
        assert_eq!(k("./b.md"), "relative");
        assert_eq!(k("b"), "relative");
    }

    #[test]
    fn paths_resolve_like_a_browser() {
        assert_eq!(join_path("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join_path("a/b", "/c.md").as_deref(), Some("c.md"));
        assert_eq!(join_path("", "../c.md"), None);
        let Some(Dest::Paths(c)) = path_dest("a", "x.html#frag") else {
            panic!()
        };
        assert_eq!(c[..2], ["a/x.html".to_string(), "a/x.md".to_string()]);
        let Some(Dest::Paths(c)) = path_dest("a", "sub%20dir/") else {
            panic!()
        };
        assert_eq!(c[0], "a/sub dir/index.md");
        assert_eq!(path_dest("a", "#only"), None);
        assert_eq!(title_key("Some_Page-name.md"), "some page name");
    }

    #[test]
    fn reference_definitions_are_recognised() {
        assert!(is_ref_def("[a]: b"));
        assert!(is_ref_def("  [a b]: <b> \"t\""));
        assert!(!is_ref_def("[a] b"));
        assert!(!is_ref_def("[]: b"));
        assert!(!is_ref_def("text [a]: b"));
    }

    #[test]
    fn density_fit_recovers_the_generator_law() {
        // Quantiles of min + (max - min) * u^skew.
        for (a, b, s) in [(5.0, 20.0, 2.0), (0.0, 1.2, 2.2), (0.4, 3.0, 1.0)] {
            let q = |p: f64| a + (b - a) * f64::powf(p, s);
            let (fa, fb, fs) = fit_density(&Quantiles {
                min: a,
                p10: q(0.1),
                p50: q(0.5),
                p90: q(0.9),
                max: b,
                mean: 0.0,
            });
            assert!((fa - a).abs() < 1e-6 && (fb - b).abs() < 1e-6 && (fs - s).abs() < 1e-6);
        }
        // Half the files without references: the law goes through 0.
        let (a, _, s) = fit_density(&Quantiles {
            p10: 0.0,
            p50: 0.0,
            p90: 0.7,
            ..Default::default()
        });
        assert_eq!((a, s), (0.0, 10.0));
    }

    #[test]
    fn histogram_quantiles_are_nearest_rank() {
        let mut h = Hist::default();
        for v in [1, 2, 3, 4, 100] {
            h.add(v);
        }
        assert_eq!(h.q(0.5), 3.0);
        assert_eq!(h.q(0.9), 100.0);
        assert_eq!(h.q(0.1), 1.0);
        assert_eq!(h.mean(), 22.0);
        assert_eq!(h.max(), 100);
    }
}

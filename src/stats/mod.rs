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
//! - **Text**: the words of prose (paragraphs, headings, list items, table
//!   cells; no code, HTML, URLs or front matter), `[a-z]+('[a-z]+)*` after
//!   lowercasing, and the vocabulary's growth with files read in the order
//!   of BLAKE3 of their relative paths (see `text.rs`).
//! - **Graph**: path destinations (and wikilinks, `id:` and `bref://`) are
//!   resolved to the markdown files of the tree; edges are distinct
//!   (source, target) pairs between different files.
//!
//! 1 KB is 1024 bytes. Hidden files and folders are skipped.

use crate::record::LinkKind;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::path::PathBuf;

mod aggregate;
mod dest;
mod fit;
mod graph;
mod hist;
mod initial;
mod measure;
mod report;
mod text;
mod tree;
mod vocab;

pub use fit::{
    fit, fit_report, round_trip, simulate, Check, Fit, Simulation, MAIN_KIND_MIN, MIX_CHECK_MIN,
    ROUND_TRIP_BOUND,
};
pub use initial::initial_profile;
pub use report::report;
pub use text::FUNCTION_WORDS;
pub use tree::{stats_dir, stats_sources, Source};

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

/// Can `stats` tell references of kind `k` apart? Not yet the
/// Obsidian-only forms: a `[[Page#Heading]]` counts as a wikilink.
fn measured(k: LinkKind) -> bool {
    !k.obsidian_only()
}

/// Named values that serialise as a JSON object in a fixed key order.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T>(pub Vec<(String, T)>);

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

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
    /// Words of prose and the vocabulary.
    pub text: TextStats,
    /// Image files beside the markdown (on disk only; 0 for markdown
    /// measured in memory).
    pub images: ImageStats,
}

/// Image files (`.png`, `.svg`, `.jpg`, `.jpeg`, `.gif`, `.webp`) in the
/// tree, whether or not a page links to them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImageStats {
    /// How many.
    pub files: u64,
    /// Median size in bytes.
    pub bytes_median: f64,
    /// Lognormal sigma of their sizes (ln p90/p50 / 1.2816).
    pub bytes_sigma: f64,
    /// Share of them that are SVG.
    pub svg_share: f64,
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
    /// `[label]: dest` definitions.
    pub definitions: u64,
    /// Share of `[label]` references (any of the three reference forms)
    /// whose definition points at an external URL.
    pub definition_external_share: f64,
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
    /// Fenced blocks only, by language.
    pub fenced: FencedStats,
}

/// Fenced code blocks (at any depth), by language.
#[derive(Debug, Clone, Serialize)]
pub struct FencedStats {
    /// Fenced blocks.
    pub blocks: u64,
    /// Per 1024 bytes of markdown.
    pub per_kb: f64,
    /// Median lines of all fenced blocks (nearest rank).
    pub lines_p50: f64,
    /// 90th percentile of lines of all fenced blocks.
    pub lines_p90: f64,
    /// Every language, most blocks first (ties by name): the info string's
    /// first word, lowercased and cut at `,` or `{`; `none` when empty.
    pub languages: Named<FenceLanguage>,
}

/// One language's fenced blocks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FenceLanguage {
    /// Blocks.
    pub blocks: u64,
    /// Median lines (nearest rank; an empty block counts one line, as in
    /// [`CodeStats`]).
    pub lines_p50: f64,
    /// 90th percentile of lines.
    pub lines_p90: f64,
    /// Share of the blocks that parse with the language's own parser, for
    /// the languages [`crate::code::parses`] checks in process (json,
    /// toml, yaml, rust); `None` for the others.
    pub parse_share: Option<f64>,
}

/// Words of prose: the inline text of paragraphs, headings, list items and
/// table cells, without code, HTML, image descriptions, URLs or front
/// matter (link text is prose). A word is `[a-z]+('[a-z]+)*` after
/// lowercasing, so `don't` is one word and `cache_node` two.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TextStats {
    /// Words.
    pub words: u64,
    /// Distinct words.
    pub distinct: u64,
    /// Distinct words once 0.25 MB (262,144 bytes) of markdown is read, files
    /// in the shuffled order (BLAKE3 of the relative path), counted after the
    /// file that reaches it. `None` when the tree is smaller.
    pub distinct_at_quarter_mb: Option<u64>,
    /// The same at 1 MB (1,048,576 bytes).
    pub distinct_at_1mb: Option<u64>,
    /// Heaps exponent: least-squares slope of ln(distinct words) on
    /// ln(words) over the checkpoints. `None` under three checkpoints.
    pub heaps_exponent: Option<f64>,
    /// Checkpoints of the Heaps fit: in the shuffled order, after the first
    /// file that brings the words read to 1,000, 2,000, 4,000, ... (one
    /// point per file however many doublings it crosses).
    pub heaps_checkpoints: u64,
    /// Share of distinct words seen exactly once (hapax legomena).
    pub hapax_share: f64,
    /// Mean letters per word (apostrophes not counted).
    pub word_length_mean: f64,
    /// Share of words in the function-word list: the a an of to in is and
    /// that for it with be this you on as are can by or not from at if your
    /// we.
    pub function_word_share: f64,
    /// Share of words that are "the".
    pub the_share: f64,
    /// Share of words that are one of the ten most frequent.
    pub top10_share: f64,
    /// The ten most frequent words with their counts, most frequent first
    /// (ties by word).
    pub top_words: Named<u64>,
    /// Words per sentence: each block's prose split at ". " and at its end;
    /// pieces without a word are not sentences.
    pub sentences: SentenceStats,
    /// ASCII punctuation characters in prose per 100 words (apostrophes
    /// inside words included).
    pub punctuation_per_100_words: f64,
    /// Commas in prose per 100 words.
    pub commas_per_100_words: f64,
}

/// Words per sentence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SentenceStats {
    /// Sentences.
    pub count: u64,
    /// 10th percentile of words (nearest rank).
    pub p10: f64,
    /// Median words.
    pub p50: f64,
    /// 90th percentile of words.
    pub p90: f64,
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
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why, kept so that a caller can tell `NotFound` from a full disk.
        #[source]
        source: std::io::Error,
    },
    /// No markdown at all.
    #[error("{0} holds no markdown files (.md or .markdown)")]
    Empty(PathBuf),
}

impl StatsError {
    /// A read that failed is the system's; the rest is the request's.
    pub fn class(&self) -> crate::error::ErrorClass {
        match self {
            StatsError::Io { .. } => crate::error::ErrorClass::Runtime,
            _ => crate::error::ErrorClass::Input,
        }
    }
}

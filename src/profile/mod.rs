//! Profiles: the TOML description of what a corpus looks like.
//!
//! Every key has a default (the `default` profile's value), so a profile
//! file only states what differs. Unknown keys and bad values are errors that
//! name the file, the line and the key. docs/PROFILES.md documents each key.

use crate::dialect::Dialect;
use crate::record::{BlockKind, LinkKind};
use crate::site::Site;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod check;
mod defaults;
mod load;
mod weights;
use check::one_line_toml_error;
pub(crate) use load::INPUT_LIMIT;
pub use weights::{Kinds, Mix};

/// Built-in profiles, embedded at compile time from `profiles/*.toml`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../profiles/default.toml")),
    ("tiny", include_str!("../../profiles/tiny.toml")),
    ("realistic", include_str!("../../profiles/realistic.toml")),
    ("book", include_str!("../../profiles/book.toml")),
    ("vault", include_str!("../../profiles/vault.toml")),
    ("code-heavy", include_str!("../../profiles/code-heavy.toml")),
    ("mdn-like", include_str!("../../profiles/mdn-like.toml")),
];

/// A complete corpus profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Profile {
    /// Short name, reported in the manifest and the default output folder.
    pub name: String,
    /// One line saying what the profile imitates.
    pub description: String,
    /// The markdown dialect written and whose rules the ground truth follows:
    /// `noet` (default), `obsidian` or `gfm`.
    #[serde(skip_serializing_if = "Dialect::is_noet")]
    pub dialect: Dialect,
    /// A static site generator whose project the corpus is laid out as
    /// (`mdbook`, `mkdocs`; see [`crate::site`]), in the `gfm` dialect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
    /// Files, folders and networks.
    pub layout: Layout,
    /// Front matter blocks.
    pub front_matter: FrontMatter,
    /// Byte shares of body block kinds.
    pub mix: Mix,
    /// Heading density and shape.
    pub headings: Headings,
    /// Reference density, kinds and graph shape.
    pub references: References,
    /// Words, sentences, lists, code and tables.
    pub text: Text,
    /// How revision r+1 differs from revision r (`gen --revision`,
    /// `edit`). Left out of a profile's serialised form while it has its
    /// defaults, so that revision 0 keeps the key it always had.
    #[serde(default, skip_serializing_if = "Revisions::is_default")]
    pub revisions: Revisions,
}

/// Edit histories: how many edits a revision makes, where, and of which
/// kinds (each kind's relative weight).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Revisions {
    /// Mean edits per revision (each revision makes 1 to 2x this - 1).
    pub edits_per_revision: f64,
    /// Zipf exponent of the file an edit touches, by rank: real edit
    /// streams are local, a few hot files taking most edits (0 = uniform).
    pub hot_exponent: f64,
    /// Rewrite a paragraph in place.
    pub paragraph: f64,
    /// Add a reference to another file at the end of a paragraph.
    pub add_reference: f64,
    /// Remove a reference, leaving its text.
    pub remove_reference: f64,
    /// Give a section heading new text (and so a new id): references to
    /// its anchor break.
    pub rename_heading: f64,
    /// Add a file.
    pub add_file: f64,
    /// Delete a file: references to it break.
    pub delete_file: f64,
    /// Rename a file within its folder: references by path break, those
    /// by title, id or bref follow it.
    pub move_file: f64,
    /// Give a file's front matter a new title or id: references by it
    /// (wikilinks by title, `id:` links) follow it or break.
    pub front_matter: f64,
    /// Move a section, with all under it, to the end of another file in
    /// its folder: references to its headings follow it or break.
    pub move_section: f64,
    /// Share of the references to a renamed heading or file that are
    /// edited to follow it (their files change); the rest break (their
    /// files are affected).
    pub follow_share: f64,
}

impl Revisions {
    /// Whether every value is the default.
    pub fn is_default(&self) -> bool {
        *self == Revisions::default()
    }
}

/// File sizes, folder tree and networks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Layout {
    /// Median file size in bytes (the lognormal's e^mu).
    pub file_size_median: f64,
    /// Lognormal sigma of file sizes (spread; 0 = all files the same size).
    pub file_size_sigma: f64,
    /// Smallest file size in bytes before scaling to the requested total.
    pub file_size_min: u64,
    /// Largest file size in bytes before scaling to the requested total.
    pub file_size_max: u64,
    /// Files per folder (the last folder holds the rest).
    pub files_per_folder: u64,
    /// Subfolders per folder (the tree's branching factor).
    pub fanout: u64,
    /// Share of folders (other than the root) that are networks: they get an
    /// `index.md` with a network id. The root is always a network.
    pub network_share: f64,
    /// Number of image asset files under `assets/`.
    pub assets: u64,
    /// Share of files that are stub pages: front matter, a title and a line,
    /// between 128 bytes and `stub_bytes_max`, left out of the size scaling.
    #[serde(skip_serializing_if = "is_zero")]
    pub stub_share: f64,
    /// Largest stub page in bytes.
    #[serde(skip_serializing_if = "is_default_stub_bytes")]
    pub stub_bytes_max: u64,
    /// Median image asset size in bytes (the lognormal's e^mu).
    #[serde(skip_serializing_if = "is_default_asset_bytes_median")]
    pub asset_bytes_median: f64,
    /// Lognormal sigma of image asset sizes (0 = all the same size).
    #[serde(skip_serializing_if = "is_default_asset_bytes_sigma")]
    pub asset_bytes_sigma: f64,
    /// Share of image assets that are SVG; the rest are PNG.
    #[serde(skip_serializing_if = "is_default_svg_share")]
    pub svg_share: f64,
}

/// Front matter written at the top of documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FrontMatter {
    /// Share of ordinary documents with front matter (index files always have it).
    pub share: f64,
    /// Relative weight of TOML front matter.
    pub toml: f64,
    /// Relative weight of YAML front matter.
    pub yaml: f64,
    /// Relative weight of JSON front matter.
    pub json: f64,
    /// Write a deterministic `bid` (UUID) per document; enables `bref://` links.
    pub bids: bool,
    /// Write a `tags` list.
    pub tags: bool,
    /// Share of ordinary documents (with front matter, in no deliberate
    /// collision) that list their title under `aliases`, as vault notes
    /// named `cache_eviction.md` do; half the wikilinks to such a note name
    /// it by its alias (`[[Cache Eviction]]`) where the dialect resolves
    /// aliases (obsidian; noet finds a note by its title anyway).
    #[serde(skip_serializing_if = "is_zero")]
    pub alias_share: f64,
    /// Mean number of typed properties per front matter (dates, numbers,
    /// booleans, strings, lists: `created`, `priority`, `draft`, ...).
    #[serde(skip_serializing_if = "is_zero")]
    pub properties: f64,
}

/// Headings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Headings {
    /// Headings per 1024 bytes, the document's H1 included.
    pub per_kb: f64,
    /// Deepest heading level used (2..=6).
    pub max_level: u8,
    /// Share of headings with an explicit `{#id}`.
    pub explicit_id_share: f64,
    /// Share of headings with a generic title ("Overview", "Examples", ...),
    /// which repeat across files and collide in a network's id namespace.
    pub generic_share: f64,
    /// Share of the other headings that name an API in inline code, as
    /// references do (`` `cache.evict(policy)` ``, `` `new Pool(origin)` ``):
    /// longer than composed titles. Not in the obsidian dialect, whose
    /// heading links repeat the heading's text.
    #[serde(skip_serializing_if = "is_zero")]
    pub code_share: f64,
}

/// References: how many, of which kinds, and to what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct References {
    /// Lowest per-file density, references per 1024 bytes.
    pub per_kb_min: f64,
    /// Highest per-file density, references per 1024 bytes.
    pub per_kb_max: f64,
    /// Skew of per-file density: density = min + (max - min) * u^skew;
    /// 1 is uniform, larger values make dense files rarer.
    pub density_skew: f64,
    /// Density multiplier inside list items (relative to paragraphs).
    pub list_multiplier: f64,
    /// Density multiplier inside table cells (relative to paragraphs).
    pub table_multiplier: f64,
    /// Zipf exponent of target popularity: larger values make bigger hubs.
    pub hub_exponent: f64,
    /// Share of files that are part of a reference chain A -> B -> C -> ...
    pub chain_share: f64,
    /// Files per chain.
    pub chain_length: u64,
    /// Share of documents whose title and id deliberately duplicate another
    /// document's in the same network.
    pub collision_share: f64,
    /// Share of references that are deliberate negatives (broken on purpose).
    pub broken_share: f64,
    /// Share of `[label]: dest` definitions that point at an external URL
    /// (the others point at a page of the corpus).
    pub definition_external: f64,
    /// Chance that a `[label]` reference uses a label defined earlier in
    /// its file again (API references define a label once and use it many
    /// times), instead of a new label with its own definition.
    pub definition_reuse: f64,
    /// Share of ordinary documents that no reference targets (real docs
    /// leave 35-63% of pages without an inbound link). Index files are
    /// never orphans.
    #[serde(skip_serializing_if = "is_zero")]
    pub orphan_share: f64,
    /// Constructs to leave out, each on its own, so that a tool with a
    /// known bug can still be measured while the bug is open (see
    /// [`AVOIDABLE`]); each such reference becomes an external link.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avoid: Vec<String>,
    /// `--site hugo` only: share of the path references that resolve
    /// (relative, parent, path anchor) written as Hugo's `relref`
    /// shortcode, `[text]({{< relref "PATH" >}})`, instead of a plain
    /// relative link; no other site or dialect reads shortcodes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub shortcode_share: f64,
    /// Make small corpora contain every kind: file N's first reference is
    /// of the N-th kind with a positive weight (cycling), and its second,
    /// for every fourth file, a deliberate negative.
    pub cover_kinds: bool,
    /// Relative weights of the reference kinds.
    pub kinds: Kinds,
}

/// Text shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Text {
    /// Zipf exponent of the title and heading vocabulary's frequencies.
    pub word_exponent: f64,
    /// Zipf-Mandelbrot exponent of prose nouns over the lexicon's first
    /// `lexicon_head` ranks.
    pub lexicon_exponent: f64,
    /// Exponent of the lexicon's unbounded tail beyond `lexicon_head`: lower
    /// means more distinct words, growing faster with size.
    pub lexicon_tail_exponent: f64,
    /// Ranks drawn with `lexicon_exponent` before the tail starts.
    pub lexicon_head: u64,
    /// How freely sentences take optional function-word constructions
    /// (prepositional phrases, pronoun subjects, determiners on plurals):
    /// 1 is the grammar's own rate, higher gives more function words and
    /// shorter mean word length.
    pub function_words: f64,
    /// Median words per paragraph.
    pub paragraph_words: u64,
    /// Wrap prose at this column (0 = one line per paragraph).
    pub wrap: u64,
    /// Share of words with inline emphasis, strong or code.
    pub inline_markup: f64,
    /// Items per list, at most.
    pub list_items_max: u64,
    /// Deepest list nesting (1 = flat).
    pub list_depth_max: u64,
    /// Share of lists that are task lists.
    pub task_list_share: f64,
    /// Share of lists that are ordered.
    pub ordered_list_share: f64,
    /// Lines per code block, at most: a hard cap on the lognormal draw.
    pub code_lines_max: u64,
    /// Median lines per code block (lengths are lognormal in lines).
    pub code_lines_median: f64,
    /// Lognormal sigma of code block lengths in lines (p90 is the median
    /// times e^(1.2816 sigma)).
    pub code_lines_sigma: f64,
    /// Rows per table, at most.
    pub table_rows_max: u64,
    /// Share of blockquotes that are GFM callouts (`> [!NOTE]`).
    pub callout_share: f64,
    /// Footnotes per 1024 bytes.
    pub footnotes_per_kb: f64,
    /// Lognormal sigma of paragraph lengths in words (lengths are clamped to
    /// 4 ..= 6 x `paragraph_words`).
    #[serde(skip_serializing_if = "is_default_paragraph_sigma")]
    pub paragraph_sigma: f64,
    /// Inline `#tags` per 1024 bytes of paragraphs, each at the end of a
    /// paragraph (`#cache` or nested `#cache/eviction`), as vaults tag
    /// notes in their text.
    #[serde(skip_serializing_if = "is_zero")]
    pub tags_per_kb: f64,
    /// Extra words drawn per prose word, on average, the longest kept
    /// (0 = the lexicon's own lengths; 1.5 = the longest of two or three):
    /// technical docs lean on long terms (`connection`, `dispatcher`) more
    /// than the lexicon's frequencies say.
    #[serde(skip_serializing_if = "is_zero")]
    pub long_words: f64,
}

impl Profile {
    /// This profile written in dialect `d`: each reference kind `d` cannot
    /// write hands its weight to the nearest form it can (a wikilink becomes
    /// a relative path in `gfm`, a path anchor a heading wikilink in
    /// `obsidian`, ...), definition lists become paragraphs and explicit
    /// heading ids are dropped where the dialect has none. The density and
    /// the rest of the shape are kept.
    pub fn with_dialect(mut self, d: Dialect) -> Profile {
        use LinkKind::*;
        // Applied even when `d` is the profile's own dialect: a profile
        // that names a dialect but weighs forms it lacks is converted too.
        self.dialect = d;
        let moves: &[(LinkKind, LinkKind)] = match d {
            Dialect::Noet => &[
                (WikilinkHeading, PathAnchor),
                (WikilinkBlock, Bref),
                (Embed, Image),
            ],
            Dialect::Obsidian => &[
                (Absolute, Wikilink),
                (PathAnchor, WikilinkHeading),
                (Anchor, WikilinkHeading),
                (Directory, Wikilink),
                (Id, Wikilink),
                (Bref, WikilinkBlock),
            ],
            Dialect::Gfm => &[
                (Wikilink, Relative),
                (WikilinkAlias, Relative),
                (WikilinkHeading, PathAnchor),
                (WikilinkBlock, PathAnchor),
                (Embed, Image),
                (Id, Relative),
                (Bref, Relative),
                (Directory, Relative),
            ],
        };
        let w = &mut self.references.kinds;
        for &(from, to) in moves {
            w[to] += w[from];
            w[from] = 0.0;
        }
        if d == Dialect::Obsidian {
            // Vaults embed their images: half of the images become embeds.
            w[Embed] += w[Image] / 2.0;
            w[Image] /= 2.0;
        }
        if !d.definition_lists() {
            let m = &mut self.mix;
            m[BlockKind::Paragraph] += m[BlockKind::DefinitionList];
            m[BlockKind::DefinitionList] = 0.0;
        }
        if !d.heading_attributes() {
            self.headings.explicit_id_share = 0.0;
        }

        self
    }

    /// This profile laid out as `site`'s project: in the `gfm` dialect
    /// ([`Profile::with_dialect`]), with root-absolute paths (which neither
    /// tool resolves to a page) given to relative ones.
    pub fn with_site(self, site: Site) -> Profile {
        let mut p = self.with_dialect(Dialect::Gfm);
        p.site = Some(site);
        let w = &mut p.references.kinds;
        w[LinkKind::Relative] += w[LinkKind::Absolute];
        w[LinkKind::Absolute] = 0.0;
        p
    }
}

/// The constructs `references.avoid` can leave out: a root-absolute path
/// (`/x/page.md`), a same-file `#anchor` in an `index.md`, a link to a
/// section of its own file, a link to the `index.md` of its own network.
pub const AVOIDABLE: [&str; 4] = ["root_absolute", "index_anchor", "own_section", "own_index"];

/// Default of `layout.stub_bytes_max`.
pub const DEFAULT_STUB_BYTES: u64 = 500;
/// Default of `layout.asset_bytes_median`: a documentation screenshot or
/// diagram is tens of kilobytes.
pub const DEFAULT_ASSET_BYTES_MEDIAN: f64 = 20_000.0;
/// Default of `layout.asset_bytes_sigma`.
pub const DEFAULT_ASSET_BYTES_SIGMA: f64 = 1.0;
/// Default of `layout.svg_share`.
pub const DEFAULT_SVG_SHARE: f64 = 0.3;
/// Smallest image asset in bytes: drawn sizes are clamped to
/// `ASSET_BYTES_MIN..=ASSET_BYTES_MAX`, and `asset_bytes_median` must lie
/// in that range. Below this a PNG's fixed chunks are most of the file.
pub const ASSET_BYTES_MIN: u64 = 256;
/// Largest image asset in bytes (a big uncompressed screenshot).
pub const ASSET_BYTES_MAX: u64 = 5_000_000;
/// Default of `text.paragraph_sigma` (the spread the renderer uses).
pub const DEFAULT_PARAGRAPH_SIGMA: f64 = 0.5;

// Keys added after format 1 are left out of the serialised profile while
// they hold their default, so manifests and cache keys of existing profiles
// stay byte-identical.
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}
fn is_default_stub_bytes(x: &u64) -> bool {
    *x == DEFAULT_STUB_BYTES
}
fn is_default_asset_bytes_median(x: &f64) -> bool {
    *x == DEFAULT_ASSET_BYTES_MEDIAN
}
fn is_default_asset_bytes_sigma(x: &f64) -> bool {
    *x == DEFAULT_ASSET_BYTES_SIGMA
}
fn is_default_svg_share(x: &f64) -> bool {
    *x == DEFAULT_SVG_SHARE
}
fn is_default_paragraph_sigma(x: &f64) -> bool {
    *x == DEFAULT_PARAGRAPH_SIGMA
}

/// `s` with every character a profile name may not hold (anything but
/// ASCII letters, digits, `-`, `_`) replaced by `-`.
pub fn name_chars(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A profile that failed to load, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// Neither a built-in name nor a readable file.
    #[error("profile `{name}` is not a built-in profile ({builtins}) and no file by that name exists{hint}; pass a built-in name or a path to a .toml file")]
    NotFound {
        /// What the user passed.
        name: String,
        /// The built-in names.
        builtins: String,
        /// `; did you mean `default`?` when a built-in name is close, else
        /// empty.
        hint: String,
    },
    /// The file could not be read.
    #[error("cannot read profile {path}: {reason}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
        /// The failed read, when a read failed (not for a folder or text
        /// that is not UTF-8).
        #[source]
        source: Option<crate::bounded::BoundedError>,
    },
    /// TOML syntax, an unknown key or a wrong type.
    #[error("{origin}: {message}")]
    Parse {
        /// File name or `built-in NAME`.
        origin: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A value outside its allowed range.
    #[error("{origin}:{line}: `{key}` {problem}")]
    Invalid {
        /// File name or `built-in NAME`.
        origin: String,
        /// 1-based line of the key, or 0 when it was defaulted.
        line: usize,
        /// Dotted key path.
        key: String,
        /// What is wrong and what is allowed.
        problem: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load() {
        for name in Profile::builtin_names() {
            let p = Profile::load(name).unwrap();
            assert_eq!(p.name, name);
        }
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let e = Profile::from_toml("name = \"x\"\n[mix]\nprose = 0.5\n", "p.toml").unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("p.toml") && s.contains("line 3") && s.contains("prose"),
            "{s}"
        );
    }

    #[test]
    fn bad_value_names_line_and_key() {
        let e = Profile::from_toml(
            "name = \"x\"\n\n[layout]\nfile_size_min = 5000\nfile_size_max = 10\n",
            "p.toml",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string().split(':').take(2).collect::<Vec<_>>(),
            ["p.toml", "4"]
        );
        assert!(e.to_string().contains("layout.file_size_min"));
        let e = Profile::from_toml(
            "name = \"x\"\n[references.kinds]\nwikilink = -1.0\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("p.toml:3: `references.kinds.wikilink`"),
            "{e}"
        );
        let e = Profile::from_toml("name = \"x\"\n[mix]\ncode = nan\n", "p.toml").unwrap_err();
        assert!(e.to_string().contains("mix.code"), "{e}");
    }

    #[test]
    fn wrong_type_is_reported() {
        let e = Profile::from_toml("[layout]\nfanout = \"four\"\n", "p.toml").unwrap_err();
        assert!(
            e.to_string().contains("line 2") && e.to_string().contains("layout.fanout"),
            "{e}"
        );
    }

    #[test]
    fn reserved_keys_stay_out_of_default_output() {
        let p = Profile::load("default").unwrap();
        let t = p.to_toml();
        for k in ["stub_share", "stub_bytes_max", "html", "paragraph_sigma"] {
            assert!(!t.contains(k), "{k} in {t}");
        }
        let q = Profile::from_toml(
            "name = \"x\"\n[mix]\nhtml = 0.05\n[layout]\nstub_share = 0.1\n[text]\nparagraph_sigma = 0.7\n",
            "p.toml",
        )
        .unwrap();
        assert_eq!(Profile::from_toml(&q.to_toml(), "x").unwrap(), q);
        // Setting the reserved html weight moves none of the others.
        for (k, w) in q.mix.iter() {
            if k != BlockKind::Html {
                assert_eq!(*w, p.mix[k], "{k:?}");
            }
        }
        let e = Profile::from_toml("[text]\nparagraph_sigma = 3.0\n", "p.toml").unwrap_err();
        assert!(e.to_string().contains("text.paragraph_sigma"), "{e}");
    }

    #[test]
    fn canonical_toml_round_trips() {
        let p = Profile::load("default").unwrap();
        let again = Profile::from_toml(&p.to_toml(), "x").unwrap();
        assert_eq!(p, again);
    }
}

//! The shared vocabulary: the records that the generator writes, the
//! manifest stores and the validator checks (reference kinds and events,
//! link and heading ground truth, block counts, front-matter formats), and
//! the few rules they share (a bid's `bref`, how a path joins onto a
//! folder). It imports nothing of the crate but [`crate::dialect`], so every
//! layer above can speak it without importing another.

use crate::dialect::Dialect;
use crate::table::{Key, Table};
use serde::{Deserialize, Serialize};

/// One value per reference kind a profile weighs ([`LinkKind::ALL`]).
pub type PerKind<T> = Table<LinkKind, T, { LinkKind::ALL.len() }>;

/// One value per body block kind ([`BlockKind::ALL`]).
pub type PerBlock<T> = Table<BlockKind, T, { BlockKind::ALL.len() }>;

/// The body blocks a profile's `[mix]` weighs by bytes (headings are set
/// by `[headings]`, and front matter is not body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// Prose paragraphs.
    Paragraph,
    /// Bullet, ordered and task lists.
    List,
    /// Fenced code blocks.
    Code,
    /// GFM tables.
    Table,
    /// Blockquotes and callouts.
    Blockquote,
    /// Definition lists.
    DefinitionList,
    /// Raw HTML blocks.
    Html,
}

impl BlockKind {
    /// Every body block kind, in table order.
    pub const ALL: [BlockKind; 7] = [
        BlockKind::Paragraph,
        BlockKind::List,
        BlockKind::Code,
        BlockKind::Table,
        BlockKind::Blockquote,
        BlockKind::DefinitionList,
        BlockKind::Html,
    ];

    /// The snake_case name used in profiles and JSON.
    pub fn name(self) -> &'static str {
        Key::name(self)
    }
}

/// A file's (or corpus's) markdown bytes by what they are: each body block
/// kind, headings, and the rest (front matter, definitions, footnotes,
/// padding). As shares, the three parts sum to 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MixBytes<T> {
    /// Body blocks, by kind.
    #[serde(flatten)]
    pub blocks: PerBlock<T>,
    /// Headings, the H1 included.
    pub heading: T,
    /// Front matter, link reference definitions, footnotes and padding.
    pub other: T,
}

impl MixBytes<u64> {
    /// Add `o`'s bytes to these.
    pub fn add(&mut self, o: &MixBytes<u64>) {
        for (k, v) in self.blocks.iter_mut() {
            *v += o.blocks[k];
        }
        self.heading += o.heading;
        self.other += o.other;
    }

    /// Each part as `f(bytes)`.
    pub fn map(&self, mut f: impl FnMut(u64) -> f64) -> MixBytes<f64> {
        MixBytes {
            blocks: self.blocks.map(|b| f(*b)),
            heading: f(self.heading),
            other: f(self.other),
        }
    }
}

impl Key for BlockKind {
    const ALL: &'static [Self] = &BlockKind::ALL;
    fn index(self) -> usize {
        self as usize
    }
    fn name(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "paragraph",
            BlockKind::List => "list",
            BlockKind::Code => "code",
            BlockKind::Table => "table",
            BlockKind::Blockquote => "blockquote",
            BlockKind::DefinitionList => "definition_list",
            BlockKind::Html => "html",
        }
    }
}

/// The syntactic form of a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// `[[Title]]`
    Wikilink,
    /// `[[Title|alias]]`
    WikilinkAlias,
    /// `other.md`, `./other.md`, `sub/other.md`
    Relative,
    /// `../x/other.md`
    Parent,
    /// `/x/other.md`
    Absolute,
    /// `other.md#slug`
    PathAnchor,
    /// `#slug`
    Anchor,
    /// `sub/` or `../index.md`
    Directory,
    /// `id:doc-id`
    Id,
    /// `bref://0123456789ab`
    Bref,
    /// `[label]` plus `[label]: dest`
    Reference,
    /// `[text](https://...)`
    External,
    /// `<https://...>`
    Autolink,
    /// `![alt](assets/x.png)`
    Image,
    /// `[[Page#Heading text]]` (obsidian)
    WikilinkHeading,
    /// `[[Page#^blockid]]` (obsidian)
    WikilinkBlock,
    /// `![[Page]]` or `![[image.png]]` (obsidian)
    Embed,
    /// `[text](word)`: a bare word read as an id (negative only)
    BareWord,
}

impl LinkKind {
    /// The kinds a profile weighs, in the order of a [`PerKind`] table
    /// (every kind but [`LinkKind::BareWord`], which is only ever a
    /// negative).
    pub const ALL: [LinkKind; 17] = [
        LinkKind::Wikilink,
        LinkKind::WikilinkAlias,
        LinkKind::Relative,
        LinkKind::Parent,
        LinkKind::Absolute,
        LinkKind::PathAnchor,
        LinkKind::Anchor,
        LinkKind::Directory,
        LinkKind::Id,
        LinkKind::Bref,
        LinkKind::Reference,
        LinkKind::External,
        LinkKind::Autolink,
        LinkKind::Image,
        LinkKind::WikilinkHeading,
        LinkKind::WikilinkBlock,
        LinkKind::Embed,
    ];

    /// The snake_case name used in manifests and profiles.
    pub fn name(self) -> &'static str {
        Key::name(self)
    }

    /// Every kind, the weighed ones then [`LinkKind::BareWord`], in
    /// declaration order (`EVERY[k as usize] == k`).
    pub const EVERY: [LinkKind; 18] = {
        let mut all = [LinkKind::BareWord; 18];
        let mut i = 0;
        while i < LinkKind::ALL.len() {
            all[i] = LinkKind::ALL[i];
            i += 1;
        }
        all
    };

    /// Obsidian's own forms (`[[Page#Heading]]`, `[[Page#^block]]`,
    /// embeds): the kinds added after format 1, which profiles leave out
    /// while they are 0 and `stats` does not yet tell apart.
    pub fn obsidian_only(self) -> bool {
        matches!(
            self,
            LinkKind::WikilinkHeading | LinkKind::WikilinkBlock | LinkKind::Embed
        )
    }

    /// The weighed kind called `name`, if there is one.
    pub fn named(name: &str) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl Key for LinkKind {
    const ALL: &'static [Self] = &LinkKind::ALL;
    /// The kind's slot in a [`PerKind`] table; [`LinkKind::BareWord`] has
    /// none (it is never weighed), and indexing with it panics.
    fn index(self) -> usize {
        self as usize
    }
    fn name(self) -> &'static str {
        match self {
            LinkKind::Wikilink => "wikilink",
            LinkKind::WikilinkAlias => "wikilink_alias",
            LinkKind::Relative => "relative",
            LinkKind::Parent => "parent",
            LinkKind::Absolute => "absolute",
            LinkKind::PathAnchor => "path_anchor",
            LinkKind::Anchor => "anchor",
            LinkKind::Directory => "directory",
            LinkKind::Id => "id",
            LinkKind::Bref => "bref",
            LinkKind::Reference => "reference",
            LinkKind::External => "external",
            LinkKind::Autolink => "autolink",
            LinkKind::Image => "image",
            LinkKind::WikilinkHeading => "wikilink_heading",
            LinkKind::WikilinkBlock => "wikilink_block",
            LinkKind::Embed => "embed",
            LinkKind::BareWord => "bare_word",
        }
    }
}

impl LinkKind {
    /// Can a corpus in `dialect` write (and resolve) references of this kind?
    pub fn written_in(self, dialect: Dialect) -> bool {
        use LinkKind::*;
        let kind = self;
        match dialect {
            Dialect::Noet => !matches!(kind, WikilinkHeading | WikilinkBlock | Embed),
            // Obsidian addresses sections by heading text, not slugs, and
            // has no ids, brefs or directory pages.
            Dialect::Obsidian => {
                !matches!(kind, Absolute | PathAnchor | Anchor | Directory | Id | Bref)
            }
            Dialect::Gfm => !matches!(
                kind,
                Wikilink
                    | WikilinkAlias
                    | WikilinkHeading
                    | WikilinkBlock
                    | Embed
                    | Id
                    | Bref
                    | Directory
            ),
        }
    }

    /// The pulldown-cmark event this kind produces.
    pub fn event(self) -> LinkEvent {
        match self {
            LinkKind::Wikilink | LinkKind::WikilinkHeading | LinkKind::WikilinkBlock => {
                LinkEvent::Wikilink
            }
            LinkKind::Embed => LinkEvent::Image,
            LinkKind::WikilinkAlias => LinkEvent::WikilinkPothole,
            LinkKind::Reference => LinkEvent::Shortcut,
            LinkKind::Autolink => LinkEvent::Autolink,
            LinkKind::Image => LinkEvent::Image,
            _ => LinkEvent::Inline,
        }
    }
}

/// A link event as pulldown-cmark reports it: `Tag::Link`'s `LinkType`, or
/// an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkEvent {
    /// `LinkType::Inline`
    Inline,
    /// `LinkType::WikiLink { has_pothole: false }`
    Wikilink,
    /// `LinkType::WikiLink { has_pothole: true }`
    WikilinkPothole,
    /// `LinkType::Shortcut`
    Shortcut,
    /// `LinkType::Autolink`
    Autolink,
    /// `LinkType::Email`
    Email,
    /// `LinkType::Reference`
    Reference,
    /// `LinkType::Collapsed`
    Collapsed,
    /// An undefined reference turned into a link by the broken-link callback
    Unknown,
    /// `Tag::Image` (any link type)
    Image,
}

impl LinkEvent {
    /// Every event, in declaration order (`ALL[e as usize] == e`; a unit
    /// test keeps the list whole).
    pub const ALL: [LinkEvent; 10] = [
        LinkEvent::Inline,
        LinkEvent::Wikilink,
        LinkEvent::WikilinkPothole,
        LinkEvent::Shortcut,
        LinkEvent::Autolink,
        LinkEvent::Email,
        LinkEvent::Reference,
        LinkEvent::Collapsed,
        LinkEvent::Unknown,
        LinkEvent::Image,
    ];

    /// The snake_case name used in manifests.
    pub fn name(self) -> &'static str {
        match self {
            LinkEvent::Inline => "inline",
            LinkEvent::Wikilink => "wikilink",
            LinkEvent::WikilinkPothole => "wikilink_pothole",
            LinkEvent::Shortcut => "shortcut",
            LinkEvent::Autolink => "autolink",
            LinkEvent::Email => "email",
            LinkEvent::Reference => "reference",
            LinkEvent::Collapsed => "collapsed",
            LinkEvent::Unknown => "unknown",
            LinkEvent::Image => "image",
        }
    }
}

/// One reference's ground truth, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkRecord {
    /// 1-based line of the reference in its file.
    pub line: u64,
    /// Syntactic form.
    pub kind: LinkKind,
    /// Event pulldown-cmark emits.
    pub event: LinkEvent,
    /// Destination as pulldown-cmark reports it.
    pub dest: String,
    /// Expected resolution: a file path relative to the corpus root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Expected resolution: a section id inside `target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// An external URL: resolves outside the corpus.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub external: bool,
    /// A deliberate negative: why it must not resolve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken: Option<String>,
    /// A site's corpus: the URL (path from the built site's root, then
    /// `#fragment` for a section) the site's tool must resolve the
    /// reference to. Absent for external and deliberately broken ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Counts of top-level blocks, as pulldown-cmark reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockCounts {
    /// Front matter (metadata) blocks.
    pub front_matter: u64,
    /// Headings, the H1 included.
    pub heading: u64,
    /// Paragraphs.
    pub paragraph: u64,
    /// Lists (nested lists are inside their parent).
    pub list: u64,
    /// Fenced code blocks.
    pub code: u64,
    /// Tables.
    pub table: u64,
    /// Blockquotes and callouts.
    pub blockquote: u64,
    /// Definition lists.
    pub definition_list: u64,
    /// Footnote definitions.
    pub footnote: u64,
    /// Raw HTML blocks.
    pub html: u64,
    /// Thematic breaks.
    pub rule: u64,
}

impl BlockCounts {
    /// Each count with its name, in field order.
    pub fn named(&self) -> [(&'static str, u64); 11] {
        [
            ("front_matter", self.front_matter),
            ("heading", self.heading),
            ("paragraph", self.paragraph),
            ("list", self.list),
            ("code", self.code),
            ("table", self.table),
            ("blockquote", self.blockquote),
            ("definition_list", self.definition_list),
            ("footnote", self.footnote),
            ("html", self.html),
            ("rule", self.rule),
        ]
    }

    /// Add `other`'s counts to these.
    pub fn add(&mut self, other: &BlockCounts) {
        let BlockCounts {
            front_matter,
            heading,
            paragraph,
            list,
            code,
            table,
            blockquote,
            definition_list,
            footnote,
            html,
            rule,
        } = other;
        self.front_matter += front_matter;
        self.heading += heading;
        self.paragraph += paragraph;
        self.list += list;
        self.code += code;
        self.table += table;
        self.blockquote += blockquote;
        self.definition_list += definition_list;
        self.footnote += footnote;
        self.html += html;
        self.rule += rule;
    }
}

/// A heading's ground truth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadingRecord {
    /// 1-based line.
    pub line: u64,
    /// Level 1..=6.
    pub level: u8,
    /// Text without any `{#id}`.
    pub text: String,
    /// Explicit id, or the slug of the text.
    pub id: String,
    /// Obsidian: the `^id` of the paragraph that opens the section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
}

/// How a file's front matter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatterFormat {
    /// `key = "value"` lines.
    Toml,
    /// `key: value` lines.
    Yaml,
    /// One JSON object.
    Json,
}

/// noet's `bref` of a bid: the last 6 bytes of UUIDv5(namespace, bid bytes),
/// as 12 hex digits.
pub fn bref(bid: &str) -> String {
    const NS: uuid::Uuid = uuid::uuid!("6b3d2154-c0a9-437b-9324-5f62adeb9a44");
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bid = uuid::Uuid::parse_str(bid).unwrap_or_default();
    let v5 = uuid::Uuid::new_v5(&NS, bid.as_bytes());
    let mut hex = String::with_capacity(12);
    for &b in &v5.as_bytes()[10..] {
        hex.push(HEX[(b >> 4) as usize] as char);
        hex.push(HEX[(b & 15) as usize] as char);
    }
    hex
}

/// Join (the inverse of making a relative path): `rel` onto folder `base` (no
/// trailing `/`, empty = root; a leading `/` in `rel` means the root) and
/// fold `.` and `..`. `None` when it climbs above the root.
pub fn join_path(base: &str, rel: &str) -> Option<String> {
    let mut out = String::with_capacity(base.len() + rel.len() + 1);
    join_path_into(&mut out, base, rel).then_some(out)
}

/// [`join_path`] into `out` (cleared first), reusing its buffer: false
/// (with `out` in an unspecified state) when the path climbs above the root.
pub fn join_path_into(out: &mut String, base: &str, rel: &str) -> bool {
    // Split by hand at each ASCII `/` (a char boundary, so each segment is
    // a `&str` and the result needs no UTF-8 check): validation joins the
    // path of every path reference, and `str::split`'s searcher cost more
    // than the join.
    fn segments<'s>(s: &'s str, mut each: impl FnMut(&'s str) -> bool) -> bool {
        let mut start = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            if b == b'/' {
                if !each(&s[start..i]) {
                    return false;
                }
                start = i + 1;
            }
        }
        each(&s[start..])
    }
    fn push(out: &mut String, seg: &str) {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(seg);
    }
    out.clear();
    if !rel.starts_with('/') {
        // A folder as paths are written (no empty segment) is its own
        // segments joined: copied whole.
        let b = base.as_bytes();
        let plain = b.first() != Some(&b'/')
            && b.last() != Some(&b'/')
            && !b.windows(2).any(|w| w == b"//");
        if plain {
            out.push_str(base);
        } else {
            segments(base, |seg| {
                if !seg.is_empty() {
                    push(out, seg);
                }
                true
            });
        }
    }
    segments(rel, |seg| match seg {
        "" | "." => true,
        ".." if out.is_empty() => false,
        ".." => {
            let cut = out.rfind('/').unwrap_or(0);
            out.truncate(cut);
            true
        }
        s => {
            push(out, s);
            true
        }
    })
}

/// What a run that makes a corpus did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Written and published.
    #[serde(rename = "generated")]
    Generated,
    /// Shards joined into one corpus and published.
    #[serde(rename = "merged")]
    Merged,
    /// The corpus was already there, intact: nothing was written.
    #[serde(rename = "up-to-date")]
    UpToDate,
    /// Rendered and checked in memory: nothing was written.
    #[serde(rename = "dry-run")]
    DryRun,
}

impl Status {
    /// The name used in `--json` output and summaries.
    pub fn name(self) -> &'static str {
        match self {
            Status::Generated => "generated",
            Status::Merged => "merged",
            Status::UpToDate => "up-to-date",
            Status::DryRun => "dry-run",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_event_is_listed_at_its_own_index() {
        assert!(LinkKind::EVERY
            .iter()
            .enumerate()
            .all(|(i, k)| *k as usize == i));
        assert!(LinkEvent::ALL
            .iter()
            .enumerate()
            .all(|(i, e)| *e as usize == i));
        // A variant added after the last one listed fails to compile here.
        let last = |e: LinkEvent| match e {
            LinkEvent::Image => true,
            LinkEvent::Inline
            | LinkEvent::Wikilink
            | LinkEvent::WikilinkPothole
            | LinkEvent::Shortcut
            | LinkEvent::Autolink
            | LinkEvent::Email
            | LinkEvent::Reference
            | LinkEvent::Collapsed
            | LinkEvent::Unknown => false,
        };
        assert!(last(LinkEvent::ALL[LinkEvent::ALL.len() - 1]));
        assert_eq!(
            LinkKind::EVERY[LinkKind::EVERY.len() - 1],
            LinkKind::BareWord
        );
    }

    /// The byte-at-a-time join that [`join_path`] replaced.
    fn join_path_by_bytes(base: &str, rel: &str) -> Option<String> {
        let mut out = Vec::new();
        let push = |out: &mut Vec<u8>, seg: &[u8]| {
            if !out.is_empty() {
                out.push(b'/');
            }
            out.extend_from_slice(seg);
        };
        if !rel.starts_with('/') {
            for seg in base.as_bytes().split(|&b| b == b'/') {
                if !seg.is_empty() {
                    push(&mut out, seg);
                }
            }
        }
        for seg in rel.as_bytes().split(|&b| b == b'/') {
            match seg {
                b"" | b"." => {}
                b".." => {
                    if out.is_empty() {
                        return None;
                    }
                    let cut = out.iter().rposition(|&b| b == b'/').unwrap_or(0);
                    out.truncate(cut);
                }
                s => push(&mut out, s),
            }
        }
        Some(String::from_utf8(out).unwrap())
    }

    #[test]
    fn join_path_joins_as_the_byte_at_a_time_join_did() {
        let parts = ["", "a", "b", ".", "..", "é", "x.md", "/", "//"];
        let mut buf = String::from("left over");
        for a in parts {
            for b in parts {
                for c in parts {
                    for d in parts {
                        let base = format!("{a}/{b}{c}");
                        let rel = format!("{c}{d}/{a}/{b}");
                        for (base, rel) in [(&base, &rel), (&rel, &base), (&a.into(), &rel)] {
                            let want = join_path_by_bytes(base, rel);
                            assert_eq!(join_path(base, rel), want, "{base:?} {rel:?}");
                            let ok = join_path_into(&mut buf, base, rel);
                            assert_eq!(ok.then_some(buf.as_str()), want.as_deref());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn bref_matches_noet() {
        assert_eq!(bref("10000000-0000-0000-0000-000000000001"), "1529c1b93f12");
    }
}

//! What the parser sees in one markdown text (links, headings, top-level
//! blocks and block ids), read from pulldown-cmark's events: the walk
//! over one text's events, used whole or per piece by [`super::pieces`].

use crate::dialect::{Dialect, Slugger};
use crate::lines::Lines;
use crate::record::LinkEvent;
use crate::record::{BlockCounts, HeadingRecord};
use pulldown_cmark::{BrokenLink, CodeBlockKind, CowStr, Event, LinkType, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

/// What the parser found in one file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    /// Links and images in order: (line, event, destination).
    pub links: Vec<(u64, LinkEvent, String)>,
    /// Headings in order.
    pub headings: Vec<HeadingRecord>,
    /// Top-level blocks.
    pub blocks: BlockCounts,
    /// Obsidian block ids (` ^id` ending a paragraph), in order.
    pub block_ids: Vec<String>,
}

/// Parse `text` in one call to pulldown-cmark.
pub(super) fn whole(text: &str, dialect: Dialect) -> Parsed {
    let mut callback = |link: BrokenLink<'_>| broken(dialect, &link.reference);
    let parser = Parser::new_with_broken_link_callback(
        text,
        crate::validate::options(dialect),
        Some(&mut callback),
    );
    let mut walk = Walk::new(dialect, true);
    walk.run(parser.into_offset_iter(), text.len(), text, None);
    walk.parsed
}

/// What a reader of `dialect` makes of a reference to an undefined label:
/// noet's callback makes it a link to the label; the others leave text.
pub(super) fn broken<'a>(dialect: Dialect, label: &str) -> Option<(CowStr<'a>, CowStr<'a>)> {
    (dialect == Dialect::Noet).then(|| (CowStr::from(label.to_string()), CowStr::from("")))
}

/// Reads one text's events into a [`Parsed`], and notes what
/// the piece-wise parse needs to know to join the parses of consecutive pieces.
pub(super) struct Walk {
    dialect: Dialect,
    /// GitHub's repeat suffixes are numbered over the whole document, so a
    /// piece leaves them to the join.
    slugs: Option<Slugger>,
    /// What was found.
    pub parsed: Parsed,
    /// Whether the last top-level block is one that only its own closing
    /// line ends (a fenced code block, raw HTML, front matter) and that ran
    /// to the end of the text: in a longer text it might go on.
    pub open_at_end: bool,
    /// Labels of footnote definitions.
    pub footnotes: Vec<String>,
    /// Bytes of destination and title that reference links took from their
    /// definitions (pulldown-cmark stops expanding references after about
    /// the text's length).
    pub expansions: usize,
    /// Lines in the text.
    pub lines: u64,
}

impl Walk {
    /// A walk for `dialect`; with `dedup`, repeated GitHub slugs get their
    /// suffixes here.
    pub fn new(dialect: Dialect, dedup: bool) -> Walk {
        Walk {
            dialect,
            slugs: dedup.then(Slugger::default),
            parsed: Parsed::default(),
            open_at_end: false,
            footnotes: Vec::new(),
            expansions: 0,
            lines: 0,
        }
    }

    /// Read `events` of `text`, whose first `len` bytes are the document
    /// (any after are definitions added by the piece-wise parse, whose blocks are not
    /// read). A reference link whose start is in `found` was given its
    /// definition by a callback, which pulldown-cmark reports as an
    /// unknown-reference link: it is reported as its own kind.
    pub fn run<'a>(
        &mut self,
        events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
        len: usize,
        text: &str,
        found: Option<&std::cell::RefCell<HashSet<usize>>>,
    ) {
        let mut lines = Lines::new(&text.as_bytes()[..len]);
        let dialect = self.dialect;
        let out = &mut self.parsed;
        let mut depth = 0usize;
        // The top-level block open now: does only its own closing line end it?
        let mut top_closes_itself = false;
        let mut heading: Option<(u64, u8, Option<String>, String)> = None;
        // The text since the last inline element of the current paragraph.
        let mut trailing = String::new();
        let blocks = dialect == Dialect::Obsidian;
        for (ev, range) in events {
            if blocks && !matches!(ev, Event::Text(_) | Event::End(TagEnd::Paragraph)) {
                trailing.clear();
            }
            match ev {
                Event::Start(tag) => {
                    if depth == 0 {
                        if range.start >= len {
                            break;
                        }
                        count_block(&mut out.blocks, &tag);
                        top_closes_itself = matches!(
                            tag,
                            Tag::CodeBlock(CodeBlockKind::Fenced(_))
                                | Tag::HtmlBlock
                                | Tag::MetadataBlock(_)
                        );
                    }
                    depth += 1;
                    match tag {
                        Tag::Heading { level, id, .. } => {
                            heading = Some((
                                lines.of(range.start),
                                level as u8,
                                id.map(CowStr::into_string),
                                String::new(),
                            ));
                        }
                        Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            ..
                        } => {
                            let given = found.is_some_and(|f| f.borrow_mut().remove(&range.start));
                            if by_reference(link_type) {
                                self.expansions += dest_url.len() + title.len();
                            }
                            let ev = link_event(link_type, given);
                            out.links
                                .push((lines.of(range.start), ev, dest_url.into_string()));
                        }
                        Tag::Image {
                            link_type,
                            dest_url,
                            title,
                            ..
                        } => {
                            if by_reference(link_type) {
                                self.expansions += dest_url.len() + title.len();
                            }
                            if let Some(f) = found {
                                f.borrow_mut().remove(&range.start);
                            }
                            out.links.push((
                                lines.of(range.start),
                                LinkEvent::Image,
                                dest_url.into_string(),
                            ));
                        }
                        Tag::FootnoteDefinition(label) => self.footnotes.push(label.into_string()),
                        _ => {}
                    }
                }
                Event::End(end) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.open_at_end = top_closes_itself && range.end >= len;
                    }
                    if let TagEnd::Heading(_) = end {
                        if let Some((line, level, id, text)) = heading.take() {
                            let text = text.trim().to_string();
                            let id = id.unwrap_or_else(|| dialect.slug(&text));
                            let id = match (&mut self.slugs, dialect) {
                                (Some(slugs), Dialect::Gfm) => slugs.next(id),
                                _ => id,
                            };
                            out.headings.push(HeadingRecord {
                                line,
                                level,
                                text,
                                id,
                                block: None,
                            });
                        }
                    }
                    if end == TagEnd::Paragraph && blocks {
                        if let Some(id) = block_id(&trailing) {
                            out.block_ids.push(id.to_string());
                        }
                        trailing.clear();
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(h) = heading.as_mut() {
                        h.3.push_str(&t);
                    }
                    if blocks {
                        trailing.push_str(&t);
                    }
                }
                Event::Rule if depth == 0 => {
                    if range.start >= len {
                        break;
                    }
                    out.blocks.rule += 1;
                    self.open_at_end = false;
                }
                _ => {}
            }
        }
        self.lines = lines.of(len) - 1;
    }
}

/// The manifest's name for a link of `link_type`; `given` when a callback
/// supplied the definition of a reference that the whole text defines.
fn link_event(link_type: LinkType, given: bool) -> LinkEvent {
    match link_type {
        LinkType::Inline => LinkEvent::Inline,
        LinkType::WikiLink { has_pothole: false } => LinkEvent::Wikilink,
        LinkType::WikiLink { has_pothole: true } => LinkEvent::WikilinkPothole,
        LinkType::Shortcut => LinkEvent::Shortcut,
        LinkType::Autolink => LinkEvent::Autolink,
        LinkType::Email => LinkEvent::Email,
        LinkType::Reference => LinkEvent::Reference,
        LinkType::Collapsed => LinkEvent::Collapsed,
        LinkType::ShortcutUnknown if given => LinkEvent::Shortcut,
        LinkType::ReferenceUnknown if given => LinkEvent::Reference,
        LinkType::CollapsedUnknown if given => LinkEvent::Collapsed,
        _ => LinkEvent::Unknown,
    }
}

/// Did pulldown-cmark look this link's destination up by its label?
fn by_reference(link_type: LinkType) -> bool {
    use LinkType::*;
    matches!(
        link_type,
        Reference | ReferenceUnknown | Collapsed | CollapsedUnknown | Shortcut | ShortcutUnknown
    )
}

/// The Obsidian block id ending `text` (` ^abc-12`), if any.
fn block_id(text: &str) -> Option<&str> {
    let (before, id) = text.rsplit_once('^')?;
    let ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (ok && before.ends_with(' ')).then_some(id)
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

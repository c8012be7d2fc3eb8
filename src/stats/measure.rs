//! Parsing each markdown file into a [`FileMeasure`].

use super::dest::{has_scheme, internal_dest, title_key, Dest};
use super::hist::Hist;
use super::text::Prose;
use super::{
    B_CODE, B_DL, B_FM, B_FN, B_HEAD, B_HTML, B_LIST, B_LRD, B_OTHER, B_PARA, B_QUOTE, B_TABLE,
};
use crate::record::{LinkKind, PerKind};
use crate::validate::noet_options;
use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, LinkType, MetadataBlockKind, Parser, Tag, TagEnd,
};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub(super) struct FileMeasure {
    pub(super) bytes: u64,
    pub(super) mix: [u64; 12],
    pub(super) blocks: [u64; 12],
    pub(super) headings: [u64; 6],
    pub(super) explicit_ids: u64,
    pub(super) title: Option<String>,
    pub(super) h1: Option<String>,
    pub(super) fm_format: Option<u8>, // 0 toml, 1 yaml, 2 json
    pub(super) fm_id: Option<String>,
    pub(super) fm_bid: Option<String>,
    pub(super) fm_tags: bool,
    pub(super) refs: PerKind<[u64; 4]>,
    pub(super) unresolved_brackets: u64,
    pub(super) footnote_refs: u64,
    /// `[label]` references whose definition is an external URL.
    pub(super) label_external: u64,
    pub(super) dests: Vec<Dest>,
    pub(super) para_words: Hist,
    pub(super) para_lines: u64,
    pub(super) para_line_bytes: Hist,
    pub(super) markup_spans: u64,
    pub(super) words: u64,
    pub(super) code_lines: Hist,
    pub(super) languages: BTreeMap<String, u64>,
    pub(super) list_items: Hist,
    pub(super) list_depth: Hist,
    pub(super) items_by_depth: [u64; 2], // depth 1, deeper
    pub(super) all_lists: u64,
    pub(super) ordered_lists: u64,
    pub(super) unordered_lists: u64,
    pub(super) task_lists: u64,
    pub(super) table_rows: Hist,
    pub(super) quotes: u64,
    pub(super) callouts: u64,
    pub(super) prose: Prose,
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

/// The profile kind of an inline link's destination.
fn classify_inline(dest: &str) -> LinkKind {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    if lower.starts_with("id:") {
        LinkKind::Id
    } else if lower.starts_with("bref://") {
        LinkKind::Bref
    } else if has_scheme(dest) || dest.starts_with("//") {
        LinkKind::External
    } else if dest.starts_with('#') {
        LinkKind::Anchor
    } else if dest.contains('#') {
        LinkKind::PathAnchor
    } else if dest.ends_with('/') || dest == "." || dest == ".." {
        LinkKind::Directory
    } else if dest.starts_with('/') {
        LinkKind::Absolute
    } else if dest.starts_with("../") {
        LinkKind::Parent
    } else {
        LinkKind::Relative
    }
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

pub(super) fn measure_file(path: &str, text: &str) -> FileMeasure {
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
        m.prose.event(&ev);
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
                                    LinkKind::WikilinkAlias
                                } else {
                                    LinkKind::Wikilink
                                }
                            }
                            LinkType::Autolink | LinkType::Email => LinkKind::Autolink,
                            LinkType::ReferenceUnknown
                            | LinkType::CollapsedUnknown
                            | LinkType::ShortcutUnknown => {
                                m.unresolved_brackets += 1;
                                continue;
                            }
                            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                                match internal_dest(src_dir, &dest_url) {
                                    Some(d) => m.dests.push(d),
                                    None => m.label_external += has_scheme(&dest_url) as u64,
                                }
                                LinkKind::Reference
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
                        m.refs[LinkKind::Image][ref_block(top)] += 1;
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
    m.prose.finish();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_destinations_map_to_profile_kinds() {
        let k = |d: &str| classify_inline(d).name();
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
    fn reference_definitions_are_recognised() {
        assert!(is_ref_def("[a]: b"));
        assert!(is_ref_def("  [a b]: <b> \"t\""));
        assert!(!is_ref_def("[a] b"));
        assert!(!is_ref_def("[]: b"));
        assert!(!is_ref_def("text [a]: b"));
    }
}

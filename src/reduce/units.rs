//! How a file's text divides into the units one level of a reduction
//! removes: sections, top-level blocks and lines partition it (their
//! ranges, in order, cover every byte once); references are spans that
//! give way to their own text.

use crate::dialect::Dialect;
use pulldown_cmark::{Event, Parser, Tag};
use std::ops::Range;

/// `len` units in `n` chunks of near-equal size, in order.
pub(super) fn split(len: usize, n: usize) -> Vec<std::ops::Range<usize>> {
    (0..n).map(|k| k * len / n..(k + 1) * len / n).collect()
}

/// The byte ranges of `text`'s lines (each with its `\n`), a front matter
/// block at the top being one unit: half a front matter block is not
/// front matter at all, and would turn into text and a thematic break.
pub(super) fn line_units(text: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |k| at + k + 1);
        lines.push(at..end);
        at = end;
    }
    if lines.first().is_some_and(|l| &text[l.clone()] == b"---\n") {
        if let Some(close) = lines
            .iter()
            .skip(1)
            .position(|l| &text[l.clone()] == b"---\n" || &text[l.clone()] == b"---")
        {
            let end = lines[close + 1].end;
            lines.drain(..=close + 1);
            lines.insert(0, 0..end);
        }
    }
    lines
}

/// `text` cut at `starts` (byte offsets, each moved back to the start of
/// its line so that a cut never splits a line): consecutive ranges from 0
/// to the end, none empty.
fn cut_at(text: &[u8], starts: impl IntoIterator<Item = usize>) -> Vec<Range<usize>> {
    let mut cuts: Vec<usize> = starts
        .into_iter()
        .map(|at| memchr::memrchr(b'\n', &text[..at.min(text.len())]).map_or(0, |k| k + 1))
        .collect();
    cuts.push(0);
    cuts.push(text.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// The parser a reader of `dialect` runs over `text`, with offsets; `None`
/// when `text` is not UTF-8 (a level then leaves the file alone).
fn events(text: &[u8], dialect: Dialect) -> Option<Vec<(Event<'_>, Range<usize>)>> {
    let s = std::str::from_utf8(text).ok()?;
    Some(
        Parser::new_ext(s, crate::validate::options(dialect))
            .into_offset_iter()
            .collect(),
    )
}

/// Sections: from each heading to the next one (of any level), and what
/// comes before the first heading (front matter, a preamble) as one unit.
/// A section's sub-sections are units of their own, so a parent can go
/// while a child the failure needs stays.
pub(super) fn section_units(text: &[u8], dialect: Dialect) -> Vec<Range<usize>> {
    let Some(ev) = events(text, dialect) else {
        return Vec::new();
    };
    let starts = ev.iter().filter_map(|(e, r)| match e {
        Event::Start(Tag::Heading { .. }) => Some(r.start),
        _ => None,
    });
    cut_at(text, starts)
}

/// Top-level blocks: each paragraph, list, table, quote, fenced block or
/// front matter block whole, with the blank lines after it. A list or a
/// fence is never cut here (the line level goes inside them).
pub(super) fn block_units(text: &[u8], dialect: Dialect) -> Vec<Range<usize>> {
    let Some(ev) = events(text, dialect) else {
        return Vec::new();
    };
    let mut depth = 0usize;
    let mut starts = Vec::new();
    for (e, r) in &ev {
        match e {
            Event::Start(_) => {
                if depth == 0 {
                    starts.push(r.start);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            // A rule or raw HTML at the top is a block with no end event.
            _ if depth == 0 => starts.push(r.start),
            _ => {}
        }
    }
    cut_at(text, starts)
}

/// A reference as written and what it gives way to when the references
/// level removes it: its own text (`[the text](a.md)` becomes `the text`),
/// so the sentence stays and only the link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reference {
    /// The link (or image) as written.
    pub(super) span: Range<usize>,
    /// Its text inside the span (empty when it has none).
    pub(super) text: Range<usize>,
}

/// Every link and image of `text`, in order.
pub(super) fn reference_units(text: &[u8], dialect: Dialect) -> Vec<Reference> {
    let Some(ev) = events(text, dialect) else {
        return Vec::new();
    };
    let mut refs = Vec::new();
    let mut open: Option<(Range<usize>, Option<Range<usize>>)> = None;
    for (e, r) in ev {
        match e {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) if open.is_none() => {
                open = Some((r, None));
            }
            Event::End(pulldown_cmark::TagEnd::Link | pulldown_cmark::TagEnd::Image)
                if open.as_ref().is_some_and(|(span, _)| *span == r) =>
            {
                let (span, inner) = open.take().expect("a link is open");
                let text = inner.unwrap_or(span.start..span.start);
                refs.push(Reference { span, text });
            }
            _ => {
                if let Some((span, inner)) = &mut open {
                    if r.start >= span.start && r.end <= span.end {
                        *inner = Some(match inner.take() {
                            Some(i) => i.start.min(r.start)..i.end.max(r.end),
                            None => r,
                        });
                    }
                }
            }
        }
    }
    refs
}

/// `text` with the references of `refs` not in `keep` replaced by their
/// text.
pub(super) fn unlink(text: &[u8], refs: &[Reference], keep: &[usize]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    let mut kept = keep.iter().peekable();
    for (k, r) in refs.iter().enumerate() {
        if kept.peek() == Some(&&k) {
            kept.next();
            continue;
        }
        out.extend_from_slice(&text[at..r.span.start]);
        out.extend_from_slice(&text[r.text.clone()]);
        at = r.span.end;
    }
    out.extend_from_slice(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_one_unit() {
        let t = b"---\ntitle = \"A\"\nid = \"a\"\n---\n\n# A\ntext";
        let u = line_units(t);
        assert_eq!(u.len(), 4);
        assert_eq!(&t[u[0].clone()], b"---\ntitle = \"A\"\nid = \"a\"\n---\n");
        assert_eq!(&t[u[3].clone()], b"text");
    }

    #[test]
    fn chunks_cover_every_unit_once() {
        for len in 1..20 {
            for n in 1..=len {
                let c = split(len, n);
                assert_eq!(c.len(), n);
                assert_eq!(c.first().unwrap().start, 0);
                assert_eq!(c.last().unwrap().end, len);
                assert!(c.windows(2).all(|w| w[0].end == w[1].start));
                assert!(c.iter().all(|r| !r.is_empty()));
            }
        }
    }

    /// The pieces of `text` that `units` cuts it into.
    fn pieces(text: &str, units: &[Range<usize>]) -> Vec<String> {
        // Every byte once, in order.
        assert_eq!(
            units.iter().map(|r| &text[r.clone()]).collect::<String>(),
            text
        );
        units.iter().map(|r| text[r.clone()].to_string()).collect()
    }

    const DOC: &str = "---\ntitle: A\n---\n\n# A\n\nIntro.\n\n## B\n\n```sh\n# not a heading\n\necho b\n```\n\n- one\n\n- two\n\n### C\ntext\n";

    #[test]
    fn sections_run_from_heading_to_heading() {
        let p = pieces(DOC, &section_units(DOC.as_bytes(), Dialect::Gfm));
        assert_eq!(p.len(), 4, "{p:?}");
        assert_eq!(p[0], "---\ntitle: A\n---\n\n");
        assert!(p[1].starts_with("# A\n") && p[2].starts_with("## B\n"));
        // A `#` line in a fence is code, not a section.
        assert!(p[2].contains("# not a heading") && p[2].ends_with("- two\n\n"));
        assert_eq!(p[3], "### C\ntext\n");
    }

    #[test]
    fn blocks_keep_fences_and_lists_whole() {
        let p = pieces(DOC, &block_units(DOC.as_bytes(), Dialect::Gfm));
        assert_eq!(p[0], "---\ntitle: A\n---\n\n");
        assert!(
            p.contains(&"```sh\n# not a heading\n\necho b\n```\n\n".to_string()),
            "{p:?}"
        );
        assert!(p.contains(&"- one\n\n- two\n\n".to_string()), "{p:?}");
        assert_eq!(p.len(), 8, "{p:?}");
    }

    #[test]
    fn a_removed_reference_gives_way_to_its_text() {
        let t = "See [the *guide*](a.md#x), [[b|B]] and <https://e.org> or ![pic](p.png).\n";
        let refs = reference_units(t.as_bytes(), Dialect::Obsidian);
        assert_eq!(refs.len(), 4, "{refs:?}");
        let none = String::from_utf8(unlink(t.as_bytes(), &refs, &[])).unwrap();
        assert_eq!(none, "See the *guide*, B and https://e.org or pic.\n");
        let second = String::from_utf8(unlink(t.as_bytes(), &refs, &[1])).unwrap();
        assert_eq!(
            second,
            "See the *guide*, [[b|B]] and https://e.org or pic.\n"
        );
        let all = unlink(t.as_bytes(), &refs, &[0, 1, 2, 3]);
        assert_eq!(all, t.as_bytes());
    }
}

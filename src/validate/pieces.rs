//! One large text parsed in pieces, with exactly the answer that parsing it
//! whole gives, or no answer.
//!
//! pulldown-cmark builds a tree of its whole input before the first event;
//! for a 100 MB document that tree is ~5 bytes per input byte, its page
//! faults made a parse 2-4x slower per byte than a corpus of small files,
//! and one call keeps one core busy while the others wait. Pieces of ~1 MB
//! parse at small-file speed, on every thread of the pool.
//!
//! Where a piece may end: before a line that opens an ATX heading (`#` at
//! column 0) after a blank line. Parsing the whole text, every block is
//! closed there, unless the block before is one that only its own closing
//! line ends (a fenced code block, raw HTML of the comment/script kinds,
//! front matter): the blank line ends paragraphs, tables and HTML of the
//! other kinds, and a line that is not indented and is not a list marker,
//! `>` or `:` ends lists, quotes, footnote and definition lists. Each
//! piece's parse says whether its last top-level block of the first kind
//! ran to the end of the piece; if one did, the cut proves nothing and the
//! caller parses the text whole.
//!
//! What crosses a cut is definitions: a reference link may use a link
//! definition anywhere in the document (the first of a label wins), and
//! `[^x]` is a footnote reference only if some footnote `x` is defined. So
//! definitions are found first, in the pieces that contain `]:` (every
//! definition does; the generator puts them at the end of the file). Then
//! the other pieces are parsed with a broken-link callback that answers
//! from those definitions, and with the footnote labels defined in other
//! pieces appended as definitions after the piece (their blocks are not
//! read). What else is document-wide is done at the join: GitHub's
//! `-1` suffixes for repeated slugs, line numbers, and pulldown-cmark's
//! cap on how many bytes reference links may copy from definitions (about
//! the text's length; a text that comes near it in any piece is parsed
//! whole).

use super::walk::{broken, Parsed, Walk};
use crate::dialect::{Dialect, Slugger};
use pulldown_cmark::{BrokenLink, CowStr, Parser};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use unicase::UniCase;

/// Texts shorter than this are parsed whole: below a few MB a whole parse
/// is as fast per byte.
const MIN_TEXT: usize = 2 << 20;

/// Bytes a piece aims at: 256 KB to 4 MB parsed equally fast (100 MB
/// document, one thread); 1 MB keeps dozens of pieces for the pool to share
/// out.
const PIECE: usize = 1 << 20;

/// Parse `text` in pieces if it is large and the pieces provably give the
/// answer of a whole parse; `None` if it must be parsed whole.
pub(super) fn parse_in_pieces(text: &str, dialect: Dialect) -> Option<Parsed> {
    if text.len() < MIN_TEXT {
        return None;
    }
    parse_cut(text, dialect, &cuts(text, PIECE))
}

/// Where pieces of about `piece` bytes start: 0, then the start of the first
/// heading line after a blank line at least `piece` bytes further, and so
/// on; `text.len()` last. `piece = 0` gives every such heading.
pub(super) fn cuts(text: &str, piece: usize) -> Vec<usize> {
    let b = text.as_bytes();
    let mut at = vec![0];
    let mut from = piece;
    while from < b.len() {
        let Some(k) = memchr::memmem::find(&b[from..], b"\n\n#") else {
            break;
        };
        let p = from + k + 2;
        if opens_heading(&b[p..]) {
            at.push(p);
            from = p + piece.max(1);
        } else {
            from = p;
        }
    }
    at.push(b.len());
    at
}

/// Does `line` start with an ATX heading's `#`s and the space after them?
fn opens_heading(line: &[u8]) -> bool {
    let hashes = line.iter().take(7).take_while(|&&c| c == b'#').count();
    (1..=6).contains(&hashes) && matches!(line.get(hashes), Some(b' ' | b'\t'))
}

/// A document's link definitions by label, folded as pulldown-cmark folds
/// them (with the same `unicase`): (destination, title).
type Defs = HashMap<UniCase<String>, (String, String)>;

/// The definitions a piece cannot see in itself.
struct Elsewhere<'d> {
    links: &'d Defs,
    /// Footnote labels with the piece that defines them.
    footnotes: &'d [(usize, String)],
}

/// One piece's parse.
struct Piece {
    walk: Walk,
    /// Its link definitions, when parsed without [`Elsewhere`]:
    /// (label, destination, title).
    defs: Vec<(String, String, String)>,
    /// Labels it referred to and does not define.
    missing: Vec<String>,
    /// Whether footnote definitions were appended after it.
    appended: bool,
}

/// Parse `text` cut at `cuts` (as [`cuts`] gives them); `None` when the
/// pieces might not parse as the whole does.
pub(super) fn parse_cut(text: &str, dialect: Dialect, cuts: &[usize]) -> Option<Parsed> {
    let ranges: Vec<Range<usize>> = cuts.windows(2).map(|w| w[0]..w[1]).collect();
    if ranges.len() < 2 {
        return None;
    }
    // pulldown-cmark reads a `---` line followed by text as the start of
    // front matter anywhere in a document (not only at the top) if a
    // closing `---` or `...` line follows anywhere. One with no closing
    // line before a cut but one after it would start front matter in the
    // whole text and not in its piece.
    let mut closing_after = false;
    for r in ranges.iter().rev() {
        let (opener, closing) = front_matter_lines(&text[r.clone()]);
        if closing_after && opener.is_some_and(|o| closing.is_none_or(|c| c <= o)) {
            return None;
        }
        closing_after |= closing.is_some();
    }
    let defining: Vec<usize> = (0..ranges.len())
        .filter(|&k| memchr::memmem::find(text[ranges[k].clone()].as_bytes(), b"]:").is_some())
        .collect();
    let mut first = each(&defining, |k| {
        parse_piece(text, ranges[k].clone(), k, dialect, None)
    });
    let mut links = Defs::new();
    let mut footnotes = Vec::new();
    for (&k, p) in defining.iter().zip(first.iter_mut()) {
        for (label, dest, title) in std::mem::take(&mut p.defs) {
            let old = links.insert(UniCase::new(label), (dest, title));
            if old.is_some() {
                // Defined in two pieces: the later piece would use its own.
                return None;
            }
        }
        for label in &p.walk.footnotes {
            // Appended as `[^label]: x`, a label must read back the same.
            let plain = label
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
            if !plain || label.is_empty() {
                return None;
            }
            footnotes.push((k, label.clone()));
        }
    }
    let mut pieces: Vec<Option<Piece>> = (0..ranges.len()).map(|_| None).collect();
    for (k, p) in defining.into_iter().zip(first) {
        let notes_elsewhere =
            footnotes.iter().any(|(j, _)| *j != k) && has_note_ref(&text[ranges[k].clone()]);
        let defs_elsewhere = p
            .missing
            .iter()
            .any(|l| links.contains_key(&UniCase::new(l.clone())));
        if !notes_elsewhere && !defs_elsewhere {
            pieces[k] = Some(p);
        }
    }
    let rest: Vec<usize> = (0..ranges.len()).filter(|&k| pieces[k].is_none()).collect();
    let elsewhere = Elsewhere {
        links: &links,
        footnotes: &footnotes,
    };
    let second = each(&rest, |k| {
        parse_piece(text, ranges[k].clone(), k, dialect, Some(&elsewhere))
    });
    for (k, p) in rest.into_iter().zip(second) {
        pieces[k] = Some(p);
    }
    let pieces: Vec<Piece> = pieces.into_iter().flatten().collect();
    join(text, dialect, &ranges, pieces)
}

fn has_note_ref(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"[^").is_some()
}

/// In `piece`: the start of the last line that might open front matter
/// (it ends in `---` after any container marks, and the next line is not
/// blank), and of the last line that would close it (`---` or `...` at
/// column 0 and nothing but spaces after).
fn front_matter_lines(piece: &str) -> (Option<usize>, Option<usize>) {
    let b = piece.as_bytes();
    let line_start = |at: usize| memchr::memrchr(b'\n', &b[..at]).map_or(0, |n| n + 1);
    let line_end = |at: usize| memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |n| at + n);
    let (mut opener, mut closing) = (None, None);
    for marks in [&b"---"[..], &b"..."[..]] {
        for at in memchr::memmem::find_iter(b, marks) {
            let end = line_end(at);
            let rest = &b[at + 3..end];
            let start = line_start(at);
            // pulldown-cmark's test: spaces, then the end of the text or
            // of the line, where a lone `\r` ends a line too.
            let spaces = rest.iter().take_while(|&&c| c == b' ').count();
            if start == at && matches!(rest.get(spaces), None | Some(b'\r')) {
                closing = closing.max(Some(start));
            }
            let next = &b[(end + 1).min(b.len())..line_end((end + 1).min(b.len()))];
            if marks[0] == b'-'
                && rest.iter().all(u8::is_ascii_whitespace)
                && !next.iter().all(u8::is_ascii_whitespace)
            {
                opener = opener.max(Some(start));
            }
        }
    }
    (opener, closing)
}

/// Run `f` on every `k`: on the current rayon pool's threads when called
/// from one, else here, one after the other (a caller outside a pool
/// chose its threads, and `--jobs` is a cap).
fn each<T: Send>(ks: &[usize], f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    if rayon::current_thread_index().is_some() {
        ks.par_iter().map(|&k| f(k)).collect()
    } else {
        ks.iter().map(|&k| f(k)).collect()
    }
}

/// Parse piece `k` (`range` of `text`); with `elsewhere`, the definitions
/// of the other pieces are known to it.
fn parse_piece(
    text: &str,
    range: Range<usize>,
    k: usize,
    dialect: Dialect,
    elsewhere: Option<&Elsewhere>,
) -> Piece {
    let body = &text[range];
    let mut appendix = String::new();
    if let Some(e) = elsewhere.filter(|_| has_note_ref(body)) {
        for (_, label) in e.footnotes.iter().filter(|(j, _)| *j != k) {
            appendix.push_str("\n\n[^");
            appendix.push_str(label);
            appendix.push_str("]: x");
        }
    }
    let owned;
    let src = if appendix.is_empty() {
        body
    } else {
        owned = format!("{body}{appendix}\n");
        owned.as_str()
    };
    // Starts of references that `elsewhere` defined.
    let given = RefCell::new(HashSet::new());
    let missing = RefCell::new(Vec::new());
    let mut callback = |link: BrokenLink<'_>| {
        let label = UniCase::new(link.reference.to_string());
        match elsewhere {
            Some(e) => {
                if let Some((dest, title)) = e.links.get(&label) {
                    given.borrow_mut().insert(link.span.start);
                    return Some((CowStr::from(dest.as_str()), CowStr::from(title.as_str())));
                }
            }
            None => missing.borrow_mut().push(label.to_string()),
        }
        broken(dialect, &label)
    };
    let parser = Parser::new_with_broken_link_callback(
        src,
        crate::validate::options(dialect),
        Some(&mut callback),
    );
    let defs = match elsewhere {
        Some(_) => Vec::new(),
        None => parser
            .reference_definitions()
            .iter()
            .map(|(label, d)| {
                let title = d.title.as_deref().unwrap_or_default();
                (label.to_string(), d.dest.to_string(), title.to_string())
            })
            .collect(),
    };
    let mut walk = Walk::new(dialect, false);
    walk.run(parser.into_offset_iter(), body.len(), src, Some(&given));
    Piece {
        walk,
        defs,
        missing: missing.into_inner(),
        appended: !appendix.is_empty(),
    }
}

/// The whole text's parse from its pieces' parses, if the cuts were safe.
fn join(
    text: &str,
    dialect: Dialect,
    ranges: &[Range<usize>],
    pieces: Vec<Piece>,
) -> Option<Parsed> {
    let last = pieces.len() - 1;
    for (k, p) in pieces.iter().enumerate() {
        // A block running on past a cut; or, after the last piece, one that
        // may have swallowed the appended definitions.
        if p.walk.open_at_end && (k < last || p.appended) {
            return None;
        }
        let cap = ranges[k].len().max(100_000);
        if 2 * p.walk.expansions >= cap {
            return None;
        }
    }
    let total: usize = pieces.iter().map(|p| p.walk.expansions).sum();
    if 2 * total >= text.len().max(100_000) {
        return None;
    }
    let mut out = Parsed::default();
    let mut lines = 0u64;
    let mut slugs = Slugger::default();
    for p in pieces {
        let w = p.walk;
        out.links.extend(
            w.parsed
                .links
                .into_iter()
                .map(|(l, e, d)| (l + lines, e, d)),
        );
        for mut h in w.parsed.headings {
            h.line += lines;
            if dialect == Dialect::Gfm {
                h.id = slugs.next(h.id);
            }
            out.headings.push(h);
        }
        out.blocks.add(&w.parsed.blocks);
        out.block_ids.extend(w.parsed.block_ids);
        lines += w.lines;
    }
    Some(out)
}

/// [`parse_in_pieces`] or else a whole parse, with pieces cut at `cuts`.
#[cfg(test)]
fn parse_with(text: &str, dialect: Dialect, cuts: &[usize]) -> Parsed {
    parse_cut(text, dialect, cuts).unwrap_or_else(|| super::walk::whole(text, dialect))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Params, Plan};
    use crate::profile::Profile;
    use proptest::prelude::*;

    const DIALECTS: [Dialect; 3] = [Dialect::Noet, Dialect::Obsidian, Dialect::Gfm];

    fn whole(text: &str, dialect: Dialect) -> Parsed {
        super::super::walk::whole(text, dialect)
    }

    /// One document of about `size` bytes, as `gen --files 1` writes it.
    fn document(profile: &str, dialect: Dialect, size: u64, seed: u64) -> String {
        let profile = Profile::load_as(profile, Some(dialect)).unwrap();
        let plan = Plan::new(Params::new(profile, size, seed, Some(1))).unwrap();
        String::from_utf8(crate::render::render(&plan, 0).bytes).unwrap()
    }

    #[test]
    fn generated_documents_parse_in_pieces_as_whole() {
        for profile in Profile::builtin_names() {
            for dialect in DIALECTS {
                let text = document(profile, dialect, 300_000, 7);
                let want = whole(&text, dialect);
                for piece in [0, 5_000, 60_000] {
                    let cuts = cuts(&text, piece);
                    assert!(cuts.len() > 3, "{profile} {dialect:?}: too few cuts");
                    // Our own documents must never need the whole parse.
                    let got = parse_cut(&text, dialect, &cuts)
                        .unwrap_or_else(|| panic!("{profile} {dialect:?} {piece}: not cut"));
                    assert!(got == want, "{profile} {dialect:?} {piece}: differs");
                }
            }
        }
    }

    #[test]
    fn large_texts_are_parsed_in_pieces_on_the_pool() {
        let text = document("default", Dialect::Gfm, 5_000_000, 3);
        let pool = crate::threads::pool(2);
        let got = pool
            .install(|| parse_in_pieces(&text, Dialect::Gfm))
            .expect("cut");
        assert!(got == whole(&text, Dialect::Gfm));
        assert!(super::super::parse_as(&text, Dialect::Gfm) == got);
    }

    /// Texts whose cuts must not change the answer; `true` when the pieces
    /// can be used, `false` when only a whole parse is right.
    const CASES: &[(&str, bool)] = &[
        // A shell comment after a blank line inside an unclosed-looking fence.
        ("# A\n\n```sh\nx\n\n# not a heading\n\n```\n\n# B\n", false),
        ("# A\n\n```sh\nx\n```\n\n# B\n\n[l]\n", true),
        (
            "# A\n\n<!-- open\n\n# still a comment\n\n-->\n\n# B\n",
            false,
        ),
        ("<div>\n\n# A\n\ntext\n", true),
        // Definitions after the cut, used before it.
        (
            "# A\n\nsee [x] and [y][X] and ![i][x]\n\n# B\n\n[x]: /to 'T'\n",
            true,
        ),
        (
            "# A\n\nnote[^1] and [^2](u.md)\n\n# B\n\n[^1]: one\n\n[^2]: two\n",
            true,
        ),
        // The same label defined on both sides: the first wins.
        (
            "# A\n\n[x]: /one\n\n[x]\n\n# B\n\n[x]: /two\n\n[x]\n",
            false,
        ),
        ("# A\n\n[x]\n\n# B\n\n[X]: /two\n\n# C\n\n[x][]\n", true),
        // Front matter closed only after the first cut.
        ("---\ntitle: a\n\n# B\n\n---\n\n# C\n", false),
        // Front matter in the middle, as pulldown-cmark reads it.
        ("# A\n\n    code\n---\nx\n\n# B\n\n...\n", false),
        ("# A\n\n> ---\n> x\n\n# B\n\n---\n", false),
        ("# A\n\n---\n\n# B\n\n---\n", true),
        ("# A\n\n    code\n---\nx\n---\n\n# B\n\n---\n", true),
        // A lone `\r` ends a closing line as `\n` does.
        ("# A\n\n---\ntitle: a\n\n# B\n\n---\rx\n", false),
        ("# A\n\n---\ntitle: a\n\n# B\n\n...\rx\n", false),
        ("# A\n\n---\nx [l](u)\n\n# B\n\n--- \rz\n", false),
        ("---\ntitle: a\n---\n\n# B\n\ntext\n", true),
        // Lists, quotes and footnotes before a heading end there.
        ("- a\n\n  ```\n  open\n\n# B\n\n- c\n", true),
        ("> q\n> ```\n\n# B\n", true),
        ("[^n]: note\n\n    more\n\n# B\n\n[^n]\n", true),
        ("# Dup\n\n# Dup\n\n# Dup\n", true),
        ("para ^blk\n\n# B ^x\n\ntail ^end\n", true),
        ("#no\n\n# yes\n\n#\tTab\n", true),
    ];

    #[test]
    fn cuts_that_could_change_the_parse_are_refused() {
        for &(text, usable) in CASES {
            for dialect in DIALECTS {
                let cuts = cuts(text, 0);
                let got = parse_cut(text, dialect, &cuts);
                assert_eq!(got.is_some(), usable, "{dialect:?} {text:?}");
                assert!(
                    parse_with(text, dialect, &cuts) == whole(text, dialect),
                    "{dialect:?} {text:?}"
                );
            }
        }
    }

    #[test]
    fn references_that_would_copy_more_than_the_parser_allows_are_parsed_whole() {
        // 150 references copying 2,000 bytes each: a piece of this size
        // may copy 100,000 bytes, the whole text about its length.
        let dest = "u".repeat(2_000);
        let text = format!(
            "# A\n\n{}\n\n# B\n\n{}\n\n[x]: /{dest}\n",
            "[x] ".repeat(150),
            "filler text\n\n".repeat(25_000)
        );
        for dialect in DIALECTS {
            let cuts = cuts(&text, 0);
            assert_eq!(cuts.len(), 3);
            assert!(parse_cut(&text, dialect, &cuts).is_none());
            assert!(parse_with(&text, dialect, &cuts) == whole(&text, dialect));
        }
    }

    const LINES: &[&str] = &[
        "# A",
        "## B",
        "# A",
        "",
        "",
        "",
        "```",
        "```rust",
        "~~~",
        "    code",
        "- item",
        "  - nested",
        "  ```",
        "> quote",
        "> ```",
        "1. one",
        "<!-- open",
        "-->",
        "<div>",
        "</div>",
        "<script>",
        "</script>",
        "---",
        "+++",
        "title: 1",
        "[a]: /one",
        "[A]: /two 'T'",
        "[b]: <x y>",
        "see [a] and [b][] and [x][A]",
        "[^1]: note",
        "[^n]",
        "text [^1] more",
        "[^1](u.md)",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "term",
        ": def",
        "para ^blk-1",
        "[[Wiki]] and [[a|b]]",
        "![img][a]",
        "    [a]: /in",
        "  [^2]: x",
        "***",
        "$$",
        "x $a$ y",
        "<https://e.org>",
        "[c]",
        "[c]: /c",
        "# Heading {#id}",
        "#\tTab",
        "#no",
        "## Note [^1]",
        "## See [c]",
        "...",
        "<pre>",
        "</pre>",
        "<?php",
        "?>",
        "<![CDATA[",
        "]]>",
        "- ---",
        "> ...",
        "===",
        "[d]:",
        "/d 'title'",
        "[Long",
        "label]",
        "[long label]: /l",
        "![x](y.png) <!-- c -->",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]
        #[test]
        fn any_text_parses_in_pieces_as_whole(
            lines in proptest::collection::vec(0..LINES.len(), 0..60),
            newline in any::<bool>(),
        ) {
            let mut text = lines.iter().map(|&k| LINES[k]).collect::<Vec<_>>().join("\n");
            if newline {
                text.push('\n');
            }
            for dialect in DIALECTS {
                let cuts = cuts(&text, 0);
                prop_assert!(
                    parse_with(&text, dialect, &cuts) == whole(&text, dialect),
                    "{:?} {:?}", dialect, text
                );
            }
        }
    }
}

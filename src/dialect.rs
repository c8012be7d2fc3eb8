//! Dialects: which markdown a corpus is written in and whose rules its
//! ground truth follows.
//!
//! - `noet` (the default): what noet-core reads (../docs in the repository
//!   README): wikilinks by title or id, `id:`, `bref://`, heading attributes,
//!   definition lists, section ids by noet's slug.
//! - `obsidian`: an Obsidian vault. Wikilinks name files, not titles
//!   (`[[file_name]]`, or the vault path when the name is not unique),
//!   `[[Page#Heading text]]`, block references `[[Page#^blockid]]` to
//!   paragraphs ending in ` ^blockid`, and embeds `![[Page]]`,
//!   `![[image.png]]`. No heading attributes, definition lists or
//!   sub/superscript; front matter is YAML.
//! - `gfm`: GitHub-flavoured markdown as GitHub renders a repository. No
//!   wikilinks, ids or brefs; links are paths; section anchors are GitHub's
//!   slugs, with `-1`, `-2` ... for repeated headings in a file.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A markdown dialect (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// noet-core's markdown.
    #[default]
    Noet,
    /// Obsidian's markdown and link resolution.
    Obsidian,
    /// GitHub-flavoured markdown.
    Gfm,
}

impl Dialect {
    /// Every dialect, in documentation order.
    pub const ALL: [Dialect; 3] = [Dialect::Noet, Dialect::Obsidian, Dialect::Gfm];

    /// The name used in profiles and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Noet => "noet",
            Dialect::Obsidian => "obsidian",
            Dialect::Gfm => "gfm",
        }
    }

    /// Parse a dialect name.
    pub fn from_name(s: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == s)
    }

    /// `true` for the default, so profiles that do not set it serialise (and
    /// hash into corpus keys) exactly as before dialects existed.
    pub fn is_noet(&self) -> bool {
        *self == Dialect::Noet
    }

    /// Headings may carry `{#id}` attributes.
    pub fn heading_attributes(self) -> bool {
        self == Dialect::Noet
    }

    /// Definition lists parse as such.
    pub fn definition_lists(self) -> bool {
        self == Dialect::Noet
    }

    /// The anchor of a heading with `text`, before any de-duplication.
    pub fn slug(self, text: &str) -> String {
        match self {
            Dialect::Gfm => github_slug(text),
            _ => noet_slug(text),
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// noet's `to_anchor`: lowercase, ASCII whitespace to `-`, keep Unicode
/// alphanumerics and `- . _ ( ) [ ] @`, drop the rest, collapse runs of `-`,
/// trim `-`. (noet applies NFKC first; generated text is ASCII, where NFKC is
/// the identity.)
pub fn noet_slug(text: &str) -> String {
    if text.is_ascii() {
        slug_ascii(text.as_bytes())
    } else {
        slug_chars(text)
    }
}

/// What each ASCII byte becomes in a noet slug: 0 dropped, `-` a
/// separator, else the byte itself, lowercased.
const SLUG_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => b'-',
            b'A'..=b'Z' => c + 32,
            b'a'..=b'z' | b'0'..=b'9' => c,
            b'-' | b'.' | b'_' | b'(' | b')' | b'[' | b']' | b'@' => c,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// [`noet_slug`] for ASCII text (generated text is ASCII, and slugs are
/// computed for every title and heading). Branch-free per byte: whether a
/// byte is kept or dropped is as good as random, and the branchy loop cost
/// ~640 instructions a heading. A separator is held back and written only
/// before the next kept byte, which collapses runs and trims both ends.
fn slug_ascii(text: &[u8]) -> String {
    // At most one byte out per byte in, plus room for the unconditional
    // stores of the last step.
    let mut out = vec![0u8; text.len() + 1];
    let mut len = 0usize;
    let mut dash = false;
    let dst = out.as_mut_ptr();
    for &b in text {
        let c = SLUG_BYTE[b as usize];
        let sep = c == b'-';
        let keep = (c != 0) & !sep;
        // SAFETY: before the byte at position i, len <= i, and the two
        // stores are at len and len + 1 <= i + 1 <= text.len(), inside
        // `out` (text.len() + 1 bytes).
        unsafe {
            *dst.add(len) = b'-';
            len += (keep & dash) as usize;
            *dst.add(len) = c;
        }
        len += keep as usize;
        dash = (dash | (sep & (len > 0))) & !keep;
    }
    out.truncate(len);
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// [`noet_slug`] char by char: any text.
fn slug_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_whitespace() { '-' } else { c };
        if c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '(' | ')' | '[' | ']' | '@') {
            if c == '-' && out.ends_with('-') {
                continue;
            }
            out.push(c);
        }
    }
    out.trim_matches('-').to_string()
}

/// GitHub's heading anchor (github-slugger): lowercase, drop everything
/// but letters, digits, `-`, `_` and spaces, then each space becomes `-`
/// (runs are not collapsed, ends are not trimmed).
pub fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c == ' ' {
            out.push('-');
        } else if c == '-' || c == '_' || c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// GitHub's de-duplication of anchors within one document: the second
/// `overview` becomes `overview-1`, the third `overview-2`, skipping any
/// suffix a heading already took.
#[derive(Debug, Default)]
pub struct Slugger {
    taken: std::collections::BTreeMap<String, u64>,
}

impl Slugger {
    /// The anchor of the next heading whose undeduplicated slug is `base`.
    pub fn next(&mut self, base: String) -> String {
        let mut id = base.clone();
        while self.taken.contains_key(&id) {
            let n = self.taken.get_mut(&base).expect("base is taken");
            *n += 1;
            id = format!("{base}-{n}");
        }
        self.taken.insert(id.clone(), 0);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noet_slugs_follow_noet() {
        assert_eq!(noet_slug("Section 2.1: Overview"), "section-2.1-overview");
        assert_eq!(noet_slug("C++ & Rust: A Guide"), "c-rust-a-guide");
        assert_eq!(noet_slug("  See also  "), "see-also");
        assert_eq!(
            noet_slug("Using cache in the (fast) path"),
            "using-cache-in-the-(fast)-path"
        );
    }

    #[test]
    fn ascii_slugs_equal_the_general_rule() {
        // Every ASCII byte, in runs and at the ends, through both paths.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let pool = b"aZ9 -\t\n.(_)[]@#&:!-- ";
        for n in 0..2000u64 {
            let len = (n % 40) as usize;
            let mut t = String::new();
            for _ in 0..len {
                let b = if n % 3 == 0 {
                    next(128) as u8
                } else {
                    pool[next(pool.len() as u64) as usize]
                };
                t.push(b as char);
            }
            assert_eq!(slug_ascii(t.as_bytes()), slug_chars(&t), "{t:?}");
        }
    }

    #[test]
    fn github_slugs_match_github() {
        // Expected values from github-slugger's fixtures.
        assert_eq!(github_slug("Hello World"), "hello-world");
        assert_eq!(github_slug("C++ & Rust: A Guide"), "c--rust-a-guide");
        assert_eq!(github_slug("Section 2.1: Overview"), "section-21-overview");
        assert_eq!(github_slug("snake_case and-dash"), "snake_case-and-dash");
        assert_eq!(github_slug("Ünïcödé Heading"), "ünïcödé-heading");
    }

    #[test]
    fn repeated_headings_get_numbered_suffixes() {
        let mut s = Slugger::default();
        let ids: Vec<String> = ["foo", "foo", "foo-1", "foo", "bar"]
            .iter()
            .map(|b| s.next(b.to_string()))
            .collect();
        assert_eq!(ids, ["foo", "foo-1", "foo-1-1", "foo-2", "bar"]);
    }

    #[test]
    fn names_round_trip() {
        for d in Dialect::ALL {
            assert_eq!(Dialect::from_name(d.name()), Some(d));
        }
        assert_eq!(Dialect::from_name("commonmark"), None);
    }
}

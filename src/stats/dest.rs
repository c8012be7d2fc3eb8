//! Link destinations as written, classified before the whole tree is
//! known: a path (with the candidates it may name), a title, an id, a
//! bref, or outside the tree.

use crate::record::join_path;

/// Where a reference points, before the whole tree is known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Dest {
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

pub(super) fn has_scheme(d: &str) -> bool {
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
pub(super) fn title_key(s: &str) -> String {
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

/// The internal destination of a link, if it points into the tree.
pub(super) fn internal_dest(src_dir: &str, dest: &str) -> Option<Dest> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

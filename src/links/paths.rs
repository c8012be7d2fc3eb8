//! Paths between files: the relative path a reference writes, and its
//! inverse, which a reader applies.

/// A folder split once into its components, from which relative paths are
/// written: every reference of a file starts from the file's folder.
#[derive(Debug, Clone)]
pub(super) struct Folder {
    /// Components joined by `/`; empty for the root.
    path: String,
    /// End of each component in `path`.
    ends: Vec<usize>,
}

impl Folder {
    /// The folder at `path` (empty components, as in `a//b` or a trailing
    /// `/`, are dropped).
    pub(super) fn new(path: &str) -> Folder {
        let mut f = Folder {
            path: String::with_capacity(path.len()),
            ends: Vec::new(),
        };
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            if !f.path.is_empty() {
                f.path.push('/');
            }
            f.path.push_str(seg);
            f.ends.push(f.path.len());
        }
        f
    }

    /// The path from this folder to `to` (root-relative; leading `/`s are
    /// ignored), in a string with room for `extra` more bytes, so that a
    /// caller appending an anchor or prepending `./` does not reallocate.
    #[inline(never)]
    pub(super) fn relative(&self, to: &str, extra: usize) -> String {
        let to = to.trim_start_matches('/');
        let (from, t) = (self.path.as_bytes(), to.as_bytes());
        let common = from.iter().zip(t).take_while(|(a, b)| a == b).count();
        // Leading folders both share: those ending inside the common prefix
        // where `to` has a component boundary too. A folder ending before
        // `common` is followed by `/` in both, so only one ending exactly at
        // `common` can fail, and every later one fails with it.
        let shared = self
            .ends
            .iter()
            .take_while(|&&e| e < common || (e == common && (t.len() == e || t[e] == b'/')))
            .count();
        let rest = match shared {
            0 => to,
            _ => to.get(self.ends[shared - 1] + 1..).unwrap_or(""),
        };
        let ups = self.ends.len() - shared;
        let mut out = String::with_capacity(ups * 3 + rest.len() + extra);
        for k in 0..ups {
            out.push_str(if k == 0 { ".." } else { "/.." });
        }
        if !rest.is_empty() {
            if ups > 0 {
                out.push('/');
            }
            out.push_str(rest);
        }
        out
    }
}

/// The relative path from folder `from` (no trailing `/`, empty = root)
/// to `to` (a root-relative path).
pub fn relative_path(from: &str, to: &str) -> String {
    Folder::new(from).relative(to, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("", "a/b.md"), "a/b.md");
        assert_eq!(relative_path("a", "a/b.md"), "b.md");
        assert_eq!(relative_path("a/x", "a/b.md"), "../b.md");
        assert_eq!(relative_path("a/x", "c/d/e.md"), "../../c/d/e.md");
        assert_eq!(relative_path("a", "a/x/e.md"), "x/e.md");
        assert_eq!(relative_path("a/b", "a"), "..");
        assert_eq!(relative_path("a/b/c", ""), "../../..");
        assert_eq!(relative_path("ab/c", "a/x.md"), "../../a/x.md");
        assert_eq!(relative_path("a/b", "a/bc/x.md"), "../bc/x.md");
        assert_eq!(relative_path("a/b", "a/b"), "");
        assert_eq!(relative_path("/a//b/", "//a/b/x.md"), "x.md");
        assert_eq!(relative_path("a", "a//x.md"), "/x.md");
    }

    /// The first version, split by split: the one above must agree with
    /// it on every pair of paths.
    fn reference(from: &str, to: &str) -> String {
        let mut a = from.split('/').filter(|s| !s.is_empty()).peekable();
        let mut rest = to.trim_start_matches('/');
        while let Some(seg) = a.peek() {
            match rest.strip_prefix(seg) {
                Some("") => rest = "",
                Some(r) if r.starts_with('/') => rest = &r[1..],
                _ => break,
            }
            a.next();
        }
        let ups = a.count();
        let mut out = vec![".."; ups].join("/");
        if !rest.is_empty() {
            if ups > 0 {
                out.push('/');
            }
            out.push_str(rest);
        }
        out
    }

    #[test]
    fn relative_paths_agree_with_the_split_version() {
        let names = ["", "a", "b", "ab", "a/b", "a/bc", "ab/c", "a/b/c", "b/a"];
        let files = ["", "x.md", "a", "a/x.md", "ab/x.md", "a/b/x.md", "a/bc"];
        for from in names {
            for dir in names {
                for file in files {
                    let to = match (dir, file) {
                        ("", f) => f.to_string(),
                        (d, "") => d.to_string(),
                        (d, f) => format!("{d}/{f}"),
                    };
                    for to in [to.clone(), format!("/{to}")] {
                        assert_eq!(
                            relative_path(from, &to),
                            reference(from, &to),
                            "{from} -> {to}"
                        );
                    }
                }
            }
        }
    }
}

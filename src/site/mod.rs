//! Site targets: a corpus laid out as a static site generator's project,
//! which the tool builds as it is (`gen --site mdbook|mkdocs`).
//!
//! A site is a layout and a set of rules over the `gfm` dialect, not a
//! second generator: the markdown goes under the tool's content folder
//! (`src/` for mdBook, `docs/` for MkDocs), the tool's configuration and
//! navigation are written beside it (see `generate`), section anchors
//! follow the tool's own slug and de-duplication rules ([`Site::slug`],
//! [`SiteSlugger`]), and the manifest gives each page and each reference
//! the URL the tool gives it ([`Site::page_url`]). docs/FORMAT.md states
//! each rule with the version it was checked against.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// A static site generator whose project layout a corpus can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Site {
    /// mdBook 0.5: `book.toml`, `src/SUMMARY.md`, pages at `PATH.html`.
    Mdbook,
    /// MkDocs 1.6: `mkdocs.yml` with its `nav`, pages under `docs/` at
    /// directory URLs (`PATH/`).
    Mkdocs,
    /// Hugo 0.111: `hugo.toml`, minimal layouts with render hooks that
    /// resolve `.md` links, sections with `_index.md` under `content/`,
    /// pages at directory URLs (`PATH/`).
    Hugo,
}

impl Site {
    /// Every site, in documentation order.
    pub const ALL: [Site; 3] = [Site::Mdbook, Site::Mkdocs, Site::Hugo];

    /// The name used in profiles and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Site::Mdbook => "mdbook",
            Site::Mkdocs => "mkdocs",
            Site::Hugo => "hugo",
        }
    }

    /// Parse a site name.
    pub fn from_name(s: &str) -> Option<Site> {
        Site::ALL.into_iter().find(|d| d.name() == s)
    }

    /// The folder, relative to the corpus root, that holds the markdown
    /// (and the images it shows): the tool's source folder.
    pub fn content_dir(self) -> &'static str {
        match self {
            Site::Mdbook => "src",
            Site::Mkdocs => "docs",
            Site::Hugo => "content",
        }
    }

    /// The site's own files (configuration, navigation), relative to the
    /// corpus root, in the order the manifest lists them.
    pub fn config_paths(self) -> Vec<String> {
        match self {
            Site::Mdbook => vec![
                "book.toml".to_string(),
                format!("{}/SUMMARY.md", self.content_dir()),
            ],
            Site::Mkdocs => vec!["mkdocs.yml".to_string()],
            Site::Hugo => [
                "hugo.toml",
                "layouts/_default/single.html",
                "layouts/_default/list.html",
                "layouts/_default/_markup/render-link.html",
                "layouts/_default/_markup/render-image.html",
            ]
            .map(String::from)
            .to_vec(),
        }
    }

    /// The folder, relative to the corpus root, the tool builds into.
    pub fn build_dir(self) -> &'static str {
        match self {
            Site::Mdbook => "book",
            Site::Mkdocs => "site",
            Site::Hugo => "public",
        }
    }

    /// The anchor the tool gives a heading whose plain text is `text`,
    /// before de-duplication.
    ///
    /// - mdBook (`id_from_content`): trim, lowercase, keep letters, digits,
    ///   `_` and `-`, whitespace becomes `-`, drop the rest.
    /// - MkDocs (Python-Markdown's `toc` `slugify`): letters folded to
    ///   ASCII and the rest of non-ASCII dropped, keep word characters,
    ///   whitespace and `-`, trim, lowercase, then every run of `-` and
    ///   whitespace becomes one `-`.
    /// - Hugo (goldmark, `autoHeadingIDType = "github"`): GitHub's.
    pub fn slug(self, text: &str) -> String {
        match self {
            Site::Hugo => crate::dialect::github_slug(text),
            Site::Mdbook => {
                let mut out = String::with_capacity(text.len());
                for c in text.trim().chars().flat_map(char::to_lowercase) {
                    if c.is_alphanumeric() || c == '_' || c == '-' {
                        out.push(c);
                    } else if c.is_whitespace() {
                        out.push('-');
                    }
                }
                out
            }
            Site::Mkdocs => {
                // NFKD then ASCII-only: generated text is ASCII, where this
                // is the identity; other letters are dropped (not folded),
                // which the tests' fixtures do not reach.
                let kept: String = text
                    .chars()
                    .filter(|c| {
                        c.is_ascii() && (c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                            || c.is_ascii_whitespace()
                    })
                    .collect();
                let kept = kept.trim().to_ascii_lowercase();
                let mut out = String::with_capacity(kept.len());
                let mut in_run = false;
                for c in kept.chars() {
                    if c == '-' || c.is_ascii_whitespace() {
                        if !in_run {
                            out.push('-');
                        }
                        in_run = true;
                    } else {
                        out.push(c);
                        in_run = false;
                    }
                }
                out
            }
        }
    }

    /// The URL path, relative to the built site's root, that the tool gives
    /// the page written at `path` (relative to the corpus root, in the
    /// content folder): mdBook `a/b.md` -> `a/b.html`; MkDocs `a/b.md` ->
    /// `a/b/`, `a/index.md` -> `a/`, the root `index.md` -> `` (the root).
    pub fn page_url(self, path: &str) -> String {
        let rel = self.in_content(path);
        let stem = rel.strip_suffix(".md").unwrap_or(rel);
        match self {
            Site::Mdbook => format!("{stem}.html"),
            Site::Mkdocs | Site::Hugo => {
                // Hugo's section page is `_index.md` (a page may well
                // be called `x_index.md`).
                let stem = match stem.strip_suffix("_index") {
                    Some(dir) if self == Site::Hugo && (dir.is_empty() || dir.ends_with('/')) => {
                        format!("{dir}index")
                    }
                    _ => stem.to_string(),
                };
                if stem == "index" {
                    String::new()
                } else if let Some(dir) = stem.strip_suffix("/index") {
                    format!("{dir}/")
                } else {
                    format!("{stem}/")
                }
            }
        }
    }

    /// The URL, relative to the built site's root, of a file that is not a
    /// page (an image): copied as it is.
    pub fn file_url(self, path: &str) -> String {
        self.in_content(path).to_string()
    }

    /// The URL a reference with ground truth `rec` must resolve to: its
    /// target page's [`Site::page_url`] (or an image's [`Site::file_url`])
    /// and `#anchor` for a section. None for external references and
    /// deliberate negatives, which resolve to no page of the site.
    pub fn link_url(self, rec: &crate::record::LinkRecord) -> Option<String> {
        if rec.external || rec.broken.is_some() {
            return None;
        }
        let target = rec.target.as_deref()?;
        let mut url = if target.ends_with(".md") {
            self.page_url(target)
        } else {
            self.file_url(target)
        };
        if let Some(a) = &rec.anchor {
            url.push('#');
            url.push_str(a);
        }
        Some(url)
    }

    /// `path` relative to the content folder.
    fn in_content(self, path: &str) -> &str {
        let dir = self.content_dir();
        path.strip_prefix(dir)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path)
    }
}

/// The folder a site's tool builds into, when the corpus at `root` is a
/// site's project (its configuration file is there): walks of the corpus
/// pass over it, so that building the site does not make the corpus look
/// changed (a rerun stays a no-op) or foreign (it may still be replaced).
pub fn build_dir_at(root: &std::path::Path) -> Option<&'static str> {
    Site::ALL
        .into_iter()
        .find(|s| {
            let config = match s {
                Site::Mdbook => "book.toml",
                Site::Mkdocs => "mkdocs.yml",
                Site::Hugo => "hugo.toml",
            };
            root.join(config).is_file()
        })
        .map(|s| s.build_dir())
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A site's de-duplication of heading anchors within one page (the H1
/// included), fed in document order.
///
/// - mdBook: the first `foo` keeps `foo`; later ones take the first free
///   `foo-1`, `foo-2`, ...
/// - MkDocs (Python-Markdown's `unique`): a taken or empty id ending in
///   `_N` becomes `_N+1`, any other gets `_1`, until free (`foo`, `foo_1`,
///   `foo_2`; an empty slug becomes `_1`).
/// - Hugo, and a `gfm` corpus that is no site: GitHub's
///   ([`crate::dialect::Slugger`]).
#[derive(Debug)]
pub struct SiteSlugger {
    site: Option<Site>,
    taken: BTreeSet<String>,
    github: crate::dialect::Slugger,
}

impl SiteSlugger {
    /// An empty page of `site`.
    pub fn new(site: Site) -> SiteSlugger {
        SiteSlugger::gfm(Some(site))
    }

    /// An empty page of a `gfm` corpus laid out as `site`, or GitHub's
    /// when it is no site.
    pub fn gfm(site: Option<Site>) -> SiteSlugger {
        SiteSlugger {
            site,
            taken: BTreeSet::new(),
            github: crate::dialect::Slugger::default(),
        }
    }

    /// The anchor of the next heading, whose plain text is `text`: its
    /// slug ([`Site::slug`], or GitHub's), numbered if repeated.
    pub fn heading(&mut self, text: &str) -> String {
        let base = match self.site {
            Some(site) => site.slug(text),
            None => crate::dialect::github_slug(text),
        };
        self.next(base)
    }

    /// The anchor of the next heading whose slug is `base`.
    pub fn next(&mut self, base: String) -> String {
        let id = match self.site {
            None | Some(Site::Hugo) => return self.github.next(base),
            Some(Site::Mdbook) => {
                if self.taken.contains(&base) {
                    (1u64..)
                        .map(|n| format!("{base}-{n}"))
                        .find(|c| !self.taken.contains(c))
                        .expect("a free suffix")
                } else {
                    base
                }
            }
            Some(Site::Mkdocs) => {
                let mut id = base;
                while id.is_empty() || self.taken.contains(&id) {
                    id = match split_count(&id) {
                        Some((stem, n)) => format!("{stem}_{}", n + 1),
                        None => format!("{id}_1"),
                    };
                }
                id
            }
        };
        self.taken.insert(id.clone());
        id
    }
}

/// `stem_N` as (stem, N), the way Python-Markdown's `^(.*)_([0-9]+)$` reads
/// an id (the stem greedy, so `a_1_2` is (`a_1`, 2)).
fn split_count(id: &str) -> Option<(&str, u64)> {
    let (stem, digits) = id.rsplit_once('_')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((stem, digits.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_slugs_keep_runs_and_unicode() {
        let s = |t| Site::Mdbook.slug(t);
        assert_eq!(s("Hello World"), "hello-world");
        assert_eq!(s("C++ & Rust: A Guide"), "c--rust-a-guide");
        assert_eq!(
            s("  cache.evict(policy) options "),
            "cacheevictpolicy-options"
        );
        assert_eq!(s("Ünïcödé Heading"), "ünïcödé-heading");
    }

    #[test]
    fn mkdocs_slugs_collapse_runs_and_drop_non_ascii() {
        let s = |t| Site::Mkdocs.slug(t);
        assert_eq!(s("Hello World"), "hello-world");
        assert_eq!(s("C++ & Rust: A Guide"), "c-rust-a-guide");
        assert_eq!(s("snake_case and--dash"), "snake_case-and-dash");
        assert_eq!(s("cache.evict(policy) options"), "cacheevictpolicy-options");
        assert_eq!(s("!!!"), "");
    }

    #[test]
    fn repeats_are_numbered_each_tool_s_way() {
        let run = |site, bases: &[&str]| {
            let mut s = SiteSlugger::new(site);
            bases
                .iter()
                .map(|b| s.next(b.to_string()))
                .collect::<Vec<_>>()
        };
        let bases = ["foo", "foo", "foo-1", "foo", "bar", "foo_1", ""];
        assert_eq!(
            run(Site::Mdbook, &bases),
            ["foo", "foo-1", "foo-1-1", "foo-2", "bar", "foo_1", ""]
        );
        assert_eq!(
            run(Site::Mkdocs, &bases),
            ["foo", "foo_1", "foo-1", "foo_2", "bar", "foo_3", "_1"]
        );
    }

    #[test]
    fn page_urls() {
        assert_eq!(Site::Hugo.page_url("content/a/b_c_d.md"), "a/b_c_d/");
        assert_eq!(Site::Hugo.page_url("content/a/_index.md"), "a/");
        assert_eq!(Site::Hugo.page_url("content/_index.md"), "");
        assert_eq!(Site::Hugo.page_url("content/a/b_index.md"), "a/b_index/");
        assert_eq!(Site::Mdbook.page_url("src/a/b_c_d.md"), "a/b_c_d.html");
        assert_eq!(Site::Mdbook.page_url("src/index.md"), "index.html");
        assert_eq!(Site::Mkdocs.page_url("docs/a/b_c_d.md"), "a/b_c_d/");
        assert_eq!(Site::Mkdocs.page_url("docs/a/index.md"), "a/");
        assert_eq!(Site::Mkdocs.page_url("docs/index.md"), "");
        assert_eq!(
            Site::Mkdocs.file_url("docs/assets/x-1.png"),
            "assets/x-1.png"
        );
    }
}

//! Resolving references the way the corpus's dialect does (noet, Obsidian
//! or GitHub), against the [`Index`] of every target in the corpus.

use super::index::h64;
use super::planned::PlanTargets;
use super::targets::Targets;
use super::Problem;
use crate::dialect::Dialect;
use crate::record::{join_path_into, LinkKind, LinkRecord};

/// Where a reference lands: a markdown file (by number) or an asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    File(u32),
    Asset(String),
}

/// A resolved reference: its target and the hash of its anchor, if any.
type Resolved = (Target, Option<u64>);

/// Obsidian's `[[Page#Heading]]`, `[[Page#^block]]`, `![[Page]]`,
/// `![[image.png]]`. A page with a `/` is a vault path. A bare name is
/// looked up as Obsidian does: the file at that vault path (the root)
/// first, then one of that name in the source's folder, then the one with
/// the shortest path. A fragment is a heading's text or a block id.
fn obsidian_link<T: Targets + ?Sized>(t: &T, src: &str, dest: &str) -> Option<Resolved> {
    let (page, frag) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let dir = src.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let file = if page.is_empty() {
        t.file(src)
    } else if page.contains('/') {
        t.file(&format!("{page}.md"))
    } else {
        match t.named(page, dir).or_else(|| t.aliased(page)) {
            Some(f) => Some(f),
            None if frag.is_none() => {
                return t.asset_named(page, dir).map(|a| (Target::Asset(a), None));
            }
            None => None,
        }
    }?;
    let anchor = match frag {
        None => None,
        Some(b) if b.starts_with('^') => {
            t.has_block(file, b).then_some(())?;
            Some(h64(b))
        }
        Some(text) => Some(t.heading_id(file, text)?),
    };
    Some((Target::File(file), anchor))
}

/// Whether `target` is the file or asset at `path`.
fn is_target<T: Targets + ?Sized>(t: &T, target: &Target, path: &str) -> bool {
    match target {
        Target::File(f) => t.is_file_at(*f, path),
        Target::Asset(a) => a == path,
    }
}

/// `target` as a path, for messages.
fn show_target<T: Targets + ?Sized>(t: &T, target: &Target) -> String {
    match target {
        Target::File(f) => t.path(*f),
        Target::Asset(a) => a.clone(),
    }
}

/// Every reference target of a corpus, answered from the plan before and
/// during generation, so that each file's references are resolved right
/// after it is rendered, in parallel, instead of reading the manifest
/// back; in memory that does not grow with the number of sections, and
/// grows with the number of files only by its `bref`s.
pub struct LinkIndex<'p>(PlanTargets<'p>);

impl<'p> LinkIndex<'p> {
    /// The targets of every file of `plan` (all shards included).
    pub fn from_plan(plan: &'p crate::plan::Plan, jobs: usize) -> LinkIndex<'p> {
        LinkIndex(PlanTargets::new(plan, jobs))
    }

    /// Resolve each of `links` (in the file at `src`) independently and
    /// record a problem where it lands elsewhere than its ground truth.
    pub fn check(&self, src: &str, links: &[LinkRecord], out: &mut Vec<Problem>) {
        let mut scratch = Scratch::default();
        for l in links {
            resolve_check(&self.0, src, l, out, &mut scratch);
        }
    }
}

/// Where a reference lands, as [`LiveTargets::lands`](super::LiveTargets::lands) finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing {
    /// An external URL: outside the corpus.
    Outside,
    /// Nowhere in the corpus.
    Nowhere,
    /// The markdown file at this path; with a fragment, the section (or
    /// Obsidian block) it names, as the [`h64`](crate::validate::anchor_hash)
    /// of its id.
    File(String, Option<u64>),
    /// The asset at this path.
    Asset(String),
}

/// What resolving one reference leaves behind for the next, so that a
/// file's references are resolved without a path string allocated for
/// each.
#[derive(Default)]
pub(super) struct Scratch {
    /// The path the last path reference was looked up at.
    path: String,
    /// The file found at `path`, if the last reference was a path to one.
    found: Option<u32>,
}

/// Resolve `dest` as written in `src` the way the dialect does,
/// independently of how it was generated, or `None` if it cannot.
#[cfg(test)]
fn resolve<T: Targets + ?Sized>(
    index: &T,
    src: &str,
    kind: LinkKind,
    dest: &str,
) -> Option<Resolved> {
    resolve_with(index, src, kind, dest, &mut Scratch::default())
}

/// [`resolve`], leaving in `scratch` the file a path reference was found
/// at, and its path.
pub(super) fn resolve_with<T: Targets + ?Sized>(
    index: &T,
    src: &str,
    kind: LinkKind,
    dest: &str,
    scratch: &mut Scratch,
) -> Option<Resolved> {
    use LinkKind::*;
    scratch.found = None;
    let wiki = matches!(
        kind,
        Wikilink | WikilinkAlias | WikilinkHeading | WikilinkBlock | Embed
    );
    if index.obsidian() && wiki {
        return obsidian_link(index, src, dest);
    }
    let whole = |p: u32| (Target::File(p), None);
    match kind {
        // GitHub has no wikilinks or ids: nothing resolves them.
        Wikilink | WikilinkAlias | Id | Bref if index.dialect() == Dialect::Gfm => None,
        WikilinkHeading | WikilinkBlock | Embed => None,
        Wikilink | WikilinkAlias => index
            .titled(dest)
            .or_else(|| index.with_id(dest))
            .map(whole),
        Id | BareWord if index.dialect() == Dialect::Noet => {
            let id =
                dest.strip_prefix("id:")
                    .or(if kind == BareWord { Some(dest) } else { None })?;
            index.with_id(id).map(whole)
        }
        Bref => index.with_bref(dest.strip_prefix("bref://")?).map(whole),
        External | Autolink => None,
        _ => resolve_path(index, src, dest, scratch),
    }
}

/// A path reference, `path`, `path#anchor` or `#anchor`, looked up at the
/// path it names, which is left in `scratch`.
fn resolve_path<T: Targets + ?Sized>(
    index: &T,
    src: &str,
    dest: &str,
    scratch: &mut Scratch,
) -> Option<Resolved> {
    let target = &mut scratch.path;
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    // Obsidian reads a path without `./` or `../` as a vault path first,
    // and only then relative to the source.
    let vault = index.obsidian()
        && !path.starts_with("./")
        && !path.starts_with("../")
        && !path.starts_with('/')
        && join_path_into(target, "", path)
        && (index.file(target).is_some() || index.is_asset(target));
    if vault {
    } else if path.is_empty() {
        target.clear();
        target.push_str(src);
    } else {
        let base = src.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        if !join_path_into(target, base, path) {
            return None;
        }
        if path.ends_with('/') {
            if !target.is_empty() {
                target.push('/');
            }
            target.push_str("index.md");
        }
    }
    let target = match index.file(target) {
        Some(f) => {
            scratch.found = Some(f);
            Target::File(f)
        }
        None if index.is_asset(target) => Target::Asset(target.clone()),
        None => return None,
    };
    match (anchor, &target) {
        (None, _) => Some((target, None)),
        (Some(a), Target::File(f)) if index.has_anchor(*f, a) => Some((target, Some(h64(a)))),
        (Some(_), _) => None,
    }
}

/// Resolve `l` (written in `src`) and record a problem unless it lands
/// where its ground truth says.
pub(super) fn resolve_check<T: Targets + ?Sized>(
    index: &T,
    src: &str,
    l: &LinkRecord,
    out: &mut Vec<Problem>,
    scratch: &mut Scratch,
) {
    let mut problem = |expected: String, found: String| {
        out.push(Problem {
            path: src.to_string(),
            line: l.line,
            what: format!("{} link `{}`", l.kind.name(), l.dest),
            expected,
            found,
        });
    };
    let is_url = l.dest.starts_with("https://")
        || l.dest.starts_with("http://")
        || l.dest.starts_with("mailto:");
    if l.external {
        if !is_url {
            problem("an external URL".into(), l.dest.clone());
        }
        return;
    }
    let got = resolve_with(index, src, l.kind, &l.dest, scratch);
    // Anchors are compared as hashes; a found one is shown by name when it
    // is the expected one.
    let show = |r: &Option<Resolved>| match r {
        Some((t, Some(a))) => match &l.anchor {
            Some(want) if h64(want) == *a => format!("{}#{want}", show_target(index, t)),
            _ => format!("{}#(another section)", show_target(index, t)),
        },
        Some((t, None)) => show_target(index, t),
        None => "unresolved".into(),
    };
    if let Some(why) = &l.broken {
        if got.is_some() {
            problem(format!("broken ({why})"), show(&got));
        }
        return;
    }
    let found = match (&got, &l.target) {
        (Some((t, anchor)), Some(want)) => {
            // A file found at the path `want` is the file at `want`: it
            // need not be looked up again.
            let looked_up = match t {
                Target::File(f) => scratch.found == Some(*f) && scratch.path == *want,
                Target::Asset(_) => false,
            };
            (looked_up || is_target(index, t, want)) && *anchor == l.anchor.as_deref().map(h64)
        }
        _ => false,
    };
    if !found {
        let want = match (&l.target, &l.anchor) {
            (Some(t), Some(a)) => format!("{t}#{a}"),
            (Some(t), None) => t.clone(),
            (None, _) => "unresolved".into(),
        };
        problem(want, show(&got));
    }
}

#[cfg(test)]
mod tests {
    use super::super::index::Index;
    use super::*;

    fn vault() -> Index {
        let mut ix = Index::new(Dialect::Obsidian);
        for path in [
            "a/x.md",
            "b/x.md",
            "c/y.md",
            "index.md",
            "c/index.md",
            "d/index.md",
            "d/e/z.md",
            "f/z.md",
        ] {
            ix.add_file(path, "Title", None, None);
            if path == "c/y.md" {
                ix.add_heading("setup-guide", "Setup guide", Some("ab120"));
            }
        }
        ix.add_asset("assets/logo-3.png".into());
        ix.finish();
        ix
    }

    /// Where `dest` in `src` resolves, as a path.
    fn path_of(ix: &Index, src: &str, kind: LinkKind, dest: &str) -> Option<String> {
        resolve(ix, src, kind, dest).map(|r| show_target(ix, &r.0))
    }

    #[test]
    fn obsidian_resolves_names_as_obsidian_does() {
        let ix = vault();
        let r = |src: &str, dest: &str| path_of(&ix, src, LinkKind::Wikilink, dest);
        assert_eq!(r("a/x.md", "y").as_deref(), Some("c/y.md"), "a unique name");
        assert_eq!(
            r("b/x.md", "x").as_deref(),
            Some("b/x.md"),
            "the source's folder first"
        );
        assert_eq!(
            r("c/y.md", "index").as_deref(),
            Some("index.md"),
            "the vault root first"
        );
        assert_eq!(
            r("c/y.md", "z").as_deref(),
            Some("f/z.md"),
            "then the shortest path"
        );
        assert_eq!(r("a/x.md", "d/index").as_deref(), Some("d/index.md"));
        assert_eq!(
            r("a/x.md", "logo-3.png").as_deref(),
            Some("assets/logo-3.png")
        );
        assert_eq!(r("a/x.md", "w"), None);
    }

    #[test]
    fn obsidian_reads_bare_paths_as_vault_paths_first() {
        let ix = vault();
        let r = |dest: &str| path_of(&ix, "c/y.md", LinkKind::Relative, dest);
        assert_eq!(r("index.md").as_deref(), Some("index.md"), "not c/index.md");
        assert_eq!(r("./index.md").as_deref(), Some("c/index.md"));
        assert_eq!(r("../d/index.md").as_deref(), Some("d/index.md"));
    }

    #[test]
    fn obsidian_resolves_headings_by_text_and_blocks_by_id() {
        let ix = vault();
        let r = |dest: &str| resolve(&ix, "a/x.md", LinkKind::WikilinkHeading, dest);
        let y = Target::File(Targets::file(&ix, "c/y.md").unwrap());
        assert_eq!(
            r("y#Setup guide"),
            Some((y.clone(), Some(h64("setup-guide"))))
        );
        assert_eq!(r("y#setup-guide"), None, "a slug is not a heading text");
        assert_eq!(r("y#^ab120"), Some((y, Some(h64("^ab120")))));
        assert_eq!(r("y#^ab121"), None);
    }

    #[test]
    fn gfm_resolves_no_wikilinks() {
        let mut ix = vault();
        ix.dialect = Dialect::Gfm;
        assert_eq!(resolve(&ix, "a/x.md", LinkKind::Wikilink, "Title"), None);
        assert!(resolve(&ix, "a/x.md", LinkKind::Relative, "../c/y.md").is_some());
    }

    #[test]
    fn join_path_folds_dots() {
        use crate::record::join_path;
        assert_eq!(join_path("a/b", "../c/d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(join_path("a", "./x.md").as_deref(), Some("a/x.md"));
        assert_eq!(join_path("", "../x.md"), None);
    }
}

//! What resolving a reference asks of a corpus, whichever way the corpus is
//! known: an [`Index`] built from a manifest (`validate`), or the plan
//! itself (`gen`, see `planned`), which answers without holding a list of
//! its files.

use super::index::{h64, Index};
use crate::dialect::Dialect;

/// The lookups `resolve` makes. Files are numbered as in the manifest.
pub(super) trait Targets: Sync {
    /// The dialect whose rules resolve references.
    fn dialect(&self) -> Dialect;

    /// Whether the dialect is Obsidian's.
    fn obsidian(&self) -> bool {
        self.dialect() == Dialect::Obsidian
    }

    /// The file at `path` (relative to the root).
    fn file(&self, path: &str) -> Option<u32>;

    /// Whether file `f` is the one at `path`.
    fn is_file_at(&self, f: u32, path: &str) -> bool;

    /// File `f`'s path, for messages.
    fn path(&self, f: u32) -> String;

    /// Whether an asset (an image) is at `path`.
    fn is_asset(&self, path: &str) -> bool;

    /// The file titled `title` (the first in path order if several are).
    fn titled(&self, title: &str) -> Option<u32>;

    /// The file whose id is `id` (the first in path order if several are).
    fn with_id(&self, id: &str) -> Option<u32>;

    /// The file whose `bref` is `bref`.
    fn with_bref(&self, bref: &str) -> Option<u32>;

    /// Obsidian: the file a bare page name `name` written in folder `dir`
    /// opens: the one at the vault root, else the one in `dir`, else the
    /// one with the shortest path (then the first in byte order).
    fn named(&self, name: &str, dir: &str) -> Option<u32>;

    /// Obsidian: the note that lists `alias` under `aliases`, for a name
    /// no file has (the first in path order if several do).
    fn aliased(&self, alias: &str) -> Option<u32>;

    /// Obsidian: the asset a bare file name opens, by the same rule.
    fn asset_named(&self, name: &str, dir: &str) -> Option<String>;

    /// Whether file `f` has a section whose id is `anchor`.
    fn has_anchor(&self, f: u32, anchor: &str) -> bool;

    /// Obsidian: whether file `f` has a block `block` (with its `^`).
    fn has_block(&self, f: u32, block: &str) -> bool;

    /// Obsidian: the hash of the id of file `f`'s section whose heading
    /// text is `text`.
    fn heading_id(&self, f: u32, text: &str) -> Option<u64>;
}

/// Which of `paths` (all with file name `name`) Obsidian opens for a bare
/// name written in folder `dir`: the one at the vault root, else the one
/// in `dir`, else the shortest (then the first in byte order).
pub(super) fn obsidian_pick<'a>(paths: &[&'a str], name: &str, dir: &str) -> Option<&'a str> {
    let in_dir = if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    };
    paths
        .iter()
        .find(|p| **p == name)
        .or_else(|| paths.iter().find(|p| **p == in_dir))
        .or_else(|| paths.iter().min_by_key(|p| (p.len(), **p)))
        .copied()
}

impl Targets for Index {
    fn dialect(&self) -> Dialect {
        self.dialect
    }

    fn file(&self, path: &str) -> Option<u32> {
        Index::file(self, path)
    }

    fn is_file_at(&self, f: u32, path: &str) -> bool {
        self.paths.is(f, path)
    }

    fn path(&self, f: u32) -> String {
        self.paths.get(f)
    }

    fn is_asset(&self, path: &str) -> bool {
        self.assets.contains(path)
    }

    fn titled(&self, title: &str) -> Option<u32> {
        self.titles.get(&h64(title)).copied()
    }

    fn with_id(&self, id: &str) -> Option<u32> {
        self.ids.get(&h64(id)).copied()
    }

    fn with_bref(&self, bref: &str) -> Option<u32> {
        self.brefs.get(&h64(bref)).copied()
    }

    fn named(&self, name: &str, dir: &str) -> Option<u32> {
        match self.names.get(&h64(name)).map(Vec::as_slice)? {
            // Most names are unique: the one file is the pick, and no
            // paths need building.
            &[only] => Some(only),
            files => {
                let owned: Vec<String> = files.iter().map(|&f| self.paths.get(f)).collect();
                let paths: Vec<&str> = owned.iter().map(String::as_str).collect();
                let p = obsidian_pick(&paths, &format!("{name}.md"), dir)?;
                Index::file(self, p)
            }
        }
    }

    fn aliased(&self, alias: &str) -> Option<u32> {
        self.aliases.get(&h64(alias)).copied()
    }

    fn asset_named(&self, name: &str, dir: &str) -> Option<String> {
        let assets = self.asset_names.get(&h64(name))?;
        let paths: Vec<&str> = assets.iter().map(String::as_str).collect();
        obsidian_pick(&paths, name, dir).map(str::to_string)
    }

    fn has_anchor(&self, f: u32, anchor: &str) -> bool {
        Index::has_anchor(self, f, anchor)
    }

    fn has_block(&self, f: u32, block: &str) -> bool {
        self.blocks.of(f).binary_search(&h64(block)).is_ok()
    }

    fn heading_id(&self, f: u32, text: &str) -> Option<u64> {
        let t = self.texts.of(f);
        let h = h64(text);
        let k = t.partition_point(|&(x, _)| x < h);
        t.get(k).filter(|&&(x, _)| x == h).map(|&(_, id)| id)
    }
}

//! The index of every reference target of a corpus (paths, titles, ids,
//! brefs, file names, section ids and texts, block ids, assets), which
//! `resolve` looks references up in.
//!
//! `validate` builds it from a manifest that differs from what its
//! parameters plan (otherwise it, like `gen`, resolves against the plan:
//! see `planned`). It grows with the corpus, so it is laid out for size:
//! keys are 64-bit hashes, paths are
//! stored as (folder number, file name) with every folder once, and the
//! per-file lists (section ids, heading texts, block ids) are slices of one
//! flat array each instead of a vector per file. At 1 GB (87,000 files,
//! 1.3 million sections) that is about 25 MB instead of about 40.

use crate::dialect::Dialect;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;

/// A fixed, fast 64-bit hash of a string, eight bytes at a time (the index
/// never reaches the output, so only its spread matters): each word is
/// mixed in with a multiply and shifts, as in SplitMix64's finaliser.
pub(super) fn h64(s: &str) -> u64 {
    fn mix(mut x: u64) -> u64 {
        x ^= x >> 32;
        x = x.wrapping_mul(0xd6e8_feb8_6659_fd93);
        x ^= x >> 32;
        x = x.wrapping_mul(0xd6e8_feb8_6659_fd93);
        x ^ (x >> 32)
    }
    let b = s.as_bytes();
    let mut h = 0x9e37_79b9_7f4a_7c15 ^ b.len() as u64;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        h = mix(h ^ u64::from_le_bytes(w.try_into().expect("8 bytes")));
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    mix(h ^ u64::from_le_bytes(tail))
}

/// Hash-map keys here are [`h64`] values already: hashing them again (std's
/// SipHash) cost more than the lookup.
#[derive(Default, Clone, Copy)]
pub(super) struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map from [`h64`] keys.
pub(super) type HashMap<V> = std::collections::HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// File paths by number, each stored as its folder's number and its name:
/// a corpus has a few folders per hundred files, and folder paths are most
/// of a path's bytes.
#[derive(Default)]
pub(super) struct Paths {
    dirs: Vec<String>,
    dir_ids: HashMap<Vec<u32>>,
    /// File names back to back; file `i`'s ends at `ends[i]`.
    names: String,
    ends: Vec<u32>,
    dir_of: Vec<u32>,
}

/// `path` split into its folder (`""` at the root) and its name.
fn split(path: &str) -> (&str, &str) {
    match memchr::memrchr(b'/', path.as_bytes()) {
        Some(k) => (&path[..k], &path[k + 1..]),
        None => ("", path),
    }
}

impl Paths {
    fn push(&mut self, path: &str) -> u32 {
        let (dir, name) = split(path);
        let ids = self.dir_ids.entry(h64(dir)).or_default();
        let d = match ids.iter().find(|&&d| self.dirs[d as usize] == dir) {
            Some(&d) => d,
            None => {
                let d = self.dirs.len() as u32;
                self.dirs.push(dir.to_string());
                ids.push(d);
                d
            }
        };
        self.names.push_str(name);
        let end = u32::try_from(self.names.len()).expect("under 4 GB of file names");
        self.ends.push(end);
        self.dir_of.push(d);
        self.ends.len() as u32 - 1
    }

    /// How many paths.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// File `i`'s folder and name.
    fn parts(&self, i: u32) -> (&str, &str) {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let name = &self.names[start..self.ends[i] as usize];
        (&self.dirs[self.dir_of[i] as usize], name)
    }

    /// File `i`'s path.
    pub(super) fn get(&self, i: u32) -> String {
        match self.parts(i) {
            ("", name) => name.to_string(),
            (dir, name) => format!("{dir}/{name}"),
        }
    }

    /// Whether file `i`'s path is `path`, without building it.
    pub(super) fn is(&self, i: u32, path: &str) -> bool {
        // The lengths tell `x.md` from `/x.md`, which split alike.
        let (dir, name) = self.parts(i);
        let len = if dir.is_empty() {
            name.len()
        } else {
            dir.len() + 1 + name.len()
        };
        path.len() == len && (dir, name) == split(path)
    }

    /// Every path, in file order.
    pub(super) fn iter(&self) -> impl Iterator<Item = String> + '_ {
        (0..self.len() as u32).map(|i| self.get(i))
    }
}

/// One list per file, all in one array: file `i`'s items are
/// `items[starts[i]..starts[i + 1]]`. Items are added to the last file only,
/// which is how both the plan and the manifest deliver them.
pub(super) struct Lists<T> {
    items: Vec<T>,
    starts: Vec<u32>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists {
            items: Vec::new(),
            starts: Vec::new(),
        }
    }
}

impl<T: Ord> Lists<T> {
    fn new_file(&mut self) {
        let start = u32::try_from(self.items.len()).expect("under 4 billion sections");
        self.starts.push(start);
    }

    fn push(&mut self, item: T) {
        debug_assert!(!self.starts.is_empty(), "an item before any file");
        self.items.push(item);
    }

    /// File `i`'s items.
    pub(super) fn of(&self, i: u32) -> &[T] {
        let i = i as usize;
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.items.len(), |&e| e as usize);
        &self.items[start..end]
    }

    /// Sort each file's items, for binary search.
    fn sort_each(&mut self) {
        for (k, &start) in self.starts.iter().enumerate() {
            let end = self
                .starts
                .get(k + 1)
                .map_or(self.items.len(), |&e| e as usize);
            self.items[start as usize..end].sort_unstable();
        }
        self.items.shrink_to_fit();
    }
}

/// What `resolve` needs to know about the corpus, from the manifest. Keys are kept as 64-bit hashes (titles, ids, brefs, anchors);
/// a hash hit is always confirmed against the stored path for file paths;
/// a title, id or bref hash collision (odds about 1e-7 for a million keys)
/// could go unnoticed.
#[derive(Default)]
pub(super) struct Index {
    pub(super) dialect: Dialect,
    /// The site whose section ids the corpus's records follow, if any.
    pub(super) site: Option<crate::site::Site>,
    pub(super) paths: Paths,
    files: HashMap<u32>,
    pub(super) assets: HashSet<String>,
    pub(super) titles: HashMap<u32>,
    pub(super) ids: HashMap<u32>,
    pub(super) brefs: HashMap<u32>,
    /// Per file, hashes of its section ids, sorted.
    anchors: Lists<u64>,
    /// Obsidian: file names without `.md`, to every file of that name.
    pub(super) names: HashMap<Vec<u32>>,
    /// Obsidian: front matter aliases, to the first note in path order
    /// that lists each.
    pub(super) aliases: HashMap<u32>,
    /// Obsidian: asset file names, to every asset of that name.
    pub(super) asset_names: HashMap<Vec<String>>,
    /// Obsidian: per file, (hash of heading text, hash of its id), sorted.
    pub(super) texts: Lists<(u64, u64)>,
    /// Obsidian: per file, hashes of `^blockid`, sorted.
    pub(super) blocks: Lists<u64>,
    pub(super) header_files: Option<u64>,
    pub(super) header_assets: Option<u64>,
}

impl Index {
    /// An empty index for `dialect`.
    pub(super) fn new(dialect: Dialect) -> Index {
        Index {
            dialect,
            ..Index::default()
        }
    }

    /// The file at `path`, if any.
    pub(super) fn file(&self, path: &str) -> Option<u32> {
        self.files
            .get(&h64(path))
            .copied()
            .filter(|&i| self.paths.is(i, path))
    }

    pub(super) fn obsidian(&self) -> bool {
        self.dialect == Dialect::Obsidian
    }

    /// Add a file; returns its number.
    pub(super) fn add_file(
        &mut self,
        path: &str,
        title: &str,
        id: Option<&str>,
        bref: Option<&str>,
    ) -> u32 {
        let i = self.paths.push(path);
        self.files.insert(h64(path), i);
        if self.obsidian() {
            let stem = path.strip_suffix(".md").unwrap_or(path);
            let name = stem.rsplit('/').next().unwrap_or(stem);
            self.names.entry(h64(name)).or_default().push(i);
            self.texts.new_file();
            self.blocks.new_file();
        }
        self.anchors.new_file();
        self.add_owner(Key::Title, title, i);
        if let Some(id) = id {
            self.add_owner(Key::Id, id, i);
        }
        if let Some(b) = bref {
            self.brefs.insert(h64(b), i);
        }
        i
    }

    /// Record that the file added last lists `alias` under `aliases`.
    pub(super) fn add_alias(&mut self, alias: &str) {
        if self.obsidian() {
            let file = self.paths.len() as u32 - 1;
            self.add_owner(Key::Alias, alias, file);
        }
    }

    /// Record `file` as the owner of title, id or alias `key`, unless a file
    /// earlier in path order owns it already (noet: the first keeps the id).
    fn add_owner(&mut self, which: Key, key: &str, file: u32) {
        let map = match which {
            Key::Title => &mut self.titles,
            Key::Id => &mut self.ids,
            Key::Alias => &mut self.aliases,
        };
        match map.get_mut(&h64(key)) {
            // Shared titles and ids are rare: building both paths is fine.
            Some(p) if self.paths.get(file) < self.paths.get(*p) => *p = file,
            Some(_) => {}
            None => {
                map.insert(h64(key), file);
            }
        }
    }

    /// Add a section with id `id` and heading text `text` (and, in
    /// Obsidian, block id `block`) to the file added last. An H1 that folds
    /// into the document is not a section.
    pub(super) fn add_heading(&mut self, id: &str, text: &str, block: Option<&str>) {
        let id = h64(id);
        self.anchors.push(id);
        if self.obsidian() {
            self.texts.push((h64(text), id));
            if let Some(b) = block {
                self.blocks.push(h64(&format!("^{b}")));
            }
        }
    }

    /// Add an asset file.
    pub(super) fn add_asset(&mut self, path: String) {
        if self.obsidian() {
            let name = path.rsplit('/').next().unwrap_or(&path);
            self.asset_names
                .entry(h64(name))
                .or_default()
                .push(path.clone());
        }
        self.assets.insert(path);
    }

    /// Sort for lookups once every file is in.
    pub(super) fn finish(&mut self) {
        self.anchors.sort_each();
        self.blocks.sort_each();
        self.texts.sort_each();
    }

    /// Whether file `file` has a section whose id is `anchor`.
    pub(super) fn has_anchor(&self, file: u32, anchor: &str) -> bool {
        self.anchors.of(file).binary_search(&h64(anchor)).is_ok()
    }
}

/// Which owner map `add_owner` records in.
#[derive(Clone, Copy)]
enum Key {
    Title,
    Id,
    Alias,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_come_back_as_they_went_in() {
        let mut p = Paths::default();
        for path in [
            "index.md",
            "a/b/x_y_z.md",
            "a/b/q.md",
            "a/index.md",
            "a/b/x_y_z.md",
        ] {
            let i = p.push(path);
            assert_eq!(p.get(i), path);
            assert!(p.is(i, path));
        }
        assert!(!p.is(1, "a/x_y_z.md"));
        assert!(!p.is(0, "/index.md"), "a leading `/` is another path");
        assert!(!p.is(0, "a/index.md"));
        assert_eq!(p.dirs.len(), 3, "each folder is stored once");
        assert_eq!(p.iter().count(), 5);
    }

    #[test]
    fn lists_keep_each_files_items_apart() {
        let mut l = Lists::default();
        l.new_file();
        l.push(3u64);
        l.push(1);
        l.new_file();
        l.new_file();
        l.push(7);
        l.sort_each();
        assert_eq!(l.of(0), [1, 3]);
        assert!(l.of(1).is_empty());
        assert_eq!(l.of(2), [7]);
    }
}

//! Which file has a given path, title or id: the inverse of `identity`.
//!
//! Names, titles and ids are made from vocabulary words picked by a
//! permutation of the file's (or folder's) number, so reading the words
//! back and inverting the permutation finds the candidates in O(1) and in
//! no memory. Each candidate is then confirmed by computing its path, title
//! or id forwards and comparing: a lookup can miss only what does not
//! exist, whatever the inversion gets wrong. This is what lets `gen`
//! resolve every reference of a 10 GB corpus without an index of its
//! million files.

use super::Plan;
use crate::dialect::noet_slug as slug;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A word of at most 16 bytes as one number (its bytes, zero-padded): the
/// word-rank map is hit several times per reference, and hashing a string
/// with SipHash cost more than the rest of the lookup.
fn packed(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    if b.is_empty() || b.len() > 16 {
        return None;
    }
    let mut p = [0u8; 16];
    p[..b.len()].copy_from_slice(b);
    p[0] = p[0].to_ascii_lowercase();
    Some(u128::from_le_bytes(p))
}

/// Hashes a [`packed`] word with one multiply. Its keys are the
/// vocabulary, not input, so there is no flooding to guard against.
#[derive(Default)]
pub(super) struct Packed(u64);

impl Hasher for Packed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only packed words")
    }
    fn write_u128(&mut self, n: u128) {
        let x =
            (n as u64 ^ (n >> 64) as u64 ^ (n >> 96) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = x ^ (x >> 29);
    }
}

/// Each vocabulary word's rank, by its [`packed`] form.
pub(super) type WordRanks = HashMap<u128, u32, BuildHasherDefault<Packed>>;

/// The ranks of `words`, for [`Plan`]'s `word_ranks`.
pub(super) fn word_ranks(words: impl Iterator<Item = &'static str>) -> WordRanks {
    words
        .enumerate()
        .filter_map(|(r, w)| Some((packed(w)?, r as u32)))
        .collect()
}

/// `s` cut at `sep` into exactly three parts. (Names are a few dozen
/// bytes: a plain loop beats `memchr`'s setup.)
fn three(s: &str, sep: u8) -> Option<[&str; 3]> {
    let b = s.as_bytes();
    let i = b.iter().position(|&c| c == sep)?;
    let j = i + 1 + b[i + 1..].iter().position(|&c| c == sep)?;
    if b[j + 1..].contains(&sep) {
        return None;
    }
    Some([&s[..i], &s[i + 1..j], &s[j + 1..]])
}

/// `path` split into its folder (`""` at the root) and its name; `None`
/// for a path with a leading `/` (which is another path than without).
pub fn split_path(path: &str) -> Option<(&str, &str)> {
    match path.as_bytes().iter().rposition(|&c| c == b'/') {
        Some(0) => None,
        Some(k) => Some((&path[..k], &path[k + 1..])),
        None => Some(("", path)),
    }
}

impl Plan {
    /// Rank of `word` in the vocabulary (`words` are lowercase letters).
    /// Its first letter is read as lowercase: title words are capitalized
    /// (a word that is not finds its file, whose title then differs).
    fn word_rank(&self, word: &str) -> Option<u64> {
        self.word_ranks.get(&packed(word)?).map(|&r| r as u64)
    }

    /// The files whose own three title words (lowercase) are `w`: with
    /// more files than word triples, names repeat every `v^3` files.
    fn files_with_words(&self, w: [&str; 3]) -> impl Iterator<Item = u64> + '_ {
        let v = self.vocab.len() as u64;
        let x = match (
            self.word_rank(w[0]),
            self.word_rank(w[1]),
            self.word_rank(w[2]),
        ) {
            (Some(a), Some(b), Some(c)) => Some((a * v + b) * v + c),
            _ => None,
        };
        let first = x.map(|x| self.title_perm.invert(x));
        let step = v * v * v;
        (0..)
            .map_while(move |k: u64| first.map(|f| f + k * step))
            .take_while(|&i| i < self.files)
    }

    /// The folder whose own name (a path component) is `name`.
    fn folder_named(&self, name: &str) -> Option<u64> {
        let v = self.vocab.len() as u64;
        let mut parts = name.split('-');
        let a = self.word_rank(parts.next()?)?;
        let b = self.word_rank(parts.next()?)?;
        let extra = match parts.next() {
            None => 0,
            Some(n) => n.parse::<u64>().ok().filter(|&n| n > 0)?,
        };
        if parts.next().is_some() {
            return None;
        }
        // A numeric suffix as large as anyone writes must not overflow.
        let j = extra
            .checked_mul(v * v)?
            .checked_add(self.folder_perm.invert(a * v + b))?;
        (j != 0 && j < self.folders && self.kept_folder_name(j) == name).then_some(j)
    }

    /// The folder at `path` (relative to the root, no trailing `/`; empty
    /// for the root).
    pub fn folder_at(&self, path: &str) -> Option<u64> {
        let root = self.content_root();
        let path = if root.is_empty() {
            path
        } else if path == root {
            ""
        } else {
            path.strip_prefix(root)?.strip_prefix('/')?
        };
        if path.is_empty() {
            return Some(0);
        }
        let mut j = 0;
        for part in path.split('/') {
            let k = self.folder_named(part)?;
            if self.parent(k) != j {
                return None;
            }
            j = k;
        }
        Some(j)
    }

    /// The file at `path` (relative to the root, as in the manifest).
    pub fn file_at(&self, path: &str) -> Option<u64> {
        let (dir, name) = split_path(path)?;
        self.file_named_in(self.folder_at(dir)?, name)
    }

    /// Whether folder `j`'s path is `dir`, compared from the deepest
    /// folder up without building the path.
    pub fn is_folder_path(&self, mut j: u64, mut dir: &str) -> bool {
        while j != 0 {
            let Some(rest) = dir.strip_suffix(self.kept_folder_name(j)) else {
                return false;
            };
            j = self.parent(j);
            dir = if j == 0 && self.content_root().is_empty() {
                rest
            } else {
                match rest.strip_suffix('/') {
                    Some(r) => r,
                    None => return false,
                }
            };
        }
        dir == self.content_root()
    }

    /// The file of folder `j` named `name`.
    pub fn file_named_in(&self, j: u64, name: &str) -> Option<u64> {
        if name == self.index_name() {
            let i = self.files_in(j).start;
            return (i < self.files && self.is_index(i)).then_some(i);
        }
        let words = three(name.strip_suffix(".md")?, b'_')?;
        self.files_with_words(words).find(|&i| {
            self.folder_of(i) == j && !self.is_index(i) && self.own_title_words(i) == words
        })
    }

    /// Every file named `name` (a path's last component), in any folder,
    /// in file order.
    pub fn files_named(&self, name: &str) -> Vec<u64> {
        if name == self.index_name() {
            return (0..self.folders)
                .map(|j| self.files_in(j).start)
                .filter(|&i| i < self.files && self.is_index(i))
                .collect();
        }
        let Some(words) = name.strip_suffix(".md").and_then(|stem| three(stem, b'_')) else {
            return Vec::new();
        };
        self.files_with_words(words)
            .filter(|&i| !self.is_index(i) && self.file_name(i) == name)
            .collect()
    }

    /// The files whose title or id, read as words, may be `words` (each
    /// file with whether it is an index and its collision partner, which
    /// its title depends on): a file of those own words and the next one
    /// (a collision copies its predecessor's title), or the index of the
    /// network whose title they are. Unconfirmed.
    fn title_candidates(&self, words: &[&str]) -> Vec<(u64, bool, Option<u64>)> {
        let mut out = Vec::new();
        if let [a, b] = words {
            if a.eq_ignore_ascii_case("documentation") && b.eq_ignore_ascii_case("root") {
                out.push((0, true, None));
            }
        }
        if let [a, b, c] = words {
            for i in self.files_with_words([a, b, c]) {
                if self.is_index(i) {
                    continue;
                }
                let p = self.collision_partner(i);
                if p.is_none() {
                    out.push((i, false, None));
                }
                if i + 1 < self.files && self.collision_partner(i + 1) == Some(i) {
                    out.push((i + 1, false, Some(i)));
                }
            }
        }
        let v = self.vocab.len() as u64;
        if let [a, b, rest @ ..] = words {
            let extra = match rest {
                [] => Some(0),
                [n] => n.parse::<u64>().ok().filter(|&n| n > 0),
                _ => None,
            };
            if let (Some(a), Some(b), Some(extra)) = (self.word_rank(a), self.word_rank(b), extra) {
                let j = extra
                    .checked_mul(v * v)
                    .and_then(|x| x.checked_add(self.folder_perm.invert(a * v + b)))
                    .unwrap_or(u64::MAX);
                if j > 0 && j < self.folders && self.is_network(j) {
                    out.push((self.files_in(j).start, true, None));
                }
            }
        }
        out.retain(|c| c.0 < self.files && (c.1 == self.is_index(c.0)));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every file titled `title`, in file order.
    pub fn files_titled(&self, title: &str) -> Vec<u64> {
        self.with_title(title, ' ', |t| t == title)
    }

    /// Every file whose id is `id`, in file order.
    pub fn files_with_id(&self, id: &str) -> Vec<u64> {
        self.with_title(id, '-', |t| slug(t) == id)
    }

    /// The files whose title, read from `key`'s words (cut at `sep`), is
    /// `ok` (for an id: only files with front matter have one).
    fn with_title(&self, key: &str, sep: char, ok: impl Fn(&str) -> bool) -> Vec<u64> {
        let mut words = [""; 4];
        let mut n = 0;
        for w in key.split(sep) {
            if n == words.len() {
                return Vec::new();
            }
            words[n] = w;
            n += 1;
        }
        let by_id = sep == '-';
        self.title_candidates(&words[..n])
            .into_iter()
            .filter(|&(i, index, partner)| {
                (!by_id || self.fm_given(i, index, partner))
                    && ok(&self.title_given(i, index, partner))
            })
            .map(|c| c.0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::{Params, Plan};
    use crate::profile::Profile;

    fn plan(files: u64) -> Plan {
        let p = Profile::default();
        Plan::new(Params::new(p, files * 4000, 7, Some(files))).expect("plan")
    }

    #[test]
    fn every_path_title_and_id_leads_back_to_its_file() {
        let plan = plan(600);
        for i in 0..plan.files {
            let f = plan.file(i);
            assert_eq!(plan.file_at(&f.path), Some(i), "{}", f.path);
            assert!(plan.files_titled(&f.title).contains(&i), "{}", f.title);
            if let Some(id) = &f.id {
                assert!(plan.files_with_id(id).contains(&i), "{id}");
            }
        }
        assert_eq!(plan.folder_at(""), Some(0));
    }

    #[test]
    fn what_no_file_has_finds_nothing() {
        let plan = plan(600);
        let f = plan.file(5);
        for path in [
            "nope.md",
            "/index.md",
            "index",
            &f.path.replace(".md", ".txt"),
            &format!("x/{}", f.path),
            &format!("{}/", f.path),
        ] {
            assert_eq!(plan.file_at(path), None, "{path}");
        }
        assert!(plan.files_titled("Data File").is_empty());
        assert!(plan.files_titled(&f.title.to_lowercase()).is_empty());
        assert!(plan.files_with_id("data-file-value-system").is_empty());
        // Numeric suffixes too large to be a folder's do not overflow.
        assert_eq!(plan.folder_at("data-file-18446744073709551615"), None);
        assert!(plan
            .files_titled("Data File 18446744073709551615")
            .is_empty());
    }

    #[test]
    fn a_collision_shares_its_title_with_the_file_before() {
        let mut p = Profile::default();
        p.references.collision_share = 0.5;
        let plan = Plan::new(Params::new(p, 400 * 4000, 3, Some(400))).expect("plan");
        let c = (0..plan.files)
            .find_map(|i| plan.collision_partner(i).map(|p| (p, i)))
            .expect("a collision");
        let title = plan.file(c.0).title;
        assert_eq!(plan.files_titled(&title), vec![c.0, c.1]);
    }
}

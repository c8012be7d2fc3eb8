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
use crate::text::slug;

impl Plan {
    /// Rank of `word` in the vocabulary (`words` are lowercase letters).
    fn word_rank(&self, word: &str) -> Option<u64> {
        self.word_ranks.get(word).map(|&r| r as u64)
    }

    /// The files whose own three title words (lowercase) are `w`: with
    /// more files than word triples, names repeat every `v^3` files.
    fn files_with_words(&self, w: [&str; 3]) -> impl Iterator<Item = u64> + '_ {
        let v = self.vocab.len() as u64;
        let x = match (self.word_rank(w[0]), self.word_rank(w[1]), self.word_rank(w[2])) {
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
        let j = self.folder_perm.invert(a * v + b) + extra * v * v;
        (j != 0 && j < self.folders && self.folder_name(j) == name).then_some(j)
    }

    /// The folder at `path` (relative to the root, no trailing `/`; empty
    /// for the root).
    pub fn folder_at(&self, path: &str) -> Option<u64> {
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
        let (dir, name) = match path.rsplit_once('/') {
            // `/x.md` is another path than `x.md`.
            Some(("", _)) => return None,
            Some(parts) => parts,
            None => ("", path),
        };
        let j = self.folder_at(dir)?;
        if name == "index.md" {
            let i = self.files_in(j).start;
            return (i < self.files && self.is_index(i)).then_some(i);
        }
        let mut w = name.strip_suffix(".md")?.split('_');
        let words = [w.next()?, w.next()?, w.next()?];
        if w.next().is_some() {
            return None;
        }
        self.files_with_words(words)
            .find(|&i| self.folder_of(i) == j && !self.is_index(i) && self.file_name(i) == name)
    }

    /// The files whose title or id, read as lowercase words, may be
    /// `words`: a file of those own words and the next one (a collision
    /// copies its predecessor's title), or the index of the network whose
    /// title they are. Unconfirmed.
    fn title_candidates(&self, words: &[&str]) -> Vec<u64> {
        let mut out = vec![0];
        if let [a, b, c] = words {
            for i in self.files_with_words([a, b, c]) {
                out.push(i);
                if i + 1 < self.files {
                    out.push(i + 1);
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
            if let (Some(a), Some(b), Some(extra)) = (self.word_rank(a), self.word_rank(b), extra)
            {
                let j = self.folder_perm.invert(a * v + b) + extra * v * v;
                if j < self.folders {
                    out.push(self.files_in(j).start);
                }
            }
        }
        out.retain(|&i| i < self.files);
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every file titled `title`, in file order.
    pub fn files_titled(&self, title: &str) -> Vec<u64> {
        let lower = title.to_ascii_lowercase();
        let words: Vec<&str> = lower.split(' ').collect();
        let mut c = self.title_candidates(&words);
        c.retain(|&i| self.file_title(i) == title);
        c
    }

    /// Every file whose id is `id`, in file order.
    pub fn files_with_id(&self, id: &str) -> Vec<u64> {
        let words: Vec<&str> = id.split('-').collect();
        let mut c = self.title_candidates(&words);
        c.retain(|&i| self.has_front_matter(i) && slug(&self.file_title(i)) == id);
        c
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

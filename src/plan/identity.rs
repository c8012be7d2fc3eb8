//! Who each file is: its name, title, id, front matter, bid, whether it
//! deliberately collides with its neighbour or is an orphan, and how an
//! Obsidian wikilink names it.

use super::{FileMeta, Plan};
use crate::dialect::noet_slug as slug;
use crate::record::FrontMatterFormat;
use crate::rng::{stream, Domain};
use crate::text::push_capitalized;

impl Plan {
    /// Title and id of the network whose index is in folder `j`.
    pub(super) fn network_title(&self, j: u64) -> String {
        if j == 0 {
            return "Documentation Root".to_string();
        }
        let (a, b, extra) = self.folder_words(j);
        let mut t = String::new();
        push_capitalized(&mut t, a);
        t.push(' ');
        push_capitalized(&mut t, b);
        if extra > 0 {
            t.push_str(&format!(" {extra}"));
        }
        t
    }

    pub(super) fn own_title_words(&self, i: u64) -> [&'static str; 3] {
        let v = self.vocab.len() as u64;
        let x = self.title_perm.apply(i % (v * v * v));
        [
            self.vocab.get((x / (v * v)) as usize),
            self.vocab.get((x / v % v) as usize),
            self.vocab.get((x % v) as usize),
        ]
    }

    pub(super) fn is_index(&self, i: u64) -> bool {
        let j = self.folder_of(i);
        self.files_in(j).start == i && self.is_network(j)
    }

    pub(super) fn collision_draw(&self, i: u64) -> bool {
        let mut r = stream(self.params.seed, Domain::Identity, &[i, 1]);
        r.chance(self.params.profile.references.collision_share)
    }

    pub(super) fn front_matter_draw(&self, i: u64) -> bool {
        let mut r = stream(self.params.seed, Domain::Identity, &[i, 2]);
        r.chance(self.params.profile.front_matter.share)
    }

    /// The file whose title and id file `i` duplicates, if it is a deliberate
    /// collision: the previous ordinary file of the same folder, which must
    /// carry front matter and not collide itself.
    pub fn collision_partner(&self, i: u64) -> Option<u64> {
        if i == 0 || self.params.profile.references.collision_share <= 0.0 {
            return None;
        }
        let prev = i - 1;
        if self.folder_of(prev) != self.folder_of(i) || self.is_index(i) || self.is_index(prev) {
            return None;
        }
        if self.collision_draw(i) && !self.collision_draw(prev) && self.front_matter_draw(prev) {
            Some(prev)
        } else {
            None
        }
    }

    /// File `i`'s name (its path's last component).
    pub fn file_name(&self, i: u64) -> String {
        self.name_given(i, self.is_index(i))
    }

    /// [`Plan::file_name`] with whether `i` is an index already known.
    fn name_given(&self, i: u64, is_index: bool) -> String {
        if is_index {
            return self.index_name().to_string();
        }
        let w = self.own_title_words(i);
        format!("{}_{}_{}.md", w[0], w[1], w[2])
    }

    /// The name of a network's index page: `index.md`, or a Hugo
    /// section's `_index.md` (an `index.md` would make the folder one
    /// page, its subfolders that page's resources).
    pub fn index_name(&self) -> &'static str {
        if self.site() == Some(crate::site::Site::Hugo) {
            "_index.md"
        } else {
            "index.md"
        }
    }

    /// File `i`'s title: a network's for its index, else three words (its
    /// own, or those of the file it deliberately collides with).
    pub fn file_title(&self, i: u64) -> String {
        self.title_given(i, self.is_index(i), self.collision_partner(i))
    }

    /// [`Plan::file_title`] with whether `i` is an index and its collision
    /// partner already known (each costs random draws).
    pub(super) fn title_given(&self, i: u64, is_index: bool, collides_with: Option<u64>) -> String {
        if is_index {
            return self.network_title(self.folder_of(i));
        }
        let src = match collides_with {
            Some(p) => self.own_title_words(p),
            None => self.own_title_words(i),
        };
        let mut t = String::new();
        for (k, word) in src.iter().enumerate() {
            if k > 0 {
                t.push(' ');
            }
            push_capitalized(&mut t, word);
        }
        t
    }

    /// File `i`'s path relative to the root.
    pub fn file_path(&self, i: u64) -> String {
        self.path_given(i, self.is_index(i))
    }

    /// [`Plan::file_path`] with whether `i` is an index already known.
    fn path_given(&self, i: u64, is_index: bool) -> String {
        let folder_path = self.folder_path(self.folder_of(i));
        let name = self.name_given(i, is_index);
        if folder_path.is_empty() {
            name
        } else {
            format!("{folder_path}/{name}")
        }
    }

    /// Whether file `i` has front matter (and so an id): every index and
    /// collision does, others by draw.
    pub fn has_front_matter(&self, i: u64) -> bool {
        self.fm_given(i, self.is_index(i), self.collision_partner(i))
    }

    /// [`Plan::has_front_matter`] with whether `i` is an index and its
    /// collision partner already known.
    pub(super) fn fm_given(&self, i: u64, is_index: bool, collides_with: Option<u64>) -> bool {
        // mdBook has no front matter: it would be a rule and a heading.
        if self.site() == Some(crate::site::Site::Mdbook) {
            return false;
        }
        is_index || collides_with.is_some() || self.front_matter_draw(i)
    }

    /// Everything about file `i`.
    pub fn file(&self, i: u64) -> FileMeta {
        let folder = self.folder_of(i);
        let is_index = self.is_index(i);
        let collides_with = self.collision_partner(i);
        let title = self.title_given(i, is_index, collides_with);
        let has_fm = self.fm_given(i, is_index, collides_with);
        // Only a file with front matter writes its id down.
        let id = has_fm.then(|| slug(&title));
        let front_matter = has_fm.then(|| {
            let mut r = stream(self.params.seed, Domain::Identity, &[i, 3]);
            let drawn = self.fm_formats.sample(&mut r);
            match drawn {
                // Obsidian and GitHub read YAML front matter only.
                _ if !self.dialect().is_noet() => FrontMatterFormat::Yaml,
                0 => FrontMatterFormat::Toml,
                1 => FrontMatterFormat::Yaml,
                _ => FrontMatterFormat::Json,
            }
        });
        let bid = (has_fm && self.params.profile.front_matter.bids).then(|| self.bid(i));
        let path = self.path_given(i, is_index);
        let size = self.file_size(i);
        let headings = self.section_count(i);
        let alias = self
            .alias_given(i, is_index, has_fm, collides_with)
            .then(|| title.clone());
        FileMeta {
            index: i,
            path,
            folder,
            is_index,
            size,
            title,
            id,
            front_matter,
            bid,
            headings,
            collides_with,
            orphan: self.is_orphan(i),
            alias,
        }
    }

    /// Whether file `i` lists its title as an alias.
    pub fn has_alias(&self, i: u64) -> bool {
        let is_index = self.is_index(i);
        let collides_with = self.collision_partner(i);
        let has_fm = self.fm_given(i, is_index, collides_with);
        self.alias_given(i, is_index, has_fm, collides_with)
    }

    /// [`Plan::has_alias`] with what [`Plan::file`] already knows. A note in
    /// a deliberate collision has none: its title is another's too, and an
    /// alias two notes share resolves to neither for certain.
    fn alias_given(
        &self,
        i: u64,
        is_index: bool,
        has_fm: bool,
        collides_with: Option<u64>,
    ) -> bool {
        let share = self.params.profile.front_matter.alias_share;
        // Hugo reads `aliases` as redirect URLs, each a page of its own.
        share > 0.0
            && self.site() != Some(crate::site::Site::Hugo)
            && has_fm
            && !is_index
            && collides_with.is_none()
            && (i + 1 >= self.files || self.collision_partner(i + 1) != Some(i))
            && stream(self.params.seed, Domain::Identity, &[i, 7]).chance(share)
    }

    /// Whether file `i` is an orphan: an ordinary document that no
    /// reference of any kind (chains included) targets.
    pub fn is_orphan(&self, i: u64) -> bool {
        let share = self.params.profile.references.orphan_share;
        // A collision pair shares a title and id, so links to one can land
        // on the other: neither is an orphan.
        share > 0.0
            && !self.is_index(i)
            && stream(self.params.seed, Domain::Identity, &[i, 6]).chance(share)
            && self.collision_partner(i).is_none()
            && (i + 1 >= self.files || self.collision_partner(i + 1) != Some(i))
    }

    /// The deterministic UUID (v4 layout) of file `i`.
    pub fn bid(&self, i: u64) -> String {
        let mut r = stream(self.params.seed, Domain::Identity, &[i, 4]);
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&r.next_u64().to_be_bytes());
        b[8..].copy_from_slice(&r.next_u64().to_be_bytes());
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        uuid::Uuid::from_bytes(b).hyphenated().to_string()
    }

    /// How an Obsidian wikilink names file `f`: its file name without `.md`
    /// (names of ordinary files are unique in the corpus by construction),
    /// or for a network's `index.md` its vault path without `.md` (the
    /// root's is `index`: Obsidian tries the exact vault path first, so the
    /// bare name means the root's `index.md`, not one beside the source).
    pub fn wikilink_name(&self, f: &FileMeta) -> String {
        let stem = f.path.strip_suffix(".md").unwrap_or(&f.path);
        if f.is_index {
            stem.to_string()
        } else {
            stem.rsplit('/').next().unwrap_or(stem).to_string()
        }
    }

    /// How many sections (headings other than the H1) file `i` has: what
    /// [`Plan::file`] gives as `headings`, without the rest of it.
    pub fn section_count(&self, i: u64) -> u64 {
        if self.is_stub(i) {
            return 0;
        }
        let size = self.file_size(i);
        let per_kb = self.params.profile.headings.per_kb;
        // At most one heading per 96 bytes, so headings (which are never
        // cut short) leave room for the text that makes the size exact.
        ((size as f64 / 1024.0 * per_kb).round() as u64)
            .min(size / 96)
            .saturating_sub(1)
    }
}

//! The plan: what every file, folder and heading of a corpus is, as pure
//! functions of (seed, profile, index).
//!
//! Building a [`Plan`] costs one O(files) pass (to scale sizes to the exact
//! requested total) and O(1) memory per corpus; after that, any file's
//! metadata or any heading's text can be computed independently, which is
//! what lets files render in parallel, in any order, or on different machines.

use crate::profile::Profile;
use crate::record::{FrontMatterFormat, LinkKind};
use crate::rng::{hash_coords, stream, Domain, Permutation, Weighted};
use crate::text::grammar::Grammar;
use crate::text::lexicon::Lexicon;
use crate::text::Vocab;
use serde::{Deserialize, Serialize};
use std::ops::Range;

mod headings;
mod identity;
mod lookup;
mod memo;

pub use headings::SectionIds;
pub use lookup::split_path;

/// Version of the corpus format: bump it whenever the bytes produced for a
/// given (profile, size, seed, files) change.
pub const FORMAT_VERSION: u32 = 10;

/// Smallest average file size a corpus can be asked for.
pub const MIN_FILE_BYTES: u64 = 256;

/// Everything the bytes of a corpus depend on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// [`FORMAT_VERSION`] of the generator.
    pub format: u32,
    /// Total markdown bytes requested.
    pub size: u64,
    /// The seed.
    pub seed: u64,
    /// File count override (`--files`), if any.
    pub files: Option<u64>,
    /// The profile as used, every key present.
    pub profile: Profile,
    /// The revision of the corpus's edit history (0: as first generated;
    /// see `revise`). Left out while 0, so revision 0 keeps its key.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub revision: u64,
}

fn is_zero_u64(x: &u64) -> bool {
    *x == 0
}

impl Params {
    /// Parameters for this generator version.
    pub fn new(profile: Profile, size: u64, seed: u64, files: Option<u64>) -> Self {
        Params {
            format: FORMAT_VERSION,
            size,
            seed,
            files,
            profile,
            revision: 0,
        }
    }
}

/// Parameters that cannot make a corpus.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Size zero.
    #[error("the requested size is 0 bytes; ask for at least {MIN_FILE_BYTES} bytes")]
    ZeroSize,
    /// `--files 0`.
    #[error("the requested file count is 0; a corpus needs at least one file")]
    ZeroFiles,
    /// Not enough bytes for the files.
    #[error("a size of {size} bytes is too small for {files} files: each file needs at least {MIN_FILE_BYTES} bytes; ask for at least {need} bytes or fewer files")]
    TooSmall {
        /// Requested bytes.
        size: u64,
        /// File count.
        files: u64,
        /// Bytes needed.
        need: u64,
    },
    /// More files than any layout supports.
    #[error("{files} files is more than this tool supports (at most 100,000,000); ask for fewer bytes or raise layout.file_size_median")]
    TooManyFiles {
        /// File count.
        files: u64,
    },
}

/// One file of the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct FileMeta {
    /// Index in the corpus (path order is not index order).
    pub index: u64,
    /// Path relative to the corpus root, `/`-separated.
    pub path: String,
    /// Folder index.
    pub folder: u64,
    /// Whether this is a network's `index.md`.
    pub is_index: bool,
    /// Exact size in bytes.
    pub size: u64,
    /// The document title as noet will read it.
    pub title: String,
    /// The document id (front matter `id`), if it has front matter.
    pub id: Option<String>,
    /// Front matter format, if any.
    pub front_matter: Option<FrontMatterFormat>,
    /// Deterministic UUID, if bids are on and the file has front matter.
    pub bid: Option<String>,
    /// Sections (headings other than the H1).
    pub headings: u64,
    /// If this document deliberately duplicates another's title and id: the
    /// other file's index.
    pub collides_with: Option<u64>,
    /// No reference targets this file (`references.orphan_share`).
    pub orphan: bool,
    /// Its alias (front matter `aliases`, `front_matter.alias_share`): the
    /// title, by which Obsidian's `[[Title]]` finds a note whose file name
    /// differs.
    pub alias: Option<String>,
}

/// A section heading's text and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingMeta {
    /// Heading text as written (without any `{#id}`).
    pub text: String,
    /// The id: explicit, or the slug of the text.
    pub id: String,
    /// Written with an explicit `{#id}`.
    pub explicit: bool,
    /// The block id (obsidian: `^id`) ending the paragraph right after the
    /// heading, if it has one.
    pub block: Option<String>,
}

/// The whole corpus as functions of indices.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The parameters.
    pub params: Params,
    /// Number of files.
    pub files: u64,
    /// Number of folders.
    pub folders: u64,
    /// Number of image assets.
    pub assets: u64,
    /// The vocabulary of titles, headings and names.
    pub vocab: Vocab,
    /// The grammar and open lexicon of prose.
    pub grammar: Grammar,
    scale: f64,
    remainder: u64,
    title_perm: Permutation,
    folder_perm: Permutation,
    hub_perm: Permutation,
    /// The popularity law reference targets are drawn from.
    hub_law: crate::rng::ZipfLaw,
    chain_perm: Permutation,
    /// Stratification: file i draws its size from quantile stratum
    /// `size_perm(i)` of n, and its density from stratum `density_perm(i)`,
    /// so a corpus of n files covers each distribution evenly instead of
    /// drifting with the luck of n independent draws.
    size_perm: Permutation,
    density_perm: Permutation,
    /// Multiplies every file's drawn density so that the byte-weighted mean
    /// density of the corpus is the distribution's mean (see `density`).
    density_scale: f64,
    fm_formats: Weighted,
    /// Every folder's own name, back to back; folder `j`'s ends at
    /// `folder_name_ends[j]`. Whole paths are rebuilt from these on demand:
    /// stored whole they took ~200 bytes a folder (14 MB at 10 GB).
    folder_names: String,
    folder_name_ends: Vec<u32>,
    networks: Vec<bool>,
    hubs: Vec<FileMeta>,
    memo: memo::HubMemo,
    heading_step: u64,
    /// Each vocabulary word's rank, to read names and titles back
    /// (`lookup`); never iterated, so its order cannot reach the output.
    word_ranks: lookup::WordRanks,
}

/// How many of the most popular targets keep their metadata precomputed:
/// with a Zipf law most references land on them.
const HUB_CACHE: u64 = 16384;

impl Plan {
    /// Plan a corpus.
    pub fn new(params: Params) -> Result<Plan, PlanError> {
        let p = &params.profile;
        let size = params.size;
        if size == 0 {
            return Err(PlanError::ZeroSize);
        }
        let files = match params.files {
            Some(0) => return Err(PlanError::ZeroFiles),
            Some(n) => n,
            None => {
                let median = p.layout.file_size_median;
                let sigma = p.layout.file_size_sigma;
                let mean = (median * libm::exp(sigma * sigma / 2.0))
                    .clamp(p.layout.file_size_min as f64, p.layout.file_size_max as f64);
                let s = p.layout.stub_share;
                let stub_mean = (MIN_FILE_BYTES / 2 + p.layout.stub_bytes_max) as f64 / 2.0;
                let mean = mean * (1.0 - s) + stub_mean * s;
                ((size as f64 / mean).round() as u64).max(1)
            }
        };
        if files > 100_000_000 {
            return Err(PlanError::TooManyFiles { files });
        }
        let need = files.saturating_mul(MIN_FILE_BYTES);
        if size < need {
            return Err(PlanError::TooSmall { size, files, need });
        }
        let vocab = Vocab::new(p.text.word_exponent);
        let v = vocab.len() as u64;
        let seed = params.seed;
        let key = |tag: u64| hash_coords(seed, Domain::Corpus, &[tag]);
        let folders = files.div_ceil(p.layout.files_per_folder);
        let has_images = p.references.kinds[LinkKind::Image] > 0.0 && p.references.per_kb_max > 0.0;
        let fm = &p.front_matter;
        let mut plan = Plan {
            files,
            folders,
            assets: if has_images { p.layout.assets } else { 0 },
            scale: 1.0,
            remainder: 0,
            title_perm: Permutation::new(v * v * v, key(1)),
            folder_perm: Permutation::new(v * v, key(2)),
            hub_perm: Permutation::new(files, key(3)),
            hub_law: crate::rng::ZipfLaw::new(files, params.profile.references.hub_exponent),
            chain_perm: Permutation::new(files, key(4)),
            size_perm: Permutation::new(files, key(6)),
            density_perm: Permutation::new(files, key(7)),
            density_scale: 1.0,
            fm_formats: Weighted::new(&[fm.toml, fm.yaml, fm.json]),
            vocab,
            grammar: Grammar::new(
                Lexicon::new(
                    p.text.lexicon_head as usize,
                    p.text.lexicon_exponent,
                    p.text.lexicon_tail_exponent,
                )
                .with_long_words(p.text.long_words),
            )
            .with_function_words(p.text.function_words),
            params,
            folder_names: String::new(),
            folder_name_ends: Vec::new(),
            networks: Vec::new(),
            hubs: Vec::new(),
            memo: memo::HubMemo::default(),
            heading_step: coprime_step(v),
            word_ranks: lookup::WordRanks::default(),
        };
        plan.word_ranks = lookup::word_ranks((0..plan.vocab.len()).map(|r| plan.vocab.get(r)));
        // Folder names and network flags are needed for every reference;
        // computing them once costs O(folders), about 1/12 of the files.
        plan.networks = (0..folders).map(|j| plan.network_draw(j)).collect();
        let mut names = String::new();
        let mut ends = Vec::with_capacity(folders as usize);
        for j in 0..folders {
            names.push_str(&plan.folder_name(j));
            ends.push(u32::try_from(names.len()).expect("under 4 GB of folder names"));
        }
        plan.folder_names = names;
        plan.folder_name_ends = ends;
        // Scale raw sizes so they sum to exactly `size`: floor each scaled
        // size, then give the first `remainder` files one byte more.
        let stubs: f64 = (0..files)
            .filter(|&i| plan.is_stub(i))
            .map(|i| plan.raw_size(i))
            .sum();
        let raw_total: f64 = (0..files)
            .filter(|&i| !plan.is_stub(i))
            .map(|i| plan.raw_size(i))
            .sum();
        plan.scale = (size as f64 - stubs).max(1.0) / raw_total.max(1.0);
        let sum_floors = |plan: &Plan| (0..files).map(|i| plan.scaled_floor(i)).sum::<u64>();
        let mut floors = sum_floors(&plan);
        if floors > size {
            // The per-file minimum binds (a wide size spread with a small
            // total): shrink the scale until the floors fit, by bisection.
            let (mut lo, mut hi) = (0.0, plan.scale);
            for _ in 0..64 {
                plan.scale = (lo + hi) / 2.0;
                if sum_floors(&plan) > size {
                    hi = plan.scale;
                } else {
                    lo = plan.scale;
                }
            }
            plan.scale = lo;
            floors = sum_floors(&plan);
        }
        plan.remainder = size.saturating_sub(floors);
        // Densities are stratified over files, but which file gets which is
        // independent of its size, so a few large files drawing low (or
        // high) densities moved the corpus's references per KB by 10-25%
        // from seed to seed in trees of a hundred files. Rescale so the
        // byte-weighted mean is exactly the distribution's mean.
        let r = &plan.params.profile.references;
        if r.per_kb_max > 0.0 {
            let mean = r.per_kb_min + (r.per_kb_max - r.per_kb_min) / (r.density_skew + 1.0);
            let (mut refs, mut bytes) = (0.0, 0.0);
            for i in 0..files {
                let s = plan.file_size(i) as f64;
                refs += s * plan.drawn_density(i);
                bytes += s;
            }
            if refs > 0.0 {
                plan.density_scale = mean * bytes / refs;
            }
        }
        plan.hubs = (0..files.min(HUB_CACHE))
            .map(|r| plan.file(plan.hub_perm.apply(r)))
            .collect();
        plan.memo = memo::HubMemo::new(&plan);
        Ok(plan)
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.params.profile
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.params.seed
    }

    /// The site whose project the corpus is laid out as, if any.
    pub fn site(&self) -> Option<crate::site::Site> {
        self.params.profile.site
    }

    /// The folder every path of the corpus starts in: a site's content
    /// folder (`src`, `docs`), else the root (empty).
    pub fn content_root(&self) -> &'static str {
        self.site().map_or("", |s| s.content_dir())
    }

    /// `rel`, a path relative to the content root, relative to the corpus
    /// root.
    pub fn in_content(&self, rel: &str) -> String {
        let root = self.content_root();
        if root.is_empty() {
            rel.to_string()
        } else if rel.is_empty() {
            root.to_string()
        } else {
            format!("{root}/{rel}")
        }
    }

    /// Whether file `i` is a stub page (never the root index).
    pub fn is_stub(&self, i: u64) -> bool {
        let l = &self.params.profile.layout;
        i > 0
            && l.stub_share > 0.0
            && stream(self.params.seed, Domain::FileSize, &[i, 1]).chance(l.stub_share)
    }

    /// File `i`'s size before scaling: a lognormal draw, or for a stub a
    /// uniform size up to `stub_bytes_max`.
    fn raw_size(&self, i: u64) -> f64 {
        let l = &self.params.profile.layout;
        let mut rng = stream(self.params.seed, Domain::FileSize, &[i]);
        if self.is_stub(i) {
            return rng.range(MIN_FILE_BYTES / 2, l.stub_bytes_max.max(MIN_FILE_BYTES / 2)) as f64;
        }
        let u = (self.size_perm.apply(i) as f64 + rng.unit()) / self.files as f64;
        let z = crate::rng::inverse_normal(u);
        libm::exp(libm::log(l.file_size_median) + l.file_size_sigma * z)
            .clamp(l.file_size_min as f64, l.file_size_max as f64)
    }

    /// Stubs keep their drawn size; other files are scaled to fill the total.
    fn scaled_floor(&self, i: u64) -> u64 {
        if self.is_stub(i) {
            return self.raw_size(i) as u64;
        }
        ((self.raw_size(i) * self.scale) as u64).max(MIN_FILE_BYTES / 2)
    }

    /// Exact byte size of file `i`.
    pub fn file_size(&self, i: u64) -> u64 {
        self.scaled_floor(i) + u64::from(i < self.remainder)
    }

    /// The folder holding file `i`.
    pub fn folder_of(&self, i: u64) -> u64 {
        i / self.params.profile.layout.files_per_folder
    }

    /// Files of folder `j`, as an index range.
    pub fn files_in(&self, j: u64) -> Range<u64> {
        let f = self.params.profile.layout.files_per_folder;
        (j * f).min(self.files)..((j + 1) * f).min(self.files)
    }

    /// Parent folder of `j` (the root is its own parent).
    pub fn parent(&self, j: u64) -> u64 {
        if j == 0 {
            0
        } else {
            (j - 1) / self.params.profile.layout.fanout
        }
    }

    /// Child folders of `j`.
    pub fn children(&self, j: u64) -> Range<u64> {
        let b = self.params.profile.layout.fanout;
        let lo = (j * b + 1).min(self.folders);
        let hi = (j * b + b + 1).min(self.folders);
        lo..hi
    }

    /// Whether folder `j` is a network (holds an `index.md`).
    pub fn is_network(&self, j: u64) -> bool {
        match self.networks.get(j as usize) {
            Some(&n) => n,
            None => self.network_draw(j),
        }
    }

    fn network_draw(&self, j: u64) -> bool {
        // Hugo makes a page of every top-level folder: give each its
        // `_index.md`, so that every page it builds is a document.
        let hugo_section = self.params.profile.site == Some(crate::site::Site::Hugo)
            && j <= self.params.profile.layout.fanout;
        j == 0
            || hugo_section
            || stream(self.params.seed, Domain::Network, &[j])
                .chance(self.params.profile.layout.network_share)
    }

    /// The nearest network folder at or above `j`.
    pub fn network_of(&self, mut j: u64) -> u64 {
        while !self.is_network(j) {
            j = self.parent(j);
        }
        j
    }

    fn folder_words(&self, j: u64) -> (&'static str, &'static str, u64) {
        let v = self.vocab.len() as u64;
        let x = self.folder_perm.apply(j % (v * v));
        (
            self.vocab.get((x / v) as usize),
            self.vocab.get((x % v) as usize),
            j / (v * v),
        )
    }

    /// The folder's own name (empty for the root).
    pub fn folder_name(&self, j: u64) -> String {
        if j == 0 {
            return String::new();
        }
        let (a, b, extra) = self.folder_words(j);
        if extra > 0 {
            format!("{a}-{b}-{extra}")
        } else {
            format!("{a}-{b}")
        }
    }

    /// Folder `j`'s own name as kept since planning (empty for the root).
    pub(super) fn kept_folder_name(&self, j: u64) -> &str {
        let j = j as usize;
        let start = if j == 0 {
            0
        } else {
            self.folder_name_ends[j - 1] as usize
        };
        &self.folder_names[start..self.folder_name_ends[j] as usize]
    }

    /// Path of folder `j` (below [`Plan::folders`]) relative to the root,
    /// without a trailing `/` (empty for the root).
    pub fn folder_path(&self, j: u64) -> String {
        let name = |k: u64| self.kept_folder_name(k).as_bytes();
        // Walk up twice (a parent is arithmetic): once for the length,
        // once to fill the path from its end.
        let mut len = 0;
        let mut k = j;
        while k != 0 {
            len += name(k).len() + 1;
            k = self.parent(k);
        }
        let mut out = vec![b'/'; len.saturating_sub(1)];
        let mut end = out.len();
        let mut k = j;
        while k != 0 {
            let n = name(k);
            out[end - n.len()..end].copy_from_slice(n);
            end = (end - n.len()).saturating_sub(1);
            k = self.parent(k);
        }
        let path = String::from_utf8(out).expect("folder names are UTF-8");
        if self.content_root().is_empty() {
            path
        } else {
            self.in_content(&path)
        }
    }

    /// Depth of folder `j` (root = 0).
    pub fn depth(&self, mut j: u64) -> usize {
        let mut d = 0;
        while j != 0 {
            j = self.parent(j);
            d += 1;
        }
        d
    }

    /// References per 1024 bytes for file `i`: its stratified draw from
    /// `min + (max - min) * u^skew`, scaled so that the corpus as a whole
    /// (weighting each file by its size) has the distribution's mean,
    /// `min + (max - min) / (skew + 1)`.
    pub fn density(&self, i: u64) -> f64 {
        self.drawn_density(i) * self.density_scale
    }

    fn drawn_density(&self, i: u64) -> f64 {
        let r = &self.params.profile.references;
        let mut rng = stream(self.params.seed, Domain::Density, &[i]);
        let u = (self.density_perm.apply(i) as f64 + rng.unit()) / self.files as f64;
        r.per_kb_min + (r.per_kb_max - r.per_kb_min) * libm::pow(u, r.density_skew)
    }

    /// A popular target: a file drawn from the Zipf law over hub ranks.
    pub fn hub_target(&self, rng: &mut crate::rng::Rng) -> u64 {
        self.hub_perm.apply(self.hub_law.sample(rng))
    }

    /// [`Plan::file`], borrowed from the hub cache when `i` is in it.
    #[inline(never)]
    pub fn file_cached(&self, i: u64) -> std::borrow::Cow<'_, FileMeta> {
        match self.hubs.get(self.hub_perm.invert(i) as usize) {
            Some(f) => std::borrow::Cow::Borrowed(f),
            None => std::borrow::Cow::Owned(self.file(i)),
        }
    }

    /// Like [`Plan::hub_target`], with the target's metadata (borrowed from
    /// the hub cache when the target is among the most popular).
    #[inline(never)]
    pub fn hub_file(&self, rng: &mut crate::rng::Rng) -> std::borrow::Cow<'_, FileMeta> {
        let rank = self.hub_law.sample(rng);
        match self.hubs.get(rank as usize) {
            Some(f) => std::borrow::Cow::Borrowed(f),
            None => std::borrow::Cow::Owned(self.file(self.hub_perm.apply(rank))),
        }
    }

    /// The file that file `i` links to as the next link of its chain.
    pub fn chain_next(&self, i: u64) -> Option<u64> {
        let r = &self.params.profile.references;
        if r.chain_share <= 0.0 || r.per_kb_max <= 0.0 || self.files < 2 {
            return None;
        }
        let t = self.chain_perm.apply(i);
        let len = r.chain_length;
        if t + 1 >= self.files || (t + 1) / len != t / len {
            return None;
        }
        let group = t / len;
        let mut g = stream(self.params.seed, Domain::Corpus, &[5, group]);
        if !g.chance(r.chain_share) {
            return None;
        }
        let next = self.chain_perm.invert(t + 1);
        (!self.is_orphan(next)).then_some(next)
    }

    /// Path of image asset `k`: `assets/WORD-K.png` or `.svg`, by its
    /// drawn format. Every writer and resolver of asset names goes
    /// through here, so the extension cannot disagree anywhere.
    pub fn asset_path(&self, k: u64) -> String {
        let rel = format!(
            "assets/{}-{}.{}",
            self.vocab.get(k as usize),
            k,
            self.asset(k).format.extension()
        );
        if self.content_root().is_empty() {
            rel
        } else {
            self.in_content(&rel)
        }
    }

    /// Every file of the corpus other than its markdown, in the order the
    /// manifest lists them as `asset` records: the images, then a site's
    /// configuration and navigation.
    pub fn listed_assets(&self) -> u64 {
        self.assets + self.site().map_or(0, |s| s.config_paths().len() as u64)
    }

    /// The path of listed asset `k` (below [`Plan::listed_assets`]).
    pub fn listed_asset_path(&self, k: u64) -> String {
        if k < self.assets {
            return self.asset_path(k);
        }
        let site = self.site().expect("only a site lists more than its images");
        site.config_paths()[(k - self.assets) as usize].clone()
    }

    /// What image asset `k` is. Its own stream, so neither the number of
    /// assets nor any other decision moves it.
    pub fn asset(&self, k: u64) -> AssetSpec {
        use crate::profile::{ASSET_BYTES_MAX, ASSET_BYTES_MIN};
        let l = &self.params.profile.layout;
        let mut r = stream(self.params.seed, Domain::Asset, &[k]);
        let format = if r.chance(l.svg_share) {
            AssetFormat::Svg
        } else {
            AssetFormat::Png
        };
        let drawn = r.lognormal(libm::log(l.asset_bytes_median), l.asset_bytes_sigma);
        let bytes = (drawn.round() as u64).clamp(ASSET_BYTES_MIN, ASSET_BYTES_MAX);
        AssetSpec {
            format,
            bytes,
            key: r.next_u64(),
        }
    }
}

/// The file format of an image asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetFormat {
    /// A PNG raster image (screenshots, pasted images).
    Png,
    /// An SVG vector drawing (diagrams).
    Svg,
}

impl AssetFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            AssetFormat::Png => "png",
            AssetFormat::Svg => "svg",
        }
    }
}

/// Image asset `k` as drawn from (seed, profile, k): what `assets::render`
/// turns into bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssetSpec {
    /// PNG or SVG.
    pub format: AssetFormat,
    /// Target size in bytes, within `ASSET_BYTES_MIN..=ASSET_BYTES_MAX`.
    pub bytes: u64,
    /// Seeds the drawing (dimensions, colours, labels).
    pub key: u64,
}

/// The smallest step of at least `n / 3` that is coprime to `n`, so that
/// `k * step mod n` visits every residue before repeating.
fn coprime_step(n: u64) -> u64 {
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    (n / 3..n.max(2))
        .find(|&s| s > 0 && gcd(s, n) == 1)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::noet_slug as slug;

    fn plan(size: u64, files: Option<u64>) -> Plan {
        Plan::new(Params::new(Profile::default(), size, 42, files)).unwrap()
    }

    #[test]
    fn sizes_sum_exactly() {
        for (size, files) in [(5_000_000, None), (20_000, Some(3)), (123_457, None)] {
            let p = plan(size, files);
            let total: u64 = (0..p.files).map(|i| p.file_size(i)).sum();
            assert_eq!(total, size);
        }
    }

    #[test]
    fn paths_and_titles_are_unique() {
        let p = plan(5_000_000, None);
        let mut paths = std::collections::BTreeSet::new();
        let mut ids = std::collections::BTreeSet::new();
        for i in 0..p.files {
            let f = p.file(i);
            assert!(paths.insert(f.path.clone()), "duplicate path {}", f.path);
            if f.collides_with.is_none() {
                assert!(ids.insert(slug(&f.title)), "duplicate title {}", f.title);
            }
        }
        assert_eq!(p.file(0).path, "index.md");
    }

    #[test]
    fn heading_ids_unique_within_a_file() {
        let p = plan(1_000_000, Some(1));
        let f = p.file(0);
        let mut ids = std::collections::BTreeSet::new();
        for k in 0..f.headings {
            assert!(ids.insert(p.heading(0, k).id));
        }
        assert!(f.headings > 1000);
    }

    #[test]
    fn chains_link_forward_in_groups() {
        let p = plan(2_000_000, None);
        let linked = (0..p.files).filter(|&i| p.chain_next(i).is_some()).count();
        assert!(linked > 0);
    }

    #[test]
    fn rejects_impossible_sizes() {
        let mk = |size, files| Plan::new(Params::new(Profile::default(), size, 0, files));
        assert!(matches!(mk(0, None), Err(PlanError::ZeroSize)));
        assert!(matches!(mk(1000, Some(0)), Err(PlanError::ZeroFiles)));
        assert!(matches!(
            mk(1000, Some(100)),
            Err(PlanError::TooSmall { .. })
        ));
    }
}

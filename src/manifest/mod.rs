//! The manifest: parameters, files and the ground truth of every heading and
//! reference, as a stream of JSON lines in zstd frames (docs/FORMAT.md).
//!
//! One record per line, so a corpus with millions of links is written and
//! read in constant memory; [`frames`] says how the lines are stored. The first line is the `corpus` record (the
//! parameters); each `file` record is followed by its `heading` and `link`
//! records; `asset` records follow the files; the last line is the `end`
//! record, whose presence marks the manifest (and so the corpus) complete.

use crate::plan::Params;
use crate::record::FrontMatterFormat;
use crate::record::LinkRecord;
use crate::record::{BlockCounts, HeadingRecord};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

pub mod deltas;
pub mod frames;
pub use frames::{encode, FrameWriter};

/// The hidden folder at the corpus root that holds the manifest.
pub const DIR: &str = ".noet-corpus";
/// The manifest's file name inside [`DIR`].
pub const FILE: &str = "manifest.jsonl.zst";
/// The manifest of corpora of format 8 and before: the same JSON lines,
/// uncompressed. Still read (so that such a corpus is known as one, and
/// replaced), never written.
pub const LEGACY_FILE: &str = "manifest.jsonl";

/// Path of the manifest inside corpus `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(DIR).join(FILE)
}

/// Whether `root` holds a manifest, of this format or the legacy one.
pub fn exists(root: &Path) -> bool {
    path(root).exists() || root.join(DIR).join(LEGACY_FILE).exists()
}

/// The manifest's JSON lines, as a buffered stream: for a reader that
/// wants the lines as they are stored (`noet-corpus manifest`). A damaged
/// frame is an `InvalidData` error.
pub fn lines(root: &Path) -> Result<Box<dyn BufRead + Send>, ManifestError> {
    let (input, _) = open_lines(root)?;
    Ok(Box::new(BufReader::with_capacity(1 << 20, input)))
}

/// What an error reading the lines of manifest `path` at `line` is: damage
/// (a frame that does not decode, bad UTF-8) or the system's failure.
pub fn read_error(path: &Path, line: u64, e: std::io::Error) -> ManifestError {
    if e.kind() == std::io::ErrorKind::InvalidData {
        // A decoding error says what it is; `read_line`'s own InvalidData
        // carries nothing and means bad UTF-8.
        let why = match e.get_ref() {
            Some(inner) => format!("{inner}: the manifest is damaged"),
            None => "not UTF-8 text: the manifest is damaged".to_string(),
        };
        ManifestError::Bad {
            path: path.to_path_buf(),
            line,
            reason: why,
        }
    } else {
        ManifestError::Io {
            path: path.to_path_buf(),
            source: e,
        }
    }
}

/// A zstd decoder whose decoding errors are `InvalidData` (damage), not
/// `Other` or `UnexpectedEof` (which a reader would take for the system's
/// failure).
struct Decoded(zstd::stream::read::Decoder<'static, BufReader<File>>);

impl Read for Decoded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::Other => format!("not a zstd stream this tool wrote ({e})"),
                std::io::ErrorKind::UnexpectedEof => format!("cut short ({e})"),
                _ => return e,
            };
            std::io::Error::new(std::io::ErrorKind::InvalidData, why)
        })
    }
}

/// Open the manifest file of `root`: the zstd one, or else a legacy plain
/// one (then `true`), with its path.
fn open_file(root: &Path) -> Result<(File, PathBuf, bool), ManifestError> {
    let zst = path(root);
    match open_manifest(root, &zst) {
        Ok(f) => Ok((f, zst, false)),
        Err(ManifestError::Missing(_)) => {
            let legacy = root.join(DIR).join(LEGACY_FILE);
            Ok((open_manifest(root, &legacy)?, legacy, true))
        }
        Err(e) => Err(e),
    }
}

/// Open the manifest of `root` as a stream of its JSON lines, and its
/// path.
fn open_lines(root: &Path) -> Result<(Box<dyn Read + Send>, PathBuf), ManifestError> {
    let (f, path, legacy) = open_file(root)?;
    let base: Box<dyn Read + Send> = if legacy {
        Box::new(f)
    } else {
        match zstd::stream::read::Decoder::new(f) {
            Ok(d) => Box::new(Decoded(d)),
            Err(source) => return Err(ManifestError::Io { path, source }),
        }
    };
    // Revisions after the first are deltas over the manifest.
    match deltas::Composition::read(root) {
        Ok(None) => Ok((base, path)),
        Ok(Some(c)) => {
            let base = Box::new(BufReader::with_capacity(1 << 20, base));
            Ok((deltas::open_composed(base, c), path))
        }
        Err(e) => Err(read_error(&deltas::delta_path(root, 1), 1, e)),
    }
}

/// One line of the manifest.
// Records are read and written one at a time, never held by the million,
// so a file record's size costs nothing; boxing it would cost an
// allocation per file on the hot path and a `Box` in every caller's match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    /// First line: what made the corpus.
    Corpus(Box<CorpusRecord>),
    /// A markdown file.
    File(FileRecord),
    /// A heading of the preceding file.
    Heading(HeadingRecord),
    /// A reference in the preceding file.
    Link(LinkRecord),
    /// A non-markdown file (an image).
    Asset(AssetRecord),
    /// Last line: totals; marks the manifest complete.
    End(EndRecord),
}

/// The parameters and shape of the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusRecord {
    /// `noet-corpus <version>`.
    pub tool: String,
    /// Cache key: a hash of `params` (same as `noet-corpus key`).
    pub key: String,
    /// Dialect of the markdown.
    pub dialect: String,
    /// Everything the bytes depend on.
    pub params: Params,
    /// Markdown files.
    pub files: u64,
    /// Folders, the root included.
    pub folders: u64,
    /// Image assets.
    pub assets: u64,
    /// Present in a shard's manifest only: which part of the corpus it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
}

/// One of `count` parts of a corpus, built separately and joined by
/// `noet-corpus merge`. Shard `index` (1-based) holds the files with indices
/// in [`Shard::files`]; the last shard also holds the assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 1-based shard number.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// The file indices of this shard among `files`.
    pub fn files(&self, files: u64) -> std::ops::Range<u64> {
        let at = |k: u64| (k as u128 * files as u128 / self.count as u128) as u64;
        at(self.index - 1)..at(self.index)
    }

    /// Whether this is the last shard (which writes the assets).
    pub fn is_last(&self) -> bool {
        self.index == self.count
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N` with 1 <= K <= N.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("invalid shard `{s}`: use K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A markdown file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Path relative to the corpus root, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// BLAKE3 hash of the bytes, hex.
    pub blake3: String,
    /// Document title as noet reads it.
    pub title: String,
    /// Front matter `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Front matter `bid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bid: Option<String>,
    /// `bref` of the bid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bref: Option<String>,
    /// Front matter format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub front_matter: Option<FrontMatterFormat>,
    /// A network's `index.md`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub network: bool,
    /// Deliberate collision: the file whose title and id this one repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collides_with: Option<String>,
    /// Front matter `aliases`: other names a wikilink may call the file by
    /// (Obsidian resolves `[[alias]]` to it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Its tags: the front matter's, then inline `#tags`, each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Top-level block counts.
    pub blocks: BlockCounts,
    /// Number of heading records that follow.
    pub headings: u64,
    /// Number of link records that follow the headings.
    pub links: u64,
    /// A site's corpus: the URL path the site's tool gives the page,
    /// relative to the built site's root (`a/b.html`, `a/b/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A non-markdown file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetRecord {
    /// Path relative to the corpus root.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// BLAKE3 hash, hex.
    pub blake3: String,
}

/// Totals, written last.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndRecord {
    /// Markdown files.
    pub files: u64,
    /// Markdown bytes.
    pub bytes: u64,
    /// Heading records.
    pub headings: u64,
    /// Link records.
    pub links: u64,
    /// Deliberately broken links among them.
    pub broken: u64,
    /// Asset files.
    pub assets: u64,
    /// [`TreeDigest`] of every file and asset (path and size), as 32 hex
    /// digits: lets an up-to-date check compare a walk of the folder with
    /// the manifest without reading more than this line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree: Option<String>,
}

/// An order-independent digest of a set of (path, size) pairs: the
/// wrapping sum of each pair's hash. Order-independent so that parallel
/// writers, shards merged in any order and a directory walk (which sees
/// files in the file system's order) all arrive at the same value with
/// constant memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TreeDigest(u128);

impl TreeDigest {
    /// Count one file.
    pub fn add(&mut self, path: &str, bytes: u64) {
        let mut h = blake3::Hasher::new();
        h.update(path.as_bytes());
        h.update(&[0]);
        h.update(&bytes.to_le_bytes());
        let out = h.finalize();
        let head: [u8; 16] = out.as_bytes()[..16].try_into().expect("16 bytes");
        self.0 = self.0.wrapping_add(u128::from_le_bytes(head));
    }

    /// Count one file out (one that was counted in with the same path and
    /// size).
    pub fn remove(&mut self, path: &str, bytes: u64) {
        let mut other = TreeDigest::default();
        other.add(path, bytes);
        self.0 = self.0.wrapping_sub(other.0);
    }

    /// Count every file of another set (a shard being merged).
    pub fn merge(&mut self, other: TreeDigest) {
        self.0 = self.0.wrapping_add(other.0);
    }

    /// As written in the `end` record.
    pub fn to_hex(self) -> String {
        format!("{:032x}", self.0)
    }

    /// Read back what [`TreeDigest::to_hex`] wrote.
    pub fn from_hex(s: &str) -> Option<TreeDigest> {
        (s.len() == 32)
            .then(|| u128::from_str_radix(s, 16).ok().map(TreeDigest))
            .flatten()
    }
}

/// Serialise one record as a line.
pub fn write_line(out: &mut Vec<u8>, rec: &Record) {
    match rec {
        Record::Link(l) => write_link(out, l),
        Record::Heading(h) => write_heading(out, h),
        _ => {
            serde_json::to_writer(&mut *out, rec).expect("records always serialise");
            out.push(b'\n');
        }
    }
}

/// Heading and link records are most of a manifest; writing them by hand
/// (the same JSON serde would produce) is several times faster. Public so
/// that writers can pass a borrowed record instead of cloning it into a
/// [`Record`].
///
/// Every piece goes in by fixed-size copies into reserved room (no
/// `memcpy` whose branches follow the length): constants, the names from
/// padded tables ([`names`]), numbers as eight digits at once
/// ([`push_u64`]) and strings checked and copied sixteen bytes at a time
/// ([`push_str`]).
pub fn write_heading(out: &mut Vec<u8>, h: &HeadingRecord) {
    out.extend_from_slice(b"{\"type\":\"heading\",\"line\":");
    push_u64(out, h.line);
    out.extend_from_slice(b",\"level\":");
    push_u64(out, h.level as u64);
    out.extend_from_slice(b",\"text\":");
    push_str(out, &h.text);
    out.extend_from_slice(b",\"id\":");
    push_str(out, &h.id);
    if let Some(b) = &h.block {
        out.extend_from_slice(b",\"block\":");
        push_str(out, b);
    }
    out.extend_from_slice(b"}\n");
}

/// A link record as a line; see [`write_heading`].
pub fn write_link(out: &mut Vec<u8>, l: &LinkRecord) {
    let names = names();
    out.extend_from_slice(b"{\"type\":\"link\",\"line\":");
    push_u64(out, l.line);
    // `,"kind":"…","event":"` and `…","dest":`
    let (piece, len) = &names.kinds[l.kind as usize];
    push_padded(out, piece, *len as usize);
    let (piece, len) = &names.events[l.event as usize];
    push_padded(out, piece, *len as usize);
    push_str(out, &l.dest);
    if let Some(t) = &l.target {
        out.extend_from_slice(b",\"target\":");
        push_str(out, t);
    }
    if let Some(a) = &l.anchor {
        out.extend_from_slice(b",\"anchor\":");
        push_str(out, a);
    }
    if l.external {
        out.extend_from_slice(b",\"external\":true");
    }
    if let Some(b) = &l.broken {
        out.extend_from_slice(b",\"broken\":");
        push_str(out, b);
    }
    if let Some(u) = &l.url {
        out.extend_from_slice(b",\"url\":");
        push_str(out, u);
    }
    out.extend_from_slice(b"}\n");
}

/// A piece of a record, padded to a fixed size, with its length.
type Padded<const N: usize> = ([u8; N], u8);

/// The variable pieces of a link record, padded: per kind (indexed by
/// `LinkKind as usize`) `,"kind":"NAME","event":"`, per event
/// (`LinkEvent as usize`) `NAME","dest":`.
struct Names {
    kinds: Vec<Padded<48>>,
    events: Vec<Padded<32>>,
}

fn names() -> &'static Names {
    use crate::record::{LinkEvent, LinkKind};
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    fn pad<const N: usize>(parts: &[&str]) -> Padded<N> {
        let s = parts.concat();
        let mut p = [0u8; N];
        p[..s.len()].copy_from_slice(s.as_bytes());
        (p, s.len() as u8)
    }
    NAMES.get_or_init(|| {
        let (kinds, events) = (LinkKind::EVERY, LinkEvent::ALL);
        Names {
            kinds: kinds
                .iter()
                .map(|k| pad(&[",\"kind\":\"", k.name(), "\",\"event\":\""]))
                .collect(),
            events: events
                .iter()
                .map(|e| pad(&[e.name(), "\",\"dest\":"]))
                .collect(),
        }
    })
}

/// Append the first `len` bytes of `piece` by copying all `N`.
#[inline(always)]
fn push_padded<const N: usize>(out: &mut Vec<u8>, piece: &[u8; N], len: usize) {
    assert!(len <= N);
    out.reserve(N);
    let at = out.len();
    // SAFETY: `N` bytes are reserved past the end; the first `len` of them
    // are then initialised.
    unsafe {
        std::ptr::copy_nonoverlapping(piece.as_ptr(), out.as_mut_ptr().add(at), N);
        out.set_len(at + len);
    }
}

/// `n` in decimal: below 10^8 (every line number in practice) as eight
/// digits computed at once in a word, stored whole, of which the leading
/// zeros are skipped.
#[inline]
fn push_u64(out: &mut Vec<u8>, n: u64) {
    if n >= 100_000_000 {
        let mut buf = [0u8; 20];
        out.extend_from_slice(crate::text::u64_digits(n, &mut buf));
        return;
    }
    let x = digits8(n);
    // Memory order is most significant digit first: leading zero digits
    // are the low zero bytes (all eight for 0, which still writes one).
    let skip = (x.trailing_zeros() / 8).min(7);
    let ascii = (x >> (8 * skip)) + 0x3030_3030_3030_3030;
    out.reserve(8);
    let at = out.len();
    // SAFETY: eight bytes are reserved past the end; the first `8 - skip`
    // are the digits.
    unsafe {
        (out.as_mut_ptr().add(at) as *mut [u8; 8]).write_unaligned(ascii.to_le_bytes());
        out.set_len(at + 8 - skip as usize);
    }
}

/// The eight decimal digits of `n < 10^8` as byte values 0..=9, most
/// significant in the lowest byte.
#[inline]
fn digits8(n: u64) -> u64 {
    debug_assert!(n < 100_000_000);
    // Two lanes of four digits, then four of two, then eight of one.
    let x = (n / 10_000) | ((n % 10_000) << 32);
    let hi = ((x * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let x = hi | ((x - hi * 100) << 16);
    let hi = ((x * 103) >> 10) & 0x000f_000f_000f_000f;
    hi | ((x - hi * 10) << 8)
}

/// True if no byte of `s` needs escaping in JSON (and all are ASCII),
/// checked eight bytes at a time; the last partial word is checked as the
/// (overlapping) last eight bytes, or padded when `s` is shorter.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn plain_json(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_byte = |w: u64, b: u8| {
        (w ^ (ONES * b as u64)).wrapping_sub(ONES) & !(w ^ (ONES * b as u64)) & HIGH
    };
    // bytes below 0x20, or with the high bit, or equal to '"', '\\', DEL
    let bad = |w: u64| {
        let low = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        (low | (w & HIGH) | has_byte(w, b'"') | has_byte(w, b'\\') | has_byte(w, 0x7f)) != 0
    };
    let word = |c: &[u8]| u64::from_le_bytes(c.try_into().expect("8 bytes"));
    if s.len() < 8 {
        let mut pad = [b'a'; 8];
        pad[..s.len()].copy_from_slice(s);
        return !bad(word(&pad));
    }
    let mut chunks = s.chunks_exact(8);
    if chunks.any(|c| bad(word(c))) {
        return false;
    }
    chunks.remainder().is_empty() || !bad(word(&s[s.len() - 8..]))
}

/// `s` as a JSON string: quoted as it is when no byte needs escaping (and
/// all are ASCII), else by serde.
fn push_str(out: &mut Vec<u8>, s: &str) {
    if !push_plain(out, s.as_bytes()) {
        serde_json::to_writer(&mut *out, s).expect("strings always serialise");
    }
}

/// Append `"s"` if no byte of `s` needs escaping in JSON and all are
/// ASCII (the bytes [`plain_json`] accepts); else append nothing and
/// return false. Checked and copied sixteen bytes at a time, the last
/// sixteen overlapping; shorter strings in two overlapping words.
#[cfg(target_arch = "x86_64")]
#[inline]
fn push_plain(out: &mut Vec<u8>, s: &[u8]) -> bool {
    use std::arch::x86_64::*;
    let n = s.len();
    out.reserve(n + 2 + 16);
    let at = out.len();
    // SAFETY: SSE2 is part of x86_64. Loads stay inside `s`; stores stay
    // inside the `n + 18` bytes reserved past the end, and `set_len` covers
    // only the `n + 2` bytes written in order.
    unsafe {
        let dst = out.as_mut_ptr().add(at);
        *dst = b'"';
        let d = dst.add(1);
        let p = s.as_ptr();
        let bad_of = |v: __m128i| {
            // Signed: bytes from 0x80 are negative, so below 0x20 too.
            let ctl = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
            let q = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let bs = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            let del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f));
            _mm_or_si128(_mm_or_si128(ctl, q), _mm_or_si128(bs, del))
        };
        // Sixteen bytes from `k`, checked and stored.
        let chunk = |k: usize| {
            let v = _mm_loadu_si128(p.add(k) as *const __m128i);
            _mm_storeu_si128(d.add(k) as *mut __m128i, v);
            bad_of(v)
        };
        // Straight-line code up to 64 bytes (most paths): a loop of loads
        // and stores becomes a call to `memcpy`.
        let bad = if n > 64 {
            let mut bad = _mm_setzero_si128();
            let mut i = 0;
            while i + 16 < n {
                bad = _mm_or_si128(bad, chunk(i));
                i += 16;
            }
            _mm_or_si128(bad, chunk(n - 16))
        } else if n > 32 {
            let a = _mm_or_si128(chunk(0), chunk(16));
            _mm_or_si128(a, _mm_or_si128(chunk(n - 32), chunk(n - 16)))
        } else if n >= 16 {
            _mm_or_si128(chunk(0), chunk(n - 16))
        } else if n >= 8 {
            let a = (p as *const u64).read_unaligned();
            let b = (p.add(n - 8) as *const u64).read_unaligned();
            (d as *mut u64).write_unaligned(a);
            (d.add(n - 8) as *mut u64).write_unaligned(b);
            bad_of(_mm_set_epi64x(b as i64, a as i64))
        } else if n >= 4 {
            let a = (p as *const u32).read_unaligned();
            let b = (p.add(n - 4) as *const u32).read_unaligned();
            (d as *mut u32).write_unaligned(a);
            (d.add(n - 4) as *mut u32).write_unaligned(b);
            bad_of(_mm_set_epi32(0x6161_6161, 0x6161_6161, b as i32, a as i32))
        } else {
            let mut w = [b'a'; 4];
            for (k, c) in s.iter().enumerate() {
                w[k] = *c;
                *d.add(k) = *c;
            }
            bad_of(_mm_set_epi32(
                0x6161_6161,
                0x6161_6161,
                0x6161_6161,
                i32::from_le_bytes(w),
            ))
        };
        if _mm_movemask_epi8(bad) != 0 {
            return false;
        }
        *d.add(n) = b'"';
        out.set_len(at + n + 2);
    }
    true
}

#[cfg(not(target_arch = "x86_64"))]
fn push_plain(out: &mut Vec<u8>, s: &[u8]) -> bool {
    if !plain_json(s) {
        return false;
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s);
    out.push(b'"');
    true
}

/// A manifest that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// No manifest file.
    #[error("{0} has no manifest ({DIR}/{FILE}): it is not a noet-corpus corpus, or its generation never finished")]
    Missing(PathBuf),
    /// I/O failure.
    #[error("cannot read manifest {path}: {source}")]
    Io {
        /// The manifest.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A line that is not a valid record.
    #[error("manifest {path}, line {line}: {reason}")]
    Bad {
        /// The manifest.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        reason: String,
    },
}

impl ManifestError {
    /// A missing manifest is a folder that is not a corpus (input); an
    /// unreadable one is the system's failure; a bad line is a corpus that
    /// contradicts its ground truth.
    pub fn class(&self) -> crate::error::ErrorClass {
        use crate::error::ErrorClass;
        match self {
            ManifestError::Missing(_) => ErrorClass::Input,
            ManifestError::Io { .. } => ErrorClass::Runtime,
            ManifestError::Bad { .. } => ErrorClass::Invalid,
        }
    }
}

/// Streams records from a manifest.
pub struct Reader {
    path: PathBuf,
    input: BufReader<Box<dyn Read + Send>>,
    /// The current line, reused from one record to the next.
    buf: String,
    line: u64,
    /// Lines starting with these are passed over unread.
    skip: Vec<&'static str>,
    defer_links: bool,
}

/// The longest manifest line read. Records are at most a few KiB (the
/// `corpus` record carries the profile), so a longer line is damage, and
/// reading it whole (a manifest linked to /dev/zero) could exhaust memory.
const MAX_LINE: u64 = 1 << 20;

/// The start of every `link` record's line.
const LINK_LINE: &str = r#"{"type":"link","#;

/// A manifest line as [`Reader::next_entry`] gives it.
// Returned by value and matched at once: boxing the record would cost an
// allocation per heading line.
#[allow(clippy::large_enum_variant)]
pub enum Entry {
    /// A record, read.
    Record(Record),
    /// A `link` record's line left unread, for a reader that reads links on
    /// several threads with [`UnreadLink::read`].
    Link(UnreadLink),
}

/// A `link` record's line, not yet deserialised.
pub struct UnreadLink {
    line: u64,
    text: String,
}

impl UnreadLink {
    /// Deserialise it; an error names manifest `path` and the line.
    pub fn read(&self, path: &Path) -> Result<LinkRecord, ManifestError> {
        serde_json::from_str(&self.text).map_err(|e| ManifestError::Bad {
            path: path.to_path_buf(),
            line: self.line,
            reason: format!("not a valid record: {e}: the manifest is damaged"),
        })
    }
}

impl Reader {
    /// Open the manifest of corpus `root` (at its latest revision: the
    /// deltas of later revisions applied).
    pub fn open(root: &Path) -> Result<Reader, ManifestError> {
        let (f, path) = open_lines(root)?;
        Ok(Reader::over(f, path))
    }

    /// Open the manifest file of `root` alone, without the deltas of later
    /// revisions: for `revise`, which applies them itself.
    pub fn open_base(root: &Path) -> Result<Reader, ManifestError> {
        let (f, path, legacy) = open_file(root)?;
        let f: Box<dyn Read + Send> = if legacy {
            Box::new(f)
        } else {
            match zstd::stream::read::Decoder::new(f) {
                Ok(d) => Box::new(Decoded(d)),
                Err(source) => return Err(ManifestError::Io { path, source }),
            }
        };
        Ok(Reader::over(f, path))
    }

    /// Parse a stream of manifest lines, from `path`, as records.
    pub fn from_lines(lines: Box<dyn Read + Send>, path: &Path) -> Reader {
        Reader::over(lines, path.to_path_buf())
    }

    fn over(f: Box<dyn Read + Send>, path: PathBuf) -> Reader {
        Reader {
            path,
            input: BufReader::with_capacity(1 << 20, f),
            buf: String::new(),
            line: 0,
            skip: Vec::new(),
            defer_links: false,
        }
    }

    /// Pass over `link` records without reading them (they are most of a
    /// manifest's bytes): for a reader that needs only the targets, like
    /// validation's first pass. A damaged link line goes unnoticed here.
    pub fn skipping_links(mut self) -> Reader {
        self.skip.push(LINK_LINE);
        self
    }

    /// Have [`Reader::next_entry`] hand `link` records over unread: most of
    /// a manifest's bytes, which the caller can then read in parallel.
    pub fn deferring_links(mut self) -> Reader {
        self.defer_links = true;
        self
    }

    /// The manifest's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Pass over `heading` records without reading them too.
    pub fn skipping_headings(mut self) -> Reader {
        self.skip.push(r#"{"type":"heading","#);
        self
    }

    /// Line number of the last record read.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// An error at the current line.
    pub fn error(&self, reason: impl Into<String>) -> ManifestError {
        let reason = reason.into();
        ManifestError::Bad {
            path: self.path.clone(),
            // Nothing read yet: the file is empty.
            line: self.line.max(1),
            reason: if self.line == 0 {
                format!("the manifest is empty, so {reason}")
            } else {
                reason
            },
        }
    }

    /// The next record, or `None` at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<Record>, ManifestError> {
        Ok(match self.next_entry()? {
            None => None,
            Some(Entry::Record(r)) => Some(r),
            Some(Entry::Link(l)) => Some(Record::Link(l.read(&self.path)?)),
        })
    }

    /// The next record, or with [`Reader::deferring_links`] a `link`
    /// record's line unread; `None` at the end.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, ManifestError> {
        let line = loop {
            self.buf.clear();
            match (&mut self.input).take(MAX_LINE).read_line(&mut self.buf) {
                Ok(0) => return Ok(None),
                Ok(n) if n as u64 == MAX_LINE && !self.buf.ends_with('\n') => {
                    self.line += 1;
                    return Err(self.error(format!(
                        "the line is longer than {MAX_LINE} bytes: not a manifest this tool wrote"
                    )));
                }
                Ok(_) => {}
                // Damage (a frame that does not decode, bad UTF-8) is at
                // the line being read; anything else is the system's.
                Err(e) => return Err(read_error(&self.path, self.line + 1, e)),
            }
            self.line += 1;
            if !self.skip.iter().any(|p| self.buf.starts_with(p)) {
                break self.buf.trim_end_matches(['\n', '\r']);
            }
        };
        if self.defer_links && line.starts_with(LINK_LINE) {
            return Ok(Some(Entry::Link(UnreadLink {
                line: self.line,
                text: line.to_string(),
            })));
        }
        // Heading and link records are most lines: deserialising them
        // straight into their struct (the `type` field is ignored) avoids
        // serde's buffering of internally tagged enums, several times slower.
        let direct = if line.starts_with(LINK_LINE) {
            serde_json::from_str(line).map(Record::Link)
        } else if line.starts_with(r#"{"type":"heading","#) {
            serde_json::from_str(line).map(Record::Heading)
        } else {
            serde_json::from_str(line)
        };
        let rec = direct
            .map_err(|e| self.error(format!("not a valid record: {e}: the manifest is damaged")))?;
        // A link line written some other way (spaces, another field order)
        // is deferred too, to be read again by the caller.
        if self.defer_links && matches!(rec, Record::Link(_)) {
            return Ok(Some(Entry::Link(UnreadLink {
                line: self.line,
                text: line.to_string(),
            })));
        }
        // Readers join these paths to the corpus root (validate reads them,
        // merge copies them): one that could leave the root is refused.
        if let Record::File(FileRecord { path, .. }) | Record::Asset(AssetRecord { path, .. }) =
            &rec
        {
            if !is_inside(path) {
                return Err(self.error(format!(
                    "path `{path}` is not a plain relative path inside the corpus (no `..`, `.`, empty or absolute parts)"
                )));
            }
        }
        Ok(Some(Entry::Record(rec)))
    }
}

/// Whether `path` is `/`-separated, relative, and made of plain names only,
/// so that joined to a folder it stays inside it.
pub fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0', ':'])
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Read the `corpus` record and check that the manifest is complete (its
/// last line is an `end` record), reading only the first and last lines.
pub fn read_header(root: &Path) -> Result<(CorpusRecord, bool), ManifestError> {
    let mut r = Reader::open(root)?;
    let header = match r.next_record()? {
        Some(Record::Corpus(c)) => *c,
        _ => return Err(r.error("the first line is not a `corpus` record")),
    };
    Ok((header, read_end(root)?.is_some()))
}

/// Open the manifest of `root` at `path`, refusing anything but a regular
/// file: a device never ends and a pipe blocks the reader.
fn open_manifest(root: &Path, path: &Path) -> Result<File, ManifestError> {
    match crate::bounded::open_regular(path) {
        Ok((f, _)) => Ok(f),
        Err(crate::bounded::BoundedError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(ManifestError::Missing(root.to_path_buf()))
        }
        Err(crate::bounded::BoundedError::Io(e)) => Err(ManifestError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
        Err(e) => Err(ManifestError::Bad {
            path: path.to_path_buf(),
            line: 1,
            reason: format!("{e}: the manifest is damaged"),
        }),
    }
}

/// The `end` record, if the manifest is complete: read from the trailer
/// and the one small frame it points at (a legacy manifest: from its last
/// 4 KiB).
pub fn read_end(root: &Path) -> Result<Option<EndRecord>, ManifestError> {
    let (mut f, path, legacy) = open_file(root)?;
    let n = deltas::deltas(root);
    if n > 0 {
        // The last revision's delta says its totals (the manifest under it
        // must still be complete).
        return match deltas::read_delta(root, n) {
            Ok((head, _)) => Ok(read_end_of(&mut f, &path, legacy)?.map(|_| head.end)),
            Err(e) => Err(read_error(&deltas::delta_path(root, n), 1, e)),
        };
    }
    read_end_of(&mut f, &path, legacy)
}

/// [`read_end`] of the manifest file `f` alone.
fn read_end_of(
    f: &mut File,
    path: &Path,
    legacy: bool,
) -> Result<Option<EndRecord>, ManifestError> {
    let io = |e| ManifestError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let len = f.metadata().map_err(io)?.len();
    let line = if legacy {
        f.seek(SeekFrom::Start(len.saturating_sub(4096)))
            .map_err(io)?;
        let mut tail = Vec::new();
        f.read_to_end(&mut tail).map_err(io)?;
        tail
    } else {
        let t = frames::TRAILER_LEN as u64;
        if len < t {
            return Ok(None);
        }
        f.seek(SeekFrom::Start(len - t)).map_err(io)?;
        let mut tail = [0u8; frames::TRAILER_LEN];
        f.read_exact(&mut tail).map_err(io)?;
        let Some(at) = frames::trailer_offset(&tail) else {
            return Ok(None);
        };
        if at >= len - t || len - t - at > frames::MAX_END_FRAME {
            return Ok(None);
        }
        f.seek(SeekFrom::Start(at)).map_err(io)?;
        let mut frame = vec![0u8; (len - t - at) as usize];
        f.read_exact(&mut frame).map_err(io)?;
        match frames::decode_end_frame(&frame) {
            Some(line) => line,
            None => return Ok(None),
        }
    };
    if !line.ends_with(b"\n") {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&line);
    let last = text
        .trim_end_matches('\n')
        .rsplit('\n')
        .next()
        .unwrap_or("");
    Ok(match serde_json::from_str::<Record>(last) {
        Ok(Record::End(e)) => Some(e),
        _ => None,
    })
}

/// The cache key of a set of parameters: 16 hex digits of the BLAKE3 hash
/// of their canonical JSON.
pub fn key(params: &Params) -> String {
    let json = serde_json::to_vec(params).expect("params always serialise");
    blake3::hash(&json).to_hex()[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{LinkEvent, LinkKind};

    #[test]
    fn plain_json_detects_every_byte_needing_escape() {
        for b in 0u8..=255 {
            let needs = !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\';
            for len in 1..=17 {
                for pos in 0..len {
                    let mut v = vec![b'a'; len];
                    v[pos] = b;
                    assert_eq!(plain_json(&v), !needs, "byte {b} at {pos} of {len}");
                }
            }
        }
    }

    #[test]
    fn push_plain_accepts_what_plain_json_accepts() {
        for b in 0u8..=255 {
            for len in 0..=40 {
                for pos in 0..len.max(1) {
                    let mut v = vec![b'a'; len];
                    if len > 0 {
                        v[pos] = b;
                    }
                    let mut out = b"x".to_vec();
                    let ok = push_plain(&mut out, &v);
                    assert_eq!(ok, plain_json(&v), "byte {b} at {pos} of {len}");
                    let mut want = b"x".to_vec();
                    if ok {
                        want.push(b'"');
                        want.extend_from_slice(&v);
                        want.push(b'"');
                    }
                    assert_eq!(out, want);
                }
            }
        }
    }

    #[test]
    fn numbers_as_eight_digits() {
        let mut n = 0u64;
        while n < 100_000_000 {
            let mut out = Vec::new();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes(), "{n}");
            n = if n < 200_000 { n + 1 } else { n * 3 / 2 + 7 };
        }
        for n in [99_999_999, 100_000_000, 123_456_789_012, u64::MAX] {
            let mut out = Vec::new();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn every_link_kind_and_event_equals_serde() {
        let (kinds, events) = (LinkKind::EVERY, LinkEvent::ALL);
        for kind in kinds {
            for event in events {
                let rec = Record::Link(LinkRecord {
                    line: 12_345,
                    kind,
                    event,
                    dest: "d".into(),
                    target: None,
                    anchor: None,
                    external: true,
                    broken: None,
                    url: None,
                });
                let mut fast = Vec::new();
                write_line(&mut fast, &rec);
                let mut slow = serde_json::to_vec(&rec).unwrap();
                slow.push(b'\n');
                assert_eq!(fast, slow);
            }
        }
    }

    #[test]
    fn hand_written_records_equal_serde() {
        let link = LinkRecord {
            line: 7,
            kind: LinkKind::PathAnchor,
            event: LinkEvent::Inline,
            dest: "a/b.md#x \"q\" \u{e9}".into(),
            target: Some("a/b.md".into()),
            anchor: Some("x".into()),
            external: false,
            broken: Some("why".into()),
            url: Some("a/b.html#x".into()),
        };
        let heading = HeadingRecord {
            line: 3,
            level: 2,
            text: "See also".into(),
            id: "see-also".into(),
            block: None,
        };
        let with_block = HeadingRecord {
            block: Some("3fa01".into()),
            ..heading.clone()
        };
        for rec in [
            Record::Link(link),
            Record::Heading(heading),
            Record::Heading(with_block),
        ] {
            let mut fast = Vec::new();
            write_line(&mut fast, &rec);
            let mut slow = serde_json::to_vec(&rec).unwrap();
            slow.push(b'\n');
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(slow).unwrap()
            );
        }
    }
}

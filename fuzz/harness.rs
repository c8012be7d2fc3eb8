//! The fuzz harness, shared by the cargo-fuzz targets in `fuzz_targets/`
//! and by `tests/it/fuzz_replay.rs`, which runs it on the saved inputs and on
//! random bytes in the normal test run (no nightly toolchain needed).
//!
//! Each function takes arbitrary bytes and panics only when it finds a bug.

#![allow(dead_code)]

use noet_corpus::dialect::Dialect;
use noet_corpus::generate::file_record;
use noet_corpus::plan::{Params, Plan};
use noet_corpus::profile::Profile;
use noet_corpus::render::render;
use noet_corpus::validate::check_file;

/// Profile parsing: never a panic; an error names its origin; an accepted
/// profile round-trips through its canonical TOML.
pub fn parse_profile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Profile::from_toml(text, "fuzz.toml") {
        Ok(p) => {
            let toml = p.to_toml();
            let again = Profile::from_toml(&toml, "canonical")
                .unwrap_or_else(|e| panic!("canonical TOML of an accepted profile: {e}\n{toml}"));
            assert_eq!(again, p, "the profile does not round-trip");
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("fuzz.toml"), "error without origin: {msg}");
        }
    }
}

/// Reads values out of the fuzzer's bytes; zeros once they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.u8();
        }
        u64::from_le_bytes(b)
    }
    fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }
    /// A float in `lo..=hi`, the ends included.
    fn f64(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.u16() as f64 / u16::MAX as f64)
    }
    fn int(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.u64() % (hi - lo + 1)
    }
    /// A share, often exactly 0 or 1.
    fn share(&mut self) -> f64 {
        match self.u8() % 6 {
            0 => 0.0,
            1 => 1.0,
            _ => self.f64(0.0, 1.0),
        }
    }
    /// A weight, zero a quarter of the time.
    fn weight(&mut self) -> f64 {
        if self.u8().is_multiple_of(4) {
            0.0
        } else {
            self.f64(0.0, 50.0)
        }
    }
}

/// A profile within the ranges `Profile::check` accepts (file sizes kept
/// so that small corpora have files above the 256-byte minimum).
fn profile_from(b: &mut Bytes) -> Profile {
    let mut p = Profile {
        name: "fuzz".into(),
        ..Profile::default()
    };
    let l = &mut p.layout;
    l.file_size_median = b.f64(300.0, 20_000.0);
    l.file_size_sigma = b.f64(0.0, 2.5);
    l.file_size_min = b.int(64, 1500);
    l.file_size_max = b.int(300, 60_000).max(l.file_size_min);
    l.files_per_folder = b.int(1, 40);
    l.fanout = b.int(1, 8);
    l.network_share = b.share();
    l.assets = b.int(0, 20);
    let f = &mut p.front_matter;
    f.share = b.share();
    f.toml = b.weight();
    f.yaml = b.weight();
    f.json = b.weight();
    if f.toml + f.yaml + f.json == 0.0 {
        f.toml = 1.0;
    }
    f.bids = b.bool();
    f.tags = b.bool();
    use noet_corpus::record::{BlockKind, LinkKind};
    // The draws stay in the order of earlier versions, so that saved fuzz
    // inputs still mean the profile they meant.
    for (k, w) in p.mix.iter_mut() {
        *w = match k {
            BlockKind::Paragraph => b.f64(0.01, 50.0),
            BlockKind::Html => continue,
            _ => b.weight(),
        };
    }
    let h = &mut p.headings;
    h.per_kb = b.f64(0.0, 12.0);
    h.max_level = 2 + b.u8() % 5;
    h.explicit_id_share = b.share();
    h.generic_share = b.share();
    let r = &mut p.references;
    let (x, y) = (b.f64(0.0, 40.0), b.f64(0.0, 40.0));
    r.per_kb_min = x.min(y);
    r.per_kb_max = x.max(y);
    r.density_skew = b.f64(0.1, 10.0);
    r.list_multiplier = b.f64(0.0, 10.0);
    r.table_multiplier = b.f64(0.0, 10.0);
    r.hub_exponent = b.f64(0.0, 4.0);
    r.chain_share = b.share();
    r.chain_length = b.int(2, 12);
    r.collision_share = b.share();
    r.broken_share = b.share();
    r.cover_kinds = b.bool();
    // noet's 14 kinds (the Obsidian ones come from the dialect draw).
    for (k, w) in r.kinds.iter_mut() {
        if !k.obsidian_only() {
            *w = b.weight();
        }
    }
    if r.kinds.sum() == 0.0 {
        r.kinds[LinkKind::Relative] = 1.0;
    }
    let t = &mut p.text;
    t.word_exponent = b.f64(0.0, 4.0);
    t.paragraph_words = b.int(4, 200);
    t.wrap = if b.bool() { 0 } else { b.int(30, 200) };
    t.inline_markup = b.share();
    t.list_items_max = b.int(1, 20);
    t.list_depth_max = b.int(1, 8);
    t.task_list_share = b.share();
    t.ordered_list_share = b.share();
    t.code_lines_max = b.int(1, 40);
    t.table_rows_max = b.int(1, 20);
    t.callout_share = b.share();
    t.footnotes_per_kb = b.f64(0.0, 5.0);
    // Drawn last, so that inputs kept from before dialects replay as before.
    let d = b.int(0, Dialect::ALL.len() as u64 - 1) as usize;
    p.with_dialect(Dialect::ALL[d])
}

/// Plan and render a corpus of at most about 60 KB from the bytes, in
/// memory; every file must validate against its own manifest record and
/// have its planned size (with the exceptions tests/it/properties.rs explains).
pub fn generate_small(data: &[u8]) {
    let mut b = Bytes(data);
    let size = b.int(2_000, 60_000);
    let seed = b.u64();
    let files = if b.bool() {
        Some(b.int(1, size / 256))
    } else {
        None
    };
    let p = profile_from(&mut b);
    let toml = p.to_toml();
    let p = Profile::from_toml(&toml, "fuzzed")
        .unwrap_or_else(|e| panic!("the harness made an invalid profile: {e}\n{toml}"));
    let fanout_one = p.layout.fanout == 1;
    let Ok(plan) = Plan::new(Params::new(p, size, seed, files)) else {
        return;
    };
    let mut planned = 0;
    for i in 0..plan.files {
        let r = render(&plan, i);
        let (got, want) = (r.bytes.len() as u64, plan.file_size(i));
        planned += want;
        assert!(
            got == want || ((want < 1024 || fanout_one) && got > want),
            "file {i} ({}) has {got} bytes, planned {want}\n{toml}",
            r.meta.path
        );
        let rec = file_record(&r, r.meta.collides_with.map(|j| plan.file(j).path));
        let mut problems = Vec::new();
        check_file(
            &r.bytes,
            plan.dialect(),
            plan.site(),
            &rec,
            &r.headings,
            &r.links,
            &mut problems,
        );
        assert!(
            problems.is_empty(),
            "size {size}, seed {seed}, files {files:?}, file {i}: {}\n{toml}",
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert_eq!(planned, size, "planned sizes do not sum to the size");
}

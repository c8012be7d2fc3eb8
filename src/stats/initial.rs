//! The initial profile: every key read directly off the statistics.

use super::hist::ratio;
use super::report::kbytes;
use super::{Quantiles, Stats, B_CODE, B_DL, B_HTML, B_LIST, B_PARA, B_QUOTE, B_TABLE};
use crate::profile::Profile;
use crate::record::{BlockKind, LinkKind};
use std::path::Path;

/// Body kinds a profile's `[mix]` weighs, as indices into [`BLOCK_KINDS`](super::BLOCK_KINDS),
/// in the order of `Mix::weights`.
pub(super) fn stat_block(k: BlockKind) -> usize {
    match k {
        BlockKind::Paragraph => B_PARA,
        BlockKind::List => B_LIST,
        BlockKind::Code => B_CODE,
        BlockKind::Table => B_TABLE,
        BlockKind::Blockquote => B_QUOTE,
        BlockKind::DefinitionList => B_DL,
        BlockKind::Html => B_HTML,
    }
}

/// Fit `density = min + (max - min) * u^skew` to the per-file quantiles:
/// returns (min, max, skew).
fn fit_density(q: &Quantiles) -> (f64, f64, f64) {
    let (q10, q50, q90) = (q.p10, q.p50, q.p90);
    if q90 <= 0.0 {
        // Nearly no file has references: a few dense files carry them.
        return (0.0, q.max.clamp(0.5, 40.0), 10.0);
    }
    let g = |s: f64| {
        let (a, b, c) = (0.1f64.powf(s), 0.5f64.powf(s), 0.9f64.powf(s));
        (b - a) / (c - b)
    };
    let target = if q90 > q50 {
        (q50 - q10) / (q90 - q50)
    } else {
        1e9
    };
    // g falls from large (s small) to 0 (s large): bisect on ln s.
    let (mut lo, mut hi) = (0.1f64.ln(), 10f64.ln());
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if g(mid.exp()) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut s = (0.5 * (lo + hi)).exp();
    let mut b = (q90 - q10) / (0.9f64.powf(s) - 0.1f64.powf(s)).max(1e-9);
    let mut a = q10 - b * 0.1f64.powf(s);
    if a < 0.0 || !a.is_finite() {
        // Refit through 0 with the median and p90 only.
        a = 0.0;
        s = if q50 > 0.0 {
            ((q50 / q90).ln() / (5.0f64 / 9.0).ln()).clamp(0.1, 10.0)
        } else {
            10.0
        };
        b = q90 / 0.9f64.powf(s);
    }
    let max = (a + b).clamp(a, 40.0);
    (a.clamp(0.0, 40.0), max, s.clamp(0.1, 10.0))
}

fn round_sig(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let m = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * m).round() / m
}

/// A profile name from a folder name.
fn profile_name(root: &str) -> String {
    let base = Path::new(root)
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let mut name = crate::profile::name_chars(base);
    name = name.trim_matches('-').to_string();
    if name.is_empty() {
        "fitted".to_string()
    } else {
        format!("{name}-fit")
    }
}

/// Round a profile's floats to 4 significant digits (readable TOML).
pub(super) fn tidy(p: &mut Profile) {
    let r = |x: &mut f64| *x = round_sig(*x, 4);
    let l = &mut p.layout;
    r(&mut l.file_size_median);
    r(&mut l.file_size_sigma);
    r(&mut l.network_share);
    let f = &mut p.front_matter;
    for x in [&mut f.share, &mut f.toml, &mut f.yaml, &mut f.json] {
        r(x);
    }
    for (_, x) in p.mix.iter_mut() {
        r(x);
    }
    let h = &mut p.headings;
    for x in [
        &mut h.per_kb,
        &mut h.explicit_id_share,
        &mut h.generic_share,
    ] {
        r(x);
    }
    let rf = &mut p.references;
    for x in [
        &mut rf.per_kb_min,
        &mut rf.per_kb_max,
        &mut rf.density_skew,
        &mut rf.list_multiplier,
        &mut rf.table_multiplier,
        &mut rf.hub_exponent,
        &mut rf.chain_share,
        &mut rf.collision_share,
        &mut rf.broken_share,
        &mut rf.orphan_share,
    ] {
        r(x);
    }
    for (_, x) in rf.kinds.iter_mut() {
        r(x);
    }
    let t = &mut p.text;
    for x in [
        &mut t.inline_markup,
        &mut t.task_list_share,
        &mut t.ordered_list_share,
        &mut t.callout_share,
        &mut t.footnotes_per_kb,
        &mut t.paragraph_sigma,
    ] {
        r(x);
    }
}

/// The first guess: every key read directly off the statistics.
pub fn initial_profile(s: &Stats) -> Profile {
    let mut p = Profile {
        name: profile_name(&s.root),
        description: format!(
            "fitted by `noet-corpus stats --emit-profile` to {} ({} files, {})",
            Path::new(&s.root)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(&s.root),
            s.files,
            kbytes(s.bytes as f64)
        ),
        ..Profile::default()
    };
    let fs = &s.file_size;
    let l = &mut p.layout;
    l.file_size_median = (fs.p50 as f64).clamp(64.0, 1e9);
    l.file_size_sigma = fs.sigma.clamp(0.0, 4.0);
    l.file_size_min = fs.min.clamp(64, 1_000_000_000);
    l.file_size_max = fs.max.max(l.file_size_min).max(fs.p50 * 2);
    if s.layout.folders > 1 {
        l.files_per_folder = (s.layout.files_per_folder.round() as u64).clamp(1, 60_000);
        l.fanout = (s.layout.fanout.round() as u64).clamp(1, 1000);
        l.network_share = s.layout.index_share.clamp(0.0, 1.0);
    } else {
        // One folder: keep it one folder at the source's size; larger
        // corpora grow folders of the same size.
        l.files_per_folder = s.files.clamp(1, 60_000);
        l.network_share = 0.0;
    }
    let images = s.references.by_kind.get("image").map_or(0, |e| e.count);
    l.assets = images.clamp(1, 64);
    // The tree's own images, where it has them: as many (up to the
    // profile's limit on assets a corpus of this size carries), of their
    // sizes and formats.
    let im = &s.images;
    if im.files > 0 {
        l.assets = l.assets.max(im.files.min(1000));
        let (lo, hi) = (
            crate::profile::ASSET_BYTES_MIN,
            crate::profile::ASSET_BYTES_MAX,
        );
        l.asset_bytes_median = im.bytes_median.clamp(lo as f64, hi as f64);
        l.asset_bytes_sigma = im.bytes_sigma.clamp(0.0, 3.0);
        l.svg_share = im.svg_share.clamp(0.0, 1.0);
    }

    let f = &mut p.front_matter;
    let fm = &s.front_matter;
    f.share = fm.share;
    if fm.files > 0 {
        f.toml = fm.toml as f64;
        f.yaml = fm.yaml as f64;
        f.json = fm.json as f64;
        f.bids = fm.with_bid > 0;
        f.tags = fm.with_tags * 2 >= fm.files;
    } else {
        f.bids = false;
        f.tags = false;
    }

    for (k, w) in p.mix.iter_mut() {
        *w = s.mix.kinds.0[stat_block(k)].1.share;
    }
    p.mix[BlockKind::Paragraph] = p.mix[BlockKind::Paragraph].max(0.01);

    let h = &s.headings;
    p.headings.per_kb = h.per_kb.clamp(0.0, 50.0);
    let deepest = (0..6)
        .rev()
        .find(|&i| h.by_level[i] as f64 >= 0.01 * h.count as f64)
        .unwrap_or(1);
    p.headings.max_level = (deepest as u8 + 1).clamp(2, 6);
    p.headings.explicit_id_share = h.explicit_id_share;

    let r = &s.references;
    let rp = &mut p.references;
    if r.count == 0 {
        rp.per_kb_min = 0.0;
        rp.per_kb_max = 0.0;
    } else {
        let (a, b, skew) = fit_density(&r.per_file_per_kb);
        rp.per_kb_min = a;
        rp.per_kb_max = b;
        rp.density_skew = skew;
    }
    let blk = |name: &str| r.by_block.get(name).cloned().unwrap_or_default();
    let (para, list, table) = (blk("paragraph"), blk("list"), blk("table"));
    if para.per_kb_of_block > 0.0 {
        rp.list_multiplier = (list.per_kb_of_block / para.per_kb_of_block).clamp(0.0, 10.0);
        rp.table_multiplier = (table.per_kb_of_block / para.per_kb_of_block).clamp(0.0, 10.0);
    }
    rp.chain_share = 0.0;
    rp.collision_share = 0.0;
    // A first guess; calibration adds what the hub draws do not leave out.
    rp.orphan_share = (0.7 * s.graph.no_inbound_share_without_nav).clamp(0.0, 0.9);
    // A share of all references (the generator draws negatives among all
    // kinds), not of internal ones only.
    rp.broken_share = ratio(s.graph.unresolved as f64, s.references.count as f64).clamp(0.0, 0.2);
    // Definitions follow the tree's: where they point, and how many uses
    // each has (reuses are the uses beyond the definitions).
    let labelled = r.by_kind.get("reference").map_or(0, |e| e.count);
    if labelled > 0 {
        rp.definition_external = r.definition_external_share.clamp(0.0, 1.0);
        rp.definition_reuse = (1.0 - r.definitions as f64 / labelled as f64).clamp(0.0, 0.95);
    }
    for (name, e) in &r.by_kind.0 {
        if let Some(k) = LinkKind::named(name) {
            rp.kinds[k] = e.count as f64;
        }
    }
    if !p.front_matter.bids {
        p.references.kinds[LinkKind::Bref] = 0.0;
    }

    let t = &mut p.text;
    let pg = &s.paragraphs;
    if pg.count > 0 {
        t.paragraph_words = (pg.words_median.round() as u64).clamp(4, 2000);
        t.wrap = if pg.lines_mean <= 1.3 {
            0
        } else {
            ((pg.line_bytes_p90 / 10.0).ceil() as u64 * 10).clamp(30, 10_000)
        };
        t.inline_markup = pg.inline_markup.clamp(0.0, 1.0);
        if pg.words_median > 0.0 && pg.words_p90 > pg.words_median {
            // p90 / median of a lognormal is e^(1.2816 sigma).
            t.paragraph_sigma = ((pg.words_p90 / pg.words_median).ln() / 1.2816).clamp(0.0, 2.0);
        }
    }
    let li = &s.lists;
    if li.all_lists > 0 {
        t.list_items_max = ((2.0 * li.items_mean - 2.0).round() as u64).clamp(2, 100);
        t.list_depth_max = (li.depth_p90.round() as u64).clamp(1, 8);
        if li.depth1_item_share < 0.95 {
            t.list_depth_max = t.list_depth_max.max(2);
        }
        t.ordered_list_share = li.ordered_share;
        t.task_list_share = li.task_share;
    }
    if s.code.blocks > 0 {
        let c = &s.code;
        t.code_lines_median = c.lines_median.clamp(1.0, 1000.0);
        if c.lines_p90 > t.code_lines_median {
            // p90 / median of a lognormal is e^(1.2816 sigma).
            t.code_lines_sigma =
                ((c.lines_p90 / t.code_lines_median).ln() / 1.2816).clamp(0.0, 3.0);
        } else {
            t.code_lines_sigma = 0.0;
        }
        // The cap only trims the far tail, which is long: four times the
        // measured p90, or eight times the mean where a few long listings
        // carry the lines.
        t.code_lines_max =
            ((4.0 * c.lines_p90).max(8.0 * c.lines_mean).ceil() as u64).clamp(10, 1000);
    }
    if s.tables.tables > 0 {
        t.table_rows_max = ((2.0 * s.tables.rows_mean - 1.0).round() as u64).clamp(1, 1000);
    }
    t.callout_share = s.blockquotes.callout_share;
    let prose_kb = (s.mix.kinds.0[B_PARA].1.bytes
        + s.mix.kinds.0[B_LIST].1.bytes
        + s.mix.kinds.0[B_QUOTE].1.bytes
        + s.mix.kinds.0[B_DL].1.bytes) as f64
        / 1024.0;
    t.footnotes_per_kb = ratio(r.footnote_refs as f64, prose_kb).clamp(0.0, 5.0);
    tidy(&mut p);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_fit_recovers_the_generator_law() {
        // Quantiles of min + (max - min) * u^skew.
        for (a, b, s) in [(5.0, 20.0, 2.0), (0.0, 1.2, 2.2), (0.4, 3.0, 1.0)] {
            let q = |p: f64| a + (b - a) * f64::powf(p, s);
            let (fa, fb, fs) = fit_density(&Quantiles {
                min: a,
                p10: q(0.1),
                p50: q(0.5),
                p90: q(0.9),
                max: b,
                mean: 0.0,
            });
            assert!((fa - a).abs() < 1e-6 && (fb - b).abs() < 1e-6 && (fs - s).abs() < 1e-6);
        }
        // Half the files without references: the law goes through 0.
        let (a, _, s) = fit_density(&Quantiles {
            p10: 0.0,
            p50: 0.0,
            p90: 0.7,
            ..Default::default()
        });
        assert_eq!((a, s), (0.0, 10.0));
    }
}

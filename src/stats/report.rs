//! The readable report (what `stats DIR` prints).

use super::Stats;
use std::fmt::Write as _;

pub(super) fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// A size in decimal units, as `--size` and `gen` write them (1 MB =
/// 1,000,000 bytes); densities stay per 1024 bytes, as profiles define them.
pub(super) fn kbytes(b: f64) -> String {
    crate::size::human(b.max(0.0).round() as u64)
}

/// The statistics as a readable table (what `stats DIR` prints).
pub fn report(s: &Stats) -> String {
    let mut o = String::new();
    let w = &mut o;
    let _ = writeln!(
        w,
        "{}: {} markdown files, {} ({} bytes; sizes in decimal units, densities \"per KB\" per 1024 bytes)",
        s.root,
        s.files,
        kbytes(s.bytes as f64),
        s.bytes
    );
    let f = &s.file_size;
    let _ = writeln!(w, "\nFile size");
    let _ = writeln!(
        w,
        "  min {}  p10 {}  p50 {}  p90 {}  max {}  mean {}",
        kbytes(f.min as f64),
        kbytes(f.p10 as f64),
        kbytes(f.p50 as f64),
        kbytes(f.p90 as f64),
        kbytes(f.max as f64),
        kbytes(f.mean)
    );
    let _ = writeln!(
        w,
        "  ln(bytes): mu {:.2}  sigma {:.2}   largest file {} of bytes   files < 512 B: {}",
        f.mu,
        f.sigma,
        pct(f.largest_share),
        pct(f.stub_share)
    );
    let l = &s.layout;
    let _ = writeln!(
        w,
        "  {} folders with markdown, {:.1} files per folder, fanout {:.1}, depth {}, index.md in {} of subfolders",
        l.folders,
        l.files_per_folder,
        l.fanout,
        l.depth_max,
        pct(l.index_share)
    );

    let _ = writeln!(
        w,
        "\nContent mix (bytes of non-blank lines by top-level block; {} counted)",
        s.mix.counted_bytes
    );
    let _ = writeln!(
        w,
        "  {:<18}{:>10}{:>9}{:>9}",
        "kind", "bytes", "share", "blocks"
    );
    for (k, e) in &s.mix.kinds.0 {
        let _ = writeln!(
            w,
            "  {:<18}{:>10}{:>9}{:>9}",
            k,
            e.bytes,
            pct(e.share),
            e.blocks
        );
    }
    let fm = &s.front_matter;
    let _ = writeln!(
        w,
        "  front matter in {} of files ({} toml, {} yaml, {} json; {} with id, {} with bid)",
        pct(fm.share),
        fm.toml,
        fm.yaml,
        fm.json,
        fm.with_id,
        fm.with_bid
    );

    let h = &s.headings;
    let _ = writeln!(
        w,
        "\nHeadings: {} = {:.2} per KB; H1..H6 {:?}; explicit ids {}",
        h.count,
        h.per_kb,
        h.by_level,
        pct(h.explicit_id_share)
    );

    let r = &s.references;
    let _ = writeln!(w, "\nReferences: {} = {:.2} per KB", r.count, r.per_kb);
    let _ = writeln!(
        w,
        "  {:<16}{:>8}{:>9}{:>8}",
        "kind", "count", "per KB", "share"
    );
    for (k, e) in &r.by_kind.0 {
        if e.count > 0 {
            let _ = writeln!(
                w,
                "  {:<16}{:>8}{:>9.3}{:>8}",
                k,
                e.count,
                e.per_kb,
                pct(e.share)
            );
        }
    }
    let _ = writeln!(
        w,
        "  {:<16}{:>8}{:>8}{:>17}",
        "in block", "count", "share", "per KB of block"
    );
    for (k, e) in &r.by_block.0 {
        let _ = writeln!(
            w,
            "  {:<16}{:>8}{:>8}{:>17.2}",
            k,
            e.count,
            pct(e.share),
            e.per_kb_of_block
        );
    }
    let q = &r.per_file_per_kb;
    let _ = writeln!(
        w,
        "  per file, per KB: min {:.2}  p10 {:.2}  p50 {:.2}  p90 {:.2}  max {:.2}  mean {:.2}",
        q.min, q.p10, q.p50, q.p90, q.max, q.mean
    );
    let _ = writeln!(
        w,
        "  undefined [brackets] (not counted): {}   footnote references: {}",
        r.unresolved_brackets, r.footnote_refs
    );
    let _ = writeln!(
        w,
        "  [label]: dest definitions: {}, {} pointing at external URLs",
        r.definitions,
        pct(r.definition_external_share)
    );

    let g = &s.graph;
    let _ = writeln!(
        w,
        "\nLink graph: {} internal references, {} resolved to markdown ({}), {} to other files, {} unresolved",
        g.internal,
        g.resolved,
        pct(g.resolved_share),
        g.non_markdown,
        g.unresolved
    );
    let _ = writeln!(
        w,
        "  {} edges; {} files linked to; in-degree max {}; top-10 targets take {} of links; {} of files have no inbound link",
        g.edges,
        g.targets,
        g.in_degree_max,
        pct(g.top10_share),
        pct(g.no_inbound_share)
    );
    let _ = writeln!(
        w,
        "  out-degree (distinct files linked): median {:.0}, mean {:.2}; {} navigation page(s) (linking to half the files or more), without them {} of files have no inbound link",
        g.out_degree_median,
        g.out_degree_mean,
        g.navigation_pages,
        pct(g.no_inbound_share_without_nav)
    );

    let p = &s.paragraphs;
    let _ = writeln!(
        w,
        "\nParagraphs: {} top-level; words median {:.0}, mean {:.1}, p90 {:.0}; {:.1} lines each, line p90 {:.0} B; markup spans per word {:.3}",
        p.count, p.words_median, p.words_mean, p.words_p90, p.lines_mean, p.line_bytes_p90, p.inline_markup
    );
    let c = &s.code;
    let langs: Vec<String> = c
        .languages
        .0
        .iter()
        .map(|(l, sh)| format!("{l} {}", pct(*sh)))
        .collect();
    let _ = writeln!(
        w,
        "Code blocks: {} = {:.2} per KB; lines median {:.0}, mean {:.1}, p90 {:.0}; {}",
        c.blocks,
        c.per_kb,
        c.lines_median,
        c.lines_mean,
        c.lines_p90,
        langs.join(", ")
    );
    let li = &s.lists;
    let _ = writeln!(
        w,
        "Lists: {} top-level ({} at any depth); items per list mean {:.1}, median {:.0}; depth max {}, p90 {:.0}; {} of items at depth 1; {} ordered, {} of unordered are task lists",
        li.lists,
        li.all_lists,
        li.items_mean,
        li.items_median,
        li.depth_max,
        li.depth_p90,
        pct(li.depth1_item_share),
        pct(li.ordered_share),
        pct(li.task_share)
    );
    let t = &s.tables;
    let _ = writeln!(
        w,
        "Tables: {} = {:.3} per KB; body rows mean {:.1}, median {:.0}",
        t.tables, t.per_kb, t.rows_mean, t.rows_median
    );
    let bq = &s.blockquotes;
    let _ = writeln!(
        w,
        "Blockquotes: {}; {} are callouts",
        bq.blockquotes,
        pct(bq.callout_share)
    );
    let im = &s.images;
    if im.files > 0 {
        let _ = writeln!(
            w,
            "Images: {} files; size median {}, ln sigma {:.2}; {} SVG",
            im.files,
            kbytes(im.bytes_median),
            im.bytes_sigma,
            pct(im.svg_share)
        );
    }
    text_and_code(w, s);
    o
}

/// The Text and Code sections: one figure a line.
fn text_and_code(w: &mut String, s: &Stats) {
    let t = &s.text;
    let opt = |v: Option<u64>| v.map_or("- (tree smaller)".to_string(), |d| d.to_string());
    let _ = writeln!(
        w,
        "\nText (prose of paragraphs, headings, list items, table cells; files in BLAKE3 order)"
    );
    let line = |w: &mut String, name: &str, value: String| {
        let _ = writeln!(w, "  {name:<30}{value}");
    };
    line(w, "words", t.words.to_string());
    line(w, "distinct words", t.distinct.to_string());
    line(w, "distinct at 0.25 MB", opt(t.distinct_at_quarter_mb));
    line(w, "distinct at 1 MB", opt(t.distinct_at_1mb));
    line(
        w,
        "Heaps exponent",
        match t.heaps_exponent {
            Some(b) => format!("{b:.3} ({} checkpoints)", t.heaps_checkpoints),
            None => format!("- ({} checkpoints, too few words)", t.heaps_checkpoints),
        },
    );
    line(
        w,
        "seen once",
        format!("{} of distinct words", pct(t.hapax_share)),
    );
    line(
        w,
        "mean word length",
        format!("{:.2} letters", t.word_length_mean),
    );
    line(
        w,
        "function words",
        format!("{} of words", pct(t.function_word_share)),
    );
    line(w, "\"the\"", format!("{} of words", pct(t.the_share)));
    let top: Vec<&str> = t.top_words.0.iter().map(|(k, _)| k.as_str()).collect();
    line(
        w,
        "top-10 words",
        format!("{} of words ({})", pct(t.top10_share), top.join(" ")),
    );
    let se = &t.sentences;
    line(
        w,
        "sentence words p10/p50/p90",
        format!(
            "{:.0} / {:.0} / {:.0} ({} sentences)",
            se.p10, se.p50, se.p90, se.count
        ),
    );
    line(
        w,
        "punctuation per 100 words",
        format!("{:.1}", t.punctuation_per_100_words),
    );
    line(
        w,
        "commas per 100 words",
        format!("{:.2}", t.commas_per_100_words),
    );

    let f = &s.code.fenced;
    let _ = writeln!(
        w,
        "\nCode (fenced blocks; language = info string's first word)"
    );
    line(
        w,
        "fenced blocks",
        format!("{} = {:.3} per KB", f.blocks, f.per_kb),
    );
    line(
        w,
        "fenced lines p50/p90",
        format!("{:.0} / {:.0}", f.lines_p50, f.lines_p90),
    );
    const SHOWN: usize = 12;
    for (l, e) in f.languages.0.iter().take(SHOWN) {
        line(
            w,
            l,
            match e.parse_share {
                Some(p) => format!(
                    "{} blocks, lines p50 {:.0}, p90 {:.0}, {:.0}% parse",
                    e.blocks,
                    e.lines_p50,
                    e.lines_p90,
                    100.0 * p
                ),
                None => format!(
                    "{} blocks, lines p50 {:.0}, p90 {:.0}",
                    e.blocks, e.lines_p50, e.lines_p90
                ),
            },
        );
    }
    if f.languages.0.len() > SHOWN {
        let rest = &f.languages.0[SHOWN..];
        let blocks: u64 = rest.iter().map(|(_, e)| e.blocks).sum();
        line(
            w,
            "other languages",
            format!(
                "{} with {blocks} blocks (all in the JSON report)",
                rest.len()
            ),
        );
    }
}

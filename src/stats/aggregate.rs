//! Summing the per-file measures into [`Stats`].

use super::graph::graph;
use super::hist::{q_sorted, quantiles, ratio, Hist};
use super::measure::FileMeasure;
use super::text::Fence;
use super::vocab::{shuffled_order, VocabFigures, Vocabulary};
use super::{
    measured, BlockRefEntry, CodeStats, FenceLanguage, FencedStats, FileSizeStats,
    FrontMatterStats, HeadingStats, KindEntry, LayoutStats, ListStats, MixEntry, MixStats, Named,
    ParagraphStats, QuoteStats, ReferenceStats, SentenceStats, Stats, TableStats, TextStats,
    BLOCK_KINDS, B_LIST, B_LRD, B_PARA, B_TABLE, REF_BLOCKS,
};
use crate::record::{LinkKind, PerKind};
use std::collections::{BTreeMap, HashMap, HashSet};

fn folder_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Sum measures that still hold their files' words (sources in memory):
/// the vocabulary is folded here, in the shuffled order.
pub(super) fn aggregate(
    root: &str,
    paths: &[String],
    others: &HashSet<String>,
    ms: &[FileMeasure],
) -> Stats {
    let mut vocab = Vocabulary::default();
    for i in shuffled_order(paths) {
        vocab.add(ms[i].bytes, &ms[i].prose.vocab);
    }
    aggregate_with(root, paths, others, ms, vocab.finish())
}

/// Sum measures whose vocabulary was folded as they were read.
pub(super) fn aggregate_with(
    root: &str,
    paths: &[String],
    others: &HashSet<String>,
    ms: &[FileMeasure],
    vocab: VocabFigures,
) -> Stats {
    let n = ms.len() as u64;
    let bytes: u64 = ms.iter().map(|m| m.bytes).sum();
    let kb = (bytes as f64 / 1024.0).max(1e-9);

    // File sizes.
    let mut sizes: Vec<u64> = ms.iter().map(|m| m.bytes).collect();
    sizes.sort_unstable();
    let sizes_f: Vec<f64> = sizes.iter().map(|&b| b as f64).collect();
    let logs: Vec<f64> = sizes
        .iter()
        .filter(|&&b| b > 0)
        .map(|&b| (b as f64).ln())
        .collect();
    let mu = if logs.is_empty() {
        0.0
    } else {
        logs.iter().sum::<f64>() / logs.len() as f64
    };
    let sigma = if logs.len() > 1 {
        (logs.iter().map(|l| (l - mu) * (l - mu)).sum::<f64>() / logs.len() as f64).sqrt()
    } else {
        0.0
    };
    let file_size = FileSizeStats {
        min: sizes.first().copied().unwrap_or(0),
        p10: q_sorted(&sizes_f, 0.1) as u64,
        p50: q_sorted(&sizes_f, 0.5) as u64,
        p90: q_sorted(&sizes_f, 0.9) as u64,
        max: sizes.last().copied().unwrap_or(0),
        mean: ratio(bytes as f64, n as f64),
        mu,
        sigma,
        largest_share: ratio(sizes.last().copied().unwrap_or(0) as f64, bytes as f64),
        stub_share: ratio(sizes.iter().filter(|&&b| b < 512).count() as f64, n as f64),
    };

    // Layout.
    let mut folder_files: BTreeMap<&str, u64> = BTreeMap::new();
    for p in paths {
        *folder_files.entry(folder_of(p)).or_default() += 1;
    }
    let mut all_folders: HashSet<&str> = HashSet::new();
    for f in folder_files.keys() {
        let mut f: &str = f;
        loop {
            if !all_folders.insert(f) || f.is_empty() {
                break;
            }
            f = folder_of(f);
        }
    }
    all_folders.insert("");
    let mut children: HashMap<&str, u64> = HashMap::new();
    for f in &all_folders {
        if !f.is_empty() {
            *children.entry(folder_of(f)).or_default() += 1;
        }
    }
    let path_set: HashSet<&str> = paths.iter().map(String::as_str).collect();
    let non_root: Vec<&&str> = all_folders.iter().filter(|f| !f.is_empty()).collect();
    let with_index = non_root
        .iter()
        .filter(|f| path_set.contains(format!("{f}/index.md").as_str()))
        .count();
    let layout = LayoutStats {
        folders: folder_files.len() as u64,
        files_per_folder: ratio(n as f64, folder_files.len() as f64),
        fanout: ratio(children.values().sum::<u64>() as f64, children.len() as f64),
        index_share: ratio(with_index as f64, non_root.len() as f64),
        depth_max: all_folders
            .iter()
            .filter(|f| !f.is_empty())
            .map(|f| f.split('/').count() as u64)
            .max()
            .unwrap_or(0),
    };

    // Mix.
    let mut mix = [0u64; 12];
    let mut blocks = [0u64; 12];
    for m in ms {
        for k in 0..12 {
            mix[k] += m.mix[k];
            blocks[k] += m.blocks[k];
        }
    }
    let counted: u64 = mix.iter().sum();
    let mix = MixStats {
        counted_bytes: counted,
        kinds: Named(
            BLOCK_KINDS
                .iter()
                .enumerate()
                .map(|(k, name)| {
                    (
                        name.to_string(),
                        MixEntry {
                            bytes: mix[k],
                            share: ratio(mix[k] as f64, counted as f64),
                            blocks: blocks[k],
                        },
                    )
                })
                .collect(),
        ),
    };

    // Front matter.
    let fm_files = ms.iter().filter(|m| m.fm_format.is_some()).count() as u64;
    let fmt = |f: u8| ms.iter().filter(|m| m.fm_format == Some(f)).count() as u64;
    let front_matter = FrontMatterStats {
        files: fm_files,
        share: ratio(fm_files as f64, n as f64),
        toml: fmt(0),
        yaml: fmt(1),
        json: fmt(2),
        with_id: ms.iter().filter(|m| m.fm_id.is_some()).count() as u64,
        with_bid: ms.iter().filter(|m| m.fm_bid.is_some()).count() as u64,
        with_tags: ms.iter().filter(|m| m.fm_tags).count() as u64,
    };

    // Headings.
    let mut by_level = [0u64; 6];
    for m in ms {
        for (a, b) in by_level.iter_mut().zip(m.headings) {
            *a += b;
        }
    }
    let hcount: u64 = by_level.iter().sum();
    let headings = HeadingStats {
        count: hcount,
        per_kb: hcount as f64 / kb,
        by_level,
        explicit_id_share: ratio(
            ms.iter().map(|m| m.explicit_ids).sum::<u64>() as f64,
            hcount as f64,
        ),
    };

    // References.
    let mut refs: PerKind<[u64; 4]> = PerKind::default();
    for m in ms {
        for (k, row) in refs.iter_mut() {
            for (a, b) in row.iter_mut().zip(&m.refs[k]) {
                *a += b;
            }
        }
    }
    let total_refs: u64 = refs.values().iter().flatten().sum();
    let by_kind = Named(
        refs.iter()
            .filter(|(k, _)| measured(*k))
            .map(|(k, row)| {
                let c: u64 = row.iter().sum();
                (
                    k.name().to_string(),
                    KindEntry {
                        count: c,
                        per_kb: c as f64 / kb,
                        share: ratio(c as f64, total_refs as f64),
                    },
                )
            })
            .collect(),
    );
    let block_bytes = [
        mix.kinds.0[B_PARA].1.bytes,
        mix.kinds.0[B_LIST].1.bytes,
        mix.kinds.0[B_TABLE].1.bytes,
        counted
            - mix.kinds.0[B_PARA].1.bytes
            - mix.kinds.0[B_LIST].1.bytes
            - mix.kinds.0[B_TABLE].1.bytes,
    ];
    let by_block = Named(
        (0..4)
            .map(|b| {
                let c: u64 = refs.values().iter().map(|r| r[b]).sum();
                (
                    REF_BLOCKS[b].to_string(),
                    BlockRefEntry {
                        count: c,
                        share: ratio(c as f64, total_refs as f64),
                        per_kb_of_block: ratio(c as f64, block_bytes[b] as f64 / 1024.0),
                    },
                )
            })
            .collect(),
    );
    let per_file: Vec<f64> = ms
        .iter()
        .filter(|m| m.bytes > 0)
        .map(|m| m.refs.values().iter().flatten().sum::<u64>() as f64 / (m.bytes as f64 / 1024.0))
        .collect();
    let footnote_refs = ms.iter().map(|m| m.footnote_refs).sum();
    let references = ReferenceStats {
        count: total_refs,
        per_kb: total_refs as f64 / kb,
        by_kind,
        by_block,
        per_file_per_kb: quantiles(per_file),
        unresolved_brackets: ms.iter().map(|m| m.unresolved_brackets).sum(),
        footnote_refs,
        definitions: ms.iter().map(|m| m.blocks[B_LRD]).sum(),
        definition_external_share: ratio(
            ms.iter().map(|m| m.label_external).sum::<u64>() as f64,
            ms.iter()
                .map(|m| m.refs[LinkKind::Reference].iter().sum::<u64>())
                .sum::<u64>() as f64,
        ),
    };

    let graph = graph(paths, others, ms);

    // Paragraphs.
    let mut pw = Hist::default();
    let mut plb = Hist::default();
    let mut code_lines = Hist::default();
    let mut list_items = Hist::default();
    let mut list_depth = Hist::default();
    let mut table_rows = Hist::default();
    let mut langs: BTreeMap<String, u64> = BTreeMap::new();
    for m in ms {
        pw.merge(&m.para_words);
        plb.merge(&m.para_line_bytes);
        code_lines.merge(&m.code_lines);
        list_items.merge(&m.list_items);
        list_depth.merge(&m.list_depth);
        table_rows.merge(&m.table_rows);
        for (l, c) in &m.languages {
            *langs.entry(l.clone()).or_default() += c;
        }
    }
    let words: u64 = ms.iter().map(|m| m.words).sum();
    let paragraphs = ParagraphStats {
        count: pw.n,
        words_median: pw.q(0.5),
        words_mean: pw.mean(),
        words_p90: pw.q(0.9),
        lines_mean: ratio(
            ms.iter().map(|m| m.para_lines).sum::<u64>() as f64,
            pw.n as f64,
        ),
        line_bytes_p90: plb.q(0.9),
        inline_markup: ratio(
            ms.iter().map(|m| m.markup_spans).sum::<u64>() as f64,
            words as f64,
        ),
    };
    let mut lang_list: Vec<(String, u64)> = langs.into_iter().collect();
    lang_list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let code = CodeStats {
        blocks: code_lines.n,
        per_kb: code_lines.n as f64 / kb,
        lines_median: code_lines.q(0.5),
        lines_mean: code_lines.mean(),
        lines_p90: code_lines.q(0.9),
        languages: Named(
            lang_list
                .into_iter()
                .take(8)
                .map(|(l, c)| (l, ratio(c as f64, code_lines.n as f64)))
                .collect(),
        ),
        fenced: fenced(ms, kb),
    };
    let depth_items: [u64; 2] = ms.iter().fold([0, 0], |a, m| {
        [a[0] + m.items_by_depth[0], a[1] + m.items_by_depth[1]]
    });
    let ordered: u64 = ms.iter().map(|m| m.ordered_lists).sum();
    let unordered: u64 = ms.iter().map(|m| m.unordered_lists).sum();
    let lists = ListStats {
        lists: list_depth.n,
        all_lists: list_items.n,
        items_mean: list_items.mean(),
        items_median: list_items.q(0.5),
        depth_max: list_depth.max(),
        depth_p90: list_depth.q(0.9),
        depth1_item_share: ratio(
            depth_items[0] as f64,
            (depth_items[0] + depth_items[1]) as f64,
        ),
        ordered_share: ratio(ordered as f64, (ordered + unordered) as f64),
        task_share: ratio(
            ms.iter().map(|m| m.task_lists).sum::<u64>() as f64,
            unordered as f64,
        ),
    };
    let tables = TableStats {
        tables: table_rows.n,
        per_kb: table_rows.n as f64 / kb,
        rows_mean: table_rows.mean(),
        rows_median: table_rows.q(0.5),
    };
    let quotes: u64 = ms.iter().map(|m| m.quotes).sum();
    let blockquotes = QuoteStats {
        blockquotes: quotes,
        callout_share: ratio(
            ms.iter().map(|m| m.callouts).sum::<u64>() as f64,
            quotes as f64,
        ),
    };

    Stats {
        root: root.to_string(),
        files: n,
        bytes,
        file_size,
        layout,
        mix,
        front_matter,
        headings,
        references,
        graph,
        paragraphs,
        code,
        lists,
        tables,
        blockquotes,
        text: text(ms, vocab),
        images: super::ImageStats::default(),
    }
}

fn fenced(ms: &[FileMeasure], kb: f64) -> FencedStats {
    let mut langs: BTreeMap<&str, Fence> = BTreeMap::new();
    for m in ms {
        for (l, f) in &m.prose.fences {
            langs.entry(l).or_default().merge(f);
        }
    }
    let mut list: Vec<(&str, Fence)> = langs.into_iter().collect();
    list.sort_by(|a, b| b.1.lines.n.cmp(&a.1.lines.n).then(a.0.cmp(b.0)));
    let mut all = Hist::default();
    for (_, f) in &list {
        all.merge(&f.lines);
    }
    FencedStats {
        blocks: all.n,
        per_kb: all.n as f64 / kb,
        lines_p50: all.q(0.5),
        lines_p90: all.q(0.9),
        languages: Named(
            list.into_iter()
                .map(|(l, f)| {
                    let e = FenceLanguage {
                        blocks: f.lines.n,
                        lines_p50: f.lines.q(0.5),
                        lines_p90: f.lines.q(0.9),
                        parse_share: (f.checked > 0).then(|| f.parsed as f64 / f.checked as f64),
                    };
                    (l.to_string(), e)
                })
                .collect(),
        ),
    }
}

fn text(ms: &[FileMeasure], v: VocabFigures) -> TextStats {
    let sum = |f: fn(&FileMeasure) -> u64| ms.iter().map(f).sum::<u64>() as f64;
    let words = sum(|m| m.prose.words);
    let per_100 = |x: f64| ratio(100.0 * x, words);
    let mut sentences = Hist::default();
    for m in ms {
        sentences.merge(&m.prose.sentences);
    }
    let top: u64 = v.top.iter().map(|(_, c)| c).sum();
    TextStats {
        words: words as u64,
        distinct: v.distinct,
        distinct_at_quarter_mb: v.at_quarter_mb,
        distinct_at_1mb: v.at_one_mb,
        heaps_exponent: v.heaps,
        heaps_checkpoints: v.checkpoints,
        hapax_share: ratio(v.hapax as f64, v.distinct as f64),
        word_length_mean: ratio(sum(|m| m.prose.letters), words),
        function_word_share: ratio(sum(|m| m.prose.function_words), words),
        the_share: ratio(sum(|m| m.prose.the), words),
        top10_share: ratio(top as f64, words),
        top_words: Named(v.top),
        sentences: SentenceStats {
            count: sentences.n,
            p10: sentences.q(0.1),
            p50: sentences.q(0.5),
            p90: sentences.q(0.9),
        },
        punctuation_per_100_words: per_100(sum(|m| m.prose.punctuation)),
        commas_per_100_words: per_100(sum(|m| m.prose.commas)),
    }
}

//! Micro benchmarks of the generator's and validator's hot paths.
//!
//! `cargo bench --bench hot_paths`; figures in docs/PERFORMANCE.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use noet_corpus::generate::file_record;
use noet_corpus::manifest::{write_heading, write_line, write_link, Record};
use noet_corpus::plan::{Params, Plan};
use noet_corpus::profile::Profile;
use noet_corpus::render::render;
use noet_corpus::rng::{stream, Domain};
use noet_corpus::validate::{check_parse, noet_options, parse};
use std::hint::black_box;

fn plan(files: Option<u64>, size: u64) -> Plan {
    Plan::new(Params::new(
        Profile::load("default").unwrap(),
        size,
        42,
        files,
    ))
    .unwrap()
}

fn bench_render(c: &mut Criterion) {
    let p = plan(None, 20_000_000);
    let mut g = c.benchmark_group("render");
    // A spread of ordinary files (about 10 KB each).
    let bytes: u64 = (0..64).map(|i| p.file_size(i)).sum();
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("64 files", |b| {
        b.iter(|| {
            (0..64)
                .map(|i| render(&p, black_box(i)).bytes.len())
                .sum::<usize>()
        })
    });
    let one = plan(Some(1), 1_000_000);
    g.throughput(Throughput::Bytes(1_000_000));
    g.bench_function("one 1 MB document", |b| {
        b.iter(|| render(&one, black_box(0)).bytes.len())
    });
    g.finish();
}

fn bench_text(c: &mut Criterion) {
    let p = plan(None, 1_000_000);
    let mut rng = stream(1, Domain::Body, &[]);
    c.bench_function("vocab sample", |b| {
        b.iter(|| p.vocab.sample(black_box(&mut rng)))
    });
    c.bench_function("prose: 1000 words into a buffer", |b| {
        let mut out = Vec::with_capacity(16 << 10);
        b.iter(|| {
            out.clear();
            let mut prose = noet_corpus::text::Prose::new(0, 80, b"");
            for _ in 0..1000 {
                prose.word(&mut out, p.vocab.draw(&mut rng));
            }
            out.len()
        })
    });
    let mut g = c.benchmark_group("plan");
    g.bench_function("file meta", |b| b.iter(|| p.file(black_box(37))));
    g.bench_function("heading", |b| {
        b.iter(|| p.heading(black_box(37), black_box(3)))
    });
    g.finish();
}

fn bench_manifest_and_validate(c: &mut Criterion) {
    let p = plan(None, 20_000_000);
    let docs: Vec<_> = (0..32).map(|i| render(&p, i)).collect();
    let bytes: u64 = docs.iter().map(|d| d.bytes.len() as u64).sum();
    let mut g = c.benchmark_group("per file");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("manifest records", |b| {
        let mut out = Vec::with_capacity(1 << 20);
        b.iter(|| {
            out.clear();
            for d in &docs {
                write_line(&mut out, &Record::File(file_record(d, None)));
                for h in &d.headings {
                    write_heading(&mut out, h);
                }
                for l in &d.links {
                    write_link(&mut out, l);
                }
            }
            out.len()
        })
    });
    let texts: Vec<&str> = docs
        .iter()
        .map(|d| std::str::from_utf8(&d.bytes).unwrap())
        .collect();
    g.bench_function(
        BenchmarkId::new("pulldown-cmark parse", "noet options"),
        |b| b.iter(|| texts.iter().map(|t| parse(t).links.len()).sum::<usize>()),
    );
    let recs: Vec<_> = docs.iter().map(|d| file_record(d, None)).collect();
    g.bench_function("check parse against ground truth", |b| {
        b.iter(|| {
            let mut problems = Vec::new();
            for (d, r) in docs.iter().zip(&recs) {
                check_parse(
                    &d.bytes,
                    Default::default(),
                    None,
                    r,
                    &d.headings,
                    &d.links,
                    &mut problems,
                );
            }
            assert!(problems.is_empty());
        })
    });
    g.finish();
}

/// One 8 MB document: pulldown-cmark in one call (what a reader does), and
/// `parse` (in pieces when it can) on the calling thread and on a pool of
/// two threads.
fn bench_large_document(c: &mut Criterion) {
    let doc = render(&plan(Some(1), 8_000_000), 0);
    let text = std::str::from_utf8(&doc.bytes).unwrap();
    let mut g = c.benchmark_group("8 MB document");
    g.throughput(Throughput::Bytes(doc.bytes.len() as u64));
    g.sample_size(20);
    g.bench_function("pulldown-cmark, one call", |b| {
        b.iter(|| pulldown_cmark::Parser::new_ext(black_box(text), noet_options()).count())
    });
    g.bench_function("parse, one thread", |b| {
        b.iter(|| parse(black_box(text)).links.len())
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    g.bench_function("parse, pool of 2", |b| {
        b.iter(|| pool.install(|| parse(black_box(text)).links.len()))
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_render,
    bench_text,
    bench_manifest_and_validate,
    bench_large_document
);
criterion_main!(benches);

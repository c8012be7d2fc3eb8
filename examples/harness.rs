//! A benchmark-style consumer: build (or reuse) a corpus with the library,
//! then time a markdown tool over it. Here the tool is pulldown-cmark; copy
//! this file into your project and replace `parse` with your own tool.
//!
//! ```sh
//! cargo run --release --example harness -- [SIZE] [PROFILE] [SEED]
//! cargo run --release --example harness -- 20MB default 42
//! ```

use noet_corpus::generate::{generate, GenOptions};
use noet_corpus::manifest::{Reader, Record};
use noet_corpus::plan::Params;
use noet_corpus::profile::Profile;
use noet_corpus::size::ByteSize;
use noet_corpus::validate::noet_options;
use std::path::PathBuf;
use std::time::Instant;

/// The tool under test: here, count the links pulldown-cmark finds.
fn parse(text: &str) -> usize {
    pulldown_cmark::Parser::new_ext(text, noet_options())
        .filter(|e| {
            matches!(
                e,
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { .. })
            )
        })
        .count()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let size: ByteSize = args.first().map(String::as_str).unwrap_or("10MB").parse()?;
    let profile = Profile::load(args.get(1).map(String::as_str).unwrap_or("default"))?;
    let seed: u64 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(42);
    let out = PathBuf::from("target/harness").join(format!("{}-{}-s{}", profile.name, size, seed));

    // Build once; later runs find it up to date and return at once.
    let mut opts = GenOptions::new(Params::new(profile, size.0, seed, None), out.clone());
    opts.force = true;
    let built = generate(&opts, &mut |_| {})?;
    eprintln!(
        "corpus {} ({}): {} files, {} bytes",
        out.display(),
        built.status,
        built.files,
        built.bytes
    );

    // The manifest lists every file and the ground truth of every link, so the
    // harness can check the tool's answers as well as time it.
    let mut files = Vec::new();
    let mut expected_links = 0usize;
    let mut reader = Reader::open(&out)?;
    while let Some(rec) = reader.next_record()? {
        match rec {
            Record::File(f) => files.push(std::fs::read_to_string(out.join(&f.path))?),
            // Wikilinks are links to pulldown-cmark; images are not.
            Record::Link(l) if l.kind != noet_corpus::record::LinkKind::Image => {
                expected_links += 1
            }
            _ => {}
        }
    }
    let bytes: usize = files.iter().map(String::len).sum();

    let mut best = f64::INFINITY;
    let mut found = 0;
    for _ in 0..5 {
        let start = Instant::now();
        found = files.iter().map(|t| parse(t)).sum::<usize>();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "pulldown-cmark: {} files, {:.1} MB in {:.3} s (best of 5) = {:.0} MB/s; links found {} of {} expected",
        files.len(),
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best,
        found,
        expected_links
    );
    if found != expected_links {
        return Err("the tool's link count differs from the manifest".into());
    }
    Ok(())
}

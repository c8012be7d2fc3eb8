//! The floors `benches/ladder.sh` holds `gen` against (issue #16): what
//! writing a finished corpus, or parsing it, costs when nothing else is
//! done. `gen` does both and more, so neither can be beaten (one large
//! document aside, see [`parse_floor`]); the ratio of
//! `gen`'s time to theirs, measured over the same tree in the same run,
//! is the gap that is ours.
//!
//! ```sh
//! cargo build --release --example floors
//! floors write SRC DST [--jobs N]   # every file under SRC, from memory into a new DST
//! floors parse SRC [--jobs N]       # pulldown-cmark alone over SRC's markdown
//! ```
//!
//! Each prints one line on stdout, `SECONDS BYTES FILES`, for the script.
//! The clock runs only over the phase being measured: reading the tree
//! into memory comes first and is not counted, or the floor would include
//! work `gen` never does. `--jobs` means what it means to `gen` (0 or
//! absent: every core; never more than the cores).

use noet_corpus::manifest::{Reader, Record};
use pulldown_cmark::Parser;
use rayon::prelude::*;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Markdown held in memory at a time by `parse`: a 10 GB corpus does not
/// fit, and batches this large leave the threads idle only at their ends.
const PARSE_BATCH: u64 = 256 << 20;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("floors: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<String, String> {
    let mut jobs = 0usize;
    let mut plain = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        if a == "--jobs" {
            let n = it.next().ok_or("--jobs needs a number")?;
            jobs = n.parse().map_err(|_| format!("--jobs {n}: not a number"))?;
        } else {
            plain.push(a);
        }
    }
    let jobs = noet_corpus::threads::jobs(jobs);
    match plain.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["write", src, dst] => write_floor(Path::new(src), Path::new(dst), jobs),
        ["parse", src] => parse_floor(Path::new(src), jobs),
        _ => Err("usage: floors write SRC DST [--jobs N] | floors parse SRC [--jobs N]".into()),
    }
}

/// One finished tree in memory: folders parents first, then files.
struct Tree {
    folders: Vec<PathBuf>,
    files: Vec<(PathBuf, Vec<u8>)>,
}

/// Read every folder and file under `src` (the manifest folder and any
/// assets too: `gen` writes them all), in name order, folder by folder,
/// except that the largest file (the manifest, when it is large: in
/// format 8 it had more bytes than all the markdown) goes first, so that
/// no thread is left writing it alone after the others have finished.
fn load(src: &Path, jobs: usize) -> io::Result<Tree> {
    let mut folders = Vec::new();
    let mut paths = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let mut entries = fs::read_dir(src.join(&rel))?.collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        let mut below = Vec::new();
        for e in entries {
            let child = rel.join(e.file_name());
            let kind = e.file_type()?;
            if kind.is_dir() {
                folders.push(child.clone());
                below.push(child);
            } else if kind.is_file() {
                paths.push(child);
            } else {
                return Err(io::Error::other(format!(
                    "{}: neither a file nor a folder (gen writes no such thing)",
                    src.join(child).display()
                )));
            }
        }
        stack.extend(below.into_iter().rev());
    }
    let mut files = noet_corpus::threads::pool(jobs).install(|| {
        paths
            .into_par_iter()
            .map(|p| fs::read(src.join(&p)).map(|b| (p, b)))
            .collect::<io::Result<Vec<_>>>()
    })?;
    if let Some(big) = (0..files.len()).max_by_key(|&i| files[i].1.len()) {
        let f = files.remove(big);
        files.insert(0, f);
    }
    Ok(Tree { folders, files })
}

/// Write `src`'s tree into `dst` as `gen` writes a corpus: the folders
/// first from one thread, then each file with one `fs::write` (create,
/// write, close) on `jobs` threads, nothing synced (`gen` does not sync
/// either, so a floor that did would measure the disk, not the page
/// cache `gen` writes into). `dst` must not exist: a fresh folder is
/// what `gen` writes into, and overwriting would measure something else.
fn write_floor(src: &Path, dst: &Path, jobs: usize) -> Result<String, String> {
    let tree = load(src, jobs).map_err(|e| format!("reading {}: {e}", src.display()))?;
    let pool = noet_corpus::threads::pool(jobs);
    let err = |p: &Path, e: io::Error| format!("{}: {e}", p.display());
    let start = Instant::now();
    fs::create_dir(dst).map_err(|e| err(dst, e))?;
    for f in &tree.folders {
        let p = dst.join(f);
        fs::create_dir(&p).map_err(|e| err(&p, e))?;
    }
    pool.install(|| {
        tree.files.par_iter().try_for_each(|(rel, bytes)| {
            let p = dst.join(rel);
            fs::write(&p, bytes).map_err(|e| err(&p, e))
        })
    })?;
    let secs = start.elapsed().as_secs_f64();
    let bytes: u64 = tree.files.iter().map(|(_, b)| b.len() as u64).sum();
    Ok(format!("{secs:.6} {bytes} {}", tree.files.len()))
}

/// Parse every markdown file the manifest lists, with the options of the
/// corpus's dialect, in batches read beforehand. Unlike `validate
/// --parse-only`, which reads the manifest and the files between parses on
/// the way, only the parse is timed: `gen` parses text it has in memory.
/// Each file is parsed whole on one thread (`gen` splits a large one into
/// pieces, so for a lone large document this floor is higher than `gen`'s).
fn parse_floor(src: &Path, jobs: usize) -> Result<String, String> {
    let bad = |e: noet_corpus::ManifestError| e.to_string();
    let mut reader = Reader::open(src)
        .map_err(bad)?
        .skipping_links()
        .skipping_headings();
    let dialect = match reader.next_record().map_err(bad)? {
        Some(Record::Corpus(c)) => c.params.profile.dialect,
        _ => {
            return Err(format!(
                "{}: no corpus record first",
                reader.path().display()
            ))
        }
    };
    let options = noet_corpus::validate::options(dialect);
    let pool = noet_corpus::threads::pool(jobs);
    let (mut secs, mut bytes, mut files) = (0f64, 0u64, 0u64);
    let mut batch: Vec<String> = Vec::new();
    let mut pending = 0u64;
    let mut parse = |batch: &mut Vec<String>| -> Result<(), String> {
        let texts = pool.install(|| {
            batch
                .par_iter()
                .map(|p| fs::read_to_string(src.join(p)).map_err(|e| format!("{p}: {e}")))
                .collect::<Result<Vec<_>, _>>()
        })?;
        let start = Instant::now();
        bytes += pool.install(|| {
            texts
                .par_iter()
                .map(|t| {
                    std::hint::black_box(Parser::new_ext(t, options).count());
                    t.len() as u64
                })
                .sum::<u64>()
        });
        secs += start.elapsed().as_secs_f64();
        files += texts.len() as u64;
        batch.clear();
        Ok(())
    };
    while let Some(rec) = reader.next_record().map_err(bad)? {
        if let Record::File(f) = rec {
            pending += f.bytes;
            batch.push(f.path);
            if pending >= PARSE_BATCH {
                parse(&mut batch)?;
                pending = 0;
            }
        }
    }
    parse(&mut batch)?;
    Ok(format!("{secs:.6} {bytes} {files}"))
}

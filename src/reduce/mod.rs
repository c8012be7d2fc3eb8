//! Delta debugging (`noet-corpus reduce`): given a command that fails on a
//! corpus, remove files, then sections, top-level blocks and lines of the
//! files that remain, then references (each link giving way to its text),
//! keeping each removal after which the command still fails, until no
//! single chunk at any level can go (1-minimal at each level, Zeller's
//! ddmin). The result is written with a manifest re-derived for the
//! reduced tree.
//!
//! Every test runs on a copy: the candidate is written to a fresh
//! temporary folder, with its own manifest, and the command is pointed at
//! that folder. The input corpus is only read.

mod derive;
mod levels;
mod tester;
mod units;

use derive::{derive, write_result};
use levels::Reducer;
pub use tester::interrupt_cleanup;
use tester::Tester;

use crate::manifest::{self, AssetRecord, CorpusRecord, FileRecord, Reader, Record};
use crate::record::{HeadingRecord, LinkRecord};
use crate::validate::{self, Problem};
use serde::Serialize;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What counts as the failure being reduced.
#[derive(Debug, Clone)]
pub struct ReduceOptions {
    /// The command and its arguments. Each `{}` in an argument is replaced
    /// by the candidate's folder; with no `{}` anywhere the folder is
    /// appended as the last argument.
    pub command: Vec<String>,
    /// When given, a run fails exactly when its stdout or stderr matches
    /// this (whatever its exit, unless `exit` is given too); otherwise a
    /// run fails when it exits non-zero, is killed by a signal, or times
    /// out.
    pub matches: Option<regex::Regex>,
    /// When given, a run fails only when it exits with this code: a test
    /// script can then say "could not run" with another code, and a
    /// timeout or a signal is not the failure.
    pub exit: Option<i32>,
    /// A run longer than this is killed and counts as failing (a hang is a
    /// failure worth reducing too).
    pub timeout: Duration,
    /// Candidates tried at once.
    pub jobs: usize,
}

/// Where a reduction is, after each removal that was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReduceProgress {
    /// `files`, `sections`, `blocks`, `lines` or `references`.
    pub level: &'static str,
    /// Markdown files left.
    pub files: u64,
    /// Markdown bytes left.
    pub bytes: u64,
    /// Test runs so far.
    pub tests: u64,
}

/// The outcome of a reduction.
#[derive(Debug, Clone, Serialize)]
pub struct ReduceSummary {
    /// How the unreduced corpus failed (`exit 1`, `signal 11`, `timeout`,
    /// `output matches`).
    pub failure: String,
    /// Test runs, the first (on the whole corpus) included.
    pub tests: u64,
    /// Markdown files before and after.
    pub files_before: u64,
    /// Markdown files in the result.
    pub files: u64,
    /// Markdown bytes before.
    pub bytes_before: u64,
    /// Markdown bytes in the result.
    pub bytes: u64,
    /// Assets kept (those the remaining references point at).
    pub assets: u64,
    /// Link records in the result's manifest.
    pub links: u64,
    /// Links that resolved in the input and are marked broken in the
    /// result because their target (or anchor) was removed.
    pub now_broken: u64,
    /// Paths of the remaining markdown files.
    pub paths: Vec<String>,
    /// What `validate` reports on the result (empty when it is valid).
    pub problems: Vec<Problem>,
}

/// Why a reduction could not run.
#[derive(Debug, thiserror::Error)]
pub enum ReduceError {
    /// The input corpus's manifest could not be read.
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    /// A bad request: no command, an output folder that exists, ...
    #[error("{0}")]
    Input(String),
    /// The command does not fail on the input corpus, so there is nothing
    /// to reduce.
    #[error("the command does not fail on the input corpus ({0}), so there is nothing to reduce")]
    NotFailing(String),
    /// Reading, writing or running failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        source: std::io::Error,
    },
}

impl ReduceError {
    /// The class of the failure, for exit codes.
    pub fn class(&self) -> crate::error::ErrorClass {
        use crate::error::ErrorClass;
        match self {
            ReduceError::Manifest(e) => e.class(),
            ReduceError::Input(_) | ReduceError::NotFailing(_) => ErrorClass::Input,
            ReduceError::Io { .. } => ErrorClass::Runtime,
        }
    }
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ReduceError {
    let what = what.into();
    move |source| ReduceError::Io { what, source }
}

/// One markdown file of the input, with its ground truth.
struct Original {
    rec: FileRecord,
    headings: Vec<HeadingRecord>,
    links: Vec<LinkRecord>,
}

/// The input corpus, read once.
struct Input {
    header: CorpusRecord,
    files: Vec<Original>,
    /// Asset records and bytes, in manifest order.
    assets: Vec<(AssetRecord, Arc<[u8]>)>,
}

/// A candidate: each input file's current bytes, or `None` once removed.
/// Shared slices make a candidate cheap to copy.
type State = Vec<Option<Arc<[u8]>>>;

/// Reduce the corpus at `input` to a minimal one on which `opts`'s command
/// still fails, and write it to `out` (which must not exist), with a
/// manifest re-derived for what remains. `progress` hears of each removal
/// kept.
pub fn reduce(
    input: &Path,
    out: &Path,
    opts: &ReduceOptions,
    progress: &mut dyn FnMut(ReduceProgress),
) -> Result<ReduceSummary, ReduceError> {
    if opts.command.is_empty() {
        return Err(ReduceError::Input(
            "no command to run: give it after `--`".into(),
        ));
    }
    if out.exists() {
        return Err(ReduceError::Input(format!(
            "{} already exists; reduce writes a new folder",
            out.display()
        )));
    }
    // The input is only read: a result written inside it would become
    // part of it.
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    if abs(out).starts_with(abs(input)) {
        return Err(ReduceError::Input(format!(
            "{} is inside the input corpus; write the result elsewhere",
            out.display()
        )));
    }
    let (corpus, state) = read_input(input)?;
    let tester = Tester {
        input: &corpus,
        opts,
        pool: crate::threads::pool(opts.jobs.max(1)),
        tests: AtomicU64::new(0),
    };
    let files_before = state.iter().flatten().count() as u64;
    let bytes_before: u64 = state.iter().flatten().map(|b| b.len() as u64).sum();
    let failure = match tester.execute(&state)? {
        (Some(how), _) => how,
        (None, passed) => return Err(ReduceError::NotFailing(passed)),
    };
    let mut r = Reducer {
        tester: &tester,
        state,
        progress,
    };
    // Rounds until nothing more goes: removing lines or links can make a
    // file that was needed (for what it linked to, say) removable. Each
    // round that goes on shrinks the bytes, so the rounds end.
    loop {
        let before = r.size();
        r.files()?;
        r.text()?;
        r.references()?;
        if r.size() == before {
            break;
        }
    }
    let state = r.state;
    write_result(&corpus, &state, out)?;
    let derived = derive(&corpus, &state);
    let report = validate::validate_dir(out, true, opts.jobs.max(1))?;
    Ok(ReduceSummary {
        failure,
        tests: tester.tests.load(Ordering::Relaxed),
        files_before,
        files: state.iter().flatten().count() as u64,
        bytes_before,
        bytes: state.iter().flatten().map(|b| b.len() as u64).sum(),
        assets: derived.end.assets,
        links: derived.end.links,
        now_broken: derived.now_broken,
        paths: corpus
            .files
            .iter()
            .zip(&state)
            .filter(|(_, s)| s.is_some())
            .map(|(f, _)| f.rec.path.clone())
            .collect(),
        problems: report.problems,
    })
}

fn read_input(root: &Path) -> Result<(Input, State), ReduceError> {
    let mut reader = Reader::open(root)?;
    let header = match reader.next_record()? {
        Some(Record::Corpus(c)) => *c,
        _ => {
            return Err(reader
                .error("the first line is not a `corpus` record")
                .into())
        }
    };
    if header.shard.is_some() {
        return Err(ReduceError::Input(format!(
            "{} is a shard; join the shards with `noet-corpus merge` and reduce the result",
            root.display()
        )));
    }
    let mut files: Vec<Original> = Vec::new();
    let mut assets = Vec::new();
    let mut ended = false;
    while let Some(rec) = reader.next_record()? {
        match rec {
            Record::File(f) => files.push(Original {
                rec: f,
                headings: Vec::new(),
                links: Vec::new(),
            }),
            Record::Heading(h) => match files.last_mut() {
                Some(f) => f.headings.push(h),
                None => {
                    return Err(reader
                        .error("a heading record before any file record")
                        .into())
                }
            },
            Record::Link(l) => match files.last_mut() {
                Some(f) => f.links.push(l),
                None => return Err(reader.error("a link record before any file record").into()),
            },
            Record::Asset(a) => {
                let bytes = std::fs::read(root.join(&a.path))
                    .map_err(io(format!("cannot read asset {}", a.path)))?;
                assets.push((a, Arc::from(bytes)));
            }
            Record::End(_) => ended = true,
            Record::Corpus(_) => return Err(reader.error("a second corpus record").into()),
        }
    }
    if !ended {
        return Err(reader
            .error("the manifest ends without an `end` record: the corpus is incomplete")
            .into());
    }
    let mut state = Vec::with_capacity(files.len());
    for f in &files {
        let bytes = std::fs::read(root.join(&f.rec.path))
            .map_err(io(format!("cannot read {}", f.rec.path)))?;
        state.push(Some(Arc::from(bytes)));
    }
    Ok((
        Input {
            header,
            files,
            assets,
        },
        state,
    ))
}

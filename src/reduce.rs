//! Delta debugging (`noet-corpus reduce`): given a command that fails on a
//! corpus, remove files, then lines of the files that remain, keeping each
//! removal after which the command still fails, until no single chunk of
//! either can go (1-minimal at each level, Zeller's ddmin). The result is
//! written with a manifest re-derived for the reduced tree.
//!
//! Every test runs on a copy: the candidate is written to a fresh
//! temporary folder, with its own manifest, and the command is pointed at
//! that folder. The input corpus is only read.

use crate::dialect::Dialect;
use crate::manifest::{self, AssetRecord, CorpusRecord, EndRecord, FileRecord, Reader, Record};
use crate::record::{HeadingRecord, LinkEvent, LinkKind, LinkRecord};
use crate::validate::{self, Parsed, Problem};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What counts as the failure being reduced.
#[derive(Debug, Clone)]
pub struct ReduceOptions {
    /// The command and its arguments. Each `{}` in an argument is replaced
    /// by the candidate's folder; with no `{}` anywhere the folder is
    /// appended as the last argument.
    pub command: Vec<String>,
    /// When given, a run fails exactly when its stdout or stderr matches
    /// this (whatever its exit); otherwise a run fails when it exits
    /// non-zero, is killed by a signal, or times out.
    pub matches: Option<regex::Regex>,
    /// A run longer than this is killed and counts as failing (a hang is a
    /// failure worth reducing too).
    pub timeout: Duration,
    /// Candidates tried at once.
    pub jobs: usize,
}

/// Where a reduction is, after each removal that was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReduceProgress {
    /// `files` or `lines`.
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

/// What runs on this process's behalf now: each test's temporary folder
/// and, while the command runs, its process group; and the staging folder
/// of the result. A command runs in a process group of its own (so that a
/// timeout kills what it started), which a terminal's Ctrl-C does not
/// reach: [`interrupt_cleanup`] ends them.
static RUNNING: std::sync::Mutex<Vec<(PathBuf, Option<u32>)>> = std::sync::Mutex::new(Vec::new());

fn running() -> std::sync::MutexGuard<'static, Vec<(PathBuf, Option<u32>)>> {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hold `dir` (and the group `pid` leads) for [`interrupt_cleanup`].
fn hold(dir: &Path, pid: Option<u32>) {
    let mut r = running();
    r.retain(|(d, _)| d != dir);
    r.push((dir.to_path_buf(), pid));
}

fn release(dir: &Path) {
    running().retain(|(d, _)| d != dir);
}

/// For an interrupt handler: kill the commands under test (their whole
/// process groups) and remove the temporary folders of this process's
/// reductions. The registry then stays locked, so no test starts after;
/// the caller should exit.
pub fn interrupt_cleanup() {
    let r = running();
    for (dir, pid) in r.iter() {
        #[cfg(unix)]
        if let Some(pid) = pid {
            // SAFETY: kill(2) on a process group this process started; no
            // memory is involved.
            unsafe {
                libc::kill(-(*pid as i32), libc::SIGKILL);
            }
        }
        #[cfg(not(unix))]
        let _ = pid;
        let _ = std::fs::remove_dir_all(dir);
    }
    std::mem::forget(r);
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
    // Rounds until nothing more goes: removing lines can make a file that
    // was needed (for what it linked to, say) removable.
    loop {
        let before = r.size();
        r.files()?;
        r.lines()?;
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

/// Runs the command on candidates.
struct Tester<'a> {
    input: &'a Input,
    opts: &'a ReduceOptions,
    pool: crate::threads::Pool,
    tests: AtomicU64,
}

impl Tester<'_> {
    /// Run the command on `state`, written to a fresh folder: how it
    /// failed, or `None` if it did not.
    fn run(&self, state: &State) -> Result<Option<String>, ReduceError> {
        Ok(self.execute(state)?.0)
    }

    /// How the command failed on `state` (or `None`), and how it ended
    /// (for the message that there is nothing to reduce).
    fn execute(&self, state: &State) -> Result<(Option<String>, String), ReduceError> {
        self.tests.fetch_add(1, Ordering::Relaxed);
        let work = tempfile::Builder::new()
            .prefix("noet-reduce-")
            .tempdir()
            .map_err(io("cannot make a temporary folder"))?;
        // The candidate has a folder of its own, so that the captured
        // output beside it is not part of what the command sees.
        hold(work.path(), None);
        let result = self.execute_in(state, work.path());
        release(work.path());
        result
    }

    /// [`Tester::execute`] in the temporary folder `work`.
    fn execute_in(
        &self,
        state: &State,
        work: &Path,
    ) -> Result<(Option<String>, String), ReduceError> {
        let dir = work.join("corpus");
        write_tree(self.input, state, &dir)?;
        let dir_s = dir.to_string_lossy().into_owned();
        let mut args: Vec<String> = self.opts.command[1..].to_vec();
        if args.iter().any(|a| a.contains("{}")) {
            for a in &mut args {
                *a = a.replace("{}", &dir_s);
            }
        } else {
            args.push(dir_s);
        }
        let out_path = work.join("stdout");
        let err_path = work.join("stderr");
        let stdout = std::fs::File::create(&out_path).map_err(io("cannot capture output"))?;
        let stderr = std::fs::File::create(&err_path).map_err(io("cannot capture output"))?;
        let mut cmd = std::process::Command::new(&self.opts.command[0]);
        cmd.args(&args)
            .stdin(std::process::Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        // Its own process group, so that a timeout kills what the command
        // started too (a shell's children).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd.spawn().map_err(|e| {
            ReduceError::Input(format!("cannot run `{}`: {e}", self.opts.command[0]))
        })?;
        hold(work, Some(child.id()));
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child
                .try_wait()
                .map_err(io("cannot wait for the command"))?
            {
                break Some(s);
            }
            if start.elapsed() > self.opts.timeout {
                #[cfg(unix)]
                // SAFETY: kill(2) on the group this child leads; no memory
                // is involved.
                unsafe {
                    libc::kill(-(child.id() as i32), libc::SIGKILL);
                }
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let how = match status {
            None => format!("timeout after {}s", self.opts.timeout.as_secs_f64()),
            Some(s) => match s.code() {
                Some(c) => format!("exit {c}"),
                None => {
                    #[cfg(unix)]
                    let sig = std::os::unix::process::ExitStatusExt::signal(&s).unwrap_or(0);
                    #[cfg(not(unix))]
                    let sig = 0;
                    format!("signal {sig}")
                }
            },
        };
        let failed = match &self.opts.matches {
            Some(re) => {
                let mut text =
                    String::from_utf8_lossy(&std::fs::read(&out_path).unwrap_or_default())
                        .into_owned();
                text.push_str(&String::from_utf8_lossy(
                    &std::fs::read(&err_path).unwrap_or_default(),
                ));
                re.is_match(&text)
                    .then(|| format!("output matches `{}` ({how})", re.as_str()))
            }
            None => (status.map(|s| !s.success()).unwrap_or(true)).then(|| how.clone()),
        };
        let desc = match &self.opts.matches {
            Some(re) => format!("{how}, output does not match `{}`", re.as_str()),
            None => how,
        };
        Ok((failed, desc))
    }

    /// The index of the first candidate on which the command fails, trying
    /// `jobs` at a time in order; the first in order wins, so the result
    /// is the same at any `jobs` (only the number of runs differs).
    fn first_failing(&self, cands: &[State]) -> Result<Option<usize>, ReduceError> {
        let jobs = self.opts.jobs.max(1);
        for (b, batch) in cands.chunks(jobs).enumerate() {
            let results: Vec<Result<bool, ReduceError>> = if jobs == 1 {
                batch
                    .iter()
                    .map(|s| self.run(s).map(|f| f.is_some()))
                    .collect()
            } else {
                self.pool.install(|| {
                    batch
                        .par_iter()
                        .map(|s| self.run(s).map(|f| f.is_some()))
                        .collect()
                })
            };
            for (k, r) in results.into_iter().enumerate() {
                if r? {
                    return Ok(Some(b * jobs + k));
                }
            }
        }
        Ok(None)
    }
}

/// The reduction under way.
struct Reducer<'a, 'p> {
    tester: &'a Tester<'a>,
    state: State,
    progress: &'p mut dyn FnMut(ReduceProgress),
}

impl Reducer<'_, '_> {
    /// (files, bytes) left.
    fn size(&self) -> (u64, u64) {
        let files = self.state.iter().flatten().count() as u64;
        let bytes = self.state.iter().flatten().map(|b| b.len() as u64).sum();
        (files, bytes)
    }

    fn report(&mut self, level: &'static str) {
        let (files, bytes) = self.size();
        let tests = self.tester.tests.load(Ordering::Relaxed);
        (self.progress)(ReduceProgress {
            level,
            files,
            bytes,
            tests,
        });
    }

    /// Level 1: which files stay.
    fn files(&mut self) -> Result<(), ReduceError> {
        let kept: Vec<usize> = (0..self.state.len())
            .filter(|&i| self.state[i].is_some())
            .collect();
        let base = self.state.clone();
        let build = |units: &[usize]| -> State {
            let keep: HashSet<usize> = units.iter().copied().collect();
            base.iter()
                .enumerate()
                .map(|(i, s)| s.clone().filter(|_| keep.contains(&i)))
                .collect()
        };
        let result = self.ddmin(kept, &build, "files")?;
        self.state = build(&result);
        Ok(())
    }

    /// Level 2: which lines of each remaining file stay (its front matter
    /// counts as one line).
    fn lines(&mut self) -> Result<(), ReduceError> {
        for i in 0..self.state.len() {
            let Some(bytes) = self.state[i].clone() else {
                continue;
            };
            let units = line_units(&bytes);
            if units.is_empty() {
                continue;
            }
            let base = self.state.clone();
            let build = |kept: &[std::ops::Range<usize>]| -> State {
                let mut text = Vec::with_capacity(bytes.len());
                for r in kept {
                    text.extend_from_slice(&bytes[r.clone()]);
                }
                let mut s = base.clone();
                s[i] = Some(Arc::from(text));
                s
            };
            // ddmin keeps at least one unit; a file the failure needs only
            // to exist (a link's target) can lose all of them.
            let empty = build(&[]);
            if self
                .tester
                .first_failing(std::slice::from_ref(&empty))?
                .is_some()
            {
                self.state = empty;
                self.report("lines");
                continue;
            }
            let result = self.ddmin(units, &build, "lines")?;
            self.state = build(&result);
        }
        Ok(())
    }

    /// Zeller's ddmin over `units`: split into `n` chunks (2 at first); if
    /// the command fails on one chunk alone, keep it (n = 2); else if it
    /// fails without one chunk, drop that chunk (n - 1); else split finer,
    /// until chunks are single units. The result is 1-minimal: the command
    /// passes with any one unit of it removed.
    fn ddmin<U: Clone>(
        &mut self,
        units: Vec<U>,
        build: &dyn Fn(&[U]) -> State,
        level: &'static str,
    ) -> Result<Vec<U>, ReduceError> {
        let mut c = units;
        let mut n = 2usize;
        while c.len() >= 2 {
            let n_now = n.min(c.len());
            let chunks = split(c.len(), n_now);
            let subsets: Vec<Vec<U>> = chunks.iter().map(|r| c[r.clone()].to_vec()).collect();
            let cands: Vec<State> = subsets.iter().map(|s| build(s)).collect();
            if let Some(k) = self.tester.first_failing(&cands)? {
                c = subsets[k].clone();
                self.state = cands[k].clone();
                n = 2;
                self.report(level);
                continue;
            }
            // With two chunks each complement is the other chunk, already
            // tried.
            if n_now > 2 {
                let complements: Vec<Vec<U>> = chunks
                    .iter()
                    .map(|r| {
                        c.iter()
                            .enumerate()
                            .filter(|(j, _)| !r.contains(j))
                            .map(|(_, u)| u.clone())
                            .collect()
                    })
                    .collect();
                let cands: Vec<State> = complements.iter().map(|s| build(s)).collect();
                if let Some(k) = self.tester.first_failing(&cands)? {
                    c = complements[k].clone();
                    self.state = cands[k].clone();
                    n = (n_now - 1).max(2);
                    self.report(level);
                    continue;
                }
            }
            if n_now >= c.len() {
                break;
            }
            n = (n_now * 2).min(c.len());
        }
        Ok(c)
    }
}

/// `len` units in `n` chunks of near-equal size, in order.
fn split(len: usize, n: usize) -> Vec<std::ops::Range<usize>> {
    (0..n).map(|k| k * len / n..(k + 1) * len / n).collect()
}

/// The byte ranges of `text`'s lines (each with its `\n`), a front matter
/// block at the top being one unit: half a front matter block is not
/// front matter at all, and would turn into text and a thematic break.
fn line_units(text: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |k| at + k + 1);
        lines.push(at..end);
        at = end;
    }
    if lines.first().is_some_and(|l| &text[l.clone()] == b"---\n") {
        if let Some(close) = lines
            .iter()
            .skip(1)
            .position(|l| &text[l.clone()] == b"---\n" || &text[l.clone()] == b"---")
        {
            let end = lines[close + 1].end;
            lines.drain(..=close + 1);
            lines.insert(0, 0..end);
        }
    }
    lines
}

/// A candidate's manifest and what went into it.
struct Derived {
    manifest: Vec<u8>,
    end: EndRecord,
    /// Indices of the assets kept.
    assets: Vec<usize>,
    now_broken: u64,
}

/// Why a link that resolved in the input does not in the reduced corpus.
const TARGET_REMOVED: &str = "target removed by reduce";
/// Why a link whose section is gone does not resolve.
const ANCHOR_REMOVED: &str = "anchor removed by reduce";
/// A link that reduce's line edits made (a reference whose definition went
/// is a link to its label in noet): not in the input's ground truth.
const MADE_BY_REDUCE: &str = "made by reduce's line edits: not in the input's ground truth";

/// Re-derive the manifest of `state`: file records recounted from the
/// bytes, headings and links parsed as the validator parses, each link
/// keeping the input's resolution while its target (and anchor) remains,
/// else marked broken.
fn derive(input: &Input, state: &State) -> Derived {
    let dialect: Dialect = input.header.params.profile.dialect;
    let parsed: Vec<Option<Parsed>> = state
        .par_iter()
        .map(|s| {
            s.as_ref()
                .map(|b| validate::parse_as(&String::from_utf8_lossy(b), dialect))
        })
        .collect();
    let by_path: HashMap<&str, usize> = input
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| state[*i].is_some())
        .map(|(i, f)| (f.rec.path.as_str(), i))
        .collect();
    let asset_at: HashMap<&str, usize> = input
        .assets
        .iter()
        .enumerate()
        .map(|(i, (a, _))| (a.path.as_str(), i))
        .collect();
    let mut out = Vec::new();
    let mut end = EndRecord::default();
    let mut tree = manifest::TreeDigest::default();
    let mut kept_assets = BTreeSet::new();
    let mut now_broken = 0;
    let mut body = Vec::new();
    let mut folders = BTreeSet::new();
    folders.insert(String::new());
    for (i, f) in input.files.iter().enumerate() {
        let (Some(bytes), Some(p)) = (&state[i], &parsed[i]) else {
            continue;
        };
        let mut dir = f.rec.path.as_str();
        while let Some((d, _)) = dir.rsplit_once('/') {
            folders.insert(d.to_string());
            dir = d;
        }
        let text = String::from_utf8_lossy(bytes);
        let mut rec = f.rec.clone();
        rec.bytes = bytes.len() as u64;
        rec.blake3 = blake3::hash(bytes).to_hex().to_string();
        rec.blocks = p.blocks.clone();
        if p.blocks.front_matter == 0 && rec.front_matter.is_some() {
            // The front matter went: so did what only it said.
            rec.id = None;
            rec.bid = None;
            rec.bref = None;
            rec.front_matter = None;
            rec.aliases.clear();
        }
        // A tag is kept while its text is still there (in front matter or
        // as an inline `#tag`).
        rec.tags.retain(|t| text.contains(t.as_str()));
        if rec
            .collides_with
            .as_deref()
            .is_some_and(|c| !by_path.contains_key(c))
        {
            rec.collides_with = None;
        }
        // Headings as parsed; an Obsidian block id stays with its heading
        // while the paragraph that carries it does.
        let mut headings = p.headings.clone();
        for h in &mut headings {
            h.block = f
                .headings
                .iter()
                .find(|o| o.level == h.level && o.id == h.id)
                .and_then(|o| o.block.clone())
                .filter(|b| p.block_ids.contains(b));
        }
        // Each parsed link takes the first unused input link with the same
        // event and destination.
        let mut used = vec![false; f.links.len()];
        let mut links = Vec::with_capacity(p.links.len());
        for (line, event, dest) in &p.links {
            let found = f
                .links
                .iter()
                .enumerate()
                .position(|(k, l)| !used[k] && l.event == *event && l.dest == *dest);
            let l = match found {
                Some(k) => {
                    used[k] = true;
                    let mut l = f.links[k].clone();
                    l.line = *line;
                    if let Some(t) = l.target.clone() {
                        let why = if let Some(&a) = asset_at.get(t.as_str()) {
                            kept_assets.insert(a);
                            None
                        } else if let Some(&j) = by_path.get(t.as_str()) {
                            match &l.anchor {
                                Some(a) if !has_anchor(parsed[j].as_ref(), a) => {
                                    Some(ANCHOR_REMOVED)
                                }
                                _ => None,
                            }
                        } else {
                            Some(TARGET_REMOVED)
                        };
                        if let Some(why) = why {
                            l.target = None;
                            l.anchor = None;
                            l.broken = Some(why.into());
                            now_broken += 1;
                        }
                    }
                    l
                }
                None => made_link(*line, *event, dest),
            };
            links.push(l);
        }
        rec.headings = headings.len() as u64;
        rec.links = links.len() as u64;
        end.files += 1;
        end.bytes += rec.bytes;
        end.headings += rec.headings;
        end.links += rec.links;
        end.broken += links.iter().filter(|l| l.broken.is_some()).count() as u64;
        tree.add(&rec.path, rec.bytes);
        manifest::write_line(&mut body, &Record::File(rec));
        for h in headings {
            manifest::write_heading(&mut body, &h);
        }
        for l in &links {
            manifest::write_link(&mut body, l);
        }
    }
    for &a in &kept_assets {
        let rec = &input.assets[a].0;
        tree.add(&rec.path, rec.bytes);
        manifest::write_line(&mut body, &Record::Asset(rec.clone()));
    }
    end.assets = kept_assets.len() as u64;
    end.tree = Some(tree.to_hex());
    let mut header = input.header.clone();
    header.files = end.files;
    header.assets = end.assets;
    header.folders = folders.len() as u64;
    manifest::write_line(&mut out, &Record::Corpus(Box::new(header)));
    out.extend_from_slice(&body);
    manifest::write_line(&mut out, &Record::End(end.clone()));
    Derived {
        manifest: out,
        end,
        assets: kept_assets.into_iter().collect(),
        now_broken,
    }
}

/// Whether `anchor` (a section id, or `^` and a block id) is in the file
/// parsed as `p`. The H1 folds into the document and is no target.
fn has_anchor(p: Option<&Parsed>, anchor: &str) -> bool {
    let Some(p) = p else { return false };
    match anchor.strip_prefix('^') {
        Some(b) => p.block_ids.iter().any(|x| x == b),
        None => p
            .headings
            .iter()
            .enumerate()
            .any(|(k, h)| h.id == anchor && !(k == 0 && h.level == 1)),
    }
}

/// The record of a link the input did not have: external if it is a URL,
/// else a negative (what reduce's edits made of it is not ground truth).
fn made_link(line: u64, event: LinkEvent, dest: &str) -> LinkRecord {
    let external = dest.starts_with("http://") || dest.starts_with("https://");
    LinkRecord {
        line,
        kind: match (external, event) {
            (true, LinkEvent::Autolink) => LinkKind::Autolink,
            (true, _) => LinkKind::External,
            _ => LinkKind::BareWord,
        },
        event,
        dest: dest.to_string(),
        target: None,
        anchor: None,
        external,
        broken: (!external).then(|| MADE_BY_REDUCE.to_string()),
    }
}

/// Write `state` (its files, the assets they reference, and its manifest)
/// into the new folder `dir`.
fn write_tree(input: &Input, state: &State, dir: &Path) -> Result<Derived, ReduceError> {
    let d = derive(input, state);
    let mut made: HashSet<PathBuf> = HashSet::new();
    let mut put = |rel: &str, bytes: &[u8]| -> Result<(), ReduceError> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            if made.insert(parent.to_path_buf()) {
                std::fs::create_dir_all(parent)
                    .map_err(io(format!("cannot make {}", parent.display())))?;
            }
        }
        std::fs::write(&path, bytes).map_err(io(format!("cannot write {}", path.display())))
    };
    for (f, s) in input.files.iter().zip(state) {
        if let Some(b) = s {
            put(&f.rec.path, b)?;
        }
    }
    for &a in &d.assets {
        let (rec, bytes) = &input.assets[a];
        put(&rec.path, bytes)?;
    }
    put(
        &format!("{}/{}", manifest::DIR, manifest::FILE),
        &d.manifest,
    )?;
    Ok(d)
}

/// Write the result beside `out` and rename it into place, so that `out`
/// is never a half-written corpus.
fn write_result(input: &Input, state: &State, out: &Path) -> Result<(), ReduceError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(format!("cannot make {}", parent.display())))?;
    let stage = tempfile::Builder::new()
        .prefix(".noet-reduce-")
        .tempdir_in(&parent)
        .map_err(io(format!("cannot make a folder in {}", parent.display())))?;
    hold(stage.path(), None);
    let dir = stage.path().join("corpus");
    let done = write_tree(input, state, &dir).and_then(|_| {
        std::fs::rename(&dir, out)
            .map_err(io(format!("cannot move the result to {}", out.display())))
    });
    release(stage.path());
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_one_unit() {
        let t = b"---\ntitle = \"A\"\nid = \"a\"\n---\n\n# A\ntext";
        let u = line_units(t);
        assert_eq!(u.len(), 4);
        assert_eq!(&t[u[0].clone()], b"---\ntitle = \"A\"\nid = \"a\"\n---\n");
        assert_eq!(&t[u[3].clone()], b"text");
    }

    #[test]
    fn chunks_cover_every_unit_once() {
        for len in 1..20 {
            for n in 1..=len {
                let c = split(len, n);
                assert_eq!(c.len(), n);
                assert_eq!(c.first().unwrap().start, 0);
                assert_eq!(c.last().unwrap().end, len);
                assert!(c.windows(2).all(|w| w[0].end == w[1].start));
                assert!(c.iter().all(|r| !r.is_empty()));
            }
        }
    }
}

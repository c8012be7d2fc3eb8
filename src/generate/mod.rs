//! The `gen` pipeline: plan, render in parallel, write, validate, publish.
//!
//! Workers render, check and write files in any order, and the manifest
//! records are appended in index order as they come in ([`ordered`]).
//! Memory is bounded by the few files in flight, and the output does not
//! depend on the number of threads.

mod file;
mod site;

use crate::manifest::{self, AssetRecord, CorpusRecord, EndRecord, Record, Shard};
use crate::ordered;
use crate::output::{self, ManifestOut, OutputError, Prepared, Sink};
use crate::plan::{Params, Plan, PlanError};
use crate::record::{MixBytes, PerBlock, Status};
use crate::validate::{self, Problem};
pub use file::file_record;
use file::{one_file, Done, PARSE_APART_BYTES};
use serde::Serialize;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

/// What `gen` should do. Made with [`GenOptions::new`] and adjusted field by
/// field, so that a field added later breaks no caller.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GenOptions {
    /// The parameters that determine the bytes.
    pub params: Params,
    /// Output folder.
    pub out: PathBuf,
    /// Worker threads (0 = all cores).
    pub jobs: usize,
    /// Validate before publishing.
    pub validate: bool,
    /// Replace an existing corpus with different parameters.
    pub force: bool,
    /// Render, check and serialise everything, but write nothing: times the
    /// generator without the disk. The cross-file resolution pass, which
    /// reads the manifest back, is skipped.
    pub dry_run: bool,
    /// Write only this shard's files (and a shard manifest); `merge` joins
    /// the shards. A shard is checked file by file; references across
    /// shards are resolved when the merged corpus is validated.
    pub shard: Option<Shard>,
    /// What turns revision 0, just written to the staging folder, into
    /// revision `params.revision` there, before validation and publishing:
    /// `revise` makes revisions (and sets this in
    /// `revise::gen_options`); `gen` only writes revision 0.
    pub finish: Option<Finish>,
}

/// See [`GenOptions::finish`]: called with the staging folder and the
/// revision; an error says its class and what went wrong.
pub type Finish = fn(&std::path::Path, u64) -> Result<(), (crate::error::ErrorClass, String)>;

impl GenOptions {
    /// Build the corpus of `params` at `out`, on every core, validated,
    /// replacing nothing but an older copy of the same corpus.
    pub fn new(params: Params, out: impl Into<PathBuf>) -> GenOptions {
        GenOptions {
            params,
            out: out.into(),
            jobs: 0,
            validate: true,
            force: false,
            dry_run: false,
            shard: None,
            finish: None,
        }
    }
}

/// Progress, reported after each batch.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Bytes written so far.
    pub bytes: u64,
    /// Files written so far.
    pub files: u64,
    /// Total bytes planned.
    pub total_bytes: u64,
    /// Total files planned.
    pub total_files: u64,
}

/// The result of a `gen` run.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// What the run did.
    pub status: Status,
    /// Output folder as given.
    pub path: PathBuf,
    /// Cache key of the parameters.
    pub key: String,
    /// Markdown files.
    pub files: u64,
    /// Markdown bytes.
    pub bytes: u64,
    /// Headings.
    pub headings: u64,
    /// References.
    pub links: u64,
    /// Deliberately broken references.
    pub broken: u64,
    /// Whether the corpus was validated in this run.
    pub validated: bool,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Requested vs achieved content mix and density.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achieved: Option<Achieved>,
}

/// Requested vs achieved shape of a generated corpus.
#[derive(Debug, Clone, Serialize)]
pub struct Achieved {
    /// Requested byte shares of the body blocks (normalised to sum to 1).
    pub mix_requested: PerBlock<f64>,
    /// Achieved byte shares of the same blocks, headings and the rest
    /// (front matter, definitions, footnotes), over all markdown bytes.
    pub mix_achieved: MixBytes<f64>,
    /// Requested mean references per KB (the mean of the per-file range).
    pub links_per_kb_requested: f64,
    /// Achieved references per KB over the corpus.
    pub links_per_kb_achieved: f64,
}

/// Everything that can stop `gen`.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// Impossible parameters.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The output folder.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Validation found problems; nothing was published.
    #[error("validation failed with {} problem(s); nothing was published. First: {}", .0.len(), .0.first().map(|p| p.to_string()).unwrap_or_default())]
    Invalid(Vec<Problem>),
    /// The manifest written could not be read back.
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    /// The edits of `--revision`: their class and what went wrong.
    #[error("{1}")]
    Revision(crate::error::ErrorClass, String),
}

impl GenError {
    /// The class of the failure inside.
    pub fn class(&self) -> crate::error::ErrorClass {
        use crate::error::ErrorClass;
        match self {
            GenError::Plan(_) => ErrorClass::Input,
            GenError::Output(e) => e.class(),
            GenError::Invalid(_) => ErrorClass::Invalid,
            GenError::Manifest(e) => e.class(),
            GenError::Revision(class, _) => *class,
        }
    }
}

/// Generate a corpus (or find it up to date).
pub fn generate(
    opts: &GenOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, GenError> {
    let start = Instant::now();
    if !opts.dry_run {
        // A shard writes about its share of the corpus.
        let share = opts.params.size / opts.shard.map_or(1, |s| s.count);
        output::precheck_space(&opts.out, share, opts.shard.is_some())?;
    }
    let plan = Plan::new(opts.params.clone())?;
    let key = manifest::key(&opts.params);
    let revision = opts.params.revision;
    if revision > 0 {
        let refuse = |why: &str| {
            Err(GenError::Revision(
                crate::error::ErrorClass::Input,
                why.into(),
            ))
        };
        if opts.params.profile.site.is_some() {
            return refuse("revisions of a static site's corpus (--site) are not supported yet; drop --site or --revision");
        }
        if opts.dry_run || opts.shard.is_some() {
            return refuse(
                "--revision writes a folder: it cannot be combined with --dry-run or --shard",
            );
        }
        if opts.finish.is_none() {
            return refuse("revision > 0 needs GenOptions::finish: make the options with noet_corpus::revise::gen_options");
        }
    }
    let mut summary = if opts.dry_run {
        output::check_resources(None, &plan)?;
        let summary = write_corpus(&plan, Sink::Null, opts, progress)?;
        Summary {
            status: Status::DryRun,
            ..summary
        }
    } else {
        let wanted = output::identity(&key, opts.shard);
        let target = match output::prepare(&opts.out, &wanted, opts.force)? {
            Prepared::UpToDate => return Ok(up_to_date(opts, key, start)),
            Prepared::Build(t) => t,
        };
        let written = opts.shard.map_or(0..plan.files, |s| s.files(plan.files));
        output::check_resources(Some((&opts.out, written)), &plan)?;
        let stage = target.stage()?;
        let mut summary = write_corpus(&plan, stage.sink(), opts, progress)?;
        if revision > 0 {
            // Revision 0 was checked as it was written; the edits after it
            // are checked by validating the whole staged tree.
            let finish = opts.finish.expect("checked above");
            finish(stage.path(), revision)
                .map_err(|(class, why)| GenError::Revision(class, why))?;
            let end = manifest::read_end(stage.path())?.unwrap_or_default();
            summary.files = end.files;
            summary.bytes = end.bytes;
            summary.headings = end.headings;
            summary.links = end.links;
            summary.broken = end.broken;
            summary.achieved = None;
            if opts.validate {
                let report = validate::validate_unlocked(stage.path(), true, opts.jobs)?;
                if !report.problems.is_empty() {
                    return Err(GenError::Invalid(report.problems));
                }
            }
        }
        stage.publish()?;
        summary
    };
    summary.key = key;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Generate a corpus as a tar stream into `out` (`gen --out -`), the way
/// [`generate`] writes a folder, but with no folder, lock, staging or
/// publish: `opts.out`, `opts.force` and `opts.dry_run` are not looked
/// at, and the summary's `path` is `-`. Entries are relative to the
/// corpus root, so `tar -x -C DIR` makes DIR the corpus; the bytes are
/// the same at any `opts.jobs` (the layout is in docs/FORMAT.md). Each
/// file is validated as it is made, as in a folder run. `out` should be
/// buffered. A run that fails leaves the stream ending in a damaged
/// header, so that a reader fails too.
pub fn generate_tar(
    opts: &GenOptions,
    out: Box<dyn std::io::Write + Send>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, GenError> {
    let start = Instant::now();
    if opts.params.revision > 0 {
        return Err(GenError::Revision(
            crate::error::ErrorClass::Input,
            "--revision writes a folder: it cannot be combined with --out -".into(),
        ));
    }
    let plan = Plan::new(opts.params.clone())?;
    output::check_resources(None, &plan)?;
    let tar = output::TarOut::new(out);
    let mut summary = write_corpus(&plan, Sink::Tar(&tar), opts, progress)?;
    tar.finish()?;
    summary.path = PathBuf::from("-");
    summary.key = manifest::key(&opts.params);
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

fn up_to_date(opts: &GenOptions, key: String, start: Instant) -> Summary {
    let mut s = Summary {
        status: Status::UpToDate,
        path: opts.out.clone(),
        key,
        files: 0,
        bytes: 0,
        headings: 0,
        links: 0,
        broken: 0,
        validated: false,
        seconds: 0.0,
        achieved: None,
    };
    if let Ok(Some(end)) = manifest::read_end(&opts.out) {
        s.files = end.files;
        s.bytes = end.bytes;
        s.headings = end.headings;
        s.links = end.links;
        s.broken = end.broken;
    }
    s.seconds = start.elapsed().as_secs_f64();
    s
}

/// The last shard (or a whole corpus) carries the image assets.
fn writes_assets(shard: Option<manifest::Shard>) -> bool {
    shard.is_none_or(|s| s.is_last())
}

/// What the files written so far add up to.
#[derive(Default)]
struct Totals {
    end: EndRecord,
    tree: manifest::TreeDigest,
    mix: MixBytes<u64>,
    problems: Vec<Problem>,
}

impl Totals {
    fn add(&mut self, d: Done) {
        let end = &mut self.end;
        end.files += 1;
        end.bytes += d.bytes;
        self.tree.add(&d.path, d.bytes);
        end.headings += d.headings;
        end.links += d.links;
        end.broken += d.broken;
        self.mix.add(&d.mix);
        self.problems.extend(d.problems);
    }
}

/// Write the corpus (or this shard of it) into `sink`: its folders, the
/// manifest, every file in index order as the workers finish them, the
/// assets and the `end` record.
fn write_corpus(
    plan: &Plan,
    sink: Sink<'_>,
    opts: &GenOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, GenError> {
    let jobs = crate::threads::jobs(opts.jobs);
    // Validation resolves each file's references as it is written, against
    // the targets of the whole corpus (every shard's, for a shard).
    let index = opts
        .validate
        .then(|| validate::LinkIndex::from_plan(plan, jobs));
    let range = opts.shard.map_or(0..plan.files, |s| s.files(plan.files));
    let count = range.end - range.start;
    make_folders(plan, &range, sink)?;
    // Records of a file of more than 64 KB go straight to the file; only
    // small files' records are gathered into larger writes.
    let mut mf = sink.manifest(64 << 10)?;
    mf.write(&corpus_line(plan, opts.shard))?;
    // A lone file's records go into the manifest as they are serialised
    // (a 100 MB document has about 200 MB of them), not through the sink.
    let mf = Mutex::new(mf);
    let direct = (count == 1).then_some(&mf);
    let range_bytes = if count == plan.files {
        plan.params.size
    } else {
        range.clone().map(|k| plan.file_size(k)).sum()
    };
    let at = |end: &EndRecord| Progress {
        bytes: end.bytes,
        files: end.files,
        total_bytes: range_bytes,
        total_files: count,
    };
    // Workers run at most `ahead` files past the next one to be written:
    // about 2 MB of markdown (so ~3.5 MB of manifest records) in flight.
    let avg = (range_bytes / count.max(1)).max(1);
    let ahead = ((2 << 20) / avg).clamp(2 * jobs as u64, 256);
    let spare = spare_pool(plan, &range, opts.validate, jobs);
    let mut t = Totals::default();
    let mut reported = (0u64, 0u64);
    ordered::for_each_ordered(
        range.clone(),
        jobs,
        ahead,
        |buf: &mut Vec<u8>, k| {
            let pool = spare.as_ref();
            one_file(plan, sink, k, index.as_ref(), pool, direct, buf)
        },
        |_, d: Result<Done, OutputError>| -> Result<(), GenError> {
            let mut d = d?;
            if let Some(bytes) = d.content.take() {
                sink.file(&d.path, &bytes)?;
            }
            mf.lock().expect("the manifest writer").write(&d.lines)?;
            t.add(d);
            // Report about as often as the old 8 MB / 256-file batches did.
            let end = &t.end;
            if end.files - reported.0 >= 256 || end.bytes - reported.1 >= 8 << 20 {
                reported = (end.files, end.bytes);
                progress(at(end));
            }
            Ok(())
        },
    )?;
    if reported.0 != t.end.files || t.end.files == 0 {
        progress(at(&t.end));
    }
    if !t.problems.is_empty() {
        return Err(GenError::Invalid(t.problems));
    }
    let mut mf = mf.into_inner().expect("the manifest writer");
    if writes_assets(opts.shard) {
        write_assets(plan, sink, &mut mf, &mut t)?;
    }
    t.end.tree = Some(t.tree.to_hex());
    let mut line = Vec::new();
    manifest::write_line(&mut line, &Record::End(t.end.clone()));
    mf.end(&line)?;
    Ok(summary(plan, opts, &t))
}

/// Create the folders that files `range` go into.
fn make_folders(plan: &Plan, range: &Range<u64>, sink: Sink<'_>) -> Result<(), OutputError> {
    let first = plan.folder_of(range.start);
    let last = plan.folder_of(range.end.max(1) - 1);
    for j in first..=last.min(plan.folders.saturating_sub(1)) {
        sink.folder(&plan.folder_path(j))?;
    }
    Ok(())
}

/// The manifest's first line: the `corpus` record.
fn corpus_line(plan: &Plan, shard: Option<Shard>) -> Vec<u8> {
    // The manifest file is always revision 0's: later revisions are deltas
    // beside it (`GenOptions::finish`).
    let mut params = plan.params.clone();
    params.revision = 0;
    let mut line = Vec::new();
    manifest::write_line(
        &mut line,
        &Record::Corpus(Box::new(CorpusRecord {
            tool: format!("noet-corpus {}", env!("CARGO_PKG_VERSION")),
            key: manifest::key(&params),
            dialect: plan.dialect().name().into(),
            params,
            files: plan.files,
            folders: plan.folders,
            assets: plan.listed_assets(),
            shard,
        })),
    );
    line
}

/// With fewer files than half the threads, cores would idle: a large
/// file's parse runs in pieces on a pool, beside the rest of its work.
/// While one worker waits for the pool the others may still be rendering,
/// so the pool leaves them their threads (`--jobs` is a cap). Without a
/// pool (none needed, or the OS refused threads) the pieces are parsed one
/// after another. (Sizes are looked at only when files are few.)
fn spare_pool(
    plan: &Plan,
    range: &Range<u64>,
    validate: bool,
    jobs: usize,
) -> Option<rayon::ThreadPool> {
    let count = range.end - range.start;
    (validate
        && 2 * count <= jobs as u64
        && range
            .clone()
            .any(|k| plan.file_size(k) >= PARSE_APART_BYTES as u64))
    .then(|| {
        let threads = jobs - (count as usize).saturating_sub(1);
        crate::threads::try_pool(threads)
    })
    .flatten()
}

/// Write the image assets and their records.
fn write_assets(
    plan: &Plan,
    sink: Sink<'_>,
    mf: &mut ManifestOut,
    t: &mut Totals,
) -> Result<(), OutputError> {
    if plan.assets > 0 {
        sink.folder(&plan.in_content("assets"))?;
    }
    let mut line = Vec::new();
    // The images, then a site's own files (its configuration and the
    // navigation listing every page), all as `asset` records.
    let site = plan.site().map(|s| site::files(plan, s));
    let images = (0..plan.assets).map(|k| {
        let bytes = crate::assets::render(&plan.asset(k), &plan.vocab);
        (plan.asset_path(k), bytes)
    });
    // Their folders first (a tar stream needs each before its files),
    // each once.
    let mut made: Vec<String> = vec![plan.content_root().to_string()];
    let site = site.into_iter().flatten().map(|(rel, bytes)| {
        if let Some((dir, _)) = rel.rsplit_once('/') {
            for (k, _) in dir.match_indices('/').chain([(dir.len(), "")]) {
                if !made.iter().any(|m| m == &dir[..k]) {
                    sink.folder(&dir[..k])?;
                    made.push(dir[..k].to_string());
                }
            }
        }
        Ok::<_, OutputError>((rel, bytes))
    });
    let images = images.map(Ok::<_, OutputError>);
    for item in images.chain(site) {
        let (rel, bytes) = item?;
        t.tree.add(&rel, bytes.len() as u64);
        sink.file(&rel, &bytes)?;
        line.clear();
        manifest::write_line(
            &mut line,
            &Record::Asset(AssetRecord {
                path: rel,
                bytes: bytes.len() as u64,
                blake3: blake3::hash(&bytes).to_hex().to_string(),
            }),
        );
        mf.write(&line)?;
        t.end.assets += 1;
    }
    Ok(())
}

/// The summary of a corpus written with totals `t`.
fn summary(plan: &Plan, opts: &GenOptions, t: &Totals) -> Summary {
    let end = &t.end;
    let total = end.bytes.max(1) as f64;
    let m = &plan.profile().mix;
    let wsum = m.sum();
    let r = &plan.profile().references;
    Summary {
        status: Status::Generated,
        path: opts.out.clone(),
        key: String::new(),
        files: end.files,
        bytes: end.bytes,
        headings: end.headings,
        links: end.links,
        broken: end.broken,
        validated: opts.validate,
        seconds: 0.0,
        achieved: Some(Achieved {
            mix_requested: m.map(|x| round3(x / wsum)),
            mix_achieved: t.mix.map(|x| round3(x as f64 / total)),
            links_per_kb_requested: round3(
                r.per_kb_min + (r.per_kb_max - r.per_kb_min) / (1.0 + r.density_skew),
            ),
            links_per_kb_achieved: round3(end.links as f64 * 1024.0 / total),
        }),
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

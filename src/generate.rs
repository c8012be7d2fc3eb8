//! The `gen` pipeline: plan, render in parallel, write, validate, publish.
//!
//! Workers render, check and write files in any order, and the manifest
//! records are appended in index order as they come in ([`ordered`]).
//! Memory is bounded by the few files in flight, and the output does not
//! depend on the number of threads.

use crate::manifest::{self, AssetRecord, CorpusRecord, EndRecord, FileRecord, Record, Shard};
use crate::ordered;
use crate::output::{self, io_err, OutputError, Prepared};
use crate::plan::{Params, Plan, PlanError};
use crate::record::Status;
use crate::render::{render_into, Rendered};
use crate::validate::{self, Problem};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
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
}

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
    /// Requested byte shares of paragraph, list, code, table, blockquote,
    /// definition_list, html (normalised).
    pub mix_requested: [f64; 7],
    /// Achieved byte shares of the same kinds, then headings and other
    /// (front matter, definitions, footnotes), over all markdown bytes.
    pub mix_achieved: [f64; 9],
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
    if opts.dry_run {
        output::check_resources(None, &plan)?;
        let mut summary = write_corpus(&plan, None, opts, progress)?;
        summary.status = Status::DryRun;
        summary.key = key;
        summary.seconds = start.elapsed().as_secs_f64();
        return Ok(summary);
    }
    let wanted = output::identity(&key, opts.shard);
    let target = match output::prepare(&opts.out, &wanted, opts.force)? {
        Prepared::UpToDate => return Ok(up_to_date(opts, key, start)),
        Prepared::Build(t) => t,
    };
    let written = opts.shard.map_or(0..plan.files, |s| s.files(plan.files));
    output::check_resources(Some((&opts.out, written)), &plan)?;
    let tmp = target.stage()?;
    let mut summary = write_corpus(&plan, Some(tmp.path()), opts, progress)?;
    target.publish(tmp)?;
    summary.key = key;
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

struct Done {
    lines: Vec<u8>,
    path: String,
    bytes: u64,
    headings: u64,
    links: u64,
    broken: u64,
    mix: [u64; 9],
    problems: Vec<Problem>,
}

/// The manifest's `file` record for a rendered file; `collides_with` is
/// the path of the file it deliberately duplicates, if any.
pub fn file_record(r: &Rendered, collides_with: Option<String>) -> FileRecord {
    let m = &r.meta;
    FileRecord {
        path: m.path.clone(),
        bytes: r.bytes.len() as u64,
        blake3: blake3::hash(&r.bytes).to_hex().to_string(),
        title: m.title.clone(),
        id: m.id.clone(),
        bref: m.bid.as_deref().map(crate::record::bref),
        bid: m.bid.clone(),
        front_matter: m.front_matter,
        network: m.is_index,
        collides_with,
        blocks: r.blocks.clone(),
        headings: r.headings.len() as u64,
        links: r.links.len() as u64,
    }
}

/// Write the corpus under `root` (or nowhere, for a dry run).
/// The last shard (or a whole corpus) carries the image assets.
fn writes_assets(shard: Option<manifest::Shard>) -> bool {
    shard.is_none_or(|s| s.is_last())
}

fn write_corpus(
    plan: &Plan,
    root: Option<&Path>,
    opts: &GenOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, GenError> {
    let jobs = crate::threads::jobs(opts.jobs);
    // Validation resolves each file's references as it is written, against
    // the targets of the whole corpus (every shard's, for a shard).
    let index = opts
        .validate
        .then(|| validate::LinkIndex::from_plan(plan, jobs));
    let range = match opts.shard {
        Some(s) => s.files(plan.files),
        None => 0..plan.files,
    };
    let with_assets = writes_assets(opts.shard);
    let mpath = root.map(manifest::path).unwrap_or_default();
    let sink: Box<dyn Write + Send> = match root {
        Some(root) => {
            let first = plan.folder_of(range.start);
            let last = plan.folder_of(range.end.max(1) - 1);
            for j in first..=last.min(plan.folders.saturating_sub(1)) {
                let dir = root.join(plan.folder_path(j));
                std::fs::create_dir_all(&dir).map_err(io_err("cannot create", &dir))?;
            }
            let mdir = root.join(manifest::DIR);
            std::fs::create_dir_all(&mdir).map_err(io_err("cannot create", &mdir))?;
            let file = std::fs::File::create(&mpath).map_err(io_err("cannot create", &mpath))?;
            Box::new(file)
        }
        None => Box::new(std::io::sink()),
    };
    // Records of a file of more than 64 KB go straight to the file; only
    // small files' records are gathered into larger writes.
    let mut mf = std::io::BufWriter::with_capacity(64 << 10, sink);
    let mut line = Vec::new();
    manifest::write_line(
        &mut line,
        &Record::Corpus(Box::new(CorpusRecord {
            tool: format!("noet-corpus {}", env!("CARGO_PKG_VERSION")),
            key: manifest::key(&plan.params),
            dialect: plan.dialect().name().into(),
            params: plan.params.clone(),
            files: plan.files,
            folders: plan.folders,
            assets: plan.assets,
            shard: opts.shard,
        })),
    );
    let werr = |e| GenError::Output(io_err("cannot write", &mpath)(e));
    mf.write_all(&line).map_err(werr)?;
    // A lone file's records go into the manifest as they are serialised
    // (a 100 MB document has about 200 MB of them), not through the sink.
    let count = range.end - range.start;
    let mf = Mutex::new(mf);
    let direct = (count == 1).then_some(&mf);

    let mut end = EndRecord::default();
    let mut tree = manifest::TreeDigest::default();
    let mut mix = [0u64; 9];
    let mut problems = Vec::new();
    let range_bytes = if count == plan.files {
        plan.params.size
    } else {
        range.clone().map(|k| plan.file_size(k)).sum()
    };
    // Workers run at most `ahead` files past the next one to be written:
    // about 2 MB of markdown (so ~3.5 MB of manifest records) in flight.
    let avg = (range_bytes / count.max(1)).max(1);
    let ahead = ((2 << 20) / avg).clamp(2 * jobs as u64, 256);
    let mut reported = (0u64, 0u64);
    // With fewer files than half the threads, cores would idle: a large
    // file's parse runs in pieces on a pool, beside the rest of its work.
    // While one worker waits for the pool the others may still be rendering,
    // so the pool leaves them their threads (`--jobs` is a cap). Without a
    // pool (none needed, or the OS refused threads) the pieces are parsed
    // one after another. (Sizes are looked at only when files are few.)
    let spare = (opts.validate
        && 2 * count <= jobs as u64
        && range
            .clone()
            .any(|k| plan.file_size(k) >= PARSE_APART_BYTES as u64))
    .then(|| {
        let threads = jobs - (count as usize).saturating_sub(1);
        crate::threads::try_pool(threads)
    })
    .flatten();
    ordered::for_each_ordered(
        range.clone(),
        jobs,
        ahead,
        |buf: &mut Vec<u8>, k| {
            let pool = spare.as_ref();
            one_file(plan, root, k, index.as_ref(), pool, direct, buf)
        },
        |_, d: Result<Done, OutputError>| -> Result<(), GenError> {
            let d = d?;
            let mut mf = mf.lock().expect("the manifest writer");
            mf.write_all(&d.lines).map_err(werr)?;
            end.files += 1;
            end.bytes += d.bytes;
            tree.add(&d.path, d.bytes);
            end.headings += d.headings;
            end.links += d.links;
            end.broken += d.broken;
            for (a, b) in mix.iter_mut().zip(d.mix) {
                *a += b;
            }
            problems.extend(d.problems);
            // Report about as often as the old 8 MB / 256-file batches did.
            if end.files - reported.0 >= 256 || end.bytes - reported.1 >= 8 << 20 {
                reported = (end.files, end.bytes);
                progress(Progress {
                    bytes: end.bytes,
                    files: end.files,
                    total_bytes: range_bytes,
                    total_files: count,
                });
            }
            Ok(())
        },
    )?;
    if reported.0 != end.files || end.files == 0 {
        progress(Progress {
            bytes: end.bytes,
            files: end.files,
            total_bytes: range_bytes,
            total_files: count,
        });
    }
    if !problems.is_empty() {
        return Err(GenError::Invalid(problems));
    }
    let mut mf = mf.into_inner().expect("the manifest writer");
    let assets = if with_assets { plan.assets } else { 0 };
    if let (Some(root), true) = (root, assets > 0) {
        let adir = root.join("assets");
        std::fs::create_dir_all(&adir).map_err(io_err("cannot create", &adir))?;
    }
    for k in 0..assets {
        let rel = plan.asset_path(k);
        let bytes = crate::assets::png(k);
        tree.add(&rel, bytes.len() as u64);
        if let Some(root) = root {
            let p = root.join(&rel);
            std::fs::write(&p, &bytes).map_err(io_err("cannot write", &p))?;
        }
        line.clear();
        manifest::write_line(
            &mut line,
            &Record::Asset(AssetRecord {
                path: rel,
                bytes: bytes.len() as u64,
                blake3: blake3::hash(&bytes).to_hex().to_string(),
            }),
        );
        mf.write_all(&line).map_err(werr)?;
        end.assets += 1;
    }
    end.tree = Some(tree.to_hex());
    line.clear();
    manifest::write_line(&mut line, &Record::End(end.clone()));
    mf.write_all(&line).map_err(werr)?;
    mf.flush().map_err(werr)?;
    let total = end.bytes.max(1) as f64;
    let m = &plan.profile().mix;
    let w = m.weights();
    let w = [w[0], w[1], w[2], w[3], w[4], w[5], m.html];
    let wsum: f64 = w.iter().sum();
    let r = &plan.profile().references;
    Ok(Summary {
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
            mix_requested: w.map(|x| round3(x / wsum)),
            mix_achieved: mix.map(|x| round3(x as f64 / total)),
            links_per_kb_requested: round3(
                r.per_kb_min + (r.per_kb_max - r.per_kb_min) / (1.0 + r.density_skew),
            ),
            links_per_kb_achieved: round3(end.links as f64 * 1024.0 / total),
        }),
    })
}

/// Serialise file `rec`'s records (the file, its headings, its links) into
/// `out`, calling `full` after each record (which may write `out` away).
fn records(
    rec: &FileRecord,
    r: &Rendered,
    out: &mut Vec<u8>,
    mut full: impl FnMut(&mut Vec<u8>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    manifest::write_line(out, &Record::File(rec.clone()));
    for h in &r.headings {
        manifest::write_heading(out, h);
        full(out)?;
    }
    for l in &r.links {
        manifest::write_link(out, l);
        full(out)?;
    }
    Ok(())
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Files at least this large are parsed on the spare pool, if there is
/// one: a corpus of one large document otherwise runs on one core from
/// start to end.
const PARSE_APART_BYTES: usize = 4 << 20;

/// The manifest as `gen` writes it.
type ManifestWriter = std::io::BufWriter<Box<dyn Write + Send>>;

/// Render, check and write file `i`; with `index`, its parse is compared
/// with its ground truth and its references are resolved. `buf` is the
/// worker's markdown buffer, reused from file to file. On a `spare` pool, a
/// large file is parsed in pieces (see `validate::parse_as`) while its
/// references are resolved and it is written. With `direct`, the file is
/// the next in the manifest, and its records are written there instead of
/// returned.
fn one_file(
    plan: &Plan,
    root: Option<&Path>,
    i: u64,
    index: Option<&validate::LinkIndex>,
    spare: Option<&rayon::ThreadPool>,
    direct: Option<&Mutex<ManifestWriter>>,
    buf: &mut Vec<u8>,
) -> Result<Done, OutputError> {
    let r = render_into(plan, i, std::mem::take(buf));
    let rec = file_record(&r, r.meta.collides_with.map(|p| plan.file(p).path));
    let parsed = || {
        let mut problems = Vec::new();
        if index.is_some() {
            // The hash was just computed from these bytes; only the parse
            // needs checking.
            let d = plan.dialect();
            validate::check_parse(&r.bytes, d, &rec, &r.headings, &r.links, &mut problems);
        }
        problems
    };
    // Everything but the parse: resolving references, the manifest lines,
    // writing the file.
    let rest = || -> (Vec<Problem>, Result<Vec<u8>, OutputError>) {
        let mut resolved = Vec::new();
        if let Some(index) = index {
            index.check(&rec.path, &r.links, &mut resolved);
        }
        let lines = match direct {
            Some(mf) => {
                let mut mf = mf.lock().expect("the manifest writer");
                let mut chunk = Vec::with_capacity(80 << 10);
                let written = records(&rec, &r, &mut chunk, |chunk| {
                    if chunk.len() >= 64 << 10 {
                        mf.write_all(chunk)?;
                        chunk.clear();
                    }
                    Ok(())
                })
                .and_then(|()| mf.write_all(&chunk));
                if let Err(e) = written {
                    let mpath = root.map(manifest::path).unwrap_or_default();
                    return (resolved, Err(io_err("cannot write", &mpath)(e)));
                }
                Vec::new()
            }
            None => {
                // Link records average ~180 bytes and heading records ~95,
                // more in deep trees (paths grow): a generous guess, as
                // growing the buffer copies it (a tenth of a 100 MB run's
                // manifest time went to reallocation), and pages never
                // written are never touched.
                let mut lines =
                    Vec::with_capacity(1024 + r.links.len() * 320 + r.headings.len() * 144);
                records(&rec, &r, &mut lines, |_| Ok(())).expect("a Vec takes any write");
                lines
            }
        };
        if let Some(root) = root {
            let path = root.join(&r.meta.path);
            if let Err(e) = std::fs::write(&path, &r.bytes) {
                return (resolved, Err(io_err("cannot write", &path)(e)));
            }
        }
        (resolved, Ok(lines))
    };
    let (mut problems, (mut resolved, lines)) = match spare {
        Some(pool) if index.is_some() && r.bytes.len() >= PARSE_APART_BYTES => {
            pool.install(|| rayon::join(parsed, rest))
        }
        _ => (parsed(), rest()),
    };
    let lines = lines?;
    problems.append(&mut resolved);
    let done = Done {
        lines,
        path: r.meta.path.clone(),
        bytes: r.bytes.len() as u64,
        headings: r.headings.len() as u64,
        links: r.links.len() as u64,
        broken: r.links.iter().filter(|l| l.broken.is_some()).count() as u64,
        mix: r.mix_bytes,
        problems,
    };
    *buf = r.bytes;
    Ok(done)
}

//! The `noet-corpus` command: parses arguments, calls the library, maps
//! errors to exit codes (0 ok, 1 validation found problems, 2 bad input,
//! 3 runtime failure).

mod args;
mod signals;

use args::{
    Cli, Command, CorpusArgs, GenArgs, KeyArgs, MergeArgs, ProfilesAction, ProgressMode, StatsArgs,
    SuiteArgs, ValidateArgs,
};
use clap::Parser;
use noet_corpus::dialect::Dialect;
use noet_corpus::error::ErrorClass;
use noet_corpus::generate::{generate, GenError, GenOptions, Progress, Summary};
use noet_corpus::plan::Params;
use noet_corpus::profile::Profile;
use noet_corpus::record::Status;
use noet_corpus::size::{human, ByteSize};
use noet_corpus::suite::Suite;
use noet_corpus::{manifest, validate};
use std::io::IsTerminal;

// Generation allocates many short strings per reference; mimalloc's
// thread-local free lists make that about a fifth cheaper than glibc's
// (callgrind: 242 M vs 203 M instructions for a 3 MB dry run). It is built
// with `no_thp` (Cargo.toml): with transparent huge pages in `madvise`
// mode it asked for 2 MB pages, each faulted in and zeroed whole.
#[cfg(not(feature = "dhat-heap"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Have mimalloc return freed memory to the OS after 100 ms instead of its
/// default second: generation frees as fast as it allocates, and the delay
/// kept memory nothing used (100 MB corpus, peak RSS with 1000 ms / 100 ms /
/// 0 ms: `gen --dry-run` 33-36 / 28-30 / 22 MB, `validate --parse-only`
/// 21-24 / 14-16 / 9 MB). Purging at once cost `validate` a second of
/// system time per 100 MB (every file buffer unmapped and faulted in again);
/// 100 ms costs none measurable. A `MIMALLOC_PURGE_DELAY` set in the
/// environment still wins.
#[cfg(not(feature = "dhat-heap"))]
fn tune_allocator() {
    // libmimalloc-sys declares the option API only behind its `extended`
    // feature (which needs another crate); the functions are in the linked
    // library either way.
    extern "C" {
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_purge_delay` in mimalloc v3's `mi_option_t`.
    const PURGE_DELAY: std::ffi::c_int = 15;
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: two C calls taking and returning integers; mimalloc reads
    // options atomically. The option is set only if it holds purge_delay's
    // documented default, so a mimalloc numbering options differently is
    // left alone.
    unsafe {
        if mi_option_get(PURGE_DELAY) == 1000 {
            mi_option_set(PURGE_DELAY, 100);
        }
    }
}

// With `--features dhat-heap`, dhat counts every allocation instead.
#[cfg(feature = "dhat-heap")]
#[global_allocator]
static GLOBAL: dhat::Alloc = dhat::Alloc;
use std::path::PathBuf;
use std::process::ExitCode;

// Output goes through these instead of std's macros, which panic when the
// reader has gone (`noet-corpus ... | head -1`): a closed stdout ends the
// program quietly with 0, and a closed stderr is ignored.
#[allow(unused_macros)]
macro_rules! print {
    ($($t:tt)*) => { write_stdout(format_args!($($t)*)) };
}
#[allow(unused_macros)]
macro_rules! println {
    () => { write_stdout(format_args!("\n")) };
    ($($t:tt)*) => { write_stdout(format_args!("{}\n", format_args!($($t)*))) };
}
#[allow(unused_macros)]
macro_rules! eprint {
    ($($t:tt)*) => { write_stderr(format_args!($($t)*)) };
}
#[allow(unused_macros)]
macro_rules! eprintln {
    () => { write_stderr(format_args!("\n")) };
    ($($t:tt)*) => { write_stderr(format_args!("{}\n", format_args!($($t)*))) };
}

/// Write to stdout; exit 0 if the reader closed the pipe, 3 on another error.
fn write_stdout(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        write_stderr(format_args!("error: cannot write to stdout: {e}\n"));
        std::process::exit(3);
    }
}

/// Write to stderr, ignoring failures (there is nowhere left to report them).
fn write_stderr(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// An error with its exit code.
struct Failure {
    code: u8,
    message: String,
}

/// The one exit policy: each class of failure exits with one code,
/// whichever command met it.
fn exit_code(class: ErrorClass) -> u8 {
    match class {
        ErrorClass::Invalid => 1,
        ErrorClass::Input => 2,
        ErrorClass::Runtime => 3,
    }
}

impl Failure {
    /// A library error, with the code of its class.
    fn of(class: ErrorClass, message: impl std::fmt::Display) -> Self {
        Failure {
            code: exit_code(class),
            message: message.to_string(),
        }
    }
    fn input(message: impl std::fmt::Display) -> Self {
        Failure {
            code: 2,
            message: message.to_string(),
        }
    }
    fn runtime(message: impl std::fmt::Display) -> Self {
        Failure {
            code: 3,
            message: message.to_string(),
        }
    }
}

fn main() -> ExitCode {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
    #[cfg(not(feature = "dhat-heap"))]
    tune_allocator();
    signals::install();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen(a) => run_gen(a),
        Command::Validate(a) => run_validate(a),
        Command::Stats(a) => run_stats(a),
        Command::Profiles { action } => run_profiles(action),
        Command::Key(a) => run_key(a),
        Command::Suite(a) => run_suite(a),
        Command::Merge(a) => run_merge(a),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "noet-corpus", &mut script);
            print!("{}", String::from_utf8_lossy(&script));
            Ok(0)
        }
        Command::Man => run_man(),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn params(a: &CorpusArgs) -> Result<Params, Failure> {
    let size: ByteSize = a.size.parse().map_err(Failure::input)?;
    let dialect = a.dialect.as_deref().and_then(Dialect::from_name);
    let profile = Profile::load_as(&a.profile, dialect).map_err(Failure::input)?;
    Ok(Params::new(profile, size.0, a.seed, a.files))
}

fn jobs(j: Option<usize>) -> Result<usize, Failure> {
    match j {
        Some(0) => Err(Failure::input("--jobs must be at least 1")),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)),
    }
}

fn run_gen(a: GenArgs) -> Result<u8, Failure> {
    let params = params(&a.corpus)?;
    let out = a.out.clone().unwrap_or_else(|| {
        let mut name = format!(
            "{}-{}-s{}",
            params.profile.name,
            ByteSize(params.size),
            params.seed
        );
        if let Some(f) = params.files {
            name.push_str(&format!("-f{f}"));
        }
        if !params.profile.dialect.is_noet() {
            name.push_str(&format!("-{}", params.profile.dialect));
        }
        if let Some(s) = a.shard {
            name.push_str(&format!("-shard{}of{}", s.index, s.count));
        }
        PathBuf::from(name)
    });
    let mut opts = GenOptions::new(params, out);
    opts.jobs = jobs(a.jobs)?;
    opts.validate = !a.no_validate;
    opts.force = a.force;
    opts.dry_run = a.dry_run;
    opts.shard = a.shard;
    let show_bar = !a.quiet
        && match a.progress {
            ProgressMode::Never => false,
            ProgressMode::Always => true,
            ProgressMode::Auto => std::io::stderr().is_terminal(),
        };
    let bar = show_bar.then(|| {
        let b = indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {msg} ETA {eta}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        b
    });
    // indicatif hides itself off a terminal; `--progress always` then
    // prints a plain line about once a second, for CI logs.
    let plain = bar.as_ref().is_some_and(|b| b.is_hidden());
    let mut last_line = std::time::Instant::now();
    let mut on_progress = |p: Progress| {
        if let Some(b) = &bar {
            b.set_length(p.total_bytes);
            b.set_position(p.bytes);
            b.set_message(format!("{}/{} files", p.files, p.total_files));
            if plain && (last_line.elapsed().as_secs_f64() >= 1.0 || p.files == p.total_files) {
                last_line = std::time::Instant::now();
                eprintln!(
                    "progress: {} of {}, {}/{} files",
                    human(p.bytes),
                    human(p.total_bytes),
                    p.files,
                    p.total_files
                );
            }
        }
    };
    let result = generate(&opts, &mut on_progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let summary = result.map_err(|e| match e {
        GenError::Invalid(problems) => {
            for p in problems.iter().take(20) {
                eprintln!("{p}");
            }
            Failure::of(
                ErrorClass::Invalid,
                format!(
                    "validation failed with {} problem(s); nothing was published",
                    problems.len()
                ),
            )
        }
        e => Failure::of(e.class(), e),
    })?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string(&summary).expect("summary serialises")
        );
    } else if !a.quiet {
        print_summary(&summary);
    }
    Ok(0)
}

fn print_summary(s: &Summary) {
    if s.status == Status::DryRun {
        let mbs = s.bytes as f64 / 1e6 / s.seconds.max(1e-9);
        println!(
            "dry run: rendered {} files, {}, {} links in {:.2} s ({:.1} MB/s), nothing written",
            s.files,
            human(s.bytes),
            s.links,
            s.seconds,
            mbs
        );
        return;
    }
    if s.status == Status::UpToDate {
        println!(
            "up to date: {} ({} files, {}, key {})",
            s.path.display(),
            s.files,
            human(s.bytes),
            s.key
        );
        return;
    }
    let mbs = s.bytes as f64 / 1e6 / s.seconds.max(1e-9);
    println!(
        "generated {} files, {}, {} links, {} headings in {:.2} s ({:.1} MB/s){} -> {}",
        s.files,
        human(s.bytes),
        s.links,
        s.headings,
        s.seconds,
        mbs,
        if s.validated { ", validated" } else { "" },
        s.path.display()
    );
    if let Some(a) = &s.achieved {
        // Requested vs achieved, so nobody has to trust the profile blindly.
        let names = [
            "prose", "lists", "code", "tables", "quotes", "deflists", "html",
        ];
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        let mix: Vec<String> = names
            .iter()
            .enumerate()
            .filter(|(k, _)| a.mix_requested[*k] > 0.0 || a.mix_achieved[*k] > 0.0)
            .map(|(k, n)| {
                format!(
                    "{n} {} ({})",
                    pct(a.mix_achieved[k]),
                    pct(a.mix_requested[k])
                )
            })
            .collect();
        println!(
            "achieved (requested): {}, headings {}, other {}; {:.1} refs/KB ({:.1})",
            mix.join(", "),
            pct(a.mix_achieved[7]),
            pct(a.mix_achieved[8]),
            a.links_per_kb_achieved,
            a.links_per_kb_requested
        );
    }
}

fn run_validate(a: ValidateArgs) -> Result<u8, Failure> {
    let start = std::time::Instant::now();
    if !a.dir.is_dir() {
        return Err(Failure::input(format!(
            "{} is not a folder; pass a corpus folder made by `noet-corpus gen`",
            a.dir.display()
        )));
    }
    if a.parse_only {
        let (files, bytes) =
            validate::parse_only(&a.dir, jobs(a.jobs)?).map_err(|e| Failure::of(e.class(), e))?;
        let secs = start.elapsed().as_secs_f64();
        if a.json {
            let v = serde_json::json!({
                "parse_only": true, "files": files, "bytes": bytes, "seconds": secs,
            });
            println!("{v}");
        } else {
            println!(
                "parsed {files} files, {} in {secs:.2} s ({:.1} MB/s); nothing checked",
                human(bytes),
                bytes as f64 / 1e6 / secs.max(1e-9)
            );
        }
        return Ok(0);
    }
    let report = validate::validate_dir(&a.dir, true, jobs(a.jobs)?)
        .map_err(|e| Failure::of(e.class(), e))?;
    let secs = start.elapsed().as_secs_f64();
    if a.json {
        let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        let v = serde_json::json!({
            "valid": report.problems.is_empty(),
            "files": report.files, "bytes": report.bytes, "links": report.links,
            "headings": report.headings, "seconds": secs, "problems": problems,
        });
        println!("{v}");
    } else {
        for p in report.problems.iter().take(a.max_problems) {
            println!("{p}");
        }
        if report.problems.len() > a.max_problems {
            println!("... and {} more", report.problems.len() - a.max_problems);
        }
    }
    if report.problems.is_empty() {
        if !a.json {
            println!(
                "valid: {} files, {}, {} links, {} headings checked in {:.2} s",
                report.files,
                human(report.bytes),
                report.links,
                report.headings,
                secs
            );
        }
        Ok(0)
    } else {
        let files: std::collections::BTreeSet<&str> =
            report.problems.iter().map(|p| p.path.as_str()).collect();
        Err(Failure {
            code: 1,
            message: format!(
                "{} problem(s) in {} file(s): the corpus does not match its manifest",
                report.problems.len(),
                files.len()
            ),
        })
    }
}

fn run_profiles(action: Option<ProfilesAction>) -> Result<u8, Failure> {
    match action {
        None => {
            for name in Profile::builtin_names() {
                let p = Profile::load(name).map_err(Failure::runtime)?;
                println!("{:<12} {}", name, p.description);
            }
        }
        Some(ProfilesAction::Show { name, resolved }) => {
            let p = Profile::load(&name).map_err(Failure::input)?;
            match Profile::builtin_source(&name) {
                Some(src) if !resolved => print!("{src}"),
                None if !resolved => print!(
                    "{}",
                    std::fs::read_to_string(&name).map_err(Failure::runtime)?
                ),
                _ => print!("{}", p.to_toml()),
            }
        }
    }
    Ok(0)
}

fn run_key(a: KeyArgs) -> Result<u8, Failure> {
    let key = match &a.suite {
        Some(name) => {
            let (suite, base) = Suite::load(name).map_err(Failure::input)?;
            noet_corpus::suite::key(&suite.params(&base).map_err(Failure::input)?)
        }
        None => {
            let p = params(&a.corpus)?;
            let key = manifest::key(&p);
            match a.shard {
                Some(s) => format!("{key}-{}of{}", s.index, s.count),
                None => key,
            }
        }
    };
    println!("{key}");
    Ok(0)
}

fn run_suite(a: SuiteArgs) -> Result<u8, Failure> {
    let (suite, base) = Suite::load(&a.suite).map_err(Failure::input)?;
    let corpora = suite.params(&base).map_err(Failure::input)?;
    let jobs = jobs(a.jobs)?;
    let quiet = a.quiet || a.json;
    let mut each = |name: &str, k: usize, n: usize| {
        if !quiet {
            eprintln!("[{k}/{n}] {name}");
        }
    };
    let built = noet_corpus::suite::build(
        &corpora,
        &a.out,
        jobs,
        !a.no_validate,
        &mut each,
        &mut |_| {},
    )
    .map_err(|e| Failure::of(e.class(), e))?;
    if a.json {
        let rows: Vec<serde_json::Value> = built
            .iter()
            .map(|(name, s)| serde_json::json!({"name": name, "status": s.status, "files": s.files, "bytes": s.bytes, "links": s.links, "seconds": s.seconds, "path": s.path, "key": s.key}))
            .collect();
        println!(
            "{}",
            serde_json::json!({"suite": suite.name, "key": noet_corpus::suite::key(&corpora), "corpora": rows})
        );
    } else if !a.quiet {
        println!(
            "{:<16} {:<11} {:>8} {:>11} {:>10} {:>8}",
            "corpus", "status", "files", "bytes", "links", "seconds"
        );
        for (name, s) in &built {
            println!(
                "{:<16} {:<11} {:>8} {:>11} {:>10} {:>8.2}",
                name,
                s.status,
                s.files,
                human(s.bytes),
                s.links,
                s.seconds
            );
        }
        let fresh = built
            .iter()
            .filter(|(_, s)| s.status == Status::Generated)
            .count();
        println!(
            "{} built, {} up to date, in {}",
            fresh,
            built.len() - fresh,
            a.out.display()
        );
    }
    Ok(0)
}

fn run_merge(a: MergeArgs) -> Result<u8, Failure> {
    let start = std::time::Instant::now();
    let s = noet_corpus::merge::merge(&a.shards, &a.out, a.force, jobs(a.jobs)?).map_err(|e| match e {
        noet_corpus::merge::MergeError::Gen(GenError::Invalid(problems)) => {
            for p in problems.iter().take(20) {
                eprintln!("{p}");
            }
            Failure::of(ErrorClass::Invalid, format!("the merged corpus failed validation with {} problem(s); nothing was published", problems.len()))
        }
        e => Failure::of(e.class(), e),
    })?;
    if a.json {
        println!("{}", serde_json::to_string(&s).expect("summary serialises"));
    } else if a.quiet {
        // Nothing on success, as `gen -q`.
    } else if s.status == Status::UpToDate {
        println!(
            "up to date: {} ({} files, {}, {} links)",
            s.path.display(),
            s.files,
            human(s.bytes),
            s.links
        );
    } else {
        println!(
            "merged {} shards: {} files, {}, {} links, validated, in {:.2} s -> {}",
            s.shards,
            s.files,
            human(s.bytes),
            s.links,
            start.elapsed().as_secs_f64(),
            s.path.display()
        );
    }
    Ok(0)
}

fn run_man() -> Result<u8, Failure> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(Failure::runtime)?;
    print!("{}", String::from_utf8_lossy(&out));
    Ok(0)
}

/// A temporary file beside `path`, which must not be a folder.
fn profile_temp(path: &std::path::Path) -> Result<tempfile::NamedTempFile, Failure> {
    if path.is_dir() {
        return Err(Failure::input(format!(
            "--emit-profile {} is a folder; pass a file name such as profile.toml",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".noet-profile-")
        .tempfile_in(dir)
        .map_err(|e| {
            Failure::input(format!(
                "cannot write --emit-profile {}: {e}; choose a writable place",
                path.display()
            ))
        })?;
    noet_corpus::output::hold_temp_file(tmp.path());
    Ok(tmp)
}

fn run_stats(a: StatsArgs) -> Result<u8, Failure> {
    use noet_corpus::stats;
    noet_corpus::threads::init_global(noet_corpus::threads::cores());
    // The profile is written to a temporary file beside its path and
    // renamed over it when complete, so a full disk or an interrupt never
    // leaves a truncated profile; making that file first finds a place
    // that cannot be written before the tree is measured.
    let emit = match &a.emit_profile {
        Some(path) => Some((path.clone(), profile_temp(path)?)),
        None => None,
    };
    let s = stats::stats_dir(&a.dir).map_err(|e| Failure::of(e.class(), e))?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&s).expect("stats serialise")
        );
    } else {
        print!("{}", stats::report(&s));
    }
    if let Some((path, mut tmp)) = emit {
        use std::io::Write;
        let fit = stats::fit(&s, 8);
        let failed =
            |e: std::io::Error| Failure::runtime(format!("cannot write {}: {e}", path.display()));
        tmp.write_all(fit.toml.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(failed)?;
        let tpath = tmp.path().to_path_buf();
        let persisted = tmp.persist(&path);
        noet_corpus::output::release_temp_file(&tpath);
        persisted.map_err(|e| failed(e.error))?;
        eprint!("{}", stats::fit_report(&fit));
        eprintln!("wrote {}", path.display());
    }
    Ok(0)
}

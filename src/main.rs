//! The `noet-corpus` command: parses arguments, calls the library, maps
//! errors to exit codes (0 ok, 1 validation found problems, 2 bad input,
//! 3 runtime failure).

use clap::{Args, Parser, Subcommand, ValueEnum};
use noet_corpus::generate::{generate, GenError, GenOptions, Progress, Summary};
use noet_corpus::output::OutputError;
use noet_corpus::plan::Params;
use noet_corpus::profile::Profile;
use noet_corpus::size::{human, ByteSize};
use noet_corpus::{manifest, validate};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "noet-corpus", version = version(), about = "Deterministic, realistic markdown corpora with ground-truth manifests, for benchmarking markdown tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

fn version() -> &'static str {
    concat!(env!("CARGO_PKG_VERSION"), " (corpus format 1)")
}

#[derive(Subcommand)]
enum Command {
    /// Generate a corpus (or find it up to date).
    Gen(GenArgs),
    /// Check a corpus against its manifest.
    Validate(ValidateArgs),
    /// List built-in profiles, or show one.
    Profiles {
        #[command(subcommand)]
        action: Option<ProfilesAction>,
    },
    /// Print the cache key of a `gen` invocation (same options as gen).
    Key(CorpusArgs),
}

#[derive(Subcommand)]
enum ProfilesAction {
    /// Print a profile's TOML (a built-in name or a file path).
    Show {
        /// Built-in name or path.
        name: String,
        /// Print every key with its value, defaults included.
        #[arg(long)]
        resolved: bool,
    },
}

#[derive(Args, Clone)]
struct CorpusArgs {
    /// Total markdown bytes: 100MB, 1.5GiB, 512KiB, 10kb or plain bytes
    /// (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024).
    #[arg(long, default_value = "1MB", allow_hyphen_values = true)]
    size: String,
    /// Seed (u64).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Built-in profile name or path to a TOML profile.
    #[arg(long, default_value = "default")]
    profile: String,
    /// Override the file count (`--files 1` writes a single document).
    #[arg(long)]
    files: Option<u64>,
}

#[derive(Args)]
struct GenArgs {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Output folder [default: ./PROFILE-SIZE-sSEED].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads [default: all cores]. Output is identical for any value.
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Skip validation.
    #[arg(long)]
    no_validate: bool,
    /// Replace an existing corpus made with other parameters.
    #[arg(long)]
    force: bool,
    /// No progress bar and no summary line.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Progress bar on stderr.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    progress: ProgressMode,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    json: bool,
    /// Render, check and serialise everything but write nothing (times the
    /// generator without the disk).
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args)]
struct ValidateArgs {
    /// Corpus folder.
    dir: PathBuf,
    /// Worker threads [default: all cores].
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Print a JSON report on stdout.
    #[arg(long)]
    json: bool,
    /// Show at most this many problems.
    #[arg(long, default_value_t = 50)]
    max_problems: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProgressMode {
    Auto,
    Always,
    Never,
}

/// An error with its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
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
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen(a) => run_gen(a),
        Command::Validate(a) => run_validate(a),
        Command::Profiles { action } => run_profiles(action),
        Command::Key(a) => params(&a).map(|p| {
            println!("{}", manifest::key(&p));
            0
        }),
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
    let profile = Profile::load(&a.profile).map_err(Failure::input)?;
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
        PathBuf::from(name)
    });
    let opts = GenOptions {
        params,
        out,
        jobs: jobs(a.jobs)?,
        validate: !a.no_validate,
        force: a.force,
        dry_run: a.dry_run,
    };
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
        GenError::Plan(e) => Failure::input(e),
        GenError::Output(e @ OutputError::Io { .. }) => Failure::runtime(e),
        GenError::Output(e) => Failure::input(e),
        GenError::Invalid(problems) => {
            for p in problems.iter().take(20) {
                eprintln!("{p}");
            }
            Failure {
                code: 1,
                message: format!(
                    "validation failed with {} problem(s); nothing was published",
                    problems.len()
                ),
            }
        }
        GenError::Manifest(e) => Failure::runtime(e),
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
    if s.status == "dry-run" {
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
    if s.status == "up-to-date" {
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
}

fn run_validate(a: ValidateArgs) -> Result<u8, Failure> {
    let start = std::time::Instant::now();
    if !a.dir.is_dir() {
        return Err(Failure::input(format!(
            "{} is not a folder; pass a corpus folder made by `noet-corpus gen`",
            a.dir.display()
        )));
    }
    let report = validate::validate_dir(&a.dir, true, jobs(a.jobs)?).map_err(|e| match e {
        manifest::ManifestError::Io { .. } => Failure::runtime(e),
        _ => Failure {
            code: 1,
            message: e.to_string(),
        },
    })?;
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
                _ => print!("{}", p.to_toml()),
            }
        }
    }
    Ok(0)
}

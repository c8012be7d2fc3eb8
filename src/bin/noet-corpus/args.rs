//! The command line: every subcommand's arguments, as clap reads them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "noet-corpus", version = version(), about = "Deterministic, realistic markdown corpora with ground-truth manifests, for benchmarking markdown tools")]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

pub(crate) fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (corpus format {})",
            env!("CARGO_PKG_VERSION"),
            noet_corpus::plan::FORMAT_VERSION
        )
    })
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Generate a corpus (or find it up to date).
    Gen(GenArgs),
    /// Check a corpus against its manifest.
    Validate(ValidateArgs),
    /// Compare a tool's answers (what it resolved each reference to, as
    /// JSON lines) with the manifest: agreement per kind and construct,
    /// and each class of disagreement with examples.
    Check(CheckArgs),
    /// Shrink a corpus to a minimal one on which a command still fails
    /// (delta debugging over files, sections, blocks, lines and links):
    /// `reduce CORPUS --out MIN -- CMD ARGS...`, `{}` in ARGS standing for the candidate's folder.
    Reduce(ReduceArgs),
    /// Print a corpus's manifest as JSON lines (it is stored as zstd
    /// frames): every record, or only those of the kinds asked for.
    Manifest(ManifestArgs),
    /// Say what a corpus is: its parameters, counts, references by kind,
    /// and whether it is complete.
    Info {
        /// Corpus folder.
        dir: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Measure any markdown tree (sizes, mix, headings, references, link
    /// graph), and optionally fit a profile that makes `gen` reproduce it.
    Stats(StatsArgs),
    /// List built-in profiles, or show one.
    Profiles {
        #[command(subcommand)]
        action: Option<ProfilesAction>,
    },
    /// Print the cache key of a `gen` invocation (same options as gen), or
    /// of a suite with `--suite`.
    Key(KeyArgs),
    /// Build a suite of corpora (built-in `ladder`, `ladder-xl`, or a TOML
    /// file), each in its own subfolder; up-to-date ones are left alone.
    Suite(SuiteArgs),
    /// Join shard folders made by `gen --shard K/N` into the full corpus.
    Merge(MergeArgs),
    /// Move a corpus to another revision of its edit history, in place,
    /// one atomic step at a time (each file written aside and renamed).
    Edit(EditArgs),
    /// What revision B of a corpus changes relative to revision A: files
    /// added, removed, changed, moved, and the affected files (same bytes,
    /// references that now resolve differently).
    Diff(DiffArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff) on stdout: the command's, or a
    /// subcommand's; or write them all to a folder.
    Man {
        /// The subcommand whose page to print (`gen`, `validate`, ...).
        subcommand: Option<String>,
        /// Write every page (noet-corpus.1, noet-corpus-gen.1, ...) here.
        #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
        dir: Option<PathBuf>,
    },
}

#[derive(Args)]
pub(crate) struct KeyArgs {
    #[command(flatten)]
    pub(crate) corpus: CorpusArgs,
    /// Key of this suite (name or file) instead of a single corpus.
    #[arg(long, conflicts_with_all = ["size", "seed", "profile", "files", "dialect", "shard"])]
    pub(crate) suite: Option<String>,
    /// Key of this shard (K/N) of the corpus.
    #[arg(long, value_name = "K/N")]
    pub(crate) shard: Option<noet_corpus::manifest::Shard>,
}

#[derive(Args)]
pub(crate) struct SuiteArgs {
    /// Built-in suite name or path to a suite TOML file.
    pub(crate) suite: String,
    /// List the corpora the suite builds (name, parameters, key, folder,
    /// whether it is up to date) and build nothing.
    #[arg(long)]
    pub(crate) list: bool,
    /// Folder that receives one subfolder per corpus.
    #[arg(long, default_value = "fixtures")]
    pub(crate) out: PathBuf,
    /// Worker threads; 0 or none: all cores.
    #[arg(long, short = 'j')]
    pub(crate) jobs: Option<usize>,
    /// Skip validation.
    #[arg(long)]
    pub(crate) no_validate: bool,
    /// Replace a subfolder holding a corpus made with other parameters
    /// (without it, the suite stops there, as gen does).
    #[arg(long)]
    pub(crate) force: bool,
    /// No progress lines and no table.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
    /// Progress bar on stderr, for each corpus built.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub(crate) progress: ProgressMode,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Args)]
pub(crate) struct EditArgs {
    /// Corpus folder made by `noet-corpus gen`.
    pub(crate) dir: PathBuf,
    /// The revision to move it to (forwards step by step, or backwards).
    #[arg(long)]
    pub(crate) to: u64,
    /// Print each step's changes as one JSON object per line on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Print nothing on success.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

#[derive(Args)]
pub(crate) struct DiffArgs {
    /// Corpus folder, at revision A or B or before both (only read).
    pub(crate) dir: PathBuf,
    /// Revision A.
    pub(crate) a: u64,
    /// Revision B.
    pub(crate) b: u64,
    /// Print the changes as one JSON object on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Args)]
pub(crate) struct MergeArgs {
    /// Shard folders, in any order.
    #[arg(required = true)]
    pub(crate) shards: Vec<PathBuf>,
    /// Output folder for the merged corpus.
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Replace an existing corpus made with other parameters.
    #[arg(long)]
    pub(crate) force: bool,
    /// Worker threads for validation; 0 or none: all cores.
    #[arg(long, short = 'j')]
    pub(crate) jobs: Option<usize>,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Print nothing on success (errors still go to stderr), as `gen -q`.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

#[derive(Subcommand)]
pub(crate) enum ProfilesAction {
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
pub(crate) struct CorpusArgs {
    /// Total markdown bytes: 100MB, 1.5GiB, 512KiB, 10kb or plain bytes
    /// (KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB of 1024; K, M, G and
    /// T alone mean KB, MB, GB and TB).
    #[arg(long, default_value = "1MB", allow_hyphen_values = true)]
    pub(crate) size: String,
    /// Seed (u64).
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    pub(crate) seed: u64,
    /// Built-in profile name or path to a TOML profile.
    #[arg(long, default_value = "default", value_parser = ProfileName)]
    pub(crate) profile: String,
    /// Override the file count (`--files 1` writes a single document).
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) files: Option<u64>,
    /// Write the profile in this markdown dialect: noet (noet-core's),
    /// obsidian (an Obsidian vault) or gfm (GitHub). Reference kinds the
    /// dialect lacks give their weight to its nearest form [default: the
    /// profile's, normally noet].
    #[arg(long, value_parser = ["noet", "obsidian", "gfm"])]
    pub(crate) dialect: Option<String>,
    /// Lay the corpus out as this static site generator's project, which
    /// it builds as it is: mdbook (book.toml, src/SUMMARY.md) or mkdocs
    /// (mkdocs.yml with its nav, docs/) or hugo (hugo.toml, layouts with
    /// link hooks, content/). Written in the gfm dialect, with
    /// the tool's own anchors; the manifest gives every page and reference
    /// its URL in the built site.
    #[arg(long, value_parser = ["mdbook", "mkdocs", "hugo"])]
    pub(crate) site: Option<String>,
    /// Revision of the corpus's edit history: revision 0 plus R steps of
    /// edits (the profile's `[revisions]`), the same bytes `edit --to R`
    /// gives. Not with --dry-run, --shard, --site or `--out -`.
    #[arg(long, default_value_t = 0)]
    pub(crate) revision: u64,
}

#[derive(Args)]
pub(crate) struct GenArgs {
    #[command(flatten)]
    pub(crate) corpus: CorpusArgs,
    /// Output folder [default: ./PROFILE-SIZE-sSEED], or `-` for a tar
    /// stream on stdout (entries relative to the corpus root: `| tar -x -C
    /// DIR`; no --json, --dry-run; --force does nothing). `./-` is a
    /// folder named `-`.
    #[arg(long, value_name = "DIR|-")]
    pub(crate) out: Option<PathBuf>,
    /// Worker threads; 0 or none: all cores. Output is identical for any value.
    #[arg(long, short = 'j')]
    pub(crate) jobs: Option<usize>,
    /// Skip validation.
    #[arg(long)]
    pub(crate) no_validate: bool,
    /// Replace an existing corpus made with other parameters.
    #[arg(long)]
    pub(crate) force: bool,
    /// No progress bar and no summary line.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
    /// Progress bar on stderr.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub(crate) progress: ProgressMode,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Render, check and serialise everything but write nothing (times the
    /// generator without the disk).
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Write only shard K of N (1-based), byte-identical to those files of
    /// the full run; join the shards with `merge`.
    #[arg(long, value_name = "K/N")]
    pub(crate) shard: Option<noet_corpus::manifest::Shard>,
}

#[derive(Args)]
pub(crate) struct ValidateArgs {
    /// Corpus folder.
    pub(crate) dir: PathBuf,
    /// Worker threads; 0 or none: all cores.
    #[arg(long, short = 'j')]
    pub(crate) jobs: Option<usize>,
    /// Print a JSON report on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Show at most this many problems.
    #[arg(long, default_value_t = 50)]
    pub(crate) max_problems: usize,
    /// Only parse every file with pulldown-cmark, checking nothing: the
    /// baseline that benchmarks compare generation and validation with.
    #[arg(long)]
    pub(crate) parse_only: bool,
    /// Print nothing; the exit code says whether the corpus is valid.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

#[derive(Args)]
pub(crate) struct CheckArgs {
    /// Corpus folder.
    pub(crate) dir: PathBuf,
    /// The tool's answers, one JSON object a line (docs/JSON.md,
    /// "Answers"), or `-` for stdin.
    #[arg(long, value_name = "FILE", required_unless_present = "expected")]
    pub(crate) answers: Option<PathBuf>,
    /// Print the manifest's own answers in the answers format on stdout
    /// and compare nothing: a template for a tool's answers, which agree
    /// 100%.
    #[arg(long, conflicts_with_all = ["answers", "json", "examples"])]
    pub(crate) expected: bool,
    /// Examples shown per class of disagreement.
    #[arg(long, default_value_t = 5)]
    pub(crate) examples: usize,
    /// What a reference no answer mentions counts as: `missing` (a
    /// disagreement: the answers cover every reference) or `found` (the
    /// tool resolved it: for link checkers and site generators that report
    /// only what they could not resolve).
    #[arg(long, value_enum, value_name = "AS", default_value_t = UnansweredArg::Missing, conflicts_with = "expected")]
    pub(crate) unanswered: UnansweredArg,
    /// Print a JSON report on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Print nothing; the exit code says whether every answer agrees.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

/// `check --unanswered`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum UnansweredArg {
    /// A disagreement of class `missing`.
    Missing,
    /// Resolved, to a target the tool does not name.
    Found,
}

impl From<UnansweredArg> for noet_corpus::check::Unanswered {
    fn from(a: UnansweredArg) -> Self {
        match a {
            UnansweredArg::Missing => Self::Missing,
            UnansweredArg::Found => Self::Found,
        }
    }
}

#[derive(Args)]
pub(crate) struct ManifestArgs {
    /// Corpus folder made by `noet-corpus gen`.
    pub(crate) dir: PathBuf,
    /// Only `file` records (one per markdown file).
    #[arg(long)]
    pub(crate) files: bool,
    /// Only `heading` records (with --files: each after its file).
    #[arg(long)]
    pub(crate) headings: bool,
    /// Only `link` records (with --files: each after its file).
    #[arg(long)]
    pub(crate) links: bool,
    /// Only `asset` records.
    #[arg(long)]
    pub(crate) assets: bool,
}

#[derive(Args)]
pub(crate) struct ReduceArgs {
    /// Corpus folder made by `noet-corpus gen` (only read).
    pub(crate) dir: PathBuf,
    /// Where to write the reduced corpus (a new folder).
    #[arg(long, value_name = "MIN")]
    pub(crate) out: PathBuf,
    /// The failure is output (stdout or stderr) matching this regular
    /// expression, whatever the exit code; without it, a non-zero exit, a
    /// signal or a timeout.
    #[arg(long = "match", value_name = "REGEX")]
    pub(crate) matches: Option<String>,
    /// The failure is this exit code only (with --match: this code and
    /// matching output); any other exit, a signal or a timeout is a pass,
    /// so a test script can report "could not run" with a code of its own.
    #[arg(long, value_name = "CODE")]
    pub(crate) exit: Option<i32>,
    /// Seconds a run may take; a longer one is killed and counts as a
    /// failure.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub(crate) timeout: f64,
    /// Candidates tried at once; 0 or none: all cores.
    #[arg(long, short = 'j')]
    pub(crate) jobs: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// The command and its arguments, after `--`; each `{}` is replaced by
    /// the candidate's folder (appended when there is none).
    #[arg(last = true, required = true, value_name = "CMD")]
    pub(crate) command: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProgressMode {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
pub(crate) struct StatsArgs {
    /// Root of the markdown tree (hidden files and folders are skipped).
    pub(crate) dir: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
    /// Also write a profile fitted to the tree to FILE (calibrated by
    /// generating in memory at the tree's size; reported on stderr).
    #[arg(long, value_name = "FILE")]
    pub(crate) emit_profile: Option<PathBuf>,
    /// With --emit-profile: do not report the fit on stderr.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

/// `--profile`: any string (a built-in name or a path), with the built-in
/// names as its possible values, so that every shell's completion script
/// offers them.
#[derive(Clone)]
pub(crate) struct ProfileName;

impl clap::builder::TypedValueParser for ProfileName {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        // Unknown names are left to the profile loader, which suggests
        // the nearest built-in one.
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            noet_corpus::profile::Profile::builtin_names()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

//! `gen`: generate a corpus, or find it up to date.

use super::{jobs, params, Bar};
use crate::args::GenArgs;
use crate::failure::{Context, Failure};
use noet_corpus::error::ErrorClass;
use noet_corpus::generate::{generate, generate_tar, GenError, Summary};
use noet_corpus::output::OutputError;
use noet_corpus::record::{BlockKind, Status};
use noet_corpus::size::{human, ByteSize};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// `--out -`: the corpus as a tar stream on stdout.
fn to_stdout(a: &GenArgs) -> bool {
    a.out.as_deref() == Some(Path::new("-"))
}

/// What `--out -` cannot be combined with, said before any work.
fn check_stream(a: &GenArgs) -> Result<(), Failure> {
    if a.json {
        return Err(Failure::input(
            "--json prints its summary on stdout, where --out - writes the tar stream; drop --json (the summary goes to stderr) or pass a folder",
        ));
    }
    if a.dry_run {
        return Err(Failure::input(
            "--dry-run writes nothing, and --out - writes a tar stream; drop one of them",
        ));
    }
    if std::io::stdout().is_terminal() {
        return Err(Failure::input(
            "refusing to write a tar stream to a terminal; pipe it (| tar -x -C DIR) or pass a folder",
        ));
    }
    Ok(())
}

pub(crate) fn run(a: GenArgs) -> Result<u8, Failure> {
    let stream = to_stdout(&a);
    if stream {
        check_stream(&a)?;
    }
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
        if let Some(site) = params.profile.site {
            name.push_str(&format!("-{site}"));
        } else if !params.profile.dialect.is_noet() {
            name.push_str(&format!("-{}", params.profile.dialect));
        }
        if let Some(s) = a.shard {
            name.push_str(&format!("-shard{}of{}", s.index, s.count));
        }
        if params.revision > 0 {
            name.push_str(&format!("-r{}", params.revision));
        }
        PathBuf::from(name)
    });
    let mut opts = noet_corpus::revise::gen_options(params, out);
    opts.jobs = jobs(a.jobs);
    opts.validate = !a.no_validate;
    opts.force = a.force;
    opts.dry_run = a.dry_run;
    opts.shard = a.shard;
    let mut bar = Bar::new(a.progress, a.quiet);
    let result = if stream {
        // Nothing is replaced, so --force has nothing to do. Rust ignores
        // SIGPIPE: a reader that goes away is a write error, seen below.
        let out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout());
        generate_tar(&opts, Box::new(out), &mut |p| bar.update(p))
    } else {
        generate(&opts, &mut |p| bar.update(p))
    };
    bar.finish();
    let summary = result.map_err(|e| match e {
        // The reader closed the pipe (`| head -c 100`): it chose to stop,
        // so no message (as out.rs does for stdout), but not success
        // either, since the stream is cut: the I/O failure code. Nothing
        // is left on disk to clean up.
        GenError::Output(OutputError::Io { source, .. })
            if stream && source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            std::process::exit(3)
        }
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
        e => Failure::of_gen(&e, Context::Gen),
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

/// The summary, on stderr (it is for a person; `--json` is the data).
fn print_summary(s: &Summary) {
    if s.status == Status::DryRun {
        let mbs = s.bytes as f64 / 1e6 / s.seconds.max(1e-9);
        eprintln!(
            "dry run: rendered {}, {}, {} links in {:.2} s ({:.1} MB/s), nothing written",
            super::files(s.files),
            human(s.bytes),
            s.links,
            s.seconds,
            mbs
        );
        return;
    }
    if s.status == Status::UpToDate {
        eprintln!(
            "up to date: {} ({}, {}, key {})",
            s.path.display(),
            super::files(s.files),
            human(s.bytes),
            s.key
        );
        return;
    }
    let mbs = s.bytes as f64 / 1e6 / s.seconds.max(1e-9);
    eprintln!(
        "generated {}, {}, {} links, {} headings in {:.2} s ({:.1} MB/s){} -> {}",
        super::files(s.files),
        human(s.bytes),
        s.links,
        s.headings,
        s.seconds,
        mbs,
        if s.validated { ", validated" } else { "" },
        if s.path == Path::new("-") {
            "stdout (tar)".into()
        } else {
            s.path.display().to_string()
        }
    );
    if let Some(a) = &s.achieved {
        // Requested vs achieved, so nobody has to trust the profile blindly.
        let short = |k: BlockKind| match k {
            BlockKind::Paragraph => "prose",
            BlockKind::List => "lists",
            BlockKind::Code => "code",
            BlockKind::Table => "tables",
            BlockKind::Blockquote => "quotes",
            BlockKind::DefinitionList => "deflists",
            BlockKind::Html => "html",
        };
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        let (want, got) = (&a.mix_requested, &a.mix_achieved.blocks);
        let mix: Vec<String> = BlockKind::ALL
            .into_iter()
            .filter(|&k| want[k] > 0.0 || got[k] > 0.0)
            .map(|k| format!("{} {} ({})", short(k), pct(got[k]), pct(want[k])))
            .collect();
        eprintln!(
            "achieved (requested): {}, headings {}, other {}; {:.1} refs/KB ({:.1})",
            mix.join(", "),
            pct(a.mix_achieved.heading),
            pct(a.mix_achieved.other),
            a.links_per_kb_achieved,
            a.links_per_kb_requested
        );
        // A block kind the files are too small for (a 20 KB `tiny` has no
        // room for a code block) is said, not left for the reader to spot.
        let missed: Vec<String> = BlockKind::ALL
            .into_iter()
            .filter(|&k| want[k] >= 0.03 && got[k] < 0.5 * want[k])
            .map(|k| {
                let (n, g, w) = (short(k), pct(got[k]), pct(want[k]));
                format!("{n} {g} of {w} requested")
            })
            .collect();
        if !missed.is_empty() {
            eprintln!(
                "note: the mix is missed at this size ({}): files are too small for these blocks; a larger --size reaches it",
                missed.join(", ")
            );
        }
    }
}

//! `reduce`: shrink a corpus to a minimal one on which a command still
//! fails, and write it with a re-derived manifest.

use super::{files, jobs};
use crate::args::ReduceArgs;
use crate::failure::Failure;
use noet_corpus::reduce::{self, ReduceOptions};
use noet_corpus::size::human;

pub(crate) fn run(a: ReduceArgs) -> Result<u8, Failure> {
    if !a.dir.is_dir() {
        return Err(Failure::input(format!(
            "{} is not a folder; pass a corpus folder made by `noet-corpus gen`",
            a.dir.display()
        )));
    }
    let matches = a
        .matches
        .as_deref()
        .map(regex::Regex::new)
        .transpose()
        .map_err(|e| Failure::input(format!("invalid --match: {e}")))?;
    if !(a.timeout.is_finite() && a.timeout > 0.0) {
        return Err(Failure::input(
            "--timeout must be a positive number of seconds",
        ));
    }
    let opts = ReduceOptions {
        command: a.command,
        matches,
        exit: a.exit,
        timeout: std::time::Duration::from_secs_f64(a.timeout),
        jobs: jobs(a.jobs),
    };
    let show = !a.quiet && !a.json;
    let mut progress = |p: reduce::ReduceProgress| {
        if show {
            // One line per removal kept: few enough to read, and the size
            // left is what someone waiting wants to see.
            eprintln!(
                "reduce: {} left, {} ({}), {} tests run",
                files(p.files),
                human(p.bytes),
                p.level,
                p.tests
            );
        }
    };
    let s = reduce::reduce(&a.dir, &a.out, &opts, &mut progress)
        .map_err(|e| Failure::of(e.class(), e))?;
    if a.json {
        println!(
            "{}",
            serde_json::to_value(&s).expect("the summary serialises")
        );
    } else if !a.quiet {
        eprintln!(
            "reduced {} ({}) to {} ({}) in {} tests; failure: {}; wrote {}",
            files(s.files_before),
            human(s.bytes_before),
            files(s.files),
            human(s.bytes),
            s.tests,
            s.failure,
            a.out.display()
        );
        if s.now_broken > 0 {
            eprintln!(
                "{} link(s) lost their target or anchor and are marked broken",
                s.now_broken
            );
        }
        if !s.problems.is_empty() {
            eprintln!(
                "note: validate reports {} problem(s) on the result:",
                s.problems.len()
            );
            for p in s.problems.iter().take(10) {
                eprintln!("  {p}");
            }
        }
    }
    Ok(0)
}

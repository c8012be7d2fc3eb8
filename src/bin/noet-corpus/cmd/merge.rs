//! `merge`: join shard folders into the full corpus.

use super::jobs;
use crate::args::MergeArgs;
use crate::failure::{Context, Failure};
use noet_corpus::error::ErrorClass;
use noet_corpus::generate::GenError;
use noet_corpus::record::Status;
use noet_corpus::size::human;

pub(crate) fn run(a: MergeArgs) -> Result<u8, Failure> {
    let start = std::time::Instant::now();
    let s = noet_corpus::merge::merge(&a.shards, &a.out, a.force, jobs(a.jobs)).map_err(|e| match e {
        noet_corpus::merge::MergeError::Gen(GenError::Invalid(problems)) => {
            for p in problems.iter().take(20) {
                eprintln!("{p}");
            }
            Failure::of(ErrorClass::Invalid, format!("the merged corpus failed validation with {} problem(s); nothing was published", problems.len()))
        }
        noet_corpus::merge::MergeError::Gen(e) => Failure::of_gen(&e, Context::Merge),
        e => Failure::of(e.class(), e),
    })?;
    if a.json {
        println!("{}", serde_json::to_string(&s).expect("summary serialises"));
    } else if a.quiet {
        // Nothing on success, as `gen -q`.
    } else if s.status == Status::UpToDate {
        eprintln!(
            "up to date: {} ({}, {}, {} links)",
            s.path.display(),
            super::files(s.files),
            human(s.bytes),
            s.links
        );
    } else {
        eprintln!(
            "merged {} shards: {}, {}, {} links, validated, in {:.2} s -> {}",
            s.shards,
            super::files(s.files),
            human(s.bytes),
            s.links,
            start.elapsed().as_secs_f64(),
            s.path.display()
        );
    }
    Ok(0)
}

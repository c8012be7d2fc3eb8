//! `suite`: build a suite of corpora, each in its own subfolder.

use super::{jobs, Bar};
use crate::args::SuiteArgs;
use crate::failure::Failure;
use noet_corpus::record::Status;
use noet_corpus::size::human;
use noet_corpus::suite::Suite;

pub(crate) fn run(a: SuiteArgs) -> Result<u8, Failure> {
    let (suite, base) = Suite::load(&a.suite).map_err(Failure::input)?;
    let corpora = suite.params(&base).map_err(Failure::input)?;
    let jobs = jobs(a.jobs);
    let quiet = a.quiet || a.json;
    let mut bar = Bar::new(a.progress, quiet);
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
        &mut |p| bar.update(p),
    );
    bar.finish();
    let built = built.map_err(|e| Failure::of(e.class(), e))?;
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
        eprintln!(
            "{:<16} {:<11} {:>8} {:>11} {:>10} {:>8}",
            "corpus", "status", "files", "bytes", "links", "seconds"
        );
        for (name, s) in &built {
            eprintln!(
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
        eprintln!(
            "{} built, {} up to date, in {}",
            fresh,
            built.len() - fresh,
            a.out.display()
        );
    }
    Ok(0)
}

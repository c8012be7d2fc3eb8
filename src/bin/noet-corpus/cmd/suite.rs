//! `suite`: build a suite of corpora, each in its own subfolder.

use super::{jobs, Bar};
use crate::args::SuiteArgs;
use crate::failure::{gen_hint, Context, Failure};
use noet_corpus::record::Status;
use noet_corpus::size::human;
use noet_corpus::suite::{Suite, SuiteError};

pub(crate) fn run(a: SuiteArgs) -> Result<u8, Failure> {
    let (suite, base) = Suite::load(&a.suite).map_err(Failure::input)?;
    let corpora = suite.params(&base).map_err(Failure::input)?;
    if a.list {
        return list(&suite.name, &corpora, &a.out, a.json);
    }
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
        a.force,
        &mut each,
        &mut |p| bar.update(p),
    );
    bar.finish();
    let built = built.map_err(|e| match &e {
        SuiteError::Gen { source, .. } => {
            Failure::of(e.class(), &e).hint(gen_hint(source, Context::Suite))
        }
        _ => Failure::of(e.class(), e),
    })?;
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

/// `suite --list`: what the suite would build, and what is already there
/// (a complete corpus with the same key, judged by its manifest alone).
fn list(
    name: &str,
    corpora: &[(String, noet_corpus::Params)],
    out: &std::path::Path,
    json: bool,
) -> Result<u8, Failure> {
    use noet_corpus::manifest;
    let rows: Vec<(
        String,
        &noet_corpus::Params,
        String,
        std::path::PathBuf,
        bool,
    )> = corpora
        .iter()
        .map(|(n, p)| {
            let key = manifest::key(p);
            let dir = out.join(n);
            let current = matches!(manifest::read_header(&dir), Ok((h, true)) if h.key == key);
            (n.clone(), p, key, dir, current)
        })
        .collect();
    if json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|(n, p, key, dir, current)| {
                serde_json::json!({
                    "name": n, "profile": p.profile.name, "dialect": p.profile.dialect.to_string(),
                    "size": p.size, "seed": p.seed, "files": p.files, "key": key,
                    "path": dir, "up_to_date": current,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({"suite": name, "key": noet_corpus::suite::key(corpora), "corpora": v})
        );
        return Ok(0);
    }
    println!(
        "{:<16} {:<11} {:<8} {:>9} {:>6} {:<17} {}",
        "corpus", "profile", "dialect", "size", "seed", "key", "state"
    );
    for (n, p, key, _, current) in &rows {
        println!(
            "{:<16} {:<11} {:<8} {:>9} {:>6} {:<17} {}",
            n,
            p.profile.name,
            p.profile.dialect.to_string(),
            human(p.size),
            p.seed,
            key,
            if *current { "up to date" } else { "to build" }
        );
    }
    let fresh = rows.iter().filter(|r| r.4).count();
    eprintln!(
        "{} corpora in {}: {} up to date, {} to build",
        rows.len(),
        out.display(),
        fresh,
        rows.len() - fresh
    );
    Ok(0)
}

//! `validate`: check a corpus against its manifest (or only parse it).

use super::jobs;
use crate::args::ValidateArgs;
use crate::failure::Failure;
use noet_corpus::size::human;
use noet_corpus::validate;

pub(crate) fn run(a: ValidateArgs) -> Result<u8, Failure> {
    let start = std::time::Instant::now();
    if !a.dir.is_dir() {
        return Err(Failure::input(format!(
            "{} is not a folder; pass a corpus folder made by `noet-corpus gen`",
            a.dir.display()
        )));
    }
    // A step of `edit` that a kill interrupted is finished (or undone)
    // first: the corpus is then at one revision.
    noet_corpus::revise::recover(&a.dir).map_err(|e| Failure::of(e.class(), e))?;
    let jobs = jobs(a.jobs);
    if a.parse_only {
        let (files, bytes) =
            validate::parse_only(&a.dir, jobs).map_err(|e| Failure::of(e.class(), e))?;
        let secs = start.elapsed().as_secs_f64();
        if a.json {
            let v = serde_json::json!({
                "parse_only": true, "files": files, "bytes": bytes, "seconds": secs,
            });
            println!("{v}");
        } else if !a.quiet {
            eprintln!(
                "parsed {files} files, {} in {secs:.2} s ({:.1} MB/s); nothing checked",
                human(bytes),
                bytes as f64 / 1e6 / secs.max(1e-9)
            );
        }
        return Ok(0);
    }
    let report =
        validate::validate_dir(&a.dir, true, jobs).map_err(|e| Failure::of(e.class(), e))?;
    let secs = start.elapsed().as_secs_f64();
    if a.json {
        // Each problem as an object: file, line (0: the whole file), what
        // was checked, expected, found.
        let problems = &report.problems;
        let v = serde_json::json!({
            "valid": report.problems.is_empty(),
            "files": report.files, "bytes": report.bytes, "links": report.links,
            "headings": report.headings, "seconds": secs, "problems": problems,
        });
        println!("{v}");
    } else if !a.quiet {
        // The problems are the command's result: stdout.
        for p in report.problems.iter().take(a.max_problems) {
            println!("{p}");
        }
        // What was not shown, by kind: "... and 4210 more `link` problems".
        let mut rest: std::collections::BTreeMap<&str, usize> = Default::default();
        for p in report.problems.iter().skip(a.max_problems) {
            *rest.entry(p.what.as_str()).or_default() += 1;
        }
        for (what, n) in rest {
            println!("... and {n} more `{what}` problem(s)");
        }
    }
    if report.problems.is_empty() {
        if !a.json && !a.quiet {
            eprintln!(
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
            hints: Vec::new(),
        })
    }
}

//! `check`: compare a tool's answers with a corpus's manifest, or print
//! the manifest's own answers (`--expected`).

use crate::args::CheckArgs;
use crate::failure::Failure;
use noet_corpus::check;
use std::io::BufRead;

pub(crate) fn run(a: CheckArgs) -> Result<u8, Failure> {
    if !a.dir.is_dir() {
        return Err(Failure::input(format!(
            "{} is not a folder; pass a corpus folder made by `noet-corpus gen`",
            a.dir.display()
        )));
    }
    if a.expected {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        return match check::expected_answers(&a.dir, &mut out) {
            Ok(_) => Ok(0),
            // A reader that closed the pipe (`| head`) ends the run
            // quietly, as every other output does.
            Err(check::CheckError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
            Err(e) => Err(Failure::of(e.class(), e)),
        };
    }
    let path = a
        .answers
        .expect("clap requires --answers without --expected");
    let name = path.display().to_string();
    let mut input: Box<dyn BufRead> = if name == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        // A plain open, not a bounded one: answers may well come from a
        // pipe (`--answers <(tool ...)`); lines are bounded instead.
        let f = std::fs::File::open(&path)
            .map_err(|e| Failure::input(format!("cannot read answers {name}: {e}")))?;
        Box::new(std::io::BufReader::with_capacity(1 << 20, f))
    };
    let report = check::check_answers(&a.dir, &mut input, &name, a.examples, a.unanswered.into())
        .map_err(|e| Failure::of(e.class(), e))?;
    if a.json {
        // One object: `agree`, then the report's own fields.
        let mut v = serde_json::to_value(&report).expect("the report serialises");
        v["agree"] = report.all_agree().into();
        println!("{v}");
    } else if !a.quiet {
        // The report is the command's result: stdout.
        print!("{report}");
    }
    if report.all_agree() {
        if !a.json && !a.quiet {
            eprintln!(
                "all {} links and {} file answers agree with the manifest",
                report.links, report.files.links
            );
        }
        Ok(0)
    } else {
        let n: u64 = report.disagreements.iter().map(|c| c.count).sum();
        let classes: Vec<String> = report
            .disagreements
            .iter()
            .map(|c| format!("{} {}", c.class, c.count))
            .collect();
        Err(Failure {
            code: crate::failure::exit_code(noet_corpus::ErrorClass::Invalid),
            message: format!(
                "{n} disagreement(s) with the manifest: {}",
                classes.join(", ")
            ),
            hints: Vec::new(),
        })
    }
}

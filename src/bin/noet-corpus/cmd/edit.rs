//! `edit` and `diff`: a corpus's edit history.

use crate::args::{DiffArgs, EditArgs};
use crate::failure::Failure;
use noet_corpus::revise::{self, Corpus, Diff, EditOptions};

/// One line a person reads for a step.
fn summary(d: &Diff) -> String {
    format!(
        "revision {} -> {}: {} added, {} removed, {} changed, {} moved, {} affected",
        d.from,
        d.to,
        d.added.len(),
        d.removed.len(),
        d.changed.len(),
        d.moved.len(),
        d.affected.len()
    )
}

pub(crate) fn run(a: EditArgs) -> Result<u8, Failure> {
    let opts = EditOptions::new(&a.dir, a.to);
    let mut each = |d: &Diff| {
        if a.json {
            println!("{}", serde_json::to_string(d).expect("a diff serialises"));
        } else if !a.quiet {
            eprintln!("{}", summary(d));
        }
    };
    let steps = revise::edit(&opts, &mut each).map_err(|e| Failure::of(e.class(), e))?;
    if steps.is_empty() && !a.quiet && !a.json {
        eprintln!("already at revision {}: {}", a.to, a.dir.display());
    }
    Ok(0)
}

pub(crate) fn diff(a: DiffArgs) -> Result<u8, Failure> {
    revise::recover(&a.dir).map_err(|e| Failure::of(e.class(), e))?;
    let base = Corpus::load(&a.dir).map_err(|e| Failure::of(e.class(), e))?;
    let base = if base.revision() > a.a.min(a.b) {
        revise::rebuild(&base.header.params, 0).map_err(|e| Failure::of(e.class(), e))?
    } else {
        base
    };
    let d = revise::diff_revisions(&base, a.a, a.b).map_err(|e| Failure::of(e.class(), e))?;
    if a.json {
        println!("{}", serde_json::to_string(&d).expect("a diff serialises"));
        return Ok(0);
    }
    println!("{}", summary(&d));
    for e in &d.edits {
        println!("  edit      {e}");
    }
    for p in &d.added {
        println!("  added     {p}");
    }
    for p in &d.removed {
        println!("  removed   {p}");
    }
    for p in &d.changed {
        println!("  changed   {p}");
    }
    for (x, y) in &d.moved {
        println!("  moved     {x} -> {y}");
    }
    for f in &d.affected {
        for r in &f.references {
            println!(
                "  affected  {}:{} `{}`: {} -> {}",
                f.path,
                r.line,
                r.dest,
                show(&r.before),
                show(&r.after)
            );
        }
    }
    Ok(0)
}

fn show(l: &revise::Lands) -> String {
    match l {
        revise::Lands::File {
            path,
            anchor: Some(a),
        } => format!("{path}#{a}"),
        revise::Lands::File { path, anchor: None } => path.clone(),
        revise::Lands::Broken => "broken".into(),
        revise::Lands::External => "external".into(),
    }
}

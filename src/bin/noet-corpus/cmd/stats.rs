//! `stats`: measure a markdown tree, and fit a profile to it.

use crate::args::StatsArgs;
use crate::failure::Failure;

/// A temporary file beside `path`, which must not be a folder.
fn profile_temp(path: &std::path::Path) -> Result<tempfile::NamedTempFile, Failure> {
    if path.is_dir() {
        return Err(Failure::input(format!(
            "--emit-profile {} is a folder; pass a file name such as profile.toml",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".noet-profile-")
        .tempfile_in(dir)
        .map_err(|e| {
            Failure::input(format!(
                "cannot write --emit-profile {}: {e}; choose a writable place",
                path.display()
            ))
        })?;
    noet_corpus::output::hold_temp_file(tmp.path());
    Ok(tmp)
}

pub(crate) fn run(a: StatsArgs) -> Result<u8, Failure> {
    use noet_corpus::stats;
    noet_corpus::threads::init_global(noet_corpus::threads::cores());
    // The profile is written to a temporary file beside its path and
    // renamed over it when complete, so a full disk or an interrupt never
    // leaves a truncated profile; making that file first finds a place
    // that cannot be written before the tree is measured.
    let emit = match &a.emit_profile {
        Some(path) => Some((path.clone(), profile_temp(path)?)),
        None => None,
    };
    let s = stats::stats_dir(&a.dir).map_err(|e| Failure::of(e.class(), e))?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&s).expect("stats serialise")
        );
    } else {
        print!("{}", stats::report(&s));
    }
    if let Some((path, mut tmp)) = emit {
        use std::io::Write;
        let fit = stats::fit(&s, 8);
        let failed =
            |e: std::io::Error| Failure::runtime(format!("cannot write {}: {e}", path.display()));
        tmp.write_all(fit.toml.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(failed)?;
        let tpath = tmp.path().to_path_buf();
        let persisted = tmp.persist(&path);
        noet_corpus::output::release_temp_file(&tpath);
        persisted.map_err(|e| failed(e.error))?;
        if !a.quiet {
            eprint!("{}", stats::fit_report(&fit));
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(0)
}

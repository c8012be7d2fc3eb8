//! One module per subcommand: each turns its arguments into a library
//! call and its result into output (human lines on stderr, data and
//! `--json` on stdout).

pub(crate) mod check;
pub(crate) mod edit;
pub(crate) mod gen;
pub(crate) mod info;
pub(crate) mod key;
pub(crate) mod man;
pub(crate) mod manifest;
pub(crate) mod merge;
pub(crate) mod profiles;
pub(crate) mod reduce;
pub(crate) mod stats;
pub(crate) mod suite;
pub(crate) mod validate;

use crate::args::{CorpusArgs, ProgressMode};
use crate::failure::Failure;
use noet_corpus::dialect::Dialect;
use noet_corpus::generate::Progress;
use noet_corpus::plan::Params;
use noet_corpus::profile::Profile;
use noet_corpus::profile::ProfileError;
use noet_corpus::site::Site;
use noet_corpus::size::{human, ByteSize};
use std::io::IsTerminal;

/// The parameters of a corpus from its options.
pub(crate) fn params(a: &CorpusArgs) -> Result<Params, Failure> {
    let size: ByteSize = a.size.parse().map_err(Failure::input)?;
    let dialect = a.dialect.as_deref().and_then(Dialect::from_name);
    let site = a.site.as_deref().and_then(Site::from_name);
    if let (Some(s), Some(d)) = (site, dialect) {
        if d != Dialect::Gfm {
            return Err(
                Failure::input(format!("--site {s} writes the gfm dialect, not {d}"))
                    .hint(Some("drop --dialect (or pass --dialect gfm)".to_string())),
            );
        }
    }
    // A site converts the profile to gfm itself.
    let dialect = if site.is_some() { None } else { dialect };
    let profile = Profile::load_for(&a.profile, dialect, site).map_err(|e| {
        // A kind the profile's dialect cannot write: the command line can
        // convert the profile instead of the user editing it.
        let converts = matches!(&e, ProfileError::Invalid { problem, .. } if problem.contains("convert the profile to the"));
        Failure::input(&e).hint(converts.then(|| "pass --dialect NAME to convert the profile to that dialect".to_string()))
    })?;
    let mut params = Params::new(profile, size.0, a.seed, a.files);
    params.revision = a.revision;
    Ok(params)
}

/// `1 file`, `25 files`: a count as a person reads it.
pub(crate) fn files(n: u64) -> String {
    if n == 1 {
        "1 file".to_string()
    } else {
        format!("{n} files")
    }
}

/// Worker threads: `--jobs N`, where 0 (or none given) means every core.
pub(crate) fn jobs(j: Option<usize>) -> usize {
    match j {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    }
}

/// A progress reporter for `--progress`: a bar on a terminal, plain lines
/// about once a second elsewhere with `always`, nothing with `never`,
/// `-q` or `--json`.
pub(crate) struct Bar {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    last_line: std::time::Instant,
}

impl Bar {
    pub(crate) fn new(mode: ProgressMode, quiet: bool) -> Bar {
        let show = !quiet
            && match mode {
                ProgressMode::Never => false,
                ProgressMode::Always => true,
                ProgressMode::Auto => std::io::stderr().is_terminal(),
            };
        let bar = show.then(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(0),
                indicatif::ProgressDrawTarget::stderr(),
            );
            // Decimal units, as `--size` and every summary use.
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{bar:30}] {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} {msg} ETA {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            b
        });
        // indicatif hides itself off a terminal; `--progress always` then
        // prints a plain line about once a second, for CI logs.
        let plain = bar.as_ref().is_some_and(|b| b.is_hidden());
        Bar {
            bar,
            plain,
            last_line: std::time::Instant::now(),
        }
    }

    pub(crate) fn update(&mut self, p: Progress) {
        let Some(b) = &self.bar else {
            return;
        };
        b.set_length(p.total_bytes);
        b.set_position(p.bytes);
        b.set_message(format!("{}/{} files", p.files, p.total_files));
        if self.plain && (self.last_line.elapsed().as_secs_f64() >= 1.0 || p.files == p.total_files)
        {
            self.last_line = std::time::Instant::now();
            eprintln!(
                "progress: {} of {}, {}/{} files",
                human(p.bytes),
                human(p.total_bytes),
                p.files,
                p.total_files
            );
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

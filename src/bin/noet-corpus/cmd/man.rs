//! `man`: man pages, one for the command and one per subcommand, each
//! with the exit codes.

use crate::args::Cli;
use crate::failure::Failure;
use std::io::Write;
use std::path::Path;

/// The EXIT STATUS section every page carries (one policy for every
/// subcommand: see `failure::exit_code`).
const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success (also: the corpus was already up to date).
.TP
\fB1\fR
Validation found problems: a corpus does not match its manifest, or a
generated corpus failed its own check (nothing was published); for
\fBcheck\fR, a tool's answers disagree with the manifest.
.TP
\fB2\fR
Bad input: an unknown option value, profile, size or suite; a folder that is
not a corpus; a corpus made with other parameters without \fB\-\-force\fR;
answers that cannot be read or are ill-formed (\fBcheck\fR names the line);
for \fBreduce\fR, an input the command does not fail on.
.TP
\fB3\fR
Runtime failure: the disk is full, a write failed, or the run was
interrupted.
"#;

/// The command and its visible subcommands, built (so each has its full
/// name, `noet-corpus-gen`).
fn pages() -> Vec<clap::Command> {
    let mut cmd = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    cmd.build();
    let mut all = vec![cmd.clone()];
    all.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    all
}

fn render(cmd: clap::Command, w: &mut dyn Write) -> std::io::Result<()> {
    let has_args = cmd.get_arguments().any(|a| !a.is_hide_set());
    let has_subs = cmd.get_subcommands().any(|s| !s.is_hide_set());
    let has_version = cmd.get_version().is_some() || cmd.get_long_version().is_some();
    let man = clap_mangen::Man::new(cmd);
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    if has_args {
        man.render_options_section(w)?;
    }
    if has_subs {
        man.render_subcommands_section(w)?;
    }
    w.write_all(EXIT_STATUS.as_bytes())?;
    if has_version {
        man.render_version_section(w)?;
    }
    Ok(())
}

/// Print the page of `subcommand` (or of the command), or with `dir`
/// write every page there as `NAME.1`.
pub(crate) fn run(subcommand: Option<String>, dir: Option<&Path>) -> Result<u8, Failure> {
    let all = pages();
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::runtime(format!("cannot create {}: {e}", dir.display())))?;
        for cmd in all {
            let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
            let path = dir.join(format!("{name}.1"));
            let mut page = Vec::new();
            render(cmd, &mut page).map_err(Failure::runtime)?;
            std::fs::write(&path, page)
                .map_err(|e| Failure::runtime(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
        }
        return Ok(0);
    }
    let cmd = match &subcommand {
        None => all.into_iter().next().expect("the command"),
        Some(name) => {
            let names: Vec<String> = all[1..].iter().map(|c| c.get_name().to_string()).collect();
            all.into_iter()
                .skip(1)
                .find(|c| c.get_name() == name)
                .ok_or_else(|| {
                    Failure::input(format!(
                        "no subcommand `{name}`; pass one of: {}",
                        names.join(", ")
                    ))
                })?
        }
    };
    let mut page = Vec::new();
    render(cmd, &mut page).map_err(Failure::runtime)?;
    print!("{}", String::from_utf8_lossy(&page));
    Ok(0)
}

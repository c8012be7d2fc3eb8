//! What the process does on signals, and where the library's notices go:
//! choices of the program, not of the library it calls.

use noet_corpus::notice::{self, Notice};
use noet_corpus::output;

/// Print the library's notices to stderr, prefixed with the program's name.
fn print_notice(n: &Notice<'_>) {
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("noet-corpus: {n}\n").as_bytes(),
    );
}

/// Route notices to stderr; on Ctrl-C, SIGTERM or SIGHUP remove this run's
/// temporary folders and lock files (the library's registry of what it
/// holds) and end the commands `reduce` runs, say what was published, and
/// exit with 130. SIGXFSZ is ignored
/// so that a file-size limit (`ulimit -f`) makes writes fail with an error
/// (and a cleanup) instead of killing the process.
pub fn install() {
    notice::set_handler(print_notice);
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN is always sound.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let _ = ctrlc::set_handler(|| {
        let first = !output::interrupted();
        output::interrupt_cleanup();
        // `reduce`'s commands run in process groups of their own, which
        // the terminal's Ctrl-C does not reach.
        noet_corpus::reduce::interrupt_cleanup();
        if first {
            let what = match output::published() {
                0 => "nothing was published".to_string(),
                1 => "the one corpus published before the interrupt is complete".to_string(),
                n => format!("the {n} corpora published before the interrupt are complete"),
            };
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("noet-corpus: interrupted; temporary files removed, {what}\n").as_bytes(),
            );
        }
        std::process::exit(130);
    });
}

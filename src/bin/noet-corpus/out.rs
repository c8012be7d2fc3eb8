//! Output that survives a closed pipe: these macros replace std's, which
//! panic when the reader has gone (`noet-corpus ... | head -1`). A closed
//! stdout ends the program quietly with 0; a closed stderr is ignored.

#[allow(unused_macros)]
macro_rules! print {
    ($($t:tt)*) => { $crate::out::write_stdout(format_args!($($t)*)) };
}
#[allow(unused_macros)]
macro_rules! println {
    () => { $crate::out::write_stdout(format_args!("\n")) };
    ($($t:tt)*) => { $crate::out::write_stdout(format_args!("{}\n", format_args!($($t)*))) };
}
#[allow(unused_macros)]
macro_rules! eprint {
    ($($t:tt)*) => { $crate::out::write_stderr(format_args!($($t)*)) };
}
#[allow(unused_macros)]
macro_rules! eprintln {
    () => { $crate::out::write_stderr(format_args!("\n")) };
    ($($t:tt)*) => { $crate::out::write_stderr(format_args!("{}\n", format_args!($($t)*))) };
}

/// Write to stdout; exit 0 if the reader closed the pipe, 3 on another error.
pub(crate) fn write_stdout(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        write_stderr(format_args!("error: cannot write to stdout: {e}\n"));
        std::process::exit(3);
    }
}

/// Write to stderr, ignoring failures (there is nowhere left to report them).
pub(crate) fn write_stderr(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_fmt(args);
}

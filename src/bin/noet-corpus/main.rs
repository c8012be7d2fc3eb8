//! The `noet-corpus` command: parses arguments, dispatches to a subcommand
//! (one module each, in `cmd/`), and maps failures to exit codes (0 ok,
//! 1 validation found problems, 2 bad input, 3 runtime failure; see
//! `failure.rs`).

#[macro_use]
mod out;
mod alloc;
mod args;
mod cmd;
mod failure;
mod signals;

use args::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
    #[cfg(not(feature = "dhat-heap"))]
    alloc::tune_allocator();
    signals::install();
    let result = match Cli::parse().command {
        Command::Gen(a) => cmd::gen::run(a),
        Command::Validate(a) => cmd::validate::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Reduce(a) => cmd::reduce::run(a),
        Command::Manifest(a) => cmd::manifest::run(a),
        Command::Info { dir, json } => cmd::info::run(&dir, json),
        Command::Stats(a) => cmd::stats::run(a),
        Command::Profiles { action } => cmd::profiles::run(action),
        Command::Key(a) => cmd::key::run(a),
        Command::Suite(a) => cmd::suite::run(a),
        Command::Merge(a) => cmd::merge::run(a),
        Command::Edit(a) => cmd::edit::run(a),
        Command::Diff(a) => cmd::edit::diff(a),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "noet-corpus", &mut script);
            print!("{}", String::from_utf8_lossy(&script));
            Ok(0)
        }
        Command::Man { subcommand, dir } => cmd::man::run(subcommand, dir.as_deref()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("error: {}", f.message);
            for h in &f.hints {
                eprintln!("hint: {h}");
            }
            ExitCode::from(f.code)
        }
    }
}

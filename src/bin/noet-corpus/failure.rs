//! The one exit policy: every failure carries the exit code of its class,
//! and the one place where a library error gets the CLI's words: the
//! library says what failed, and only the binary knows which flag fixes it
//! (`--out`, `--force`, `--size`, `--files`), so it adds that as a hint.

use noet_corpus::error::ErrorClass;
use noet_corpus::generate::GenError;
use noet_corpus::output::OutputError;
use noet_corpus::plan::PlanError;

/// An error with its exit code, and the hint lines printed after it.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
    /// Printed as `hint: ...` lines after the message: what to change on
    /// the command line.
    pub(crate) hints: Vec<String>,
}

/// The one exit policy: each class of failure exits with one code,
/// whichever command met it.
pub(crate) fn exit_code(class: ErrorClass) -> u8 {
    match class {
        ErrorClass::Invalid => 1,
        ErrorClass::Input => 2,
        ErrorClass::Runtime => 3,
    }
}

/// Where a library error met the user: the same error is fixed by a flag
/// of `gen`, a flag of `merge`, or a key of a suite file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// `gen`: parameters are flags.
    Gen,
    /// `merge`: only `--out` and `--force`; the parameters are the shards'.
    Merge,
    /// `suite`: parameters are keys of the suite file, and each corpus's
    /// folder is `OUT/NAME`.
    Suite,
}

impl Failure {
    /// A library error, with the code of its class.
    pub(crate) fn of(class: ErrorClass, message: impl std::fmt::Display) -> Self {
        Failure {
            code: exit_code(class),
            message: message.to_string(),
            hints: Vec::new(),
        }
    }
    pub(crate) fn input(message: impl std::fmt::Display) -> Self {
        Self::of(ErrorClass::Input, message)
    }
    pub(crate) fn runtime(message: impl std::fmt::Display) -> Self {
        Self::of(ErrorClass::Runtime, message)
    }

    /// This failure with one more hint line, if there is one.
    pub(crate) fn hint(mut self, hint: Option<String>) -> Self {
        self.hints.extend(hint);
        self
    }

    /// A generation error (other than validation problems, which each
    /// command reports itself), with its class's code and a hint naming
    /// the flag or key that fixes it.
    pub(crate) fn of_gen(e: &GenError, ctx: Context) -> Self {
        Self::of(e.class(), e).hint(gen_hint(e, ctx))
    }
}

/// The CLI's fix for a generation error, if there is one to suggest.
pub(crate) fn gen_hint(e: &GenError, ctx: Context) -> Option<String> {
    match e {
        GenError::Plan(e) => plan_hint(e, ctx),
        GenError::Output(e) => output_hint(e, ctx),
        _ => None,
    }
}

/// Which flag (or suite key) fixes parameters that cannot make a corpus.
pub(crate) fn plan_hint(e: &PlanError, ctx: Context) -> Option<String> {
    let suite = ctx == Context::Suite;
    Some(match e {
        PlanError::ZeroSize if suite => {
            "set this corpus's `size` in the suite file, e.g. size = \"20KB\"".into()
        }
        PlanError::ZeroSize => "pass a larger --size, e.g. --size 20KB".into(),
        PlanError::ZeroFiles if suite => {
            "set this corpus's `files` to 1 or more, or leave it out".into()
        }
        PlanError::ZeroFiles => "pass --files 1 or more, or leave --files out".into(),
        PlanError::TooSmall { need, .. } if suite => {
            format!("raise this corpus's `size` to at least {need}, or lower its `files`")
        }
        PlanError::TooSmall { need, .. } => {
            format!("raise --size to at least {need} or lower --files")
        }
        PlanError::TooManyFiles { .. } if suite => "lower this corpus's `size`".into(),
        PlanError::TooManyFiles { .. } => "lower --size".into(),
    })
}

/// Which flag fixes an output folder that cannot be used.
pub(crate) fn output_hint(e: &OutputError, ctx: Context) -> Option<String> {
    use std::io::ErrorKind as K;
    // A suite writes each corpus to `OUT/NAME`, so only the suite's `--out`
    // is the user's to change.
    let another = match ctx {
        Context::Suite => "choose another --out for the suite",
        Context::Gen | Context::Merge => "choose another --out",
    };
    let size = match ctx {
        Context::Gen => Some("--size"),
        Context::Suite => Some("this corpus's `size` in the suite file"),
        // A merge's size is the shards'.
        Context::Merge => None,
    };
    Some(match e {
        OutputError::Different { .. } if ctx == Context::Suite => {
            "pass --force to replace it, or choose another --out for the suite".into()
        }
        OutputError::Different { .. } => {
            "pass --force to replace it, or choose another --out".into()
        }
        OutputError::Symlink(_) => "pass the folder it points to as --out instead".into(),
        OutputError::Foreign(_) => "choose a new or empty folder as --out".into(),
        OutputError::MountPoint(p) => format!(
            "pass a folder inside it, such as --out {}/corpus",
            p.display()
        ),
        OutputError::Nested(..) => "choose an --out outside that corpus".into(),
        OutputError::Changed(_) => return None,
        OutputError::NotADir(_)
        | OutputError::NotOurs { .. }
        | OutputError::Mount(_)
        | OutputError::Unusable { .. }
        | OutputError::Blocked { .. }
        | OutputError::UnderAFile(_) => another.into(),
        OutputError::NoSpace { .. } => match size {
            Some(s) => format!("lower {s}, or {another}"),
            None => another.into(),
        },
        OutputError::NoMemory { .. } => match ctx {
            Context::Gen => "raise --files or lower --size".into(),
            Context::Suite => {
                "raise this corpus's `files` or lower its `size` in the suite file".into()
            }
            Context::Merge => return None,
        },
        OutputError::TooDeep { .. } => format!("lower {}", size?),
        OutputError::Io { source, .. } => match source.kind() {
            K::StorageFull => another.into(),
            K::FileTooLarge => format!("lower {}", size?),
            K::PermissionDenied | K::ReadOnlyFilesystem => match ctx {
                Context::Suite => "choose a writable --out for the suite".into(),
                Context::Gen | Context::Merge => "choose a writable --out".into(),
            },
            _ => return None,
        },
    })
}

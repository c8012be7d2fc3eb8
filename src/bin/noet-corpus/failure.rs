//! The one exit policy: every failure carries the exit code of its class.

use noet_corpus::error::ErrorClass;

/// An error with its exit code.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
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

impl Failure {
    /// A library error, with the code of its class.
    pub(crate) fn of(class: ErrorClass, message: impl std::fmt::Display) -> Self {
        Failure {
            code: exit_code(class),
            message: message.to_string(),
        }
    }
    pub(crate) fn input(message: impl std::fmt::Display) -> Self {
        Failure {
            code: 2,
            message: message.to_string(),
        }
    }
    pub(crate) fn runtime(message: impl std::fmt::Display) -> Self {
        Failure {
            code: 3,
            message: message.to_string(),
        }
    }
}

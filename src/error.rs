//! What kind of failure an error is, so that every caller (the binary's
//! exit codes, a harness's retry policy) treats the same error the same
//! way, whichever command met it.

/// The class of a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The request cannot be carried out as given (parameters, profile,
    /// output folder, a file that is not what it should be): found before
    /// anything was written, and fixed by changing the request.
    Input,
    /// A corpus does not match its ground truth (validation problems, a
    /// manifest that contradicts its tree): the answer to a check.
    Invalid,
    /// The system failed while working (an I/O error, a full disk): the
    /// same request may succeed elsewhere or later.
    Runtime,
}

//! The integration tests, one binary with a module per concern. They share
//! [`support`]: the binary under test, a sandbox folder to run it in, and
//! snapshots of folders.
//!
//! Run one concern with its module path as the filter, e.g.
//! `cargo test --test it golden::`, `cargo test --test it faults::` or
//! `cargo test --test it properties::`.

// The fault tests are unix-only; some shared helpers serve only them.
#[cfg_attr(not(unix), allow(dead_code))]
mod support;

mod architecture;
mod assets;
mod check;
mod cli;
mod code_blocks;
mod conventions;
mod dialects;
#[cfg(unix)]
mod faults;
mod fuzz_replay;
mod golden;
mod manifest_file;
mod properties;
mod reduce;
mod revisions;
mod sites;
mod stats;
mod stream;
mod tools;
mod vault;
mod workflows;

//! noet-corpus: deterministic, realistic multi-file markdown corpora with a
//! ground-truth manifest, for benchmarking markdown tools.

pub mod assets;
pub mod code;
pub mod generate;
pub mod links;
pub mod manifest;
pub mod output;
pub mod plan;
pub mod profile;
pub mod render;
pub mod rng;
pub mod size;
pub mod text;
pub mod validate;
pub mod words;

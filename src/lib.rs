#![deny(missing_docs)]
//! noet-corpus: deterministic, realistic multi-file markdown corpora with a
//! ground-truth manifest, for benchmarking markdown tools.
//!
//! Data flows one way: a [`profile::Profile`] and the [`plan::Params`]
//! (size, seed, file count) make a [`plan::Plan`], which says what every
//! file, folder and heading is as pure functions of their indices;
//! [`render::render`] turns file N into bytes plus its ground truth;
//! [`generate::generate`] writes a whole corpus and its
//! [`manifest`] ([`generate::generate_tar`], as a tar stream into any
//! writer); [`validate`] checks a corpus against its manifest,
//! [`check`] a tool's answers against it, and [`reduce`] shrinks a corpus
//! to a minimal one on which a command still fails; [`revise`] makes
//! edit histories (revision r+1 from revision r) with the effect of each
//! edit.
//!
//! # Generate a corpus into a folder
//!
//! ```
//! use noet_corpus::{generate, GenOptions, Params, Profile, Status};
//!
//! let dir = tempfile::tempdir()?;
//! let params = Params::new(Profile::load("tiny")?, 20_000, 7, None);
//! let mut opts = GenOptions::new(params, dir.path().join("tiny"));
//! opts.jobs = 2;
//! let summary = generate(&opts, &mut |_progress| {})?;
//! assert_eq!(summary.bytes, 20_000);
//! // The same call again finds the corpus up to date and writes nothing.
//! assert_eq!(generate(&opts, &mut |_| {})?.status, Status::UpToDate);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Iterate over documents in memory
//!
//! A harness that does not want the disk can render files directly; each
//! is a pure function of the plan and its index, so any subset can be
//! rendered, in any order, on any thread.
//!
//! ```
//! use noet_corpus::{documents, Params, Plan, Profile};
//!
//! let plan = Plan::new(Params::new(Profile::load("default")?, 200_000, 1, None))?;
//! let mut bytes = 0;
//! for doc in documents(&plan) {
//!     // doc.meta.path is the relative path, doc.bytes the markdown,
//!     // doc.links and doc.headings the ground truth.
//!     bytes += doc.bytes.len();
//! }
//! assert_eq!(bytes, 200_000);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Read a manifest
//!
//! ```
//! # use noet_corpus::{generate, GenOptions, Params, Profile};
//! use noet_corpus::{Reader, Record};
//!
//! # let dir = tempfile::tempdir()?;
//! # let root = dir.path().join("c");
//! # let params = Params::new(Profile::load("tiny")?, 20_000, 7, None);
//! # generate(&GenOptions::new(params, &root), &mut |_| {})?;
//! let mut reader = Reader::open(&root)?;
//! let (mut files, mut links) = (0, 0);
//! while let Some(record) = reader.next_record()? {
//!     match record {
//!         Record::File(f) => { files += 1; assert!(f.bytes > 0); }
//!         Record::Link(l) => { links += 1; let _ = (l.line, l.kind, l.dest, l.target); }
//!         _ => {}
//!     }
//! }
//! assert!(files > 10 && links > 10);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

//! # Step through revisions in memory
//!
//! Revision r+1 of a corpus is revision r plus a few edits drawn from
//! (params, r); each step says what it changed and which unchanged files
//! now resolve a reference differently (what an incremental rebuild must
//! re-check).
//!
//! ```
//! use noet_corpus::{revise, Params, Profile};
//!
//! let params = Params::new(Profile::load("tiny")?, 30_000, 7, None);
//! let mut corpus = revise::rebuild(&params, 0)?;
//! for _ in 0..3 {
//!     let step = corpus.step();
//!     assert_eq!(step.to, corpus.revision());
//!     let _ = (step.changed, step.added, step.removed, step.affected);
//! }
//! // Revision 3 made again from scratch is the same corpus.
//! assert_eq!(revise::rebuild(&params, 3)?, corpus);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// The API: what a harness uses, re-exported here.
pub mod check;
pub mod dialect;
pub mod error;
pub mod generate;
pub mod info;
pub mod manifest;
pub mod merge;
pub mod notice;
pub mod output;
pub mod plan;
pub mod profile;
pub mod record;
pub mod reduce;
pub mod render;
pub mod revise;
pub mod site;
pub mod size;
pub mod stats;
pub mod suite;
pub mod table;
pub mod validate;

// The generator's parts: public for the crate's own tests and benchmarks,
// hidden from its documentation and not covered by semver.
#[doc(hidden)]
pub mod assets;
#[doc(hidden)]
pub mod bounded;
#[doc(hidden)]
pub mod code;
#[doc(hidden)]
pub mod lines;
#[doc(hidden)]
pub mod links;
#[doc(hidden)]
pub mod ordered;
#[doc(hidden)]
pub mod rng;
#[doc(hidden)]
pub mod text;
#[doc(hidden)]
pub mod threads;
#[doc(hidden)]
pub mod words;

pub use check::{check_answers, expected_answers, CheckError, CheckReport, Unanswered};
pub use dialect::Dialect;
pub use error::ErrorClass;
pub use generate::{generate, generate_tar, GenError, GenOptions, Progress, Summary};
pub use info::{info, Info, InfoError};
pub use manifest::{ManifestError, Reader, Record};
pub use merge::{merge, MergeError, MergeSummary};
pub use plan::{Params, Plan, PlanError};
pub use profile::{Profile, ProfileError};
pub use record::{HeadingRecord, LinkEvent, LinkKind, LinkRecord, Status};
pub use reduce::{reduce, ReduceError, ReduceOptions, ReduceSummary};
pub use render::{documents, render, Rendered};
pub use revise::{edit, Corpus, Diff, EditOptions, ReviseError};
pub use size::ByteSize;
pub use stats::{stats_dir, Stats, StatsError};
pub use suite::{Suite, SuiteError};
pub use validate::{validate_dir, Problem, Report};

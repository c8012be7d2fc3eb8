//! noet-corpus: deterministic, realistic multi-file markdown corpora with a
//! ground-truth manifest, for benchmarking markdown tools.
//!
//! Data flows one way: a [`profile::Profile`] and the [`plan::Params`]
//! (size, seed, file count) make a [`plan::Plan`], which says what every
//! file, folder and heading is as pure functions of their indices;
//! [`render::render`] turns file N into bytes plus its ground truth;
//! [`generate::generate`] writes a whole corpus and its
//! [`manifest`]; [`validate`] checks a corpus against its manifest.
//!
//! # Generate a corpus into a folder
//!
//! ```
//! use noet_corpus::generate::{generate, GenOptions};
//! use noet_corpus::plan::Params;
//! use noet_corpus::profile::Profile;
//!
//! let dir = tempfile::tempdir()?;
//! let opts = GenOptions {
//!     params: Params::new(Profile::load("tiny")?, 20_000, 7, None),
//!     out: dir.path().join("tiny"),
//!     jobs: 2,
//!     validate: true,
//!     force: false,
//!     dry_run: false,
//!     shard: None,
//! };
//! let summary = generate(&opts, &mut |_progress| {})?;
//! assert_eq!(summary.bytes, 20_000);
//! // The same call again finds the corpus up to date and writes nothing.
//! assert_eq!(generate(&opts, &mut |_| {})?.status, noet_corpus::record::Status::UpToDate);
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
//! use noet_corpus::plan::{Params, Plan};
//! use noet_corpus::profile::Profile;
//! use noet_corpus::render::documents;
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
//! # use noet_corpus::generate::{generate, GenOptions};
//! # use noet_corpus::plan::Params;
//! # use noet_corpus::profile::Profile;
//! use noet_corpus::manifest::{Reader, Record};
//!
//! # let dir = tempfile::tempdir()?;
//! # let root = dir.path().join("c");
//! # let opts = GenOptions { params: Params::new(Profile::load("tiny")?, 20_000, 7, None),
//! #     out: root.clone(), jobs: 1, validate: false, force: false, dry_run: false, shard: None };
//! # generate(&opts, &mut |_| {})?;
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

pub mod assets;
pub mod bounded;
pub mod code;
pub mod dialect;
pub mod error;
pub mod generate;
pub mod links;
pub mod manifest;
pub mod merge;
pub mod notice;
pub mod ordered;
pub mod output;
pub mod plan;
pub mod profile;
pub mod record;
pub mod render;
pub mod rng;
pub mod size;
pub mod stats;
pub mod suite;
pub mod text;
pub mod threads;
pub mod validate;
pub mod words;

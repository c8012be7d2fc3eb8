//! Suites: named sets of corpora built into one folder, for fixture
//! scripts and CI caches. Each corpus lands in its own subfolder; an
//! identical corpus already there is left alone, so a second run builds
//! nothing.

use crate::generate::{generate, GenError, Progress, Summary};
use crate::plan::Params;
use crate::profile::{Profile, ProfileError};
use crate::size::ByteSize;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Built-in suites, embedded from `suites/*.toml`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("ladder", include_str!("../suites/ladder.toml")),
    ("ladder-xl", include_str!("../suites/ladder-xl.toml")),
];

/// A suite file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    /// Suite name.
    pub name: String,
    /// One line on what it is for.
    #[serde(default)]
    pub description: String,
    /// The corpora, built in this order.
    pub corpus: Vec<SuiteCorpus>,
}

/// One corpus of a suite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuiteCorpus {
    /// Subfolder name (letters, digits, `-`, `_`, `.`).
    #[serde(deserialize_with = "checked_name")]
    pub name: String,
    /// Profile: built-in name or path (relative to the suite file).
    #[serde(default = "default_profile")]
    pub profile: String,
    /// Total size, as for `--size`.
    #[serde(deserialize_with = "checked_size")]
    pub size: String,
    /// File count override, as for `--files`.
    #[serde(default)]
    pub files: Option<u64>,
    /// Seed.
    #[serde(default)]
    pub seed: u64,
    /// Dialect, as for `--dialect` (default: the profile's).
    #[serde(default)]
    pub dialect: Option<crate::dialect::Dialect>,
    /// The revision of its edit history, as for `--revision`.
    #[serde(default)]
    pub revision: u64,
    /// A range of revisions `[first, last]`: one corpus per revision, each
    /// in `NAME-rK` (instead of `revision`).
    #[serde(default)]
    pub revisions: Option<[u64; 2]>,
}

fn default_profile() -> String {
    "default".into()
}

// Values are checked while the TOML is read, not after: the parser then
// knows where the value is, and the error names the file, the line and
// the key, as a profile's do.

/// A corpus name that is a single, plain folder name.
fn checked_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let name = String::deserialize(d)?;
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.'));
    if !ok {
        return Err(serde::de::Error::custom(format!(
            "corpus name `{name}` must be letters, digits, `-`, `_` or `.`, not starting with `.`"
        )));
    }
    Ok(name)
}

/// A size that parses, kept as written.
fn checked_size<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let size = String::deserialize(d)?;
    size.parse::<ByteSize>().map_err(serde::de::Error::custom)?;
    Ok(size)
}

/// A suite that cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    /// Unknown name, unreadable or invalid file.
    #[error("{0}")]
    Load(String),
    /// A corpus's profile.
    #[error("suite corpus `{corpus}`: {source}")]
    Profile {
        /// Corpus name.
        corpus: String,
        /// The profile error.
        source: ProfileError,
    },
    /// Generation of one corpus failed.
    #[error("suite corpus `{corpus}`: {source}")]
    Gen {
        /// Corpus name.
        corpus: String,
        /// The error.
        source: GenError,
    },
}

impl SuiteError {
    /// A suite or profile that cannot be loaded is the request's; a corpus
    /// that failed has the class of its failure.
    pub fn class(&self) -> crate::error::ErrorClass {
        match self {
            SuiteError::Load(_) | SuiteError::Profile { .. } => crate::error::ErrorClass::Input,
            SuiteError::Gen { source, .. } => source.class(),
        }
    }
}

impl Suite {
    /// Names of the built-in suites.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }

    /// Load a built-in suite by name, or a suite TOML file. Returns the suite
    /// and the folder that relative profile paths are resolved against.
    pub fn load(name_or_path: &str) -> Result<(Suite, PathBuf), SuiteError> {
        if let Some((_, src)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
            return Ok((
                Self::parse(src, &format!("built-in suite `{name_or_path}`"))?,
                PathBuf::from("."),
            ));
        }
        let path = Path::new(name_or_path);
        let text = crate::bounded::read_limited(path, crate::profile::INPUT_LIMIT)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| "it is not UTF-8 text".to_string()))
            .map_err(|e| {
                SuiteError::Load(format!(
                    "suite `{name_or_path}` is not a built-in suite ({}) and cannot be read as a file: {e}",
                    Self::builtin_names().join(", ")
                ))
            })?;
        let base = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok((Self::parse(&text, &path.display().to_string())?, base))
    }

    fn parse(text: &str, origin: &str) -> Result<Suite, SuiteError> {
        let suite: Suite = toml::from_str(text)
            .map_err(|e| SuiteError::Load(Profile::toml_error_in(origin, text, &e)))?;
        if suite.corpus.is_empty() {
            return Err(SuiteError::Load(format!(
                "{origin}: the suite lists no [[corpus]]"
            )));
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &suite.corpus {
            if !seen.insert(c.name.clone()) {
                return Err(SuiteError::Load(format!(
                    "{origin}: corpus name `{}` appears twice",
                    c.name
                )));
            }
        }
        Ok(suite)
    }

    /// The parameters of every corpus, in order.
    pub fn params(&self, base: &Path) -> Result<Vec<(String, Params)>, SuiteError> {
        self.corpus
            .iter()
            .map(|c| {
                let size: ByteSize = c
                    .size
                    .parse()
                    .map_err(|e| SuiteError::Load(format!("suite corpus `{}`: {e}", c.name)))?;
                let profile = if Profile::builtin_source(&c.profile).is_some() {
                    Profile::load_as(&c.profile, c.dialect)
                } else {
                    Profile::load_as(&base.join(&c.profile).to_string_lossy(), c.dialect)
                }
                .map_err(|source| SuiteError::Profile {
                    corpus: c.name.clone(),
                    source,
                })?;
                let mut params = Params::new(profile, size.0, c.seed, c.files);
                let range = match c.revisions {
                    None => {
                        params.revision = c.revision;
                        return Ok(vec![(c.name.clone(), params)]);
                    }
                    Some([a, b]) if a <= b && b - a < 1000 && c.revision == 0 => a..=b,
                    Some([a, b]) => {
                        return Err(SuiteError::Load(format!(
                            "suite corpus `{}`: revisions = [{a}, {b}] must be a range [first, last] of at most 1000 revisions, without `revision`",
                            c.name
                        )))
                    }
                };
                Ok(range
                    .map(|k| {
                        let mut p = params.clone();
                        p.revision = k;
                        (format!("{}-r{k}", c.name), p)
                    })
                    .collect())
            })
            .collect::<Result<Vec<Vec<_>>, _>>()
            .map(|v| v.into_iter().flatten().collect())
    }
}

/// The cache key of a whole suite: changes when any corpus's would.
pub fn key(corpora: &[(String, Params)]) -> String {
    let mut h = blake3::Hasher::new();
    for (name, p) in corpora {
        h.update(name.as_bytes());
        h.update(b"\0");
        h.update(crate::manifest::key(p).as_bytes());
        h.update(b"\n");
    }
    h.finalize().to_hex()[..16].to_string()
}

/// Build every corpus of a suite under `out`, each in `out/NAME`, as `gen`
/// would: corpora already up to date are left alone, missing (or damaged)
/// ones are built, and a subfolder holding a different corpus (other
/// parameters) is replaced only with `force`; without it the build stops
/// there with `gen`'s error ([`crate::output::OutputError::Different`]).
/// `each` is called before each corpus with its name and position.
pub fn build(
    corpora: &[(String, Params)],
    out: &Path,
    jobs: usize,
    validate: bool,
    force: bool,
    each: &mut dyn FnMut(&str, usize, usize),
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<(String, Summary)>, SuiteError> {
    let mut done = Vec::new();
    for (k, (name, params)) in corpora.iter().enumerate() {
        each(name, k + 1, corpora.len());
        let mut opts = crate::revise::gen_options(params.clone(), out.join(name));
        opts.jobs = jobs;
        opts.validate = validate;
        // As for `gen`: a corpus is only replaced on request, and forcing
        // still only ever replaces a folder holding this tool's manifest.
        opts.force = force;
        let summary = generate(&opts, progress).map_err(|source| SuiteError::Gen {
            corpus: name.clone(),
            source,
        })?;
        done.push((name.clone(), summary));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_suites_load() {
        for name in Suite::builtin_names() {
            let (s, base) = Suite::load(name).unwrap();
            assert_eq!(s.name, name);
            assert!(s.params(&base).unwrap().len() >= 8);
        }
    }

    #[test]
    fn suite_key_changes_with_any_corpus() {
        let (s, base) = Suite::load("ladder").unwrap();
        let a = s.params(&base).unwrap();
        let mut b = a.clone();
        b[3].1.seed += 1;
        assert_eq!(key(&a), key(&a.clone()));
        assert_ne!(key(&a), key(&b));
    }
}

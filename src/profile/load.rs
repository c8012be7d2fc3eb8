//! Loading profiles (built-in names, files, TOML text) and writing them
//! back as TOML.

use super::*;

/// The largest profile or suite file read: far above any real one, and a
/// bound on `--profile /dev/zero`.
pub(crate) const INPUT_LIMIT: u64 = 1 << 20;

impl Profile {
    /// Names of the built-in profiles.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }

    /// The TOML source of a built-in profile.
    pub fn builtin_source(name: &str) -> Option<&'static str> {
        BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// Load a built-in profile by name, or else a TOML file by path.
    pub fn load(name_or_path: &str) -> Result<Profile, ProfileError> {
        Self::load_as(name_or_path, None)
    }

    /// [`Profile::load`], converted to `dialect` (see
    /// [`Profile::with_dialect`]) before its values are checked, so a
    /// profile written for one dialect can be generated in another.
    pub fn load_as(name_or_path: &str, dialect: Option<Dialect>) -> Result<Profile, ProfileError> {
        Self::load_for(name_or_path, dialect, None)
    }

    /// [`Profile::load_as`], laid out as `site` (see [`Profile::with_site`]),
    /// or as the site the profile itself names (`site = "..."`), before its
    /// values are checked.
    pub fn load_for(
        name_or_path: &str,
        dialect: Option<Dialect>,
        site: Option<Site>,
    ) -> Result<Profile, ProfileError> {
        if let Some(src) = Self::builtin_source(name_or_path) {
            let origin = format!("built-in profile `{name_or_path}`");
            return Self::from_toml_as(src, &origin, dialect, site);
        }
        let path = Path::new(name_or_path);
        if !path.exists() {
            let hint = nearest(name_or_path, &Self::builtin_names())
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            return Err(ProfileError::NotFound {
                name: name_or_path.to_string(),
                builtins: Self::builtin_names().join(", "),
                hint,
            });
        }
        Self::from_file_as(path, dialect, site)
    }

    /// Load a profile file.
    pub fn from_file(path: &Path) -> Result<Profile, ProfileError> {
        Self::from_file_as(path, None, None)
    }

    fn from_file_as(
        path: &Path,
        dialect: Option<Dialect>,
        site: Option<Site>,
    ) -> Result<Profile, ProfileError> {
        let read_err = |reason: String| ProfileError::Read {
            path: path.to_path_buf(),
            reason,
            source: None,
        };
        if path.is_dir() {
            return Err(read_err(
                "it is a directory; pass a .toml profile file".into(),
            ));
        }
        let bytes =
            crate::bounded::read_limited(path, INPUT_LIMIT).map_err(|e| ProfileError::Read {
                path: path.to_path_buf(),
                reason: e.to_string(),
                source: Some(e),
            })?;
        let text = String::from_utf8(bytes)
            .map_err(|e| read_err(format!("it is not UTF-8 text ({e})")))?;
        let mut profile = Self::from_toml_as(&text, &path.display().to_string(), dialect, site)?;
        let named = text
            .parse::<toml::Table>()
            .is_ok_and(|t| t.contains_key("name"));
        if !named {
            // Unnamed: name it after the file, not `default`, so its output
            // folder never looks like the built-in's.
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let clean = name_chars(&stem);
            profile.name = if clean.is_empty() {
                "custom".into()
            } else {
                clean
            };
        }
        Ok(profile)
    }

    /// Parse and check profile TOML; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Profile, ProfileError> {
        Self::from_toml_as(text, origin, None, None)
    }

    fn from_toml_as(
        text: &str,
        origin: &str,
        dialect: Option<Dialect>,
        site: Option<Site>,
    ) -> Result<Profile, ProfileError> {
        let mut profile: Profile = toml::from_str(text).map_err(|e| ProfileError::Parse {
            origin: origin.to_string(),
            message: one_line_toml_error(&e, text),
        })?;
        if !profile.dialect.is_noet() {
            // The keys a file leaves out take the defaults of its dialect
            // (the default profile passed through `with_dialect`), not
            // noet's: `dialect = "gfm"` alone must not inherit wikilinks.
            profile = Self::over_dialect_defaults(text, profile.dialect);
        }
        if let Some(d) = dialect {
            profile = profile.with_dialect(d);
        }
        if let Some(site) = site.or(profile.site) {
            // A site is written in gfm: a profile of another dialect is
            // converted, unless the dialect was asked for by name.
            let named = dialect.or_else(|| (!profile.dialect.is_noet()).then_some(profile.dialect));
            if let Some(d) = named.filter(|d| *d != Dialect::Gfm) {
                return Err(ProfileError::Invalid {
                    origin: origin.to_string(),
                    line: super::check::find_key_line(text, "", "dialect"),
                    key: "dialect".into(),
                    problem: if dialect.is_some() {
                        format!("is asked for as {d}, but a `{site}` site is written in the gfm dialect; ask for no dialect (the site converts the profile to gfm), or gfm")
                    } else {
                        format!("is {d}, but a `{site}` site is written in the gfm dialect; leave the dialect out (the site converts the profile to gfm) or set it to gfm")
                    },
                });
            }
            profile = profile.with_site(site);
        }
        profile.check(text, origin)?;
        Ok(profile)
    }

    fn over_dialect_defaults(text: &str, d: Dialect) -> Profile {
        fn merge(base: &mut toml::Table, over: toml::Table) {
            for (k, v) in over {
                match (base.get_mut(&k), v) {
                    (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
                    (_, v) => {
                        base.insert(k, v);
                    }
                }
            }
        }
        let base = Profile::default().with_dialect(d);
        let mut table = toml::Table::try_from(&base).expect("a profile always serialises");
        let over: toml::Table = toml::from_str(text).expect("parsed once already");
        merge(&mut table, over);
        table
            .try_into()
            .expect("the same keys and types parsed once already")
    }

    /// The profile as canonical TOML, every key present.
    pub fn to_toml(&self) -> String {
        let mut text = toml::to_string(self).expect("a profile always serialises");
        if !self.dialect.is_noet() {
            // A key left out of a file with a dialect takes that dialect's
            // default, which for the Obsidian kinds is not 0: write the
            // zeros that serialisation skips, so the text reads back equal.
            let k = &self.references.kinds;
            let zeros: String = k
                .iter()
                .filter(|(kind, v)| kind.obsidian_only() && **v == 0.0)
                .map(|(kind, _)| format!("{} = 0.0\n", kind.name()))
                .collect();
            let head = "[references.kinds]\n";
            if let Some(start) = text.find(head) {
                let body = start + head.len();
                let end = text[body..]
                    .find("\n\n")
                    .map_or(text.len(), |e| body + e + 1);
                text.insert_str(end, &zeros);
            }
        }
        text
    }
}

impl Profile {
    /// A TOML error in another input this tool reads (a suite file), said
    /// the way profile values are: `ORIGIN:LINE: `KEY`: MESSAGE`, with the
    /// line and key found as for a profile's own syntax errors.
    pub(crate) fn toml_error_in(origin: &str, text: &str, e: &toml::de::Error) -> String {
        let at = super::check::toml_error_at(e, text);
        match (at.line, at.key) {
            (Some((line, _)), Some(key)) => format!("{origin}:{line}: `{key}`: {}", at.message),
            (Some((line, col)), None) => format!("{origin}:{line}:{col}: {}", at.message),
            (None, _) => format!("{origin}: {}", at.message),
        }
    }
}

/// The name in `names` closest to `typed` (case-insensitive edit distance,
/// with a swap of two neighbours one edit), if it is close enough to be
/// what was meant: at most a third of its length away.
fn nearest<'a>(typed: &str, names: &[&'a str]) -> Option<&'a str> {
    let t: Vec<char> = typed.to_lowercase().chars().collect();
    names
        .iter()
        .map(|n| (distance(&t, &n.chars().collect::<Vec<_>>()), *n))
        .filter(|(d, n)| *d > 0 && *d * 3 <= n.len().max(3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Optimal string alignment distance between `a` and `b`.
fn distance(a: &[char], b: &[char]) -> usize {
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * w + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod suggestion_tests {
    use super::*;

    #[test]
    fn a_typo_suggests_the_builtin_meant() {
        let names = Profile::builtin_names();
        assert_eq!(nearest("defualt", &names), Some("default"));
        assert_eq!(nearest("Realistc", &names), Some("realistic"));
        assert_eq!(nearest("vualt", &names), Some("vault"));
        assert_eq!(nearest("my-own-profile.toml", &names), None);
        let err = Profile::load("defualt").unwrap_err().to_string();
        assert!(err.contains("did you mean `default`?"), "{err}");
    }
}

//! Range checks of every profile value, and the line numbers that make
//! their errors point at the file, the line and the key.

use super::{Profile, ProfileError};
use crate::dialect::Dialect;
use crate::record::{BlockKind, LinkKind};

impl Profile {
    /// Whether every value is in range, for a profile that comes without
    /// its TOML source (as recorded in a manifest).
    pub fn is_valid(&self) -> bool {
        self.check("", "").is_ok()
    }

    /// Check every value's range. `text` is the source, used to find the
    /// line of an offending key.
    pub(super) fn check(&self, text: &str, origin: &str) -> Result<(), ProfileError> {
        let bad = |section: &str, key: &str, problem: String| ProfileError::Invalid {
            origin: origin.to_string(),
            line: find_key_line(text, section, key),
            key: if section.is_empty() {
                key.to_string()
            } else {
                format!("{section}.{key}")
            },
            problem,
        };
        let share = |section: &str, key: &str, v: f64| {
            if v.is_finite() && (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(bad(
                    section,
                    key,
                    format!("is {v}; it must be a share between 0 and 1"),
                ))
            }
        };
        // A number within [lo, hi], said with the bounds a person wrote.
        let between = |section: &str, key: &str, v: f64, lo: f64, hi: f64| {
            if v.is_finite() && (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(bad(
                    section,
                    key,
                    format!("is {v}; it must be between {lo} and {hi}"),
                ))
            }
        };
        let weight = |section: &str, key: &str, v: f64| {
            if v.is_finite() && (0.0..=1e9).contains(&v) {
                Ok(())
            } else {
                Err(bad(
                    section,
                    key,
                    format!("is {v}; weights must be finite and >= 0"),
                ))
            }
        };
        let l = &self.layout;
        if !(l.file_size_median.is_finite()
            && l.file_size_median >= 64.0
            && l.file_size_median <= 1e9)
        {
            return Err(bad(
                "layout",
                "file_size_median",
                format!(
                    "is {}; it must be between 64 and 1e9 bytes",
                    l.file_size_median
                ),
            ));
        }
        between("layout", "file_size_sigma", l.file_size_sigma, 0.0, 4.0)?;
        if l.file_size_min < 64 {
            return Err(bad(
                "layout",
                "file_size_min",
                format!("is {}; it must be at least 64 bytes", l.file_size_min),
            ));
        }
        if l.file_size_min > l.file_size_max {
            return Err(bad(
                "layout",
                "file_size_min",
                format!(
                    "({}) is above file_size_max ({}); make min <= max",
                    l.file_size_min, l.file_size_max
                ),
            ));
        }
        if l.files_per_folder == 0 || l.files_per_folder > 60_000 {
            return Err(bad(
                "layout",
                "files_per_folder",
                format!("is {}; it must be between 1 and 60000", l.files_per_folder),
            ));
        }
        if l.fanout == 0 || l.fanout > 1000 {
            return Err(bad(
                "layout",
                "fanout",
                format!("is {}; it must be between 1 and 1000", l.fanout),
            ));
        }
        share("layout", "network_share", l.network_share)?;
        share("layout", "stub_share", l.stub_share)?;
        if !(64..=100_000).contains(&l.stub_bytes_max) {
            return Err(bad(
                "layout",
                "stub_bytes_max",
                format!("is {}; it must be between 64 and 100000", l.stub_bytes_max),
            ));
        }
        if l.assets > 100_000 {
            return Err(bad(
                "layout",
                "assets",
                format!("is {}; at most 100000", l.assets),
            ));
        }
        let (lo, hi) = (super::ASSET_BYTES_MIN, super::ASSET_BYTES_MAX);
        if !(l.asset_bytes_median.is_finite()
            && (lo as f64..=hi as f64).contains(&l.asset_bytes_median))
        {
            return Err(bad(
                "layout",
                "asset_bytes_median",
                format!(
                    "is {}; it must be between {lo} and {hi} bytes",
                    l.asset_bytes_median
                ),
            ));
        }
        between("layout", "asset_bytes_sigma", l.asset_bytes_sigma, 0.0, 3.0)?;
        share("layout", "svg_share", l.svg_share)?;
        let v = &self.revisions;
        between(
            "revisions",
            "edits_per_revision",
            v.edits_per_revision,
            1.0,
            1000.0,
        )?;
        between("revisions", "hot_exponent", v.hot_exponent, 0.0, 4.0)?;
        share("revisions", "follow_share", v.follow_share)?;
        for (key, w) in [
            ("paragraph", v.paragraph),
            ("add_reference", v.add_reference),
            ("remove_reference", v.remove_reference),
            ("rename_heading", v.rename_heading),
            ("add_file", v.add_file),
            ("delete_file", v.delete_file),
            ("move_file", v.move_file),
            ("front_matter", v.front_matter),
            ("move_section", v.move_section),
        ] {
            weight("revisions", key, w)?;
        }
        if v.paragraph
            + v.add_reference
            + v.remove_reference
            + v.rename_heading
            + v.add_file
            + v.delete_file
            + v.move_file
            + v.front_matter
            + v.move_section
            <= 0.0
        {
            return Err(bad(
                "revisions",
                "paragraph",
                "and every other edit weight are 0; give at least one edit kind a weight".into(),
            ));
        }
        let f = &self.front_matter;
        share("front_matter", "share", f.share)?;
        share("front_matter", "alias_share", f.alias_share)?;
        between("front_matter", "properties", f.properties, 0.0, 12.0)?;
        weight("front_matter", "toml", f.toml)?;
        weight("front_matter", "yaml", f.yaml)?;
        weight("front_matter", "json", f.json)?;
        if f.toml + f.yaml + f.json <= 0.0 {
            return Err(bad(
                "front_matter",
                "toml",
                "toml, yaml and json weights sum to 0; give at least one a positive weight".into(),
            ));
        }
        for (k, &v) in self.mix.iter() {
            weight("mix", k.name(), v)?;
        }
        if self.mix[BlockKind::Paragraph] <= 0.0 {
            return Err(bad(
                "mix",
                "paragraph",
                "must be positive: paragraphs fill each file to its exact size".into(),
            ));
        }
        let h = &self.headings;
        between("headings", "per_kb", h.per_kb, 0.0, 50.0)?;
        if !(2..=6).contains(&h.max_level) {
            return Err(bad(
                "headings",
                "max_level",
                format!("is {}; it must be between 2 and 6", h.max_level),
            ));
        }
        share("headings", "explicit_id_share", h.explicit_id_share)?;
        share("headings", "generic_share", h.generic_share)?;
        share("headings", "code_share", h.code_share)?;
        let r = &self.references;
        for (k, v) in [("per_kb_min", r.per_kb_min), ("per_kb_max", r.per_kb_max)] {
            if !(v.is_finite() && (0.0..=40.0).contains(&v)) {
                return Err(bad(
                    "references",
                    k,
                    format!("is {v}; it must be between 0 and 40"),
                ));
            }
        }
        if r.per_kb_min > r.per_kb_max {
            return Err(bad(
                "references",
                "per_kb_min",
                format!(
                    "({}) is above per_kb_max ({}); make min <= max",
                    r.per_kb_min, r.per_kb_max
                ),
            ));
        }
        between("references", "density_skew", r.density_skew, 0.1, 10.0)?;
        for (k, v) in [
            ("list_multiplier", r.list_multiplier),
            ("table_multiplier", r.table_multiplier),
        ] {
            if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
                return Err(bad(
                    "references",
                    k,
                    format!("is {v}; it must be between 0 and 10"),
                ));
            }
        }
        between("references", "hub_exponent", r.hub_exponent, 0.0, 4.0)?;
        share("references", "chain_share", r.chain_share)?;
        if !(2..=1000).contains(&r.chain_length) {
            return Err(bad(
                "references",
                "chain_length",
                format!("is {}; it must be between 2 and 1000", r.chain_length),
            ));
        }
        share("references", "collision_share", r.collision_share)?;
        share("references", "broken_share", r.broken_share)?;
        share("references", "definition_external", r.definition_external)?;
        share("references", "shortcode_share", r.shortcode_share)?;
        if r.shortcode_share > 0.0 && self.site != Some(crate::site::Site::Hugo) {
            let what = match self.site {
                Some(s) => format!("a `{s}` site"),
                None => "a corpus that is no site".to_string(),
            };
            return Err(bad(
                "references",
                "shortcode_share",
                format!(
                    "is {}, but only Hugo reads `relref` shortcodes; set it to 0 for {what}, or generate a Hugo site (`--site hugo`, or `site = \"hugo\"` in the profile)",
                    r.shortcode_share
                ),
            ));
        }
        share("references", "definition_reuse", r.definition_reuse)?;
        share("references", "orphan_share", r.orphan_share)?;
        if r.orphan_share > 0.95 {
            return Err(bad(
                "references",
                "orphan_share",
                format!(
                    "is {}; at most 0.95, so that references have targets",
                    r.orphan_share
                ),
            ));
        }
        for (k, &v) in r.kinds.iter() {
            weight("references.kinds", k.name(), v)?;
        }
        let d = self.dialect;
        for (kind, &v) in r.kinds.iter() {
            if v > 0.0 && !kind.written_in(d) {
                return Err(bad(
                    "references.kinds",
                    kind.name(),
                    format!("is {v}, but the {d} dialect has no such references; set it to 0, or choose a dialect that has them (`dialect = \"NAME\"` in the profile), or convert the profile to the {d} dialect, which moves every weight it lacks to its nearest form"),
                ));
            }
        }
        // A loaded profile is converted to its site (`Profile::load_for`);
        // these hold for one built by hand too.
        if let Some(site) = self.site {
            if d != Dialect::Gfm {
                return Err(bad(
                    "",
                    "site",
                    format!("is `{site}`, which is written in the gfm dialect, but the profile's dialect is {d}; convert it with `Profile::with_site`"),
                ));
            }
            let abs = r.kinds[LinkKind::Absolute];
            if abs > 0.0 {
                return Err(bad(
                    "references.kinds",
                    "absolute",
                    format!("is {abs}, but `{site}` does not resolve root-absolute paths to pages; set it to 0 (`Profile::with_site` gives its weight to relative paths)"),
                ));
            }
        }
        let dl = self.mix[BlockKind::DefinitionList];
        if !d.definition_lists() && dl > 0.0 {
            return Err(bad(
                "mix",
                "definition_list",
                format!(
                    "is {}, but the {d} dialect has no definition lists; set it to 0",
                    dl
                ),
            ));
        }
        if !d.heading_attributes() && self.headings.explicit_id_share > 0.0 {
            return Err(bad(
                "headings",
                "explicit_id_share",
                format!(
                    "is {}, but the {d} dialect has no `{{#id}}` heading attributes; set it to 0",
                    self.headings.explicit_id_share
                ),
            ));
        }
        if let Some(a) = r
            .avoid
            .iter()
            .find(|a| !super::AVOIDABLE.contains(&a.as_str()))
        {
            return Err(bad(
                "references",
                "avoid",
                format!(
                    "names `{a}`, which is not a construct it can leave out; use any of {}",
                    super::AVOIDABLE.join(", ")
                ),
            ));
        }
        if r.per_kb_max > 0.0 && r.kinds.sum() <= 0.0 {
            return Err(bad("references.kinds", "wikilink", "all reference kind weights are 0 while per_kb_max > 0; give a kind a positive weight or set per_kb_max = 0".into()));
        }
        let t = &self.text;
        weight("text", "word_exponent", t.word_exponent)?;
        if t.word_exponent > 4.0 {
            return Err(bad(
                "text",
                "word_exponent",
                format!("is {}; at most 4", t.word_exponent),
            ));
        }
        if !(t.lexicon_exponent > 0.0 && t.lexicon_exponent <= 4.0) {
            return Err(bad(
                "text",
                "lexicon_exponent",
                format!(
                    "is {}; it must be above 0 and at most 4",
                    t.lexicon_exponent
                ),
            ));
        }
        if !(1.1..=4.0).contains(&t.lexicon_tail_exponent) {
            return Err(bad(
                "text",
                "lexicon_tail_exponent",
                format!(
                    "is {}; it must be between 1.1 and 4 (lower grows the vocabulary faster)",
                    t.lexicon_tail_exponent
                ),
            ));
        }
        if !(0.25..=3.0).contains(&t.function_words) {
            return Err(bad(
                "text",
                "function_words",
                format!(
                    "is {}; it must be between 0.25 and 3 (1 is the grammar's own rate)",
                    t.function_words
                ),
            ));
        }
        if !(100..=100_000).contains(&t.lexicon_head) {
            return Err(bad(
                "text",
                "lexicon_head",
                format!("is {}; it must be between 100 and 100000", t.lexicon_head),
            ));
        }
        if !(4..=2000).contains(&t.paragraph_words) {
            return Err(bad(
                "text",
                "paragraph_words",
                format!("is {}; it must be between 4 and 2000", t.paragraph_words),
            ));
        }
        if t.wrap != 0 && !(30..=10_000).contains(&t.wrap) {
            return Err(bad(
                "text",
                "wrap",
                format!("is {}; use 0 (no wrapping) or 30..10000", t.wrap),
            ));
        }
        share("text", "inline_markup", t.inline_markup)?;
        if !(1..=100).contains(&t.list_items_max) {
            return Err(bad(
                "text",
                "list_items_max",
                format!("is {}; it must be between 1 and 100", t.list_items_max),
            ));
        }
        if !(1..=8).contains(&t.list_depth_max) {
            return Err(bad(
                "text",
                "list_depth_max",
                format!("is {}; it must be between 1 and 8", t.list_depth_max),
            ));
        }
        share("text", "task_list_share", t.task_list_share)?;
        share("text", "ordered_list_share", t.ordered_list_share)?;
        if !(1..=1000).contains(&t.code_lines_max) {
            return Err(bad(
                "text",
                "code_lines_max",
                format!("is {}; it must be between 1 and 1000", t.code_lines_max),
            ));
        }
        between(
            "text",
            "code_lines_median",
            t.code_lines_median,
            1.0,
            1000.0,
        )?;
        between("text", "code_lines_sigma", t.code_lines_sigma, 0.0, 3.0)?;
        if !(1..=1000).contains(&t.table_rows_max) {
            return Err(bad(
                "text",
                "table_rows_max",
                format!("is {}; it must be between 1 and 1000", t.table_rows_max),
            ));
        }
        share("text", "callout_share", t.callout_share)?;
        between("text", "long_words", t.long_words, 0.0, 3.0)?;
        between("text", "tags_per_kb", t.tags_per_kb, 0.0, 20.0)?;
        between("text", "paragraph_sigma", t.paragraph_sigma, 0.0, 2.0)?;
        between("text", "footnotes_per_kb", t.footnotes_per_kb, 0.0, 5.0)?;
        if self.name.is_empty()
            || !self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad(
                "",
                "name",
                format!(
                    "is `{}`; use letters, digits, `-` and `_` only (it names folders)",
                    self.name
                ),
            ));
        }
        Ok(())
    }
}

/// Squash toml's multi-line diagnostic into `line N, column M: message`.
pub(super) fn one_line_toml_error(e: &toml::de::Error, text: &str) -> String {
    let at = toml_error_at(e, text);
    let msg = at.message;
    match at.line {
        Some((line, col)) => match at.key {
            Some(key) => format!("line {line}, column {col}, key `{key}`: {msg}"),
            None => format!("line {line}, column {col}: {msg}"),
        },
        None => msg,
    }
}

/// A TOML error's parts: the one-line message, the 1-based line and
/// column, and the dotted key assigned on that line. Apart from
/// [`one_line_toml_error`]'s wording, so that other TOML inputs (suite
/// files) find the line and key the same way.
pub(super) struct TomlErrorAt {
    /// The parser's message on one line.
    pub(super) message: String,
    /// Line and column, if the error has a place.
    pub(super) line: Option<(usize, usize)>,
    /// The key assigned on that line, if any.
    pub(super) key: Option<String>,
}

/// Where `e` is in `text`.
pub(super) fn toml_error_at(e: &toml::de::Error, text: &str) -> TomlErrorAt {
    let message = e.message().trim().replace('\n', " ");
    let Some(span) = e.span() else {
        return TomlErrorAt {
            message,
            line: None,
            key: None,
        };
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
    TomlErrorAt {
        message,
        line: Some((line, col)),
        key: key_at_line(text, line),
    }
}

/// The dotted key (`layout.fanout`) assigned on 1-based `line`, if any.
fn key_at_line(text: &str, line: usize) -> Option<String> {
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.starts_with('[') {
            section = l.trim_matches(|c| c == '[' || c == ']').trim().to_string();
        }
        if i + 1 == line {
            if l.starts_with('[') {
                return Some(section);
            }
            let (k, _) = l.split_once('=')?;
            let k = k.trim().trim_matches('"');
            return Some(if section.is_empty() {
                k.to_string()
            } else {
                format!("{section}.{k}")
            });
        }
    }
    None
}

/// The 1-based line where `key` is set inside `[section]` (0 if absent:
/// the value came from a default).
pub(super) fn find_key_line(text: &str, section: &str, key: &str) -> usize {
    let mut current = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            current = line
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
            continue;
        }
        if let Some((k, _)) = line.split_once('=') {
            let k = k.trim().trim_matches('"');
            let full = if current.is_empty() {
                k.to_string()
            } else {
                format!("{current}.{k}")
            };
            let want = if section.is_empty() {
                key.to_string()
            } else {
                format!("{section}.{key}")
            };
            if full == want {
                return i + 1;
            }
        }
    }
    0
}

//! Does a code block parse in its language? Checked in process for the
//! languages a Rust crate parses; the others need their interpreter.

/// Whether `body` parses as `lang` (a fence info string's first word, in
/// any case: `json`, `yaml`/`yml`, `toml`, `rust`/`rs`): `Some(valid)` for
/// those languages, `None` for every other, which this crate cannot check.
///
/// JSON must be one value (`serde_json`), TOML one document, YAML a stream
/// of documents with no duplicate mapping keys, Rust a file of items
/// (`syn::parse_file`, so statements must sit inside functions).
pub fn parses(lang: &str, body: &str) -> Option<bool> {
    let lang = lang.split_ascii_whitespace().next().unwrap_or("");
    let lang = lang.to_ascii_lowercase();
    Some(match lang.as_str() {
        "json" => serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok(),
        "toml" => body.parse::<toml::Table>().is_ok(),
        "yaml" | "yml" => yaml_rust2::YamlLoader::load_from_str(body).is_ok(),
        "rust" | "rs" => syn::parse_file(body).is_ok(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::parses;

    #[test]
    fn tells_valid_from_invalid() {
        for (lang, good, bad) in [
            ("json", "{\"a\": [1, 2]}", "{\"a\": [1, 2],}"),
            ("toml", "a = 1\n[b]\nc = \"x\"\n", "a = 1\na = 2\n"),
            ("yaml", "a:\n  - b\n  - c\n", "a: 1\na: 2\n"),
            ("rust", "fn f() { let x = 1; }\n", "fn f() { let x = 1;\n"),
            ("Rust ignore", "struct S;", "let x = 1;"),
        ] {
            assert_eq!(parses(lang, good), Some(true), "{lang}: {good}");
            assert_eq!(parses(lang, bad), Some(false), "{lang}: {bad}");
        }
        assert_eq!(parses("python", "x = 1"), None);
        assert_eq!(parses("", "x"), None);
    }
}

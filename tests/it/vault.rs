//! What vault notes carry beside their text: aliases that Obsidian resolves,
//! typed front-matter properties, inline `#tags`; all in the ground truth.

use crate::support::{assert_valid, gen_quiet, Sandbox};
use noet_corpus::dialect::Dialect;
use noet_corpus::record::LinkKind;
use noet_corpus::{documents, Params, Plan, Profile, Reader, Record};
use std::collections::{BTreeMap, BTreeSet};
use yaml_rust2::{Yaml, YamlLoader};

fn vault(dialect: Dialect) -> Plan {
    let p = Profile::load("vault").unwrap().with_dialect(dialect);
    Plan::new(Params::new(p, 300_000, 1, None)).unwrap()
}

/// The front matter of a markdown file, between its `---` lines.
fn front_matter(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).unwrap();
    let body = text.strip_prefix("---\n")?;
    Some(&body[..body.find("\n---\n")?])
}

#[test]
fn vault_front_matter_has_typed_properties_and_aliases() {
    let plan = vault(Dialect::Obsidian);
    let (mut dates, mut ints, mut bools, mut lists, mut aliased) = (0, 0, 0, 0, 0);
    for doc in documents(&plan) {
        let Some(fm) = front_matter(&doc.bytes) else {
            continue;
        };
        let y = &YamlLoader::load_from_str(fm).expect("front matter is YAML")[0];
        let is_date = |v: &Yaml| {
            v.as_str().is_some_and(|s| {
                s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-'
            })
        };
        dates += ["created", "updated"]
            .iter()
            .filter(|k| is_date(&y[**k]))
            .count();
        ints += ["priority", "order"]
            .iter()
            .filter(|k| y[**k].as_i64().is_some())
            .count();
        bools += ["draft", "reviewed"]
            .iter()
            .filter(|k| y[**k].as_bool().is_some())
            .count();
        lists += y["related"].as_vec().is_some() as usize;
        if let Some(a) = y["aliases"].as_vec() {
            // A note's alias is its title, which its file name is not.
            assert_eq!(a[0].as_str(), Some(doc.meta.title.as_str()));
            assert_eq!(doc.meta.alias.as_deref(), Some(doc.meta.title.as_str()));
            aliased += 1;
        }
    }
    assert!(
        dates > 10 && ints > 10 && bools > 10 && lists > 5,
        "{dates} {ints} {bools} {lists}"
    );
    assert!(aliased > 10, "{aliased} notes with aliases");
}

#[test]
fn obsidian_links_by_alias_resolve_to_the_note_that_lists_it() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("v");
    gen_quiet(
        &out,
        &[
            "--profile",
            "vault",
            "--dialect",
            "obsidian",
            "--size",
            "300KB",
        ],
    );
    assert_valid(&out, "an obsidian vault with aliases");
    let mut reader = Reader::open(&out).unwrap();
    let (mut aliases, mut links) = (BTreeMap::new(), Vec::new());
    let mut tags = BTreeSet::new();
    while let Some(r) = reader.next_record().unwrap() {
        match r {
            Record::File(f) => {
                for a in &f.aliases {
                    aliases.insert(a.clone(), f.path.clone());
                }
                tags.extend(f.tags.iter().cloned());
            }
            Record::Link(l) if l.kind == LinkKind::Wikilink => links.push(l),
            _ => {}
        }
    }
    let by_alias: Vec<_> = links
        .iter()
        .filter(|l| aliases.contains_key(&l.dest))
        .collect();
    assert!(by_alias.len() > 10, "{} links by alias", by_alias.len());
    for l in by_alias {
        assert_eq!(l.target.as_ref(), Some(&aliases[&l.dest]), "{l:?}");
    }
    // Inline tags are in the text and in the ground truth.
    let text: String = crate::support::files_under(&out)
        .iter()
        .filter(|p| p.ends_with(".md"))
        .map(|p| std::fs::read_to_string(out.join(p)).unwrap())
        .collect();
    let inline: Vec<_> = tags
        .iter()
        .filter(|t| text.contains(&format!(" #{t}")))
        .collect();
    assert!(inline.len() > 10, "{} inline tags", inline.len());
}

#[test]
fn toml_and_json_front_matter_keep_property_types() {
    let mut p = Profile::load("default").unwrap();
    p.front_matter.properties = 4.0;
    let plan = Plan::new(Params::new(p, 300_000, 2, None)).unwrap();
    let (mut toml_dates, mut json_ok) = (0, 0);
    for doc in documents(&plan) {
        let Some(fm) = front_matter(&doc.bytes) else {
            continue;
        };
        if fm.starts_with('{') {
            let v: serde_json::Value = serde_json::from_str(fm).expect("JSON front matter");
            json_ok += v.is_object() as usize;
        } else if fm.starts_with("title = ") {
            let v: toml::Table = fm.parse().expect("TOML front matter");
            toml_dates += matches!(v.get("created"), Some(toml::Value::Datetime(_))) as usize;
            if let Some(n) = v.get("priority") {
                assert!(n.is_integer(), "{fm}");
            }
        }
    }
    assert!(toml_dates > 5 && json_ok > 0, "{toml_dates} {json_ok}");
}

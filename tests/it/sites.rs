//! Site targets built by the real tools (issue #20): `gen --site mdbook`,
//! `--site mkdocs` and `--site hugo` corpora of every preset are built by
//! mdBook, MkDocs and Hugo as they are, and the built HTML is checked against the manifest:
//! - one page per document, at the URL the manifest gives it;
//! - every `<a href>` and `<img src>` inside the site lands on a file that
//!   exists and, with a fragment, on an element with that id, except the
//!   deliberate negatives: exactly as many failures in each page as the
//!   manifest lists negatives for it;
//! - every reference that must resolve is in its page's HTML, pointing at
//!   the URL (and fragment) the manifest says;
//! - MkDocs, which checks links itself, reports exactly the negatives;
//!   Hugo, through the corpus's link hook, each one whose target is missing.
//!
//! The tools come from `scripts/install-tools.sh` (under `target/tools`
//! or `$NOET_CORPUS_TOOLS`); with `NOET_CORPUS_REQUIRE_TOOLS` set, as
//! `.ci/run` sets it, a missing tool fails the test instead of skipping it.

use crate::support::{noet, tools, Sandbox, PRESETS};
use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The presets to build: every one, or those named (comma-separated) in
/// `$NOET_CORPUS_SITE_PRESETS`, to run one long case on its own.
fn presets() -> Vec<String> {
    match std::env::var("NOET_CORPUS_SITE_PRESETS") {
        Ok(list) => list.split(',').map(str::to_string).collect(),
        Err(_) => PRESETS.map(String::from).to_vec(),
    }
}

/// The tool's binary, when installed (a missing one fails the test when
/// tools are required).
fn tool(rel: &str) -> Option<PathBuf> {
    let path = tools().join(rel);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("NOET_CORPUS_REQUIRE_TOOLS").is_none(),
        "{} is not installed; run scripts/install-tools.sh",
        path.display()
    );
    eprintln!(
        "skipped: {} is not installed (scripts/install-tools.sh installs it)",
        path.display()
    );
    None
}

/// What the manifest says about one page.
#[derive(Default)]
struct Page {
    url: String,
    /// URLs (path from the site root, `#fragment`) its references must
    /// resolve to, with how many times each.
    resolves: BTreeMap<String, usize>,
    negatives: usize,
}

/// The manifest's pages, by source path.
fn pages(corpus: &Path) -> BTreeMap<String, Page> {
    let out = noet().arg("manifest").arg(corpus).output().unwrap();
    assert!(out.status.success());
    let mut pages = BTreeMap::new();
    let mut current = String::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        match v["type"].as_str() {
            Some("file") => {
                current = v["path"].as_str().unwrap().to_string();
                let url = v["url"]
                    .as_str()
                    .expect("a site's file has a url")
                    .to_string();
                pages.insert(
                    current.clone(),
                    Page {
                        url,
                        ..Page::default()
                    },
                );
            }
            Some("link") => {
                let p = pages.get_mut(&current).unwrap();
                if v.get("broken").is_some() {
                    p.negatives += 1;
                } else if let Some(u) = v["url"].as_str() {
                    *p.resolves.entry(u.to_string()).or_default() += 1;
                } else {
                    assert_eq!(v["external"], true, "{line}");
                }
            }
            _ => {}
        }
    }
    pages
}

/// `href` from the page at `page_url`, as a path from the site root and a
/// fragment; None for a URL with a scheme (outside the site).
fn resolve(page_url: &str, href: &str) -> Option<(String, String)> {
    if href.contains("://") || href.starts_with("mailto:") || href.starts_with("javascript:") {
        return None;
    }
    let (path, frag) = href.split_once('#').unwrap_or((href, ""));
    let base = match page_url.rfind('/') {
        Some(k) => &page_url[..=k],
        None => "",
    };
    let joined = if path.is_empty() {
        page_url.to_string()
    } else if let Some(abs) = path.strip_prefix('/') {
        abs.to_string()
    } else {
        format!("{base}{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    let last = joined.rsplit('/').next().unwrap_or("");
    if matches!(last, "" | "." | "..") && !out.is_empty() {
        out.push('/');
    }
    Some((out, frag.to_string()))
}

/// The HTML file that serves `url` in the built `site`.
fn served(site: &Path, url: &str) -> PathBuf {
    if url.is_empty() || url.ends_with('/') {
        site.join(url).join("index.html")
    } else {
        site.join(url)
    }
}

/// The ids of the elements of a built page (cached).
fn ids<'a>(cache: &'a mut HashMap<PathBuf, HashSet<String>>, file: &Path) -> &'a HashSet<String> {
    cache.entry(file.to_path_buf()).or_insert_with(|| {
        let html = Html::parse_document(&std::fs::read_to_string(file).unwrap());
        let any = Selector::parse("[id]").unwrap();
        html.select(&any)
            .filter_map(|e| e.value().attr("id"))
            .map(str::to_string)
            .collect()
    })
}

/// What the check of a built site found: the links that do not land (all
/// of them deliberate negatives), and of those the (page, href) pairs
/// whose target file is missing (not only its fragment).
struct Checked {
    failed: usize,
    no_target: HashSet<(String, String)>,
}

/// Check the built `site` of `corpus` against its manifest.
fn check_site(corpus: &Path, site: &Path) -> Checked {
    let pages = pages(corpus);
    assert!(!pages.is_empty());
    let links = Selector::parse("a[href], img[src]").unwrap();
    let mut cache = HashMap::new();
    let mut failed_total = 0;
    let mut no_target = HashSet::new();
    for (path, page) in &pages {
        let file = served(site, &page.url);
        assert!(file.is_file(), "{path}: no page at {}", file.display());
        let html = Html::parse_document(&std::fs::read_to_string(&file).unwrap());
        let mut found: BTreeMap<String, usize> = BTreeMap::new();
        let mut failed = Vec::new();
        // mdBook 0.5 writes each image twice (in the page and in its
        // zoomed copy, `span.img-wrapper`): the copy is not counted.
        let copies = Selector::parse("span.img-wrapper img").unwrap();
        let copy: HashSet<_> = html.select(&copies).map(|e| e.id()).collect();
        // The document's own references: links in the page's content
        // (`main`, MkDocs' `[role=main]`), less what the tool adds there
        // itself (mdBook's heading self-links, footnote marks and their
        // back-references, raw HTML figures).
        let added = Selector::parse(
            "a.header, a.footnote-ref, a.footnote-backref, sup a, figure img, \
             a[href^='#fr-']",
        )
        .unwrap();
        let added: HashSet<_> = html.select(&added).map(|e| e.id()).collect();
        let body = Selector::parse(
            "main a[href], main img[src], [role=main] a[href], [role=main] img[src]",
        )
        .unwrap();
        let own: HashSet<_> = html
            .select(&body)
            .map(|e| e.id())
            .filter(|id| !added.contains(id))
            .collect();
        for e in html.select(&links).filter(|e| !copy.contains(&e.id())) {
            let href = e.value().attr("href").or(e.value().attr("src")).unwrap();
            let Some((to, frag)) = resolve(&page.url, href) else {
                continue;
            };
            let target = served(site, &to);
            let lands =
                target.is_file() && (frag.is_empty() || ids(&mut cache, &target).contains(&frag));
            if lands {
                if !own.contains(&e.id()) {
                    continue;
                }
                let url = if frag.is_empty() {
                    to
                } else {
                    format!("{to}#{frag}")
                };
                *found.entry(url).or_default() += 1;
            } else {
                if !target.is_file() {
                    no_target.insert((path.clone(), href.to_string()));
                }
                failed.push(href.to_string());
            }
        }
        assert_eq!(
            failed.len(),
            page.negatives,
            "{path} ({}): links that do not land: {failed:?}",
            page.url
        );
        // Exactly the references that must resolve, each where the
        // manifest says: none lost, none extra, none elsewhere.
        if found != page.resolves {
            let differ: Vec<String> = page
                .resolves
                .keys()
                .chain(found.keys())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .filter(|u| page.resolves.get(*u) != found.get(*u))
                .map(|u| {
                    format!(
                        "{u}: manifest {:?}, HTML {:?}",
                        page.resolves.get(u),
                        found.get(u)
                    )
                })
                .collect();
            panic!(
                "{path} ({}): references that differ:\n{}",
                page.url,
                differ.join("\n")
            );
        }
        failed_total += failed.len();
    }
    // One page per document: the tool made no other pages of the content.
    let own = ["404.html", "print.html", "toc.html"];
    let mut built = 0;
    let mut stack = vec![site.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html")
                && !(d == site && own.iter().any(|o| p.ends_with(o)))
            {
                built += 1;
            }
        }
    }
    assert_eq!(
        built,
        pages.len(),
        "pages built vs documents in the manifest"
    );
    Checked {
        failed: failed_total,
        no_target,
    }
}

fn gen_site(dir: &Path, site: &str, preset: &str, size: &str) -> PathBuf {
    let name = Path::new(preset).file_stem().unwrap().to_string_lossy();
    let c = dir.join(format!("{site}-{name}"));
    noet()
        .args(["gen", "--site", site, "--profile", preset])
        .args(["--size", size, "--seed", "1", "-q", "--out"])
        .arg(&c)
        .assert()
        .success();
    c
}

fn mdbook_builds(size: &str) {
    let Some(mdbook) = tool("mdbook/bin/mdbook") else {
        return;
    };
    let sb = Sandbox::new();
    for preset in presets() {
        let preset = preset.as_str();
        let c = gen_site(sb.path(), "mdbook", preset, size);
        let out = Command::new(&mdbook).arg("build").arg(&c).output().unwrap();
        assert!(
            out.status.success(),
            "{preset}: mdbook build failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        check_site(&c, &c.join("book"));
        // A rerun of the same command is a no-op beside the built book.
        noet()
            .args(["gen", "--site", "mdbook", "--profile", preset])
            .args(["--size", size, "--seed", "1", "-q", "--out"])
            .arg(&c)
            .assert()
            .success();
        noet().arg("validate").arg(&c).assert().success();
    }
}

fn mkdocs_builds(size: &str) {
    let Some(mkdocs) = tool("venv/bin/mkdocs") else {
        return;
    };
    let sb = Sandbox::new();
    for preset in presets() {
        let preset = preset.as_str();
        let c = gen_site(sb.path(), "mkdocs", preset, size);
        let out = Command::new(&mkdocs)
            .arg("build")
            .current_dir(&c)
            .output()
            .unwrap();
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{preset}: mkdocs build failed: {log}");
        let checked = check_site(&c, &c.join("site"));
        // MkDocs checks links itself: it warns of exactly the negatives.
        let warnings = log.lines().filter(|l| l.starts_with("WARNING")).count();
        assert_eq!(
            warnings, checked.failed,
            "{preset}: MkDocs' warnings:\n{log}"
        );
        noet().arg("validate").arg(&c).assert().success();
    }
}

/// Hugo from the system (the Debian package `.ci/run` installs), else
/// from `$NOET_CORPUS_TOOLS/hugo/hugo`.
fn hugo() -> Option<PathBuf> {
    let own = tools().join("hugo/hugo");
    if own.exists() {
        return Some(own);
    }
    let found = Command::new("hugo").arg("version").output();
    if found.is_ok_and(|o| o.status.success()) {
        return Some(PathBuf::from("hugo"));
    }
    tool("hugo/hugo")
}

/// The link hook's warnings, each once (Hugo prints `WARN DATE TIME`
/// before the hook's `PAGE: link "DEST" does not resolve`).
fn hook_warnings(log: &str) -> HashSet<String> {
    log.lines()
        .filter(|l| l.contains("does not resolve"))
        .map(|l| l.split_whitespace().skip(3).collect::<Vec<_>>().join(" "))
        .collect()
}

/// Build corpus `c` (of `what`) with Hugo and check the site: the HTML
/// against the manifest; the link hook's warnings, which name each
/// reference whose target does not exist (Hugo checks no links itself, and
/// a missing fragment goes unsaid); and the corpus still validates.
fn hugo_checks(hugo: &Path, c: &Path, what: &str) {
    let out = Command::new(hugo).arg("--source").arg(c).output().unwrap();
    let log =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what}: hugo failed: {log}");
    let checked = check_site(c, &c.join("public"));
    let warned = hook_warnings(&log);
    assert_eq!(
        warned.len(),
        checked.no_target.len(),
        "{what}: the hook's warnings:\n{log}"
    );
    noet().arg("validate").arg(c).assert().success();
}

fn hugo_builds(size: &str) {
    let Some(hugo) = hugo() else {
        return;
    };
    let sb = Sandbox::new();
    for preset in presets() {
        let preset = preset.as_str();
        let c = gen_site(sb.path(), "hugo", preset, size);
        hugo_checks(&hugo, &c, preset);
    }
}

#[test]
fn hugo_resolves_relref_shortcodes() {
    let Some(hugo) = hugo() else {
        return;
    };
    let sb = Sandbox::new();
    let profile = sb.path().join("refs.toml");
    std::fs::write(
        &profile,
        "name = \"refs\"\n[references]\nshortcode_share = 0.5\n",
    )
    .unwrap();
    let c = gen_site(sb.path(), "hugo", profile.to_str().unwrap(), "1MB");
    let text = std::fs::read_to_string(c.join("content/_index.md")).unwrap();
    assert!(text.contains("({{< relref \""), "{text}");
    hugo_checks(&hugo, &c, "refs");
}

#[test]
fn hugo_builds_every_preset_at_1mb() {
    hugo_builds("1MB");
}

#[test]
#[ignore = "20 MB of every preset: minutes (run with --ignored)"]
fn hugo_builds_every_preset_at_20mb() {
    hugo_builds("20MB");
}

#[test]
fn mdbook_builds_every_preset_at_1mb() {
    mdbook_builds("1MB");
}

#[test]
fn mkdocs_builds_every_preset_at_1mb() {
    mkdocs_builds("1MB");
}

#[test]
#[ignore = "20 MB of every preset: minutes (run with --ignored)"]
fn mdbook_builds_every_preset_at_20mb() {
    mdbook_builds("20MB");
}

#[test]
#[ignore = "20 MB of every preset: minutes (run with --ignored)"]
fn mkdocs_builds_every_preset_at_20mb() {
    mkdocs_builds("20MB");
}

#[test]
fn resolving_hrefs() {
    assert_eq!(
        resolve("a/b.html", "c.html#x"),
        Some(("a/c.html".into(), "x".into()))
    );
    assert_eq!(
        resolve("a/b/", "../c/"),
        Some(("a/c/".into(), String::new()))
    );
    assert_eq!(resolve("a/b/", "#y"), Some(("a/b/".into(), "y".into())));
    assert_eq!(resolve("", "a/"), Some(("a/".into(), String::new())));
    assert_eq!(resolve("a/", ".."), Some((String::new(), String::new())));
    assert_eq!(resolve("x.html", "https://e.org/"), None);
}

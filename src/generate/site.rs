//! The files a site's tool needs beside the markdown to build it with no
//! further step: its configuration, and navigation that lists every page
//! in tree order (a folder's `index.md` first, then its other pages, then
//! its subfolders, depth first).

use crate::plan::Plan;
use crate::site::Site;
use std::fmt::Write as _;

/// The site's own files, as (path relative to the corpus root, bytes), in
/// the order they are written. A pure function of the plan, so any shard
/// can write them and a rerun writes the same bytes.
pub fn files(plan: &Plan, site: Site) -> Vec<(String, Vec<u8>)> {
    let title = format!("{} corpus, seed {}", plan.profile().name, plan.seed());
    match site {
        Site::Mdbook => vec![
            ("book.toml".to_string(), book_toml(&title).into_bytes()),
            (
                format!("{}/SUMMARY.md", site.content_dir()),
                summary(plan, site).into_bytes(),
            ),
        ],
        Site::Hugo => {
            let names = site.config_paths();
            let texts = [
                hugo_toml(&title),
                HUGO_PAGE.to_string(),
                HUGO_PAGE.to_string(),
                HUGO_LINK.to_string(),
                HUGO_IMAGE.to_string(),
            ];
            names
                .into_iter()
                .zip(texts)
                .map(|(n, t)| (n, t.into_bytes()))
                .collect()
        }
        Site::Mkdocs => vec![(
            "mkdocs.yml".to_string(),
            mkdocs_yml(plan, site, &title).into_bytes(),
        )],
    }
}

/// mdBook's `book.toml`: the markdown is read as the `gfm` dialect writes
/// it, so the options mdBook turns on by default that GitHub does not have
/// are off (smart punctuation rewrites `--` and quotes; definition lists
/// would make a line after a term a `<dt>`, which takes an id).
fn book_toml(title: &str) -> String {
    format!(
        "[book]\ntitle = {}\nsrc = \"src\"\n\n[build]\nbuild-dir = \"book\"\n\n\
         [output.html]\nsmart-punctuation = false\ndefinition-lists = false\n",
        toml_string(title)
    )
}

/// `src/SUMMARY.md`: the root's `index.md` as the introduction, then every
/// other page as a numbered chapter nested by folder. A folder without an
/// `index.md` is a draft chapter (`[name]()`), which mdBook lists without
/// a page.
fn summary(plan: &Plan, site: Site) -> String {
    let mut out = String::from("# Summary\n\n");
    let mut root_files = plan.files_in(0);
    if plan.files > 0 && plan.is_network(0) {
        let index = plan.file(0);
        let _ = writeln!(
            out,
            "[{}]({})\n",
            index.title,
            in_content(site, &index.path)
        );
        root_files.start += 1;
    }
    for i in root_files {
        let f = plan.file(i);
        let _ = writeln!(out, "- [{}]({})", f.title, in_content(site, &f.path));
    }
    for (j, depth) in folders(plan, usize::MAX) {
        let indent = "    ".repeat(depth - 1);
        let mut files = plan.files_in(j);
        match files.clone().next().map(|i| plan.file(i)) {
            Some(f) if f.is_index => {
                let _ = writeln!(
                    out,
                    "{indent}- [{}]({})",
                    f.title,
                    in_content(site, &f.path)
                );
                files.start += 1;
            }
            _ => {
                let _ = writeln!(out, "{indent}- [{}]()", plan.folder_name(j));
            }
        }
        for i in files {
            let f = plan.file(i);
            let _ = writeln!(
                out,
                "{indent}    - [{}]({})",
                f.title,
                in_content(site, &f.path)
            );
        }
    }
    out
}

/// Every folder below the root, depth first (a folder, then its
/// subfolders in order), with its depth (1 for the root's children), to
/// `max_depth`. An explicit stack: trees can be deep.
fn folders(plan: &Plan, max_depth: usize) -> Vec<(u64, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<(u64, usize)> = plan.children(0).rev().map(|c| (c, 1)).collect();
    while let Some((j, depth)) = stack.pop() {
        out.push((j, depth));
        if depth < max_depth {
            stack.extend(plan.children(j).rev().map(|c| (c, depth + 1)));
        }
    }
    out
}

/// `path` (relative to the corpus root) relative to the site's content
/// folder, as the tool's navigation names pages.
fn in_content(site: Site, path: &str) -> &str {
    &path[site.content_dir().len() + 1..]
}

/// `mkdocs.yml`: the built-in `mkdocs` theme with no plugins (no search
/// index: the build is pages), Python-Markdown's extensions for what the
/// `gfm` dialect writes (tables, fenced code, footnotes), every link check
/// MkDocs has at `warn`, and `nav` listing every page.
fn mkdocs_yml(plan: &Plan, site: Site, title: &str) -> String {
    // MkDocs' themes write the whole nav into every page: a nav of every
    // page makes the site quadratic in the pages (25,000 pages of the
    // `tiny` preset at 20 MB wrote 14 GB and counting). Past
    // `MKDOCS_NAV_PAGES` pages the nav stops at the top-level folders'
    // own pages, and the pages it leaves out (built all the same) are
    // not warned of.
    let whole = plan.files <= MKDOCS_NAV_PAGES;
    let max_depth = if whole { usize::MAX } else { 1 };
    let mut out = String::new();
    let _ = writeln!(out, "site_name: {}", yaml_string(title));
    out.push_str(
        "docs_dir: docs\nsite_dir: site\nuse_directory_urls: true\n\
         theme:\n  name: mkdocs\nplugins: []\n\
         markdown_extensions:\n  - toc\n  - tables\n  - fenced_code\n  - footnotes\n\
         validation:\n",
    );
    out.push_str(if whole {
        "  omitted_files: warn\n"
    } else {
        "  omitted_files: info\n"
    });
    out.push_str("  absolute_links: warn\n  unrecognized_links: warn\n  anchors: warn\nnav:\n");
    let page = |out: &mut String, indent: &str, f: &crate::plan::FileMeta| {
        let path = in_content(site, &f.path);
        let _ = writeln!(
            out,
            "{indent}- {}: {}",
            yaml_string(&f.title),
            yaml_string(path)
        );
    };
    for i in plan.files_in(0) {
        page(&mut out, "  ", &plan.file(i));
    }
    for (j, depth) in folders(plan, max_depth) {
        let indent = "  ".repeat(depth);
        let files: Vec<_> = plan.files_in(j).map(|i| plan.file(i)).collect();
        if files.is_empty() && plan.children(j).is_empty() {
            continue;
        }
        let name = match files.first() {
            Some(f) if f.is_index => f.title.clone(),
            _ => plan.folder_name(j),
        };
        let _ = writeln!(out, "{indent}- {}:", yaml_string(&name));
        let inner = format!("{indent}  ");
        for f in &files {
            page(&mut out, &inner, f);
        }
    }
    out
}

/// The most pages an MkDocs nav lists every one of (see `mkdocs_yml`).
const MKDOCS_NAV_PAGES: u64 = 2_000;

/// Hugo's `hugo.toml`: goldmark set to read what the `gfm` dialect writes
/// (raw HTML kept, no typographer, no definition lists, no linkified bare
/// URLs, no `{#id}` attributes, GitHub's heading ids), and no pages but
/// the documents (no taxonomies, feeds, sitemap or 404 page).
fn hugo_toml(title: &str) -> String {
    format!(
        "baseURL = \"/\"\ntitle = {}\ncontentDir = \"content\"\npublishDir = \"public\"\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"404\", \"robotsTXT\"]\n\n\
         [markup.goldmark.renderer]\nunsafe = true\n\n\
         [markup.goldmark.extensions]\ntypographer = false\ndefinitionList = false\nlinkify = false\n\n\
         [markup.goldmark.parser]\nautoHeadingIDType = \"github\"\n\n\
         [markup.goldmark.parser.attribute]\ntitle = false\nblock = false\n",
        toml_string(title)
    )
}

/// Every page's layout (single pages and section lists alike): the
/// document, nothing else.
const HUGO_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head>\n<body><main>\n{{ .Content }}\n</main></body>\n</html>\n";

/// Hugo writes a link's destination as it is; this hook resolves a
/// relative one against the page's folder: a page to its URL (with the
/// fragment), another file of `content/` to its copy, and anything else is
/// left as written and reported with `warnf` (the deliberate negatives).
const HUGO_LINK: &str = r#"{{- $dest := .Destination -}}
{{- $u := urls.Parse $dest -}}
{{- $href := $dest -}}
{{- /* A shortcode's placeholder: Hugo puts the relref's URL there. */ -}}
{{- if and (not $u.IsAbs) (ne $u.Path "") (not (hasPrefix $dest "HAHAHUGOSHORTCODE")) -}}
  {{- $file := path.Join .Page.File.Dir $u.Path -}}
  {{- with site.GetPage $file -}}
    {{- $href = .RelPermalink -}}
    {{- with $u.Fragment }}{{ $href = printf "%s#%s" $href . }}{{ end -}}
  {{- else -}}
    {{- if fileExists (path.Join "content" $file) -}}
      {{- $href = printf "/%s" $file -}}
    {{- else -}}
      {{- warnf "%s: link %q does not resolve" $.Page.File.Path $dest -}}
    {{- end -}}
  {{- end -}}
{{- end -}}
<a href="{{ $href | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>
{{- /* keep no trailing newline */ -}}
"#;

/// The same for images: a file of `content/` to its copy.
const HUGO_IMAGE: &str = r#"{{- $dest := .Destination -}}
{{- $u := urls.Parse $dest -}}
{{- $src := $dest -}}
{{- if and (not $u.IsAbs) (ne $u.Path "") -}}
  {{- $file := path.Join .Page.File.Dir $u.Path -}}
  {{- if fileExists (path.Join "content" $file) -}}
    {{- $src = printf "/%s" $file -}}
  {{- else -}}
    {{- warnf "%s: image %q does not resolve" $.Page.File.Path $dest -}}
  {{- end -}}
{{- end -}}
<img src="{{ $src | safeURL }}" alt="{{ .PlainText }}"{{ with .Title }} title="{{ . }}"{{ end }}>
{{- /* keep no trailing newline */ -}}
"#;

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML double-quoted string (the JSON escapes are YAML's).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

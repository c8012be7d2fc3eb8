//! Every fenced code block the built-in profiles generate parses in its
//! language, and block lengths are heavy-tailed.

use noet_corpus::code::parses;
use noet_corpus::plan::{Params, Plan};
use noet_corpus::profile::Profile;
use noet_corpus::render;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

const PROFILES: [&str; 7] = [
    "default",
    "tiny",
    "book",
    "code-heavy",
    "mdn-like",
    "realistic",
    "vault",
];

/// Every fenced block of a corpus of `size` bytes: (language, body).
fn blocks(profile: &str, size: u64, seed: u64) -> Vec<(String, String)> {
    let plan = Plan::new(Params::new(
        Profile::load(profile).unwrap(),
        size,
        seed,
        None,
    ))
    .unwrap();
    let mut out = Vec::new();
    for r in render::documents(&plan) {
        let text = String::from_utf8(r.bytes).unwrap();
        let mut open: Option<(String, String)> = None;
        for ev in Parser::new(&text) {
            match ev {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) => {
                    open = Some((lang.to_string(), String::new()));
                }
                Event::Text(t) => {
                    if let Some((_, body)) = open.as_mut() {
                        body.push_str(&t);
                    }
                }
                Event::End(TagEnd::CodeBlock) => out.extend(open.take()),
                _ => {}
            }
        }
    }
    out
}

fn on_path(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Which of `bodies` Python's parser refuses (one interpreter for all).
fn python_failures(bodies: &[&str]) -> Vec<usize> {
    let script = "import ast, json, sys\n\
                  for i, b in enumerate(json.load(sys.stdin)):\n\
                  \x20   try:\n\
                  \x20       ast.parse(b)\n\
                  \x20   except SyntaxError:\n\
                  \x20       print(i)\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let json = serde_json::to_string(bodies).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect()
}

/// Does `tool ARGS FILE` accept `body` written to a file ending in `ext`?
fn tool_accepts(tool: &str, args: &[&str], ext: &str, body: &str) -> bool {
    let mut f = tempfile::Builder::new().suffix(ext).tempfile().unwrap();
    f.write_all(body.as_bytes()).unwrap();
    f.flush().unwrap();
    Command::new(tool)
        .args(args)
        .arg(f.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success()
}

#[test]
fn every_block_of_every_profile_parses() {
    let (python, node, bash) = (on_path("python3"), on_path("node"), on_path("bash"));
    for (tool, here) in [("python3", python), ("node", node), ("bash", bash)] {
        if !here {
            eprintln!("{tool} is not on PATH: its language is not checked");
        }
    }
    let mut problems = Vec::new();
    for profile in PROFILES {
        let all = blocks(profile, 400_000, 11);
        let mut by_lang: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (lang, body) in &all {
            assert!(body.is_ascii(), "{profile} {lang}: not ASCII:\n{body}");
            assert!(
                !body.contains("```") && !body.contains("~~~"),
                "{profile} {lang}: a fence inside:\n{body}"
            );
            assert!(
                !body.contains("[["),
                "{profile} {lang}: `[[` inside:\n{body}"
            );
            assert!(!body.trim().is_empty(), "{profile} {lang}: empty block");
            by_lang.entry(lang).or_default().push(body);
        }
        let mut summary = Vec::new();
        for (lang, bodies) in &by_lang {
            let failed: Vec<&str> = match *lang {
                "json" | "yaml" | "toml" | "rust" => bodies
                    .iter()
                    .copied()
                    .filter(|b| parses(lang, b) != Some(true))
                    .collect(),
                "python" if python => python_failures(bodies)
                    .into_iter()
                    .map(|i| bodies[i])
                    .collect(),
                "javascript" if node => bodies
                    .iter()
                    .copied()
                    .filter(|b| !tool_accepts("node", &["--check"], ".js", b))
                    .collect(),
                "bash" if bash => bodies
                    .iter()
                    .copied()
                    .filter(|b| !tool_accepts("bash", &["-n"], ".sh", b))
                    .collect(),
                _ => {
                    summary.push(format!("{lang} {} unchecked", bodies.len()));
                    continue;
                }
            };
            summary.push(format!(
                "{lang} {}/{}",
                bodies.len() - failed.len(),
                bodies.len()
            ));
            if let Some(one) = failed.first() {
                problems.push(format!(
                    "{profile}: {} of {} {lang} blocks do not parse; the first:\n{one}",
                    failed.len(),
                    bodies.len(),
                ));
            }
        }
        eprintln!("{profile}: {}", summary.join(", "));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The line counts' (p50, p90).
fn percentiles(all: &[(String, String)]) -> (f64, f64) {
    let mut lines: Vec<usize> = all.iter().map(|(_, b)| b.lines().count()).collect();
    lines.sort_unstable();
    let q = |p: f64| lines[((lines.len() - 1) as f64 * p).round() as usize] as f64;
    (q(0.5), q(0.9))
}

#[test]
fn block_lengths_are_heavy_tailed() {
    let all = blocks("default", 3_000_000, 5);
    assert!(all.len() > 500, "{} blocks", all.len());
    let (p50, p90) = percentiles(&all);
    eprintln!("default: {} blocks, p50 {p50}, p90 {p90}", all.len());
    assert!((3.0..=12.0).contains(&p50), "p50 {p50}");
    assert!(p90 / p50 >= 2.5, "p50 {p50}, p90 {p90}");
}

#[test]
#[ignore = "prints the length percentiles of every built-in profile"]
fn print_length_percentiles() {
    for profile in PROFILES {
        let all = blocks(profile, 3_000_000, 5);
        let (p50, p90) = percentiles(&all);
        eprintln!("{profile}: {} blocks, p50 {p50}, p90 {p90}", all.len());
    }
}

#[test]
fn code_length_keys_out_of_range_are_refused() {
    for (toml, key) in [
        (
            "[text]\ncode_lines_median = 0.5\n",
            "text.code_lines_median",
        ),
        (
            "[text]\ncode_lines_median = 2000.0\n",
            "text.code_lines_median",
        ),
        ("[text]\ncode_lines_sigma = -0.1\n", "text.code_lines_sigma"),
        ("[text]\ncode_lines_sigma = 3.5\n", "text.code_lines_sigma"),
        ("[text]\ncode_lines_max = 0\n", "text.code_lines_max"),
        ("[text]\ncode_lines_max = 1001\n", "text.code_lines_max"),
    ] {
        let e = Profile::from_toml(toml, "p.toml").unwrap_err().to_string();
        assert!(e.contains(key), "{toml}: {e}");
    }
    let ok = Profile::from_toml(
        "[text]\ncode_lines_median = 9.0\ncode_lines_sigma = 1.2\ncode_lines_max = 1000\n",
        "p.toml",
    );
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn in_process_languages_parse_across_seeds() {
    // More blocks than the per-profile test, for the rare productions.
    for seed in 1..=3 {
        for (lang, body) in blocks("code-heavy", 1_500_000, seed) {
            if let Some(ok) = parses(&lang, &body) {
                assert!(ok, "seed {seed}: {lang} does not parse:\n{body}");
            }
        }
    }
}

//! Revisions (`gen --revision`, `edit`, `diff`): the same bytes however a
//! revision is reached, every revision valid, the affected set exact, and
//! an interrupted `edit` leaving one revision or the next.

use crate::support::{assert_valid, bin, gen_quiet, noet, snapshot, Sandbox};
use noet_corpus::manifest::Record;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// `edit DIR --to R -q`, which must succeed.
fn edit(dir: &Path, to: u64) {
    noet()
        .args(["edit", "-q", "--to", &to.to_string()])
        .arg(dir)
        .assert()
        .success();
}

/// The manifest's lines at the corpus's revision (its deltas applied).
fn manifest_text(dir: &Path) -> String {
    let mut text = String::new();
    noet_corpus::manifest::lines(dir)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The revision a corpus's manifest says it is at.
fn revision_of(dir: &Path) -> u64 {
    let text = manifest_text(dir);
    let first = text.lines().next().expect("a corpus record");
    match serde_json::from_str::<Record>(first).expect("a record") {
        Record::Corpus(c) => c.params.revision,
        other => panic!("first record is {other:?}"),
    }
}

/// Every reference of every file, as the manifest resolves it: path ->
/// (blake3, each link's (line, dest, target, anchor, broken)).
type Resolutions = BTreeMap<
    String,
    (
        String,
        Vec<(u64, String, Option<String>, Option<String>, bool)>,
    ),
>;

fn resolutions(dir: &Path) -> Resolutions {
    let mut out = Resolutions::new();
    let mut current = None;
    for line in manifest_text(dir).lines() {
        match serde_json::from_str::<Record>(line).expect("a record") {
            Record::File(f) => {
                current = Some(f.path.clone());
                out.insert(f.path, (f.blake3, Vec::new()));
            }
            Record::Link(l) => {
                let path = current.as_ref().expect("a link follows its file");
                out.get_mut(path).expect("its file").1.push((
                    l.line,
                    l.dest,
                    l.target,
                    l.anchor,
                    l.broken.is_some(),
                ));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn gen_at_a_revision_equals_edit_to_it_from_zero_and_from_an_earlier_revision() {
    let tmp = Sandbox::new();
    for (k, args) in [
        &["--size", "300KB", "--seed", "1"][..],
        &[
            "--profile",
            "vault",
            "--dialect",
            "obsidian",
            "--size",
            "300KB",
            "--seed",
            "2",
        ],
        &["--dialect", "gfm", "--size", "200KB", "--seed", "3"],
        &["--files", "1", "--size", "100KB", "--seed", "4"],
    ]
    .into_iter()
    .enumerate()
    {
        let fresh = tmp.path().join(format!("fresh{k}"));
        let r12: Vec<&str> = args.iter().copied().chain(["--revision", "12"]).collect();
        gen_quiet(&fresh, &r12);
        let stepped = tmp.path().join(format!("stepped{k}"));
        gen_quiet(&stepped, args);
        edit(&stepped, 12);
        assert_eq!(snapshot(&fresh), snapshot(&stepped), "{args:?}: from 0");
        let from5 = tmp.path().join(format!("from5-{k}"));
        let r5: Vec<&str> = args.iter().copied().chain(["--revision", "5"]).collect();
        gen_quiet(&from5, &r5);
        edit(&from5, 12);
        assert_eq!(snapshot(&fresh), snapshot(&from5), "{args:?}: from 5");
        // And backwards: 12 to 5 is revision 5 as made from scratch.
        let back = tmp.path().join(format!("back{k}"));
        gen_quiet(&back, &r12);
        edit(&back, 5);
        let five = tmp.path().join(format!("five{k}"));
        gen_quiet(&five, &r5);
        assert_eq!(snapshot(&five), snapshot(&back), "{args:?}: back to 5");
        assert_eq!(revision_of(&back), 5);
    }
}

#[test]
fn every_revision_validates_and_says_its_number() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    gen_quiet(
        &c,
        &["--profile", "realistic", "--size", "300KB", "--seed", "9"],
    );
    for r in 1..=15 {
        edit(&c, r);
        assert_eq!(revision_of(&c), r);
        assert_valid(&c, &format!("revision {r}"));
    }
}

#[test]
fn the_affected_set_is_every_unchanged_file_whose_references_resolve_differently() {
    // Two revisions made independently, each validated (the validator
    // resolves every reference again by the dialect's rules): a file with
    // the same bytes in both whose references' resolutions differ is
    // affected, and `diff` must list exactly those, with those references.
    let tmp = Sandbox::new();
    // A profile whose edits all rename or move what references name.
    let mut p = noet_corpus::Profile::load_for("default", None, None).unwrap();
    p.revisions = noet_corpus::profile::Revisions {
        paragraph: 0.0,
        remove_reference: 0.0,
        rename_heading: 0.5,
        move_file: 0.5,
        front_matter: 1.0,
        move_section: 1.0,
        ..p.revisions
    };
    let renames = tmp.path().join("renames.toml");
    std::fs::write(&renames, p.to_toml()).unwrap();
    let renames = renames.to_str().unwrap();
    for (k, args) in [
        &["--size", "400KB", "--seed", "11"][..],
        &[
            "--profile",
            "vault",
            "--dialect",
            "obsidian",
            "--size",
            "300KB",
            "--seed",
            "12",
        ],
        &["--profile", renames, "--size", "300KB", "--seed", "13"],
    ]
    .into_iter()
    .enumerate()
    {
        let mut total = 0;
        for r in 0u64..12 {
            let a = tmp.path().join(format!("a{k}-{r}"));
            let b = tmp.path().join(format!("b{k}-{r}"));
            let ra = r.to_string();
            let rb = (r + 1).to_string();
            gen_quiet(
                &a,
                &args
                    .iter()
                    .copied()
                    .chain(["--revision", &ra])
                    .collect::<Vec<_>>(),
            );
            gen_quiet(
                &b,
                &args
                    .iter()
                    .copied()
                    .chain(["--revision", &rb])
                    .collect::<Vec<_>>(),
            );
            let (ma, mb) = (resolutions(&a), resolutions(&b));
            let mut expected: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
            for (path, (hash, links)) in &mb {
                let Some((old_hash, old_links)) = ma.get(path) else {
                    continue;
                };
                if old_hash != hash {
                    continue;
                }
                let moved: Vec<(u64, String)> = links
                    .iter()
                    .zip(old_links)
                    .filter(|(x, y)| (&x.2, &x.3, x.4) != (&y.2, &y.3, y.4))
                    .map(|(x, _)| (x.0, x.1.clone()))
                    .collect();
                if !moved.is_empty() {
                    expected.insert(path.clone(), moved);
                }
            }
            let out = noet()
                .args(["diff", "--json"])
                .arg(&a)
                .args([&ra, &rb])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let mut got: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
            for f in d["affected"].as_array().unwrap() {
                let refs = f["references"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| {
                        (
                            m["line"].as_u64().unwrap(),
                            m["dest"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
                got.insert(f["path"].as_str().unwrap().to_string(), refs);
            }
            assert_eq!(got, expected, "{args:?}: revision {ra} -> {rb}");
            total += got.len();
        }
        assert!(
            total > 0,
            "{args:?}: some step must affect a file, or this tests nothing"
        );
    }
}

#[test]
fn a_killed_edit_leaves_one_revision_or_the_next() {
    let tmp = Sandbox::new();
    let c = tmp.path().join("c");
    gen_quiet(&c, &["--size", "1MB", "--seed", "21"]);
    let mut seen = std::collections::BTreeSet::new();
    for k in 0..12u64 {
        let before = revision_of(&c);
        let mut child = bin()
            .args(["edit", "-q", "--to", "400"])
            .arg(&c)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(40 + 37 * k));
        // SAFETY: kill(2) on our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGKILL) };
        let _ = child.wait();
        // `validate` finishes (or undoes) the step that was cut.
        assert_valid(&c, &format!("after a kill at {} ms", 40 + 37 * k));
        let now = revision_of(&c);
        assert!(
            now >= before,
            "the revision went back from {before} to {now}"
        );
        seen.insert(now);
        // And the revision is the one made from scratch.
        let fresh = tmp.path().join(format!("fresh{k}"));
        gen_quiet(
            &fresh,
            &[
                "--size",
                "1MB",
                "--seed",
                "21",
                "--revision",
                &now.to_string(),
            ],
        );
        assert_eq!(
            snapshot(&fresh),
            snapshot(&c),
            "revision {now} after a kill"
        );
    }
    assert!(
        seen.len() > 1,
        "the kills all fell at one revision: {seen:?}"
    );
}

#[test]
fn revisions_that_cannot_be_made_are_refused_before_anything_is_written() {
    let tmp = Sandbox::new();
    for args in [
        &["--revision", "3", "--dry-run"][..],
        &["--revision", "3", "--shard", "1/2"],
        &["--revision", "3", "--site", "mdbook"],
    ] {
        let out = tmp.path().join("x");
        let o = noet()
            .arg("gen")
            .args(["--size", "100KB"])
            .args(args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("revision"),
            "{args:?}"
        );
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    // `edit` of a folder that is no corpus.
    let o = noet()
        .args(["edit", "--to", "2"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
}

#[test]
fn the_key_names_the_revision() {
    let k0 = crate::support::key_of(&["--size", "1MB"]);
    let k0b = crate::support::key_of(&["--size", "1MB", "--revision", "0"]);
    let k3 = crate::support::key_of(&["--size", "1MB", "--revision", "3"]);
    assert_eq!(k0, k0b);
    assert_ne!(k0, k3);
}

#[test]
fn a_suite_builds_each_revision_of_a_range_as_gen_does() {
    let tmp = Sandbox::new();
    let suite = crate::support::write(
        tmp.path(),
        "s.toml",
        "name = \"h\"\n[[corpus]]\nname = \"hist\"\nprofile = \"tiny\"\nsize = \"40KB\"\nseed = 3\nrevisions = [2, 4]\n",
    );
    let out = tmp.path().join("fixtures");
    noet()
        .arg("suite")
        .arg(&suite)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    for r in 2..=4u64 {
        let one = tmp.path().join(format!("one{r}"));
        gen_quiet(
            &one,
            &[
                "--profile",
                "tiny",
                "--size",
                "40KB",
                "--seed",
                "3",
                "--revision",
                &r.to_string(),
            ],
        );
        assert_eq!(
            snapshot(&out.join(format!("hist-r{r}"))),
            snapshot(&one),
            "revision {r}"
        );
    }
    assert!(!out.join("hist-r1").exists() && !out.join("hist-r5").exists());
}

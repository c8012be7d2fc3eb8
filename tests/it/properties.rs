//! Property tests: random valid profiles, seeds and small sizes give
//! corpora that validate, in memory file by file and on disk through the
//! `gen` command, and `--jobs` never changes the bytes.
//!
//! Case counts are kept small so that `cargo test` stays quick in debug
//! builds; raise them for a longer hunt with `PROPTEST_CASES=500 cargo test
//! --release --test it properties::`. Failing cases are saved by proptest
//! beside this file, in `properties.proptest-regressions`, and replayed
//! first on every run: commit them.

use crate::support::{bin, snapshot, write, Sandbox};
use noet_corpus::dialect::Dialect;
use noet_corpus::generate::file_record;
use noet_corpus::plan::{Params, Plan};
use noet_corpus::profile::Profile;
use noet_corpus::render::render;
use noet_corpus::validate::check_file;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::path::Path;

/// `cases` cases, the failures kept beside this file. (Proptest's default
/// place is a `proptest-regressions` folder beside the nearest folder with
/// a `main.rs`: `tests/proptest-regressions/properties.txt`, as this is a
/// module of `tests/it/main.rs`.)
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// A weight that is zero about a quarter of the time.
fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 3 => 0.0f64..50.0]
}

fn share() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 1 => Just(1.0), 4 => 0.0f64..=1.0]
}

/// Any profile that `Profile::check` accepts, within the ranges it
/// documents, except file sizes, kept so that small corpora have files
/// above the 256-byte minimum; in any dialect.
fn profile() -> impl Strategy<Value = Profile> {
    (noet_profile(), 0..Dialect::ALL.len()).prop_map(|(p, d)| p.with_dialect(Dialect::ALL[d]))
}

fn noet_profile() -> impl Strategy<Value = Profile> {
    let layout = (
        (
            300.0f64..20_000.0,
            0.0f64..=2.5,
            64u64..=1500,
            300u64..=60_000,
        ),
        (1u64..=40, 1u64..=8, share(), 0u64..=20),
        // Image sizes kept modest: corpora written to disk carry them.
        (256.0f64..=30_000.0, 0.0f64..=1.2, share()),
    );
    let front = (
        share(),
        weight(),
        weight(),
        weight(),
        any::<bool>(),
        any::<bool>(),
    );
    let mix = (
        0.01f64..50.0,
        weight(),
        weight(),
        weight(),
        weight(),
        weight(),
    );
    let headings = (0.0f64..=12.0, 2u8..=6, share(), share());
    let refs = (
        (
            0.0f64..=40.0,
            0.0f64..=40.0,
            0.1f64..=10.0,
            0.0f64..=10.0,
            0.0f64..=10.0,
        ),
        (
            0.0f64..=4.0,
            share(),
            2u64..=12,
            share(),
            share(),
            any::<bool>(),
        ),
        proptest::collection::vec(weight(), 14),
    );
    let text = (
        (
            0.0f64..=4.0,
            4u64..=200,
            prop_oneof![Just(0u64), 30u64..=200],
            share(),
        ),
        (1u64..=20, 1u64..=8, share(), share(), 1u64..=40, 1u64..=20),
        (share(), 0.0f64..=5.0),
    );
    (layout, front, mix, headings, refs, text).prop_map(
        |(layout, front, mix, headings, refs, text)| {
            let mut p = Profile {
                name: "prop".into(),
                ..Profile::default()
            };
            let (
                (median, sigma, min, max),
                (per_folder, fanout, networks, assets),
                (asset_median, asset_sigma, svg),
            ) = layout;
            let l = &mut p.layout;
            l.file_size_median = median;
            l.file_size_sigma = sigma;
            l.file_size_min = min;
            l.file_size_max = max.max(min);
            l.files_per_folder = per_folder;
            l.fanout = fanout;
            l.network_share = networks;
            l.assets = assets;
            l.asset_bytes_median = asset_median;
            l.asset_bytes_sigma = asset_sigma;
            l.svg_share = svg;
            let f = &mut p.front_matter;
            (f.share, f.toml, f.yaml, f.json, f.bids, f.tags) = front;
            if f.toml + f.yaml + f.json == 0.0 {
                f.yaml = 1.0;
            }
            use noet_corpus::record::{BlockKind as B, LinkKind};
            let m = &mut p.mix;
            (
                m[B::Paragraph],
                m[B::List],
                m[B::Code],
                m[B::Table],
                m[B::Blockquote],
                m[B::DefinitionList],
            ) = mix;
            let h = &mut p.headings;
            (h.per_kb, h.max_level, h.explicit_id_share, h.generic_share) = headings;
            let (
                (a, b, skew, list_m, table_m),
                (hub, chain, chain_len, coll, broken, cover),
                kinds,
            ) = refs;
            let r = &mut p.references;
            r.per_kb_min = a.min(b);
            r.per_kb_max = a.max(b);
            r.density_skew = skew;
            r.list_multiplier = list_m;
            r.table_multiplier = table_m;
            r.hub_exponent = hub;
            r.chain_share = chain;
            r.chain_length = chain_len;
            r.collision_share = coll;
            r.broken_share = broken;
            r.cover_kinds = cover;
            // The kinds every dialect-free profile can weigh: the first 14,
            // the Obsidian-only ones keep their default 0.
            for ((_, w), v) in r.kinds.iter_mut().zip(kinds) {
                *w = v;
            }
            if r.per_kb_max > 0.0 && r.kinds.sum() == 0.0 {
                r.kinds[LinkKind::Relative] = 1.0;
            }
            let (
                (exp, words, wrap, inline),
                (items, depth, task, ordered, code, rows),
                (callout, notes),
            ) = text;
            let t = &mut p.text;
            t.word_exponent = exp;
            t.paragraph_words = words;
            t.wrap = wrap;
            t.inline_markup = inline;
            t.list_items_max = items;
            t.list_depth_max = depth;
            t.task_list_share = task;
            t.ordered_list_share = ordered;
            t.code_lines_max = code;
            t.table_rows_max = rows;
            t.callout_share = callout;
            t.footnotes_per_kb = notes;
            p
        },
    )
}

/// Any `[revisions]` section the checks accept: every edit kind's weight,
/// the spread and the share of references that follow a rename.
fn revisions() -> impl Strategy<Value = noet_corpus::profile::Revisions> {
    (
        (1.0f64..=8.0, 0.0f64..=3.0, share()),
        [weight(), weight(), weight(), weight(), weight()],
        [weight(), weight(), weight(), weight()],
    )
        .prop_map(|((edits, hot, follow), a, b)| {
            let mut v = noet_corpus::profile::Revisions {
                edits_per_revision: edits,
                hot_exponent: hot,
                paragraph: a[0],
                add_reference: a[1],
                remove_reference: a[2],
                rename_heading: a[3],
                add_file: a[4],
                delete_file: b[0],
                move_file: b[1],
                front_matter: b[2],
                move_section: b[3],
                follow_share: follow,
            };
            if a.iter().chain(&b).sum::<f64>() <= 0.0 {
                v.move_section = 1.0;
            }
            v
        })
}

/// Sizes from 20 KB to 300 KB, and now and then a file count.
fn size_and_files() -> impl Strategy<Value = (u64, Option<u64>)> {
    (20_000u64..=300_000).prop_flat_map(|size| {
        let most = size / 256;
        (
            Just(size),
            prop_oneof![3 => Just(None), 1 => (1..=most.min(400)).prop_map(Some)],
        )
    })
}

/// The profile as the command line reads it: through its TOML, which must
/// round-trip and pass the checks.
fn checked(p: &Profile) -> Profile {
    let toml = p.to_toml();
    match Profile::from_toml(&toml, "generated profile") {
        Ok(again) => {
            assert_eq!(&again, p, "the profile does not round-trip through TOML");
            again
        }
        Err(e) => panic!("the strategy made an invalid profile: {e}\n{toml}"),
    }
}

/// Every file of a corpus rendered in memory validates against its own
/// manifest record and has its planned size, and the planned sizes sum to
/// exactly the requested size.
fn check_in_memory(
    p: &Profile,
    size: u64,
    seed: u64,
    files: Option<u64>,
) -> Result<(), TestCaseError> {
    let plan = Plan::new(Params::new(p.clone(), size, seed, files))
        .map_err(|e| TestCaseError::fail(format!("plan: {e}")))?;
    let mut planned = 0;
    for i in 0..plan.files {
        let r = render(&plan, i);
        let (got, want) = (r.bytes.len() as u64, plan.file_size(i));
        planned += want;
        // Exact, except files planned smaller than their front matter and
        // title, which come out as small as they can be, and files deep in
        // a fanout-1 tree, whose long `../` paths can overshoot a little
        // (a known limitation, docs/RELIABILITY.md).
        let lenient = (want < 1024 || p.layout.fanout == 1) && got > want;
        prop_assert!(
            got == want || lenient,
            "file {i} ({}) has {got} bytes, planned {want}",
            r.meta.path
        );
        let rec = file_record(&r, r.meta.collides_with.map(|j| plan.file(j).path));
        let mut problems = Vec::new();
        check_file(
            &r.bytes,
            p.dialect,
            p.site,
            &rec,
            &r.headings,
            &r.links,
            &mut problems,
        );
        prop_assert!(
            problems.is_empty(),
            "file {i} ({}): {}\n--- file ---\n{}",
            r.meta.path,
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            String::from_utf8_lossy(&r.bytes)
        );
    }
    prop_assert_eq!(planned, size, "the planned sizes do not sum to --size");
    Ok(())
}

fn gen(
    dir: &Path,
    profile: &Path,
    size: u64,
    seed: u64,
    files: Option<u64>,
    jobs: &str,
) -> std::process::Output {
    let mut c = bin();
    c.arg("gen")
        .arg("--profile")
        .arg(profile)
        .args(["--size", &size.to_string(), "--seed", &seed.to_string()])
        .args(["--jobs", jobs, "-q", "--out"])
        .arg(dir);
    if let Some(f) = files {
        c.args(["--files", &f.to_string()]);
    }
    c.output().unwrap()
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn random_profiles_render_files_that_validate(
        p in profile(),
        (size, files) in size_and_files(),
        seed in any::<u64>(),
    ) {
        let p = checked(&p);
        check_in_memory(&p, size, seed, files)?;
    }
}

proptest! {
    #![proptest_config(config(6))]

    /// The whole pipeline: `gen` validates (cross-file references included)
    /// before it publishes, and `validate` agrees afterwards.
    #[test]
    fn random_profiles_gen_corpora_that_validate(
        p in profile(),
        (size, files) in size_and_files(),
        seed in any::<u64>(),
    ) {
        let p = checked(&p);
        let tmp = Sandbox::new();
        let prof = write(tmp.path(), "p.toml", &p.to_toml());
        let out = tmp.path().join("corpus");
        let o = gen(&out, &prof, size, seed, files, "2");
        if o.status.code() == Some(2) && String::from_utf8_lossy(&o.stderr).contains("levels deep") {
            // A fanout of 1 nests every folder in the previous one: refused
            // up front when the paths would be too long for the system.
            prop_assert!(p.layout.fanout == 1 && !out.exists());
            return Ok(());
        }
        prop_assert!(o.status.success(), "gen: {}\n{}", String::from_utf8_lossy(&o.stderr), p.to_toml());
        let report = noet_corpus::validate::validate_dir(&out, true, 2).unwrap();
        prop_assert!(
            report.problems.is_empty(),
            "{}",
            report.problems.iter().take(10).map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
        );
        prop_assert!(report.bytes >= size, "{} bytes written for --size {size}", report.bytes);
    }

    /// `--jobs 1` and `--jobs 4` write the same bytes, manifest included.
    #[test]
    fn jobs_do_not_change_the_bytes(
        p in profile(),
        size in 100_000u64..=300_000,
        seed in any::<u64>(),
    ) {
        let p = checked(&p);
        let tmp = Sandbox::new();
        let prof = write(tmp.path(), "p.toml", &p.to_toml());
        let (a, b) = (tmp.path().join("j1"), tmp.path().join("j4"));
        for (dir, jobs) in [(&a, "1"), (&b, "4")] {
            let o = gen(dir, &prof, size, seed, None, jobs);
            prop_assert!(o.status.success(), "gen -j{jobs}: {}", String::from_utf8_lossy(&o.stderr));
        }
        let (sa, sb) = (snapshot(&a), snapshot(&b));
        prop_assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
        for (k, v) in &sa {
            prop_assert!(v == &sb[k], "{k} differs between --jobs 1 and --jobs 4");
        }
    }
}

proptest! {
    #![proptest_config(config(8))]

    /// Revision R of a random profile's corpus is the same whether made
    /// from scratch, stepped from revision 0 or from a random earlier
    /// revision, manifest and deltas included; every one validates.
    #[test]
    fn random_profiles_reach_a_revision_the_same_way_from_anywhere(
        p in profile(),
        v in revisions(),
        size in 100_000u64..=250_000,
        seed in any::<u64>(),
        to in 2u64..=14,
        from_frac in 0.0f64..1.0,
    ) {
        let p = checked(&Profile { revisions: v, ..p });
        if p.site.is_some() {
            return Ok(());
        }
        let from = ((to as f64) * from_frac) as u64;
        let tmp = Sandbox::new();
        let prof = write(tmp.path(), "p.toml", &p.to_toml());
        let run = |dir: &Path, revision: u64| {
            let o = bin()
                .arg("gen")
                .arg("--profile")
                .arg(&prof)
                .args(["--size", &size.to_string(), "--seed", &seed.to_string()])
                .args(["--revision", &revision.to_string(), "-q", "--out"])
                .arg(dir)
                .output()
                .unwrap();
            (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned())
        };
        let fresh = tmp.path().join("fresh");
        let (ok, err) = run(&fresh, to);
        if !ok && err.contains("levels deep") {
            return Ok(());
        }
        prop_assert!(ok, "gen --revision {to}: {err}\n{}", p.to_toml());
        let starts: &[u64] = if from == 0 { &[0] } else { &[0, from] };
        for &start in starts {
            let dir = tmp.path().join(format!("from{start}"));
            let (ok, err) = run(&dir, start);
            prop_assert!(ok, "gen --revision {start}: {err}");
            let o = bin().args(["edit", "-q", "--to", &to.to_string()]).arg(&dir).output().unwrap();
            prop_assert!(o.status.success(), "edit --to {to}: {}", String::from_utf8_lossy(&o.stderr));
            prop_assert!(snapshot(&dir) == snapshot(&fresh), "from {start} to {to} differs\n{}", p.to_toml());
        }
        let report = noet_corpus::validate::validate_dir(&fresh, true, 2).unwrap();
        prop_assert!(report.problems.is_empty(), "{}", report.problems.iter().take(5).map(|p| p.to_string()).collect::<Vec<_>>().join("\n"));
    }
}

/// Found by `random_profiles_render_files_that_validate`: tiny files that
/// all carry front matter; the exact-size filler ran out of short words and
/// overshot (a panic in debug builds, an endless loop filling memory in
/// release builds).
#[test]
fn regression_filler_without_short_words() {
    let mut p = Profile {
        name: "prop".into(),
        ..Profile::default()
    };
    p.layout.file_size_median = 300.0;
    p.layout.file_size_sigma = 2.4750719300143595;
    p.layout.file_size_min = 64;
    p.layout.file_size_max = 481;
    p.layout.files_per_folder = 1;
    p.layout.fanout = 2;
    p.layout.network_share = 0.0;
    p.layout.assets = 0;
    p.front_matter.share = 1.0;
    p.front_matter.toml = 0.0;
    p.front_matter.yaml = 1.0;
    p.front_matter.json = 0.0;
    p.front_matter.bids = false;
    for (k, w) in p.mix.iter_mut() {
        *w = if k == noet_corpus::record::BlockKind::Paragraph {
            0.01
        } else {
            0.0
        };
    }
    p.headings.per_kb = 0.0;
    p.headings.max_level = 2;
    p.references.per_kb_min = 0.0;
    p.references.per_kb_max = 0.0;
    p.text.word_exponent = 0.0;
    p.text.paragraph_words = 4;
    p.text.wrap = 0;
    let p = checked(&p);
    check_in_memory(&p, 267_453, 4_571_730_328_576_339_706, None).unwrap();
}

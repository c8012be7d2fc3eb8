//! Runs at the same time: into one `--out`, behind a held lock, `validate`
//! during a replacement, merges side by side.

use super::*;

/// Two runs with the same parameters at once: the second waits for the
/// lock, then finds the corpus up to date. Both succeed; one corpus.
#[test]
fn concurrent_identical_runs_both_succeed_with_one_corpus() {
    let sb = Sandbox::fenced();
    let run = || {
        sb.cmd()
            .args(["gen", "--size", "3MB", "--seed", "4", "--out", "corpus"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = run();
    sleep(Duration::from_millis(150));
    let b = run();
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for o in [&a, &b] {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        no_panic(&o.stderr);
    }
    // Summaries are on stderr, beside any notice of waiting for the lock.
    let outs = [a, b].map(|o| String::from_utf8_lossy(&o.stderr).to_string());
    let says = |s: &String, what: &str| s.lines().any(|l| l.starts_with(what));
    assert!(
        outs.iter().filter(|s| says(s, "generated")).count() == 1
            && outs.iter().filter(|s| says(s, "up to date")).count() == 1,
        "{outs:?}"
    );
    let out = sb.work().join("corpus");
    assert_valid(&out, "after two runs");
    assert_eq!(leftovers(&sb.work()), Vec::<String>::new());
    sb.assert_only(&out);
}

/// Runs with different parameters at once into one `--out`: without
/// `--force` the later one fails cleanly (exit 2, the folder named); with
/// `--force` they take turns. The end result is always exactly one of the
/// requested corpora, never a mix.
#[test]
fn concurrent_different_runs_never_mix() {
    let sb = Sandbox::fenced();
    let spawn = |seed: &str, force: bool| {
        let mut c = sb.cmd();
        c.args([
            "gen", "--size", "1MB", "-q", "--seed", seed, "--out", "corpus",
        ]);
        if force {
            c.arg("--force");
        }
        c.stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn("1", false);
    sleep(Duration::from_millis(100));
    let b = spawn("2", false);
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let eb = String::from_utf8_lossy(&b.stderr);
    assert_eq!(b.status.code(), Some(2), "{eb}");
    assert!(
        eb.contains("holds a different corpus") && eb.contains("--force"),
        "{eb}"
    );
    let out = sb.work().join("corpus");
    assert_eq!(
        manifest_key(&out),
        key_of(&["--size", "1MB", "--seed", "1"])
    );

    let seeds = ["11", "12", "13"];
    let children: Vec<_> = seeds.iter().map(|s| spawn(s, true)).collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        no_panic(&o.stderr);
    }
    assert_valid(&out, "after three concurrent --force runs");
    let key = manifest_key(&out);
    let keys: Vec<String> = seeds
        .iter()
        .map(|s| key_of(&["--size", "1MB", "--seed", s]))
        .collect();
    assert!(keys.contains(&key), "{key} is none of {keys:?}");
    assert_eq!(leftovers(&sb.work()), Vec::<String>::new());
    sb.assert_only(&out);
}

/// While another process holds the lock, `gen` says which lock it waits for
/// and writes nothing; once the lock is released it completes.
#[test]
fn a_held_lock_makes_gen_wait_and_name_it() {
    let sb = Sandbox::fenced();
    let lock_path = sb.work().join(".corpus.noet-lock");
    let lock = fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    let child = sb
        .cmd()
        .args([
            "gen",
            "--profile",
            "tiny",
            "--size",
            "20KB",
            "--out",
            "corpus",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    sleep(Duration::from_millis(700));
    assert!(
        !sb.work().join("corpus").exists(),
        "it wrote while locked out"
    );
    let temps: Vec<_> = leftovers(&sb.work())
        .into_iter()
        .filter(|n| n.contains("noet-tmp"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
    drop(lock);
    let o = child.wait_with_output().unwrap();
    assert!(t.elapsed() >= Duration::from_millis(700));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("waiting") && err.contains(".corpus.noet-lock"),
        "{err}"
    );
    assert_valid(&sb.work().join("corpus"), "after the lock was released");
    assert_eq!(leftovers(&sb.work()), Vec::<String>::new());
    sb.assert_only(&sb.work().join("corpus"));
}

/// `validate` while `gen --force` replaces the corpus sees one whole
/// corpus, the old or the new (it reported hundreds of thousands of false
/// problems in about one run of four).
#[test]
fn validate_during_a_replacement_sees_one_whole_corpus() {
    let s = Sandbox::fenced();
    let c = s.work().join("c");
    gen_quiet(&c, &["--size", "2MB", "--seed", "1"]);
    let mut w = Command::new("sh")
        .current_dir(s.work())
        .arg("-c")
        .arg(format!(
            "for s in 2 3 4 5; do '{BIN}' gen --size 2MB --seed $s --out c --force -q -j1 || exit 9; done"
        ))
        .spawn()
        .unwrap();
    let mut runs = 0;
    while w.try_wait().unwrap().is_none() {
        let out = validate(&c).get_output().clone();
        assert!(
            out.status.success(),
            "a validate during a replacement: {out:?}"
        );
        runs += 1;
    }
    assert!(w.wait().unwrap().success());
    assert!(runs >= 2, "only {runs} validate runs overlapped");
    assert_valid(&c, "after the replacements");
    s.assert_only(&c);
}

/// Two identical `merge --out` runs at once take turns: the second finds
/// the result up to date (it used to copy everything again and exit 2).
#[test]
fn identical_merges_take_turns() {
    let s = Sandbox::fenced();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = s
            .cmd()
            .args([
                "gen", "--size", "3MB", "--seed", "5", "-q", "--shard", &shard, "--out",
            ])
            .arg(format!("s{k}"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let spawn = || {
        s.cmd()
            .args(["merge", "s1", "s2", "s3", "--out", "m", "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success(), "{a:?}\n{b:?}");
    let texts = [a, b].map(|o| String::from_utf8_lossy(&o.stdout).to_string());
    assert!(texts.iter().any(|t| t.contains("\"merged\"")), "{texts:?}");
    for t in &texts {
        assert!(
            t.contains("\"files\":") && !t.contains("\"files\":0"),
            "{t}"
        );
    }
    assert_valid(&s.work().join("m"), "merged twice at once");

    // A shard given twice is named as such.
    let out = s
        .cmd()
        .args(["merge", "s1", "s2", "s2", "--out", "m2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("given twice"),
        "{out:?}"
    );
    assert!(!s.work().join("m2").exists());
}

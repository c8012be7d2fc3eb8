//! `noet-corpus reduce` (issue #19, item 2): with one planted trigger (a
//! command that fails when a `bref://` link is present) the reduction ends
//! at one file holding that construct, in a bounded number of runs, with a
//! manifest that validates; every other link gives way to its text; the
//! input corpus is never touched; an input the command does not fail on is
//! bad input; a hang is a failure whose processes are killed; an interrupt
//! ends the command under test and leaves nothing behind.

use crate::support::{assert_valid, files_under, gen_quiet, reduce_json, snapshot, Sandbox};

/// Fails (exits non-zero) exactly when a file under the folder holds a
/// `bref://` reference.
const TRIGGER: &[&str] = &["sh", "-c", "! grep -rqF 'bref://' \"$1\"", "_", "{}"];

fn tiny(tmp: &Sandbox) -> std::path::PathBuf {
    let dir = tmp.path().join("tiny");
    gen_quiet(
        &dir,
        &["--profile", "tiny", "--size", "20KB", "--seed", "7"],
    );
    dir
}

/// The markdown files of a corpus.
fn md_files(dir: &std::path::Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.ends_with(".md"))
        .collect()
}

#[test]
fn a_planted_trigger_reduces_to_one_file_with_it() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    let before = snapshot(&input);
    let mut results = Vec::new();
    for jobs in ["1", "2"] {
        let out = tmp.path().join(format!("min-{jobs}"));
        let (code, s, err) = reduce_json(&input, &out, &["--jobs", jobs], TRIGGER);
        assert_eq!(code, 0, "{err}");
        let md = md_files(&out);
        assert_eq!(md.len(), 1, "{md:?}");
        let text = std::fs::read_to_string(out.join(&md[0])).unwrap();
        assert!(text.contains("bref://"), "{text}");
        // 1-minimal at the line level: the file is the one line with it.
        assert_eq!(text.lines().count(), 1, "{text}");
        // ... and at the reference level: the one link on it.
        assert_eq!(s["links"], 1, "{s}");
        assert_eq!(text.matches("](").count(), 1, "{text}");
        // Every field docs/JSON.md lists.
        for field in [
            "failure",
            "tests",
            "files_before",
            "bytes_before",
            "files",
            "bytes",
            "assets",
            "links",
            "now_broken",
            "paths",
            "problems",
        ] {
            assert!(s.get(field).is_some(), "no `{field}` in {s}");
        }
        let tests = s["tests"].as_u64().unwrap();
        // Sections and blocks go whole before lines are tried one by one:
        // 25 files of 20 KB take a few dozen runs.
        assert!((2..80).contains(&tests), "{tests} test runs");
        assert_eq!(s["files"], 1);
        assert_eq!(s["files_before"], 25);
        assert_eq!(s["paths"].as_array().unwrap().len(), 1);
        assert!(s["problems"].as_array().unwrap().is_empty(), "{s}");
        assert_valid(&out, "the reduced corpus");
        // The input is only read.
        assert!(snapshot(&input) == before, "reduce changed its input");
        results.push(snapshot(&out));
    }
    // The first failing candidate in order wins, at any --jobs.
    assert!(results[0] == results[1], "--jobs changed the result");
}

#[test]
fn match_makes_the_output_the_failure() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    let out = tmp.path().join("min");
    // grep prints what it finds and exits 0 or 1: neither is the failure;
    // the printed construct is.
    let cmd = ["sh", "-c", "grep -rhoF 'bref://' \"$1\"; true", "_", "{}"];
    let (code, s, err) = reduce_json(&input, &out, &["--match", "bref://[0-9a-f]?"], &cmd);
    assert_eq!(code, 0, "{err}");
    assert_eq!(md_files(&out).len(), 1);
    assert!(
        s["failure"].as_str().unwrap().starts_with("output matches"),
        "{s}"
    );
}

#[test]
fn exit_names_the_one_code_that_is_the_failure() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    // Exit 1 while the construct is there; exit 3, "could not run", once
    // it is gone. Any non-zero exit would let the construct go.
    let cmd = [
        "sh",
        "-c",
        "grep -rqF 'bref://' \"$1\" && exit 1; exit 3",
        "_",
        "{}",
    ];
    let out = tmp.path().join("any");
    let (code, _, err) = reduce_json(&input, &out, &[], &cmd);
    assert_eq!(code, 0, "{err}");
    let any: String = md_files(&out)
        .iter()
        .map(|p| std::fs::read_to_string(out.join(p)).unwrap())
        .collect();
    assert!(!any.contains("bref://"), "{any}");
    let out = tmp.path().join("one");
    let (code, s, err) = reduce_json(&input, &out, &["--exit", "1"], &cmd);
    assert_eq!(code, 0, "{err}");
    assert_eq!(s["failure"], "exit 1");
    let md = md_files(&out);
    assert_eq!(md.len(), 1, "{md:?}");
    let text = std::fs::read_to_string(out.join(&md[0])).unwrap();
    assert!(text.contains("bref://"), "{text}");
    // The input does not fail that way: nothing to reduce.
    let (code, _, err) = reduce_json(&input, &tmp.path().join("no"), &["--exit", "3"], &cmd);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("exit 1; the failure is exit 3"), "{err}");
}

#[test]
fn an_input_the_command_passes_is_bad_input() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    let before = snapshot(&input);
    let out = tmp.path().join("min");
    let (code, s, err) = reduce_json(&input, &out, &[], &["true"]);
    assert_eq!(code, 2, "{err}");
    assert!(s.is_null());
    assert!(err.contains("does not fail on the input corpus"), "{err}");
    assert!(!out.exists());
    assert!(snapshot(&input) == before);
    // A result inside the input would change it.
    let (code, _, err) = reduce_json(&input, &input.join("min"), &[], TRIGGER);
    assert_eq!(code, 2, "{err}");
    assert!(snapshot(&input) == before);
}

#[test]
fn a_link_whose_target_remains_keeps_its_resolution() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    let out = tmp.path().join("min");
    // Fails while a file links to stack_flex_memory.md and that file
    // exists: both stay, the target emptied (it need only exist).
    let cmd = [
        "sh",
        "-c",
        "! { test -f \"$1/stack_flex_memory.md\" && grep -rqF '](stack_flex_memory.md)' \"$1\"; }",
        "_",
        "{}",
    ];
    let (code, s, err) = reduce_json(&input, &out, &[], &cmd);
    assert_eq!(code, 0, "{err}");
    let md = md_files(&out);
    assert_eq!(md.len(), 2, "{md:?}");
    assert!(md.contains(&"stack_flex_memory.md".to_string()), "{md:?}");
    assert_eq!(
        std::fs::read(out.join("stack_flex_memory.md")).unwrap(),
        b""
    );
    assert_eq!(s["now_broken"], 0, "{s}");
    let manifest = crate::support::manifest_text(&out);
    let link: serde_json::Value = manifest
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["type"] == "link")
        .unwrap();
    assert_eq!(link["target"], "stack_flex_memory.md", "{link}");
    // The line that links keeps its words; its other links are text now.
    assert_eq!(s["links"], 1, "{s}");
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert_eq!(index.matches("](").count(), 1, "{index}");
    assert_valid(&out, "the reduced corpus");
}

/// Whether a process group is gone: no process in it runs. (A killed
/// process can linger as a zombie until its new parent reaps it; in a
/// container that may be never, so `kill(-pgid, 0)` cannot tell.)
fn group_is_gone(pgid: i32) -> bool {
    // SIGKILL is delivered asynchronously: on a loaded machine a killed
    // process can still be on its way out when `kill` has returned and
    // its killer has exited. Give it a few seconds before calling it alive.
    let start = std::time::Instant::now();
    while !group_is_gone_now(pgid) {
        if start.elapsed().as_secs() >= 5 {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    true
}

fn group_is_gone_now(pgid: i32) -> bool {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        // SAFETY: signal 0 only asks whether the group exists.
        return unsafe { libc::kill(-pgid, 0) != 0 };
    };
    !procs.flatten().any(|p| {
        let stat = std::fs::read_to_string(p.path().join("stat")).unwrap_or_default();
        // After the command's name in parentheses: state, parent, group.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or("", |(_, rest)| rest)
            .split_whitespace()
            .collect();
        fields.len() > 2 && fields[2] == pgid.to_string() && fields[0] != "Z"
    })
}

/// The process groups that the commands under test wrote to `pids`.
fn groups(pids: &std::path::Path) -> Vec<i32> {
    std::fs::read_to_string(pids)
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect()
}

/// Leftovers of reduce in a temporary folder.
fn leftovers(tmp: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("noet-reduce"))
        .collect()
}

#[test]
fn a_hang_is_a_failure_and_its_processes_are_killed() {
    let tmp = Sandbox::new();
    let input = tiny(&tmp);
    let out = tmp.path().join("min");
    let pids = tmp.path().join("pids");
    // Hangs (a shell and its child) while the construct is there; each
    // hanging shell leads its own process group and says which.
    let script = "if grep -rqF 'bref://' \"$1\"; then echo $$ >> \"$2\"; sleep 60; fi";
    let pids_s = pids.to_str().unwrap();
    let cmd = ["sh", "-c", script, "_", "{}", pids_s];
    let (code, s, err) = reduce_json(&input, &out, &["--timeout", "0.3"], &cmd);
    assert_eq!(code, 0, "{err}");
    assert!(s["failure"].as_str().unwrap().starts_with("timeout"), "{s}");
    let md = md_files(&out);
    assert_eq!(md.len(), 1, "{md:?}");
    assert!(std::fs::read_to_string(out.join(&md[0]))
        .unwrap()
        .contains("bref://"));
    let hung = groups(&pids);
    assert!(hung.len() >= 2, "{hung:?}");
    for g in hung {
        assert!(group_is_gone(g), "process group {g} outlived its timeout");
    }
}

#[test]
fn an_interrupt_ends_the_command_and_leaves_nothing() {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        let tmp = Sandbox::new();
        let input = tiny(&tmp);
        let before = snapshot(&input);
        let temp = tmp.path().join("tmp");
        std::fs::create_dir(&temp).unwrap();
        let out = tmp.path().join("min");
        let pids = tmp.path().join("pids");
        let mut child = crate::support::bin()
            .env("TMPDIR", &temp)
            .arg("reduce")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .args(["--quiet", "--timeout", "120", "--"])
            .args(["sh", "-c", "echo $$ >> \"$2\"; sleep 60", "_", "{}"])
            .arg(&pids)
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        while groups(&pids).is_empty() {
            assert!(start.elapsed().as_secs() < 30, "the command never started");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            !leftovers(&temp).is_empty(),
            "the test runs in a temporary copy"
        );
        // SAFETY: a signal to the child this test started.
        unsafe { libc::kill(child.id() as i32, sig) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "signal {sig}");
        for g in groups(&pids) {
            assert!(
                group_is_gone(g),
                "signal {sig}: the command under test outlived reduce"
            );
        }
        assert!(leftovers(&temp).is_empty(), "{:?}", leftovers(&temp));
        assert!(!out.exists());
        assert!(snapshot(&input) == before, "reduce changed its input");
    }
}

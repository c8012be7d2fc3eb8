//! The fuzz harness (fuzz/harness.rs) in the normal test run: every saved
//! input (the seeds in fuzz/seeds and the inputs fuzzing found in
//! fuzz/regressions) and a few hundred pseudo-random ones. `cargo fuzz`
//! (nightly) explores far more: see fuzz/README.md.

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::path::Path;

fn saved(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["seeds", "regressions"] {
        let d = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz")
            .join(dir)
            .join(target);
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.') {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Deterministic pseudo-random bytes (xorshift), no extra dependency.
fn random_inputs(n: usize, max_len: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut x = seed;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|_| {
            let len = (next() as usize) % max_len;
            (0..len).map(|_| next() as u8).collect()
        })
        .collect()
}

#[test]
fn saved_profile_inputs() {
    let inputs = saved("profile_parse");
    assert!(!inputs.is_empty(), "the seed corpus is missing");
    for (name, data) in inputs {
        eprintln!("{name}");
        harness::parse_profile(&data);
    }
}

#[test]
fn saved_generate_inputs() {
    let inputs = saved("generate_small");
    assert!(!inputs.is_empty(), "the seed corpus is missing");
    for (name, data) in inputs {
        eprintln!("{name}");
        harness::generate_small(&data);
    }
}

/// Random bytes, and seed profiles with random bytes spliced in (closer to
/// what a fuzzer does to reach the checks past TOML syntax).
#[test]
fn random_profile_text() {
    let seeds = saved("profile_parse");
    for (k, junk) in random_inputs(400, 64, 0x9e37_79b9_7f4a_7c15)
        .into_iter()
        .enumerate()
    {
        harness::parse_profile(&junk);
        let (_, base) = &seeds[k % seeds.len()];
        let at = (k * 7919) % base.len().max(1);
        let mut spliced = base[..at].to_vec();
        spliced.extend_from_slice(&junk);
        spliced.extend_from_slice(&base[at.min(base.len())..]);
        harness::parse_profile(&spliced);
    }
}

#[test]
fn random_small_corpora() {
    for data in random_inputs(12, 300, 0x2545_f491_4f6c_dd1d) {
        harness::generate_small(&data);
    }
}

//! Image assets: PNGs that decode, SVGs that parse, sizes that follow the
//! profile, manifest records that match the files, and the same bytes for
//! the same parameters.

use crate::support::{assert_valid, gen_quiet, snapshot, Sandbox};
use std::collections::BTreeMap;
use std::path::Path;

/// The default profile's `layout.asset_bytes_median`.
const MEDIAN: f64 = 20_000.0;

/// Every file under `assets/` of the corpus at `root`, by relative path.
fn assets(root: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("assets/"))
        .collect()
}

/// The manifest's `asset` records: path to (bytes, blake3).
fn asset_records(root: &Path) -> BTreeMap<String, (u64, String)> {
    let text = crate::support::manifest_text(root);
    text.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON lines"))
        .filter(|v| v["type"] == "asset")
        .map(|v| {
            (
                v["path"].as_str().unwrap().to_string(),
                (
                    v["bytes"].as_u64().unwrap(),
                    v["blake3"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect()
}

/// Decode a PNG fully (CRCs checked); its size must be its IHDR's.
fn check_png(rel: &str, bytes: &[u8]) {
    let ihdr_w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let ihdr_h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{rel}: {e}"));
    let mut buf = vec![0; reader.output_buffer_size().expect("a sane size")];
    let frame = reader
        .next_frame(&mut buf)
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!((frame.width, frame.height), (ihdr_w, ihdr_h), "{rel}");
    assert!((16..=4096).contains(&frame.width), "{rel}: {}", frame.width);
    reader.finish().unwrap_or_else(|e| panic!("{rel}: {e}"));
}

/// Parse an SVG as XML: the root is an `svg` element in the SVG namespace.
fn check_svg(rel: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{rel}");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg"),
        "{rel}"
    );
    for key in ["width", "height", "viewBox"] {
        assert!(root.attribute(key).is_some(), "{rel}: no {key}");
    }
}

#[test]
fn default_assets_are_valid_pngs_and_svgs_of_the_drawn_sizes() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("corpus");
    let args = ["--profile", "default", "--size", "500KB", "--seed", "1"];
    gen_quiet(&out, &args);
    let files = assets(&out);
    let (mut pngs, mut svgs) = (0, 0);
    for (rel, bytes) in &files {
        if rel.ends_with(".png") {
            check_png(rel, bytes);
            pngs += 1;
        } else if rel.ends_with(".svg") {
            check_svg(rel, bytes);
            svgs += 1;
        } else {
            panic!("{rel}: neither PNG nor SVG");
        }
    }
    assert!(pngs > 0 && svgs > 0, "{pngs} PNGs, {svgs} SVGs");

    let mut sizes: Vec<usize> = files.values().map(Vec::len).collect();
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2] as f64;
    assert!(
        (MEDIAN / 2.0..=MEDIAN * 2.0).contains(&median),
        "median asset {median} bytes, profile says {MEDIAN}: {sizes:?}"
    );

    let records = asset_records(&out);
    assert_eq!(
        records.keys().collect::<Vec<_>>(),
        files.keys().collect::<Vec<_>>()
    );
    for (rel, bytes) in &files {
        let (len, hash) = &records[rel];
        assert_eq!(*len, bytes.len() as u64, "{rel}");
        assert_eq!(*hash, blake3::hash(bytes).to_hex().to_string(), "{rel}");
    }
    assert_valid(&out, "gen --size 500KB --seed 1");

    // Some image reference points at an SVG, and it resolves (validate).
    let md = snapshot(&out)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".md"))
        .any(|(_, b)| String::from_utf8_lossy(&b).contains(".svg)"));
    assert!(md, "no image reference names an SVG");
}

#[test]
fn svg_embeds_resolve_in_an_obsidian_vault() {
    let tmp = Sandbox::new();
    let out = tmp.path().join("vault");
    let profile = tmp.path().join("svg.toml");
    // Every asset an SVG, so `![[x.svg]]` embeds must resolve.
    std::fs::write(&profile, "[layout]\nsvg_share = 1.0\n").unwrap();
    let p = profile.to_str().unwrap();
    gen_quiet(
        &out,
        &[
            "--profile",
            p,
            "--dialect",
            "obsidian",
            "--size",
            "200KB",
            "--seed",
            "5",
        ],
    );
    let files = assets(&out);
    assert!(!files.is_empty() && files.keys().all(|r| r.ends_with(".svg")));
    assert_valid(&out, "an all-SVG obsidian vault");
}

#[test]
fn same_parameters_same_asset_bytes() {
    let tmp = Sandbox::new();
    let args = ["--profile", "vault", "--size", "100KB", "--seed", "3"];
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    gen_quiet(&a, &args);
    gen_quiet(
        &b,
        &["--jobs", "1"]
            .iter()
            .chain(&args)
            .copied()
            .collect::<Vec<_>>(),
    );
    let (x, y) = (assets(&a), assets(&b));
    assert!(!x.is_empty());
    assert_eq!(x, y);
    let c = tmp.path().join("c");
    gen_quiet(
        &c,
        &["--profile", "vault", "--size", "100KB", "--seed", "4"],
    );
    assert_ne!(assets(&c), x, "another seed draws other images");
}

#[test]
fn nonsense_asset_keys_are_rejected() {
    let tmp = Sandbox::new();
    for (line, key) in [
        ("asset_bytes_median = 10", "layout.asset_bytes_median"),
        ("asset_bytes_median = 1e12", "layout.asset_bytes_median"),
        ("asset_bytes_sigma = -1.0", "layout.asset_bytes_sigma"),
        ("svg_share = 1.5", "layout.svg_share"),
    ] {
        let profile = tmp.path().join("bad.toml");
        std::fs::write(&profile, format!("[layout]\n{line}\n")).unwrap();
        let out = crate::support::noet()
            .args(["gen", "--size", "20KB", "--profile"])
            .arg(&profile)
            .arg("--out")
            .arg(tmp.path().join("x"))
            .assert()
            .failure()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains(key) && err.contains(":2"), "{line}: {err}");
    }
}

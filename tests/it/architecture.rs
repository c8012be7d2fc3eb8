//! The layers of docs/ARCHITECTURE.md hold in the code: a module imports
//! only modules of its own or a lower layer, and modules of one layer do
//! not import each other in a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first, as docs/ARCHITECTURE.md draws them.
const LAYERS: &[&[&str]] = &[
    &[
        "rng", "words", "size", "bounded", "threads", "ordered", "dialect", "error", "notice",
        "table", "lines",
    ],
    &["record", "site"],
    &["text", "code"],
    &["profile"],
    &["plan"],
    &["links"],
    &["render", "assets"],
    &["manifest", "output"],
    &["validate"],
    &["generate", "merge", "stats", "info", "check", "reduce"],
    &["revise", "suite"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every library module (`src/NAME.rs` or `src/NAME/`) with the crate
/// modules its files name as `crate::OTHER`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel == "bin" || rel == "lib.rs" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if !rel.ends_with(".rs") {
                continue;
            }
            let module = rel.split(['/', '.']).next().unwrap().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may use any layer to set up a case.
            let text = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            let used = out.entry(module.clone()).or_default();
            for (at, _) in text.match_indices("crate::") {
                let name: String = text[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name != module && layer(&name).is_some() {
                    used.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn every_module_is_in_a_layer_and_imports_only_downwards() {
    let mut wrong = Vec::new();
    for (module, used) in imports() {
        let Some(own) = layer(&module) else {
            wrong.push(format!("{module} is in no layer of docs/ARCHITECTURE.md"));
            continue;
        };
        for u in used {
            if layer(&u).unwrap() > own {
                wrong.push(format!("{module} imports {u}, a higher layer"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn modules_of_one_layer_import_each_other_in_no_loop() {
    let graph = imports();
    // Depth-first search for a back edge among same-layer imports.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            return Some(path[at..].to_vec());
        }
        if !done.insert(m.to_string()) {
            return None;
        }
        path.push(m.to_string());
        for u in graph.get(m).into_iter().flatten() {
            if layer(u) == layer(m) {
                if let Some(cycle) = visit(u, graph, path, done) {
                    return Some(cycle);
                }
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        let cycle = visit(m, &graph, &mut Vec::new(), &mut done);
        assert!(cycle.is_none(), "import loop: {cycle:?}");
    }
}

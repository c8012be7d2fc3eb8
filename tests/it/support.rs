//! What the integration tests share: the binary under test and the ways
//! they run it, a sandbox folder to run it in, snapshots of folders, and
//! the few facts read off a corpus (its manifest's key, whether it
//! validates).

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_noet-corpus");

/// Every built-in profile.
pub const PRESETS: [&str; 7] = [
    "default",
    "tiny",
    "realistic",
    "book",
    "vault",
    "code-heavy",
    "mdn-like",
];

/// Where `scripts/install-tools.sh` put the real tools the end-to-end
/// tests run: `$NOET_CORPUS_TOOLS`, else `target/tools`.
pub fn tools() -> PathBuf {
    std::env::var_os("NOET_CORPUS_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools"))
}

/// The manifest, relative to a corpus root.
pub const MANIFEST: &str = ".noet-corpus/manifest.jsonl.zst";

/// The JSON lines of the manifest of the corpus at `root` (stored as zstd
/// frames), as `zstdcat` would print them.
pub fn manifest_text(root: &Path) -> String {
    decode_manifest(&fs::read(root.join(MANIFEST)).unwrap())
}

/// The JSON lines of manifest file bytes.
pub fn decode_manifest(bytes: &[u8]) -> String {
    String::from_utf8(zstd::decode_all(bytes).expect("a zstd manifest")).unwrap()
}

/// The JSON lines of the manifest file at `path`.
pub fn read_manifest_at(path: &Path) -> String {
    decode_manifest(&fs::read(path).unwrap())
}

/// Write the JSON lines `text` as the manifest file at `path`.
pub fn write_manifest_at(path: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    fs::write(path, noet_corpus::manifest::encode(text.as_ref()))
}

/// A fresh `noet-corpus` command, to run to an [`Assert`] or an output.
pub fn noet() -> Command {
    Command::cargo_bin("noet-corpus").expect("the noet-corpus binary is built")
}

/// A fresh `noet-corpus` command as a plain [`std::process::Command`], for
/// the runs a test spawns, signals or waits for itself.
pub fn bin() -> std::process::Command {
    std::process::Command::new(BIN)
}

/// `noet-corpus gen ARGS --out OUT --quiet`, which must succeed.
pub fn gen_quiet(out: &Path, args: &[&str]) {
    noet()
        .arg("gen")
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .assert()
        .success();
}

/// `noet-corpus validate DIR`, run.
pub fn validate(dir: &Path) -> Assert {
    noet().arg("validate").arg(dir).assert()
}

/// `dir` validates; `context` says when, in the message if it does not.
pub fn assert_valid(dir: &Path, context: &str) {
    let v = validate(dir);
    let v = v.get_output();
    assert!(
        v.status.success(),
        "{context}: {} exists but does not validate:\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}

/// `noet-corpus key ARGS`, which must succeed: the key, trimmed.
pub fn key_of(args: &[&str]) -> String {
    let o = noet().arg("key").args(args).output().unwrap();
    assert!(o.status.success(), "key {args:?}: {o:?}");
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

/// The `key` field of a corpus's manifest (its first line, the corpus
/// record).
pub fn manifest_key(root: &Path) -> String {
    let text = manifest_text(root);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "corpus");
    first["key"].as_str().unwrap().to_string()
}

/// Names directly inside `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Write `text` to `root/rel`, creating the folders above it: a profile,
/// a suite, a handwritten markdown tree. Returns the path.
pub fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

/// A folder's contents: relative `/`-separated path -> bytes.
pub type Tree = BTreeMap<String, Vec<u8>>;

/// What a [`snapshot_with`] leaves out and records besides files.
#[derive(Clone, Copy, Default)]
pub struct Walk<'a> {
    /// A path under the root left out, with everything under it.
    pub skip: Option<&'a Path>,
    /// Record every folder too, as `rel/` with no bytes, so that an empty
    /// folder left behind shows.
    pub dirs: bool,
}

/// Every entry under `root` that `walk` keeps, hidden ones included, with
/// whether it is a folder, in no particular order.
fn walk_tree(root: &Path, walk: Walk) -> Vec<(String, PathBuf, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if Some(path.as_path()) == walk.skip {
                continue;
            }
            let name = entry.file_name().into_string().unwrap();
            let r = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let is_dir = entry.file_type().unwrap().is_dir();
            if is_dir {
                stack.push((path.clone(), r.clone()));
            }
            out.push((r, path, is_dir));
        }
    }
    out
}

/// Relative `/`-separated paths of every file under `root`, hidden ones
/// included, sorted.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk_tree(root, Walk::default())
        .into_iter()
        .filter(|(_, _, is_dir)| !is_dir)
        .map(|(rel, _, _)| rel)
        .collect();
    out.sort();
    out
}

/// Every file under `root` (hidden ones included): relative path -> bytes.
pub fn snapshot(root: &Path) -> Tree {
    snapshot_with(root, Walk::default())
}

/// Every file under `root`, and every folder if `walk.dirs`, except what
/// `walk.skip` leaves out. A symbolic link is recorded by its target (it
/// is never followed).
pub fn snapshot_with(root: &Path, walk: Walk) -> Tree {
    let mut out = BTreeMap::new();
    for (rel, path, is_dir) in walk_tree(root, walk) {
        if is_dir {
            if walk.dirs {
                out.insert(rel + "/", Vec::new());
            }
            continue;
        }
        let bytes = match fs::read_link(&path) {
            Ok(target) => format!("-> {}", target.display()).into_bytes(),
            Err(_) => fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        };
        out.insert(rel, bytes);
    }
    out
}

/// What changed between two snapshots.
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Changes {
    pub fn between(before: &Tree, now: &Tree) -> Changes {
        Changes {
            added: now
                .keys()
                .filter(|k| !before.contains_key(*k))
                .cloned()
                .collect(),
            removed: before
                .keys()
                .filter(|k| !now.contains_key(*k))
                .cloned()
                .collect(),
            changed: now
                .iter()
                .filter(|(k, v)| before.get(*k).is_some_and(|b| b != *v))
                .map(|(k, _)| k.clone())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Every path added, removed or changed, sorted.
    pub fn all(&self) -> Vec<String> {
        let mut all: Vec<String> = [&self.added, &self.removed, &self.changed]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        all.sort();
        all
    }
}

/// A temporary folder to run the binary in, removed when dropped.
///
/// [`Sandbox::new`] is an empty folder, the current folder of its runs.
/// [`Sandbox::fenced`] has a `work` subfolder (the current folder of every
/// run, which holds `--out`) and an `outside` subfolder with a file that no
/// run may touch, and remembers everything in it, so that a test can end
/// with [`Sandbox::assert_only`]: nothing but `--out` changed, no temporary
/// folder, no lock file, nothing beside or above it.
pub struct Sandbox {
    _tmp: tempfile::TempDir,
    /// The temporary folder.
    pub root: PathBuf,
    work: PathBuf,
    before: Tree,
}

impl Sandbox {
    /// An empty temporary folder.
    pub fn new() -> Sandbox {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        Sandbox {
            _tmp: tmp,
            work: root.clone(),
            root,
            before: Tree::new(),
        }
    }

    /// A temporary folder with `work` and `outside`, remembered.
    pub fn fenced() -> Sandbox {
        let mut s = Sandbox::new();
        s.work = s.root.join("work");
        fs::create_dir_all(&s.work).unwrap();
        fs::create_dir_all(s.root.join("outside/deeper")).unwrap();
        fs::write(s.root.join("outside/keep.md"), "# Keep\n\nuntouched\n").unwrap();
        fs::write(s.work.join("notes.txt"), "a file beside --out\n").unwrap();
        s.remember();
        s
    }

    /// The temporary folder.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The current folder of the sandbox's runs: `work` in a fenced
    /// sandbox, else the temporary folder itself.
    pub fn work(&self) -> PathBuf {
        self.work.clone()
    }

    /// `noet-corpus`, run in [`Sandbox::work`].
    pub fn noet(&self) -> Command {
        let mut c = noet();
        c.current_dir(&self.work);
        c
    }

    /// `noet-corpus` as a plain command (to spawn), run in
    /// [`Sandbox::work`].
    pub fn cmd(&self) -> std::process::Command {
        let mut c = bin();
        c.current_dir(&self.work);
        c
    }

    /// Every file and folder under the root, except under `skip`.
    pub fn snapshot(&self, skip: Option<&Path>) -> Tree {
        snapshot_with(&self.root, Walk { skip, dirs: true })
    }

    /// Take what is there now as the state [`Sandbox::assert_only`]
    /// compares with.
    pub fn remember(&mut self) {
        self.before = self.snapshot(None);
    }

    /// What changed since [`Sandbox::fenced`] (or the last
    /// [`Sandbox::remember`]), except under `skip`.
    pub fn changes(&self, skip: Option<&Path>) -> Changes {
        Changes::between(&self.before, &self.snapshot(skip))
    }

    /// Nothing but `target` (a path under `work`) changed since
    /// [`Sandbox::fenced`] (or the last [`Sandbox::remember`]).
    pub fn assert_only(&self, target: &Path) {
        let c = self.changes(Some(target));
        assert!(
            c.is_empty(),
            "outside --out: added {:?}, removed {:?}, changed {:?}",
            c.added,
            c.removed,
            c.changed
        );
    }
}

/// `noet-corpus gen ARGS --out - --quiet`, which must succeed: the tar
/// stream it wrote on stdout.
pub fn gen_tar(args: &[&str]) -> Vec<u8> {
    let o = noet()
        .arg("gen")
        .args(args)
        .args(["--out", "-", "--quiet"])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "gen {args:?} --out -: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// Extract the tar stream `bytes` into `dir` (created), as `tar -x -C DIR`
/// would.
pub fn unpack(bytes: &[u8], dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    tar::Archive::new(bytes).unpack(dir).unwrap();
}

/// `noet-corpus check DIR --expected`, which must succeed: the manifest's
/// own answers, one JSON object a line.
pub fn expected_answers(dir: &Path) -> Vec<serde_json::Value> {
    let o = noet()
        .args(["check", "--expected"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "check --expected: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Write `answers` to `path` as JSON lines.
pub fn write_answers(path: &Path, answers: &[serde_json::Value]) {
    let text: String = answers.iter().map(|a| format!("{a}\n")).collect();
    fs::write(path, text).unwrap();
}

/// `noet-corpus check DIR --answers FILE --json`: the exit code and the
/// report.
pub fn check_json(dir: &Path, answers: &Path) -> (i32, serde_json::Value) {
    check_json_with(dir, answers, &[])
}

/// `check_json` with more options (`--unanswered found`, ...).
pub fn check_json_with(dir: &Path, answers: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let o = noet()
        .arg("check")
        .arg(dir)
        .arg("--answers")
        .arg(answers)
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "check --json printed no JSON ({e}): {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code().unwrap(), report)
}

/// `noet-corpus reduce INPUT --out OUT --json ARGS -- CMD...`, run: its
/// exit code, its JSON summary (`null` when it printed none) and stderr.
pub fn reduce_json(
    input: &Path,
    out: &Path,
    args: &[&str],
    cmd: &[&str],
) -> (i32, serde_json::Value, String) {
    let o = noet()
        .arg("reduce")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--json")
        .args(args)
        .arg("--")
        .args(cmd)
        .output()
        .unwrap();
    let summary = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    (
        o.status.code().unwrap_or(-1),
        summary,
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

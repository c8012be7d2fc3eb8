//! Where a tool disagrees with the ground truth (`noet-corpus check`): read
//! a tool's answers (what it resolved each reference to, and optionally
//! what it made of each file) in the JSON-lines format of docs/JSON.md
//! ("Answers"), match them with the manifest's `link` and `file` records,
//! and count agreement per reference kind and per construct, with each
//! class of disagreement and a few examples of it.
//!
//! The manifest's links are held in memory (one record and a few flags
//! each) while the answers stream past: answers come in the tool's order,
//! not the manifest's, so each must be looked up by source and
//! destination.

use crate::manifest::{self, ManifestError, Record};
use crate::record::{join_path, LinkKind, LinkRecord};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, Read, Write};
use std::path::Path;

/// What a tool resolved a reference to (or what the manifest says it
/// must resolve to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A file (or asset) of the corpus, and maybe a section of it.
    File {
        /// Path from the corpus root, `/`-separated.
        file: String,
        /// A section id in `file` (`^block` for an Obsidian block).
        anchor: Option<String>,
    },
    /// A URL outside the corpus.
    External,
    /// Nothing.
    Unresolved,
    /// Something, the tool does not say what: a link checker that reports
    /// only what is broken says this of every other link. It agrees with
    /// any expectation but a deliberate negative.
    Found,
}

impl Resolution {
    /// The expectation a manifest link record states.
    pub fn expected(link: &LinkRecord) -> Resolution {
        match (&link.target, link.external) {
            (Some(file), _) => Resolution::File {
                file: file.clone(),
                anchor: link.anchor.clone(),
            },
            (None, true) => Resolution::External,
            (None, false) => Resolution::Unresolved,
        }
    }
}

/// As the answers format writes `resolved`: `{"file": ..., "anchor": ...}`
/// (in that order, `anchor` only when there is one), `"external"`, or
/// `null`.
impl Serialize for Resolution {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Resolution::File { file, anchor } => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("file", file)?;
                if let Some(a) = anchor {
                    m.serialize_entry("anchor", a)?;
                }
                m.end()
            }
            Resolution::External => s.serialize_str("external"),
            Resolution::Unresolved => s.serialize_none(),
            Resolution::Found => s.serialize_str("found"),
        }
    }
}

impl std::fmt::Display for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Resolution::File { file, anchor: None } => write!(f, "{file}"),
            Resolution::File {
                file,
                anchor: Some(a),
            } => write!(f, "{file}#{a}"),
            Resolution::External => f.write_str("external"),
            Resolution::Unresolved => f.write_str("unresolved"),
            Resolution::Found => f.write_str("resolved (target not given)"),
        }
    }
}

/// One line of a tool's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// What the tool resolved one reference to.
    Link {
        /// The file the reference is in, from the corpus root.
        source: String,
        /// 1-based line where the reference starts, if the tool knows it.
        line: Option<u64>,
        /// The destination as written (as the manifest's `dest`).
        dest: String,
        /// What the tool resolved it to.
        resolved: Resolution,
    },
    /// What the tool made of one file; a field left out is not compared.
    File {
        /// The file, from the corpus root.
        file: String,
        /// The document title the tool read.
        title: Option<String>,
        /// The document id the tool read: `Some(None)` for "no id".
        id: Option<Option<String>>,
    },
}

/// A class of disagreement between the answers and the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Resolved to another file than the manifest's target.
    WrongFile,
    /// The right file, another section (or a section where none is meant,
    /// or none where one is).
    WrongAnchor,
    /// A deliberate negative resolved to something.
    ResolvedNegative,
    /// A reference that resolves (to a file or outside) left unresolved.
    Unresolved,
    /// External where a file is meant, or a file where an external URL is.
    External,
    /// A manifest link the answers do not mention.
    Missing,
    /// An answer that names no manifest link (or one already answered).
    Extra,
    /// A file whose title the tool read otherwise.
    FileTitle,
    /// A file whose id the tool read otherwise.
    FileId,
    /// A file answer that names no file of the manifest.
    FileExtra,
}

impl Class {
    /// Every class, in report order.
    pub const ALL: [Class; 10] = [
        Class::WrongFile,
        Class::WrongAnchor,
        Class::ResolvedNegative,
        Class::Unresolved,
        Class::External,
        Class::Missing,
        Class::Extra,
        Class::FileTitle,
        Class::FileId,
        Class::FileExtra,
    ];

    /// The snake_case name used in reports and `--json`.
    pub fn name(self) -> &'static str {
        match self {
            Class::WrongFile => "wrong_file",
            Class::WrongAnchor => "wrong_anchor",
            Class::ResolvedNegative => "resolved_negative",
            Class::Unresolved => "unresolved",
            Class::External => "external",
            Class::Missing => "missing",
            Class::Extra => "extra",
            Class::FileTitle => "file_title",
            Class::FileId => "file_id",
            Class::FileExtra => "file_extra",
        }
    }

    /// What the class means, for a person.
    pub fn describe(self) -> &'static str {
        match self {
            Class::WrongFile => "resolved to a different file",
            Class::WrongAnchor => "resolved to the right file but a different section",
            Class::ResolvedNegative => "resolved a deliberate negative (must resolve to nothing)",
            Class::Unresolved => "left unresolved a link that resolves",
            Class::External => "external where a file is meant, or the other way round",
            Class::Missing => "a link of the manifest the answers do not mention",
            Class::Extra => "an answer that names no link of the manifest",
            Class::FileTitle => "read a file's title otherwise",
            Class::FileId => "read a file's id otherwise",
            Class::FileExtra => "a file answer that names no file of the manifest",
        }
    }
}

/// The constructs a reference is counted under besides its kind: what
/// about it a tool may get wrong. A link can be several at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Construct {
    /// A wikilink or embed (`[[...]]`, `![[...]]`), resolved by name.
    Wikilink,
    /// A path to a file (relative, `../`, root-absolute, `#`, folder,
    /// image, or a `[label]` definition's path).
    Path,
    /// Carries a section anchor (`#slug`, `#Heading`, `#^block`).
    Anchor,
    /// Written in a network's `index.md`, whose folder paths start from.
    IndexSource,
    /// A root-absolute path (`/x/y.md`).
    RootAbsolute,
    /// A same-file anchor (`#slug`: an empty path).
    SameFileAnchor,
    /// Points at a section of its own file, written any way.
    OwnSection,
    /// Points at the `index.md` of the network the source is in.
    OwnIndex,
    /// Points at a file in a deliberate title/id collision.
    Collision,
    /// A deliberate negative: must resolve to nothing.
    Negative,
}

impl Construct {
    /// Every construct, in report order.
    pub const ALL: [Construct; 10] = [
        Construct::Wikilink,
        Construct::Path,
        Construct::Anchor,
        Construct::IndexSource,
        Construct::RootAbsolute,
        Construct::SameFileAnchor,
        Construct::OwnSection,
        Construct::OwnIndex,
        Construct::Collision,
        Construct::Negative,
    ];

    /// The snake_case name used in reports and `--json`.
    pub fn name(self) -> &'static str {
        match self {
            Construct::Wikilink => "wikilink",
            Construct::Path => "path",
            Construct::Anchor => "anchor",
            Construct::IndexSource => "index_source",
            Construct::RootAbsolute => "root_absolute",
            Construct::SameFileAnchor => "same_file_anchor",
            Construct::OwnSection => "own_section",
            Construct::OwnIndex => "own_index",
            Construct::Collision => "collision",
            Construct::Negative => "negative",
        }
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// How many links of a group there are and how many the answers got right.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// The group's name: a kind (`wikilink`), a construct (`index_source`)
    /// or `files`.
    pub name: String,
    /// Manifest links (or files answered) in the group.
    pub links: u64,
    /// Of those, answered as the manifest says.
    pub agree: u64,
}

impl Tally {
    /// Agreement in percent (100 for an empty group).
    pub fn percent(&self) -> f64 {
        if self.links == 0 {
            100.0
        } else {
            self.agree as f64 * 100.0 / self.links as f64
        }
    }
}

/// One disagreement, as a report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The source file (for file classes, the file).
    pub path: String,
    /// The line (0 when the answer gave none, or for a file).
    pub line: u64,
    /// The destination as written (empty for a file).
    pub dest: String,
    /// What the manifest says.
    pub expected: String,
    /// What the answers say.
    pub found: String,
}

/// One class of disagreement: how often, and the first few cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassReport {
    /// The class's name ([`Class::name`]).
    pub class: String,
    /// What it means.
    pub meaning: String,
    /// How many disagreements of this class.
    pub count: u64,
    /// The first of them, in the order they were found.
    pub examples: Vec<Example>,
}

/// The comparison of a tool's answers with a manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// Links in the manifest.
    pub links: u64,
    /// Link answers read.
    pub answered: u64,
    /// Manifest links answered as the manifest says.
    pub agree: u64,
    /// Per reference kind present in the manifest, in kind order.
    pub by_kind: Vec<Tally>,
    /// Per construct present in the manifest, in construct order.
    pub by_construct: Vec<Tally>,
    /// File answers: how many, and how many agree in every field given.
    pub files: Tally,
    /// Each class of disagreement met, in class order.
    pub disagreements: Vec<ClassReport>,
}

impl CheckReport {
    /// Whether every link and file answer agrees, none is missing and
    /// none is extra.
    pub fn all_agree(&self) -> bool {
        self.disagreements.is_empty()
    }

    /// How many disagreements of `class` were found.
    pub fn count(&self, class: Class) -> u64 {
        self.disagreements
            .iter()
            .find(|c| c.class == class.name())
            .map_or(0, |c| c.count)
    }
}

/// Why answers could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The corpus's manifest cannot be used.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// The answers cannot be read.
    #[error("cannot read answers {name}: {source}")]
    Io {
        /// The answers as named (a path, or `-`).
        name: String,
        /// The error.
        source: std::io::Error,
    },
    /// A line of the answers is not an answer.
    #[error("{name}:{line}: {reason}")]
    Bad {
        /// The answers as named.
        name: String,
        /// 1-based line.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// Writing the expected answers failed.
    #[error("cannot write the answers: {0}")]
    Write(std::io::Error),
}

impl CheckError {
    /// Answers that cannot be read or are ill-formed are the request's
    /// fault (input); a manifest's failure keeps its own class; a failed
    /// write is the system's.
    pub fn class(&self) -> crate::error::ErrorClass {
        use crate::error::ErrorClass;
        match self {
            CheckError::Manifest(e) => e.class(),
            CheckError::Io { .. } | CheckError::Bad { .. } => ErrorClass::Input,
            CheckError::Write(_) => ErrorClass::Runtime,
        }
    }
}

/// The longest answer line read: an answer is a few hundred bytes, and a
/// line without end (answers pointed at /dev/zero) must not fill memory.
const MAX_LINE: u64 = 1 << 20;

/// Read a JSON-lines stream of answers, calling `each` with every answer
/// and its 1-based line. Blank lines are passed over. `name` names the
/// stream in errors (`answers.jsonl:12: ...`).
pub fn read_answers(
    input: &mut dyn BufRead,
    name: &str,
    each: &mut dyn FnMut(u64, Answer),
) -> Result<(), CheckError> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = input
            .take(MAX_LINE)
            .read_until(b'\n', &mut buf)
            .map_err(|source| CheckError::Io {
                name: name.to_string(),
                source,
            })?;
        if n == 0 {
            return Ok(());
        }
        line += 1;
        let bad = |reason: String| CheckError::Bad {
            name: name.to_string(),
            line,
            reason,
        };
        if n as u64 == MAX_LINE && !buf.ends_with(b"\n") {
            return Err(bad(format!(
                "the line is longer than {MAX_LINE} bytes: not an answer"
            )));
        }
        let text = std::str::from_utf8(&buf).map_err(|_| bad("not UTF-8 text".into()))?;
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        each(line, parse_answer(text).map_err(bad)?);
    }
}

/// One answer line, or what is wrong with it.
pub fn parse_answer(text: &str) -> Result<Answer, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = value
        .as_object()
        .ok_or("not a JSON object: an answer is {\"source\": ..., \"dest\": ..., \"resolved\": ...} or {\"file\": ...}")?;
    let string = |key: &str| -> Result<Option<String>, String> {
        match obj.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(format!("`{key}` must be a string, found {v}")),
        }
    };
    let path = |key: &str, p: String| -> Result<String, String> {
        normalise(&p).ok_or_else(|| format!("`{key}` `{p}` climbs above the corpus root"))
    };
    if obj.contains_key("file") && !obj.contains_key("source") {
        let file = path("file", string("file")?.expect("present"))?;
        let id = match obj.get("id") {
            None => None,
            Some(serde_json::Value::Null) => Some(None),
            Some(_) => Some(string("id")?),
        };
        return Ok(Answer::File {
            file,
            title: string("title")?,
            id,
        });
    }
    let source = string("source")?.ok_or("no `source` (the file the reference is in)")?;
    let source = path("source", source)?;
    let dest = string("dest")?.ok_or("no `dest` (the destination as written)")?;
    let line = match obj.get("line") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => Some(n),
            _ => return Err(format!("`line` must be a 1-based line number, found {v}")),
        },
    };
    let resolved = match obj.get("resolved") {
        None => {
            return Err(
                "no `resolved` (an object {\"file\": ..., \"anchor\": ...}, \"external\", or null for unresolved)"
                    .into(),
            )
        }
        Some(serde_json::Value::Null) => Resolution::Unresolved,
        Some(serde_json::Value::String(s)) if s == "external" => Resolution::External,
        Some(serde_json::Value::String(s)) if s == "unresolved" => Resolution::Unresolved,
        Some(serde_json::Value::String(s)) if s == "found" => Resolution::Found,
        Some(serde_json::Value::Bool(true)) => Resolution::Found,
        Some(serde_json::Value::Bool(false)) => Resolution::Unresolved,
        Some(serde_json::Value::Object(r)) => {
            let file = match r.get("file") {
                Some(serde_json::Value::String(f)) => path("resolved.file", f.clone())?,
                _ => return Err("`resolved` needs `file`, a path from the corpus root".into()),
            };
            let anchor = match r.get("anchor") {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::String(a)) if a.is_empty() => None,
                Some(serde_json::Value::String(a)) => Some(a.clone()),
                Some(v) => return Err(format!("`resolved.anchor` must be a string, found {v}")),
            };
            Resolution::File { file, anchor }
        }
        Some(v) => {
            return Err(format!(
                "`resolved` must be an object {{\"file\": ..., \"anchor\": ...}}, \"external\", \"found\" or null, found {v}"
            ))
        }
    };
    Ok(Answer::Link {
        source,
        line,
        dest,
        resolved,
    })
}

/// A path as the manifest writes it: from the root, `.` and `..` folded,
/// no leading `/` or `./` (tools differ in how they print paths, not in
/// what they resolve).
fn normalise(p: &str) -> Option<String> {
    join_path("", p)
}

/// A manifest link with what the check needs beside it.
struct Link {
    source: u32,
    rec: LinkRecord,
    constructs: u16,
    answered: bool,
}

/// What a file of the manifest is, for the constructs and file answers.
struct FileInfo {
    path: String,
    title: String,
    id: Option<String>,
}

/// The manifest's links and files, read whole.
struct Truth {
    files: Vec<FileInfo>,
    by_path: HashMap<String, u32>,
    links: Vec<Link>,
    /// (source file, dest) -> indices into `links`, in document order.
    by_dest: HashMap<(u32, String), Vec<usize>>,
}

/// Read every `file` and `link` record of `root`'s manifest.
fn read_truth(root: &Path) -> Result<Truth, ManifestError> {
    let mut reader = manifest::Reader::open(root)?.skipping_headings();
    let mut files: Vec<FileInfo> = Vec::new();
    let mut networks: BTreeSet<String> = BTreeSet::new();
    let mut collisions: BTreeSet<String> = BTreeSet::new();
    let mut links = Vec::new();
    match reader.next_record()? {
        Some(Record::Corpus(_)) => {}
        _ => return Err(reader.error("the first line is not a `corpus` record")),
    }
    while let Some(rec) = reader.next_record()? {
        match rec {
            Record::File(f) => {
                if f.network {
                    networks.insert(f.path.clone());
                }
                if let Some(other) = &f.collides_with {
                    collisions.insert(other.clone());
                    collisions.insert(f.path.clone());
                }
                files.push(FileInfo {
                    path: f.path,
                    title: f.title,
                    id: f.id,
                });
            }
            Record::Link(rec) => {
                let Some(source) = files.len().checked_sub(1) else {
                    return Err(reader.error("a `link` record before any `file` record"));
                };
                links.push(Link {
                    source: source as u32,
                    rec,
                    constructs: 0,
                    answered: false,
                });
            }
            _ => {}
        }
    }
    // Constructs are known only once every file is read: a collision's
    // second file and a network's index can come after links to them.
    for l in &mut links {
        let src = &files[l.source as usize].path;
        l.constructs = constructs(src, &l.rec, &networks, &collisions);
    }
    let by_path = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.clone(), i as u32))
        .collect();
    let mut by_dest: HashMap<(u32, String), Vec<usize>> = HashMap::new();
    for (i, l) in links.iter().enumerate() {
        by_dest
            .entry((l.source, l.rec.dest.clone()))
            .or_default()
            .push(i);
    }
    Ok(Truth {
        files,
        by_path,
        links,
        by_dest,
    })
}

/// The folder of a `/`-separated path ("" for the root).
fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |at| &path[..at])
}

/// The constructs of link `l` in file `src`, as bits.
fn constructs(
    src: &str,
    l: &LinkRecord,
    networks: &BTreeSet<String>,
    collisions: &BTreeSet<String>,
) -> u16 {
    use LinkKind::*;
    let mut bits = 0;
    let mut set = |c: Construct, on: bool| {
        if on {
            bits |= c.bit();
        }
    };
    set(
        Construct::Wikilink,
        matches!(
            l.kind,
            Wikilink | WikilinkAlias | WikilinkHeading | WikilinkBlock | Embed
        ),
    );
    set(
        Construct::Path,
        matches!(
            l.kind,
            Relative | Parent | Absolute | PathAnchor | Anchor | Directory | Image
        ) || (l.kind == Reference && !l.external),
    );
    let written_anchor = l.dest.contains('#') && !l.external;
    set(Construct::Anchor, l.anchor.is_some() || written_anchor);
    set(
        Construct::IndexSource,
        src == "index.md" || src.ends_with("/index.md"),
    );
    set(Construct::RootAbsolute, l.dest.starts_with('/'));
    set(Construct::SameFileAnchor, l.dest.starts_with('#'));
    let target = l.target.as_deref();
    set(
        Construct::OwnSection,
        target == Some(src) && l.anchor.is_some(),
    );
    // The source's network: the nearest folder at or above its own whose
    // index.md is a network's (the root always is).
    let mut dir = folder(src);
    let own_index = loop {
        let index = if dir.is_empty() {
            "index.md".to_string()
        } else {
            format!("{dir}/index.md")
        };
        if networks.contains(&index) || dir.is_empty() {
            break index;
        }
        dir = folder(dir);
    };
    set(Construct::OwnIndex, target == Some(own_index.as_str()));
    set(
        Construct::Collision,
        target.is_some_and(|t| collisions.contains(t)),
    );
    set(Construct::Negative, l.broken.is_some());
    bits
}

/// The class of disagreement between what the manifest expects and what
/// the tool found, or `None` when they agree.
pub fn classify(expected: &Resolution, found: &Resolution) -> Option<Class> {
    use Resolution as R;
    match (expected, found) {
        (R::Unresolved, R::Unresolved) | (R::External, R::External) => None,
        (R::Unresolved, _) => Some(Class::ResolvedNegative),
        (_, R::Found) => None,
        (_, R::Unresolved) => Some(Class::Unresolved),
        (R::External, R::File { .. }) | (R::File { .. }, R::External) => Some(Class::External),
        // The manifest never expects `Found`; were it to, nothing to compare.
        (R::Found, _) => None,
        (R::File { file: f, anchor: a }, R::File { file: g, anchor: b }) => {
            if f != g {
                Some(Class::WrongFile)
            } else if a != b {
                Some(Class::WrongAnchor)
            } else {
                None
            }
        }
    }
}

/// Disagreements as they are found: counts per class and the first
/// `keep` examples of each.
struct Found {
    keep: usize,
    classes: HashMap<Class, (u64, Vec<Example>)>,
}

impl Found {
    fn add(&mut self, class: Class, example: impl FnOnce() -> Example) {
        let (n, ex) = self.classes.entry(class).or_default();
        *n += 1;
        if ex.len() < self.keep {
            ex.push(example());
        }
    }
}

/// What `check` makes of a manifest link that no answer mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unanswered {
    /// A disagreement of class `missing`: the answers were meant to cover
    /// every reference.
    #[default]
    Missing,
    /// The tool resolved it, to what it does not say
    /// ([`Resolution::Found`]): for tools that report only the references
    /// they could not resolve, such as link checkers and a site
    /// generator's warnings. A deliberate negative left unmentioned is then
    /// a `resolved_negative` (the tool did not report it).
    Found,
}

/// Compare the answers read from `input` (named `name` in errors) with
/// the manifest of corpus `root`, keeping up to `examples` examples of
/// each class of disagreement; `unanswered` says what a link no answer
/// mentions counts as.
pub fn check_answers(
    root: &Path,
    input: &mut dyn BufRead,
    name: &str,
    examples: usize,
    unanswered: Unanswered,
) -> Result<CheckReport, CheckError> {
    let mut truth = read_truth(root)?;
    let mut found = Found {
        keep: examples,
        classes: HashMap::new(),
    };
    // Answers with a line are matched first, so that one without a line
    // cannot take the link a later answer names by its line.
    let mut unlined: Vec<(String, String, Resolution)> = Vec::new();
    let mut files = Tally {
        name: "files".into(),
        ..Tally::default()
    };
    let mut answered = 0;
    let mut agree_by_link: Vec<bool> = vec![false; truth.links.len()];
    read_answers(input, name, &mut |_, answer| match answer {
        Answer::Link {
            source,
            line: Some(line),
            dest,
            resolved,
        } => {
            answered += 1;
            let at = truth
                .by_path
                .get(&source)
                .and_then(|&s| truth.by_dest.get(&(s, dest.clone())))
                .and_then(|v| {
                    v.iter()
                        .copied()
                        .find(|&i| !truth.links[i].answered && truth.links[i].rec.line == line)
                });
            answer_link(
                &mut truth,
                &mut found,
                &mut agree_by_link,
                at,
                (&source, line, &dest),
                resolved,
            );
        }
        Answer::Link {
            source,
            line: None,
            dest,
            resolved,
        } => {
            answered += 1;
            unlined.push((source, dest, resolved));
        }
        Answer::File { file, title, id } => {
            files.links += 1;
            let Some(&i) = truth.by_path.get(&file) else {
                found.add(Class::FileExtra, || Example {
                    path: file.clone(),
                    line: 0,
                    dest: String::new(),
                    expected: "no such file in the manifest".into(),
                    found: "a file answer".into(),
                });
                return;
            };
            let f = &truth.files[i as usize];
            let mut ok = true;
            if let Some(t) = title.filter(|t| *t != f.title) {
                ok = false;
                found.add(Class::FileTitle, || Example {
                    path: file.clone(),
                    line: 0,
                    dest: String::new(),
                    expected: f.title.clone(),
                    found: t,
                });
            }
            if let Some(id) = id.filter(|id| *id != f.id) {
                ok = false;
                let show = |id: &Option<String>| id.clone().unwrap_or_else(|| "no id".into());
                found.add(Class::FileId, || Example {
                    path: file.clone(),
                    line: 0,
                    dest: String::new(),
                    expected: show(&f.id),
                    found: show(&id),
                });
            }
            files.agree += ok as u64;
        }
    })?;
    for (source, dest, resolved) in unlined {
        let at = truth
            .by_path
            .get(&source)
            .and_then(|&s| truth.by_dest.get(&(s, dest.clone())))
            .and_then(|v| v.iter().copied().find(|&i| !truth.links[i].answered));
        answer_link(
            &mut truth,
            &mut found,
            &mut agree_by_link,
            at,
            (&source, 0, &dest),
            resolved,
        );
    }
    for (i, l) in truth.links.iter().enumerate().filter(|(_, l)| !l.answered) {
        let expected = Resolution::expected(&l.rec);
        let (class, said) = match unanswered {
            Unanswered::Missing => (Some(Class::Missing), "no answer"),
            Unanswered::Found => (
                classify(&expected, &Resolution::Found),
                "not reported (taken as resolved)",
            ),
        };
        match class {
            None => agree_by_link[i] = true,
            Some(class) => found.add(class, || Example {
                path: truth.files[l.source as usize].path.clone(),
                line: l.rec.line,
                dest: l.rec.dest.clone(),
                expected: expected.to_string(),
                found: said.into(),
            }),
        }
    }
    // Tallies, in kind and construct order, of the groups the corpus has.
    let mut kinds: Vec<(LinkKind, Tally)> = Vec::new();
    let mut cons: Vec<Tally> = Construct::ALL
        .iter()
        .map(|c| Tally {
            name: c.name().into(),
            ..Tally::default()
        })
        .collect();
    for (l, &ok) in truth.links.iter().zip(&agree_by_link) {
        let t = match kinds.iter_mut().find(|(k, _)| *k == l.rec.kind) {
            Some((_, t)) => t,
            None => {
                kinds.push((
                    l.rec.kind,
                    Tally {
                        name: l.rec.kind.name().into(),
                        ..Tally::default()
                    },
                ));
                &mut kinds.last_mut().expect("pushed").1
            }
        };
        t.links += 1;
        t.agree += ok as u64;
        for (c, t) in Construct::ALL.iter().zip(&mut cons) {
            if l.constructs & c.bit() != 0 {
                t.links += 1;
                t.agree += ok as u64;
            }
        }
    }
    kinds.sort_by_key(|(k, _)| *k);
    let disagreements = Class::ALL
        .iter()
        .filter_map(|c| {
            found
                .classes
                .remove(c)
                .map(|(count, examples)| ClassReport {
                    class: c.name().into(),
                    meaning: c.describe().into(),
                    count,
                    examples,
                })
        })
        .collect();
    Ok(CheckReport {
        links: truth.links.len() as u64,
        answered,
        agree: agree_by_link.iter().filter(|&&ok| ok).count() as u64,
        by_kind: kinds.into_iter().map(|(_, t)| t).collect(),
        by_construct: cons.into_iter().filter(|t| t.links > 0).collect(),
        files,
        disagreements,
    })
}

/// Record one link answer: matched to manifest link `at`, or extra.
fn answer_link(
    truth: &mut Truth,
    found: &mut Found,
    agree: &mut [bool],
    at: Option<usize>,
    (source, line, dest): (&str, u64, &str),
    resolved: Resolution,
) {
    let Some(i) = at else {
        found.add(Class::Extra, || Example {
            path: source.to_string(),
            line,
            dest: dest.to_string(),
            expected: "no link with this source, line and destination".into(),
            found: resolved.to_string(),
        });
        return;
    };
    let link = &mut truth.links[i];
    link.answered = true;
    let expected = Resolution::expected(&link.rec);
    match classify(&expected, &resolved) {
        None => agree[i] = true,
        Some(class) => found.add(class, || Example {
            path: source.to_string(),
            line: link.rec.line,
            dest: dest.to_string(),
            expected: expected.to_string(),
            found: resolved.to_string(),
        }),
    }
}

/// Write the manifest's own answers for corpus `root` in the answers
/// format: a `file` answer (title and id) per file, then a link answer
/// per reference, in manifest order. They agree with the manifest
/// entirely, and are a template for a tool's. Returns the lines written.
pub fn expected_answers(root: &Path, out: &mut dyn Write) -> Result<u64, CheckError> {
    // Structs, not `json!`, so that the fields come in the documented
    // order (`json!` objects sort their keys).
    #[derive(Serialize)]
    struct FileLine<'a> {
        file: &'a str,
        title: &'a str,
        id: &'a Option<String>,
    }
    #[derive(Serialize)]
    struct LinkLine<'a> {
        source: &'a str,
        line: u64,
        dest: &'a str,
        resolved: Resolution,
    }
    fn line(out: &mut dyn Write, v: &impl Serialize) -> Result<(), CheckError> {
        serde_json::to_writer(&mut *out, v).map_err(|e| CheckError::Write(e.into()))?;
        out.write_all(b"\n").map_err(CheckError::Write)
    }
    let truth = read_truth(root)?;
    let mut n = 0;
    let mut links = truth.links.iter().peekable();
    for (i, f) in truth.files.iter().enumerate() {
        let file = FileLine {
            file: &f.path,
            title: &f.title,
            id: &f.id,
        };
        line(out, &file)?;
        n += 1;
        while let Some(l) = links.next_if(|l| l.source as usize == i) {
            let link = LinkLine {
                source: &f.path,
                line: l.rec.line,
                dest: &l.rec.dest,
                resolved: Resolution::expected(&l.rec),
            };
            line(out, &link)?;
            n += 1;
        }
    }
    out.flush().map_err(CheckError::Write)?;
    Ok(n)
}

impl std::fmt::Display for CheckReport {
    /// The report as a person reads it: totals, the tables, then each
    /// class of disagreement with its examples.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let all = Tally {
            name: "all".into(),
            links: self.links,
            agree: self.agree,
        };
        writeln!(
            f,
            "links: {} in the manifest, {} answered, {} agree ({:.1}%)",
            self.links,
            self.answered,
            self.agree,
            all.percent()
        )?;
        if self.files.links > 0 {
            writeln!(
                f,
                "files: {} answered, {} agree ({:.1}%)",
                self.files.links,
                self.files.agree,
                self.files.percent()
            )?;
        }
        let table = |f: &mut std::fmt::Formatter<'_>, head: &str, rows: &[Tally]| {
            writeln!(f)?;
            writeln!(f, "{head:<18} {:>8} {:>8} {:>7}", "links", "agree", "%")?;
            for t in rows {
                writeln!(
                    f,
                    "{:<18} {:>8} {:>8} {:>7.1}",
                    t.name,
                    t.links,
                    t.agree,
                    t.percent()
                )?;
            }
            Ok(())
        };
        table(f, "kind", &self.by_kind)?;
        table(f, "construct", &self.by_construct)?;
        for c in &self.disagreements {
            writeln!(f)?;
            writeln!(f, "{} ({}): {}", c.class, c.count, c.meaning)?;
            for e in &c.examples {
                if e.dest.is_empty() {
                    writeln!(
                        f,
                        "  {}: expected {}, found {}",
                        e.path, e.expected, e.found
                    )?;
                } else {
                    writeln!(
                        f,
                        "  {}:{}: `{}`: expected {}, found {}",
                        e.path, e.line, e.dest, e.expected, e.found
                    )?;
                }
            }
            if c.count > c.examples.len() as u64 {
                writeln!(f, "  ... and {} more", c.count - c.examples.len() as u64)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse_in_every_documented_form() {
        let a = parse_answer(
            r#"{"source":"./a/b.md","line":12,"dest":"../c.md#x","resolved":{"file":"/c.md","anchor":"x"}}"#,
        )
        .unwrap();
        assert_eq!(
            a,
            Answer::Link {
                source: "a/b.md".into(),
                line: Some(12),
                dest: "../c.md#x".into(),
                resolved: Resolution::File {
                    file: "c.md".into(),
                    anchor: Some("x".into())
                }
            }
        );
        for (r, want) in [
            (r#""external""#, Resolution::External),
            ("null", Resolution::Unresolved),
            (r#""unresolved""#, Resolution::Unresolved),
            ("false", Resolution::Unresolved),
            (r#""found""#, Resolution::Found),
            ("true", Resolution::Found),
        ] {
            let text = format!(r#"{{"source":"a.md","dest":"x","resolved":{r}}}"#);
            match parse_answer(&text).unwrap() {
                Answer::Link { resolved, line, .. } => {
                    assert_eq!((resolved, line), (want, None));
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            parse_answer(r#"{"file":"a.md","id":null}"#).unwrap(),
            Answer::File {
                file: "a.md".into(),
                title: None,
                id: Some(None)
            }
        );
        for (bad, says) in [
            ("[1]", "not a JSON object"),
            ("{", "not JSON"),
            (r#"{"source":"a.md","dest":"x"}"#, "no `resolved`"),
            (r#"{"dest":"x","resolved":null}"#, "no `source`"),
            (
                r#"{"source":"a.md","dest":"x","line":0,"resolved":null}"#,
                "`line`",
            ),
            (
                r#"{"source":"a.md","dest":"x","resolved":"gone"}"#,
                "`resolved` must be",
            ),
            (
                r#"{"source":"../a.md","dest":"x","resolved":null}"#,
                "climbs above",
            ),
        ] {
            let e = parse_answer(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn each_mismatch_has_its_class() {
        let file = |f: &str, a: Option<&str>| Resolution::File {
            file: f.into(),
            anchor: a.map(Into::into),
        };
        use Resolution::{External, Found, Unresolved};
        let cases = [
            // A tool that says only "it resolves" agrees unless nothing
            // must resolve.
            (file("a.md", Some("x")), Found, None),
            (External, Found, None),
            (Unresolved, Found, Some(Class::ResolvedNegative)),
            (file("a.md", None), file("a.md", None), None),
            (file("a.md", Some("x")), file("a.md", Some("x")), None),
            (
                file("a.md", None),
                file("b.md", None),
                Some(Class::WrongFile),
            ),
            (
                file("a.md", Some("x")),
                file("b.md", Some("y")),
                Some(Class::WrongFile),
            ),
            (
                file("a.md", Some("x")),
                file("a.md", Some("y")),
                Some(Class::WrongAnchor),
            ),
            (
                file("a.md", Some("x")),
                file("a.md", None),
                Some(Class::WrongAnchor),
            ),
            (
                Unresolved,
                file("a.md", None),
                Some(Class::ResolvedNegative),
            ),
            (Unresolved, External, Some(Class::ResolvedNegative)),
            (file("a.md", None), Unresolved, Some(Class::Unresolved)),
            (External, Unresolved, Some(Class::Unresolved)),
            (External, file("a.md", None), Some(Class::External)),
            (file("a.md", None), External, Some(Class::External)),
            (External, External, None),
            (Unresolved, Unresolved, None),
        ];
        for (e, f, want) in cases {
            assert_eq!(classify(&e, &f), want, "{e} vs {f}");
        }
    }
}

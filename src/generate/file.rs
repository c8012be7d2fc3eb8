//! Making one file: render it, check it against its ground truth,
//! serialise its manifest records, and hand its bytes to the [`Sink`]. The
//! records are returned (or, for a lone large file, written to the
//! manifest directly); nothing here decides where bytes go.

use crate::manifest::{self, FileRecord, Record};
use crate::output::{ManifestOut, OutputError, Sink};
use crate::plan::Plan;
use crate::render::{render_into, Rendered};
use crate::validate::{self, Problem};
use std::convert::Infallible;
use std::sync::Mutex;

/// What one file adds to the corpus: its manifest records (empty if they
/// were written directly) and its totals.
pub(super) struct Done {
    pub(super) lines: Vec<u8>,
    pub(super) path: String,
    pub(super) bytes: u64,
    pub(super) headings: u64,
    pub(super) links: u64,
    pub(super) broken: u64,
    pub(super) mix: crate::record::MixBytes<u64>,
    pub(super) problems: Vec<Problem>,
    /// The file's bytes, for a sink that takes files in order
    /// ([`Sink::in_order`]): written when this file's turn comes, not by
    /// the worker.
    pub(super) content: Option<Vec<u8>>,
}

/// The manifest's `file` record for a rendered file; `collides_with` is
/// the path of the file it deliberately duplicates, if any.
pub fn file_record(r: &Rendered, collides_with: Option<String>) -> FileRecord {
    let m = &r.meta;
    FileRecord {
        path: m.path.clone(),
        bytes: r.bytes.len() as u64,
        blake3: blake3::hash(&r.bytes).to_hex().to_string(),
        title: m.title.clone(),
        id: m.id.clone(),
        bref: m.bid.as_deref().map(crate::record::bref),
        bid: m.bid.clone(),
        front_matter: m.front_matter,
        network: m.is_index,
        collides_with,
        aliases: m.alias.iter().cloned().collect(),
        tags: r.tags.clone(),
        blocks: r.blocks.clone(),
        headings: r.headings.len() as u64,
        links: r.links.len() as u64,
        url: None,
    }
}

/// Serialise file `rec`'s records (the file, its headings, its links) into
/// `out`, calling `full` after each record (which may write `out` away).
fn records<E>(
    rec: &FileRecord,
    r: &Rendered,
    out: &mut Vec<u8>,
    mut full: impl FnMut(&mut Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    manifest::write_line(out, &Record::File(rec.clone()));
    for h in &r.headings {
        manifest::write_heading(out, h);
        full(out)?;
    }
    for l in &r.links {
        manifest::write_link(out, l);
        full(out)?;
    }
    Ok(())
}

/// Files at least this large are parsed on the spare pool, if there is
/// one: a corpus of one large document otherwise runs on one core from
/// start to end.
pub(super) const PARSE_APART_BYTES: usize = 4 << 20;

/// Render, check and write file `i` into `sink` (or, for a sink that takes
/// files in order, return its bytes in [`Done::content`]); with `index`, its parse is compared
/// with its ground truth and its references are resolved. `buf` is the
/// worker's markdown buffer, reused from file to file. On a `spare` pool, a
/// large file is parsed in pieces (see `validate::parse_as`) while its
/// references are resolved and it is written. With `direct`, the file is
/// the next in the manifest, and its records are written there instead of
/// returned.
pub(super) fn one_file(
    plan: &Plan,
    sink: Sink<'_>,
    i: u64,
    index: Option<&validate::LinkIndex>,
    spare: Option<&rayon::ThreadPool>,
    direct: Option<&Mutex<ManifestOut>>,
    buf: &mut Vec<u8>,
) -> Result<Done, OutputError> {
    let r = render_into(plan, i, std::mem::take(buf));
    let mut rec = file_record(&r, r.meta.collides_with.map(|p| plan.file(p).path));
    rec.url = plan.site().map(|s| s.page_url(&rec.path));
    let parsed = || {
        let mut problems = Vec::new();
        if index.is_some() {
            // The hash was just computed from these bytes; only the parse
            // needs checking.
            let d = plan.dialect();
            let s = plan.site();
            validate::check_parse(&r.bytes, d, s, &rec, &r.headings, &r.links, &mut problems);
        }
        problems
    };
    // Everything but the parse: resolving references, the manifest lines,
    // writing the file.
    let rest = || -> (Vec<Problem>, Result<Vec<u8>, OutputError>) {
        let mut resolved = Vec::new();
        if let Some(index) = index {
            index.check(&rec.path, &r.links, &mut resolved);
        }
        let lines = match direct {
            Some(mf) => {
                let mut mf = mf.lock().expect("the manifest writer");
                let mut chunk = Vec::with_capacity(80 << 10);
                let written = records(&rec, &r, &mut chunk, |chunk| {
                    if chunk.len() >= 64 << 10 {
                        mf.write(chunk)?;
                        chunk.clear();
                    }
                    Ok(())
                })
                .and_then(|()| mf.write(&chunk));
                if let Err(e) = written {
                    return (resolved, Err(e));
                }
                Vec::new()
            }
            None => {
                // Link records average ~180 bytes and heading records ~95,
                // more in deep trees (paths grow): a generous guess, as
                // growing the buffer copies it (a tenth of a 100 MB run's
                // manifest time went to reallocation), and pages never
                // written are never touched.
                let mut lines =
                    Vec::with_capacity(1024 + r.links.len() * 320 + r.headings.len() * 144);
                let no_error = records(&rec, &r, &mut lines, |_| Ok::<_, Infallible>(()));
                let Ok(()) = no_error;
                lines
            }
        };
        let written = if sink.in_order() {
            Ok(())
        } else {
            sink.file(&r.meta.path, &r.bytes)
        };
        (resolved, written.map(|()| lines))
    };
    let (mut problems, (mut resolved, lines)) = match spare {
        Some(pool) if index.is_some() && r.bytes.len() >= PARSE_APART_BYTES => {
            pool.install(|| rayon::join(parsed, rest))
        }
        _ => (parsed(), rest()),
    };
    let lines = lines?;
    problems.append(&mut resolved);
    let done = Done {
        lines,
        path: r.meta.path.clone(),
        bytes: r.bytes.len() as u64,
        headings: r.headings.len() as u64,
        links: r.links.len() as u64,
        broken: r.links.iter().filter(|l| l.broken.is_some()).count() as u64,
        mix: r.mix_bytes,
        problems,
        content: None,
    };
    // The buffer is reused for the next file, unless it is handed over.
    if sink.in_order() {
        Ok(Done {
            content: Some(r.bytes),
            ..done
        })
    } else {
        *buf = r.bytes;
        Ok(done)
    }
}

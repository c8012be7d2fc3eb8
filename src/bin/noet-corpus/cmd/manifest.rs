//! `manifest`: a corpus's manifest as JSON lines on stdout, for readers in
//! any language (the file itself is zstd frames).

use crate::args::ManifestArgs;
use crate::failure::Failure;
use noet_corpus::manifest;
use std::io::{BufRead, Write};

pub(crate) fn run(a: ManifestArgs) -> Result<u8, Failure> {
    if !a.dir.is_dir() {
        return Err(Failure::input(format!(
            "{} is not a folder; pass a corpus folder made by `noet-corpus gen`",
            a.dir.display()
        )));
    }
    // The start of each kind's lines, as the writer writes them.
    let mut wanted: Vec<&[u8]> = Vec::new();
    for (on, prefix) in [
        (a.files, &br#"{"type":"file","#[..]),
        (a.headings, br#"{"type":"heading","#),
        (a.links, br#"{"type":"link","#),
        (a.assets, br#"{"type":"asset","#),
    ] {
        if on {
            wanted.push(prefix);
        }
    }
    let mut input = manifest::lines(&a.dir).map_err(|e| Failure::of(e.class(), e))?;
    let path = manifest::path(&a.dir);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut line = Vec::new();
    let mut lines = 0u64;
    // Reading and writing fail differently: a damaged frame is the
    // corpus's fault, a closed pipe nobody's.
    enum Stop {
        Read(std::io::Error),
        Write(std::io::Error),
    }
    let written = (|| -> Result<(), Stop> {
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line).map_err(Stop::Read)? == 0 {
                break;
            }
            lines += 1;
            if wanted.is_empty() || wanted.iter().any(|p| line.starts_with(p)) {
                out.write_all(&line).map_err(Stop::Write)?;
            }
        }
        out.flush().map_err(Stop::Write)
    })();
    match written {
        Ok(()) => Ok(0),
        // A reader that closed the pipe (`| head`) ends the run quietly.
        Err(Stop::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(Stop::Write(e)) => Err(Failure::runtime(format!("cannot write stdout: {e}"))),
        Err(Stop::Read(e)) => {
            let e = manifest::read_error(&path, lines + 1, e);
            Err(Failure::of(e.class(), e))
        }
    }
}

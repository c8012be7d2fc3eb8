//! The manifest's bytes on disk: its JSON lines in a run of zstd frames,
//! the `end` record in a frame of its own, then a 16-byte skippable frame
//! that says where that last frame starts (docs/FORMAT.md, "The manifest
//! file").
//!
//! Why this shape: the JSON lines of the ground truth are 1.4-2x the
//! markdown they describe and compress ~8x, at about the speed a disk
//! writes them, so the run writes an eighth of the bytes. Concatenated zstd
//! frames are one valid zstd stream (`zstdcat` prints the JSON lines; a
//! skippable frame is passed over by every decoder), so any language
//! reads it with its zstd library. The end record's own frame, found from
//! the trailer, lets "is this corpus complete?" read 16 bytes and one
//! small frame instead of the whole file.

use std::io::{self, Write};

/// Raw JSON-lines bytes gathered before they are compressed as one frame:
/// large enough that a frame compresses nearly as well as one stream,
/// small enough to cost nothing in memory.
pub const FRAME_BYTES: usize = 1 << 20;

/// zstd's level: 3 (its default) compresses these lines ~8.4x at ~725
/// MB/s a core in 1 MiB frames; level 1 is 4% faster and 8% larger.
const LEVEL: i32 = 3;

/// The trailer: a skippable frame (magic 0x184D2A5E, one of the sixteen
/// zstd reserves) of 8 bytes, the offset of the end record's frame.
const TRAILER_MAGIC: u32 = 0x184D_2A5E;
/// The trailer's length: magic, content size, offset.
pub const TRAILER_LEN: usize = 16;

/// The longest end-record frame read back: an end record is a few hundred
/// bytes; a longer "frame" is damage.
pub const MAX_END_FRAME: u64 = 64 << 10;

/// Writes JSON lines as manifest frames into `W`.
pub struct FrameWriter<W: Write> {
    out: W,
    pending: Vec<u8>,
    written: u64,
}

impl<W: Write> FrameWriter<W> {
    /// A writer of manifest frames into `out`.
    pub fn new(out: W) -> FrameWriter<W> {
        FrameWriter {
            out,
            pending: Vec::with_capacity(FRAME_BYTES + (64 << 10)),
            written: 0,
        }
    }

    /// Append whole JSON lines.
    ///
    /// A frame ends at the first line end at or past [`FRAME_BYTES`]: where
    /// frames fall depends on the lines alone, not on how they were handed
    /// over, so the file is the same bytes for the same lines however a
    /// run batched them (and [`encode`] gives those bytes too).
    pub fn write(&mut self, lines: &[u8]) -> io::Result<()> {
        self.pending.extend_from_slice(lines);
        while self.pending.len() >= FRAME_BYTES {
            let Some(k) = memchr::memchr(b'\n', &self.pending[FRAME_BYTES - 1..]) else {
                break;
            };
            let cut = FRAME_BYTES + k;
            let f = compress(&self.pending[..cut])?;
            self.out.write_all(&f)?;
            self.written += f.len() as u64;
            self.pending.drain(..cut);
        }
        Ok(())
    }

    /// Compress what is pending as one frame.
    fn frame(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let f = compress(&self.pending)?;
        self.out.write_all(&f)?;
        self.written += f.len() as u64;
        self.pending.clear();
        Ok(())
    }

    /// Write the `end` record's line (which marks the manifest complete)
    /// in its own frame, and the trailer; hand back the writer.
    pub fn end(mut self, end_line: &[u8]) -> io::Result<W> {
        self.frame()?;
        let at = self.written;
        self.pending.extend_from_slice(end_line);
        self.frame()?;
        let mut trailer = [0u8; TRAILER_LEN];
        trailer[..4].copy_from_slice(&TRAILER_MAGIC.to_le_bytes());
        trailer[4..8].copy_from_slice(&8u32.to_le_bytes());
        trailer[8..].copy_from_slice(&at.to_le_bytes());
        self.out.write_all(&trailer)?;
        Ok(self.out)
    }

    /// Stop without an end record (the manifest stays incomplete, as an
    /// interrupted run's would be); hand back the writer.
    pub fn unfinished(mut self) -> io::Result<W> {
        self.frame()?;
        Ok(self.out)
    }
}

/// One frame of `raw`, with its content size and checksum (a damaged
/// manifest is an error, not wrong ground truth).
fn compress(raw: &[u8]) -> io::Result<Vec<u8>> {
    let mut c = zstd::bulk::Compressor::new(LEVEL)?;
    c.include_checksum(true)?;
    c.include_contentsize(true)?;
    c.compress(raw)
}

/// The manifest file of the JSON lines `text`: complete (with the end
/// frame and trailer) when its last line is an `end` record. For writers
/// that hold the whole manifest (reduce), and for tests that write a
/// damaged one on purpose.
pub fn encode(text: &[u8]) -> Vec<u8> {
    let body_end = text
        .strip_suffix(b"\n")
        .and_then(|t| memchr::memrchr(b'\n', t))
        .map_or(0, |k| k + 1);
    let (body, last) = text.split_at(body_end);
    let mut w = FrameWriter::new(Vec::new());
    if last.starts_with(br#"{"type":"end""#) {
        w.write(body).expect("writing to memory");
        w.end(last).expect("writing to memory")
    } else {
        w.write(text).expect("writing to memory");
        w.unfinished().expect("writing to memory")
    }
}

/// The offset of the end record's frame, from the last [`TRAILER_LEN`]
/// bytes of a manifest file, if they are a trailer.
pub fn trailer_offset(tail: &[u8]) -> Option<u64> {
    let t: &[u8; TRAILER_LEN] = tail.try_into().ok()?;
    let magic = u32::from_le_bytes(t[..4].try_into().ok()?);
    let size = u32::from_le_bytes(t[4..8].try_into().ok()?);
    (magic == TRAILER_MAGIC && size == 8).then(|| u64::from_le_bytes(t[8..].try_into().unwrap()))
}

/// Decompress the one frame `frame` (the end record's), bounded.
pub fn decode_end_frame(frame: &[u8]) -> Option<Vec<u8>> {
    zstd::bulk::decompress(frame, MAX_END_FRAME as usize).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    const TEXT: &[u8] = b"{\"type\":\"corpus\"}\n{\"type\":\"file\",\"path\":\"a.md\"}\n{\"type\":\"end\",\"files\":1}\n";

    #[test]
    fn the_frames_are_one_zstd_stream_of_the_lines() {
        let bytes = encode(TEXT);
        let mut back = Vec::new();
        zstd::stream::read::Decoder::new(&bytes[..])
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, TEXT);
    }

    #[test]
    fn the_trailer_points_at_the_end_record() {
        let bytes = encode(TEXT);
        let at = trailer_offset(&bytes[bytes.len() - TRAILER_LEN..]).unwrap() as usize;
        let end = decode_end_frame(&bytes[at..bytes.len() - TRAILER_LEN]).unwrap();
        assert_eq!(end, b"{\"type\":\"end\",\"files\":1}\n");
    }

    #[test]
    fn frames_fall_where_the_lines_say_however_they_are_written() {
        let line = b"{\"type\":\"link\",\"line\":1,\"dest\":\"a/b/c.md\"}\n";
        let mut text = Vec::new();
        while text.len() < 3 * FRAME_BYTES {
            text.extend_from_slice(line);
        }
        text.extend_from_slice(b"{\"type\":\"end\"}\n");
        let whole = encode(&text);
        let (body, end) = text.split_at(text.len() - 15);
        for piece in [line.len(), 7 * line.len(), 64 << 10] {
            let mut w = FrameWriter::new(Vec::new());
            for chunk in body.chunks(piece) {
                w.write(chunk).unwrap();
            }
            assert!(
                w.end(end).unwrap() == whole,
                "written {piece} bytes at a time"
            );
        }
    }

    #[test]
    fn without_an_end_record_there_is_no_trailer() {
        let end = b"{\"type\":\"end\",\"files\":1}\n";
        let text = &TEXT[..TEXT.len() - end.len()];
        let bytes = encode(text);
        assert!(trailer_offset(&bytes[bytes.len() - TRAILER_LEN..]).is_none());
    }
}

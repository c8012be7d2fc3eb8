//! Image assets: the PNG and SVG files that image references point at.
//!
//! Each asset is a pure function of its [`AssetSpec`] (drawn by
//! [`Plan::asset`](crate::plan::Plan::asset) from the seed, the profile and
//! the asset's number) and is grown to the spec's byte size, so a corpus's
//! images weigh what a documentation tree's screenshots and diagrams weigh.
//!
//! PNGs are stored, not compressed (a zlib stream of stored deflate
//! blocks): their size is then the pixel count times the depth, which is
//! what lets a drawn size pick the dimensions, and encoding costs a copy
//! and two checksums. Whatever the rows leave of the target is a `tEXt`
//! chunk, so the file lands on the target to the byte. SVGs are box and
//! arrow diagrams, padded to the target with a comment.

use crate::plan::{AssetFormat, AssetSpec};
use crate::rng::{stream, Domain, Rng};
use crate::text::Vocab;

/// The bytes of the asset `spec` describes; labels come from `vocab`.
pub fn render(spec: &AssetSpec, vocab: &Vocab) -> Vec<u8> {
    let mut r = stream(spec.key, Domain::Asset, &[0]);
    let aspect = ASPECTS[r.index(ASPECTS.len())];
    match spec.format {
        AssetFormat::Png => {
            let preferred = PNG_PIXELS[r.index(PNG_PIXELS.len())];
            let (w, h, pixels) = png_fit(spec.bytes, aspect, preferred);
            png(w, h, pixels, spec.key, spec.bytes)
        }
        AssetFormat::Svg => svg(aspect, spec.key, spec.bytes, vocab),
    }
}

/// Width to height ratios of screenshots and diagrams.
const ASPECTS: &[(u32, u32)] = &[(16, 9), (16, 10), (4, 3), (3, 2), (1, 1), (3, 4)];

/// Pixel formats a PNG is drawn with, repeated by how common they are
/// (screenshots RGB, pasted images RGBA, optimised UI shots and charts
/// indexed). Indexed ones get the larger dimensions for their bytes.
const PNG_PIXELS: &[Pixels] = &[
    Pixels::Rgb,
    Pixels::Rgb,
    Pixels::Rgba,
    Pixels::Palette(8),
    Pixels::Palette(8),
    Pixels::Palette(4),
    Pixels::Palette(4),
    Pixels::Palette(2),
    Pixels::Grey,
];

/// Narrowest and widest PNG [`png_fit`] chooses.
const WIDTH_MIN: u32 = 16;
const WIDTH_MAX: u32 = 4096;

/// How a PNG stores a pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pixels {
    /// Indexed colour with this many bits per pixel (1, 2, 4 or 8).
    Palette(u8),
    /// 8-bit greyscale.
    Grey,
    /// 8-bit RGB.
    Rgb,
    /// 8-bit RGB with alpha.
    Rgba,
}

impl Pixels {
    fn bits(self) -> u64 {
        match self {
            Pixels::Palette(b) => b as u64,
            Pixels::Grey => 8,
            Pixels::Rgb => 24,
            Pixels::Rgba => 32,
        }
    }

    /// IHDR bit depth and colour type.
    fn ihdr(self) -> (u8, u8) {
        match self {
            Pixels::Palette(b) => (b, 3),
            Pixels::Grey => (8, 0),
            Pixels::Rgb => (8, 2),
            Pixels::Rgba => (8, 6),
        }
    }

    /// Colours a palette holds (the drawing uses at most [`COLOURS`]).
    fn palette_len(self) -> usize {
        match self {
            Pixels::Palette(b) => (1usize << b).min(COLOURS),
            _ => 0,
        }
    }

    /// The next format with fewer bits per pixel, and with more.
    fn shallower(self) -> Option<Pixels> {
        match self {
            Pixels::Rgba => Some(Pixels::Rgb),
            Pixels::Rgb | Pixels::Grey => Some(Pixels::Palette(8)),
            Pixels::Palette(b) if b > 1 => Some(Pixels::Palette(b / 2)),
            Pixels::Palette(_) => None,
        }
    }
    fn deeper(self) -> Option<Pixels> {
        match self {
            Pixels::Palette(8) | Pixels::Grey => Some(Pixels::Rgb),
            Pixels::Palette(b) => Some(Pixels::Palette(b * 2)),
            Pixels::Rgb => Some(Pixels::Rgba),
            Pixels::Rgba => None,
        }
    }
}

/// Colours in one drawing.
const COLOURS: usize = 8;

/// The smallest `tEXt` chunk: length, type, CRC, `Comment` and its NUL.
const TEXT_MIN: u64 = 12 + 8;

/// Bytes of a row: the filter byte and the packed pixels.
fn row_bytes(width: u32, pixels: Pixels) -> u64 {
    1 + (width as u64 * pixels.bits()).div_ceil(8)
}

/// Size of the PNG [`png`] writes for these dimensions, before padding.
pub fn png_len(width: u32, height: u32, pixels: Pixels) -> u64 {
    let raw = row_bytes(width, pixels) * height as u64;
    let blocks = raw.div_ceil(STORED_MAX as u64).max(1);
    let plte = match pixels.palette_len() {
        0 => 0,
        n => 12 + 3 * n as u64,
    };
    // signature, IHDR, PLTE, IDAT (zlib header, block headers, adler32), IEND
    8 + 25 + plte + 12 + 2 + 5 * blocks + raw + 4 + 12
}

/// Dimensions and pixel format for a PNG of `target` bytes with about the
/// `aspect` ratio: `preferred` if its width lands in 16..=4096, else the
/// nearest format whose does. The rows fill the target but for a `tEXt`
/// chunk's worth, so [`png`] can pad to the exact size.
pub fn png_fit(target: u64, aspect: (u32, u32), preferred: Pixels) -> (u32, u32, Pixels) {
    let (a, b) = (aspect.0 as f64, aspect.1 as f64);
    let width_for = |pixels: Pixels| {
        let budget = target.saturating_sub(png_len(0, 0, pixels) + TEXT_MIN) as f64;
        // height * (1 + width * bits / 8) = budget, with width = height * a / b
        let q = a / b * pixels.bits() as f64 / 8.0;
        let height = (libm::sqrt(1.0 + 4.0 * q * budget) - 1.0) / (2.0 * q);
        (height * a / b).floor() as u32
    };
    let mut pixels = preferred;
    while width_for(pixels) > WIDTH_MAX {
        match pixels.deeper() {
            Some(p) => pixels = p,
            None => break,
        }
    }
    while width_for(pixels) < WIDTH_MIN {
        match pixels.shallower() {
            Some(p) => pixels = p,
            None => break,
        }
    }
    let width = width_for(pixels).clamp(WIDTH_MIN, WIDTH_MAX);
    let fits = |h: u32| png_len(width, h, pixels) + TEXT_MIN <= target;
    let mut height = ((target / row_bytes(width, pixels)) as u32).max(1);
    while height > 1 && !fits(height) {
        height -= 1;
    }
    (width, height, pixels)
}

/// A valid PNG of `width` x `height` pixels, drawn from `key` like a
/// screenshot (a title bar, a sidebar, panels and lines of "text"), padded
/// with a `tEXt` chunk to `target` bytes when there is room for one.
pub fn png(width: u32, height: u32, pixels: Pixels, key: u64, target: u64) -> Vec<u8> {
    let mut r = stream(key, Domain::Asset, &[1]);
    let colours = palette(&mut r);
    let rects = layout(&mut r, width, height);
    let line_seed = r.next_u64();

    let mut out = Vec::with_capacity(target.max(png_len(width, height, pixels)) as usize);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let (depth, colour_type) = pixels.ihdr();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[depth, colour_type, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    if pixels.palette_len() > 0 {
        let plte: Vec<u8> = colours[..pixels.palette_len()]
            .iter()
            .flat_map(|c| [c[0], c[1], c[2]])
            .collect();
        chunk(&mut out, b"PLTE", &plte);
    }
    let gap = target.saturating_sub(png_len(width, height, pixels));
    if gap >= TEXT_MIN {
        let mut text = b"Comment\0".to_vec();
        filler(&mut text, (gap - TEXT_MIN) as usize, key);
        chunk(&mut out, b"tEXt", &text);
    }

    let row_len = row_bytes(width, pixels) as usize;
    let mut raw = Vec::with_capacity(row_len * height as usize);
    let mut index = vec![0u8; width as usize];
    for y in 0..height {
        paint_row(&mut index, y, &rects, line_seed);
        raw.push(0); // filter: none
        pack(&mut raw, &index, pixels, &colours);
    }
    debug_assert_eq!(raw.len(), row_len * height as usize);
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// [`COLOURS`] RGB colours: a light or dark background, a bar, a panel
/// tone, text and accents. Index 0 is the background, 1 the foreground,
/// so a two-colour palette still shows the drawing.
fn palette(r: &mut Rng) -> [[u8; 3]; COLOURS] {
    let dark = r.chance(0.25);
    let shade = |v: u8| if dark { 255 - v } else { v };
    let mut c = [[0u8; 3]; COLOURS];
    let bg = shade(245 + r.below(11) as u8);
    c[0] = [bg, bg, bg.saturating_sub(r.below(6) as u8)];
    let fg = shade(30 + r.below(40) as u8);
    c[1] = [fg, fg, fg];
    let bar = shade(200 + r.below(40) as u8);
    c[2] = [bar, bar, bar.saturating_add(10)];
    let panel = shade(228 + r.below(20) as u8);
    c[3] = [panel, panel, panel];
    for slot in c.iter_mut().skip(4) {
        *slot = [r.below(256) as u8, r.below(256) as u8, r.below(256) as u8];
    }
    c
}

/// A filled rectangle: `x0..x1` by `y0..y1`, colour index `c`; `lines`
/// marks a panel that holds lines of text.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: u32,
    x1: u32,
    y0: u32,
    y1: u32,
    c: u8,
    lines: bool,
}

/// The rectangles of a screenshot-like drawing, painted in order.
fn layout(r: &mut Rng, w: u32, h: u32) -> Vec<Rect> {
    let mut rects = Vec::new();
    let bar = (h / 12).max(1);
    rects.push(Rect {
        x0: 0,
        x1: w,
        y0: 0,
        y1: bar,
        c: 2,
        lines: false,
    });
    let left = if r.chance(0.5) { w / 5 } else { 0 };
    if left > 0 {
        rects.push(Rect {
            x0: 0,
            x1: left,
            y0: bar,
            y1: h,
            c: 3,
            lines: true,
        });
    }
    for _ in 0..r.range(1, 5) {
        let x0 = left + r.below((w - left).max(1) as u64) as u32 * 3 / 4;
        let y0 = bar + r.below((h - bar).max(1) as u64) as u32 * 3 / 4;
        let x1 = (x0 + 1 + r.below((w - x0).max(1) as u64) as u32).min(w);
        let y1 = (y0 + 1 + r.below((h - y0).max(1) as u64) as u32).min(h);
        rects.push(Rect {
            x0,
            x1,
            y0,
            y1,
            c: if r.chance(0.5) {
                3
            } else {
                4 + r.below(4) as u8
            },
            lines: r.chance(0.6),
        });
    }
    rects
}

/// Colour indices of row `y`: the background, each rectangle over it,
/// and in text panels every few rows a line of "words" whose length
/// comes from a hash of the row, so rows differ without a draw per pixel.
fn paint_row(index: &mut [u8], y: u32, rects: &[Rect], seed: u64) {
    index.fill(0);
    for (i, rc) in rects.iter().enumerate() {
        if y < rc.y0 || y >= rc.y1 {
            continue;
        }
        let (x0, x1) = (rc.x0 as usize, rc.x1 as usize);
        index[x0..x1].fill(rc.c);
        let dy = y - rc.y0;
        if rc.lines && dy % 12 >= 4 && dy % 12 < 8 && x1 - x0 > 8 {
            let line = crate::rng::mix64(seed ^ ((i as u64) << 32) ^ (dy / 12) as u64);
            let span = (x1 - x0 - 8) as u64;
            let len = (span / 2 + line % (span / 2 + 1)) as usize;
            index[x0 + 4..x0 + 4 + len].fill(1);
        }
    }
}

/// Append one row of colour indices in `pixels`' encoding.
fn pack(raw: &mut Vec<u8>, index: &[u8], pixels: Pixels, colours: &[[u8; 3]; COLOURS]) {
    match pixels {
        Pixels::Palette(8) => raw.extend_from_slice(index),
        Pixels::Palette(bits) => {
            let per = 8 / bits as usize;
            let n = pixels.palette_len() as u8;
            for group in index.chunks(per) {
                let mut byte = 0u8;
                for (j, &i) in group.iter().enumerate() {
                    byte |= (i % n) << (8 - bits as usize * (j + 1));
                }
                raw.push(byte);
            }
        }
        Pixels::Grey => raw.extend(index.iter().map(|&i| {
            let [r, g, b] = colours[i as usize];
            ((r as u32 * 77 + g as u32 * 150 + b as u32 * 29) >> 8) as u8
        })),
        Pixels::Rgb => {
            for &i in index {
                raw.extend_from_slice(&colours[i as usize]);
            }
        }
        Pixels::Rgba => {
            for &i in index {
                raw.extend_from_slice(&colours[i as usize]);
                raw.push(255);
            }
        }
    }
}

/// Largest stored deflate block.
const STORED_MAX: usize = 65535;

/// `data` as a zlib stream of stored deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let blocks = data.len().div_ceil(STORED_MAX).max(1);
    let mut z = Vec::with_capacity(2 + 5 * blocks + data.len() + 4);
    z.extend_from_slice(&[0x78, 0x01]);
    let mut rest = data;
    loop {
        let n = rest.len().min(STORED_MAX);
        let last = n == rest.len();
        z.push(last as u8); // BFINAL, BTYPE 00
        z.extend_from_slice(&(n as u16).to_le_bytes());
        z.extend_from_slice(&(!(n as u16)).to_le_bytes());
        z.extend_from_slice(&rest[..n]);
        rest = &rest[n..];
        if last {
            break;
        }
    }
    z.extend_from_slice(&adler32(data).to_be_bytes());
    z
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (ISO 3309, as PNG uses it) by a byte table, built at compile
/// time: images are now kilobytes to megabytes, and the bitwise loop cost
/// eight steps a byte. A dependency for this was not worth it.
fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[n] = c;
            n += 1;
        }
        t
    };
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc = TABLE[((crc ^ b as u32) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

/// Adler-32, reducing once per 5552 bytes (the most that cannot overflow
/// a u32) instead of once a byte.
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(5552) {
        for &d in block {
            a += d as u32;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// Append `n` bytes of lowercase words and spaces drawn from `key`: no
/// NUL (tEXt), no `-` (an XML comment may not hold `--`), nothing to
/// escape.
fn filler(out: &mut Vec<u8>, n: usize, key: u64) {
    const WORDS: &[&[u8]] = &[
        b"diagram ",
        b"screenshot ",
        b"exported ",
        b"from ",
        b"the ",
        b"docs ",
        b"tool ",
        b"version ",
        b"panel ",
        b"layout ",
        b"figure ",
        b"draft ",
        b"review ",
        b"page ",
    ];
    let end = out.len() + n;
    let mut h = key;
    while out.len() < end {
        h = crate::rng::mix64(h);
        let w = WORDS[(h % WORDS.len() as u64) as usize];
        let take = w.len().min(end - out.len());
        out.extend_from_slice(&w[..take]);
    }
}

/// `s` with XML's special characters escaped, appended to `out`.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// A diagram cell: the box of one node and the gaps around it.
const CELL_W: u32 = 180;
const CELL_H: u32 = 90;

/// A valid SVG diagram of about `target` bytes (to the byte when the
/// target leaves room for the fixed parts): labelled boxes, circles and
/// diamonds on a grid with `aspect`'s shape, each joined to an earlier one
/// by an arrow. Labels are `vocab` words, some joined by `&` or `->`, which
/// are escaped.
pub fn svg(aspect: (u32, u32), key: u64, target: u64, vocab: &Vocab) -> Vec<u8> {
    use std::fmt::Write;
    let mut r = stream(key, Domain::Asset, &[2]);
    let target = target as usize;
    let full = target >= 1024;
    let stroke = ["#333", "#555", "#1f4e79", "#5b2c6f"][r.index(4)];
    let fills = [
        "#dae8fc", "#d5e8d4", "#ffe6cc", "#fff2cc", "#f8cecc", "#e1d5e7",
    ];
    const FOOTER: &str = "</svg>\n";
    // The header is written last, when the canvas size is known; this
    // bounds it (five-digit sizes) so the body leaves it room.
    const HEADER_MAX: usize = 520;

    // Roughly 260 bytes a node; a grid of that many cells in the aspect.
    let nodes_est = (target / 260).max(1) as f64;
    let cols = libm::ceil(libm::sqrt(
        nodes_est * aspect.0 as f64 * CELL_H as f64 / (aspect.1 as f64 * CELL_W as f64),
    ))
    .max(1.0) as u32;

    let mut body = String::with_capacity(target);
    let mut node = String::new();
    let mut centres: Vec<(u32, u32, u32, u32)> = Vec::new(); // cx, cy, half w, half h
    let mut label = String::new();
    let room = |body: &str, extra: usize| {
        HEADER_MAX + body.len() + extra + FOOTER.len() + COMMENT_MIN <= target
    };
    if full {
        for i in 0.. {
            let (col, row) = (i % cols, i / cols);
            let (cx, cy) = (col * CELL_W + CELL_W / 2, row * CELL_H + CELL_H / 2);
            label.clear();
            let words = r.range(1, 3);
            for j in 0..words {
                if j > 0 {
                    label.push_str(match r.below(10) {
                        0 => " & ",
                        1 => " -> ",
                        _ => " ",
                    });
                }
                label.push_str(vocab.sample(&mut r));
            }
            node.clear();
            let fill = fills[r.index(fills.len())];
            // Pieces and numbers pushed in turn: `write!` cost most of an
            // image's time (a diagram is mostly small integers).
            let mut w = Svg(&mut node);
            let (hw, hh) = match r.below(10) {
                0 => {
                    let rad = CELL_H / 2 - 12;
                    w.s("  <circle cx=\"")
                        .n(cx)
                        .s("\" cy=\"")
                        .n(cy)
                        .s("\" r=\"")
                        .n(rad);
                    w.s("\" fill=\"").s(fill).s("\" stroke=\"").s(stroke);
                    w.s("\" stroke-width=\"1.5\"/>\n");
                    (rad, rad)
                }
                1 => {
                    let (hw, hh) = (CELL_W / 2 - 14, CELL_H / 2 - 10);
                    w.s("  <path d=\"M ")
                        .n(cx)
                        .s(" ")
                        .n(cy - hh)
                        .s(" L ")
                        .n(cx + hw);
                    w.s(" ")
                        .n(cy)
                        .s(" L ")
                        .n(cx)
                        .s(" ")
                        .n(cy + hh)
                        .s(" L ")
                        .n(cx - hw);
                    w.s(" ")
                        .n(cy)
                        .s(" Z\" fill=\"")
                        .s(fill)
                        .s("\" stroke=\"")
                        .s(stroke);
                    w.s("\" stroke-width=\"1.5\"/>\n");
                    (hw, hh)
                }
                _ => {
                    let (hw, hh) = (CELL_W / 2 - 20, CELL_H / 2 - 22);
                    w.s("  <rect x=\"").n(cx - hw).s("\" y=\"").n(cy - hh);
                    w.s("\" width=\"").n(2 * hw).s("\" height=\"").n(2 * hh);
                    w.s("\" rx=\"6\" fill=\"")
                        .s(fill)
                        .s("\" stroke=\"")
                        .s(stroke);
                    w.s("\" stroke-width=\"1.5\"/>\n");
                    (hw, hh)
                }
            };
            w.s("  <text x=\"").n(cx).s("\" y=\"").n(cy + 5);
            w.s("\" text-anchor=\"middle\">");
            escape_into(&mut node, &label);
            node.push_str("</text>\n");
            if i > 0 {
                // From the left neighbour, the node above, or the one
                // above and to the right (an elbow).
                let from = if col > 0 && (row == 0 || r.chance(0.6)) {
                    i - 1
                } else if col + 1 < cols && r.chance(0.3) {
                    i - cols + 1
                } else {
                    i - cols
                };
                let (fx, fy, fw, fh) = centres[from as usize];
                let mut w = Svg(&mut node);
                w.s("  <path d=\"M ");
                if fy == cy {
                    w.n(fx + fw).s(" ").n(fy).s(" L ").n(cx - hw).s(" ").n(cy);
                } else if fx == cx {
                    w.n(fx).s(" ").n(fy + fh).s(" L ").n(cx).s(" ").n(cy - hh);
                } else {
                    let mid = (fy + fh + cy - hh) / 2;
                    w.n(fx).s(" ").n(fy + fh).s(" V ").n(mid).s(" H ").n(cx);
                    w.s(" V ").n(cy - hh);
                }
                w.s("\" fill=\"none\" stroke=\"").s(stroke);
                w.s("\" marker-end=\"url(#arrow)\"/>\n");
            }
            if !room(&body, node.len()) {
                break;
            }
            body.push_str(&node);
            centres.push((cx, cy, hw, hh));
        }
    }

    let n = centres.len() as u32;
    let (width, height) = if n == 0 {
        let w = 64 * aspect.0.div_ceil(aspect.1).max(1);
        (w, w * aspect.1 / aspect.0)
    } else {
        (cols.min(n) * CELL_W, n.div_ceil(cols) * CELL_H)
    };
    let mut head = String::new();
    if full {
        head.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let _ = writeln!(
        head,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="13">"#
    );
    if full {
        head.push_str("  <title>");
        let title = vocab.sample(&mut r);
        escape_into(&mut head, title);
        head.push_str(" diagram</title>\n");
        let _ = writeln!(
            head,
            r#"  <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{stroke}"/></marker></defs>"#
        );
    }
    let _ = writeln!(
        head,
        r##"  <rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    debug_assert!(!full || head.len() <= HEADER_MAX, "{}", head.len());

    let mut out = head.into_bytes();
    out.extend_from_slice(body.as_bytes());
    let gap = target.saturating_sub(out.len() + FOOTER.len());
    if gap >= COMMENT_MIN {
        out.extend_from_slice(b"<!-- ");
        filler(&mut out, gap - COMMENT_MIN, key);
        out.extend_from_slice(b" -->\n");
    }
    out.extend_from_slice(FOOTER.as_bytes());
    out
}

/// `<!-- ` and ` -->` and the line break.
const COMMENT_MIN: usize = 10;

/// An SVG text being written: pieces and decimal numbers, in turn.
struct Svg<'a>(&'a mut String);

impl Svg<'_> {
    fn s(&mut self, piece: &str) -> &mut Self {
        self.0.push_str(piece);
        self
    }

    fn n(&mut self, x: u32) -> &mut Self {
        let mut buf = [0u8; 20];
        for &d in crate::text::u64_digits(u64::from(x), &mut buf) {
            self.0.push(d as char);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocab {
        Vocab::new(0.8)
    }

    /// Adler-32 and CRC-32 by their definitions, one step a byte.
    fn adler_slow(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &d in data {
            a = (a + d as u32) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }
    fn crc_slow(data: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in data {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn checksums_match_their_definitions() {
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        assert_eq!(crc32(&data), crc_slow(&data));
        assert_eq!(adler32(&data), adler_slow(&data));
        let ff = vec![0xffu8; 70_000];
        assert_eq!(adler32(&ff), adler_slow(&ff));
    }

    /// Walk the chunks of a PNG: every CRC right, IHDR first, IEND last;
    /// returns (width, height, IDAT data).
    fn chunks(p: &[u8]) -> (u32, u32, Vec<u8>) {
        assert_eq!(&p[..8], b"\x89PNG\r\n\x1a\n");
        let (mut at, mut kinds, mut idat) = (8, Vec::new(), Vec::new());
        let (mut w, mut h) = (0, 0);
        while at < p.len() {
            let len = u32::from_be_bytes(p[at..at + 4].try_into().unwrap()) as usize;
            let kind = &p[at + 4..at + 8];
            let data = &p[at + 8..at + 8 + len];
            let crc = u32::from_be_bytes(p[at + 8 + len..at + 12 + len].try_into().unwrap());
            assert_eq!(crc, crc32(&p[at + 4..at + 8 + len]));
            if kind == b"IHDR" {
                w = u32::from_be_bytes(data[..4].try_into().unwrap());
                h = u32::from_be_bytes(data[4..8].try_into().unwrap());
            }
            if kind == b"IDAT" {
                idat.extend_from_slice(data);
            }
            kinds.push(kind.to_vec());
            at += 12 + len;
        }
        assert_eq!(at, p.len());
        assert_eq!(kinds.first().unwrap(), b"IHDR");
        assert_eq!(kinds.last().unwrap(), b"IEND");
        (w, h, idat)
    }

    /// Undo the stored blocks of a zlib stream, checking its framing.
    fn inflate_stored(z: &[u8]) -> Vec<u8> {
        assert_eq!((z[0] as u32 * 256 + z[1] as u32) % 31, 0);
        let (mut at, mut out) = (2, Vec::new());
        loop {
            let last = z[at] & 1 == 1;
            assert_eq!(z[at] >> 1, 0, "stored block");
            let n = u16::from_le_bytes([z[at + 1], z[at + 2]]);
            assert_eq!(!n, u16::from_le_bytes([z[at + 3], z[at + 4]]));
            out.extend_from_slice(&z[at + 5..at + 5 + n as usize]);
            at += 5 + n as usize;
            if last {
                break;
            }
        }
        assert_eq!(z.len(), at + 4);
        assert_eq!(
            u32::from_be_bytes(z[at..].try_into().unwrap()),
            adler_slow(&out)
        );
        out
    }

    #[test]
    fn png_hits_its_target_and_is_well_formed() {
        for (i, &target) in [256u64, 1000, 20_000, 70_000, 300_000, 5_000_000]
            .iter()
            .enumerate()
        {
            for (j, &pixels) in PNG_PIXELS.iter().enumerate() {
                let aspect = ASPECTS[(i + j) % ASPECTS.len()];
                let (w, h, px) = png_fit(target, aspect, pixels);
                assert!(
                    (WIDTH_MIN..=WIDTH_MAX).contains(&w),
                    "{target} {pixels:?}: {w}"
                );
                let p = png(w, h, px, i as u64, target);
                assert_eq!(
                    p.len() as u64,
                    target,
                    "{target} {pixels:?} -> {w}x{h} {px:?}"
                );
                let (pw, ph, idat) = chunks(&p);
                assert_eq!((pw, ph), (w, h));
                let raw = inflate_stored(&idat);
                assert_eq!(raw.len() as u64, row_bytes(w, px) * h as u64);
            }
        }
    }

    #[test]
    fn png_fit_keeps_the_aspect_of_realistic_sizes() {
        let (w, h, _) = png_fit(200_000, (16, 9), Pixels::Rgb);
        let ratio = w as f64 / h as f64;
        assert!((ratio - 16.0 / 9.0).abs() < 0.05, "{w}x{h}");
    }

    #[test]
    fn png_fit_gives_the_dimensions_format_md_quotes() {
        let (w, h, _) = png_fit(20_000, (16, 9), Pixels::Rgb);
        let (w4, h4, _) = png_fit(20_000, (16, 9), Pixels::Palette(4));
        assert_eq!([w, h, w4, h4], [108, 61, 264, 149]);
    }

    #[test]
    fn svg_hits_its_target_and_escapes_labels() {
        let v = vocab();
        for (i, &target) in [256u64, 1000, 1024, 5000, 20_000, 1_000_000]
            .iter()
            .enumerate()
        {
            let s = svg(ASPECTS[i % ASPECTS.len()], i as u64, target, &v);
            assert_eq!(s.len() as u64, target, "{target}");
            let text = std::str::from_utf8(&s).unwrap();
            assert!(text.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(text.ends_with("</svg>\n"));
            assert!(!text.contains(" & ") && !text.contains(" -> "), "escaped");
        }
        let big = String::from_utf8(svg((4, 3), 9, 200_000, &v)).unwrap();
        assert!(big.contains("&amp;") && big.contains("-&gt;"));
        assert!(big.contains("<circle") && big.contains("<path") && big.contains("<text"));
    }

    #[test]
    fn escape_covers_the_five() {
        let mut s = String::new();
        escape_into(&mut s, r#"a<b>&"c'"#);
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&apos;");
    }

    #[test]
    fn render_is_a_function_of_the_spec() {
        let v = vocab();
        for format in [AssetFormat::Png, AssetFormat::Svg] {
            let spec = AssetSpec {
                format,
                bytes: 12_345,
                key: 42,
            };
            let a = render(&spec, &v);
            assert_eq!(a, render(&spec, &v));
            assert_eq!(a.len(), 12_345);
            assert_ne!(a, render(&AssetSpec { key: 43, ..spec }, &v));
        }
    }
}

//! Line numbers of byte offsets: the renderer's records and the
//! validator's parse both say where things are by line.

/// Line numbers of offsets into a text, counted from the last offset asked
/// about: the validator's walk and the renderer ask in (nearly) text
/// order, and a list of every newline's offset, collected up front, cost
/// ~20 instructions a line.
pub struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    /// Newlines before `at`.
    before: u64,
}

impl<'t> Lines<'t> {
    /// Offsets into `text`, starting at line 1.
    pub fn new(text: &'t [u8]) -> Lines<'t> {
        Lines {
            text,
            at: 0,
            before: 0,
        }
    }

    /// The 1-based line of offset `off` (one past the text's last newline
    /// for an offset at or past its end).
    pub fn of(&mut self, off: usize) -> u64 {
        let off = off.min(self.text.len());
        if off >= self.at {
            self.before += newlines(&self.text[self.at..off]);
        } else {
            self.before -= newlines(&self.text[off..self.at]);
        }
        self.at = off;
        self.before + 1
    }
}

/// How many newlines `b` holds. Asked of ~100 bytes at a time (two lines),
/// where memchr's count cost ~60 instructions a newline: 32-byte blocks
/// the compiler turns into vector compares, then words, then bytes.
fn newlines(b: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut n = 0u64;
    let mut blocks = b.chunks_exact(32);
    for block in &mut blocks {
        n += u64::from(block.iter().fold(0u8, |k, &c| k + u8::from(c == b'\n')));
    }
    // At most three words: each byte of `per_byte` counts to 3 at most.
    let mut words = blocks.remainder().chunks_exact(8);
    let mut per_byte = 0u64;
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().expect("8 bytes")) ^ (ONES * u64::from(b'\n'));
        // A high bit for each zero byte of `x` (exactly: no borrows).
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        per_byte += zero >> 7;
    }
    n += per_byte.wrapping_mul(ONES) >> 56;
    n + words.remainder().iter().filter(|&&c| c == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_counts_as_a_list_of_newlines_does_in_any_order() {
        let text = b"a\nbb\n\nccc\nd";
        let naive = |off: usize| {
            text[..off.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64
                + 1
        };
        let mut bytes: Vec<u8> = (0..300u32)
            .map(|k| b"a\nb\n\n\x0b\x8a"[k as usize % 6])
            .collect();
        bytes[77] = b'\n';
        let every: Vec<u8> = vec![b'\n'; 32 * 600 + 13];
        assert_eq!(newlines(&every), every.len() as u64);
        for (start, end) in [(0, 300), (3, 299), (0, 31), (1, 64), (40, 47), (5, 5)] {
            let b = &bytes[start..end];
            let want = b.iter().filter(|&&c| c == b'\n').count() as u64;
            assert_eq!(newlines(b), want, "{start}..{end}");
        }
        let mut lines = Lines::new(text);
        for off in [0, 3, 2, 9, 20, 1, 5, 5, 6, 0, 11, 4] {
            assert_eq!(lines.of(off), naive(off), "offset {off}");
        }
    }
}

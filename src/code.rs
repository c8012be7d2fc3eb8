//! Plausible lines of code for fenced blocks, per language.
//!
//! Code blocks carry no references (a parser must not find links in them),
//! but they should look like the code real documentation shows, because
//! tools that highlight or index code spend their time there.

use crate::rng::Rng;
use crate::text::{u64_digits, Tok, Vocab};

/// Append one line of `lang` code built from vocabulary words to `out`
/// (without its newline). Pieces are copied straight into the buffer:
/// `format!` per line cost more than choosing the words.
pub fn line(out: &mut Vec<u8>, lang: &str, vocab: &Vocab, rng: &mut Rng) {
    let a = vocab.sample(rng);
    let b = vocab.sample(rng).as_bytes();
    let mut digits = [0u8; 20];
    let n = u64_digits(rng.below(1000), &mut digits);
    let indent = &b"        "[..4 * rng.index(3)];
    let mut cap = Tok::new();
    cap.push_capitalized(a);
    let cap = cap.bytes();
    let a = a.as_bytes();
    macro_rules! w {
        ($($piece:expr),*) => {{ $(out.extend_from_slice($piece);)* }};
    }
    match lang {
        "rust" => match rng.index(7) {
            0 => w!(indent, b"let ", a, b"_", b, b" = ", cap, b"::new(", n, b");"),
            1 => w!(
                indent,
                b"fn ",
                a,
                b"_",
                b,
                b"(&mut self, ",
                b,
                b": &",
                cap,
                b") -> Result<(), Error> {"
            ),
            2 => w!(indent, b"self.", a, b".", b, b"(&", b, b"_", n, b")?;"),
            3 => w!(indent, b"}"),
            4 => w!(indent, b"// ", a, b" ", b, b" must stay below ", n),
            5 => w!(
                indent,
                b"match ",
                a,
                b" { Some(x) => x.",
                b,
                b"(), None => return Ok(()) }"
            ),
            _ => w!(indent, b"assert_eq!(", a, b".", b, b"(), ", n, b");"),
        },
        "python" => match rng.index(6) {
            0 => w!(indent, a, b"_", b, b" = ", cap, b"(", n, b")"),
            1 => w!(indent, b"def ", a, b"_", b, b"(self, ", b, b"):"),
            2 => w!(indent, b"return self.", a, b".get(\"", b, b"\", ", n, b")"),
            3 => w!(indent, b"# ", a, b" ", b, b" is optional"),
            4 => w!(indent, b"for ", b, b" in ", a, b":"),
            _ => w!(indent, b"print(f\"", a, b"={", b, b"}\")"),
        },
        "bash" => match rng.index(5) {
            0 => w!(a, b" --", b, b" ", n),
            1 => {
                w!(b"export ");
                let at = out.len();
                w!(a, b"_", b);
                out[at..].make_ascii_uppercase();
                w!(b"=", n);
            }
            2 => w!(b"# ", a, b" the ", b),
            3 => w!(b"cargo run --release -- ", a, b" ", b),
            _ => w!(b"ls -la ./", a, b"/", b),
        },
        "toml" => match rng.index(4) {
            0 => w!(b"[", a, b"]"),
            1 => w!(b, b" = ", n),
            2 => w!(a, b"_", b, b" = \"", b, b"\""),
            _ => {
                let on: &[u8] = if rng.chance(0.5) { b"true" } else { b"false" };
                w!(b"enabled = ", on);
            }
        },
        "json" => match rng.index(3) {
            0 => w!(b"  \"", a, b"\": ", n, b","),
            1 => w!(b"  \"", a, b"_", b, b"\": \"", b, b"\","),
            _ => {
                let mut more = [0u8; 20];
                let m = u64_digits(rng.below(100), &mut more);
                w!(b"  \"", b, b"\": [", n, b", ", m, b"],");
            }
        },
        "yaml" => match rng.index(3) {
            0 => w!(a, b":"),
            1 => w!(b"  ", b, b": ", n),
            _ => w!(b"  - ", a, b"_", b),
        },
        "javascript" => match rng.index(5) {
            0 => w!(indent, b"const ", a, b" = await ", b, b".fetch(", n, b");"),
            1 => w!(indent, b"function ", a, cap, b"(", b, b") {"),
            2 => w!(indent, b"}"),
            3 => w!(indent, b"// ", a, b" ", b),
            _ => w!(indent, a, b".", b, b" = ", n, b";"),
        },
        _ => w!(a, b" ", b, b" ", n),
    }
}

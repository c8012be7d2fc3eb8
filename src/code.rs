//! Plausible lines of code for fenced blocks, per language.
//!
//! Code blocks carry no references (a parser must not find links in them),
//! but they should look like the code real documentation shows, because
//! tools that highlight or index code spend their time there.

use crate::rng::Rng;
use crate::text::{push_capitalized, Vocab};

/// One line of `lang` code built from vocabulary words.
pub fn line(lang: &str, vocab: &Vocab, rng: &mut Rng) -> String {
    let a = vocab.sample(rng);
    let b = vocab.sample(rng);
    let n = rng.below(1000);
    let indent = "    ".repeat(rng.index(3));
    let mut cap = String::new();
    push_capitalized(&mut cap, a);
    match lang {
        "rust" => match rng.index(7) {
            0 => format!("{indent}let {a}_{b} = {cap}::new({n});"),
            1 => format!("{indent}fn {a}_{b}(&mut self, {b}: &{cap}) -> Result<(), Error> {{"),
            2 => format!("{indent}self.{a}.{b}(&{b}_{n})?;"),
            3 => format!("{indent}}}"),
            4 => format!("{indent}// {a} {b} must stay below {n}"),
            5 => format!("{indent}match {a} {{ Some(x) => x.{b}(), None => return Ok(()) }}"),
            _ => format!("{indent}assert_eq!({a}.{b}(), {n});"),
        },
        "python" => match rng.index(6) {
            0 => format!("{indent}{a}_{b} = {cap}({n})"),
            1 => format!("{indent}def {a}_{b}(self, {b}):"),
            2 => format!("{indent}return self.{a}.get(\"{b}\", {n})"),
            3 => format!("{indent}# {a} {b} is optional"),
            4 => format!("{indent}for {b} in {a}:"),
            _ => format!("{indent}print(f\"{a}={{{b}}}\")"),
        },
        "bash" => match rng.index(5) {
            0 => format!("{a} --{b} {n}"),
            1 => format!("export {}_{}={n}", a.to_uppercase(), b.to_uppercase()),
            2 => format!("# {a} the {b}"),
            3 => format!("cargo run --release -- {a} {b}"),
            _ => format!("ls -la ./{a}/{b}"),
        },
        "toml" => match rng.index(4) {
            0 => format!("[{a}]"),
            1 => format!("{b} = {n}"),
            2 => format!("{a}_{b} = \"{b}\""),
            _ => format!("enabled = {}", rng.chance(0.5)),
        },
        "json" => match rng.index(3) {
            0 => format!("  \"{a}\": {n},"),
            1 => format!("  \"{a}_{b}\": \"{b}\","),
            _ => format!("  \"{b}\": [{n}, {}],", rng.below(100)),
        },
        "yaml" => match rng.index(3) {
            0 => format!("{a}:"),
            1 => format!("  {b}: {n}"),
            _ => format!("  - {a}_{b}"),
        },
        "javascript" => match rng.index(5) {
            0 => format!("{indent}const {a} = await {b}.fetch({n});"),
            1 => format!("{indent}function {a}{cap}({b}) {{"),
            2 => format!("{indent}}}"),
            3 => format!("{indent}// {a} {b}"),
            _ => format!("{indent}{a}.{b} = {n};"),
        },
        _ => format!("{a} {b} {n}"),
    }
}

//! Rust: `use` lines, then structs, enums, impls, constants and functions
//! whose bodies hold statements nested a few blocks deep.

use super::Gen;

/// Deepest block nesting inside a function body.
const DEPTH: usize = 3;

/// Field and parameter types.
const TYPES: &[&[u8]] = &[
    b"u64",
    b"u32",
    b"usize",
    b"bool",
    b"String",
    b"&str",
    b"Vec<String>",
    b"Option<u32>",
    b"PathBuf",
    b"Duration",
    b"HashMap<String, u64>",
];

/// What a function returns, and the tail expression that returns it.
const RETURNS: &[(&[u8], &[u8])] = &[
    (b"", b""),
    (b" -> Result<(), Error>", b"Ok(())"),
    (b" -> bool", b"true"),
    (b" -> usize", b"0"),
    (b" -> Option<String>", b"None"),
];

/// A Rust file.
pub fn file(g: &mut Gen) {
    let uses = [0, 0, 1, 2][g.pick(4)];
    for k in 0..uses {
        if k > 0 && !g.more() {
            break;
        }
        g.w(b"use ");
        g.any_snake();
        g.w(b"::");
        if g.chance(0.5) {
            g.w(b"{");
            let a = g.plain();
            g.cap(a);
            g.w(b", ");
            let mut b = g.plain();
            while b == a {
                b = g.plain();
            }
            g.cap(b);
            g.w(b"}");
        } else {
            let a = g.plain();
            g.cap(a);
        }
        g.w(b";");
        g.nl();
    }
    let mut first = true;
    while first || g.more() {
        let r = g.pick(12);
        if !first && g.more_n(4) {
            // A blank line between items; never right before a `#[...]`
            // line (a blank line then `#` is where large files are cut to
            // be parsed in pieces), so attributed items get a doc comment.
            g.nl();
            g.w(b"/// ");
            let w = g.word();
            g.cap(w);
            g.w(b" ");
            let n = 2 + g.pick(6);
            g.words(n);
            g.w(b".");
            g.nl();
        }
        match r {
            0..=2 if g.more_n(3) => structure(g),
            3 if g.more_n(3) => enumeration(g),
            4..=5 if g.more_n(4) => implementation(g),
            6..=9 if g.more_n(2) => function(g, 0, None),
            _ => {
                g.w(b"pub const ");
                let n = (g.word(), g.word());
                g.upper(n);
                g.w(b": u64 = ");
                g.num(100_000);
                g.w(b";");
                g.nl();
            }
        }
        first = false;
    }
}

fn ty(g: &mut Gen) {
    if g.chance(0.15) {
        let w = g.plain();
        g.cap(w);
    } else {
        let t = TYPES[g.pick(TYPES.len())];
        g.w(t);
    }
}

fn structure(g: &mut Gen) {
    g.w(b"#[derive(Debug, Clone");
    if g.chance(0.4) {
        g.w(b", PartialEq, Eq");
    }
    g.w(b")]");
    g.nl();
    g.w(b"pub struct ");
    let name = (g.word(), g.word());
    g.pascal(name);
    g.w(b" {");
    g.open(1, 1);
    g.nl();
    let mark = g.scope();
    let mut first = true;
    let (n, mut k) = (g.span(2, 7), 0);
    while first || (k < n && g.more()) {
        k += 1;
        first = false;
        g.w(b"    ");
        if g.chance(0.6) {
            g.w(b"pub ");
        }
        let f = g.fresh(mark);
        g.snake(f);
        g.w(b": ");
        ty(g);
        g.w(b",");
        g.nl();
    }
    g.end_scope(mark);
    g.shut(1, 1);
    g.w(b"}");
    g.nl();
}

fn enumeration(g: &mut Gen) {
    g.w(b"#[derive(Debug, Clone, Copy)]");
    g.nl();
    g.w(b"pub enum ");
    let name = (g.word(), g.word());
    g.pascal(name);
    g.w(b" {");
    g.open(1, 1);
    g.nl();
    let mark = g.scope();
    let mut first = true;
    let (n, mut k) = (g.span(2, 6), 0);
    while first || (k < n && g.more()) {
        k += 1;
        first = false;
        g.w(b"    ");
        let v = g.fresh(mark);
        g.pascal(v);
        match g.pick(4) {
            0 => {
                g.w(b"(");
                ty(g);
                g.w(b")");
            }
            1 => {
                g.w(b" { ");
                g.any_snake();
                g.w(b": ");
                ty(g);
                g.w(b" }");
            }
            _ => {}
        }
        g.w(b",");
        g.nl();
    }
    g.end_scope(mark);
    g.shut(1, 1);
    g.w(b"}");
    g.nl();
}

fn implementation(g: &mut Gen) {
    g.w(b"impl ");
    let name = (g.word(), g.word());
    g.pascal(name);
    g.w(b" {");
    g.open(1, 1);
    g.nl();
    let mut first = true;
    let (n, mut k) = (g.span(1, 3), 0);
    while first || (k < n && g.more_n(3)) {
        k += 1;
        if !first {
            g.nl();
        }
        first = false;
        let recv: &[u8] = [&b"&self"[..], b"&mut self", b"&self"][g.pick(3)];
        function(g, 4, Some(recv));
    }
    g.shut(1, 1);
    g.w(b"}");
    g.nl();
}

/// A function at indentation `ind`; a method when it has a receiver.
fn function(g: &mut Gen, ind: usize, recv: Option<&[u8]>) {
    g.ind(ind);
    if g.chance(0.6) {
        g.w(b"pub ");
    }
    g.w(b"fn ");
    let name = (g.word(), g.word());
    g.snake(name);
    g.w(b"(");
    let mark = g.scope();
    let mut n = g.pick(3);
    // Two parameters go one per line, as rustfmt puts a long signature.
    let tall = n == 2 && g.more_n(6);
    if n == 2 && !tall {
        n = 1;
    }
    let sep: &[u8] = if tall { b"," } else { b", " };
    let mut k = 0;
    if let Some(r) = recv {
        if tall {
            g.nl();
            g.ind(ind + 4);
        }
        g.w(r);
        k += 1;
    }
    for _ in 0..n {
        if k > 0 {
            g.w(sep);
        }
        if tall {
            g.nl();
            g.ind(ind + 4);
        }
        k += 1;
        let p = g.fresh(mark);
        g.snake(p);
        g.w(b": ");
        ty(g);
    }
    g.end_scope(mark);
    if tall {
        g.w(b",");
        g.nl();
        g.ind(ind);
    }
    g.w(b")");
    let (ret, tail) = RETURNS[g.pick(RETURNS.len())];
    g.w(ret);
    g.w(b" {");
    let fallible = !tail.is_empty() && ret.starts_with(b" -> Result");
    // The tail line (if any) and the closing brace.
    let close = if tail.is_empty() {
        ind + 2
    } else {
        2 * ind + tail.len() + 7
    };
    let close_lines = 1 + !tail.is_empty() as usize;
    g.open(close, close_lines);
    g.nl();
    block(g, ind + 4, fallible, 1, tail.is_empty());
    g.shut(close, close_lines);
    if !tail.is_empty() {
        g.ind(ind + 4);
        g.w(tail);
        g.nl();
    }
    g.ind(ind);
    g.w(b"}");
    g.nl();
}

/// A few statements at `ind` while the budget lasts (at least one if
/// `forced`).
fn block(g: &mut Gen, ind: usize, fallible: bool, depth: usize, forced: bool) {
    let mut first = forced;
    let (n, mut k) = (
        if depth <= 1 {
            g.span(2, 8)
        } else {
            g.span(1, 3)
        },
        0,
    );
    while first || (k < n && g.more()) {
        k += 1;
        first = false;
        stmt(g, ind, fallible, depth);
    }
}

fn stmt(g: &mut Gen, ind: usize, fallible: bool, depth: usize) {
    let r = g.pick(16);
    if depth < DEPTH && r < 4 && g.more_n(3) {
        g.ind(ind);
        match r {
            0 => {
                g.w(b"if ");
                g.any_snake();
                g.one_of(&[b".is_empty() {", b" > 0 {", b".is_some() {"]);
            }
            1 => {
                g.w(b"for ");
                g.any_snake();
                g.w(b" in ");
                g.any_snake();
                g.w(b".iter() {");
            }
            2 => {
                g.w(b"while let Some(");
                g.any_snake();
                g.w(b") = ");
                g.any_snake();
                g.w(b".pop() {");
            }
            _ => {
                g.w(b"match ");
                g.any_snake();
                g.w(b" {");
            }
        }
        g.open(ind + 1, 1);
        g.nl();
        if r == 3 {
            g.ind(ind + 4);
            g.w(b"Some(v) => ");
            g.any_snake();
            g.w(b".push(v),");
            g.nl();
            g.ind(ind + 4);
            g.w(b"None => {}");
            g.nl();
        } else {
            block(g, ind + 4, fallible, depth + 1, true);
        }
        g.shut(ind + 1, 1);
        g.ind(ind);
        g.w(b"}");
        g.nl();
        return;
    }
    g.ind(ind);
    match r {
        4..=6 => {
            g.either(0.3, b"let mut ", b"let ");
            g.any_snake();
            g.w(b" = ");
            let w = g.plain();
            g.cap(w);
            g.w(b"::new(");
            g.any_snake();
            g.w(b", ");
            g.num(1000);
            g.w(b");");
        }
        7 => {
            g.any_snake();
            g.w(b".");
            g.any_snake();
            g.w(b"(&");
            g.any_snake();
            g.w(if fallible { b")?;" } else { b");" });
        }
        8 => {
            g.w(b"// ");
            let n = 2 + g.pick(6);
            g.words(n);
        }
        9 => {
            g.w(b"assert_eq!(");
            g.any_snake();
            g.w(b".len(), ");
            g.num(100);
            g.w(b");");
        }
        10 => {
            g.w(b"println!(\"");
            g.words(2);
            g.w(b": {}\", ");
            g.any_snake();
            g.w(b");");
        }
        11 => {
            g.w(b"let ");
            g.any_snake();
            g.w(b": Vec<_> = ");
            g.any_snake();
            g.w(b".iter().map(|x| x.");
            g.any_snake();
            g.w(b"()).collect();");
        }
        12 if fallible => {
            g.w(b"let ");
            g.any_snake();
            g.w(b" = std::fs::read_to_string(&");
            g.any_snake();
            g.w(b")?;");
        }
        _ => {
            g.any_snake();
            g.w(b" += ");
            g.num(10);
            g.w(b";");
        }
    }
    g.nl();
}

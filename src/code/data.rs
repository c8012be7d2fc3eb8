//! Data languages: JSON documents, YAML mappings, TOML files.
//!
//! Keys are unique within their mapping (TOML and strict YAML readers
//! refuse repeats), nesting stays a few levels deep, and values are the
//! kinds configuration files hold: words, numbers, flags, paths, lists.

use super::Gen;

/// Deepest nesting of objects and arrays in JSON and YAML.
const DEPTH: usize = 4;

/// A JSON document: an object (mostly) or an array, pretty-printed with
/// two-space indentation.
pub fn json(g: &mut Gen) {
    if g.chance(0.85) {
        object(g, 0, true);
    } else {
        array(g, 0);
    }
    g.nl();
}

fn object(g: &mut Gen, depth: usize, forced: bool) {
    g.w(b"{");
    // The closing line: newline, indentation, brace (a comma, if any, is
    // the parent's and reserved there).
    let close = 2 * depth + 2;
    g.open(close, 1);
    let mark = g.scope();
    let mut first = true;
    let (n, mut k) = (if depth == 0 { usize::MAX } else { g.span(1, 6) }, 0);
    while (first && forced) || (k < n && g.more()) {
        k += 1;
        if !first {
            g.w(b",");
        }
        g.nl();
        g.ind(2 * depth + 2);
        g.w(b"\"");
        let k = g.fresh(mark);
        g.snake(k);
        g.w(b"\": ");
        value(g, depth + 1);
        first = false;
    }
    g.end_scope(mark);
    g.shut(close, 1);
    if !first {
        g.nl();
        g.ind(2 * depth);
    }
    g.w(b"}");
}

fn array(g: &mut Gen, depth: usize) {
    // Arrays of scalars fit on one line; a multi-line array holds objects.
    if depth >= DEPTH || !g.more_n(3) || g.chance(0.5) {
        inline_array(g);
        return;
    }
    g.w(b"[");
    let close = 2 * depth + 2;
    g.open(close, 1);
    let mut first = true;
    let (n, mut k) = (g.span(1, 3), 0);
    while first || (k < n && g.more_n(2)) {
        k += 1;
        if !first {
            g.w(b",");
        }
        g.nl();
        g.ind(2 * depth + 2);
        object(g, depth + 1, true);
        first = false;
    }
    g.shut(close, 1);
    g.nl();
    g.ind(2 * depth);
    g.w(b"]");
}

fn inline_array(g: &mut Gen) {
    g.w(b"[");
    let n = 1 + g.pick(4);
    let strings = g.chance(0.6);
    for k in 0..n {
        if k > 0 {
            g.w(b", ");
        }
        if strings {
            g.w(b"\"");
            let w = g.word();
            g.w(w.as_bytes());
            g.w(b"\"");
        } else {
            g.num(1000);
        }
    }
    g.w(b"]");
}

fn value(g: &mut Gen, depth: usize) {
    let r = g.pick(12);
    if r < 2 && depth < DEPTH && g.more_n(2) {
        object(g, depth, true);
        return;
    }
    if r < 3 {
        array(g, depth);
        return;
    }
    match r {
        3..=5 => {
            g.w(b"\"");
            let n = 1 + g.pick(3);
            g.words(n);
            g.w(b"\"");
        }
        6 | 7 => g.num(10_000),
        8 => {
            g.num(10);
            g.w(b".");
            g.num(100);
        }
        9 => {
            let b: &[u8] = if g.chance(0.5) { b"true" } else { b"false" };
            g.w(b);
        }
        10 => g.w(b"null"),
        _ => {
            g.w(b"\"./");
            g.any_snake();
            g.w(b"/");
            g.any_snake();
            g.w(b".json\"");
        }
    }
}

/// A YAML document: a block mapping whose values are scalars, flow lists,
/// nested mappings and sequences (of scalars or of mappings).
pub fn yaml(g: &mut Gen) {
    mapping(g, 0, None);
}

/// Entries at indentation `ind`; with `dash`, the first entry starts a
/// sequence item (`- key: value`) whose dash sits at that column.
fn mapping(g: &mut Gen, ind: usize, dash: Option<usize>) {
    let mark = g.scope();
    let mut first = true;
    let (n, mut k) = (
        if ind == 0 && dash.is_none() {
            usize::MAX
        } else {
            g.span(1, 6)
        },
        0,
    );
    while first || (k < n && g.more()) {
        k += 1;
        match (first, dash) {
            (true, Some(d)) => {
                g.ind(d);
                g.w(b"- ");
            }
            _ => g.ind(ind),
        }
        if !first && dash.is_none() && g.chance(0.05) {
            g.w(b"# ");
            let n = 2 + g.pick(5);
            g.words(n);
            g.nl();
            continue;
        }
        first = false;
        let k = g.fresh(mark);
        g.snake(k);
        g.w(b":");
        let r = g.pick(10);
        if r < 2 && ind < 2 * DEPTH && g.more_n(2) {
            g.nl();
            mapping(g, ind + 2, None);
        } else if r < 4 && ind < 2 * DEPTH && g.more_n(2) {
            g.nl();
            // Both styles are common: items under the key, or indented.
            let at = if g.chance(0.5) { ind } else { ind + 2 };
            sequence(g, at);
        } else {
            g.w(b" ");
            yaml_scalar(g);
            g.nl();
        }
    }
    g.end_scope(mark);
}

fn sequence(g: &mut Gen, ind: usize) {
    let maps = ind < 2 * DEPTH && g.chance(0.3);
    let mut first = true;
    let (n, mut k) = (g.span(1, 6), 0);
    while first || (k < n && g.more()) {
        k += 1;
        first = false;
        if maps && g.more_n(2) {
            mapping(g, ind + 2, Some(ind));
        } else {
            g.ind(ind);
            g.w(b"- ");
            yaml_scalar(g);
            g.nl();
        }
    }
}

fn yaml_scalar(g: &mut Gen) {
    match g.pick(9) {
        0 | 1 => {
            let n = 1 + g.pick(3);
            g.words(n);
        }
        2 => {
            g.w(b"\"");
            let n = 2 + g.pick(4);
            g.words(n);
            g.w(b"\"");
        }
        3 | 4 => g.num(10_000),
        5 => {
            let b: &[u8] = if g.chance(0.5) { b"true" } else { b"false" };
            g.w(b);
        }
        6 => {
            g.w(b"[");
            let n = 1 + g.pick(3);
            for k in 0..n {
                if k > 0 {
                    g.w(b", ");
                }
                let w = g.word();
                g.w(w.as_bytes());
            }
            g.w(b"]");
        }
        7 => {
            g.w(b"./");
            g.any_snake();
            g.w(b"/");
            g.any_snake();
        }
        _ => {
            g.w(b"https://example.com/");
            g.any_snake();
        }
    }
}

/// A TOML file: a few top-level keys, then tables, some with a subtable,
/// keys unique per table and table names unique. No arrays of tables:
/// their `[[name]]` reads as a wikilink to raw-text scanners, and the
/// corpus promises no `[[` where a dialect has no wikilinks.
pub fn toml(g: &mut Gen) {
    let root = g.scope();
    let keys = [0, 0, 1, 2, 3][g.pick(5)];
    for k in 0..keys {
        if k > 0 && !g.more() {
            break;
        }
        key_value(g, root);
    }
    let mut tables = 0;
    while (keys == 0 && tables == 0) || g.more_n(2) {
        tables += 1;
        let name = g.fresh(root);
        g.w(b"[");
        g.snake(name);
        g.w(b"]");
        g.nl();
        let mark = g.scope();
        let mut first = true;
        let (n, mut k) = (g.span(1, 8), 0);
        while first || (k < n && g.more()) {
            k += 1;
            first = false;
            key_value(g, mark);
        }
        if g.chance(0.3) && g.more_n(2) {
            let sub = g.fresh(mark);
            g.w(b"[");
            g.snake(name);
            g.w(b".");
            g.snake(sub);
            g.w(b"]");
            g.nl();
            table_keys(g);
        }
        g.end_scope(mark);
    }
    g.end_scope(root);
}

/// At least one key, in a scope of their own.
fn table_keys(g: &mut Gen) {
    let mark = g.scope();
    let n = 1 + g.pick(5);
    for k in 0..n {
        if k > 0 && !g.more() {
            break;
        }
        key_value(g, mark);
    }
    g.end_scope(mark);
}

fn key_value(g: &mut Gen, mark: usize) {
    let k = g.fresh(mark);
    g.snake(k);
    g.w(b" = ");
    match g.pick(11) {
        0..=2 => {
            g.w(b"\"");
            let n = 1 + g.pick(3);
            g.words(n);
            g.w(b"\"");
        }
        3 | 4 => g.num(10_000),
        5 => {
            g.num(10);
            g.w(b".");
            g.num(100);
        }
        6 => {
            let b: &[u8] = if g.chance(0.5) { b"true" } else { b"false" };
            g.w(b);
        }
        7 => inline_array(g),
        8 => {
            g.w(b"{ ");
            let inner = g.scope();
            let n = 1 + g.pick(3);
            for i in 0..n {
                if i > 0 {
                    g.w(b", ");
                }
                let k = g.fresh(inner);
                g.snake(k);
                g.w(b" = ");
                g.num(100);
            }
            g.end_scope(inner);
            g.w(b" }");
        }
        9 if g.more_n(3) => {
            // A multi-line array, trailing comma and all.
            g.w(b"[");
            g.open(2, 1);
            g.nl();
            let mut first = true;
            let (n, mut k) = (g.span(2, 5), 0);
            while first || (k < n && g.more()) {
                k += 1;
                first = false;
                g.w(b"  \"");
                g.any_snake();
                g.w(b"\",");
                g.nl();
            }
            g.shut(2, 1);
            g.w(b"]");
        }
        _ => {
            g.w(b"\"");
            g.any_snake();
            g.w(b"/");
            g.any_snake();
            g.w(b".toml\"");
        }
    }
    g.nl();
}

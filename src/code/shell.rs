//! Shell: bash scripts, console sessions (`$ command` then its output),
//! and plain text.

use super::Gen;

/// Tools and the subcommands or flags they take, for command lines that
/// look like the ones install and usage sections show.
const TOOLS: &[(&[u8], &[&[u8]])] = &[
    (
        b"cargo",
        &[
            b"build --release",
            b"run --",
            b"test --",
            b"install --path .",
        ],
    ),
    (
        b"git",
        &[b"clone", b"checkout -b", b"commit -m", b"push origin"],
    ),
    (b"npm", &[b"install --save-dev", b"run", b"ci"]),
    (b"docker", &[b"run --rm -it", b"build -t", b"compose up -d"]),
    (b"kubectl", &[b"apply -f", b"get pods -n", b"logs -f"]),
    (b"curl", &[b"-sSL", b"-fsS -o out.json"]),
    (b"python3", &[b"-m pip install", b"-m"]),
    (b"make", &[b"-j4", b""]),
];

/// A bash script: variables, commands with flags and pipes, and `if`,
/// `for` and functions around them. Every compound command gets at least
/// one command in its body (bash refuses an empty one).
pub fn bash(g: &mut Gen) {
    if g.more_n(3) && g.chance(0.3) {
        g.w(b"#!/usr/bin/env bash");
        g.nl();
        g.w(b"set -euo pipefail");
        g.nl();
    }
    let mut first = true;
    while first || g.more() {
        bash_stmt(g, 0, first, 0);
        first = false;
    }
}

fn bash_stmt(g: &mut Gen, ind: usize, first: bool, depth: usize) {
    let r = g.pick(14);
    if depth < 2 && r < 3 && g.more_n(3) {
        g.ind(ind);
        let end: &[u8] = match r {
            0 => {
                g.w(b"if [ -f \"");
                g.any_snake();
                g.w(b".toml\" ]; then");
                b"fi"
            }
            1 => {
                g.w(b"for ");
                g.one_of(&[b"f", b"name", b"dir"]);
                g.w(b" in ");
                let n = 1 + g.pick(3);
                g.words(n);
                g.w(b"; do");
                b"done"
            }
            _ => {
                g.any_snake();
                g.w(b"() {");
                b"}"
            }
        };
        g.open(ind + end.len(), 1);
        g.nl();
        let mut inner_first = true;
        let (n, mut k) = (g.span(1, 4), 0);
        while inner_first || (k < n && g.more()) {
            k += 1;
            bash_stmt(g, ind + 2, inner_first, depth + 1);
            inner_first = false;
        }
        g.shut(ind + end.len(), 1);
        g.ind(ind);
        g.w(end);
        g.nl();
        return;
    }
    g.ind(ind);
    match r {
        3 => {
            g.w(b"export ");
            let v = (g.word(), g.word());
            g.upper(v);
            g.w(b"=\"");
            g.any_snake();
            g.w(b"\"");
        }
        4 if !first => {
            g.w(b"# ");
            let n = 2 + g.pick(6);
            g.words(n);
        }
        5 => {
            g.w(b"echo \"");
            g.words(2);
            g.w(b" ${");
            let v = (g.word(), g.word());
            g.upper(v);
            g.w(b"}\"");
        }
        6 => {
            g.w(b"cat ");
            g.any_snake();
            g.w(b".log | grep ");
            let w = g.word();
            g.w(w.as_bytes());
            g.one_of(&[b" | sort | uniq -c", b" | wc -l", b" | head -n 20"]);
        }
        7 => {
            g.w(b"mkdir -p ");
            g.any_snake();
            g.w(b"/");
            g.any_snake();
        }
        8 if g.more_n(2) => {
            // A long command continued on the next line.
            command(g);
            g.w(b" \\");
            g.nl();
            g.ind(ind + 2);
            g.w(b"--");
            let w = g.word();
            g.w(w.as_bytes());
            g.w(b" ");
            g.num(100);
        }
        _ => command(g),
    }
    g.nl();
}

/// One command line: a tool, its subcommand, words as arguments, a flag.
fn command(g: &mut Gen) {
    let (tool, subs) = TOOLS[g.pick(TOOLS.len())];
    g.w(tool);
    let sub = subs[g.pick(subs.len())];
    if !sub.is_empty() {
        g.w(b" ");
        g.w(sub);
    }
    let n = 1 + g.pick(2);
    for _ in 0..n {
        g.w(b" ");
        g.any_snake();
    }
    if g.chance(0.4) {
        g.w(b" --");
        let w = g.word();
        g.w(w.as_bytes());
        if g.chance(0.5) {
            g.w(b"=");
            g.num(100);
        }
    }
}

/// A console session: `$ command` lines, each followed by a few lines of
/// output.
pub fn console(g: &mut Gen) {
    let mut first = true;
    while first || g.more() {
        first = false;
        g.w(b"$ ");
        command(g);
        g.nl();
        let n = [0, 1, 1, 2, 3][g.pick(5)];
        for _ in 0..n {
            if !g.more() {
                break;
            }
            match g.pick(4) {
                0 => {
                    g.w(b"   Compiling ");
                    g.any_snake();
                    g.w(b" v0.");
                    g.num(20);
                    g.w(b".");
                    g.num(10);
                }
                1 => {
                    g.any_snake();
                    g.w(b"/");
                    g.any_snake();
                    g.w(b".md");
                }
                2 => {
                    let w = g.word();
                    g.cap(w);
                    g.w(b" ");
                    let n = 1 + g.pick(5);
                    g.words(n);
                }
                _ => {
                    g.w(b"ok: ");
                    g.num(1000);
                    g.w(b" ");
                    let w = g.word();
                    g.w(w.as_bytes());
                    g.w(b" in 0.");
                    g.num(100);
                    g.w(b"s");
                }
            }
            g.nl();
        }
    }
}

/// Plain text: lines of words, as logs, listings and output show.
pub fn text(g: &mut Gen) {
    let mut first = true;
    while first || g.more() {
        first = false;
        let n = 2 + g.pick(8);
        g.words(n);
        g.nl();
    }
}

//! Python and JavaScript: imports, functions and classes with bodies, and
//! statements nested a few blocks deep.
//!
//! What a parser refuses and random lines produced: a block header with no
//! body (Python needs a statement, so a budget-cut body gets one), a
//! declaration repeated in one scope (JavaScript's `let`/`const`, Python's
//! parameters), `await` outside an async function, a closing brace short.

use super::Gen;

/// Deepest block nesting inside a function.
const DEPTH: usize = 3;

/// A Python module: imports, then functions, classes, assignments and
/// calls.
pub fn python(g: &mut Gen) {
    let imports = [0, 0, 1, 2][g.pick(4)];
    for k in 0..imports {
        if k > 0 && !g.more() {
            break;
        }
        if g.chance(0.5) {
            g.w(b"import ");
            g.any_snake();
        } else {
            g.w(b"from ");
            g.any_snake();
            g.w(b".");
            g.any_snake();
            g.w(b" import ");
            let w = g.plain();
            g.cap(w);
        }
        g.nl();
    }
    let mut first = true;
    while first || g.more() {
        let r = g.pick(10);
        if r < 4 && g.more_n(3) {
            blank_line(g, first);
            py_def(g, 0, false);
        } else if r < 6 && g.more_n(4) {
            blank_line(g, first);
            py_class(g);
        } else {
            py_stmt(g, 0, false, 0, false);
        }
        first = false;
    }
}

/// A blank line between top-level definitions (not before the first line).
fn blank_line(g: &mut Gen, first: bool) {
    if !first && g.lines() > 0 && g.more_n(4) {
        g.nl();
    }
}

fn py_def(g: &mut Gen, ind: usize, method: bool) {
    g.ind(ind);
    g.w(b"def ");
    let name = (g.word(), g.word());
    g.snake(name);
    g.w(b"(");
    let mark = g.scope();
    let n = g.pick(4);
    if method {
        g.w(b"self");
    }
    for k in 0..n {
        if k > 0 || method {
            g.w(b", ");
        }
        let p = g.fresh_word(mark);
        g.snake(p);
        match g.pick(4) {
            0 => g.w(b": str"),
            1 if k + 1 == n => {
                g.w(b"=");
                g.num(100);
            }
            _ => {}
        }
    }
    g.end_scope(mark);
    g.w(b")");
    if g.chance(0.3) {
        let t: &[u8] = [&b" -> dict"[..], b" -> int", b" -> str", b" -> None"][g.pick(4)];
        g.w(t);
    }
    g.w(b":");
    g.nl();
    if g.chance(0.3) {
        py_docstring(g, ind + 4);
    }
    py_suite(g, ind + 4, true, 1);
    // A return ends the body, if any: one mid-body reads as dead code.
    if g.more() && g.chance(0.4) {
        g.ind(ind + 4);
        g.w(b"return ");
        g.any_snake();
        g.nl();
    }
}

fn py_docstring(g: &mut Gen, ind: usize) {
    g.ind(ind);
    g.w(b"\"\"\"");
    let w = g.word();
    g.cap(w);
    g.w(b" ");
    let n = 2 + g.pick(6);
    g.words(n);
    g.w(b".\"\"\"");
    g.nl();
}

fn py_class(g: &mut Gen) {
    let dataclass = g.chance(0.3);
    if dataclass {
        g.w(b"@dataclass");
        g.nl();
    }
    g.w(b"class ");
    let name = (g.word(), g.word());
    g.pascal(name);
    if !dataclass && g.chance(0.4) {
        g.w(b"(");
        let b = g.plain();
        g.cap(b);
        g.w(b")");
    }
    g.w(b":");
    g.nl();
    if g.chance(0.5) {
        py_docstring(g, 4);
    }
    let mut first = true;
    if dataclass {
        // Fields: `name: type` or `name: type = default`.
        let mark = g.scope();
        while first || (g.more() && g.chance(0.8)) {
            first = false;
            g.ind(4);
            let f = g.fresh(mark);
            g.snake(f);
            match g.pick(3) {
                0 => g.w(b": str = \"\""),
                1 => {
                    g.w(b": int = ");
                    g.num(100);
                }
                _ => g.w(b": list = field(default_factory=list)"),
            }
            g.nl();
        }
        g.end_scope(mark);
    }
    let (n, mut k) = (g.span(1, 3), 0);
    while first || (k < n && g.more_n(2)) {
        k += 1;
        first = false;
        py_def(g, 4, true);
    }
}

/// At least one statement at `ind`, a few more while the budget lasts.
fn py_suite(g: &mut Gen, ind: usize, in_def: bool, depth: usize) {
    let mut first = true;
    let (n, mut k) = (
        if depth <= 1 {
            g.span(2, 7)
        } else {
            g.span(1, 3)
        },
        0,
    );
    while first || (k < n && g.more()) {
        k += 1;
        py_stmt(g, ind, in_def, depth, first);
        first = false;
    }
}

fn py_stmt(g: &mut Gen, ind: usize, in_def: bool, depth: usize, first: bool) {
    let r = g.pick(16);
    let nest = depth < DEPTH && g.more_n(3);
    if nest && r < 4 {
        g.ind(ind);
        match r {
            0 => {
                g.w(b"if ");
                g.any_snake();
                match g.pick(4) {
                    0 => g.w(b" is None:"),
                    1 => g.w(b" > 0:"),
                    2 => g.w(b":"),
                    _ => {
                        g.w(b" not in ");
                        g.any_snake();
                        g.w(b":");
                    }
                }
            }
            1 => {
                g.w(b"for ");
                g.any_snake();
                g.w(b" in ");
                g.any_snake();
                g.w(b":");
            }
            2 => {
                g.w(b"with open(\"");
                g.any_snake();
                g.w(b".toml\") as f:");
            }
            _ => g.w(b"try:"),
        }
        g.nl();
        py_suite(g, ind + 4, in_def, depth + 1);
        if r == 3 {
            g.ind(ind);
            g.one_of(&[b"except KeyError:", b"except (OSError, ValueError) as err:"]);
            g.nl();
            py_suite(g, ind + 4, in_def, depth + 1);
        } else if r == 0 && g.more_n(2) && g.chance(0.3) {
            g.ind(ind);
            g.w(b"else:");
            g.nl();
            py_suite(g, ind + 4, in_def, depth + 1);
        }
        return;
    }
    g.ind(ind);
    match r {
        4 | 5 => {
            g.any_snake();
            g.w(b" = ");
            let w = g.plain();
            g.cap(w);
            g.w(b"(");
            g.any_snake();
            g.w(b", ");
            g.num(1000);
            g.w(b")");
        }
        6 => {
            g.any_snake();
            g.w(b" = ");
            g.any_snake();
            g.w(b".get(\"");
            let w = g.word();
            g.w(w.as_bytes());
            g.w(b"\", ");
            g.num(100);
            g.w(b")");
        }
        7 => {
            g.w(b"print(f\"");
            let w = g.word();
            g.w(w.as_bytes());
            g.w(b": {");
            g.any_snake();
            g.w(b"}\")");
        }
        8 => {
            g.any_snake();
            g.w(b".append(");
            g.any_snake();
            g.w(b")");
        }
        9 => {
            g.any_snake();
            g.w(b" = {\"");
            let (a, b) = (g.word(), g.word());
            g.w(a.as_bytes());
            g.w(b"\": ");
            g.num(100);
            g.w(b", \"");
            g.w(b.as_bytes());
            g.w(b"\": [");
            g.num(10);
            g.w(b", ");
            g.num(10);
            g.w(b"]}");
        }
        10 if !first => {
            g.w(b"# ");
            let n = 2 + g.pick(6);
            g.words(n);
        }
        12 if in_def => {
            g.w(b"raise ValueError(f\"");
            g.words(2);
            g.w(b" {");
            g.any_snake();
            g.w(b"}\")");
        }
        13 => {
            g.w(b"logger.info(\"");
            let n = 1 + g.pick(3);
            g.words(n);
            g.w(b" %s\", ");
            g.any_snake();
            g.w(b")");
        }
        _ => {
            g.any_snake();
            g.w(b" += ");
            g.num(10);
        }
    }
    g.nl();
}

/// A JavaScript script (CommonJS, so `require`, not `import`): functions,
/// classes, declarations and calls.
pub fn javascript(g: &mut Gen) {
    let top = g.scope();
    if g.chance(0.4) {
        g.w(b"const { ");
        let n = 1 + g.pick(3);
        for k in 0..n {
            if k > 0 {
                g.w(b", ");
            }
            let name = g.fresh(top);
            g.camel(name);
        }
        g.w(b" } = require(\"");
        g.any_snake();
        g.w(b"\");");
        g.nl();
    }
    let mut first = true;
    while first || g.more() {
        let r = g.pick(10);
        if r < 4 && g.more_n(3) {
            blank_line(g, first);
            js_function(g, top, 0);
        } else if r < 5 && g.more_n(5) {
            blank_line(g, first);
            js_class(g, top);
        } else {
            js_stmt(g, 0, top, false, 0);
        }
        first = false;
    }
    g.end_scope(top);
}

fn js_function(g: &mut Gen, scope: usize, ind: usize) {
    let is_async = g.chance(0.3);
    g.ind(ind);
    if is_async {
        g.w(b"async ");
    }
    g.w(b"function ");
    let name = g.fresh(scope);
    g.camel(name);
    let body = g.scope();
    js_params(g, body);
    js_body(g, ind, body, is_async);
    g.end_scope(body);
}

/// `(a, b) {`: parameters declared in the body's scope, where a `const`
/// of the same name would be a redeclaration.
fn js_params(g: &mut Gen, body: usize) {
    g.w(b"(");
    let n = g.pick(4);
    for k in 0..n {
        if k > 0 {
            g.w(b", ");
        }
        let p = g.fresh_word(body);
        g.camel(p);
    }
    g.w(b") {");
}

/// A body after its opening `{`: statements, then the closing brace at
/// `ind`.
fn js_body(g: &mut Gen, ind: usize, scope: usize, is_async: bool) {
    g.open(ind + 2, 1);
    g.nl();
    let (n, mut k) = (g.span(2, 7), 0);
    while k < n && g.more() {
        k += 1;
        js_stmt(g, ind + 2, scope, is_async, 1);
    }
    if g.more() && g.chance(0.4) {
        g.ind(ind + 2);
        g.w(b"return ");
        g.any_snake();
        g.w(b";");
        g.nl();
    }
    g.shut(ind + 2, 1);
    g.ind(ind);
    g.w(b"}");
    g.nl();
}

fn js_class(g: &mut Gen, scope: usize) {
    g.w(b"class ");
    let name = g.fresh(scope);
    g.pascal(name);
    g.w(b" {");
    g.open(2, 1);
    g.nl();
    let members = g.scope();
    let mut first = true;
    let (n, mut k) = (g.span(2, 4), 0);
    while first || (k < n && g.more_n(3)) {
        k += 1;
        g.ind(2);
        let body = g.scope();
        let is_async = !first && g.chance(0.3);
        if first {
            g.w(b"constructor");
        } else {
            if is_async {
                g.w(b"async ");
            }
            let m = g.fresh(members);
            g.camel(m);
        }
        js_params(g, body);
        if first {
            g.open(6, 1);
            g.nl();
            g.ind(4);
            g.w(b"this.");
            g.any_snake();
            g.w(b" = ");
            g.num(100);
            g.w(b";");
            g.shut(6, 1);
            g.open(4, 1);
            g.nl();
            let (n, mut k) = (g.span(1, 4), 0);
            while k < n && g.more() {
                k += 1;
                js_stmt(g, 4, body, false, 1);
            }
            g.shut(4, 1);
            g.ind(2);
            g.w(b"}");
            g.nl();
        } else {
            js_body(g, 2, body, is_async);
        }
        g.end_scope(body);
        first = false;
    }
    g.end_scope(members);
    g.shut(2, 1);
    g.w(b"}");
    g.nl();
}

fn js_stmt(g: &mut Gen, ind: usize, scope: usize, is_async: bool, depth: usize) {
    let r = g.pick(14);
    let nest = depth <= DEPTH && g.more_n(3);
    if nest && r < 3 {
        g.ind(ind);
        let inner = g.scope();
        match r {
            0 => {
                g.w(b"if (");
                g.any_snake();
                g.one_of(&[b" > 0) {", b" === null) {", b") {"]);
            }
            1 => {
                g.w(b"for (const ");
                let v = g.fresh(inner);
                g.camel(v);
                g.w(b" of ");
                g.any_snake();
                g.w(b") {");
            }
            _ => g.w(b"try {"),
        }
        g.open(ind + 1, 1);
        g.nl();
        let mut first = true;
        let (n, mut k) = (g.span(1, 3), 0);
        while first || (k < n && g.more()) {
            k += 1;
            first = false;
            js_stmt(g, ind + 2, inner, is_async, depth + 1);
        }
        g.end_scope(inner);
        g.shut(ind + 1, 1);
        g.ind(ind);
        if r == 2 {
            g.w(b"} catch (err) {");
            g.open(ind + 1, 1);
            g.nl();
            let inner = g.scope();
            g.declare("err");
            js_stmt(g, ind + 2, inner, is_async, depth + 1);
            g.end_scope(inner);
            g.shut(ind + 1, 1);
            g.ind(ind);
        }
        g.w(b"}");
        g.nl();
        return;
    }
    g.ind(ind);
    match r {
        3 | 4 => {
            g.either(0.7, b"const ", b"let ");
            let v = g.fresh(scope);
            g.camel(v);
            g.w(b" = ");
            if is_async && g.chance(0.5) {
                g.w(b"await ");
            }
            g.any_snake();
            g.w(b".");
            let m = (g.word(), g.word());
            g.camel(m);
            g.w(b"(\"");
            let w = g.word();
            g.w(w.as_bytes());
            g.w(b"\", ");
            g.num(1000);
            g.w(b");");
        }
        5 => {
            g.w(b"console.log(`");
            let w = g.word();
            g.w(w.as_bytes());
            g.w(b": ${");
            g.any_snake();
            g.w(b"}`);");
        }
        6 => {
            g.any_snake();
            g.w(b".");
            g.any_snake();
            g.w(b" = ");
            g.num(1000);
            g.w(b";");
        }
        7 => {
            g.w(b"// ");
            let n = 2 + g.pick(6);
            g.words(n);
        }
        9 => {
            g.w(b"const ");
            let v = g.fresh(scope);
            g.camel(v);
            g.w(b" = ");
            g.any_snake();
            g.w(b".map((x) => x.");
            g.any_snake();
            g.w(b" * 2);");
        }
        10 if g.more_n(3) => {
            // An object literal over several lines.
            g.w(b"const ");
            let v = g.fresh(scope);
            g.camel(v);
            g.w(b" = {");
            g.open(ind + 3, 1);
            g.nl();
            let keys = g.scope();
            let mut first = true;
            while first || (g.more() && g.chance(0.8)) {
                first = false;
                g.ind(ind + 2);
                let k = g.fresh(keys);
                g.camel(k);
                g.w(b": ");
                match g.pick(3) {
                    0 => g.num(1000),
                    1 => {
                        g.w(b"\"");
                        g.words(2);
                        g.w(b"\"");
                    }
                    _ => g.either(0.5, b"true", b"false"),
                }
                g.w(b",");
                g.nl();
            }
            g.end_scope(keys);
            g.shut(ind + 3, 1);
            g.ind(ind);
            g.w(b"};");
        }
        _ => {
            if is_async && g.chance(0.5) {
                g.w(b"await ");
            }
            g.any_snake();
            g.w(b".");
            let m = (g.word(), g.word());
            g.camel(m);
            g.w(b"(");
            g.any_snake();
            g.w(b");");
        }
    }
    g.nl();
}

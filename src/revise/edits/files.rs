//! Edits that add or delete a whole file.

use super::{folder, join, path_link, phrase, prose, slug, Log};
use crate::manifest::FileRecord;
use crate::revise::{Corpus, Doc};
use crate::rng::Rng;
use crate::text::grammar::Grammar;

/// Add a file of about the mean size beside a hot one, linking to another.
pub(super) fn add_file(c: &mut Corpus, grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    let dialect = c.header.params.profile.dialect;
    let markup = c.header.params.profile.text.inline_markup;
    let Some(near) = c.hot(rng, |_, _| true) else {
        return;
    };
    let dir = folder(&c.docs[near].rec.path).to_string();
    let words = 2 + rng.index(3);
    let mut title = phrase(grammar, rng, words);
    while !c.fresh(&slug(&title)) || !c.fresh(&title) {
        title.push(' ');
        title.push_str(&phrase(grammar, rng, 1).to_lowercase());
    }
    let path = join(&dir, &format!("{}.md", slug(&title)));
    let mut body = format!("# {title}\n\n");
    // About the corpus's mean file size (a lognormal around it
    // whose mean is the mean), so that adds and deletes of equal
    // weight keep the corpus's size.
    let mean = c.mean_file_bytes() as f64;
    let sigma = 0.5;
    let target = rng.lognormal(libm::log(mean.max(600.0)) - sigma * sigma / 2.0, sigma) as usize;
    while body.len() + 80 < target {
        let len = 200 + rng.index(600);
        body.push_str(&prose(grammar, rng, len, markup));
        body.push_str("\n\n");
    }
    let to = rng.index(c.docs.len());
    let (link, mut rec) = path_link(dialect, &path, &c.docs[to]);
    body.push_str(&format!("See {link}.\n"));
    rec.line = 0;
    let empty = crate::revise::live::empty();
    let doc = Doc {
        rec: FileRecord {
            path: path.clone(),
            title,
            ..empty.rec
        },
        links: vec![rec],
        bytes: body.into_bytes(),
        ..empty
    };
    c.push(doc);
    log.added(&path);
    log.note(format!("add file: {path}"));
}

/// Delete a file; references to it break.
pub(super) fn delete_file(c: &mut Corpus, _grammar: &Grammar, rng: &mut Rng, log: &mut Log) {
    if c.docs.len() <= 2 {
        return;
    }
    let Some(i) = c.hot(rng, |c, d| c.movable(d)) else {
        return;
    };
    let path = c.docs[i].rec.path.clone();
    log.touch(c, i);
    c.remove(i);
    log.deleted(&path);
    log.note(format!("delete file: {path}"));
}

//! `info`: what a corpus is.

use crate::failure::Failure;
use std::path::Path;

pub(crate) fn run(dir: &Path, json: bool) -> Result<u8, Failure> {
    if !dir.is_dir() {
        return Err(Failure::input(format!(
            "{} is not a folder; pass a corpus folder made by `noet-corpus gen`",
            dir.display()
        )));
    }
    let i = noet_corpus::info(dir).map_err(|e| Failure::of(e.class(), e))?;
    if json {
        println!("{}", serde_json::to_string(&i).expect("info serialises"));
    } else {
        print!("{i}");
    }
    Ok(0)
}

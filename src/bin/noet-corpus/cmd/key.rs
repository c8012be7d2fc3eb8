//! `key`: the cache key of a corpus, a shard or a suite.

use super::params;
use crate::args::KeyArgs;
use crate::failure::Failure;
use noet_corpus::manifest;
use noet_corpus::suite::Suite;

pub(crate) fn run(a: KeyArgs) -> Result<u8, Failure> {
    let key = match &a.suite {
        Some(name) => {
            let (suite, base) = Suite::load(name).map_err(Failure::input)?;
            noet_corpus::suite::key(&suite.params(&base).map_err(Failure::input)?)
        }
        None => {
            let p = params(&a.corpus)?;
            let key = manifest::key(&p);
            match a.shard {
                Some(s) => format!("{key}-{}of{}", s.index, s.count),
                None => key,
            }
        }
    };
    println!("{key}");
    Ok(0)
}

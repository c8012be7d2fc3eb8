//! `profiles`: list the built-in profiles, or print one.

use crate::args::ProfilesAction;
use crate::failure::Failure;
use noet_corpus::profile::Profile;

pub(crate) fn run(action: Option<ProfilesAction>) -> Result<u8, Failure> {
    match action {
        None => {
            for name in Profile::builtin_names() {
                let p = Profile::load(name).map_err(Failure::runtime)?;
                println!("{:<12} {}", name, p.description);
            }
        }
        Some(ProfilesAction::Show { name, resolved }) => {
            let p = Profile::load(&name).map_err(Failure::input)?;
            match Profile::builtin_source(&name) {
                Some(src) if !resolved => print!("{src}"),
                None if !resolved => print!(
                    "{}",
                    std::fs::read_to_string(&name).map_err(Failure::runtime)?
                ),
                _ => print!("{}", p.to_toml()),
            }
        }
    }
    Ok(0)
}

//! The profile's two weight tables, `[mix]` and `[references.kinds]`: one
//! number per block kind and per reference kind, read and written as TOML
//! tables whose keys are the kinds' names.

use crate::record::{BlockKind, LinkKind, PerBlock, PerKind};
use crate::table::Table;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

/// Byte shares of body blocks, indexed by [`BlockKind`] (headings are set
/// by `[headings]`). `mix[BlockKind::Code]` is the share of code blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Mix(pub PerBlock<f64>);

/// Relative weights of reference kinds, indexed by [`LinkKind`] (see
/// docs/PROFILES.md for the syntax of each).
#[derive(Debug, Clone, PartialEq)]
pub struct Kinds(pub PerKind<f64>);

/// Keys added after format 1, left out of a serialised profile while they
/// are 0 so that manifests and cache keys of older profiles stay
/// byte-identical.
fn later_block(k: BlockKind) -> bool {
    k == BlockKind::Html
}
fn later_kind(k: LinkKind) -> bool {
    k.obsidian_only()
}

macro_rules! weight_table {
    ($ty:ident, $key:ty, $later:ident, $what:literal) => {
        impl Deref for $ty {
            type Target = Table<$key, f64, { <$key>::ALL.len() }>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
        impl DerefMut for $ty {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let kept = self.iter().filter(|(k, v)| !($later(*k) && **v == 0.0));
                let mut m = s.serialize_map(None)?;
                for (k, v) in kept {
                    m.serialize_entry(k.name(), v)?;
                }
                m.end()
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                fn names() -> &'static [&'static str] {
                    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
                    NAMES.get_or_init(|| <$key>::ALL.iter().map(|k| k.name()).collect())
                }
                // The key is read by a seed, so that an unknown one fails
                // while the deserializer still knows its line.
                struct Name;
                impl<'de> DeserializeSeed<'de> for Name {
                    type Value = $key;
                    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$key, D::Error> {
                        let name = String::deserialize(d)?;
                        <$key>::ALL
                            .into_iter()
                            .find(|k| k.name() == name)
                            .ok_or_else(|| serde::de::Error::unknown_field(&name, names()))
                    }
                }
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str($what)
                    }
                    // A key left out keeps its default, as in every other
                    // table of a profile.
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        let mut t = $ty::default();
                        while let Some(k) = map.next_key_seed(Name)? {
                            t[k] = map.next_value::<f64>()?;
                        }
                        Ok(t)
                    }
                }
                d.deserialize_struct(stringify!($ty), names(), V)
            }
        }
    };
}

weight_table!(Mix, BlockKind, later_block, "a table of block weights");
weight_table!(
    Kinds,
    LinkKind,
    later_kind,
    "a table of reference kind weights"
);

//! Tables indexed by an enum: one value per reference kind, per block kind,
//! and so on. Weights and counts that used to be arrays read by position
//! (`w[9]` for bref) are a [`Table`] read by the variant (`w[Bref]`), so the
//! order lives in one place (the enum's `ALL`) and adding a variant adds a
//! slot everywhere at once. Imports nothing of the crate.

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// An enum whose variants index a [`Table`]: `ALL` lists them in table
/// order, and `index` is a variant's position in `ALL`.
pub trait Key: Copy + PartialEq + 'static {
    /// Every variant, in table order.
    const ALL: &'static [Self];
    /// The variant's position in [`Key::ALL`].
    fn index(self) -> usize;
    /// The snake_case name used in profiles, manifests and JSON.
    fn name(self) -> &'static str;
}

/// One `T` for each variant of `K` (`N` is `K::ALL.len()`, which stable
/// Rust cannot yet compute in a type).
pub struct Table<K, T, const N: usize> {
    values: [T; N],
    key: PhantomData<K>,
}

impl<K: Key, T, const N: usize> Table<K, T, N> {
    /// A table whose value for each key is `f(key)`.
    pub fn from_fn(mut f: impl FnMut(K) -> T) -> Self {
        debug_assert_eq!(K::ALL.len(), N, "a table has one slot per key");
        Table {
            values: std::array::from_fn(|i| f(K::ALL[i])),
            key: PhantomData,
        }
    }

    /// The keys with their values, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (K, &T)> + '_ {
        K::ALL.iter().copied().zip(&self.values)
    }

    /// The keys with mutable values, in table order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (K, &mut T)> + '_ {
        K::ALL.iter().copied().zip(&mut self.values)
    }

    /// The values alone, in table order.
    pub fn values(&self) -> &[T; N] {
        &self.values
    }

    /// A table of `f` applied to each value.
    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> Table<K, U, N> {
        Table {
            values: std::array::from_fn(|i| f(&self.values[i])),
            key: PhantomData,
        }
    }
}

impl<K: Key, const N: usize> Table<K, f64, N> {
    /// The sum of the values.
    pub fn sum(&self) -> f64 {
        self.values.iter().sum()
    }
}

impl<K: Key, const N: usize> Table<K, u64, N> {
    /// The sum of the values.
    pub fn total(&self) -> u64 {
        self.values.iter().sum()
    }
}

impl<K: Key, T: Default, const N: usize> Default for Table<K, T, N> {
    fn default() -> Self {
        Table::from_fn(|_| T::default())
    }
}

impl<K: Key, T, const N: usize> Index<K> for Table<K, T, N> {
    type Output = T;
    fn index(&self, k: K) -> &T {
        &self.values[k.index()]
    }
}

impl<K: Key, T, const N: usize> IndexMut<K> for Table<K, T, N> {
    fn index_mut(&mut self, k: K) -> &mut T {
        &mut self.values[k.index()]
    }
}

// Written by hand rather than derived so that `K` needs none of these.
impl<K, T: Clone, const N: usize> Clone for Table<K, T, N> {
    fn clone(&self) -> Self {
        Table {
            values: self.values.clone(),
            key: PhantomData,
        }
    }
}
impl<K, T: Copy, const N: usize> Copy for Table<K, T, N> {}
impl<K, T: PartialEq, const N: usize> PartialEq for Table<K, T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}
impl<K: Key + std::fmt::Debug, T: std::fmt::Debug, const N: usize> std::fmt::Debug
    for Table<K, T, N>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(k, v)| (k.name(), v)))
            .finish()
    }
}

/// A table serialises as a map from each key's name to its value, in
/// table order (so JSON and TOML show named fields, never a bare array).
impl<K: Key, T: Serialize, const N: usize> Serialize for Table<K, T, N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(N))?;
        for (k, v) in self.iter() {
            m.serialize_entry(k.name(), v)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Colour {
        Red,
        Green,
    }
    impl Key for Colour {
        const ALL: &'static [Self] = &[Colour::Red, Colour::Green];
        fn index(self) -> usize {
            self as usize
        }
        fn name(self) -> &'static str {
            match self {
                Colour::Red => "red",
                Colour::Green => "green",
            }
        }
    }

    #[test]
    fn a_table_is_read_and_written_by_key() {
        let mut t: Table<Colour, u64, 2> = Table::default();
        t[Colour::Green] += 3;
        assert_eq!(t.values(), &[0, 3]);
        assert_eq!(t.total(), 3);
        let names: Vec<_> = t.iter().map(|(k, v)| format!("{}={v}", k.name())).collect();
        assert_eq!(names, ["red=0", "green=3"]);
        assert_eq!(format!("{t:?}"), r#"{"red": 0, "green": 3}"#);
    }
}

//! Deterministic randomness: named generators derived from coordinates, and
//! the sampling routines the generator owns.
//!
//! Every random decision in a corpus comes from a [`Rng`] seeded by
//! [`stream`] from the corpus seed plus the coordinates of the thing being
//! decided (a domain tag, a file index, a heading index, ...). Nothing is
//! drawn from a shared sequential generator, so file N's bytes do not depend
//! on how many files were generated before it, on which thread, or in which
//! order. That is what makes output identical for every `--jobs` and lets a
//! shard generate a subset of files alone.
//!
//! The sampling code is ours on purpose: `rand`'s distributions may change
//! their algorithms between releases, which would silently change corpora.
//! Floating-point transcendental functions come from `libm` (a pure-Rust
//! port of musl's), never from the platform's C library, so results are the
//! same bits on every machine.

use rand::RngCore;
use rand_pcg::Pcg64Mcg;

/// Domain tags keep the streams of unrelated decisions apart, so adding a
/// new decision never shifts the values of an existing one.
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
pub enum Domain {
    /// A file's size before scaling.
    FileSize = 1,
    /// A file's title words and naming.
    Title = 2,
    /// A file's body: blocks, words, links.
    Body = 3,
    /// A heading's text and attributes.
    Heading = 4,
    /// A folder's name.
    Folder = 5,
    /// Whether a folder is a network.
    Network = 6,
    /// A file's document identity (bid, front matter choices).
    Identity = 7,
    /// Per-file reference density.
    Density = 8,
    /// Permutations of the whole corpus (hubs, chains).
    Corpus = 9,
    /// An image asset's format, size and pixels.
    Asset = 10,
    /// The edits of a revision.
    Revision = 11,
}

/// SplitMix64 finaliser: a bijective 64-bit mixer with good avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hash a seed and a list of coordinates into one 64-bit value.
#[inline]
pub fn hash_coords(seed: u64, domain: Domain, coords: &[u64]) -> u64 {
    let mut h = mix64(seed ^ 0x6e6f_6574_2d63_6f72); // "noet-cor"
    h = mix64(h ^ (domain as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    for &c in coords {
        h = mix64(h.wrapping_add(0x9e37_79b9_7f4a_7c15) ^ c);
    }
    h
}

/// A generator for one coordinate: `stream(seed, Domain::Body, &[file])`.
pub fn stream(seed: u64, domain: Domain, coords: &[u64]) -> Rng {
    let lo = hash_coords(seed, domain, coords);
    let hi = mix64(lo ^ 0xa076_1d64_78bd_642f);
    Rng {
        inner: Pcg64Mcg::new(((hi as u128) << 64) | (lo as u128) | 1),
    }
}

/// The project's random number generator: PCG-64 MCG behind the sampling
/// helpers the generator needs.
#[derive(Debug, Clone)]
pub struct Rng {
    inner: Pcg64Mcg,
}

impl Rng {
    /// Next raw 64-bit value.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform integer in `0..n` (`n > 0`), by Lemire's multiply-shift.
    /// The tiny bias (< n / 2^64) is irrelevant here and keeps this branch-free.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform `usize` in `0..n`.
    #[inline]
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform integer in `lo..=hi`.
    #[inline]
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(hi - lo + 1)
    }

    /// Uniform float in `[0, 1)` with 53 bits of precision.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// The 53 random bits behind [`Rng::unit`] (the same draw): `unit()`
    /// is exactly this times 2^-53, so `unit() < p` holds exactly when
    /// `unit_bits() < unit_threshold(p)`, an integer comparison that can
    /// pick from a table without a chain of float branches.
    #[inline]
    pub fn unit_bits(&mut self) -> u64 {
        self.next_u64() >> 11
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Standard normal deviate (Box-Muller, one of the pair).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit(); // (0, 1]
        let u2 = self.unit();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
    }

    /// Lognormal deviate with parameters of the underlying normal.
    pub fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        libm::exp(mu + sigma * self.normal())
    }

    /// A rank in `0..n` drawn from a Zipf-like law with exponent `s`, using
    /// the closed-form inverse of the continuous approximation so that it
    /// costs O(1) time and memory for any `n`.
    pub fn zipf(&mut self, n: u64, s: f64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let x = zipf_inverse(n, s, self.unit());
        ((x as u64).saturating_sub(1)).min(n - 1)
    }
}

/// [`Rng::zipf`] for one `(n, s)`, tabulated: the inverse of the law at
/// [`ZipfLaw::STEPS`] points, interpolated between them (the exact `pow`
/// for the last step, where the tail is steep). Every reference draws a
/// target from the same law, and the `pow` of each draw was a tenth of
/// the generator's time on link-dense profiles.
#[derive(Debug, Clone)]
pub struct ZipfLaw {
    n: u64,
    s: f64,
    at: Vec<f64>,
}

impl ZipfLaw {
    /// Table points.
    pub const STEPS: usize = 8192;

    /// The law of ranks `0..n` with exponent `s`.
    pub fn new(n: u64, s: f64) -> ZipfLaw {
        let at = if n <= 1 {
            Vec::new()
        } else {
            (0..=Self::STEPS)
                .map(|k| zipf_inverse(n, s, k as f64 / Self::STEPS as f64))
                .collect()
        };
        ZipfLaw { n, s, at }
    }

    /// One rank, most often 0.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> u64 {
        if self.n <= 1 {
            return 0;
        }
        let u = rng.unit();
        let t = u * Self::STEPS as f64;
        let k = t as usize;
        let x = if k + 1 < Self::STEPS {
            let (a, b) = (self.at[k], self.at[k + 1]);
            a + (t - k as f64) * (b - a)
        } else {
            zipf_inverse(self.n, self.s, u)
        };
        ((x as u64).saturating_sub(1)).min(self.n - 1)
    }
}

/// The continuous inverse [`Rng::zipf`] maps a uniform `u` through.
fn zipf_inverse(n: u64, s: f64, u: f64) -> f64 {
    let harmonic = (s - 1.0).abs() < 1e-9;
    let norm = zipf_norm(n, s, harmonic);
    if harmonic {
        libm::exp(u * norm)
    } else {
        libm::pow(u * norm + 1.0, 1.0 / (1.0 - s))
    }
}

thread_local! {
    /// The last (n, s) [`Rng::zipf`] was called with and its normaliser:
    /// every reference draws from the same law, and the normaliser's `pow`
    /// was half the cost of a draw.
    static ZIPF_NORM: std::cell::Cell<(u64, u64, f64)> = const { std::cell::Cell::new((0, 0, 0.0)) };
}

/// `ln(n + 1)` when `harmonic`, else `(n + 1)^(1 - s) - 1`: a pure function
/// of its arguments, memoised per thread.
#[inline]
fn zipf_norm(n: u64, s: f64, harmonic: bool) -> f64 {
    ZIPF_NORM.with(|c| {
        let (cn, cs, v) = c.get();
        if cn == n && cs == s.to_bits() {
            return v;
        }
        let nf = n as f64;
        let v = if harmonic {
            libm::log(nf + 1.0)
        } else {
            libm::pow(nf + 1.0, 1.0 - s) - 1.0
        };
        c.set((n, s.to_bits(), v));
        v
    })
}

/// The standard normal quantile function (Acklam's rational approximation,
/// relative error below 1.2e-9), for stratified lognormal draws.
pub fn inverse_normal(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail(libm::sqrt(-2.0 * libm::log(p)))
    } else if p > 1.0 - 0.02425 {
        -tail(libm::sqrt(-2.0 * libm::log(1.0 - p)))
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// A categorical distribution over `0..weights.len()`, sampled by binary
/// search over the cumulative weights.
#[derive(Debug, Clone)]
pub struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    /// Build from non-negative weights; at least one must be positive.
    pub fn new(weights: &[f64]) -> Self {
        let mut acc = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                acc += w.max(0.0);
                acc
            })
            .collect();
        Weighted { cumulative }
    }

    /// Total weight.
    pub fn total(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }

    /// Draw an index.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> usize {
        self.at(rng.unit())
    }

    /// The index whose share of the total covers `u` (in `0..1`): the
    /// inverse of the cumulative weights, for stratified or low-discrepancy
    /// draws.
    #[inline]
    pub fn at(&self, u: f64) -> usize {
        let x = u * self.total();
        let i = self.cumulative.partition_point(|&c| c <= x);
        i.min(self.cumulative.len() - 1)
    }
}

/// The integer `t` with `unit_bits() < t` exactly when `unit() < p`:
/// `unit()` is `bits * 2^-53` without rounding, so this is `p * 2^53`
/// (exact, a power-of-two scale) rounded up.
pub fn unit_threshold(p: f64) -> u64 {
    if p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return 1 << 53;
    }
    let y = p * (1u64 << 53) as f64;
    let f = y.floor();
    f as u64 + (f != y) as u64
}

/// [`Weighted`] sampled through a table: the draw's top
/// [`Lookup::BITS`] bits name a slice of `[0, 1)`, and where the whole
/// slice maps to one index (all but at most `len - 1` slices) the table
/// gives it with no search. The sampled index is exactly
/// `Weighted::sample`'s for the same draw: the map from draw to index is
/// monotone, so a slice whose two ends agree agrees throughout; the other
/// slices fall back to the search.
#[derive(Debug, Clone)]
pub struct Lookup {
    weighted: Weighted,
    table: Box<[u8; 1 << Lookup::BITS]>,
}

impl Lookup {
    /// Bits of the draw the table is indexed by.
    pub const BITS: u32 = 12;
    const SPLIT: u8 = u8::MAX;

    /// Over fewer than 255 weights, as [`Weighted::new`].
    pub fn new(weights: &[f64]) -> Lookup {
        assert!(weights.len() < Self::SPLIT as usize);
        let weighted = Weighted::new(weights);
        let mut table = Box::new([0u8; 1 << Self::BITS]);
        let shift = 53 - Self::BITS;
        let at = |bits: u64| weighted.at(bits as f64 * (1.0 / (1u64 << 53) as f64));
        for (k, e) in table.iter_mut().enumerate() {
            let lo = (k as u64) << shift;
            let hi = lo + (1 << shift) - 1;
            let i = at(lo);
            *e = if i == at(hi) { i as u8 } else { Self::SPLIT };
        }
        Lookup { weighted, table }
    }

    /// Draw an index: [`Weighted::sample`]'s, from the same one draw.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let bits = rng.unit_bits();
        let e = self.table[(bits >> (53 - Self::BITS)) as usize];
        if e != Self::SPLIT {
            return e as usize;
        }
        self.weighted.at(bits as f64 * (1.0 / (1u64 << 53) as f64))
    }
}

/// A bijection on `0..n` (an affine map with a multiplier coprime to `n`),
/// used to scatter ranks over files so hubs and chains are spread through
/// the tree instead of clustered at low indices.
#[derive(Debug, Clone, Copy)]
pub struct Permutation {
    n: u64,
    a: u64,
    b: u64,
    /// `a`'s inverse modulo `n`: an extended Euclid per [`Permutation::invert`]
    /// was a tenth of the cost of a reference to a popular file.
    inv: u64,
}

impl Permutation {
    /// A permutation of `0..n` chosen by `key`.
    pub fn new(n: u64, key: u64) -> Self {
        let n = n.max(1);
        let mut a = (mix64(key) % n) | 1;
        while gcd(a, n) != 1 {
            a = (a + 2) % n.max(2);
            if a == 0 {
                a = 1;
            }
        }
        Permutation {
            n,
            a,
            b: mix64(key ^ 0x5555) % n,
            inv: mod_inverse(a % n, n),
        }
    }

    /// `(x * m + c) mod n` for `x, m, c < n`; in 64 bits when `n < 2^32`
    /// (every permutation of a plan: files and title triples stay below
    /// that), which avoids a 128-bit division.
    #[inline]
    fn affine(&self, x: u64, m: u64, c: u64) -> u64 {
        if self.n <= u32::MAX as u64 {
            (x * m + c) % self.n
        } else {
            ((x as u128 * m as u128 + c as u128) % self.n as u128) as u64
        }
    }

    /// Image of `i`.
    #[inline]
    pub fn apply(&self, i: u64) -> u64 {
        if i >= self.n {
            // Out of range: the original 128-bit formula, for any input.
            return ((i as u128 * self.a as u128 + self.b as u128) % self.n as u128) as u64;
        }
        self.affine(i, self.a, self.b)
    }

    /// The `i` whose image is `y`.
    pub fn invert(&self, y: u64) -> u64 {
        let shifted = if self.n <= u32::MAX as u64 && y < self.n {
            // `b < n`: no wrap, and no 128-bit division.
            if y >= self.b {
                y - self.b
            } else {
                y + self.n - self.b
            }
        } else {
            ((y as u128 + self.n as u128 - self.b as u128) % self.n as u128) as u64
        };
        self.affine(shifted, self.inv, 0)
    }
}

/// Inverse of `a` modulo `n` (`a` coprime to `n`), by the extended Euclid.
fn mod_inverse(a: u64, n: u64) -> u64 {
    if n == 1 {
        return 0;
    }
    let (mut t, mut new_t) = (0i128, 1i128);
    let (mut r, mut new_r) = (n as i128, a as i128);
    while new_r != 0 {
        let q = r / new_r;
        (t, new_t) = (new_t, t - q * new_t);
        (r, new_r) = (new_r, r - q * new_r);
    }
    t.rem_euclid(n as i128) as u64
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_pure_functions_of_coordinates() {
        let a: Vec<u64> = (0..4)
            .map(|_| stream(7, Domain::Body, &[3]).next_u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            stream(7, Domain::Body, &[3]).next_u64(),
            stream(7, Domain::Body, &[4]).next_u64()
        );
        assert_ne!(
            stream(7, Domain::Body, &[3]).next_u64(),
            stream(7, Domain::Title, &[3]).next_u64()
        );
    }

    #[test]
    fn golden_first_values_pin_the_generator() {
        // If this changes, every corpus changes: bump the format version.
        let mut r = stream(42, Domain::Body, &[0]);
        let got = [r.next_u64(), r.below(1000), r.zipf(1000, 1.1)];
        let again = {
            let mut r = stream(42, Domain::Body, &[0]);
            [r.next_u64(), r.below(1000), r.zipf(1000, 1.1)]
        };
        assert_eq!(got, again);
        assert!(got[1] < 1000 && got[2] < 1000);
    }

    #[test]
    fn permutation_is_a_bijection() {
        for n in [1u64, 2, 7, 12, 100, 1024] {
            let p = Permutation::new(n, 99);
            let mut seen: Vec<u64> = (0..n).map(|i| p.apply(i)).collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..n).collect::<Vec<_>>());
            for i in 0..n {
                assert_eq!(p.invert(p.apply(i)), i);
            }
        }
    }

    #[test]
    fn zipf_prefers_low_ranks() {
        let mut r = stream(1, Domain::Corpus, &[]);
        let draws: Vec<u64> = (0..10_000).map(|_| r.zipf(1000, 1.1)).collect();
        let top10 = draws.iter().filter(|&&x| x < 10).count();
        assert!(top10 > 3000, "top-10 share too small: {top10}");
        assert!(draws.iter().all(|&x| x < 1000));
    }

    #[test]
    fn inverse_normal_matches_known_quantiles() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959964),
            (0.025, -1.959964),
            (0.8413447, 1.0),
            (0.001, -3.090232),
        ] {
            assert!(
                (inverse_normal(p) - z).abs() < 1e-5,
                "{p}: {}",
                inverse_normal(p)
            );
        }
    }

    #[test]
    fn lookup_draws_what_weighted_draws() {
        let weights = [22.0, 9.0, 0.0, 13.0, 0.5, 14.0, 6.0, 1e-6, 3.0];
        let (w, l) = (Weighted::new(&weights), Lookup::new(&weights));
        let (mut a, mut b) = (stream(8, Domain::Body, &[]), stream(8, Domain::Body, &[]));
        for _ in 0..200_000 {
            assert_eq!(w.sample(&mut a), l.sample(&mut b));
        }
        // Every slice boundary, where a search decides.
        let shift = 53 - Lookup::BITS;
        for k in 0..1u64 << Lookup::BITS {
            for bits in [k << shift, (k << shift).saturating_sub(1), (k << shift) + 1] {
                let u = bits as f64 * (1.0 / (1u64 << 53) as f64);
                let e = l.table[(bits >> shift) as usize];
                if e != Lookup::SPLIT {
                    assert_eq!(e as usize, w.at(u));
                }
            }
        }
    }

    #[test]
    fn unit_thresholds_agree_with_float_comparisons() {
        let mut r = stream(9, Domain::Body, &[]);
        for p in [0.0, 0.31, 0.53, 0.5 / 0.7, 0.97, 1.0, 1e-300, 0.1 + 0.2] {
            let t = unit_threshold(p);
            for _ in 0..10_000 {
                let bits = r.unit_bits();
                let u = bits as f64 * (1.0 / (1u64 << 53) as f64);
                assert_eq!(u < p, bits < t, "{p}");
            }
            // At the threshold itself.
            for bits in [t.saturating_sub(1), t, t + 1] {
                let u = bits as f64 * (1.0 / (1u64 << 53) as f64);
                assert_eq!(u < p, bits < t, "{p} at {bits}");
            }
        }
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let w = Weighted::new(&[0.0, 1.0, 0.0, 3.0]);
        let mut r = stream(5, Domain::Body, &[]);
        for _ in 0..1000 {
            let i = w.sample(&mut r);
            assert!(i == 1 || i == 3);
        }
    }
}

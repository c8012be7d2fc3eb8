//! Byte sizes as users type them: `100MB`, `1.5GiB`, `512KiB`, `10kb`, `4096`.
//!
//! KB/MB/GB/TB are powers of 1000 and KiB/MiB/GiB/TiB powers of 1024, as in
//! the IEC convention; units are case-insensitive.

use std::fmt;
use std::str::FromStr;

/// A number of bytes parsed from a human-readable size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSize(pub u64);

/// Why a size string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid size `{input}`: {reason} (examples: 100MB, 1.5GiB, 512KiB, 20000)")]
pub struct SizeError {
    /// The text as given.
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

const UNITS: &[(&str, u64)] = &[
    ("", 1),
    ("b", 1),
    ("kb", 1_000),
    ("mb", 1_000_000),
    ("gb", 1_000_000_000),
    ("tb", 1_000_000_000_000),
    ("kib", 1 << 10),
    ("mib", 1 << 20),
    ("gib", 1 << 30),
    ("tib", 1 << 40),
    ("k", 1_000),
    ("m", 1_000_000),
    ("g", 1_000_000_000),
    ("t", 1_000_000_000_000),
];

impl FromStr for ByteSize {
    type Err = SizeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason: &str| SizeError {
            input: s.to_string(),
            reason: reason.to_string(),
        };
        let t = s.trim();
        if t.is_empty() {
            return Err(err("it is empty"));
        }
        if t.starts_with('-') {
            return Err(err("a size cannot be negative"));
        }
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
            .unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let num: String = num.chars().filter(|&c| c != '_').collect();
        let unit = unit.trim().to_ascii_lowercase();
        let mult = UNITS
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, m)| *m)
            .ok_or_else(|| err(&format!("unknown unit `{}`", unit)))?;
        if num.is_empty() {
            return Err(err("it has no number"));
        }
        if num.matches('.').count() > 1 {
            return Err(err("the number has more than one decimal point"));
        }
        let bytes = if let Some((int, frac)) = num.split_once('.') {
            // Exact decimal arithmetic: 1.5GiB must be exactly 1610612736.
            let int: u128 = if int.is_empty() {
                0
            } else {
                int.parse().map_err(|_| err("the number is too large"))?
            };
            let frac_digits = frac.len().min(18) as u32;
            let frac_val: u128 = if frac.is_empty() {
                0
            } else {
                frac[..frac_digits as usize]
                    .parse()
                    .map_err(|_| err("bad fraction"))?
            };
            let scale = 10u128.pow(frac_digits);
            let total = int
                .checked_mul(mult as u128)
                .and_then(|v| v.checked_add(frac_val * mult as u128 / scale))
                .ok_or_else(|| err("it is too large"))?;
            u64::try_from(total).map_err(|_| err("it is larger than 2^64 bytes"))?
        } else {
            let n: u64 = num
                .parse()
                .map_err(|_| err("the number is larger than 2^64"))?;
            n.checked_mul(mult)
                .ok_or_else(|| err("it is larger than 2^64 bytes"))?
        };
        Ok(ByteSize(bytes))
    }
}

impl fmt::Display for ByteSize {
    /// Shortest exact spelling: `5MB`, `512KiB`, `12345`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        if b == 0 {
            return write!(f, "0B");
        }
        for (name, m) in [
            ("TB", 1_000_000_000_000u64),
            ("TiB", 1 << 40),
            ("GB", 1_000_000_000),
            ("GiB", 1 << 30),
            ("MB", 1_000_000),
            ("MiB", 1 << 20),
            ("KB", 1_000),
            ("KiB", 1 << 10),
        ] {
            if b.is_multiple_of(m) {
                return write!(f, "{}{}", b / m, name);
            }
        }
        write!(f, "{}B", b)
    }
}

/// Human-friendly approximate rendering (`4.77 MiB`-style, decimal units).
pub fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.2} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{} B", bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<u64, SizeError> {
        s.parse::<ByteSize>().map(|b| b.0)
    }

    #[test]
    fn decimal_and_binary_units() {
        assert_eq!(p("100MB").unwrap(), 100_000_000);
        assert_eq!(p("1.5GiB").unwrap(), 1_610_612_736);
        assert_eq!(p("512KiB").unwrap(), 524_288);
        assert_eq!(p("10kb").unwrap(), 10_000);
        assert_eq!(p("4096").unwrap(), 4096);
        assert_eq!(p("20 KB").unwrap(), 20_000);
        // One letter is the decimal unit, in either case, up to T.
        for (s, n) in [("1k", 1_000), ("100M", 100_000_000), ("1g", 1_000_000_000)] {
            assert_eq!(p(s).unwrap(), n, "{s}");
        }
        assert_eq!(p("1T").unwrap(), 1_000_000_000_000);
        assert_eq!(p("2TB").unwrap(), 2_000_000_000_000);
    }

    #[test]
    fn rejects_nonsense_with_reason() {
        for bad in [
            "",
            "-5MB",
            "5XB",
            "1.2.3MB",
            "MB",
            "99999999999999999999",
            "20000000TB",
        ] {
            let e = p(bad).unwrap_err();
            assert!(e.to_string().contains("invalid size"), "{bad}: {e}");
        }
    }

    #[test]
    fn display_round_trips() {
        for s in ["5MB", "512KiB", "1GB", "12345B"] {
            let b: ByteSize = s.parse().unwrap();
            assert_eq!(b.to_string(), s);
        }
    }
}

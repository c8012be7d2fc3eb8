//! Histograms and quantiles of per-file and per-block figures.

use super::Quantiles;

const HIST_CAP: u64 = 100_000;

#[derive(Debug, Clone, Default)]
pub(super) struct Hist {
    counts: Vec<u64>,
    pub(super) n: u64,
    sum: f64,
}

impl Hist {
    pub(super) fn add(&mut self, v: u64) {
        let i = v.min(HIST_CAP) as usize;
        if self.counts.len() <= i {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        self.n += 1;
        self.sum += v as f64;
    }

    pub(super) fn merge(&mut self, o: &Hist) {
        if self.counts.len() < o.counts.len() {
            self.counts.resize(o.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        self.n += o.n;
        self.sum += o.sum;
    }

    /// Nearest-rank quantile.
    pub(super) fn q(&self, p: f64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let rank = ((p * self.n as f64).ceil() as u64).clamp(1, self.n);
        let mut acc = 0;
        for (v, c) in self.counts.iter().enumerate() {
            acc += c;
            if acc >= rank {
                return v as f64;
            }
        }
        (self.counts.len() - 1) as f64
    }

    pub(super) fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }

    pub(super) fn max(&self) -> u64 {
        self.counts.iter().rposition(|&c| c > 0).unwrap_or(0) as u64
    }
}

/// Nearest-rank quantile of sorted values.
pub(super) fn q_sorted(xs: &[f64], p: f64) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let rank = ((p * xs.len() as f64).ceil() as usize).clamp(1, xs.len());
    xs[rank - 1]
}

pub(super) fn quantiles(mut xs: Vec<f64>) -> Quantiles {
    xs.sort_by(f64::total_cmp);
    if xs.is_empty() {
        return Quantiles::default();
    }
    Quantiles {
        min: xs[0],
        p10: q_sorted(&xs, 0.1),
        p50: q_sorted(&xs, 0.5),
        p90: q_sorted(&xs, 0.9),
        max: xs[xs.len() - 1],
        mean: xs.iter().sum::<f64>() / xs.len() as f64,
    }
}

pub(super) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_nearest_rank() {
        let mut h = Hist::default();
        for v in [1, 2, 3, 4, 100] {
            h.add(v);
        }
        assert_eq!(h.q(0.5), 3.0);
        assert_eq!(h.q(0.9), 100.0);
        assert_eq!(h.q(0.1), 1.0);
        assert_eq!(h.mean(), 22.0);
        assert_eq!(h.max(), 100);
    }
}

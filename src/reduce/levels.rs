//! The levels of a reduction and the ddmin search each runs.

use super::tester::Tester;
use super::units::{block_units, line_units, reference_units, section_units, split, unlink};
use super::{ReduceError, ReduceProgress, State};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The reduction under way.
pub(super) struct Reducer<'a, 'p> {
    pub(super) tester: &'a Tester<'a>,
    pub(super) state: State,
    pub(super) progress: &'p mut dyn FnMut(ReduceProgress),
}

impl Reducer<'_, '_> {
    /// (files, bytes) left.
    pub(super) fn size(&self) -> (u64, u64) {
        let files = self.state.iter().flatten().count() as u64;
        let bytes = self.state.iter().flatten().map(|b| b.len() as u64).sum();
        (files, bytes)
    }

    fn report(&mut self, level: &'static str) {
        let (files, bytes) = self.size();
        let tests = self.tester.tests.load(Ordering::Relaxed);
        (self.progress)(ReduceProgress {
            level,
            files,
            bytes,
            tests,
        });
    }

    /// Level 1: which files stay.
    pub(super) fn files(&mut self) -> Result<(), ReduceError> {
        let kept: Vec<usize> = (0..self.state.len())
            .filter(|&i| self.state[i].is_some())
            .collect();
        let base = self.state.clone();
        let build = |units: &[usize]| -> State {
            let keep: HashSet<usize> = units.iter().copied().collect();
            base.iter()
                .enumerate()
                .map(|(i, s)| s.clone().filter(|_| keep.contains(&i)))
                .collect()
        };
        let result = self.ddmin(kept, &build, "files")?;
        self.state = build(&result);
        Ok(())
    }

    /// Levels 2 to 4 (`sections`, `blocks`, `lines`): which parts of each
    /// remaining file stay, `units` dividing its text.
    pub(super) fn parts(
        &mut self,
        level: &'static str,
        units: &dyn Fn(&[u8]) -> Vec<Range<usize>>,
    ) -> Result<(), ReduceError> {
        for i in 0..self.state.len() {
            let Some(bytes) = self.state[i].clone() else {
                continue;
            };
            let units = units(&bytes);
            if units.is_empty() {
                continue;
            }
            let base = self.state.clone();
            let build = |kept: &[Range<usize>]| -> State {
                let mut text = Vec::with_capacity(bytes.len());
                for r in kept {
                    text.extend_from_slice(&bytes[r.clone()]);
                }
                let mut s = base.clone();
                s[i] = Some(Arc::from(text));
                s
            };
            self.shrink(units, &build, level)?;
        }
        Ok(())
    }

    /// Levels 2 to 4 in turn, coarse to fine: a section that goes whole
    /// costs one test where its lines would cost dozens.
    pub(super) fn text(&mut self) -> Result<(), ReduceError> {
        let dialect = self.tester.input.header.params.profile.dialect;
        self.parts("sections", &|t| section_units(t, dialect))?;
        self.parts("blocks", &|t| block_units(t, dialect))?;
        self.parts("lines", &line_units)
    }

    /// Level 5: which references stay links; each one removed gives way to
    /// its own text, so what is left shows the one link the failure needs
    /// among sentences that no longer link anywhere.
    pub(super) fn references(&mut self) -> Result<(), ReduceError> {
        let dialect = self.tester.input.header.params.profile.dialect;
        for i in 0..self.state.len() {
            let Some(bytes) = self.state[i].clone() else {
                continue;
            };
            let refs = reference_units(&bytes, dialect);
            if refs.is_empty() {
                continue;
            }
            let base = self.state.clone();
            let build = |kept: &[usize]| -> State {
                let mut s = base.clone();
                s[i] = Some(Arc::from(unlink(&bytes, &refs, kept)));
                s
            };
            self.shrink((0..refs.len()).collect(), &build, "references")?;
        }
        Ok(())
    }

    /// One file's units at one level: none at all first (ddmin always
    /// keeps one, and a file the failure needs only to exist, or a line
    /// that needs none of its links, can lose every one), else ddmin.
    fn shrink<U: Clone>(
        &mut self,
        units: Vec<U>,
        build: &dyn Fn(&[U]) -> State,
        level: &'static str,
    ) -> Result<(), ReduceError> {
        let none = build(&[]);
        if self
            .tester
            .first_failing(std::slice::from_ref(&none))?
            .is_some()
        {
            self.state = none;
            self.report(level);
            return Ok(());
        }
        let result = self.ddmin(units, build, level)?;
        self.state = build(&result);
        Ok(())
    }

    /// Zeller's ddmin over `units`: split into `n` chunks (2 at first); if
    /// the command fails on one chunk alone, keep it (n = 2); else if it
    /// fails without one chunk, drop that chunk (n - 1); else split finer,
    /// until chunks are single units. The result is 1-minimal: the command
    /// passes with any one unit of it removed.
    fn ddmin<U: Clone>(
        &mut self,
        units: Vec<U>,
        build: &dyn Fn(&[U]) -> State,
        level: &'static str,
    ) -> Result<Vec<U>, ReduceError> {
        let mut c = units;
        let mut n = 2usize;
        while c.len() >= 2 {
            let n_now = n.min(c.len());
            let chunks = split(c.len(), n_now);
            let subsets: Vec<Vec<U>> = chunks.iter().map(|r| c[r.clone()].to_vec()).collect();
            let cands: Vec<State> = subsets.iter().map(|s| build(s)).collect();
            if let Some(k) = self.tester.first_failing(&cands)? {
                c = subsets[k].clone();
                self.state = cands[k].clone();
                n = 2;
                self.report(level);
                continue;
            }
            // With two chunks each complement is the other chunk, already
            // tried.
            if n_now > 2 {
                let complements: Vec<Vec<U>> = chunks
                    .iter()
                    .map(|r| {
                        c.iter()
                            .enumerate()
                            .filter(|(j, _)| !r.contains(j))
                            .map(|(_, u)| u.clone())
                            .collect()
                    })
                    .collect();
                let cands: Vec<State> = complements.iter().map(|s| build(s)).collect();
                if let Some(k) = self.tester.first_failing(&cands)? {
                    c = complements[k].clone();
                    self.state = cands[k].clone();
                    n = (n_now - 1).max(2);
                    self.report(level);
                    continue;
                }
            }
            if n_now >= c.len() {
                break;
            }
            n = (n_now * 2).min(c.len());
        }
        Ok(c)
    }
}

//! Work on an index range in parallel, results handed over in index order.
//!
//! `gen` renders files on every core but must append their manifest
//! records in file order. Rendering in fixed batches (collect a batch, then
//! write it) left cores idle at the end of every batch and held a whole
//! batch of manifest records; here workers take the next index as soon as
//! they are free, the calling thread writes results as soon as they are
//! next in order, and a worker never runs more than `ahead` indices past
//! the next one to be written, which bounds memory to `ahead` results.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// Run `work(state, k)` for every `k` in `range` on `jobs` threads (each
/// with its own `S`, for buffers reused from one item to the next), and
/// call `sink(k, result)` on the calling thread in increasing `k`. The
/// first error from `sink` stops the workers and is returned.
pub fn for_each_ordered<S, T, E>(
    range: Range<u64>,
    jobs: usize,
    ahead: u64,
    work: impl Fn(&mut S, u64) -> T + Sync,
    mut sink: impl FnMut(u64, T) -> Result<(), E>,
) -> Result<(), E>
where
    S: Default,
    T: Send,
{
    let ahead = ahead.max(1);
    let next = AtomicU64::new(range.start);
    // (the next index to be handed to `sink`, stop)
    let gate = Mutex::new((range.start, false));
    let moved = Condvar::new();
    let (tx, rx) = mpsc::channel::<(u64, T)>();
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            let tx = tx.clone();
            let (next, gate, moved, work, end) = (&next, &gate, &moved, &work, range.end);
            s.spawn(move || {
                let mut state = S::default();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= end {
                        break;
                    }
                    {
                        let mut g = gate.lock().expect("gate");
                        while !g.1 && k >= g.0 + ahead {
                            g = moved.wait(g).expect("gate");
                        }
                        if g.1 {
                            break;
                        }
                    }
                    if tx.send((k, work(&mut state, k))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut want = range.start;
        let mut result = Ok(());
        'recv: for (k, t) in rx.iter() {
            pending.insert(k, t);
            while let Some(t) = pending.remove(&want) {
                if let Err(e) = sink(want, t) {
                    result = Err(e);
                    break 'recv;
                }
                want += 1;
                gate.lock().expect("gate").0 = want;
                moved.notify_all();
            }
        }
        if result.is_err() {
            gate.lock().expect("gate").1 = true;
            moved.notify_all();
        }
        // Workers still sending find the channel closed and stop.
        drop(rx);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_order_for_any_jobs() {
        for jobs in [1, 2, 5] {
            let mut seen = Vec::new();
            for_each_ordered::<(), _, ()>(
                3..200,
                jobs,
                4,
                |_, k| {
                    // Uneven work, so results finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros((k * 37 % 11) * 20));
                    k * 2
                },
                |k, v| {
                    seen.push((k, v));
                    Ok(())
                },
            )
            .unwrap();
            let want: Vec<(u64, u64)> = (3..200).map(|k| (k, k * 2)).collect();
            assert_eq!(seen, want, "jobs {jobs}");
        }
    }

    #[test]
    fn a_sink_error_stops_the_run() {
        let mut calls = 0;
        let r = for_each_ordered::<(), _, u64>(
            0..10_000,
            3,
            8,
            |_, k| k,
            |k, _| {
                calls += 1;
                if k == 50 {
                    Err(k)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err(50));
        assert_eq!(calls, 51);
    }
}

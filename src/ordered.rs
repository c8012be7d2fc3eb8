//! Work on an index range in parallel, results handed over in index order.
//!
//! `gen` renders files on every core but must append their manifest
//! records in file order. Rendering in fixed batches (collect a batch, then
//! write it) left cores idle at the end of every batch and held a whole
//! batch of manifest records; here workers take the next index as soon as
//! they are free, the calling thread writes results as soon as they are
//! next in order, and a worker never runs more than `ahead` indices past
//! the next one to be written, which bounds memory to `ahead` results.
//!
//! The calling thread is one of the `jobs` workers: between hand-overs it
//! works too, and blocks only when it may not take more work. A dedicated
//! writer thread was woken once per file, and in this VM a cross-CPU
//! wake-up cost ~10% of a one-worker run (`perf`: finish_task_switch).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// Run `work(state, k)` for every `k` in `range` on `jobs` threads, the
/// calling thread included (each with its own `S`, for buffers reused from
/// one item to the next), and call `sink(k, result)` on the calling thread
/// in increasing `k`. The first error from `sink` stops the workers and is
/// returned.
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
    // The next index to be handed to `sink`. Workers read it without a
    // lock and sleep on `moved` only when too far ahead, so the common case
    // costs no lock and no wake-up (both were ~5% of a one-worker run).
    let released = AtomicU64::new(range.start);
    let stop = AtomicBool::new(false);
    let sleepers = AtomicUsize::new(0);
    let gate = Mutex::new(());
    let moved = Condvar::new();
    let (tx, rx) = mpsc::channel::<(u64, T)>();
    std::thread::scope(|s| {
        // More workers than items would only wait; a refused spawn (a
        // thread limit) leaves fewer workers, down to this thread alone,
        // which works through the range itself as well.
        let items = range.end.saturating_sub(range.start);
        let workers = (jobs.max(1) as u64).min(items.max(1)) as usize;
        for _ in 1..workers {
            let tx = tx.clone();
            let (next, released, stop, sleepers, gate, moved, work) =
                (&next, &released, &stop, &sleepers, &gate, &moved, &work);
            let end = range.end;
            let spawned = std::thread::Builder::new().spawn_scoped(s, move || {
                let mut state = S::default();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= end {
                        break;
                    }
                    if k >= released.load(Ordering::SeqCst) + ahead {
                        // SeqCst on both sides: either the writer sees this
                        // sleeper, or this check sees the writer's progress.
                        let mut g = gate.lock().expect("gate");
                        sleepers.fetch_add(1, Ordering::SeqCst);
                        while !stop.load(Ordering::SeqCst)
                            && k >= released.load(Ordering::SeqCst) + ahead
                        {
                            g = moved.wait(g).expect("gate");
                        }
                        sleepers.fetch_sub(1, Ordering::SeqCst);
                    }
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if tx.send((k, work(&mut state, k))).is_err() {
                        break;
                    }
                }
            });
            if spawned.is_err() {
                break;
            }
        }
        drop(tx);
        let mut state = S::default();
        let mut pending = BTreeMap::new();
        let mut want = range.start;
        let mut held: Option<u64> = None;
        let mut result = Ok(());
        'run: loop {
            while let Some(t) = pending.remove(&want) {
                if let Err(e) = sink(want, t) {
                    result = Err(e);
                    break 'run;
                }
                want += 1;
                released.store(want, Ordering::SeqCst);
                if sleepers.load(Ordering::SeqCst) > 0 {
                    let _g = gate.lock().expect("gate");
                    moved.notify_all();
                }
            }
            if want >= range.end {
                break;
            }
            if held.is_none() {
                let k = next.fetch_add(1, Ordering::Relaxed);
                held = (k < range.end).then_some(k);
            }
            if let Some(k) = held.filter(|&k| k < want + ahead) {
                held = None;
                pending.insert(k, work(&mut state, k));
                while let Ok((k, t)) = rx.try_recv() {
                    pending.insert(k, t);
                }
                continue;
            }
            // Nothing this thread may do until another worker's result
            // arrives (the channel only closes early if a worker panicked,
            // which the scope then reports).
            match rx.recv() {
                Ok((k, t)) => {
                    pending.insert(k, t);
                }
                Err(_) => break,
            }
        }
        if result.is_err() {
            stop.store(true, Ordering::SeqCst);
            let _g = gate.lock().expect("gate");
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

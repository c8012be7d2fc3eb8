//! How many threads to run, and pools that survive a system that refuses
//! them.
//!
//! Output is the same at any thread count, so threads beyond the cores
//! only cost their creation (`--jobs 100000` spent minutes spawning them),
//! and a refused spawn (`ulimit -u`, a container's pids limit) is no
//! reason to fail: the work runs on fewer threads, down to the calling one.

/// The cores this process may use (1 if the system cannot say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Worker threads for a request of `requested` (0 = all cores): never more
/// than the cores, never fewer than one.
pub fn jobs(requested: usize) -> usize {
    match requested {
        0 => cores(),
        n => n.min(cores()),
    }
    .max(1)
}

/// Threads to run parallel work on: a rayon pool, or (when the system
/// grants no thread) the calling thread alone.
#[derive(Debug)]
pub struct Pool(Option<rayon::ThreadPool>);

impl Pool {
    /// Run `op` with its parallel iterators on this pool's threads.
    pub fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        match &self.0 {
            Some(p) => p.install(op),
            None => op(),
        }
    }
}

/// A pool of `n` threads, or as many as the system grants: halving the
/// count on each refusal, and at worst the calling thread alone (which then
/// runs the work itself, so use such a pool from the thread that made it).
pub fn pool(n: usize) -> Pool {
    if let Some(p) = try_pool(n) {
        return Pool(Some(p));
    }
    // A thread that already serves a pool runs rayon's work in that pool.
    if rayon::current_thread_index().is_some() {
        return Pool(None);
    }
    Pool(
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .ok(),
    )
}

/// A pool of up to `n` new threads, halving the count on each refusal;
/// `None` if the system grants none. For work handed to the pool from
/// other threads, which a pool of the calling thread would never run.
pub fn try_pool(n: usize) -> Option<rayon::ThreadPool> {
    let mut n = n.max(1);
    loop {
        match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(p) => return Some(p),
            Err(_) if n > 1 => n /= 2,
            Err(_) => return None,
        }
    }
}

/// Set up rayon's global pool (used where no pool is passed) with the same
/// fallback as [`pool`]. Call once, early, from the main thread. (rayon
/// takes one attempt at its global pool, so the count is found on a local
/// pool first.)
pub fn init_global(n: usize) {
    let mut n = n.max(1);
    while n > 1
        && rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .is_err()
    {
        n /= 2;
    }
    let mut b = rayon::ThreadPoolBuilder::new().num_threads(n);
    if n == 1
        && rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .is_err()
    {
        b = b.use_current_thread();
    }
    let _ = b.build_global();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_capped_at_the_cores() {
        assert_eq!(jobs(1), 1);
        assert_eq!(jobs(100_000), cores());
        assert_eq!(jobs(0), cores());
    }

    #[test]
    fn a_pool_runs_parallel_work() {
        use rayon::prelude::*;
        let p = pool(2);
        let sum: u64 = p.install(|| (0..1000u64).into_par_iter().sum());
        assert_eq!(sum, 499_500);
    }
}

//! Running the command under test on a candidate, in a temporary copy, and
//! ending what runs when the user interrupts.

use super::derive::write_tree;
use super::{io, Input, ReduceError, ReduceOptions, State};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What runs on this process's behalf now: each test's temporary folder
/// and, while the command runs, its process group; and the staging folder
/// of the result. A command runs in a process group of its own (so that a
/// timeout kills what it started), which a terminal's Ctrl-C does not
/// reach: [`interrupt_cleanup`] ends them.
static RUNNING: std::sync::Mutex<Vec<(PathBuf, Option<u32>)>> = std::sync::Mutex::new(Vec::new());

fn running() -> std::sync::MutexGuard<'static, Vec<(PathBuf, Option<u32>)>> {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hold `dir` (and the group `pid` leads) for [`interrupt_cleanup`].
pub(super) fn hold(dir: &Path, pid: Option<u32>) {
    let mut r = running();
    r.retain(|(d, _)| d != dir);
    r.push((dir.to_path_buf(), pid));
}

pub(super) fn release(dir: &Path) {
    running().retain(|(d, _)| d != dir);
}

/// For an interrupt handler: kill the commands under test (their whole
/// process groups) and remove the temporary folders of this process's
/// reductions. The registry then stays locked, so no test starts after;
/// the caller should exit.
pub fn interrupt_cleanup() {
    let r = running();
    for (dir, pid) in r.iter() {
        #[cfg(unix)]
        if let Some(pid) = pid {
            // SAFETY: kill(2) on a process group this process started; no
            // memory is involved.
            unsafe {
                libc::kill(-(*pid as i32), libc::SIGKILL);
            }
        }
        #[cfg(not(unix))]
        let _ = pid;
        let _ = std::fs::remove_dir_all(dir);
    }
    std::mem::forget(r);
}

/// Runs the command on candidates.
pub(super) struct Tester<'a> {
    pub(super) input: &'a Input,
    pub(super) opts: &'a ReduceOptions,
    pub(super) pool: crate::threads::Pool,
    pub(super) tests: AtomicU64,
}

impl Tester<'_> {
    /// Run the command on `state`, written to a fresh folder: how it
    /// failed, or `None` if it did not.
    pub(super) fn run(&self, state: &State) -> Result<Option<String>, ReduceError> {
        Ok(self.execute(state)?.0)
    }

    /// How the command failed on `state` (or `None`), and how it ended
    /// (for the message that there is nothing to reduce).
    pub(super) fn execute(&self, state: &State) -> Result<(Option<String>, String), ReduceError> {
        self.tests.fetch_add(1, Ordering::Relaxed);
        let work = tempfile::Builder::new()
            .prefix("noet-reduce-")
            .tempdir()
            .map_err(io("cannot make a temporary folder"))?;
        // The candidate has a folder of its own, so that the captured
        // output beside it is not part of what the command sees.
        hold(work.path(), None);
        let result = self.execute_in(state, work.path());
        release(work.path());
        result
    }

    /// [`Tester::execute`] in the temporary folder `work`.
    fn execute_in(
        &self,
        state: &State,
        work: &Path,
    ) -> Result<(Option<String>, String), ReduceError> {
        let dir = work.join("corpus");
        write_tree(self.input, state, &dir)?;
        let dir_s = dir.to_string_lossy().into_owned();
        let mut args: Vec<String> = self.opts.command[1..].to_vec();
        if args.iter().any(|a| a.contains("{}")) {
            for a in &mut args {
                *a = a.replace("{}", &dir_s);
            }
        } else {
            args.push(dir_s);
        }
        let out_path = work.join("stdout");
        let err_path = work.join("stderr");
        let stdout = std::fs::File::create(&out_path).map_err(io("cannot capture output"))?;
        let stderr = std::fs::File::create(&err_path).map_err(io("cannot capture output"))?;
        let mut cmd = std::process::Command::new(&self.opts.command[0]);
        cmd.args(&args)
            .stdin(std::process::Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        // Its own process group, so that a timeout kills what the command
        // started too (a shell's children).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd.spawn().map_err(|e| {
            ReduceError::Input(format!("cannot run `{}`: {e}", self.opts.command[0]))
        })?;
        hold(work, Some(child.id()));
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child
                .try_wait()
                .map_err(io("cannot wait for the command"))?
            {
                break Some(s);
            }
            if start.elapsed() > self.opts.timeout {
                #[cfg(unix)]
                // SAFETY: kill(2) on the group this child leads; no memory
                // is involved.
                unsafe {
                    libc::kill(-(child.id() as i32), libc::SIGKILL);
                }
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let how = match status {
            None => format!("timeout after {}s", self.opts.timeout.as_secs_f64()),
            Some(s) => match s.code() {
                Some(c) => format!("exit {c}"),
                None => {
                    #[cfg(unix)]
                    let sig = std::os::unix::process::ExitStatusExt::signal(&s).unwrap_or(0);
                    #[cfg(not(unix))]
                    let sig = 0;
                    format!("signal {sig}")
                }
            },
        };
        // The exit that counts: the one asked for, else any but success.
        let exit_fails = match self.opts.exit {
            Some(want) => status.and_then(|s| s.code()) == Some(want),
            None => status.map(|s| !s.success()).unwrap_or(true),
        };
        let failed = match &self.opts.matches {
            Some(re) => {
                let mut text =
                    String::from_utf8_lossy(&std::fs::read(&out_path).unwrap_or_default())
                        .into_owned();
                text.push_str(&String::from_utf8_lossy(
                    &std::fs::read(&err_path).unwrap_or_default(),
                ));
                let exit_ok = self.opts.exit.is_none() || exit_fails;
                (exit_ok && re.is_match(&text))
                    .then(|| format!("output matches `{}` ({how})", re.as_str()))
            }
            None => exit_fails.then(|| how.clone()),
        };
        let desc = match (&self.opts.matches, self.opts.exit) {
            (Some(re), Some(want)) => {
                format!(
                    "{how}; the failure is exit {want} with output matching `{}`",
                    re.as_str()
                )
            }
            (Some(re), None) => format!("{how}, output does not match `{}`", re.as_str()),
            (None, Some(want)) => format!("{how}; the failure is exit {want}"),
            (None, None) => how,
        };
        Ok((failed, desc))
    }

    /// The index of the first candidate on which the command fails, trying
    /// `jobs` at a time in order; the first in order wins, so the result
    /// is the same at any `jobs` (only the number of runs differs).
    pub(super) fn first_failing(&self, cands: &[State]) -> Result<Option<usize>, ReduceError> {
        let jobs = self.opts.jobs.max(1);
        for (b, batch) in cands.chunks(jobs).enumerate() {
            let results: Vec<Result<bool, ReduceError>> = if jobs == 1 {
                batch
                    .iter()
                    .map(|s| self.run(s).map(|f| f.is_some()))
                    .collect()
            } else {
                self.pool.install(|| {
                    batch
                        .par_iter()
                        .map(|s| self.run(s).map(|f| f.is_some()))
                        .collect()
                })
            };
            for (k, r) in results.into_iter().enumerate() {
                if r? {
                    return Ok(Some(b * jobs + k));
                }
            }
        }
        Ok(None)
    }
}

//! Rayon's worker threads, which parse, check and render, run at a lower priority
//! than the process's other threads.
//!
//! `build` makes the tantivy index on threads of its own (tantivy's indexing thread)
//! while rayon's workers check and render on every core. The index is the longest
//! serial chain of a build: at equal priority, two workers and the indexing thread
//! share two cores, the index gets two thirds of one, and at the end it runs alone
//! on one core while the other has nothing left to do (about 0.8 s of a 10,000
//! post-mortem build). With the workers a few steps nicer, the index keeps a whole
//! core and the render takes what is left, then every core once the index is done.
//! Nothing waits for anything more: no rayon worker ever blocks on the index (see
//! ARCHITECTURE.md), so this cannot deadlock, only reorder. In `serve`, the HTTP
//! threads keep the default priority too, ahead of a rebuild's workers.
//!
//! Linux only, where a thread's nice value is its own (POSIX makes it the
//! process's): elsewhere the workers keep the default priority.

/// How many steps nicer than the thread that starts them rayon's workers run. On a
/// core shared with a nice-0 thread, a worker at +5 gets about a quarter of it
/// (the kernel's weights are 1024 and 335).
pub const NICER_BY: i32 = 5;

/// Sets up rayon's global pool with nicer workers. Call once, before any parallel
/// work; if the pool is already set up (a test, a library user), it is left as is.
pub fn init() {
    let _ = builder().build_global();
}

/// Rayon's pool settings: default size, workers `NICER_BY` steps nicer.
pub fn builder() -> rayon::ThreadPoolBuilder {
    rayon::ThreadPoolBuilder::new().start_handler(|_| lower_this_threads_priority())
}

#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // SAFETY: nice(2) takes and returns plain integers and touches no memory of
    // ours. On Linux it changes the calling thread only. Raising a nice value is
    // always allowed (it stops at 19), so there is no failure to report.
    let _ = unsafe { libc::nice(NICER_BY) };
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn this_threads_nice() -> i32 {
        // SAFETY: as above; `who = 0` is the calling thread.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
    }

    #[test]
    fn workers_run_nicer_than_the_thread_that_starts_them() {
        let before = this_threads_nice();
        let pool = builder().num_threads(2).build().unwrap();
        let on_workers = pool.broadcast(|_| this_threads_nice());
        assert_eq!(on_workers, vec![(before + NICER_BY).min(19); 2]);
        // Only the workers: the calling thread is as it was.
        assert_eq!(this_threads_nice(), before);
    }
}

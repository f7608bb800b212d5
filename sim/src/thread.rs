//! Threads: stand in for `std::thread`. Inside a simulation, `spawn` makes a shuttle task whose
//! panics become the execution's failure; outside, an OS thread.

use crate::ctx;
use crate::failure::Stopping;
use crate::wait::{self, Probe, What};
use std::panic::{self, AssertUnwindSafe, Location};

/// The handle of a spawned thread.
pub enum JoinHandle<T> {
    #[doc(hidden)]
    Std(std::thread::JoinHandle<T>),
    #[doc(hidden)]
    Sim(shuttle::thread::JoinHandle<Option<T>>, usize),
}

/// Spawns a thread named `name` (the name appears in failure reports).
#[track_caller]
pub fn spawn<F, T>(name: &str, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    if crate::sync::in_sim() {
        ctx::with(|c| c.pending_starts += 1);
        let owned = name.to_string();
        let fork = crate::cell::race::fork(Location::caller());
        // The name lives in the simulator's context only: naming the shuttle task too costs a
        // label map per spawn, and every report uses our names.
        let h = shuttle::thread::Builder::new()
            .spawn(move || {
                crate::cell::race::adopt(fork);
                run_task(owned, f)
            })
            .expect("[sim internal bug] shuttle spawn failed");
        let id = usize::from(h.thread().id());
        JoinHandle::Sim(h, id)
    } else {
        let live = NativeLive::enter();
        let h = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let _live = live;
                f()
            })
            .expect("failed to spawn an OS thread");
        JoinHandle::Std(h)
    }
}

/// OS threads started by [`spawn`] outside a simulation that have not returned yet. A native
/// execution that fails can leave its other threads blocked for good (a reader that died never
/// releases what they wait for); the native runner stops before they exhaust the process.
static NATIVE_LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Counts one live native thread until dropped (when the thread returns or unwinds).
struct NativeLive;

impl NativeLive {
    fn enter() -> Self {
        NATIVE_LIVE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        NativeLive
    }
}

impl Drop for NativeLive {
    fn drop(&mut self) {
        NATIVE_LIVE.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// How many OS threads [`spawn`] started outside a simulation are still running.
pub fn native_live() -> usize {
    NATIVE_LIVE.load(std::sync::atomic::Ordering::Relaxed)
}

/// The body of every simulated thread: registers it, runs `f`, and turns a panic into the
/// execution's failure (already recorded by the panic hook) instead of shuttle's.
pub(crate) fn run_task<F: FnOnce() -> T, T>(name: impl Into<String>, f: F) -> Option<T> {
    let me = ctx::current_task().expect("[sim internal bug] simulated thread without a task id");
    ctx::with(|c| {
        c.pending_starts = c.pending_starts.saturating_sub(1);
        let t = c.task(me);
        t.name = name.into();
        t.started = true;
    });
    crate::record::started(&ctx::with(|c| c.name_of(me)).unwrap_or_default());
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    if result.is_err()
        && shuttle_engine::runtime::execution::ExecutionState::unwinding_for_teardown()
    {
        if let Err(payload) = result {
            panic::resume_unwind(payload);
        }
    }
    let failed = result.is_err()
        && ctx::with(|c| {
            c.failing_done |= c.failing_task == Some(me);
            c.stopping
        }) == Some(true);
    ctx::with(|c| c.task(me).finished = true);
    if failed || wait::check_after_finish() {
        // The execution ends here: the others are detached, so that shuttle unwinds them once
        // this thread finishes instead of leaking their stacks (and reporting its own deadlock),
        // and this scheduling point is the execution's last step, as it always was.
        crate::teardown::detach_others(me);
        sched_point();
    }
    result.ok()
}

impl<T> JoinHandle<T> {
    /// Waits for the thread to finish and returns its result. Inside a simulation, joining a
    /// thread that failed stops the caller too (the execution is stopping).
    #[track_caller]
    pub fn join(self) -> T {
        match self {
            Self::Std(h) => h.join().unwrap_or_else(|p| panic::resume_unwind(p)),
            Self::Sim(h, id) => {
                wait::begin(What::Join(id), Location::caller(), Probe::Task(id));
                let r = h.join();
                wait::end();
                crate::record::join(id);
                match r {
                    Ok(Some(v)) => {
                        crate::cell::race::joined(id, Location::caller());
                        v
                    }
                    _ => panic::panic_any(Stopping),
                }
            }
        }
    }
}

/// Yields to another thread (Go's `osyield`/`Gosched`); under PCT it lowers the caller's priority.
pub fn yield_now() {
    if crate::sync::in_sim() {
        crate::record::yielded();
        shuttle::thread::yield_now()
    } else {
        std::thread::yield_now()
    }
}

/// A plain scheduling point: inside a simulation, another thread may run here; outside, nothing.
/// Put one between steps of a protocol whose interleaving matters but that touch no primitive.
#[inline]
pub fn sched_point() {
    if crate::sync::in_sim() {
        shuttle_engine::runtime::thread::switch()
    }
}

/// A spin-wait hint: a yield inside a simulation (so that spins cannot livelock the
/// scheduler), `std::hint::spin_loop` outside.
pub fn spin_loop() {
    if crate::sync::in_sim() {
        shuttle::thread::yield_now()
    } else {
        std::hint::spin_loop()
    }
}

/// The name of the current simulated thread, or of the OS thread.
pub fn current_name() -> String {
    match ctx::current_task() {
        Some(me) => ctx::with(|c| c.name_of(me)).unwrap_or_default(),
        None => std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_string(),
    }
}

/// Prints a line as the code under test (Go's runtime `print`): inside a simulation it is kept
/// and attached to the execution's failure report, if any; outside, it goes to stderr.
pub fn note(line: &str) {
    if ctx::with(|c| c.notes.push(line.to_string())).is_none() {
        eprintln!("{line}");
    }
}

std::thread_local! {
    static NATIVE_ID: u64 = NEXT_NATIVE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}
static NEXT_NATIVE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1 << 32);

/// A small nonzero id of the current actor: its shuttle task inside a simulation, its OS thread
/// outside. For ownership assertions (Go's "this M owns that P").
pub fn current_id() -> u64 {
    match ctx::current_task() {
        Some(t) => t as u64 + 1,
        None => NATIVE_ID.with(|id| *id),
    }
}

//! The scheduler as the go1.22 tracer meets it (`runtime/proc.go` `findRunnable`, `wakep`,
//! `park_m`; `runtime/trace2.go` `wakeableSleep`). `findRunnable` polls `traceReader` on an M
//! holding a P at every scheduling event: a goroutine yielding (`Gosched`), exiting
//! (`goexit0`) or parking (`park_m` → `schedule`: a semaphore wait, a channel receive, the
//! reader's own `gopark`), and an idle M started by `wakep`. An M with nothing to run parks
//! (`stopm`) until `wakep`. Nothing polls in a loop: the reader runs only when a scheduling
//! event hands it out, as in Go.

use super::locks;
use super::reader::reader_index;
use super::state::Trace;
use sim::sync::atomic::Ordering;
use sim::sync::{Mutex, Parker};

/// `wakeableSleep`: a goroutine sleep that a timer or `wake` ends. Its `wakeup` channel has a
/// buffer of one and `wake` sends without blocking: a [`Parker`]'s permit is exactly that.
/// `StartTrace` makes a fresh one per session (`newWakeableSleep`), so the model keeps one per
/// session.
pub struct WakeableSleep {
    lock: Mutex<()>,
    wakeup: Parker,
}

impl WakeableSleep {
    /// A sleep for the goroutine named `name` (for reports).
    pub fn new(name: &'static str) -> Self {
        Self {
            lock: Mutex::ranked(&locks::WAKEABLE_SLEEP, ()),
            wakeup: Parker::new(name),
        }
    }

    /// `sleep`: read the channel under `s.lock`, then `<-wakeup`, which parks the goroutine
    /// (`park_m` → `schedule` → `findRunnable` on its M) until a `wake` or the timer.
    pub fn sleep(&self, t: &Trace) {
        drop(self.lock.lock());
        t.find_runnable();
        self.wakeup.park();
    }

    /// `sleep(0)` (`traceadvanceperiod=0`): the timer fires at once, but the goroutine still
    /// parks on the channel first, so its M goes through `schedule` once.
    pub fn sleep_zero(&self, t: &Trace) {
        drop(self.lock.lock());
        t.find_runnable();
    }

    /// `wake`: a non-blocking send under `s.lock`; the send readies a sleeper (`ready` →
    /// `wakep`).
    pub fn wake(&self, t: &Trace) {
        let _l = self.lock.lock();
        self.wakeup.unpark();
        t.wakep();
    }
}

impl Trace {
    /// `findRunnable`'s "Try to schedule the trace reader": readies the reader `traceReader`
    /// hands out (`casgstatus(gp, _Gwaiting, _Grunnable)`). Returns it.
    pub fn find_runnable(&self) -> Option<u64> {
        if !self.enabled() && !self.shutdown.load(Ordering::SeqCst) {
            return None;
        }
        let g = self.trace_reader()?;
        self.parkers[reader_index(g)].unpark();
        Some(g)
    }

    /// `wakep`: start an idle M (the poller) to run `findRunnable`.
    pub fn wakep(&self) {
        self.idle_m.unpark();
    }

    /// `semacquire` that may park: `park_m` → `schedule` polls first (the model cannot tell
    /// whether the wait will park, so it polls either way: at most one extra poll).
    pub fn semacquire(&self, s: &sim::sync::Sema) {
        self.find_runnable();
        s.acquire();
    }

    /// The workload goroutines wait, parked, while tracing is off (harness: the test's workload
    /// is only interesting while it is traced). `StartTrace` and the end of the run wake them.
    pub fn wait_tracing(&self, worker: usize) {
        self.gates[worker].park();
    }

    /// Wakes every workload goroutine waiting in [`Trace::wait_tracing`].
    pub fn open_gates(&self) {
        for g in &self.gates {
            g.unpark();
        }
    }

    /// The sleeps of the current session: the CPU reader's and the advancer's.
    pub fn sleeps(&self) -> &[WakeableSleep; 2] {
        &self.sleeps[self.session.load(Ordering::SeqCst) as usize - 1]
    }
}

/// An idle M (`stopm`): parked until `wakep` starts it; it runs `findRunnable`'s trace-reader
/// poll once and goes idle again, until the run is over.
pub fn idle_m(t: &Trace) {
    loop {
        t.idle_m.park();
        if t.done.load(Ordering::SeqCst) {
            break;
        }
        t.find_runnable();
    }
}

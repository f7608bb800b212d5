//! The scheduler as the go1.22 tracer meets it (`runtime/proc.go` `findRunnable`, `wakep`,
//! `park_m`; `runtime/trace2.go` `wakeableSleep`). `findRunnable` polls `traceReader` on an M
//! holding a P at every scheduling event: a goroutine yielding (`Gosched`), exiting
//! (`goexit0`) or parking (`park_m` → `schedule`: a semaphore wait, a channel receive, the
//! reader's own `gopark`), and an idle M started by `wakep`. An M with nothing to run parks
//! (`stopm`) until `wakep`. Nothing polls in a loop: the reader runs only when a scheduling
//! event hands it out, as in Go.

use super::locks;
use super::out;
use super::reader::reader_index;
use super::state::{role, Trace};
use super::strings::REASON_CHAN_RECV;
use sim::sync::atomic::Ordering;
use sim::sync::{Mutex, Parker};

/// `wakeableSleep`: a goroutine sleep that a timer or `wake` ends. Its `wakeup` channel has a
/// buffer of one and `wake` sends without blocking; `lock` stands for the channel's lock too:
/// under it a receive takes a buffered value or registers the receiver, and a send hands the
/// value to a registered receiver (readying it) or buffers it. `StartTrace` makes a fresh one
/// per session (`newWakeableSleep`), so the model keeps one per session.
pub struct WakeableSleep {
    /// (a value is buffered, a receiver is registered).
    lock: Mutex<(bool, bool)>,
    wakeup: Parker,
}

impl WakeableSleep {
    /// A sleep for the goroutine named `name` (for reports).
    pub fn new(name: &'static str) -> Self {
        Self {
            lock: Mutex::ranked(&locks::WAKEABLE_SLEEP, (false, false)),
            wakeup: Parker::new(name),
        }
    }

    /// `sleep` by the goroutine of M `m`: `<-wakeup` takes a buffered value at once, or parks
    /// (`GoBlock` under the channel lock, then `park_m` → `schedule` → `findRunnable` on its
    /// M) until a `wake` or the timer readies it; it runs again (`GoStart`).
    pub fn sleep(&self, t: &Trace, m: usize) {
        {
            let mut ch = self.lock.lock();
            if ch.0 {
                ch.0 = false;
                return;
            }
            t.go_block(m, REASON_CHAN_RECV);
            ch.1 = true;
        }
        t.find_runnable(m);
        t.stop_m(m);
        self.wakeup.park();
        t.start_m(m);
        t.go_resume(m);
    }

    /// `sleep(0)` (`traceadvanceperiod=0`) by the goroutine of M `m`: the model lets the timer
    /// fire before the receive, which then does not block; the M still goes through
    /// `schedule` once.
    pub fn sleep_zero(&self, t: &Trace, m: usize) {
        drop(self.lock.lock());
        t.find_runnable(m);
    }

    /// `wake` on M `m` for the sleeper on M `sleeper`: a non-blocking send under the lock; a
    /// registered receiver is readied (`GoUnblock`, `wakep`), else the value is buffered.
    pub fn wake(&self, t: &Trace, m: usize, sleeper: usize) {
        let mut ch = self.lock.lock();
        if ch.1 {
            ch.1 = false;
            t.go_ready(m, sleeper);
            self.wakeup.unpark();
            t.wakep();
        } else {
            ch.0 = true;
        }
    }
}

impl Trace {
    /// `findRunnable`'s "Try to schedule the trace reader", on M `m`: readies the reader
    /// `traceReader` hands out (`GoUnblock` on `m`). Returns it.
    pub fn find_runnable(&self, m: usize) -> Option<u64> {
        self.safe_point(m);
        if !self.enabled() && !self.shutdown.load(Ordering::SeqCst) {
            return None;
        }
        let g = self.trace_reader()?;
        self.go_ready(m, self.m_of_reader(g));
        self.parkers[reader_index(g)].unpark();
        Some(g)
    }

    /// `wakep`: start an idle M (the poller) to run `findRunnable`.
    pub fn wakep(&self) {
        self.idle_m.unpark();
    }

    /// `semacquire` by the goroutine of M `m`, that may park: `park_m` → `schedule` polls first (the model cannot tell
    /// whether the wait will park, so it polls either way: at most one extra poll).
    pub fn semacquire(&self, m: usize, s: &sim::sync::Sema) {
        self.find_runnable(m);
        s.acquire();
    }

    /// The workload goroutines wait, parked, while tracing is off (harness: the test's workload
    /// is only interesting while it is traced). `StartTrace` and the end of the run wake them.
    pub fn wait_tracing(&self, worker: usize) {
        self.gates.wait(worker);
    }

    /// The M of reader goroutine `g`.
    pub fn m_of_reader(&self, g: u64) -> usize {
        self.m_of([role::READER, role::READER_B][reader_index(g)])
    }

    /// The sleeps of the current session: the CPU reader's and the advancer's.
    pub fn sleeps(&self) -> &[WakeableSleep; 2] {
        &self.sleeps[self.session.load(Ordering::SeqCst) as usize - 1]
    }
}

/// An idle M (`stopm`): parked until `wakep` starts it with an idle P (`ProcStart`); it runs
/// `findRunnable`'s trace-reader poll once, releases the P (`ProcStop`) and goes idle again,
/// until the run is over.
pub fn idle_m(t: &Trace) {
    let m = t.m_of(role::IDLE);
    loop {
        t.idle_m.park();
        if t.done.get() {
            break;
        }
        t.proc_start(m);
        t.find_runnable(m);
        t.proc_stop(m);
    }
}

impl Trace {
    /// `pidleget` (under `sched.lock`) then `acquirep` on M `m`: its idle P starts running
    /// (`ProcStart`, with the P's idle status first if not yet traced in this generation).
    pub fn proc_start(&self, m: usize) {
        let ms = &self.ms[m];
        self.pidle_get(m);
        self.traced_transition(
            m,
            false,
            |l, w| w.event(out::EV_PROC_START, &[ms.p, ms.next_p_seq(l.gen)]),
            || ms.p_running.store(true, Ordering::SeqCst),
        );
    }

    /// `findRunnable`'s "return P and block" by M `m`, whose goroutine has stopped or exited:
    /// under `sched.lock`, after re-checking `runSafePointFn`, `releasep` (`ProcStop`) and
    /// `pidleput`; then `stopm`.
    pub fn proc_stop(&self, m: usize) {
        let mut s = self.sched_past_safe_point(m);
        self.traced_transition(
            m,
            false,
            |_, w| w.event(out::EV_PROC_STOP, &[]),
            || self.ms[m].p_running.store(false, Ordering::SeqCst),
        );
        s.pidle[m] = true;
    }
}

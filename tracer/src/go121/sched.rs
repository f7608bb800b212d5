//! The scheduler as the go1.21 trace reader meets it (`runtime/proc.go`): `findRunnable` polls
//! `traceReader` on an M holding a P at every scheduling event (`Gosched`, `goexit0`, `park_m`,
//! a spinning M started by `wakep`); an M that finds nothing goes idle (`stopm`) until `wakep`.
//! `gopark(traceReaderParkCallback)` runs its callback in `park_m` on the parking M, which still
//! holds the reader's P, then calls `schedule()`, which polls again. So every `traceReader` call
//! holds a P, and `StopTrace`'s stop-the-world excludes all of them.

use super::wire::ev;
use crate::go121::control::start_pcs;
use crate::go121::emit::Writer;
use crate::go121::state::{goid, POwn, Trace};
use crate::variant::Variant;
use sim::sync::atomic::Ordering;

impl Trace {
    /// `findRunnable`'s "Try to schedule the trace reader", on the caller's P: readies the reader
    /// `traceReader` hands out (its `GoUnblock`, `traceGoUnpark(gp, 0)`). Returns it.
    pub fn find_runnable(&self, w: &mut Writer, own: &POwn<'_>) -> Option<u64> {
        if !self.enabled() && !self.shutdown.load() {
            return None;
        }
        let g = self.trace_reader(own)?;
        self.go_unpark(w, own, g);
        self.parkers[(g - goid::READER) as usize].unpark();
        Some(g)
    }

    /// `traceGoUnpark(gp)` on P `own`: the reader's `GoUnblock`.
    fn go_unpark(&self, w: &mut Writer, own: &POwn<'_>, g: u64) {
        let seq = self.next_seq(self.reader_slot(g));
        self.start_on_p(w, own);
        let pcs = start_pcs(w.goid);
        self.event_on_p(w, own, ev::EV_GO_UNBLOCK, &[g, seq], Some(&pcs));
    }

    /// `wakep`: start an idle M (the poller) to run `findRunnable`.
    pub fn wakep(&self) {
        self.idle_m.unpark();
    }

    /// `runtime.Gosched()` by the goroutine running on P `own`: `GoSched`, `schedule()` (which
    /// polls the trace reader), and the goroutine runs again (`GoStart`).
    pub fn gosched(&self, w: &mut Writer, own: &POwn<'_>) {
        if self.ps[own.p()].running_g.with(|v| *v) != w.goid {
            return;
        }
        let pcs = start_pcs(w.goid);
        self.event_on_p(w, own, ev::EV_GO_SCHED, &[], Some(&pcs));
        self.find_runnable(w, own);
        self.go_start(w, own);
    }

    /// `ReadTrace`'s `gopark(traceReaderParkCallback)`, by reader goroutine `w.goid` on its P:
    /// `GoBlock`, the callback, then `schedule()` on the same M; the reader sleeps until a
    /// `findRunnable` readies it, and `GoStart`s when it runs again.
    pub fn park_reader(&self, w: &mut Writer) {
        let held = self.acquire_p(self.p_of_reader(w.goid));
        let own = held.own();
        let pcs = start_pcs(w.goid);
        self.event_on_p(w, &own, ev::EV_GO_BLOCK, &[], Some(&pcs));
        if !self.park_callback(w.goid, &own) {
            let seq = self.next_seq(self.reader_slot(w.goid));
            self.event_on_p(w, &own, ev::EV_GO_UNBLOCK, &[w.goid, seq], Some(&pcs));
            return self.go_start(w, &own);
        }
        if self.find_runnable(w, &own) == Some(w.goid) {
            self.late_wakeups.add(1);
        }
        drop(held);
        self.parkers[(w.goid - goid::READER) as usize].park();
        let held = self.acquire_p(self.p_of_reader(w.goid));
        self.go_start(w, &held.own());
    }

    /// `execute(gp)`: the goroutine runs again on P `own` (`GoStart`).
    fn go_start(&self, w: &mut Writer, own: &POwn<'_>) {
        let seq = self.next_seq(w.gslot.expect("a goroutine"));
        self.event_on_p(w, own, ev::EV_GO_START, &[w.goid, seq], None);
    }

    /// The park callback (go1.21 `trace.go:533-552`): publish the reader, then re-check
    /// `traceReader` and decline to park if it hands out this reader (V1.7 skips the re-check).
    /// Returns whether the reader parks.
    fn park_callback(&self, g: u64, own: &POwn<'_>) -> bool {
        let published = self
            .reader
            .compare_exchange(0, g, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok();
        if !published {
            return false;
        }
        if self.cfg.variant == Variant::V1_7 {
            return true;
        }
        match self.trace_reader(own) {
            Some(g2) if g2 == g => false,
            Some(g2) => {
                sim::thread::note(&format!("runtime: got trace reader {g2} {g2}"));
                sim::invariant!(
                    false,
                    "I10",
                    "unexpected trace reader: reader goroutine {g}'s park callback got trace reader {g2}"
                );
                true
            }
            None => true,
        }
    }
}

//! `StartTrace` and `StopTrace` (go1.21 `runtime/trace.go`, §A.5.8–9): each under a
//! stop-the-world with `sched.sysmonlock` and `trace.bufLock` held. `StartTrace` snapshots every
//! goroutine and flips `enabled`; `StopTrace` drains the CPU ring, moves every buffer to the full
//! FIFO without `trace.lock` (STW excludes every other user), sets `shutdown`, restarts the
//! world, waits on `shutdownSema` for the reader's final nil, and checks the runtime's cleanup
//! assertions.

use super::wire::ev;
use crate::go121::emit::Writer;
use crate::go121::state::{goid, stw_own, POwn, Trace};
use crate::variant::Variant;
use sim::sync::atomic::Ordering;

/// The start PC of each modelled goroutine, as a one-frame stack.
pub fn start_pcs(g: u64) -> [u64; 1] {
    [0x40_0000 + 0x10 * g]
}

impl Trace {
    /// `StartTrace`, by the controller goroutine on its P. Err if tracing is already on.
    pub fn start_trace(&self, w: &mut Writer) -> Result<(), &'static str> {
        let _frame = sim::record::frame("StartTrace");
        let stw = self.world.stop();
        let _sysmon = self.sysmon.lock();
        let _buf = self.buf_lock.lock();
        if self.enabled() || self.shutdown.load() {
            return Err("tracing is already enabled");
        }
        let session = self.session.load() + 1;
        self.session.store(session);
        self.cleaned.set(false);
        w.starting = true;
        self.cpu.log_read.store(session, Ordering::SeqCst);
        self.cpu.log_write.store(session, Ordering::SeqCst);
        for s in &self.gseq {
            s.with_mut(|s| *s = 0);
        }
        self.with_queues(|q| {
            q.header_written = false;
            q.footer_written = false;
        });
        self.footer_written_racy.store(false);
        self.strings.reset_stw(self);
        self.reset_lifecycles(&stw);
        let own = stw_own(&stw, self.p_controller());
        self.snapshot(w, &own);
        self.set_enabled(true);
        w.starting = false;
        // startTheWorld → procresize → traceGomaxprocs, still under STW (Go's viewer needs it
        // for its utilization plots).
        let procs = self.ps.len() as u64;
        self.event_on_p(w, &own, ev::EV_GOMAXPROCS, &[procs], Some(&start_pcs(0)));
        drop(stw);
        self.wakep();
        Ok(())
    }

    /// The goroutine snapshot: `GoCreate` for every goroutine, then `ProcStart` and `GoStart`
    /// for the caller.
    fn snapshot(&self, w: &mut Writer, own: &POwn<'_>) {
        let p = own.p();
        let mut gs = vec![goid::CONTROLLER];
        let live = (0..self.cfg.emitters).filter(|&i| !self.exited[i].get());
        gs.extend(live.map(|i| goid::EMITTER + i as u64));
        let here = start_pcs(0);
        for g in gs {
            let new_stack = self.stacks.put(&start_pcs(g));
            self.event_on_p(w, own, ev::EV_GO_CREATE, &[g, new_stack], Some(&here));
        }
        let session = self.session.load();
        self.ps[p].session_seen.with_mut(|v| *v = session);
        self.event_on_p(w, own, ev::EV_PROC_START, &[p as u64], None);
        let seq = self.next_seq(0);
        self.event_on_p(w, own, ev::EV_GO_START, &[goid::CONTROLLER, seq], None);
    }

    /// `StopTrace`, by the controller goroutine.
    pub fn stop_trace(&self, w: &mut Writer) {
        let _frame = sim::record::frame("StopTrace");
        if !self.stop_world_and_flush(w) {
            return;
        }
        self.wakep();
        if self.cfg.variant != Variant::V1_10 {
            // semacquire parks the controller: park_m → schedule() → findRunnable polls.
            let held = self.acquire_p(self.p_controller());
            self.find_runnable(w, &held.own());
            drop(held);
            self.shutdown_sema.acquire();
        }
        let held = self.acquire_p(self.p_controller());
        self.cleanup(&held.own());
    }

    fn stop_world_and_flush(&self, w: &mut Writer) -> bool {
        let stw = self.world.stop();
        let _sysmon = self.sysmon.lock();
        let mut global = self.buf_lock.lock();
        if !self.enabled() {
            return false;
        }
        self.preempt_all(w, &stw);
        self.event_on_p(
            w,
            &stw_own(&stw, self.p_controller()),
            ev::EV_GO_SCHED,
            &[],
            Some(&start_pcs(0)),
        );
        self.sigprof_stw(w);
        self.cpu.log_write.store(0, Ordering::SeqCst);
        self.sigprof_stw(w);
        self.read_cpu(w);
        self.sigprof_stw(w);
        for p in 0..self.ps.len() {
            if let Some(b) = self.with_p_buf(&stw_own(&stw, p), |slot| slot.take()) {
                self.with_queues(|q| q.enqueue(b, &self.full_len));
            }
            self.ps[p].has_buf.store(false);
        }
        self.global_has_buf.store(false);
        let cpu_buf = self.cpu.with_log_buf(|slot| slot.take());
        for b in [global.take(), cpu_buf].into_iter().flatten() {
            self.with_queues(|q| q.enqueue(b, &self.full_len));
        }
        self.set_enabled(false);
        self.shutdown.store(true);
        true
    }

    /// The runtime's assertions after the reader finished, then the cleanup (§A.5.9).
    fn cleanup(&self, _own: &POwn<'_>) {
        let _g = self.lock.lock();
        for (p, slot) in self.ps.iter().enumerate() {
            let busy = slot.has_buf.load();
            sim::invariant!(!busy, "I10", "trace: non-empty trace buffer in proc (P {p} got a buffer after StopTrace flushed it)");
        }
        sim::invariant!(
            !self.global_has_buf.load(),
            "I10",
            "trace: non-empty global trace buffer (a P-less event was written after StopTrace flushed it)"
        );
        let (full, reading) = self.with_queues(|q| (q.full.len(), q.reading.is_some()));
        sim::invariant!(
            full == 0,
            "I10",
            "trace: non-empty full trace buffer ({full} buffers not read)"
        );
        let reader = self.reader.load(Ordering::SeqCst);
        sim::invariant!(
            !reading && reader == 0,
            "I10",
            "trace: reading after shutdown (reader goroutine {reader})"
        );
        self.with_queues(|q| q.empty.clear());
        self.strings.drop_after_stop(self);
        self.shutdown.store(false);
        self.cpu.log_read.store(0, Ordering::SeqCst);
        self.cleaned.set(true);
    }
}

//! `StartTrace` and `StopTrace`, after go1.22 `runtime/trace2.go:131-269` (§B.4): wait for a
//! previous cleanup (`traceShutdownSema`), hold `traceAdvanceSema` across the start, fresh
//! profBufs, `firstGen = lastNonZeroGen + 1`, reset the reader's state,
//! `traceRegisterLabelsAndReasons(firstGen)`, store `gen`, start the
//! CPU reader and the advancer (each with a fresh `wakeableSleep`), `wakep`. `StopTrace` is `traceAdvance(true)`; it stops the CPU reader
//! (`traceStopReadCPU`) and, after releasing `traceAdvanceSema`, the advancer.
//! Not modelled: stop-the-world, `exitingSyscall`, the STW/`ProcsChange` events.

use super::ghost::{Actor, Ghost};
use super::harness;
use super::state::{role, Trace};
use sim::sync::atomic::Ordering;
use sim::sync::Arc;
use sim::thread::JoinHandle;

impl Trace {
    /// `StartTrace`: spawns the CPU reader and the advancer (up to `advances` generations)
    /// and returns their handles; `Err` when tracing is on or shutting down.
    pub fn start_trace(
        self: &Arc<Self>,
        advances: usize,
    ) -> Result<Vec<JoinHandle<Ghost>>, &'static str> {
        if self.enabled() || self.shutdown.load(Ordering::SeqCst) {
            return Err("tracing is already enabled");
        }
        self.shutdown_sema.acquire();
        self.shutdown_sema.release();
        self.advance_sema.acquire();
        for p in &self.cpu.prof {
            p.ring.reset();
        }
        let first = self.last_nonzero_gen.load(Ordering::SeqCst) + 1;
        {
            let mut q = self.lock.lock();
            q.header_written = false;
            self.reader_gen.store(first, Ordering::SeqCst);
            self.flushed_gen.store(0, Ordering::SeqCst);
        }
        self.register_labels_and_reasons(first);
        let s = self.session.fetch_add(1, Ordering::SeqCst) as usize;
        self.last_nonzero_gen.store(first, Ordering::SeqCst);
        self.first_gen.store(first, Ordering::SeqCst);
        self.gen.store(first, Ordering::SeqCst);
        let c = controller_m(self);
        self.trace_own_p(c);
        self.go_create(c, self.m_of(role::CPU_READER));
        self.go_create(c, self.m_of(role::ADVANCER));
        let hs = vec![
            harness::spawn_cpu_reader(self, s),
            harness::spawn_advancer(self, s, advances),
        ];
        self.wakep();
        self.advance_sema.release();
        self.gates.open();
        Ok(hs)
    }

    /// `StopTrace`: `traceAdvance(true)` on actor `a`.
    pub fn stop_trace(&self, a: &mut Actor) {
        self.trace_advance(a, true);
    }

    /// `traceStopReadCPU` on M `m` (tracing is off): wake the CPU reader (`cpuSleep.wake`) so that it
    /// sees it and exits, and wait for it (`<-trace.cpuLogDone`).
    pub fn stop_read_cpu(&self, m: usize) {
        self.sleeps()[0].wake(self, m, self.m_of(role::CPU_READER));
        self.semacquire(m, &self.cpu_exited);
    }

    /// `traceAdvancer.stop()` on M `m`: wake the advancer (`timer.wake`) and wait for it (`<-s.done`).
    pub fn stop_advancer(&self, m: usize) {
        self.sleeps()[1].wake(self, m, self.m_of(role::ADVANCER));
        self.semacquire(m, &self.advancer_exited);
    }

    /// The M of role `r` as an actor.
    pub fn actor(&self, r: usize) -> Actor {
        Actor::on(self.m_of(r))
    }
}

/// The controller's M index.
pub fn controller_m(t: &Trace) -> usize {
    t.m_of(role::CONTROLLER)
}

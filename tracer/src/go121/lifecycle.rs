//! Goroutine and P lifecycles as the go1.21 runtime writes them into the trace
//! (`runtime/proc.go`: `execute` → `GoStart`, `goexit0` → `GoEnd`, `releasep` → `ProcStop`,
//! `gopreempt_m` → `GoPreempt`, `stopTheWorldWithSema`). Every slice a goroutine starts ends:
//! the goroutine ends (`GoEnd`) or blocks (`GoBlock`), or `StopTrace`'s stop-the-world preempts
//! it and stops its P, as the runtime does before `StopTrace` runs. Go's parser accepts an
//! unterminated slice; Go's viewer (`go tool trace`) dereferences the missing end and panics.

use super::wire::ev;
use crate::go121::emit::Writer;
use crate::go121::state::{stw_own, POwn, Trace};
use crate::go121::world::StwGuard;

impl Trace {
    /// Follows the P's trace state after event `typ` was written on P `p` by its owner.
    pub(crate) fn track(&self, p: usize, typ: u8, args: &[u64]) {
        let slot = &self.ps[p];
        match typ {
            ev::EV_PROC_START => slot.proc_on.with_mut(|v| *v = true),
            ev::EV_PROC_STOP => slot.proc_on.with_mut(|v| *v = false),
            ev::EV_GO_START => slot.running_g.with_mut(|v| *v = args[0]),
            ev::EV_GO_END
            | ev::EV_GO_BLOCK
            | ev::EV_GO_SCHED
            | ev::EV_GO_PREEMPT
            | ev::EV_GO_SYS_BLOCK => slot.running_g.with_mut(|v| *v = 0),
            _ => {}
        }
    }

    /// Forgets every P's trace state at `StartTrace` (under STW): a new trace starts with every
    /// P stopped and no goroutine running.
    pub(crate) fn reset_lifecycles(&self, _stw: &StwGuard<'_>) {
        for slot in &self.ps {
            slot.running_g.with_mut(|v| *v = 0);
            slot.proc_on.with_mut(|v| *v = false);
        }
    }

    /// `goexit0` then `findRunnable` finding nothing: `GoEnd`, then `ProcStop` as the M releases
    /// its P. The caller's goroutine must have run in this session, so it starts first if it has
    /// not (`execute`). Writes nothing while tracing is off.
    pub fn goexit(&self, w: &mut Writer, own: &POwn<'_>) {
        let p = own.p();
        self.start_on_p(w, own);
        if self.ps[p].running_g.with(|v| *v) == w.goid {
            self.event_on_p(w, own, ev::EV_GO_END, &[], None);
        }
        if self.ps[p].proc_on.with(|v| *v) {
            self.event_on_p(w, own, ev::EV_PROC_STOP, &[], None);
        }
    }

    /// `stopTheWorldWithSema` as the trace sees it: each running goroutine is preempted at its
    /// next safe point (`GoPreempt`, with its stack) and its M stops the P (`ProcStop`); idle Ps
    /// write nothing. Run by `StopTrace` under STW for every P but its own, into their buffers.
    pub(crate) fn preempt_all(&self, w: &mut Writer, stw: &StwGuard<'_>) {
        for p in (0..self.ps.len()).filter(|&p| p != self.p_controller()) {
            let own = stw_own(stw, p);
            let g = self.ps[p].running_g.with(|v| *v);
            if g != 0 {
                let pcs = crate::go121::control::start_pcs(g);
                self.event_on_p(w, &own, ev::EV_GO_PREEMPT, &[], Some(&pcs));
            }
            if self.ps[p].proc_on.with(|v| *v) {
                self.event_on_p(w, &own, ev::EV_PROC_STOP, &[], None);
            }
        }
    }
}

//! Goroutines as the go1.22 tracer sees them (`runtime/trace2status.go`, `trace2runtime.go`,
//! `proc.go`): each modelled M runs at most one goroutine of its own; a goroutine's status
//! changes only inside a traceLocker (`casgstatus` between `traceAcquire` and `traceRelease`),
//! and its status is traced at most once per generation (`statusTraced`/`acquireStatus`), by
//! whoever first writes an event about it there, or by `traceAdvance` (steps 3 and 9) for the
//! goroutines nobody mentioned. Per-goroutine sequence numbers order `GoUnblock` and `GoStart`
//! across Ms (`nextSeq`).

use super::locker::{Locker, Writer};
use super::out;
use super::state::Trace;
use super::strings;
use sim::cell::Shared;
use sim::sync::atomic::{AtomicU64, Ordering};

/// `_Gdead` (or never created): not in the trace.
pub const DEAD: u64 = 0;
pub use super::wire::ev::{GO_RUNNABLE as RUNNABLE, GO_RUNNING as RUNNING, GO_WAITING as WAITING};

/// One goroutine (`g.trace` plus `atomicstatus`).
pub struct GSlot {
    /// `goid`.
    pub id: u64,
    /// `atomicstatus`, in trace terms.
    pub status: AtomicU64,
    /// `statusTraced[gen%2]`: the generation whose status each slot records (two are live at
    /// once: the one being finished and the current one).
    traced: [AtomicU64; 2],
    /// `trace.seq`, as `(generation, seq)`: plain fields in Go, written by whoever owns the
    /// goroutine's transition (itself, or the waker that readies it); race-checked.
    seq: Shared<(u64, u64)>,
}

impl GSlot {
    /// Goroutine `id` with status `status`.
    pub fn new(id: u64, status: u64) -> Self {
        Self {
            id,
            status: AtomicU64::new(status),
            traced: [AtomicU64::new(0), AtomicU64::new(0)],
            seq: Shared::new("g.trace.seq", (0, 0)),
        }
    }

    /// `acquireStatus(gen)`: whether the caller is the one to trace the status in `gen`.
    pub fn acquire_status(&self, gen: u64) -> bool {
        // One atomic, as Go's `CompareAndSwap(0, 1)`: storing `gen` over `gen` changes nothing.
        self.traced[(gen % 2) as usize].swap(gen, Ordering::SeqCst) != gen
    }

    /// `statusWasTraced(gen)`.
    pub fn status_was_traced(&self, gen: u64) -> bool {
        self.traced[(gen % 2) as usize].load(Ordering::SeqCst) == gen
    }

    /// `nextSeq(gen)`: only the goroutine's current owner calls it.
    fn next_seq(&self, gen: u64) -> u64 {
        next_seq(&self.seq, gen)
    }
}

/// The goroutine id of the goroutine that M `m` runs.
pub fn goid_of(m: usize) -> u64 {
    1000 + m as u64
}

impl Trace {
    /// `gopark` → `park_m`, by the goroutine of M `m`: `GoBlock(reason)` (the reason's id
    /// registered for the generation, `trace.goBlockReasons[gen%2]`), then `_Gwaiting`.
    pub fn go_block(&self, m: usize, reason: u64) {
        self.traced_transition(
            m,
            true,
            |l, w| {
                let r = self.block_reason(l.gen, reason);
                w.event(out::EV_GO_BLOCK, &[r, 0]);
            },
            || self.gs[m].status.store(WAITING, Ordering::SeqCst),
        );
    }

    /// A state change Go makes inside a traceLocker of M `m`: while tracing, `write` writes its
    /// event (after the P's and, `with_g`, the goroutine's status if not yet traced), then
    /// `transition` changes the state, then the locker is released.
    pub(super) fn traced_transition(
        &self,
        m: usize,
        with_g: bool,
        write: impl FnOnce(&Locker<'_>, &mut Writer<'_>),
        transition: impl FnOnce(),
    ) {
        let l = self.acquire(m);
        if let Some(l) = &l {
            let mut w = if with_g { l.writer() } else { l.writer_no_g() };
            write(l, &mut w);
            w.end();
        }
        transition();
        if let Some(l) = l {
            l.release();
        }
    }

    /// `ready(gp)` on M `m` (the waker): `_Gwaiting` → `_Grunnable` and `GoUnblock`, with the
    /// goroutine's waiting status first if not yet traced in this generation
    /// (`emitUnblockStatus`). Nothing if `gp` is not waiting yet: it then declines its park.
    pub fn go_ready(&self, m: usize, gp: usize) {
        let l = self.acquire(m);
        let g = &self.gs[gp];
        let readied = g
            .status
            .compare_exchange(WAITING, RUNNABLE, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok();
        if let Some(l) = l {
            if readied {
                let mut w = l.writer();
                if g.acquire_status(l.gen) {
                    w.event(out::EV_GO_STATUS, &[g.id, out::NO_M, WAITING]);
                }
                w.event(out::EV_GO_UNBLOCK, &[g.id, g.next_seq(l.gen), 0]);
                w.end();
            }
            l.release();
        }
    }

    /// `execute(gp)` on its own M `m` after a park: `GoStart`. A goroutine nobody readied (its
    /// wake came before it was waiting) unblocks itself first, as `park_m` does when the park
    /// is declined.
    pub fn go_resume(&self, m: usize) {
        let l = self.acquire(m);
        let g = &self.gs[m];
        let declined = g
            .status
            .compare_exchange(WAITING, RUNNING, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok();
        g.status.store(RUNNING, Ordering::SeqCst);
        if let Some(l) = l {
            let mut w = l.writer_no_g();
            if g.acquire_status(l.gen) {
                let st = if declined { WAITING } else { RUNNABLE };
                w.event(out::EV_GO_STATUS, &[g.id, out::NO_M, st]);
            }
            if declined {
                w.event(out::EV_GO_UNBLOCK, &[g.id, g.next_seq(l.gen), 0]);
            }
            w.event(out::EV_GO_START, &[g.id, g.next_seq(l.gen)]);
            w.end();
            l.release();
        }
    }

    /// `newproc` by the goroutine of M `m`: goroutine `gp` becomes runnable (`GoCreate`, which
    /// also counts as its status in this generation).
    pub fn go_create(&self, m: usize, gp: usize) {
        let l = self.acquire(m);
        let g = &self.gs[gp];
        g.status.store(RUNNABLE, Ordering::SeqCst);
        if let Some(l) = l {
            g.traced[(l.gen % 2) as usize].store(l.gen, Ordering::SeqCst);
            let mut w = l.writer();
            w.event(out::EV_GO_CREATE, &[g.id, 0, 0]);
            w.end();
            l.release();
        }
    }

    /// `goexit0` on M `m`: `GoDestroy` (Go's `GoEnd`), then `_Gdead`.
    pub fn go_exit(&self, m: usize) {
        self.traced_transition(
            m,
            true,
            |_, w| w.event(out::EV_GO_DESTROY, &[]),
            || self.gs[m].status.store(DEAD, Ordering::SeqCst),
        );
    }

    /// `traceAdvance` step 3: the goroutines whose status is not traced in `gen`, with the
    /// status and M read now (`suspendG` in Go; here each status changes only inside a
    /// traceLocker, so a later change is traced).
    pub fn untraced_gs(&self, gen: u64) -> Vec<(usize, u64)> {
        let mut v = Vec::new();
        for (i, g) in self.gs.iter().enumerate() {
            if g.status_was_traced(gen) {
                continue;
            }
            let st = g.status.load(Ordering::SeqCst);
            if st != DEAD {
                v.push((i, st));
            }
        }
        v
    }

    /// `traceAdvance` step 9 (every M has stopped writing `gen`): a `GoStatus` in `gen` for each
    /// goroutine still untraced there, through a writer with no M. Go's step 3 `suspendG`s a
    /// running goroutine, which then traces its own stop; the model does not preempt, so a
    /// running goroutine's status goes into a batch of its own M (Go's validator binds a
    /// running goroutine to the event's thread).
    pub fn trace_untraced_gs(&self, gen: u64, gs: &[(usize, u64)]) {
        let mut w = super::locker::Writer::unowned(self, gen, None);
        for &(i, st) in gs {
            let g = &self.gs[i];
            if g.status_was_traced(gen) {
                continue;
            }
            if st == RUNNING {
                let m = self.ms[i].id;
                let mut wm = super::locker::Writer::batch_of(self, gen, m);
                wm.event(out::EV_GO_STATUS, &[g.id, m, st]);
                wm.flush();
            } else {
                w.event(out::EV_GO_STATUS, &[g.id, out::NO_M, st]);
            }
        }
        w.flush();
    }
}

/// The block reasons the model's goroutines park with (`traceBlockReasonStrings`).
pub mod reason {
    pub use super::strings::{REASON_CHAN_RECV, REASON_SYNC, REASON_SYSTEM};
}

/// `nextSeq(gen)` on a `(generation, seq)` cell: the counter restarts in each generation.
pub(super) fn next_seq(cell: &Shared<(u64, u64)>, gen: u64) -> u64 {
    cell.with_mut(|(g, seq)| {
        if *g != gen {
            (*g, *seq) = (gen, 0);
        }
        *seq += 1;
        *seq
    })
}

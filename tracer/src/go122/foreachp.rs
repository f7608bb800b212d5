//! `forEachP` as `traceAdvance` step 11 uses it, after go1.22 `runtime/proc.go:1894-2035`
//! (`forEachP`, `forEachPInternal`, `runSafePointFn`) and the P hand-offs it races with
//! (`findRunnable`'s safe-point checks, `releasep`/`pidleput`, `pidleget`/`acquirep`).
//!
//! Under `sched.lock` the caller sets `sched.safePointWait` and asks every P it cannot handle
//! itself to run the function (`p.runSafePointFn`); it runs the function for the idle Ps
//! (`sched.pidle`) itself, then for its own P, then sleeps on `sched.safePointNote` until the
//! last P that ran it wakes the note. A P's M runs it at its next safe point: the top of
//! `findRunnable` (every scheduling event of the model: `Gosched`, `goexit0`, a park) and the
//! re-check under `sched.lock` before it gives up its P. The function is step 11's: a
//! `ProcStatus` for the P if its status is not yet traced in the new generation.
//!
//! One approximation. In Go a goroutine that parks (or exits) gives its P up; the model keeps
//! the P of a parked system goroutine running (its M writes no `ProcStop`), so the M is marked
//! `parked` under `sched.lock` instead ([`Trace::stop_m`]), and forEachP's caller handles such a
//! P as Go handles an idle one, writing the status the trace gives it (running) in a batch of
//! that M, under `sched.lock`: the M must take `sched.lock` to run again ([`Trace::start_m`]),
//! so its later events follow in time and in the M's order. The model also skips the
//! `runSafePointFn` store and CAS for the Ps the caller handles (no one else can run the
//! function for them while `sched.lock` is held), Go's `preemptall`, the `_Psyscall` hand-off
//! (no syscalls are modelled) and the final per-P "did not run fn" scan (each decrement of
//! `safePointWait` follows a won CAS, so `safePointWait == 0` implies it).

use super::locker::Writer;
use super::out;
use super::state::Trace;
use sim::sync::atomic::Ordering;
use sim::sync::MutexGuard;

/// The fields of `sched` (behind `sched.lock`) that `forEachP` and the P hand-offs use.
#[derive(Debug, Default)]
pub struct Sched {
    /// `sched.safePointWait`: Ps still to run the function.
    pub safe_point_wait: usize,
    /// `sched.pidle`: whether the P of M `i` is idle.
    pub pidle: Vec<bool>,
    /// Whether M `i`'s goroutine is parked (or gone) with the P the model keeps running.
    pub parked: Vec<bool>,
}

impl Trace {
    /// `forEachP(waitReasonTraceProcStatus, fn)` by M `m`, with step 11's function.
    pub fn for_each_p(&self, m: usize) {
        let wait = {
            let mut s = self.sched.lock();
            sim::invariant!(
                s.safe_point_wait == 0,
                "I10",
                "forEachP: sched.safePointWait != 0"
            );
            for i in (0..self.ms.len()).filter(|&i| i != m) {
                if s.pidle[i] || s.parked[i] {
                    self.proc_status_fn(m, i, s.parked[i]);
                } else {
                    s.safe_point_wait += 1;
                    self.ms[i].run_safe_point_fn.store(true, Ordering::SeqCst);
                }
            }
            s.safe_point_wait > 0
        };
        self.proc_status_fn(m, m, false);
        if wait {
            self.safe_point_note.acquire();
        }
        let s = self.sched.lock();
        sim::invariant!(s.safe_point_wait == 0, "I10", "forEachP: not done");
    }

    /// Step 11's function for the P of M `p`, run on M `by` (`traceAcquire`, the P's status if
    /// not yet traced in this generation, `traceRelease`). `by == p` on the P's own M; an idle
    /// P is written idle in `by`'s buffer; the P of a parked M (see the module docs) running, in
    /// a batch of that M.
    fn proc_status_fn(&self, by: usize, p: usize, parked: bool) {
        let Some(l) = self.acquire(by) else {
            return;
        };
        let ms = &self.ms[p];
        if ms.p_status_gen.swap(l.gen, Ordering::SeqCst) != l.gen {
            let idle = by != p && !parked;
            let st = if idle {
                out::PROC_IDLE
            } else {
                out::PROC_RUNNING
            };
            if parked {
                let mut w = Writer::batch_of(self, l.gen, ms.id);
                w.event(out::EV_PROC_STATUS, &[ms.p, st]);
                w.flush();
            } else {
                let mut w = l.plain_writer();
                w.event(out::EV_PROC_STATUS, &[ms.p, st]);
                w.end();
            }
        }
        l.release();
    }

    /// `runSafePointFn` at a safe point of M `m`: if asked and first to claim it, run the
    /// function for its own P, then count down `safePointWait` under `sched.lock` and wake the
    /// note when it reaches zero.
    pub fn safe_point(&self, m: usize) {
        let f = &self.ms[m].run_safe_point_fn;
        if !f.load_plain() {
            return;
        }
        if f.compare_exchange(true, false, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            return;
        }
        self.proc_status_fn(m, m, false);
        let mut s = self.sched.lock();
        s.safe_point_wait -= 1;
        if s.safe_point_wait == 0 {
            self.safe_point_note.release();
        }
    }

    /// The M of a goroutine that parks or exits, after `findRunnable`'s poll, stops: under
    /// `sched.lock`, re-checking `runSafePointFn` first (as `findRunnable` does before it gives
    /// up its P), it is marked parked.
    pub fn stop_m(&self, m: usize) {
        self.sched_past_safe_point(m).parked[m] = true;
    }

    /// `sched.lock`, taken by M `m` once no safe-point function is pending for its P: while
    /// `runSafePointFn` is set under the lock, the M drops it and runs the function first.
    pub(super) fn sched_past_safe_point(&self, m: usize) -> MutexGuard<'_, Sched> {
        loop {
            let s = self.sched.lock();
            if !self.ms[m].run_safe_point_fn.load_plain() {
                return s;
            }
            drop(s);
            self.safe_point(m);
        }
    }

    /// The M of a goroutine that runs again (readied, or newly started) leaves the parked
    /// state under `sched.lock` (Go's `pidleget` before `acquirep`).
    pub fn start_m(&self, m: usize) {
        self.sched.lock().parked[m] = false;
    }

    /// `pidleget` by M `m` for its own P (`sched.lock`), before `acquirep`.
    pub fn pidle_get(&self, m: usize) {
        self.sched.lock().pidle[m] = false;
    }
}

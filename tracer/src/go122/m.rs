//! Per-M trace state, after go1.22 `runtime/trace2runtime.go` (`mTraceState`): the double
//! buffer `buf[gen%2]` and the `seqlock` that is odd while the M writes.
//!
//! Ownership (§G.3): `buf[g%2]` belongs to the M while it writes; the advancer may take it
//! under `trace.lock` after observing an even seqlock. A ghost `busy` flag per slot checks that
//! rule (I4) before any access; the slots are race-checked [`Shared`] cells.

use super::buf::TraceBuf;
use sim::cell::Shared;
use sim::ghost::Flag;
use sim::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// One M.
pub struct MSlot {
    /// `procid`, as written in batch headers.
    pub id: u64,
    /// The P this M holds (each modelled M keeps one P).
    pub p: u64,
    /// `mp.trace.seqlock`.
    pub seqlock: AtomicU64,
    bufs: [Shared<Option<Box<TraceBuf>>>; 2],
    busy: [Flag; 2],
    /// The generation whose `ProcStatus` this M's P has emitted (`statusTraced`).
    pub p_status_gen: AtomicU64,
    /// The P is running (held by this M); false while it is idle (`releasep`).
    pub p_running: AtomicBool,
    /// The P's `trace.seq` as `(generation, seq)` (for `ProcStart`; only its owner writes it).
    p_seq: Shared<(u64, u64)>,
    /// The P's `runSafePointFn`: `forEachP` asks it to run the function at its next safe point.
    pub run_safe_point_fn: AtomicBool,
}

impl MSlot {
    /// M `id` holding P `p`.
    pub fn new(id: u64, p: u64) -> Self {
        Self {
            id,
            p,
            seqlock: AtomicU64::new(0),
            bufs: [
                Shared::new("m.trace.buf[0]", None),
                Shared::new("m.trace.buf[1]", None),
            ],
            busy: [Flag::new(false), Flag::new(false)],
            p_status_gen: AtomicU64::new(0),
            p_running: AtomicBool::new(true),
            p_seq: Shared::new("p.trace.seq", (0, 0)),
            run_safe_point_fn: AtomicBool::new(false),
        }
    }

    /// The P's `nextSeq(gen)` (only its owner calls it).
    pub fn next_p_seq(&self, gen: u64) -> u64 {
        super::g::next_seq(&self.p_seq, gen)
    }

    /// Takes `buf[gen%2]` for writing (the M, inside traceAcquire, or the advancer under
    /// `trace.lock` after an even seqlock). Fails I4 if someone else is writing into it.
    #[track_caller]
    pub fn take(&self, gen: u64) -> Option<Box<TraceBuf>> {
        let i = (gen % 2) as usize;
        let was = self.busy[i].get();
        self.busy[i].set(true);
        sim::invariant!(
            !was,
            "I4",
            "{} takes M {}'s buf[{i}] (gen {gen}) while another actor writes into it \
             (the advancer flushed an M whose seqlock was odd)",
            sim::thread::current_name(),
            self.id
        );
        self.bufs[i].with_mut(Option::take)
    }

    /// Puts `buf[gen%2]` back after writing.
    pub fn put(&self, gen: u64, b: Option<Box<TraceBuf>>) {
        let i = (gen % 2) as usize;
        self.bufs[i].with_mut(|slot| *slot = b);
        self.busy[i].set(false);
    }

    /// Whether the seqlock is odd (the M is inside a traceLocker or a SIGPROF write).
    pub fn writing(&self) -> bool {
        self.seqlock.load(Ordering::SeqCst) % 2 == 1
    }
}

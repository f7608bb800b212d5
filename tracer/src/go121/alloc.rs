//! The allocation path as the go1.21 tracer reaches it (`runtime/malloc.go` `mallocgc`): every
//! allocation may queue a finalizer, which Go annotates with `lockRankMayQueueFinalizer` (a
//! may-acquire of `fin` on every call, so no contention is needed for a rank report), and an
//! allocation whose span cache is empty refills it under `mheap_.lock`. The tracer allocates in
//! `traceStackTable.dump` (`fpunwindExpand` and `traceFrames` each `make` a slice per stack) and
//! when `traceString` grows `trace.strings`; `traceFlush` uses `sysAlloc`, which takes no lock.

use crate::go121::locks;
use crate::go121::state::Trace;

impl Trace {
    /// `mallocgc`: the finalizer-queue may-acquire, then, when `refill`, the heap lock.
    #[track_caller]
    pub fn mallocgc(&self, refill: bool) {
        sim::sync::may_acquire(&locks::FIN);
        if refill {
            drop(self.mheap.lock());
        }
    }
}

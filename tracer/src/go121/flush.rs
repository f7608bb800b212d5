//! `traceFlush` (go1.21 `runtime/trace.go`): under `trace.lock`, queue the old buffer on the
//! full FIFO, take a buffer from the free list (or allocate one) and start a batch in it.
//! Before 94a948d (variants V1.1, V1.3) the lock is skipped when `lockOwner` names the caller's
//! goroutine; `lockRankMayTraceFlush` is the may-acquire annotation of every event.

use super::wire::enc;
use crate::go121::buf::TraceBufPtr;
use crate::go121::locks;
use crate::go121::state::Trace;
use sim::sync::Reentry;

impl Trace {
    /// `traceFlush(buf, pid)`: returns a fresh buffer holding a batch header for `pid`.
    #[track_caller]
    pub fn flush(&self, goid: u64, old: Option<TraceBufPtr>, pid: i32) -> TraceBufPtr {
        let _frame = sim::record::frame("traceFlush");
        let guard = if self.cfg.variant.reentrant_lock() {
            match self.lock.lock_unless_owner(goid) {
                Reentry::Owned => None,
                Reentry::Locked(g) => Some(g),
            }
        } else {
            Some(self.lock.lock())
        };
        let b = self.with_queues(|q| {
            if let Some(b) = old {
                q.enqueue(b, &self.full_len);
                q.boundary_flushes += 1;
            }
            match q.empty.pop() {
                Some(b) => {
                    q.reuses += 1;
                    b
                }
                None => {
                    q.allocations += 1;
                    TraceBufPtr::new(self.cfg.buf_bytes)
                }
            }
        });
        let id = self.buf_id();
        let ts = self.tick();
        b.with_mut(|b| {
            b.reset(id, pid);
            enc::batch(&mut b.bytes, pid, ts);
            b.last_ticks = ts;
        });
        drop(guard);
        b
    }

    /// `lockRankMayTraceFlush`: any event may flush, so every event may acquire `trace.lock`.
    /// Before 94a948d the owner goroutine skipped the annotation, as it skipped the lock.
    pub fn may_flush(&self, goid: u64) {
        if self.cfg.variant.reentrant_lock() && self.lock.owner() == goid {
            return;
        }
        sim::sync::may_acquire(&locks::TRACE);
    }

    /// Makes sure `slot` holds a buffer with `need` free bytes, flushing it otherwise.
    #[track_caller]
    pub fn ensure_room(&self, goid: u64, slot: &mut Option<TraceBufPtr>, pid: i32, need: usize) {
        if slot.as_ref().is_none_or(|b| b.with(|b| b.room()) < need) {
            let old = slot.take();
            *slot = Some(self.flush(goid, old, pid));
        }
    }
}

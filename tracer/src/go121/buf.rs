//! `traceBuf`: a buffer of encoded events with its batch header (`runtime/trace.go`
//! `traceBuf`, `traceBufHeader`), and `traceBufPtr`, the handle every queue and slot holds.
//! Capacity is a parameter: tiny under simulation so that every execution flushes and recycles,
//! 64 KiB on real threads.
//!
//! Go passes buffers around as pointers: the writer that queued one still has its address, and
//! the reader copies `trace.reading` after unlocking. So does the model: a [`TraceBufPtr`] is a
//! shared handle to a [`Shared`] cell, and every access to the buffer goes through the cell. A
//! write into a queued buffer, or a reuse of `trace.reading` while its consumer copies it, is then
//! two accesses that nothing orders: the race detector reports it (`data_race`, with its seed),
//! and I4's hash comparison catches what the detector cannot (an ordered but late write).

use sim::cell::Shared;
use sim::sync::Arc;

/// A trace buffer; see the module docs.
#[derive(Debug)]
pub struct TraceBuf {
    /// Ghost identity (for reports), assigned at every reuse.
    pub id: u64,
    /// The P the batch belongs to (−1: global buffer; 0 also for CPU samples and the footer).
    pub pid: i32,
    /// Encoded bytes: batch header first.
    pub bytes: Vec<u8>,
    /// Timestamp of the last event (`lastTicks`): deltas are taken from it.
    pub last_ticks: u64,
    /// Ghost (I4): the hash of `bytes` when the buffer was queued on the full FIFO.
    pub flushed_hash: u64,
    /// Ghost (I4): the reader goroutine this buffer is lent to as `trace.reading` (0: none).
    pub lent_to: u64,
    cap: usize,
}

/// `traceBufPtr`: a handle to a buffer; clones name the same buffer (see the module docs).
#[derive(Clone)]
pub struct TraceBufPtr(Arc<Shared<TraceBuf>>);

impl std::fmt::Debug for TraceBufPtr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "traceBufPtr({:p})", Arc::as_ptr(&self.0))
    }
}

impl PartialEq for TraceBufPtr {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for TraceBufPtr {}

impl TraceBufPtr {
    /// An empty buffer of `cap` bytes (`sysAlloc`); the Vec never grows past it.
    pub fn new(cap: usize) -> Self {
        let b = TraceBuf {
            id: 0,
            pid: 0,
            bytes: Vec::with_capacity(cap),
            last_ticks: 0,
            flushed_hash: 0,
            lent_to: 0,
            cap,
        };
        Self(Arc::new(Shared::new("traceBuf", b)))
    }

    /// Reads the buffer (race-checked under simulation).
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(&TraceBuf) -> R) -> R {
        self.0.with(f)
    }

    /// Writes the buffer (race-checked under simulation).
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(&mut TraceBuf) -> R) -> R {
        self.0.with_mut(f)
    }
}

impl TraceBuf {
    /// Free bytes.
    pub fn room(&self) -> usize {
        self.cap.saturating_sub(self.bytes.len())
    }

    /// Resets the buffer for reuse by P `pid`.
    pub fn reset(&mut self, id: u64, pid: i32) {
        self.id = id;
        self.pid = pid;
        self.bytes.clear();
        self.last_ticks = 0;
        self.lent_to = 0;
    }

    /// The hash I4 compares: FNV-1a of the bytes.
    pub fn hash(&self) -> u64 {
        sim::runner::fnv1a(self.bytes.iter().copied())
    }

    /// The delta from the previous event to `ts`, and records `ts` (the runtime's `tickDiff`).
    pub fn delta(&mut self, ts: u64) -> u64 {
        assert!(
            ts > self.last_ticks,
            "invariant I3 violated: timestamp {ts} not after {} in buffer {} (P {})",
            self.last_ticks,
            self.id,
            self.pid
        );
        let d = ts - self.last_ticks;
        self.last_ticks = ts;
        d
    }
}

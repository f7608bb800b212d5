//! `profBuf` (`runtime/profbuf.go`, the same in go1.21 and go1.22): the bounded
//! single-writer single-reader ring through which the SIGPROF handler hands CPU samples to the
//! tracer. A full ring drops the sample and counts it (`b.overflow`); the next write with room
//! for two records first writes an overflow record, and a read that finds no data returns a
//! pending count as one. Both tracers' drains skip overflow records ("we only want to report
//! full records", go1.22 `traceReadCPU`); go1.21's counts them for its accounting.
//!
//! The indices are the atomics Go's are (each a scheduling point); a slot is a race-checked
//! cell, written by the single writer before it publishes `w` and read after loading `w`, so a
//! slot read before it is filled (publish before fill) is a `data_race`.

use sim::cell::Shared;
use sim::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// One record in the ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record<T> {
    /// A sample.
    Sample(T),
    /// An overflow record: how many samples the full ring dropped (Go's all-zero header).
    Lost(u64),
}

/// See the module docs.
pub struct ProfBuf<T> {
    slots: Vec<Shared<Record<T>>>,
    w: AtomicU64,
    r: AtomicU64,
    overflow: AtomicU64,
}

impl<T: Copy> ProfBuf<T> {
    /// A ring of `cap` records (at least one), its slots named `name` in reports.
    pub fn new(name: &'static str, cap: usize) -> Self {
        Self {
            slots: (0..cap.max(1))
                .map(|_| Shared::new(name, Record::Lost(0)))
                .collect(),
            w: AtomicU64::new(0),
            r: AtomicU64::new(0),
            overflow: AtomicU64::new(0),
        }
    }

    /// Writes a sample (after a pending overflow record, when both fit); returns its position,
    /// or `None` if it was dropped and counted.
    pub fn write(&self, s: T) -> Option<u64> {
        let (w, r) = (self.w.load(Ordering::SeqCst), self.r.load(Ordering::SeqCst));
        let pending = self.overflow.load(Ordering::SeqCst);
        let need = if pending > 0 { 2 } else { 1 };
        if w - r + need > self.slots.len() as u64 {
            self.overflow.fetch_add(1, Ordering::SeqCst);
            return None;
        }
        let mut w = w;
        if pending > 0 {
            let lost = self.overflow.swap(0, Ordering::SeqCst);
            self.put(w, Record::Lost(lost));
            w += 1;
        }
        self.put(w, Record::Sample(s));
        Some(w)
    }

    fn put(&self, w: u64, rec: Record<T>) {
        self.slots[(w % self.slots.len() as u64) as usize].with_mut(|slot| *slot = rec);
        self.w.store(w + 1, Ordering::SeqCst);
    }

    /// Reads the next record, if any (single reader); with no data, a pending overflow count is
    /// returned as an overflow record.
    pub fn read(&self) -> Option<Record<T>> {
        let r = self.r.load(Ordering::SeqCst);
        if r >= self.w.load(Ordering::SeqCst) {
            let lost = self.overflow.swap(0, Ordering::SeqCst);
            return (lost > 0).then_some(Record::Lost(lost));
        }
        let rec = self.slots[(r % self.slots.len() as u64) as usize].with(|slot| *slot);
        self.r.store(r + 1, Ordering::SeqCst);
        Some(rec)
    }

    /// How many records were drained (records at or past it were never read).
    pub fn read_pos(&self) -> u64 {
        self.r.load(Ordering::SeqCst)
    }

    /// Samples dropped and not yet reported by an overflow record.
    pub fn overflow_pending(&self) -> u64 {
        self.overflow.load(Ordering::SeqCst)
    }

    /// A fresh ring (`newProfBuf` at `StartTrace`): what is left unread is dropped.
    pub fn reset(&self) {
        self.r
            .store(self.w.load(Ordering::SeqCst), Ordering::SeqCst);
        self.overflow.store(0, Ordering::SeqCst);
    }
}

/// `trace.signalLock`: the spin flag that serialises SIGPROF handlers writing into the ring
/// (a handler cannot block; `profBuf` has a single writer).
pub struct SignalLock(AtomicBool);

impl Default for SignalLock {
    fn default() -> Self {
        Self::new()
    }
}

impl SignalLock {
    /// An unheld flag.
    pub fn new() -> Self {
        Self(AtomicBool::new(false))
    }

    /// Spins until the flag is ours (`signalLock.CompareAndSwap(0, 1)` in a loop).
    pub fn lock(&self) {
        while self
            .0
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            sim::thread::spin_loop();
        }
    }

    /// Releases the flag (`signalLock.Store(0)`).
    pub fn unlock(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

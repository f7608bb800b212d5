//! Observer state: what the checks and the harness share between simulated threads, which the
//! code under test does not have (Go has no such field), and the CPU's tick counter.
//!
//! A model that kept its bookkeeping in facade atomics would perturb what it observes twice:
//! every access would be a scheduling point (steps spent on interleavings of the observer, not
//! of the tracer: a third of go1.21's steps, STRESS.md §6.12), and every access would be a
//! `SeqCst` synchronisation for the race detector, ordering the model's threads where Go orders
//! nothing, which can hide a race. The types here are neither: no scheduling point, no
//! happens-before edge, not recorded. Keep them for state the code under test never reads to
//! decide what to do next, and for the clock; the model's own shared fields belong in cells
//! ([`crate::cell`]) or facade atomics ([`crate::sync::atomic`]).
//!
//! All simulated threads of one execution run on one OS thread, so relaxed std atomics are
//! exact there; on real threads they are relaxed atomics, as cheap as Go's counters.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};

/// A counter the checks keep (bytes delivered, puts in progress, ids handed out).
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// A counter starting at `v`.
    pub const fn new(v: u64) -> Self {
        Self(AtomicU64::new(v))
    }
    /// The value.
    pub fn get(&self) -> u64 {
        self.0.load(Relaxed)
    }
    /// Sets the value.
    pub fn set(&self, v: u64) {
        self.0.store(v, Relaxed)
    }
    /// Adds `n`, returning the previous value.
    pub fn add(&self, n: u64) -> u64 {
        self.0.fetch_add(n, Relaxed)
    }
    /// Subtracts `n`, returning the previous value.
    pub fn sub(&self, n: u64) -> u64 {
        self.0.fetch_sub(n, Relaxed)
    }
}

/// A flag the checks or the harness keep (a session cleaned up, an actor exited).
#[derive(Debug, Default)]
pub struct Flag(AtomicBool);

impl Flag {
    /// A flag set to `v`.
    pub const fn new(v: bool) -> Self {
        Self(AtomicBool::new(v))
    }
    /// Whether it is set.
    pub fn get(&self) -> bool {
        self.0.load(Relaxed)
    }
    /// Sets it to `v`.
    pub fn set(&self, v: bool) {
        self.0.store(v, Relaxed)
    }
}

/// The CPU's timestamp counter (Go's `cputicks`): strictly increasing across all threads, and
/// it orders nothing: reading it is not a memory operation another thread can observe, so it is
/// neither a scheduling point nor a synchronisation.
#[derive(Debug, Default)]
pub struct Ticks(AtomicU64);

impl Ticks {
    /// A counter that has not ticked yet.
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }
    /// The next tick: 1, 2, 3, … over all threads.
    pub fn now(&self) -> u64 {
        self.0.fetch_add(1, Relaxed) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_flags_and_ticks_keep_their_values() {
        let c = Counter::new(5);
        assert_eq!(c.add(3), 5);
        assert_eq!(c.sub(1), 8);
        assert_eq!(c.get(), 7);
        c.set(0);
        assert_eq!(c.get(), 0);
        let f = Flag::default();
        assert!(!f.get());
        f.set(true);
        assert!(f.get());
        let t = Ticks::new();
        assert_eq!((t.now(), t.now()), (1, 2));
    }
}

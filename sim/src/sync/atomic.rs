//! Atomics: stand in for `std::sync::atomic`. Inside a simulation every operation is a
//! scheduling point and then a `SeqCst` operation (as shuttle's own atomics: they switch, then
//! operate), and an acquire plus a release for the race detector; outside, they are std atomics
//! with the ordering given.
//!
//! The simulated backend is a std atomic behind shuttle's scheduling point, not a shuttle
//! atomic: the same schedule, without shuttle's per-atomic vector clock (its own causality
//! tracking, which nothing here reads: the race detector keeps its own clocks) and resource
//! signature. An execution runs on one OS thread, so the operation itself never contends.

use std::panic::Location;
pub use std::sync::atomic::Ordering;

/// The ordering of every simulated operation (shuttle explores `SeqCst` interleavings only).
const SEQ: Ordering = Ordering::SeqCst;

/// A scheduling point, the operation (`SeqCst`), then the race detector's hook (nothing runs
/// between the two).
#[inline]
#[track_caller]
fn sim_op<A, R>(a: &A, op: impl FnOnce(&A) -> R) -> R {
    shuttle_engine::runtime::thread::switch();
    let r = op(a);
    crate::cell::race::atomic(a as *const A as usize, Location::caller());
    r
}

macro_rules! facade_atomic {
    ($name:ident, $std:ty, $t:ty) => {
        #[doc = concat!("Stands in for `std::sync::atomic::", stringify!($name), "`.")]
        pub enum $name {
            #[doc(hidden)]
            Std($std),
            #[doc(hidden)]
            Sim($std),
        }

        impl $name {
            /// A new atomic, of the backend of the current context.
            pub fn new(v: $t) -> Self {
                if super::in_sim() {
                    Self::Sim(<$std>::new(v))
                } else {
                    Self::Std(<$std>::new(v))
                }
            }
            /// Loads the value.
            #[inline]
            #[track_caller]
            pub fn load(&self, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.load(o),
                    Self::Sim(a) => sim_op(a, |a| a.load(SEQ)),
                }
            }
            /// A plain (unsynchronised) load of a word that is otherwise used atomically, as
            /// Go's runtime reads such words in places (`pp.runSafePointFn` in
            /// `findRunnable`): no scheduling point and no happens-before edge.
            #[inline]
            pub fn load_plain(&self) -> $t {
                match self {
                    Self::Std(a) => a.load(Ordering::Relaxed),
                    Self::Sim(a) => a.load(SEQ),
                }
            }
            /// Stores a value.
            #[inline]
            #[track_caller]
            pub fn store(&self, v: $t, o: Ordering) {
                match self {
                    Self::Std(a) => a.store(v, o),
                    Self::Sim(a) => sim_op(a, |a| a.store(v, SEQ)),
                }
            }
            /// Swaps the value.
            #[inline]
            #[track_caller]
            pub fn swap(&self, v: $t, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.swap(v, o),
                    Self::Sim(a) => sim_op(a, |a| a.swap(v, SEQ)),
                }
            }
            /// Compare-and-swap.
            #[inline]
            #[track_caller]
            pub fn compare_exchange(
                &self,
                cur: $t,
                new: $t,
                s: Ordering,
                f: Ordering,
            ) -> Result<$t, $t> {
                match self {
                    Self::Std(a) => a.compare_exchange(cur, new, s, f),
                    Self::Sim(a) => sim_op(a, |a| a.compare_exchange(cur, new, SEQ, SEQ)),
                }
            }
        }
    };
}

macro_rules! facade_atomic_int {
    ($name:ident, $t:ty) => {
        impl $name {
            /// Adds to the value, returning the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_add(&self, v: $t, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.fetch_add(v, o),
                    Self::Sim(a) => sim_op(a, |a| a.fetch_add(v, SEQ)),
                }
            }
            /// Subtracts from the value, returning the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_sub(&self, v: $t, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.fetch_sub(v, o),
                    Self::Sim(a) => sim_op(a, |a| a.fetch_sub(v, SEQ)),
                }
            }
        }
    };
}

facade_atomic!(AtomicBool, std::sync::atomic::AtomicBool, bool);
facade_atomic!(AtomicU32, std::sync::atomic::AtomicU32, u32);
facade_atomic!(AtomicU64, std::sync::atomic::AtomicU64, u64);
facade_atomic!(AtomicI64, std::sync::atomic::AtomicI64, i64);
facade_atomic!(AtomicUsize, std::sync::atomic::AtomicUsize, usize);
facade_atomic_int!(AtomicU32, u32);
facade_atomic_int!(AtomicU64, u64);
facade_atomic_int!(AtomicI64, i64);
facade_atomic_int!(AtomicUsize, usize);

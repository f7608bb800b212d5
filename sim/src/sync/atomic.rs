//! Atomics: stand in for `std::sync::atomic`. Inside a simulation every operation is a
//! scheduling point (shuttle models them all as `SeqCst`), and an acquire plus a release for the
//! race detector; outside, they are std atomics with the ordering given.

use std::panic::Location;
pub use std::sync::atomic::Ordering;

/// Runs a shuttle atomic operation, then tells the race detector (after the operation's
/// scheduling point, so nothing runs between the two).
#[inline]
#[track_caller]
fn sim_op<A, R>(a: &A, op: impl FnOnce(&A) -> R) -> R {
    let r = op(a);
    crate::cell::race::atomic(a as *const A as usize, Location::caller());
    r
}

macro_rules! facade_atomic {
    ($name:ident, $std:ty, $shuttle:ty, $t:ty) => {
        #[doc = concat!("Stands in for `std::sync::atomic::", stringify!($name), "`.")]
        pub enum $name {
            #[doc(hidden)]
            Std($std),
            #[doc(hidden)]
            Sim($shuttle),
        }

        impl $name {
            /// A new atomic, of the backend of the current context.
            pub fn new(v: $t) -> Self {
                if super::in_sim() {
                    Self::Sim(<$shuttle>::new(v))
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
                    Self::Sim(a) => sim_op(a, |a| a.load(o)),
                }
            }
            /// Stores a value.
            #[inline]
            #[track_caller]
            pub fn store(&self, v: $t, o: Ordering) {
                match self {
                    Self::Std(a) => a.store(v, o),
                    Self::Sim(a) => sim_op(a, |a| a.store(v, o)),
                }
            }
            /// Swaps the value.
            #[inline]
            #[track_caller]
            pub fn swap(&self, v: $t, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.swap(v, o),
                    Self::Sim(a) => sim_op(a, |a| a.swap(v, o)),
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
                    Self::Sim(a) => sim_op(a, |a| a.compare_exchange(cur, new, s, f)),
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
                    Self::Sim(a) => sim_op(a, |a| a.fetch_add(v, o)),
                }
            }
            /// Subtracts from the value, returning the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_sub(&self, v: $t, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.fetch_sub(v, o),
                    Self::Sim(a) => sim_op(a, |a| a.fetch_sub(v, o)),
                }
            }
        }
    };
}

facade_atomic!(
    AtomicBool,
    std::sync::atomic::AtomicBool,
    shuttle::sync::atomic::AtomicBool,
    bool
);
facade_atomic!(
    AtomicU32,
    std::sync::atomic::AtomicU32,
    shuttle::sync::atomic::AtomicU32,
    u32
);
facade_atomic!(
    AtomicU64,
    std::sync::atomic::AtomicU64,
    shuttle::sync::atomic::AtomicU64,
    u64
);
facade_atomic!(
    AtomicI64,
    std::sync::atomic::AtomicI64,
    shuttle::sync::atomic::AtomicI64,
    i64
);
facade_atomic!(
    AtomicUsize,
    std::sync::atomic::AtomicUsize,
    shuttle::sync::atomic::AtomicUsize,
    usize
);
facade_atomic_int!(AtomicU32, u32);
facade_atomic_int!(AtomicU64, u64);
facade_atomic_int!(AtomicI64, i64);
facade_atomic_int!(AtomicUsize, usize);

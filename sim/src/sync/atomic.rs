//! Atomics: stand in for `std::sync::atomic`. Inside a simulation every operation is a
//! scheduling point (shuttle models them all as `SeqCst`); outside, they are std atomics with the
//! ordering given.

pub use std::sync::atomic::Ordering;

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
            pub fn load(&self, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.load(o),
                    Self::Sim(a) => a.load(o),
                }
            }
            /// Stores a value.
            #[inline]
            pub fn store(&self, v: $t, o: Ordering) {
                match self {
                    Self::Std(a) => a.store(v, o),
                    Self::Sim(a) => a.store(v, o),
                }
            }
            /// Swaps the value.
            #[inline]
            pub fn swap(&self, v: $t, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.swap(v, o),
                    Self::Sim(a) => a.swap(v, o),
                }
            }
            /// Compare-and-swap.
            #[inline]
            pub fn compare_exchange(
                &self,
                cur: $t,
                new: $t,
                s: Ordering,
                f: Ordering,
            ) -> Result<$t, $t> {
                match self {
                    Self::Std(a) => a.compare_exchange(cur, new, s, f),
                    Self::Sim(a) => a.compare_exchange(cur, new, s, f),
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
            pub fn fetch_add(&self, v: $t, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.fetch_add(v, o),
                    Self::Sim(a) => a.fetch_add(v, o),
                }
            }
            /// Subtracts from the value, returning the previous value.
            #[inline]
            pub fn fetch_sub(&self, v: $t, o: Ordering) -> $t {
                match self {
                    Self::Std(a) => a.fetch_sub(v, o),
                    Self::Sim(a) => a.fetch_sub(v, o),
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

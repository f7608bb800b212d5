//! The world: holding a P is a shared hold, stop-the-world (`stopTheWorld`) the exclusive one.
//! An actor that holds a P runs non-preemptibly (Go's `acquirem` + system stack), so a STW waits
//! for it; P-less emitters take no P and really race with STW (they use `bufLock`).
//!
//! The model's world is `sim::cell::World` itself (the one the checked cells ask through
//! `WorldRef`); a stopped world is Go's `stopTheWorld` … `startTheWorld`.

pub use sim::cell::{PHold, Stopped as StwGuard, World};

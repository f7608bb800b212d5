//! The facade: the only module that names `std::sync`, `std::thread` primitives or `shuttle::`.
//!
//! Each primitive picks its backend when it is constructed (design (b) of the style guide): a
//! simulated primitive inside a simulated execution, a std primitive outside. The simulated
//! locks, reader-writer locks, condition variables, park slots and semaphores are built on
//! `engine`'s semaphore and condition variable, which schedule exactly as shuttle's own
//! primitives; atomics are std atomics behind shuttle's scheduling point. So one build serves
//! `cargo test` (simulations) and `cargo bench` (real threads) with no feature or `--cfg`. The
//! cost is one always-predicted branch per operation, measured by the benches. A primitive built
//! outside an execution stays std and escapes the scheduler: build all simulated state inside
//! the execution.

pub mod atomic;
pub mod cell;
mod condvar;
mod engine;
pub(crate) mod held;
mod mutex;
mod parker;
mod reentrant;
mod rwlock;
mod sema;

pub use condvar::Condvar;
pub use held::{may_acquire, native_lock_cycles, set_native_rank_mode};
pub use mutex::{Mutex, MutexGuard};
pub use parker::Parker;
pub use reentrant::{ReentrantMutex, Reentry, NO_OWNER};
pub use rwlock::{RwLock, RwLockGuard};
pub use sema::Sema;
pub use std::sync::Arc;

/// Whether the caller runs inside a simulated execution (decides the backend of new primitives).
#[inline]
pub fn in_sim() -> bool {
    shuttle::current::try_get_current_task().is_some()
}

//! `ReentrantMutex`: the go1.21-before-94a948d `trace.lock`, reentrant through an owner that is a
//! *logical goroutine id* (`trace.lockOwner`, compared with `getg().m.curg`), not the OS thread.
//!
//! Go's protocol is explicit, so this type is too: the plain [`lock`](ReentrantMutex::lock)
//! records no owner; the code that holds the lock publishes itself with
//! [`set_owner`](ReentrantMutex::set_owner) and must [`clear_owner`](ReentrantMutex::clear_owner)
//! before each unlock; [`lock_unless_owner`](ReentrantMutex::lock_unless_owner) is
//! `traceFlush`'s `dolock` test. Forgetting `clear_owner` on one path (variant V1.3) is then
//! expressible, as it was in Go.

use super::atomic::{AtomicU64, Ordering};
use super::mutex::{Mutex, MutexGuard};
use crate::rank::LockClass;

/// No goroutine owns the lock.
pub const NO_OWNER: u64 = 0;

/// A mutex that the owning goroutine may skip re-locking; see the module docs.
pub struct ReentrantMutex<T> {
    inner: Mutex<T>,
    owner: AtomicU64,
}

/// What [`ReentrantMutex::lock_unless_owner`] did.
pub enum Reentry<'a, T> {
    /// The caller's goroutine already owned the lock: nothing was locked.
    Owned,
    /// The lock was taken.
    Locked(MutexGuard<'a, T>),
}

impl<T> ReentrantMutex<T> {
    /// A reentrant mutex of lock class `class`.
    pub fn ranked(class: &'static LockClass, value: T) -> Self {
        Self {
            inner: Mutex::ranked(class, value),
            owner: AtomicU64::new(NO_OWNER),
        }
    }

    /// Takes the lock unconditionally (`lock(&trace.lock)`).
    #[track_caller]
    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.inner.lock()
    }

    /// Publishes goroutine `goid` as the owner (`trace.lockOwner = getg().m.curg`).
    pub fn set_owner(&self, goid: u64) {
        self.owner.store(goid, Ordering::SeqCst);
    }

    /// Clears the owner (`trace.lockOwner = nil`).
    pub fn clear_owner(&self) {
        self.owner.store(NO_OWNER, Ordering::SeqCst);
    }

    /// The current owner, read without the lock (a documented benign race in Go).
    pub fn owner(&self) -> u64 {
        self.owner.load(Ordering::SeqCst)
    }

    /// `traceFlush`'s test: lock unless goroutine `goid` is the owner.
    #[track_caller]
    pub fn lock_unless_owner(&self, goid: u64) -> Reentry<'_, T> {
        if goid != NO_OWNER && self.owner() == goid {
            Reentry::Owned
        } else {
            Reentry::Locked(self.inner.lock())
        }
    }

    /// The underlying mutex (for `held_by_me` assertions).
    pub fn mutex(&self) -> &Mutex<T> {
        &self.inner
    }
}

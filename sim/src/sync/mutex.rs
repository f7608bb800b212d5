//! `Mutex`: stands in for `std::sync::Mutex`, and for the Go runtime's non-reentrant `mutex`
//! (`lock`/`unlock` in `runtime/lock_futex.go`), with a lock class for the rank checker.
//!
//! The backend is chosen when the mutex is constructed: a one-permit `SimSema` (scheduled as
//! shuttle's mutex) inside a simulated execution, a std mutex outside (benches, native stress). Re-acquiring a held mutex is
//! reported as a self-deadlock with both sites, before anything blocks.

use super::engine::{Permits, SimSema};
use super::held::{self, Acquire};
use crate::rank::LockClass;
use crate::wait::{self, Probe, What};
use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::panic::Location;

enum Raw {
    Std(std::sync::Mutex<()>),
    Sim(SimSema),
}

pub(crate) enum RawGuard<'a> {
    Std(#[allow(dead_code)] std::sync::MutexGuard<'a, ()>),
    Sim(Permits<'a>),
}

/// A mutual-exclusion lock; see the module docs.
pub struct Mutex<T: ?Sized> {
    class: Option<&'static LockClass>,
    raw: Raw,
    data: UnsafeCell<T>,
}

// SAFETY: the data is only reached through a guard, which the raw lock makes exclusive.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

/// The guard of a locked [`Mutex`]; unlocks when dropped.
pub struct MutexGuard<'a, T: ?Sized> {
    lock: &'a Mutex<T>,
    raw: Option<RawGuard<'a>>,
}

impl<T> Mutex<T> {
    /// An unranked mutex.
    pub fn new(value: T) -> Self {
        Self::build(None, value)
    }

    /// A mutex of lock class `class` (Go's `lockInit(l, rank)`).
    pub fn ranked(class: &'static LockClass, value: T) -> Self {
        Self::build(Some(class), value)
    }

    fn build(class: Option<&'static LockClass>, value: T) -> Self {
        let raw = if super::in_sim() {
            Raw::Sim(SimSema::new(1))
        } else {
            Raw::Std(std::sync::Mutex::new(()))
        };
        Self {
            class,
            raw,
            data: UnsafeCell::new(value),
        }
    }
}

impl<T: ?Sized> Mutex<T> {
    pub(crate) fn id(&self) -> usize {
        self as *const Self as *const u8 as usize
    }

    fn acquire_desc(&self, site: &'static Location<'static>) -> Acquire {
        Acquire {
            id: self.id(),
            class: self.class,
            site,
            shared: false,
            sim: matches!(self.raw, Raw::Sim(_)),
            quiescent: false,
        }
    }

    /// The lock class, if ranked.
    pub fn class(&self) -> Option<&'static LockClass> {
        self.class
    }

    /// Acquires the lock (Go's `lock`), blocking until it is free.
    #[track_caller]
    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.lock_with(self.acquire_desc(Location::caller()))
    }

    /// Acquires the lock claiming its instance is quiescent: the caller has checked that no
    /// other actor can still acquire it (see [`crate::RankMode::Quiescent`], which checks the
    /// claim and excuses the orderings it makes unrealizable). Other modes treat it as `lock`.
    #[track_caller]
    pub fn lock_quiescent(&self) -> MutexGuard<'_, T> {
        let mut a = self.acquire_desc(Location::caller());
        a.quiescent = true;
        self.lock_with(a)
    }

    #[track_caller]
    fn lock_with(&self, a: super::held::Acquire) -> MutexGuard<'_, T> {
        held::check(a);
        let raw = match &self.raw {
            Raw::Std(m) => RawGuard::Std(m.lock().unwrap_or_else(|e| e.into_inner())),
            Raw::Sim(m) => {
                wait::begin(
                    What::Mutex(self.class),
                    a.site,
                    Probe::Lock {
                        id: a.id,
                        shared: false,
                    },
                );
                let held = m.take(1);
                wait::end();
                RawGuard::Sim(held)
            }
        };
        held::push(a);
        crate::record::lock("mutex", self.class, false, a.site);
        MutexGuard {
            lock: self,
            raw: Some(raw),
        }
    }

    /// Whether the current actor holds this lock (for `Locked` cell assertions).
    pub fn held_by_me(&self) -> bool {
        held::holds(self.id(), matches!(self.raw, Raw::Sim(_)))
    }
}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    /// Releases the lock for a condition-variable wait; see [`super::Condvar`].
    pub(crate) fn into_parts(mut self) -> (&'a Mutex<T>, RawGuard<'a>) {
        let raw = self.raw.take().expect("guard holds the lock");
        held::release(self.lock.id(), matches!(raw, RawGuard::Sim(_)));
        (self.lock, raw)
    }

    /// Rebuilds a guard after a condition-variable wait re-acquired the lock.
    #[track_caller]
    pub(crate) fn from_parts(lock: &'a Mutex<T>, raw: RawGuard<'a>) -> Self {
        held::push(lock.acquire_desc(Location::caller()));
        Self {
            lock,
            raw: Some(raw),
        }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(raw) = self.raw.take() {
            held::release(self.lock.id(), matches!(raw, RawGuard::Sim(_)));
            crate::record::unlock("mutex", self.lock.class, false);
            drop(raw);
        }
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the lock.
        unsafe { &mut *self.lock.data.get() }
    }
}

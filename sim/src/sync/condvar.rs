//! `Condvar`: stands in for `std::sync::Condvar`, paired with the facade's [`Mutex`].

use super::engine::SimCondvar;
use super::mutex::{MutexGuard, RawGuard};
use crate::wait::{self, Probe, What};
use std::panic::Location;

enum Raw {
    Std(std::sync::Condvar),
    Sim(SimCondvar),
}

/// A condition variable; see the module docs.
pub struct Condvar {
    raw: Raw,
}

impl Default for Condvar {
    fn default() -> Self {
        Self::new()
    }
}

impl Condvar {
    /// A new condition variable, of the backend of the current context.
    pub fn new() -> Self {
        let raw = if super::in_sim() {
            Raw::Sim(SimCondvar::default())
        } else {
            Raw::Std(std::sync::Condvar::new())
        };
        Self { raw }
    }

    fn id(&self) -> usize {
        self as *const Self as usize
    }

    /// Releases the guard's lock, waits for a notification, and re-acquires the lock.
    #[track_caller]
    pub fn wait<'a, T: ?Sized>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        let site = Location::caller();
        let (lock, raw) = guard.into_parts();
        let raw = match (&self.raw, raw) {
            (Raw::Std(cv), RawGuard::Std(g)) => {
                RawGuard::Std(cv.wait(g).unwrap_or_else(|e| e.into_inner()))
            }
            (Raw::Sim(cv), RawGuard::Sim(g)) => {
                wait::begin(What::Condvar(lock.class()), site, Probe::Notify(self.id()));
                cv.wait(&g);
                wait::end();
                crate::cell::race::obj_acquire(self.id(), "woke from a condvar wait", "");
                RawGuard::Sim(g)
            }
            _ => panic!("[sim internal bug] condvar and mutex built for different backends"),
        };
        MutexGuard::from_parts(lock, raw)
    }

    /// Wakes one waiter.
    #[track_caller]
    pub fn notify_one(&self) {
        match &self.raw {
            Raw::Std(cv) => cv.notify_one(),
            Raw::Sim(cv) => {
                crate::cell::race::obj_release(self.id(), "notified a condvar", "");
                wait::notify(self.id());
                cv.notify_one()
            }
        }
    }

    /// Wakes every waiter.
    #[track_caller]
    pub fn notify_all(&self) {
        match &self.raw {
            Raw::Std(cv) => cv.notify_all(),
            Raw::Sim(cv) => {
                crate::cell::race::obj_release(self.id(), "notified a condvar", "");
                wait::notify(self.id());
                cv.notify_all()
            }
        }
    }
}

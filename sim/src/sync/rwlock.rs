//! `RwLock`: stands in for `std::sync::RwLock` without data: shared holds and one exclusive
//! hold. The tracer model uses it for the world: holding a P is a shared hold, a
//! stop-the-world is the exclusive one.

use super::engine::{Permits, SimSema, MAX_READS};
use super::held::{self, Acquire};
use crate::rank::LockClass;
use crate::wait::{self, Probe, What};
use std::panic::Location;

enum Raw {
    Std(std::sync::RwLock<()>),
    /// Readers take one permit, the writer all ([`MAX_READS`]), as shuttle's `RwLock`.
    Sim(SimSema),
}

enum RawGuard<'a> {
    StdRead(#[allow(dead_code)] std::sync::RwLockReadGuard<'a, ()>),
    StdWrite(#[allow(dead_code)] std::sync::RwLockWriteGuard<'a, ()>),
    SimRead(#[allow(dead_code)] Permits<'a>),
    SimWrite(#[allow(dead_code)] Permits<'a>),
}

/// A reader-writer lock without data; see the module docs.
pub struct RwLock {
    name: &'static str,
    class: Option<&'static LockClass>,
    raw: Raw,
}

/// A held [`RwLock`]; releases when dropped.
pub struct RwLockGuard<'a> {
    lock: &'a RwLock,
    raw: Option<RawGuard<'a>>,
}

impl RwLock {
    /// An unranked lock named `name` (for reports).
    pub fn new(name: &'static str) -> Self {
        let raw = if super::in_sim() {
            Raw::Sim(SimSema::new(MAX_READS))
        } else {
            Raw::Std(std::sync::RwLock::new(()))
        };
        Self {
            name,
            class: None,
            raw,
        }
    }

    fn sim(&self) -> bool {
        matches!(self.raw, Raw::Sim(_))
    }

    fn desc(&self, site: &'static Location<'static>, shared: bool) -> Acquire {
        Acquire {
            id: self as *const Self as usize,
            class: self.class,
            site,
            shared,
            sim: self.sim(),
            quiescent: false,
        }
    }

    /// Takes a shared hold.
    #[track_caller]
    pub fn read(&self) -> RwLockGuard<'_> {
        let a = self.desc(Location::caller(), true);
        held::check(a);
        let raw = match &self.raw {
            Raw::Std(l) => RawGuard::StdRead(l.read().unwrap_or_else(|e| e.into_inner())),
            Raw::Sim(l) => {
                wait::begin(
                    What::RwLock {
                        name: self.name,
                        shared: true,
                    },
                    a.site,
                    Probe::Lock {
                        id: a.id,
                        shared: true,
                    },
                );
                let held = l.take(1);
                wait::end();
                RawGuard::SimRead(held)
            }
        };
        held::push(a);
        crate::record::lock(self.name, self.class, a.shared, a.site);
        RwLockGuard {
            lock: self,
            raw: Some(raw),
        }
    }

    /// Takes the exclusive hold.
    #[track_caller]
    pub fn write(&self) -> RwLockGuard<'_> {
        let a = self.desc(Location::caller(), false);
        held::check(a);
        let raw = match &self.raw {
            Raw::Std(l) => RawGuard::StdWrite(l.write().unwrap_or_else(|e| e.into_inner())),
            Raw::Sim(l) => {
                wait::begin(
                    What::RwLock {
                        name: self.name,
                        shared: false,
                    },
                    a.site,
                    Probe::Lock {
                        id: a.id,
                        shared: false,
                    },
                );
                let held = l.take(MAX_READS);
                wait::end();
                RawGuard::SimWrite(held)
            }
        };
        held::push(a);
        crate::record::lock(self.name, self.class, a.shared, a.site);
        RwLockGuard {
            lock: self,
            raw: Some(raw),
        }
    }

    /// Whether the current actor holds this lock exclusively.
    pub fn held_exclusive_by_me(&self) -> bool {
        held::holds_exclusive(self as *const Self as usize, self.sim())
    }

    /// Whether the current actor holds this lock, shared or exclusive.
    pub fn held_by_me(&self) -> bool {
        held::holds(self as *const Self as usize, self.sim())
    }
}

impl Drop for RwLockGuard<'_> {
    fn drop(&mut self) {
        if let Some(raw) = self.raw.take() {
            held::release(self.lock as *const RwLock as usize, self.lock.sim());
            crate::record::unlock(
                self.lock.name,
                self.lock.class,
                matches!(raw, RawGuard::SimRead(_) | RawGuard::StdRead(_)),
            );
            drop(raw);
        }
    }
}

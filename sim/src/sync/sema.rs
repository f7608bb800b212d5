//! `Sema`: Go's runtime semaphore (`semacquire`/`semrelease` in `runtime/sema.go`), a counting
//! semaphore that blocks while the count is zero. Unranked, as in Go.

use super::engine::{SimCondvar, SimSema};
use crate::wait::{self, Probe, What};
use std::panic::Location;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

// The simulated variant is larger; a primitive is built once per model object, not per operation.
#[allow(clippy::large_enum_variant)]
enum Raw {
    Std(std::sync::Mutex<i64>, std::sync::Condvar),
    /// The count lives in the atomic (changed under the lock; the deadlock probe reads it too).
    Sim(SimSema, SimCondvar, Arc<AtomicI64>),
}

/// A counting semaphore with Go's meaning; see the module docs.
pub struct Sema {
    name: &'static str,
    raw: Raw,
}

impl Sema {
    /// A semaphore named `name` (for reports), with `count` permits.
    pub fn new(name: &'static str, count: i64) -> Self {
        let raw = if super::in_sim() {
            Raw::Sim(
                SimSema::new(1),
                SimCondvar::default(),
                Arc::new(AtomicI64::new(count)),
            )
        } else {
            Raw::Std(std::sync::Mutex::new(count), std::sync::Condvar::new())
        };
        Self { name, raw }
    }

    /// `semacquire`: waits for a permit and takes it.
    #[track_caller]
    pub fn acquire(&self) {
        let site = Location::caller();
        match &self.raw {
            Raw::Std(m, cv) => {
                let mut n = m.lock().unwrap_or_else(|e| e.into_inner());
                while *n <= 0 {
                    n = cv.wait(n).unwrap_or_else(|e| e.into_inner());
                }
                *n -= 1;
            }
            Raw::Sim(m, cv, count) => {
                let held = m.take(1);
                while count.load(Ordering::SeqCst) <= 0 {
                    wait::begin(What::Sema(self.name), site, Probe::Count(count.clone()));
                    cv.wait(&held);
                    wait::end();
                }
                count.fetch_sub(1, Ordering::SeqCst);
                drop(held);
                crate::record::sem_acquire(self.name);
                crate::cell::race::obj_acquire(
                    self as *const Self as usize,
                    "semacquire",
                    self.name,
                );
            }
        }
    }

    /// `semrelease`: adds a permit and wakes a waiter.
    #[track_caller]
    pub fn release(&self) {
        crate::record::sem_release(self.name);
        match &self.raw {
            Raw::Std(m, cv) => {
                *m.lock().unwrap_or_else(|e| e.into_inner()) += 1;
                cv.notify_one();
            }
            Raw::Sim(m, cv, count) => {
                crate::cell::race::obj_release(
                    self as *const Self as usize,
                    "semrelease",
                    self.name,
                );
                let held = m.take(1);
                count.fetch_add(1, Ordering::SeqCst);
                drop(held);
                cv.notify_all();
            }
        }
    }

    /// The semaphore's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

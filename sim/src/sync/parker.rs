//! `Parker`: a goroutine's park slot, for Go's `gopark`/`goready`. `park` blocks until a token
//! is available and consumes it; `unpark` makes the token available (at most one is kept).

use super::engine::{SimCondvar, SimSema};
use crate::wait::{self, Probe, What};
use std::panic::Location;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

// The simulated variant is larger; a primitive is built once per model object, not per operation.
#[allow(clippy::large_enum_variant)]
enum Raw {
    Std(std::sync::Mutex<bool>, std::sync::Condvar),
    /// The token lives in the atomic (read under the lock; the deadlock probe reads it too).
    Sim(SimSema, SimCondvar, Arc<AtomicBool>),
}

/// One goroutine's park slot; see the module docs.
pub struct Parker {
    name: &'static str,
    raw: Raw,
}

impl Parker {
    /// A park slot for the goroutine named `name` (for reports).
    pub fn new(name: &'static str) -> Self {
        let raw = if super::in_sim() {
            Raw::Sim(
                SimSema::new(1),
                SimCondvar::default(),
                Arc::new(AtomicBool::new(false)),
            )
        } else {
            Raw::Std(std::sync::Mutex::new(false), std::sync::Condvar::new())
        };
        Self { name, raw }
    }

    /// `gopark`: blocks until unparked.
    #[track_caller]
    pub fn park(&self) {
        let site = Location::caller();
        crate::record::park(self.name);
        match &self.raw {
            Raw::Std(m, cv) => {
                let mut t = m.lock().unwrap_or_else(|e| e.into_inner());
                while !*t {
                    t = cv.wait(t).unwrap_or_else(|e| e.into_inner());
                }
                *t = false;
            }
            Raw::Sim(m, cv, token) => {
                let held = m.take(1);
                while !token.load(Ordering::SeqCst) {
                    wait::begin(What::Park(self.name), site, Probe::Flag(token.clone()));
                    cv.wait(&held);
                    wait::end();
                }
                token.store(false, Ordering::SeqCst);
                drop(held);
                crate::cell::race::obj_acquire(
                    self as *const Self as usize,
                    "returned from gopark of",
                    self.name,
                );
            }
        }
    }

    /// `goready`: wakes the parked goroutine (or lets its next `park` return at once).
    #[track_caller]
    pub fn unpark(&self) {
        crate::record::unpark(self.name);
        match &self.raw {
            Raw::Std(m, cv) => {
                *m.lock().unwrap_or_else(|e| e.into_inner()) = true;
                cv.notify_one();
            }
            Raw::Sim(m, cv, token) => {
                crate::cell::race::obj_release(
                    self as *const Self as usize,
                    "goready of",
                    self.name,
                );
                let held = m.take(1);
                token.store(true, Ordering::SeqCst);
                drop(held);
                cv.notify_one();
            }
        }
    }
}

//! The world, as the cells see it (Go's `stopTheWorld`/`startTheWorld`, `runtime/proc.go`):
//! holding a P is a shared hold, stopping the world the exclusive one. [`WorldRef`] is what the
//! cells ask of a world; [`World`] is a minimal one on the facade's `RwLock`, and a model with
//! its own world (the tracer's `world.rs`) implements [`WorldRef`] for it. Because the world is
//! an `RwLock`, the race detector orders a STW after every P hold before it, and every P hold
//! after the STW that preceded it.

use crate::sync::{RwLock, RwLockGuard};

/// What the cells ask of a world.
pub trait WorldRef {
    /// Whether the current thread stopped the world.
    fn stopped_by_me(&self) -> bool;
    /// Whether the current thread holds a P or stopped the world.
    fn running_by_me(&self) -> bool;
}

/// See the module docs.
pub struct World {
    lock: RwLock,
}

/// A held P: a shared hold on the world.
pub struct PHold<'a>(#[allow(dead_code)] RwLockGuard<'a>);

/// A stopped world; started again when dropped.
pub struct Stopped<'a>(#[allow(dead_code)] RwLockGuard<'a>);

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// A running world.
    pub fn new() -> Self {
        Self {
            lock: RwLock::new("a P (the world is stopped)"),
        }
    }

    /// Takes a P: waits while the world is stopped.
    #[track_caller]
    pub fn acquire_p(&self) -> PHold<'_> {
        PHold(self.lock.read())
    }

    /// Stops the world: waits until no thread holds a P.
    #[track_caller]
    pub fn stop(&self) -> Stopped<'_> {
        crate::record::note("stopTheWorld");
        Stopped(self.lock.write())
    }

    /// Whether the current thread holds a P or stopped the world.
    pub fn held_by_me(&self) -> bool {
        self.lock.held_by_me()
    }

    /// Whether the current thread stopped the world.
    pub fn stopped_by_me(&self) -> bool {
        self.lock.held_exclusive_by_me()
    }
}

impl Drop for Stopped<'_> {
    fn drop(&mut self) {
        crate::record::note("startTheWorld");
    }
}

impl WorldRef for World {
    fn stopped_by_me(&self) -> bool {
        World::stopped_by_me(self)
    }
    fn running_by_me(&self) -> bool {
        self.held_by_me()
    }
}

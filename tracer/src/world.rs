//! The world: holding a P is a shared hold, stop-the-world (`stopTheWorld`) the exclusive one.
//! An actor that holds a P runs non-preemptibly (Go's `acquirem` + system stack), so a STW waits
//! for it; P-less emitters take no P and really race with STW (they use `bufLock`).

use sim::sync::{RwLock, RwLockGuard};

/// See the module docs.
pub struct World {
    lock: RwLock,
}

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
    pub fn acquire_p(&self) -> RwLockGuard<'_> {
        self.lock.read()
    }

    /// Stops the world: waits until no actor holds a P.
    #[track_caller]
    pub fn stop(&self) -> StwGuard<'_> {
        sim::record::note("stopTheWorld");
        StwGuard(self.lock.write())
    }

    /// Whether the caller holds a P or stopped the world.
    pub fn held_by_me(&self) -> bool {
        self.lock.held_by_me()
    }

    /// Whether the caller stopped the world.
    pub fn stopped_by_me(&self) -> bool {
        self.lock.held_exclusive_by_me()
    }
}

/// The cells' view of this world: `StwOnly`, `Locked::or_stw` and `Owned::or_stw` cells ask it.
impl sim::cell::WorldRef for World {
    fn stopped_by_me(&self) -> bool {
        World::stopped_by_me(self)
    }
    fn running_by_me(&self) -> bool {
        self.held_by_me()
    }
}

/// A stopped world (`stopTheWorld` … `startTheWorld`); restarts it when dropped.
pub struct StwGuard<'a>(#[allow(dead_code)] RwLockGuard<'a>);

impl Drop for StwGuard<'_> {
    fn drop(&mut self) {
        sim::record::note("startTheWorld");
    }
}

//! `Locked<T>`: state behind one lock instance (Go's "protected by `trace.lock`"). Every access
//! names the lock and asserts that the current thread holds it; the cell binds to the lock
//! instance of its first access (as an offset from itself, so a struct holding both may move
//! before it is shared) and rejects any other instance afterwards. Cells built with
//! [`Locked::or_stw`] also accept the thread that stopped the world, where Go documents it
//! (go1.21 `runtime/trace.go`: `StartTrace` resets tables "while the world is stopped").

use super::world::WorldRef;
use super::{violated, Core, Kind};
use crate::sync::{Mutex, ReentrantMutex, RwLock};
use std::borrow::Cow;
use std::sync::atomic::{AtomicIsize, Ordering};

const LOCK: Kind = Kind {
    name: "Locked",
    rule: "every access holds the lock the cell is bound to",
};
const LOCK_OR_STW: Kind = Kind {
    name: "Locked",
    rule: "every access holds the lock the cell is bound to, or has stopped the world",
};

/// A lock that can prove it is held by the current thread.
pub trait LockRef {
    /// The lock's identity (its address).
    fn lock_addr(&self) -> usize;
    /// Whether the current thread holds it (exclusively, for a reader-writer lock).
    fn held_by_me(&self) -> bool;
    /// Its name in reports.
    fn lock_name(&self) -> &'static str;
}

impl<U: ?Sized> LockRef for Mutex<U> {
    fn lock_addr(&self) -> usize {
        self.id()
    }
    fn held_by_me(&self) -> bool {
        Mutex::held_by_me(self)
    }
    fn lock_name(&self) -> &'static str {
        self.class().map_or("an unranked mutex", |c| c.name)
    }
}

impl<U> LockRef for ReentrantMutex<U> {
    fn lock_addr(&self) -> usize {
        self.mutex().id()
    }
    fn held_by_me(&self) -> bool {
        self.mutex().held_by_me()
    }
    fn lock_name(&self) -> &'static str {
        self.mutex().lock_name()
    }
}

impl LockRef for RwLock {
    fn lock_addr(&self) -> usize {
        self as *const Self as usize
    }
    fn held_by_me(&self) -> bool {
        self.held_exclusive_by_me()
    }
    fn lock_name(&self) -> &'static str {
        "a reader-writer lock (exclusive hold)"
    }
}

/// See the module docs.
pub struct Locked<T> {
    core: Core<T>,
    stw: bool,
    /// The bound lock's address minus the cell's; 0 until the first access.
    bound: AtomicIsize,
}

impl<T> Locked<T> {
    /// A cell named `name` (for reports), protected by the lock of its first access only.
    pub fn new(name: impl Into<Cow<'static, str>>, value: T) -> Self {
        Self {
            core: Core::new(name, value),
            stw: false,
            bound: AtomicIsize::new(0),
        }
    }

    /// A cell protected by its lock, or by a stopped world ([`Locked::with_stw`]).
    pub fn or_stw(name: impl Into<Cow<'static, str>>, value: T) -> Self {
        Self {
            stw: true,
            ..Self::new(name, value)
        }
    }

    fn kind(&self) -> Kind {
        if self.stw {
            LOCK_OR_STW
        } else {
            LOCK
        }
    }

    #[inline]
    #[track_caller]
    fn prove(&self, lock: &(impl LockRef + ?Sized)) {
        let off = lock.lock_addr() as isize - self as *const Self as isize;
        let bound = self.bound.load(Ordering::Relaxed);
        if bound != off && !self.bind(off) {
            self.wrong_lock(lock.lock_name());
        }
        if !lock.held_by_me() {
            self.not_held(lock.lock_name());
        }
    }

    /// Binds the cell to the lock at `off` on its first access; false if bound to another.
    fn bind(&self, off: isize) -> bool {
        match self
            .bound
            .compare_exchange(0, off, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => true,
            Err(b) => b == off,
        }
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn wrong_lock(&self, lock: &str) -> ! {
        let what = format!(
            "accessed with lock `{lock}`, another instance than the one it is bound to (at its first access)"
        );
        let cause = "the wrong instance of the lock is taken (another P's, another table's)";
        violated(self.kind(), &self.core.meta.name, &what, cause)
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn not_held(&self, lock: &str) -> ! {
        let what = format!(
            "thread `{}` does not hold lock `{lock}`",
            crate::thread::current_name()
        );
        let cause = "a missing lock(&...) around this access, or the access comes after the unlock";
        violated(self.kind(), &self.core.meta.name, &what, cause)
    }

    #[track_caller]
    fn prove_stw(&self, world: &(impl WorldRef + ?Sized)) {
        if !self.stw {
            let what = "accessed under a stopped world, but Go documents only its lock for it";
            let cause = "take the lock (with/with_mut), or build the cell with Locked::or_stw if Go allows STW access";
            violated(self.kind(), &self.core.meta.name, what, cause);
        }
        if !world.stopped_by_me() {
            let what = format!(
                "thread `{}` did not stop the world",
                crate::thread::current_name()
            );
            let cause = "a missing stopTheWorld, or the world was started again before this access";
            violated(self.kind(), &self.core.meta.name, &what, cause);
        }
    }

    /// Reads the value; `lock` must be the cell's lock, held by the current thread.
    #[track_caller]
    pub fn with<R>(&self, lock: &(impl LockRef + ?Sized), f: impl FnOnce(&T) -> R) -> R {
        self.prove(lock);
        self.core.read(self.kind(), f)
    }

    /// Writes the value; `lock` must be the cell's lock, held by the current thread.
    #[track_caller]
    pub fn with_mut<R>(&self, lock: &(impl LockRef + ?Sized), f: impl FnOnce(&mut T) -> R) -> R {
        self.prove(lock);
        self.core.write(self.kind(), f)
    }

    /// Reads the value under a world the current thread stopped ([`Locked::or_stw`] cells).
    #[track_caller]
    pub fn with_stw<R>(&self, world: &(impl WorldRef + ?Sized), f: impl FnOnce(&T) -> R) -> R {
        self.prove_stw(world);
        self.core.read(self.kind(), f)
    }

    /// Writes the value under a world the current thread stopped ([`Locked::or_stw`] cells).
    #[track_caller]
    pub fn with_mut_stw<R>(
        &self,
        world: &(impl WorldRef + ?Sized),
        f: impl FnOnce(&mut T) -> R,
    ) -> R {
        self.prove_stw(world);
        self.core.write(self.kind(), f)
    }

    /// The value, through exclusive ownership of the cell (no check needed).
    pub fn get_mut(&mut self) -> &mut T {
        self.core.get_mut()
    }

    /// The value, consuming the cell.
    pub fn into_inner(self) -> T {
        self.core.into_inner()
    }

    /// The cell's name.
    pub fn name(&self) -> &str {
        &self.core.meta.name
    }
}

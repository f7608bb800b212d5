//! Checked cells: the shared memory of the code under test, in five kinds that each state the
//! rule protecting it (the model contract's cells, §G.3 of the design), and the happens-before
//! race detector (`race.rs`) that checks every access under simulation.
//!
//! | kind | rule, asserted on every access |
//! |---|---|
//! | [`Locked`] | the current thread holds the lock instance the cell is bound to ([`Locked::or_stw`]: or stopped the world) |
//! | [`Owned`] | the caller shows the owner [`Token`] (a P, an M, the CPU drainer); tokens move by value |
//! | [`StwOnly`] | writes by the thread that stopped the world; reads by a P holder or under STW |
//! | [`Racy`] | none: a documented benign race, recorded; the caller's [`Claim`] is checked instead |
//! | [`Shared`] | none: plain shared state, every access race-checked |
//!
//! Access goes through closures (`with`, `with_mut`), so no reference outlives the proof, and a
//! borrow flag rejects an access that overlaps another (a nested access to the same cell, or two
//! real threads at once): the cells are sound on real threads whatever their callers do.
//!
//! Inside a simulation every access is also checked for data races (`race.rs`) and, with the
//! `cell_switch_points` knob of [`crate::RunConfig`] or [`set_switch_points`], is a scheduling
//! point, so that publish-before-fill and torn reads are observed as well as detected. Outside a
//! simulation (benches, native runs) the ownership assertions stay and the clocks are skipped.

mod clock;
mod hooks;
mod locked;
mod owned;
pub(crate) mod race;
mod racy;
mod shared;
mod stw;
mod world;

pub use locked::{LockRef, Locked};
pub use owned::{Owned, Token};
pub use race::set_switch_points;
pub use racy::{Claim, Racy, Word};
pub use shared::Shared;
pub use stw::StwOnly;
pub use world::{PHold, Stopped, World, WorldRef};

use crate::failure::{sim_panic, FailureKind};
use race::{Access, Racing};
use std::borrow::Cow;
use std::panic::Location;
use std::sync::atomic::{AtomicU32, Ordering};

/// A cell kind, as reports name it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Kind {
    pub name: &'static str,
    pub rule: &'static str,
}

/// Built outside a simulation: no race checking, no switch points.
const NATIVE: u32 = u32::MAX;
/// Built in a simulation with race checking off: switch points only.
const UNCHECKED: u32 = u32::MAX - 1;

/// A cell's name and detector id.
pub(crate) struct Meta {
    pub name: Cow<'static, str>,
    id: u32,
}

impl Meta {
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        let id = if crate::sync::in_sim() {
            race::register().unwrap_or(UNCHECKED)
        } else {
            NATIVE
        };
        Self {
            name: name.into(),
            id,
        }
    }

    /// The scheduling point and race check of one access; the access it races with, if any.
    #[inline]
    #[track_caller]
    pub fn check(&self, write: bool) -> Option<Racing> {
        if self.id == NATIVE {
            return None;
        }
        if race::switch_points() {
            crate::thread::sched_point();
        }
        if self.id == UNCHECKED {
            return None;
        }
        race::access(self.id, write, Location::caller())
    }

    /// Racing access pairs seen on this cell in the running execution.
    pub fn races(&self) -> u64 {
        if self.id >= UNCHECKED {
            return 0;
        }
        race::races(self.id)
    }
}

/// The report of a data race between `prev` and `now` on cell `name`.
pub(crate) fn race_report(kind: Kind, name: &str, prev: &Access, now: &Access) -> String {
    let (a, b) = (
        race::thread_name(prev.at.tid),
        race::thread_name(now.at.tid),
    );
    let rw = |w: bool| if w { "write" } else { "read" };
    let last = |op: &Option<race::SyncOp>| {
        op.map_or_else(|| "none since it started".to_string(), |o| o.to_string())
    };
    format!(
        "data race on `{name}` ({}: {})\n  {} by thread `{b}` at {}\n    last synchronisation of `{b}`: {}\n  \
         previous {} by thread `{a}` at {}\n    last synchronisation of `{a}` before it: {}\n  \
         nothing orders the previous access before this one: no lock, semaphore, park/unpark, atomic, \
         spawn or join links `{a}` to `{b}` in between",
        kind.name,
        kind.rule,
        if now.write { "Write" } else { "Read" },
        now.site,
        last(&now.last),
        rw(prev.write),
        prev.site,
        last(&prev.last),
    )
}

/// Fails the access: cell `name` of `kind` broke its rule (`what`), most likely because of `cause`.
#[track_caller]
pub(crate) fn violated(kind: Kind, name: &str, what: &str, cause: &str) -> ! {
    sim_panic(
        FailureKind::Invariant,
        format!(
            "cell rule violated: `{name}` ({}: {}): {what}\n  likely cause: {cause}",
            kind.name, kind.rule
        ),
    )
}

const WRITER: u32 = u32::MAX;

/// A named value with a borrow flag and the race check: the body of every kind but [`Racy`].
pub(crate) struct Core<T> {
    pub meta: Meta,
    borrow: AtomicU32,
    value: std::cell::UnsafeCell<T>,
}

// SAFETY: `read` hands out `&T` (hence `T: Sync`) and `write` `&mut T` (hence `T: Send`) only
// while the borrow flag excludes every overlapping access, on any thread.
unsafe impl<T: Send + Sync> Sync for Core<T> {}

struct Borrow<'a>(&'a AtomicU32, bool);

impl Drop for Borrow<'_> {
    fn drop(&mut self) {
        if self.1 {
            self.0.store(0, Ordering::Release);
        } else {
            self.0.fetch_sub(1, Ordering::Release);
        }
    }
}

impl<T> Core<T> {
    pub fn new(name: impl Into<Cow<'static, str>>, value: T) -> Self {
        Self {
            meta: Meta::new(name),
            borrow: AtomicU32::new(0),
            value: std::cell::UnsafeCell::new(value),
        }
    }

    #[inline]
    #[track_caller]
    fn check(&self, kind: Kind, write: bool) {
        if let Some(pair) = self.meta.check(write) {
            self.race(kind, &pair.0, &pair.1);
        }
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn race(&self, kind: Kind, prev: &Access, now: &Access) -> ! {
        sim_panic(
            FailureKind::DataRace,
            race_report(kind, &self.meta.name, prev, now),
        )
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn overlap(&self, kind: Kind) -> ! {
        violated(
            kind,
            &self.meta.name,
            "accessed while another access to it is in progress",
            "an access to this cell nested inside a with/with_mut closure of the same cell, or \
             (on real threads) two threads accessing it at once, which its rule should exclude",
        )
    }

    /// Reads through `f`, after the race check.
    #[track_caller]
    pub fn read<R>(&self, kind: Kind, f: impl FnOnce(&T) -> R) -> R {
        self.check(kind, false);
        let mut s = self.borrow.load(Ordering::Relaxed);
        loop {
            if s >= WRITER - 1 {
                self.overlap(kind);
            }
            match self
                .borrow
                .compare_exchange_weak(s, s + 1, Ordering::Acquire, Ordering::Relaxed)
            {
                Ok(_) => break,
                Err(x) => s = x,
            }
        }
        let _b = Borrow(&self.borrow, false);
        // SAFETY: the flag counts this reader; no writer can enter until it leaves.
        f(unsafe { &*self.value.get() })
    }

    /// Writes through `f`, after the race check.
    #[track_caller]
    pub fn write<R>(&self, kind: Kind, f: impl FnOnce(&mut T) -> R) -> R {
        self.check(kind, true);
        if self
            .borrow
            .compare_exchange(0, WRITER, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.overlap(kind);
        }
        let _b = Borrow(&self.borrow, true);
        // SAFETY: the flag holds the writer mark; nobody else can enter until it leaves.
        f(unsafe { &mut *self.value.get() })
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.value.get_mut()
    }

    pub fn into_inner(self) -> T {
        self.value.into_inner()
    }
}

//! The happens-before race detector: the state of one simulated execution (clocks of threads
//! and synchronising objects, the shadow of every checked cell) and the hooks that the facade's
//! primitives call at each synchronising operation.
//!
//! - Every simulated thread has a vector clock. A release (unlock, `semrelease`, `unpark`,
//!   `notify`, spawn) joins the thread's clock into the object's and ticks the thread; an acquire
//!   (lock, `semacquire`, `park` returning, a condvar wait returning, join) joins the object's
//!   clock into the thread's. Every atomic operation is both (shuttle runs them all `SeqCst`).
//!   A reader-writer lock keeps two clocks: readers do not order each other, a writer orders
//!   and is ordered by everybody.
//! - Every checked cell keeps its last write and the reads since, as epochs (FastTrack). Two
//!   accesses of different threads, one a write, with the earlier not happening before the later
//!   are a data race, whether or not a scheduling point fell between them.
//!
//! The detector starts with the first checked cell built in the execution: no access can precede
//! it, so nothing earlier can matter, and executions without cells pay one branch per
//! synchronising operation. Objects are keyed by address (with a kind tag); an address reused by
//! a new object inherits its predecessor's clock, which can only add happens-before edges (a
//! missed race, never a false one). Lookups only, no iteration: the state is deterministic.

use super::clock::{Epoch, VClock};
use crate::ctx;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::panic::Location;

/// The race-checking settings of a run ([`crate::RunConfig`]'s `race` and `cell_switch_points`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub race: bool,
    pub switch_points: bool,
}

thread_local! {
    static SETTINGS: Cell<Settings> = const { Cell::new(Settings { race: true, switch_points: false }) };
    /// The detector runs in the execution on this OS thread (a cell was built).
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    /// Cell accesses are scheduling points in the execution on this OS thread.
    static SWITCH: Cell<bool> = const { Cell::new(false) };
    static DET: RefCell<Detector> = RefCell::new(Detector::default());
}

/// A synchronising operation, as the report names it ("the last synchronisation" of a thread).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SyncOp {
    pub verb: &'static str,
    pub name: &'static str,
    /// How the site relates to the operation ("at", or "taken at" for an unlock).
    pub label: &'static str,
    pub site: Option<&'static Location<'static>>,
}

impl SyncOp {
    fn at(verb: &'static str, name: &'static str, site: &'static Location<'static>) -> Self {
        Self {
            verb,
            name,
            label: "at",
            site: Some(site),
        }
    }
}

impl fmt::Display for SyncOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.verb)?;
        if !self.name.is_empty() {
            write!(f, " `{}`", self.name)?;
        }
        match self.site {
            Some(s) => write!(f, " {} {s}", self.label),
            None => Ok(()),
        }
    }
}

/// One recorded cell access.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Access {
    pub at: Epoch,
    pub write: bool,
    pub site: &'static Location<'static>,
    pub last: Option<SyncOp>,
}

#[derive(Default)]
struct Shadow {
    write: Option<Access>,
    reads: Vec<Access>,
    races: u64,
}

struct ThreadState {
    clock: VClock,
    last: Option<SyncOp>,
}

#[derive(Default)]
struct ObjClock {
    /// Released by exclusive holders, atomics and every other object.
    w: VClock,
    /// Released by shared (read) holders of a reader-writer lock.
    r: VClock,
}

/// Multiplicative hashing of addresses (lookups only; iteration order is never observed).
#[derive(Default)]
pub(crate) struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

#[derive(Default)]
struct Detector {
    threads: Vec<Option<ThreadState>>,
    objs: HashMap<usize, ObjClock, BuildHasherDefault<AddrHasher>>,
    cells: Vec<Shadow>,
}

fn thread_of(threads: &mut Vec<Option<ThreadState>>, t: usize) -> &mut ThreadState {
    if threads.len() <= t {
        threads.resize_with(t + 1, || None);
    }
    threads[t].get_or_insert_with(|| ThreadState {
        clock: VClock::fresh(t),
        last: None,
    })
}

/// Object kinds, so that objects sharing an address (a struct and its first field) stay apart.
#[derive(Clone, Copy)]
pub(crate) enum Obj {
    Lock = 0,
    Atomic = 1,
    Other = 2,
}

fn key(addr: usize, kind: Obj) -> usize {
    (addr << 2) | kind as usize
}

/// Sets the race settings of the runs that follow on this OS thread.
pub(crate) fn configure(race: bool, switch_points: bool) {
    SETTINGS.with(|s| {
        s.set(Settings {
            race,
            switch_points,
        })
    });
}

/// A new execution starts on this OS thread: no detector until its first cell.
pub(crate) fn begin() {
    ACTIVE.with(|a| a.set(false));
    SWITCH.with(|s| s.set(SETTINGS.with(Cell::get).switch_points));
    DET.with(|d| *d.borrow_mut() = Detector::default());
}

/// The execution on this OS thread ended.
pub(crate) fn end() {
    ACTIVE.with(|a| a.set(false));
    SWITCH.with(|s| s.set(false));
    DET.with(|d| *d.borrow_mut() = Detector::default());
}

/// Makes every cell access of the running execution a scheduling point, or not.
pub fn set_switch_points(on: bool) {
    if ctx::active() && crate::sync::in_sim() {
        SWITCH.with(|s| s.set(on));
    }
}

/// Whether cell accesses are scheduling points in the running execution.
#[inline]
pub(crate) fn switch_points() -> bool {
    SWITCH.with(Cell::get)
}

#[inline]
fn active() -> bool {
    ACTIVE.with(Cell::get)
}

fn with_det<R>(f: impl FnOnce(&mut Detector, usize) -> R) -> Option<R> {
    let me = ctx::scheduled()?;
    DET.with(|d| Some(f(&mut *d.try_borrow_mut().ok()?, me)))
}

/// A checked cell was built in the running execution: its shadow id, or `None` when race
/// checking is off. Starts the detector on the first cell.
pub(crate) fn register() -> Option<u32> {
    if !SETTINGS.with(Cell::get).race || !ctx::active() {
        return None;
    }
    ACTIVE.with(|a| a.set(true));
    DET.with(|d| {
        let mut d = d.borrow_mut();
        d.cells.push(Shadow::default());
        Some((d.cells.len() - 1) as u32)
    })
}

/// The current thread acquired object `addr` (exclusively, or shared for a read hold).
pub(crate) fn acquire(addr: usize, kind: Obj, exclusive: bool, op: SyncOp) {
    if !active() {
        return;
    }
    with_det(|d, me| {
        let obj = d.objs.entry(key(addr, kind)).or_default();
        let th = thread_of(&mut d.threads, me);
        th.clock.join(&obj.w);
        if exclusive {
            th.clock.join(&obj.r);
        }
        th.last = Some(op);
    });
}

/// The current thread released object `addr` (a shared release feeds the readers' clock).
pub(crate) fn release(addr: usize, kind: Obj, exclusive: bool, op: SyncOp) {
    if !active() {
        return;
    }
    with_det(|d, me| {
        let obj = d.objs.entry(key(addr, kind)).or_default();
        let th = thread_of(&mut d.threads, me);
        if exclusive {
            obj.w.join(&th.clock);
        } else {
            obj.r.join(&th.clock);
        }
        th.clock.tick(me);
        th.last = Some(op);
    });
}

/// An atomic operation on `addr`: an acquire and a release (shuttle's atomics are `SeqCst`).
pub(crate) fn atomic(addr: usize, site: &'static Location<'static>) {
    if !active() {
        return;
    }
    with_det(|d, me| {
        let obj = d.objs.entry(key(addr, Obj::Atomic)).or_default();
        let th = thread_of(&mut d.threads, me);
        th.clock.join(&obj.w);
        obj.w.join(&th.clock);
        th.clock.tick(me);
        th.last = Some(SyncOp::at("atomic operation", "", site));
    });
}

/// The parent's clock at a spawn, handed to the child ([`adopt`]).
pub(crate) struct Fork(Option<(VClock, &'static Location<'static>)>);

/// The current thread spawns a thread: returns what the child inherits.
pub(crate) fn fork(site: &'static Location<'static>) -> Fork {
    if !active() {
        return Fork(None);
    }
    Fork(with_det(|d, me| {
        let th = thread_of(&mut d.threads, me);
        let snap = th.clock.clone();
        th.clock.tick(me);
        th.last = Some(SyncOp::at("spawned a thread", "", site));
        (snap, site)
    }))
}

/// The spawned thread starts: everything its parent did before the spawn happens before it.
pub(crate) fn adopt(fork: Fork) {
    let Fork(Some((clock, site))) = fork else {
        return;
    };
    if !active() {
        return;
    }
    with_det(|d, me| {
        let th = thread_of(&mut d.threads, me);
        th.clock.join(&clock);
        th.last = Some(SyncOp::at("was spawned", "", site));
    });
}

/// The current thread joined thread `child`: everything the child did happens before.
pub(crate) fn joined(child: usize, site: &'static Location<'static>) {
    if !active() {
        return;
    }
    with_det(|d, me| {
        let done = d.threads.get(child).and_then(Option::as_ref);
        let clock = done.map(|t| t.clock.clone()).unwrap_or_default();
        let th = thread_of(&mut d.threads, me);
        th.clock.join(&clock);
        th.last = Some(SyncOp::at("joined a thread", "", site));
    });
}

/// Records an access of cell `id` by the current thread; returns the earlier access it races
/// with, if any, and the access itself.
pub(crate) fn access(
    id: u32,
    write: bool,
    site: &'static Location<'static>,
) -> Option<(Access, Access)> {
    with_det(|d, me| {
        let th = thread_of(&mut d.threads, me);
        let now = Access {
            at: Epoch {
                tid: me,
                c: th.clock.get(me),
            },
            write,
            site,
            last: th.last,
        };
        let clock = &th.clock;
        let sh = &mut d.cells[id as usize];
        let racing = |a: &&Access| a.at.tid != me && !a.at.before(clock);
        let mut prev = sh.write.as_ref().filter(racing).copied();
        if write && prev.is_none() {
            prev = sh.reads.iter().find(racing).copied();
        }
        if write {
            sh.write = Some(now);
            sh.reads.clear();
        } else if let Some(r) = sh.reads.iter_mut().find(|r| r.at.tid == me) {
            *r = now;
        } else {
            sh.reads.push(now);
        }
        sh.races += u64::from(prev.is_some());
        prev.map(|p| (p, now))
    })
    .flatten()
}

/// How many racing access pairs cell `id` has seen in the running execution.
pub(crate) fn races(id: u32) -> u64 {
    DET.with(|d| d.borrow().cells.get(id as usize).map_or(0, |s| s.races))
}

/// The display name of simulated thread `tid`.
pub(crate) fn thread_name(tid: usize) -> String {
    ctx::with(|c| c.name_of(tid)).unwrap_or_else(|| format!("task-{tid}"))
}

/// A facade lock was acquired (shared for a read hold); called by the held-lock bookkeeping.
pub(crate) fn lock_acquired(h: &crate::rank::Held) {
    if !active() {
        return;
    }
    let verb = if h.shared { "read-locked" } else { "locked" };
    let op = SyncOp::at(verb, h.class.map_or("", |c| c.name), h.site);
    acquire(h.id, Obj::Lock, !h.shared, op);
}

/// A facade lock is being released (its hold as the held list had it).
pub(crate) fn lock_released(h: Option<&crate::rank::Held>) {
    let Some(h) = h.filter(|_| active()) else {
        return;
    };
    let op = SyncOp {
        label: "taken at",
        ..SyncOp::at("unlocked", h.class.map_or("", |c| c.name), h.site)
    };
    release(h.id, Obj::Lock, !h.shared, op);
}

/// A release of a semaphore, park slot or condition variable at `addr`.
#[track_caller]
pub(crate) fn obj_release(addr: usize, verb: &'static str, name: &'static str) {
    if active() {
        release(
            addr,
            Obj::Other,
            true,
            SyncOp::at(verb, name, Location::caller()),
        );
    }
}

/// An acquire of a semaphore, park slot or condition variable at `addr`.
#[track_caller]
pub(crate) fn obj_acquire(addr: usize, verb: &'static str, name: &'static str) {
    if active() {
        acquire(
            addr,
            Obj::Other,
            true,
            SyncOp::at(verb, name, Location::caller()),
        );
    }
}

//! The happens-before race detector: the state of one simulated execution (clocks of threads
//! and synchronising objects, the shadow of every checked cell) and the hooks that the facade's
//! primitives call at each synchronising operation.
//!
//! - Every simulated thread has a vector clock. A release (unlock, `semrelease`, `unpark`,
//!   `notify`, spawn) joins the thread's clock into the object's and ticks the thread (lazily,
//!   at its next cell access: a run of operations without accesses costs one tick); an acquire
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
pub(crate) use super::hooks::{
    adopt, atomic, fork, joined, lock_acquired, lock_released, obj_acquire, obj_release,
};
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
    static DET: RefCell<Option<Detector>> = const { RefCell::new(None) };
    /// The previous execution's detector, emptied: the next one reuses its allocations (the
    /// shadows of a few hundred cells would otherwise be regrown, copy by copy, every execution).
    static SPARE: RefCell<Option<Detector>> = const { RefCell::new(None) };
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
    pub(super) fn at(
        verb: &'static str,
        name: &'static str,
        site: &'static Location<'static>,
    ) -> Self {
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

/// One access as a shadow keeps it: the thread's last synchronisation is its index in the
/// detector's log plus one (0: none yet), so that the hot path copies four words, not the
/// operation (it is looked up only for a report).
#[derive(Clone, Copy)]
struct Stamp {
    at: Epoch,
    write: bool,
    site: &'static Location<'static>,
    last: u32,
}

#[derive(Default)]
struct Shadow {
    write: Option<Stamp>,
    reads: Vec<Stamp>,
    races: u64,
}

pub(super) struct ThreadState {
    pub(super) clock: VClock,
    /// The thread's last synchronisation, as a [`Stamp`] records it.
    pub(super) last: u32,
    /// A release happened since the last tick: the next access ticks first (lazily, so that a
    /// run of synchronising operations with no access between them shares one clock value).
    pub(super) dirty: bool,
    /// Bumped whenever `clock` may have changed (an object copying it is current while equal).
    pub(super) version: u64,
}

impl ThreadState {
    pub(super) fn join(&mut self, other: &VClock) {
        self.clock.join(other);
        self.version += 1;
    }
}

#[derive(Default)]
pub(super) struct ObjClock {
    /// Released by exclusive holders, atomics and every other object.
    pub(super) w: VClock,
    /// Released by shared (read) holders of a reader-writer lock.
    pub(super) r: VClock,
    /// The thread whose clock `w` copies, if `w` is such a copy (it then needs no join: that
    /// thread's clock only grew since), and that thread's `version` when it was copied.
    pub(super) copy_of: Option<usize>,
    pub(super) version: u64,
}

impl ObjClock {
    /// Makes `w` a copy of `th`'s clock, unless it already is one.
    pub(super) fn copy(&mut self, th: &ThreadState, me: usize) {
        if self.copy_of != Some(me) || self.version != th.version {
            self.w.copy_from(&th.clock);
            self.copy_of = Some(me);
            self.version = th.version;
        }
    }
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
pub(super) struct Detector {
    pub(super) threads: Vec<Option<ThreadState>>,
    pub(super) objs: Objs,
    cells: Vec<Shadow>,
    /// Every synchronisation of the execution, in order (what stamps' `last` index).
    pub(super) syncs: Vec<SyncOp>,
}

impl Detector {
    /// Forgets everything, keeping the allocations.
    fn clear(&mut self) {
        self.threads.clear();
        self.objs.clear();
        self.cells.clear();
        self.syncs.clear();
    }

    /// The access `s` records, with its thread's last synchronisation looked up (for a report).
    fn access_of(&self, s: Stamp) -> Access {
        let last = s.last.checked_sub(1).map(|i| self.syncs[i as usize]);
        Access {
            at: s.at,
            write: s.write,
            site: s.site,
            last,
        }
    }
}

/// Records `op` as thread `th`'s last synchronisation.
#[inline]
pub(super) fn note(log: &mut Vec<SyncOp>, th: &mut ThreadState, op: SyncOp) {
    log.push(op);
    th.last = log.len() as u32;
}

/// Retires the running execution's detector, if any, as the spare for the next one.
fn retire() {
    if let Some(mut old) = DET.with(|d| d.borrow_mut().take()) {
        old.clear();
        SPARE.with(|s| *s.borrow_mut() = Some(old));
    }
}

pub(super) type Objs = HashMap<usize, ObjClock, BuildHasherDefault<AddrHasher>>;

/// The clocks of object `key`, created on first use.
#[inline]
pub(super) fn obj_of(objs: &mut Objs, key: usize) -> &mut ObjClock {
    objs.entry(key).or_default()
}

#[inline]
pub(super) fn thread_of(threads: &mut Vec<Option<ThreadState>>, t: usize) -> &mut ThreadState {
    if t < threads.len() && threads[t].is_some() {
        return threads[t].as_mut().expect("checked");
    }
    new_thread(threads, t)
}

/// Thread `t`'s first access or synchronisation in the execution: its state, at clock 1.
#[cold]
#[inline(never)]
fn new_thread(threads: &mut Vec<Option<ThreadState>>, t: usize) -> &mut ThreadState {
    if threads.len() <= t {
        threads.resize_with(t + 1, || None);
    }
    threads[t].get_or_insert_with(|| ThreadState {
        clock: VClock::fresh(t),
        last: 0,
        dirty: false,
        version: 0,
    })
}

/// Object kinds, so that objects sharing an address (a struct and its first field) stay apart.
#[derive(Clone, Copy)]
pub(crate) enum Obj {
    Lock = 0,
    Atomic = 1,
    Other = 2,
}

pub(super) fn key(addr: usize, kind: Obj) -> usize {
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
    retire();
}

/// The execution on this OS thread ended.
pub(crate) fn end() {
    ACTIVE.with(|a| a.set(false));
    SWITCH.with(|s| s.set(false));
    retire();
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
pub(super) fn active() -> bool {
    ACTIVE.with(Cell::get)
}

pub(super) fn with_det<R>(f: impl FnOnce(&mut Detector, usize) -> R) -> Option<R> {
    let me = ctx::scheduled()?;
    DET.with(|d| Some(f(d.try_borrow_mut().ok()?.as_mut()?, me)))
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
        let d = d.get_or_insert_with(|| SPARE.with(|s| s.borrow_mut().take()).unwrap_or_default());
        d.cells.push(Shadow::default());
        Some((d.cells.len() - 1) as u32)
    })
}

/// An earlier access and the access it races with (boxed: races are rare, and returning the
/// pair by value through the hot path cost more than the whole race check).
pub(crate) type Racing = Box<(Access, Access)>;

/// Records an access of cell `id` by the current thread; returns the earlier access it races
/// with, if any, and the access itself.
pub(crate) fn access(id: u32, write: bool, site: &'static Location<'static>) -> Option<Racing> {
    with_det(|d, me| {
        let th = thread_of(&mut d.threads, me);
        if th.dirty {
            th.clock.tick(me);
            th.version += 1;
            th.dirty = false;
        }
        let now = Stamp {
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
        let racing = |a: &&Stamp| a.at.tid != me && !a.at.before(clock);
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
        prev.map(|p| Box::new((d.access_of(p), d.access_of(now))))
    })
    .flatten()
}

/// How many racing access pairs cell `id` has seen in the running execution.
pub(crate) fn races(id: u32) -> u64 {
    DET.with(|d| {
        let d = d.borrow();
        let shadow = d.as_ref().and_then(|d| d.cells.get(id as usize));
        shadow.map_or(0, |s| s.races)
    })
}

/// The display name of simulated thread `tid`.
pub(crate) fn thread_name(tid: usize) -> String {
    ctx::with(|c| c.name_of(tid)).unwrap_or_else(|| format!("task-{tid}"))
}

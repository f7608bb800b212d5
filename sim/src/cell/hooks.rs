//! The race detector's hooks in the facade: every synchronising operation joins vector clocks
//! here (see [`super::race`] for the rules). Each is one call from a primitive in `sync/` or
//! `thread.rs`, and returns at once while the detector is dormant (no cell yet).

use super::clock::VClock;
use super::race::{
    active, key, note, obj_of, thread_of, with_det, Obj, ObjClock, SyncOp, ThreadState,
};
use std::panic::Location;

/// The current thread acquired object `addr` (exclusively, or shared for a read hold).
pub(crate) fn acquire(addr: usize, kind: Obj, exclusive: bool, op: SyncOp) {
    on_obj(addr, kind, |obj, th, me, log| {
        see_writes(obj, th, me);
        if exclusive {
            th.join(&obj.r);
        }
        note(log, th, op);
    });
}

/// Runs `f` on object `addr`'s clocks and the current thread's, while the detector is active.
#[inline]
fn on_obj(
    addr: usize,
    kind: Obj,
    f: impl FnOnce(&mut ObjClock, &mut ThreadState, usize, &mut Vec<SyncOp>),
) {
    if !active() {
        return;
    }
    with_det(|d, me| {
        let obj = obj_of(&mut d.objs, key(addr, kind));
        let th = thread_of(&mut d.threads, me);
        f(obj, th, me, &mut d.syncs);
    });
}

/// The thread acquires the object's writes (a no-op where its clock is the object's copy).
#[inline]
fn see_writes(obj: &ObjClock, th: &mut ThreadState, me: usize) {
    if obj.copy_of != Some(me) {
        th.join(&obj.w);
    }
}

/// The current thread released object `addr` (a shared release feeds the readers' clock).
pub(crate) fn release(addr: usize, kind: Obj, exclusive: bool, op: SyncOp) {
    on_obj(addr, kind, |obj, th, me, log| {
        match (exclusive, kind) {
            // The holder acquired `w` and nobody released since: its clock covers `w`.
            (true, Obj::Lock) => obj.copy(th, me),
            (true, _) => {
                obj.w.join(&th.clock);
                obj.copy_of = None;
            }
            (false, _) => obj.r.join(&th.clock),
        }
        th.dirty = true;
        note(log, th, op);
    });
}

/// An atomic operation on `addr`: an acquire and a release (shuttle's atomics are `SeqCst`).
pub(crate) fn atomic(addr: usize, site: &'static Location<'static>) {
    on_obj(addr, Obj::Atomic, |obj, th, me, log| {
        see_writes(obj, th, me);
        // The thread's clock now covers the atomic's: the join is a copy.
        obj.copy(th, me);
        th.dirty = true;
        note(log, th, SyncOp::at("atomic operation", "", site));
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
        th.dirty = true;
        note(&mut d.syncs, th, SyncOp::at("spawned a thread", "", site));
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
        th.join(&clock);
        note(&mut d.syncs, th, SyncOp::at("was spawned", "", site));
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
        th.join(&clock);
        note(&mut d.syncs, th, SyncOp::at("joined a thread", "", site));
    });
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

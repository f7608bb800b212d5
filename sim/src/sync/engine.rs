//! The simulated backend of the facade's locks and condition variables: a lock and a condition
//! variable written on shuttle's task states, that schedule exactly as `shuttle::sync::Mutex`
//! and `shuttle::sync::Condvar` do (shuttle-std 0.1.5 `sync/mutex.rs`, `sync/condvar.rs`, and
//! the unfair `BatchSemaphore` of shuttle-engine 0.1.7 under the mutex).
//!
//! "Exactly" means the same scheduling points, each seeing the same set of runnable threads, so
//! every seed keeps its schedule:
//! - `lock` switches first only if the lock looks free (shuttle's "double-yield" rule for an
//!   unfair semaphore: a blocking acquire commutes with the other operations); it then takes
//!   the lock, blocking every other waiter that cannot win it now, or joins the waiters and
//!   sleeps unless its waker was called (`block_on`'s `sleep_unless_woken`), and retries.
//! - `unlock` switches, frees the lock, and unblocks every waiter and calls its waker (so a
//!   waiter's next sleep may be skipped once, as shuttle's is).
//! - A condition-variable wait unlocks, blocks, and on waking consumes one notification epoch,
//!   re-blocking the other waiters that only that epoch had woken; `notify_one` and
//!   `notify_all` switch, then unblock every waiter.
//!
//! What is left out is what nothing here reads: shuttle's vector clocks (the race detector keeps
//! its own), resource signatures, tracing, the boxed future and waker of each acquire.

use shuttle_engine::runtime::execution::ExecutionState;
use shuttle_engine::runtime::task::TaskId;
use shuttle_engine::runtime::thread::switch;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::task::Waker;

#[derive(Default)]
struct LockState {
    held: bool,
    /// Tasks blocked in `lock` (an unordered set: every release wakes them all).
    waiters: Vec<TaskId>,
    /// A release ran after the execution stopped: the lock no longer blocks anybody.
    closed: bool,
}

/// A non-reentrant lock on shuttle's task states; see the module docs.
#[derive(Default)]
pub(crate) struct SimLock(RefCell<LockState>);

// SAFETY: a simulated execution runs all its tasks on one OS thread, one at a time, and no
// borrow of the state is held across a scheduling point (as in shuttle's own primitives).
unsafe impl Sync for SimLock {}
// SAFETY: as above.
unsafe impl Send for SimLock {}

/// Removes the current task from a waiter list if teardown unwinds it out of a wait.
struct Unqueue<'a>(&'a SimLock, TaskId);

impl Drop for Unqueue<'_> {
    fn drop(&mut self) {
        self.0 .0.borrow_mut().waiters.retain(|&w| w != self.1);
    }
}

impl SimLock {
    /// Takes the lock, blocking while another task holds it.
    pub(crate) fn lock(&self) {
        let free = {
            let s = self.0.borrow();
            s.closed || !s.held
        };
        if free {
            switch();
        }
        let me = ExecutionState::me();
        let mut unqueue = None;
        loop {
            if self.try_take(me, unqueue.is_some()) {
                std::mem::forget(unqueue);
                return;
            }
            if unqueue.is_none() {
                self.0.borrow_mut().waiters.push(me);
                unqueue = Some(Unqueue(self, me));
            }
            ExecutionState::with(|s| s.current_mut().sleep_unless_woken());
            switch();
        }
    }

    /// One attempt of `me` (a waiter if `queued`): takes the lock if free, then blocks the other
    /// waiters, which cannot take it now (shuttle's `reblock_if_unfair`).
    fn try_take(&self, me: TaskId, queued: bool) -> bool {
        let mut s = self.0.borrow_mut();
        if s.closed {
            s.waiters.retain(|&w| w != me);
            return true;
        }
        if s.held {
            return false;
        }
        s.held = true;
        if queued {
            s.waiters.retain(|&w| w != me);
        }
        ExecutionState::with(|x| {
            for &w in &s.waiters {
                if w != me && x.try_get(w).is_some_and(|t| !t.finished()) {
                    x.get_mut(w).block(false);
                }
            }
        });
        true
    }

    /// Releases the lock: a scheduling point, then every waiter is woken to race for it. The
    /// release happens even if teardown unwinds the task from the scheduling point.
    pub(crate) fn unlock(&self) {
        struct Release<'a>(&'a SimLock);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                self.0.release();
            }
        }
        let _release = Release(self);
        switch();
    }

    fn release(&self) {
        let mut s = self.0.borrow_mut();
        s.held = false;
        if ExecutionState::should_stop() {
            s.waiters.clear();
            s.closed = true;
            return;
        }
        let wakers: Vec<Waker> = ExecutionState::with(|x| {
            let mut wakers = Vec::new();
            for &w in &s.waiters {
                let t = x.get_mut(w);
                if !t.finished() {
                    t.unblock();
                    wakers.push(t.waker());
                }
            }
            wakers
        });
        drop(s);
        wakers.iter().for_each(|w| w.wake_by_ref());
    }
}

/// Why a condition-variable waiter may run: notified by `notify_one` (the epochs of the
/// notifications it may consume) or by `notify_all`.
enum Wake {
    Waiting,
    Signal(VecDeque<usize>),
    Broadcast,
}

#[derive(Default)]
struct CondState {
    waiters: Vec<(TaskId, Wake)>,
    next_epoch: usize,
}

/// A condition variable for [`SimLock`]; see the module docs.
#[derive(Default)]
pub(crate) struct SimCondvar(RefCell<CondState>);

// SAFETY: as for `SimLock`.
unsafe impl Sync for SimCondvar {}
// SAFETY: as above.
unsafe impl Send for SimCondvar {}

/// Leaves a condition variable's waiters if teardown unwinds the task out of its wait.
struct Unwait<'a>(&'a SimCondvar, TaskId);

impl Drop for Unwait<'_> {
    fn drop(&mut self) {
        self.0 .0.borrow_mut().waiters.retain(|w| w.0 != self.1);
    }
}

impl SimCondvar {
    /// Unlocks `lock` (held by the caller), waits for a notification, and locks it again.
    pub(crate) fn wait(&self, lock: &SimLock) {
        let me = ExecutionState::me();
        lock.unlock();
        self.0.borrow_mut().waiters.push((me, Wake::Waiting));
        let unwait = Unwait(self, me);
        ExecutionState::with(|s| s.current_mut().block(false));
        switch();
        std::mem::forget(unwait);
        self.consume(me);
        lock.lock();
    }

    /// The woken waiter `me` leaves, taking its notification: one `notify_one` epoch, which
    /// then no longer wakes the others (those left with none are blocked again).
    fn consume(&self, me: TaskId) {
        let mut s = self.0.borrow_mut();
        let at = s.waiters.iter().position(|w| w.0 == me);
        let (_, wake) = s.waiters.swap_remove(at.expect("should be waiting"));
        let Wake::Signal(mut epochs) = wake else {
            return;
        };
        let epoch = epochs.pop_front().expect("should be a pending signal");
        ExecutionState::with(|x| {
            for (tid, w) in s.waiters.iter_mut() {
                if let Wake::Signal(es) = w {
                    if let Some(i) = es.iter().position(|&e| e == epoch) {
                        es.remove(i);
                        if es.is_empty() {
                            *w = Wake::Waiting;
                            x.get_mut(*tid).block(false);
                        }
                    }
                }
            }
        });
    }

    /// Wakes one waiter: a scheduling point, then every waiter may take this notification.
    pub(crate) fn notify_one(&self) {
        switch();
        let mut s = self.0.borrow_mut();
        let epoch = s.next_epoch;
        s.next_epoch += 1;
        ExecutionState::with(|x| {
            for (tid, w) in s.waiters.iter_mut() {
                match w {
                    Wake::Waiting => *w = Wake::Signal(VecDeque::from([epoch])),
                    Wake::Signal(es) => es.push_back(epoch),
                    Wake::Broadcast => {}
                }
                x.get_mut(*tid).unblock();
            }
        });
    }

    /// Wakes every waiter: a scheduling point, then every waiter runs again.
    pub(crate) fn notify_all(&self) {
        switch();
        let mut s = self.0.borrow_mut();
        ExecutionState::with(|x| {
            for (tid, w) in s.waiters.iter_mut() {
                *w = Wake::Broadcast;
                x.get_mut(*tid).unblock();
            }
        });
    }
}

//! The simulated backend of the facade's locks: an unfair counting semaphore (under the mutex
//! and the reader-writer lock) and a condition variable, written on shuttle's task states, that
//! schedule exactly as shuttle's `Mutex`, `RwLock` and `Condvar` (shuttle-std 0.1.5
//! `sync/{mutex,rwlock,condvar}.rs`, over the unfair `BatchSemaphore` of shuttle-engine 0.1.7).
//!
//! "Exactly" means the same scheduling points, each seeing the same set of runnable threads, so
//! every seed keeps its schedule:
//! - `acquire` switches first only if there look to be enough permits (shuttle's "double-yield"
//!   rule for an unfair semaphore: a blocking acquire commutes with the other operations); it
//!   then takes them, blocking every other waiter that cannot take its own now, or joins the
//!   waiters and sleeps unless its waker was called (`block_on`'s `sleep_unless_woken`), and
//!   retries.
//! - `release` switches, returns the permits, and unblocks every waiter they are enough for and
//!   calls its waker (so a waiter's next sleep may be skipped once, as shuttle's is).
//! - A condition-variable wait unlocks, blocks, and on waking consumes one notification epoch,
//!   re-blocking the other waiters that only that epoch had woken; `notify_one` and
//!   `notify_all` switch, then unblock every waiter.
//!
//! What is left out is what nothing here reads: shuttle's vector clocks (the race detector keeps
//! its own), resource signatures, tracing, the boxed future and waker of each acquire, the
//! holder bookkeeping (the facade's `held` list does it) and poisoning.

use shuttle_engine::runtime::execution::ExecutionState;
use shuttle_engine::runtime::task::TaskId;
use shuttle_engine::runtime::thread::switch;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::task::Waker;

struct SemaState {
    available: usize,
    /// Tasks blocked in `acquire`, with the permits each wants (an unordered set: every
    /// release wakes all those it has enough permits for).
    waiters: Vec<(TaskId, usize)>,
    /// A release ran after the execution stopped: nobody blocks any more.
    closed: bool,
}

/// The state of a simulated primitive: the simulator's own scheduling bookkeeping (who holds,
/// who waits), not state of the code under test, so no checked cell (the race detector's hooks
/// run beside it). It is only touched by the running task of the execution that built it.
struct ExecCell<T>(RefCell<T>);

// SAFETY: a simulated execution runs all its tasks on one OS thread, one at a time; a
// primitive built inside it is only used inside it (the facade builds a std primitive
// outside, and `borrow` checks in debug builds that a task is running), and no borrow is held
// across a scheduling point (as in shuttle's own primitives, which declare the same).
unsafe impl<T> Sync for ExecCell<T> {}
// SAFETY: as above.
unsafe impl<T> Send for ExecCell<T> {}

impl<T> ExecCell<T> {
    fn new(value: T) -> Self {
        Self(RefCell::new(value))
    }

    #[inline]
    fn borrow(&self) -> std::cell::RefMut<'_, T> {
        debug_assert!(
            shuttle_engine::current::try_get_current_task().is_some(),
            "[sim internal bug] a simulated primitive used outside its execution"
        );
        self.0.borrow_mut()
    }
}

/// An unfair counting semaphore on shuttle's task states, as shuttle's `BatchSemaphore` with
/// `Fairness::Unfair` (the lock is one permit; a reader-writer lock has [`MAX_READS`], a
/// reader takes one, a writer all); see the module docs.
pub(crate) struct SimSema(ExecCell<SemaState>);

/// The permits of a reader-writer lock (shuttle's `MAX_READS`).
pub(crate) const MAX_READS: usize = (u32::MAX >> 3) as usize;

/// Runs its closure when dropped: the clean-up a wait owes if teardown unwinds the task out of
/// its scheduling point (forgotten on the normal path where that is not wanted).
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

impl SimSema {
    /// A semaphore with `permits` permits.
    pub(crate) fn new(permits: usize) -> Self {
        Self(ExecCell::new(SemaState {
            available: permits,
            waiters: Vec::new(),
            closed: false,
        }))
    }

    /// Takes `n` permits, blocking until there are enough.
    fn acquire(&self, n: usize) {
        let enough = {
            let s = self.0.borrow();
            s.closed || s.available >= n
        };
        if enough {
            switch();
        }
        if self.try_take(None, n) {
            return;
        }
        let me = ExecutionState::me();
        self.0.borrow().waiters.push((me, n));
        let unqueue = OnDrop(|| self.0.borrow().waiters.retain(|w| w.0 != me));
        loop {
            ExecutionState::with(|s| s.current_mut().sleep_unless_woken());
            switch();
            if self.try_take(Some(me), n) {
                std::mem::forget(unqueue);
                return;
            }
        }
    }

    /// One attempt to take `n` permits (by waiter `queued`, or by a task not queued yet); on
    /// success, blocks the other waiters that cannot take theirs now (shuttle's
    /// `reblock_if_unfair`).
    fn try_take(&self, queued: Option<TaskId>, n: usize) -> bool {
        let mut s = self.0.borrow();
        if !s.closed && s.available < n {
            return false;
        }
        if let Some(me) = queued {
            s.waiters.retain(|w| w.0 != me);
        }
        if s.closed {
            return true;
        }
        s.available -= n;
        if s.waiters.is_empty() {
            return true;
        }
        let me = queued.unwrap_or_else(ExecutionState::me);
        let available = s.available;
        ExecutionState::with(|x| {
            for &(w, wants) in &s.waiters {
                if wants > available && w != me && x.try_get(w).is_some_and(|t| !t.finished()) {
                    x.get_mut(w).block(false);
                }
            }
        });
        true
    }

    /// Gives `n` permits back: a scheduling point, then every waiter they are enough for is
    /// woken to race for them. The permits return even if teardown unwinds the task from the
    /// scheduling point.
    fn release(&self, n: usize) {
        let _give_back = OnDrop(|| self.give_back(n));
        switch();
    }

    fn give_back(&self, n: usize) {
        let mut s = self.0.borrow();
        s.available += n;
        if ExecutionState::should_stop() {
            s.waiters.clear();
            s.closed = true;
            return;
        }
        if s.waiters.is_empty() {
            return;
        }
        let available = s.available;
        let wakers: Vec<Waker> = ExecutionState::with(|x| {
            let mut wakers = Vec::new();
            for &(w, wants) in &s.waiters {
                let t = x.get_mut(w);
                if wants <= available && !t.finished() {
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

/// Permits taken from a [`SimSema`] ([`SimSema::take`]), given back when dropped: a held
/// lock (one permit of a semaphore of one, shuttle's `Mutex`), or a reader-writer lock's read
/// (one) or write ([`MAX_READS`]) hold.
pub(crate) struct Permits<'a>(&'a SimSema, usize);

impl Drop for Permits<'_> {
    fn drop(&mut self) {
        self.0.release(self.1);
    }
}

impl SimSema {
    /// Takes `n` permits, blocking until there are enough; they go back when the guard drops.
    pub(crate) fn take(&self, n: usize) -> Permits<'_> {
        self.acquire(n);
        Permits(self, n)
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

/// A condition variable for a lock's [`Permits`]; see the module docs.
pub(crate) struct SimCondvar(ExecCell<CondState>);

impl Default for SimCondvar {
    fn default() -> Self {
        Self(ExecCell::new(CondState::default()))
    }
}

impl SimCondvar {
    /// Gives back the caller's `held` permits, waits for a notification, and takes them again.
    pub(crate) fn wait(&self, held: &Permits<'_>) {
        let me = ExecutionState::me();
        held.0.release(held.1);
        self.0.borrow().waiters.push((me, Wake::Waiting));
        let unwait = OnDrop(|| self.0.borrow().waiters.retain(|w| w.0 != me));
        ExecutionState::with(|s| s.current_mut().block(false));
        switch();
        std::mem::forget(unwait);
        self.consume(me);
        held.0.acquire(held.1);
    }

    /// The woken waiter `me` leaves, taking its notification: one `notify_one` epoch, which
    /// then no longer wakes the others (those left with none are blocked again).
    fn consume(&self, me: TaskId) {
        let mut s = self.0.borrow();
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
        let mut s = self.0.borrow();
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
        let mut s = self.0.borrow();
        ExecutionState::with(|x| {
            for (tid, w) in s.waiters.iter_mut() {
                *w = Wake::Broadcast;
                x.get_mut(*tid).unblock();
            }
        });
    }
}

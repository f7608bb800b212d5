//! The wait-for registry: what each simulated thread is blocked on, and global deadlock detection.
//!
//! Every blocking operation of the facade registers a [`Wait`] before it blocks and clears it when
//! it returns. A wait carries a probe that says, from the simulator's own bookkeeping, whether the
//! thread is still unable to proceed. When every started thread is blocked and no spawned thread
//! is still to start, nothing can wake anyone: the execution is deadlocked, and the report names
//! each thread, what it waits on, where, and who holds it. Shuttle only says "deadlock!" and the
//! task names; Go says nothing at all (a wedged runtime).

use crate::ctx::{self, ExecCtx};
use crate::failure::{sim_panic, FailureKind};
use crate::rank::LockClass;
use std::panic::Location;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;

pub(crate) mod line;

/// How to tell whether a waiting thread is still blocked.
#[derive(Clone, Debug)]
pub(crate) enum Probe {
    /// Waiting for lock `id`: blocked while another thread holds it (exclusively, if `shared`).
    Lock { id: usize, shared: bool },
    /// Waiting for a count to become positive (a semaphore).
    Count(Arc<AtomicI64>),
    /// Waiting for a flag to be set (a park token).
    Flag(Arc<AtomicBool>),
    /// Waiting for a thread to finish (join).
    Task(usize),
    /// Waiting for a notification on condition variable `id`; cleared by the notifier.
    Notify(usize),
}

/// What a blocked thread waits on, as data: it is rendered only when a report needs it, so a
/// blocking operation formats nothing (this is on the hot path of every lock).
#[derive(Clone, Copy, Debug)]
pub(crate) enum What {
    /// A mutex of this class (`None`: unranked).
    Mutex(Option<&'static LockClass>),
    /// A notification on a condition variable, whose mutex (of this class) is released meanwhile.
    Condvar(Option<&'static LockClass>),
    /// A reader-writer lock, for a shared or the exclusive hold.
    RwLock { name: &'static str, shared: bool },
    /// A permit of a semaphore.
    Sema(&'static str),
    /// A `goready` of a parked goroutine.
    Park(&'static str),
    /// Another thread (by task id) to finish.
    Join(usize),
}

fn mutex_text(class: Option<&LockClass>) -> String {
    match class {
        Some(c) => format!("lock {} (rank {})", c.name, c.rank),
        None => "an unranked lock".to_string(),
    }
}

impl What {
    /// The report text, e.g. `lock trace (rank 42)` or `thread reader to finish (join)`.
    pub(crate) fn render(&self, c: &ExecCtx) -> String {
        match *self {
            Self::Mutex(class) => mutex_text(class),
            Self::Condvar(class) => format!(
                "a condition variable (holding {} while not waiting)",
                mutex_text(class)
            ),
            Self::RwLock { name, shared: true } => format!("{name} (shared)"),
            Self::RwLock { name, .. } => format!("{name} (exclusive)"),
            Self::Sema(name) => format!("semaphore {name} (semacquire)"),
            Self::Park(name) => format!("a goready of {name} (gopark)"),
            Self::Join(id) => format!("thread {} to finish (join)", c.name_of(id)),
        }
    }
}

/// What a blocked thread waits on.
#[derive(Clone, Debug)]
pub(crate) struct Wait {
    pub what: What,
    pub site: &'static Location<'static>,
    pub probe: Probe,
}

fn holder_of(c: &ExecCtx, id: usize, me: usize, shared: bool) -> Option<usize> {
    c.tasks.iter().enumerate().find_map(|(t, info)| {
        let holds = info
            .held
            .iter()
            .any(|h| h.id == id && !(shared && h.shared));
        (t != me && holds).then_some(t)
    })
}

fn blocked(c: &ExecCtx, me: usize, w: &Wait) -> bool {
    match &w.probe {
        Probe::Lock { id, shared } => holder_of(c, *id, me, *shared).is_some(),
        Probe::Count(n) => n.load(Ordering::SeqCst) <= 0,
        Probe::Flag(f) => !f.load(Ordering::SeqCst),
        Probe::Task(t) => c.tasks.get(*t).is_none_or(|i| !i.finished),
        Probe::Notify(_) => true,
    }
}

fn all_blocked(c: &ExecCtx) -> bool {
    let live = || {
        c.tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.started && !t.finished)
    };
    // Cheap first: some live thread is not waiting at all (the usual case, at every lock).
    c.pending_starts == 0
        && live().all(|(_, t)| t.wait.is_some())
        && live().all(|(id, t)| t.wait.as_ref().is_some_and(|w| blocked(c, id, w)))
}

fn report(c: &ExecCtx) -> String {
    let mut out = vec!["deadlock: every simulated thread is blocked".to_string()];
    out.extend(threads(c));
    out.join("\n")
}

/// One line per live thread: what it waits on, where, and who holds it ([`line::Line`]).
pub(crate) fn threads(c: &ExecCtx) -> Vec<String> {
    c.tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.started && !t.finished)
        .map(|(id, t)| line::Line {
            thread: c.name_of(id),
            wait: t.wait.as_ref().map(|w| blocked_line(c, id, w)),
        })
        .map(|l| l.to_string())
        .collect()
}

/// Thread `id`'s wait `w` as a report line's data: what, where, and who holds it.
fn blocked_line(c: &ExecCtx, id: usize, w: &Wait) -> line::Blocked {
    let holder = match w.probe {
        Probe::Lock { id: lock, shared } => holder_of(c, lock, id, shared).map(|h| {
            let since = c.tasks[h]
                .held
                .iter()
                .find(|x| x.id == lock)
                .map(|x| x.site.to_string());
            (c.name_of(h), since.unwrap_or_default())
        }),
        _ => None,
    };
    line::Blocked {
        what: w.what.render(c),
        site: w.site.to_string(),
        holder,
    }
}

/// Registers that the current thread is about to block on `what`; fails the execution with a
/// deadlock report if that leaves no thread able to run. `#[track_caller]`, like every blocking
/// operation that calls it, so the failure's location is the user's call site.
#[track_caller]
pub(crate) fn begin(what: What, site: &'static Location<'static>, probe: Probe) {
    let Some(me) = ctx::scheduled() else {
        return;
    };
    let dead = ctx::with(|c| {
        c.task(me).wait = Some(Wait { what, site, probe });
        all_blocked(c).then(|| report(c))
    })
    .flatten();
    if let Some(message) = dead {
        sim_panic(FailureKind::Deadlock, message);
    }
}

/// Clears the current thread's wait.
pub(crate) fn end() {
    if let Some(me) = ctx::scheduled() {
        ctx::with(|c| c.task(me).wait = None);
    }
}

/// Clears the waits of threads notified on condition variable `id`.
pub(crate) fn notify(id: usize) {
    ctx::with(|c| {
        for t in &mut c.tasks {
            if matches!(t.wait, Some(Wait { probe: Probe::Notify(n), .. }) if n == id) {
                t.wait = None;
            }
        }
    });
}

/// Called when a thread finishes: if every thread left is blocked, nothing can wake them.
/// Returns whether that is a deadlock (recorded as the execution's failure).
pub(crate) fn check_after_finish() -> bool {
    ctx::with(|c| {
        let live = c.tasks.iter().any(|t| t.started && !t.finished);
        let dead = live && !c.stopping && all_blocked(c);
        if dead {
            let message = report(c);
            c.fail(FailureKind::Deadlock, message, None);
        }
        dead
    })
    .unwrap_or(false)
}

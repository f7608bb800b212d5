//! Held-lock bookkeeping for the facade's locks, under both backends: the rank checks of
//! [`crate::rank`] on every acquisition, the held list per actor, and the order-graph edges.
//!
//! Inside a simulation the held list lives in the execution context, per shuttle task; outside,
//! in a thread-local of this facade, per OS thread (each OS thread is one actor there).

use crate::ctx;
use crate::failure::sim_panic;
use crate::graph::LockGraph;
use crate::rank::{self, Held, LockClass, RankAction, RankMode};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::panic::Location;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex as StdMutex;

thread_local! {
    static NATIVE_HELD: RefCell<Vec<Held>> = const { RefCell::new(Vec::new()) };
    static NATIVE_SEEN: RefCell<BTreeSet<(&'static str, &'static str)>> = const { RefCell::new(BTreeSet::new()) };
}

static NATIVE_MODE: AtomicU8 = AtomicU8::new(1);
static NATIVE_GRAPH: StdMutex<Option<LockGraph>> = StdMutex::new(None);
static NATIVE_CYCLES: StdMutex<Vec<String>> = StdMutex::new(Vec::new());

/// Sets the rank mode for locks on real threads (outside simulations).
pub fn set_native_rank_mode(mode: RankMode) {
    NATIVE_MODE.store(mode as u8, Ordering::Relaxed);
}

fn native_mode() -> RankMode {
    match NATIVE_MODE.load(Ordering::Relaxed) {
        0 => RankMode::Off,
        2 => RankMode::Strict,
        _ => RankMode::GoCompatible,
    }
}

/// Lock-order cycles found on real threads so far (each reported once).
pub fn native_lock_cycles() -> Vec<String> {
    NATIVE_CYCLES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
}

/// Adds the edges of a nested acquisition to the global graph; each edge takes the global lock
/// only the first time this thread sees it.
fn native_edges(held: &[Held], class: &'static LockClass, site: &'static Location<'static>) {
    for e in rank::edges_to(held, class, site) {
        let fresh = NATIVE_SEEN.with(|s| s.borrow_mut().insert((e.from, e.to)));
        if !fresh {
            continue;
        }
        let mut graph = NATIVE_GRAPH.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cycle) = graph
            .get_or_insert_with(LockGraph::default)
            .add(&e, "a native run")
        {
            NATIVE_CYCLES
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(cycle);
        }
    }
}

/// One acquisition, as the lock wrappers describe it.
#[derive(Clone, Copy)]
pub(crate) struct Acquire {
    pub id: usize,
    pub class: Option<&'static LockClass>,
    pub site: &'static Location<'static>,
    pub shared: bool,
    pub sim: bool,
}

/// The violation of acquisition `a`, if any; `who` names the actor, built only for a report.
fn violation(
    held: &[Held],
    a: &Acquire,
    mode: RankMode,
    who: impl FnOnce() -> String,
) -> Option<rank::Violation> {
    if held.iter().any(|h| h.id == a.id) {
        return rank::check_self(held, a.id, a.class, a.site, &who());
    }
    rank::check_rank(held, a.class?, a.site, mode)
}

fn sim_check(a: &Acquire) -> Option<rank::Violation> {
    let me = ctx::scheduled()?;
    ctx::with(|c| {
        let (mode, action) = (c.rank_mode, c.rank_action);
        c.task(me);
        let mut v = violation(&c.tasks[me].held, a, mode, || c.name_of(me));
        if let Some(class) = a.class {
            // Only edges new to this execution are built (their sites are formatted).
            let held = &c.tasks[me].held;
            for h in held.iter().filter(|h| h.class.is_some_and(|f| f.name != class.name)) {
                let from = h.class.expect("filtered").name;
                if !c.edges.iter().any(|x| x.from == from && x.to == class.name) {
                    let edge = rank::edges_to(std::slice::from_ref(h), class, a.site).next();
                    c.edges.extend(edge);
                }
            }
        }
        if matches!(&v, Some(x) if x.kind == crate::failure::FailureKind::Rank && action == RankAction::Record) {
            let msg = v.take().expect("checked").message;
            if !c.rank_reports.contains(&msg) {
                c.rank_reports.push(msg);
            }
        }
        v
    })
    .flatten()
}

fn native_check(a: &Acquire) -> Option<rank::Violation> {
    NATIVE_HELD.with(|h| {
        let held = h.borrow();
        let v = violation(&held, a, native_mode(), || "this thread".to_string());
        if let (Some(class), false) = (a.class, held.is_empty()) {
            native_edges(&held, class, a.site);
        }
        v
    })
}

/// Checks an acquisition before it blocks: self-deadlock, rank, order-graph edges. Panics with
/// the violation (a simulated failure inside an execution, a real panic outside), located at the
/// caller's caller (every lock operation is `#[track_caller]`).
#[track_caller]
pub(crate) fn check(a: Acquire) {
    let v = if a.sim {
        sim_check(&a)
    } else {
        native_check(&a)
    };
    if let Some(v) = v {
        sim_panic(v.kind, v.message);
    }
}

/// Records the lock as held by the current actor, once acquired.
pub(crate) fn push(a: Acquire) {
    let h = Held {
        id: a.id,
        class: a.class,
        site: a.site,
        shared: a.shared,
    };
    if a.sim {
        if let Some(me) = ctx::scheduled() {
            ctx::with(|c| c.task(me).held.push(h));
        }
        crate::cell::race::lock_acquired(&h);
    } else {
        NATIVE_HELD.with(|x| x.borrow_mut().push(h));
    }
}

/// Go's `lockWithRankMayAcquire`: checks as if `class` were acquired now, without holding it.
#[track_caller]
pub fn may_acquire(class: &'static LockClass) {
    check(Acquire {
        id: usize::MAX,
        class: Some(class),
        site: Location::caller(),
        shared: false,
        sim: ctx::current_task().is_some(),
    });
}

/// Removes lock `id` from the current actor's held list.
pub(crate) fn release(id: usize, sim: bool) {
    let pop = |held: &mut Vec<Held>| {
        let pos = held.iter().rposition(|h| h.id == id)?;
        Some(held.remove(pos))
    };
    if sim {
        if let Some(me) = ctx::scheduled() {
            let h = ctx::with(|c| pop(&mut c.task(me).held)).flatten();
            crate::cell::race::lock_released(h.as_ref());
        }
    } else {
        NATIVE_HELD.with(|h| pop(&mut h.borrow_mut()));
    }
}

/// Whether the current actor holds lock `id`.
pub(crate) fn holds(id: usize, sim: bool) -> bool {
    if sim {
        let Some(me) = ctx::scheduled() else {
            return false;
        };
        ctx::with(|c| c.task(me).held.iter().any(|h| h.id == id)).unwrap_or(false)
    } else {
        NATIVE_HELD.with(|h| h.borrow().iter().any(|x| x.id == id))
    }
}

/// Whether the current actor holds lock `id` exclusively.
pub(crate) fn holds_exclusive(id: usize, sim: bool) -> bool {
    let f = |held: &Vec<Held>| held.iter().any(|h| h.id == id && !h.shared);
    if sim {
        let Some(me) = ctx::scheduled() else {
            return false;
        };
        ctx::with(|c| f(&c.task(me).held)).unwrap_or(false)
    } else {
        NATIVE_HELD.with(|h| f(&h.borrow()))
    }
}

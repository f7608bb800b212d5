//! The merge of per-P batches into one consistent stream, and futile-wakeup removal.
//!
//! Mirrors go1.21 `internal/trace/order.go` (`order1007`, `stateTransition`,
//! `transitionReady`, `transition`) and `removeFutile` in `internal/trace/parser.go`.
//! Go iterates its batch map in random order; this port takes the Ps in ascending order, so
//! ties between equal timestamps are broken deterministically.

use super::ev::*;
use super::parse::{Event, ERR_TIME_ORDER, PROFILE_P};
use crate::common::wire::id_map::IdMap;
use crate::common::wire::Error;
use std::collections::{BTreeMap, BTreeSet};

const UNORDERED: u64 = u64::MAX;
const GARBAGE: u64 = u64::MAX - 1;
const NOSEQ: u64 = u64::MAX;
const SEQINC: u64 = u64::MAX - 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Status {
    #[default]
    Dead,
    Runnable,
    Running,
    Waiting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct GState {
    seq: u64,
    status: Status,
}

const fn gs(seq: u64, status: Status) -> GState {
    GState { seq, status }
}

/// A batch's first unmerged event whose precondition holds; the event itself stays in the
/// batch's `events` until it is merged, so that sorting the frontier moves only these few words.
struct Pending {
    ts: i64,
    batch: usize,
    g: u64,
    init: GState,
    next: GState,
}

struct Batch {
    /// The P's events; those from `next` on are unmerged (merged ones are left defaulted).
    events: Vec<Event>,
    next: usize,
    selected: bool,
}

/// Merges per-P batches (`order1007`): repeatedly takes, among the first unmerged event of each
/// batch whose goroutine precondition holds, the one with the smallest timestamp.
pub(super) fn order1007(mut m: BTreeMap<i64, Vec<Event>>) -> Result<Vec<Event>, Error> {
    if let Some(profile) = m.get_mut(&PROFILE_P) {
        profile.sort_by_key(|e| e.ts);
    }
    let pending: usize = m.values().map(Vec::len).sum();
    let batch = |events: Vec<Event>| Batch {
        events,
        next: 0,
        selected: false,
    };
    let mut batches: Vec<Batch> = m.into_values().map(batch).collect();
    let mut states: IdMap<GState> = IdMap::default();
    let mut frontier: Vec<Pending> = Vec::new();
    let mut events = Vec::with_capacity(pending);
    for _ in 0..pending {
        fill_frontier(&mut batches, &states, &mut frontier);
        if frontier.is_empty() {
            return Err(Error::whole("no consistent ordering of events possible"));
        }
        frontier.sort_by_key(|f| f.ts);
        let f = frontier.swap_remove(0);
        transition(&mut states, f.g, f.init, f.next)?;
        events.push(take_selected(&mut batches[f.batch]));
    }
    if events.windows(2).any(|w| w[1].ts < w[0].ts) {
        return Err(Error::whole(ERR_TIME_ORDER));
    }
    syscall_exit_times(&mut events)?;
    // Usually already in order (only real syscall-exit times move events); a stable sort of a
    // sorted vector changes nothing, so skip it then.
    if events.windows(2).any(|w| w[1].ts < w[0].ts) {
        events.sort_by_key(|e| e.ts);
    }
    Ok(events)
}

fn fill_frontier(batches: &mut [Batch], states: &IdMap<GState>, frontier: &mut Vec<Pending>) {
    for (i, b) in batches.iter_mut().enumerate() {
        let Some(ev) = b.events.get(b.next).filter(|_| !b.selected) else {
            continue;
        };
        let (g, init, next) = state_transition(ev);
        if !transition_ready(g, states.get(g).copied().unwrap_or_default(), init) {
            continue;
        }
        let ts = ev.ts;
        b.selected = true;
        frontier.push(Pending {
            ts,
            batch: i,
            g,
            init,
            next,
        });
    }
}

/// Takes a batch's selected event out of it, its `Local` type rewritten to the plain one.
fn take_selected(b: &mut Batch) -> Event {
    b.selected = false;
    let mut ev = b
        .events
        .get_mut(b.next)
        .map(std::mem::take)
        .unwrap_or_default();
    b.next += 1;
    ev.typ = match ev.typ {
        EV_GO_START_LOCAL => EV_GO_START,
        EV_GO_UNBLOCK_LOCAL => EV_GO_UNBLOCK,
        EV_GO_SYS_EXIT_LOCAL => EV_GO_SYS_EXIT,
        t => t,
    };
    ev
}

/// Gives `GoSysExit` events their real exit time (`Args[2]`), checked against the last
/// `GoSysBlock`/`GoInSyscall` of the goroutine.
fn syscall_exit_times(events: &mut [Event]) -> Result<(), Error> {
    let mut last_sys_block: BTreeMap<u64, i64> = BTreeMap::new();
    for ev in events {
        match ev.typ {
            EV_GO_SYS_BLOCK | EV_GO_IN_SYSCALL => {
                last_sys_block.insert(ev.g, ev.ts);
            }
            EV_GO_SYS_EXIT => {
                let ts = ev.args[2] as i64;
                if ts == 0 {
                    continue;
                }
                let block = last_sys_block.get(&ev.g).copied().unwrap_or(0);
                if block == 0 {
                    return Err(Error::at(ev.off, "stray syscall exit"));
                }
                if ts < block {
                    return Err(Error::at(ev.off, ERR_TIME_ORDER));
                }
                ev.ts = ts;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The goroutine an event orders on, its state required before (`init`) and after (`next`).
fn state_transition(ev: &Event) -> (u64, GState, GState) {
    use Status::*;
    let (a0, a1) = (ev.args[0], ev.args[1]);
    match ev.typ {
        EV_GO_CREATE => (a0, gs(0, Dead), gs(1, Runnable)),
        EV_GO_WAITING | EV_GO_IN_SYSCALL => (ev.g, gs(1, Runnable), gs(2, Waiting)),
        EV_GO_START | EV_GO_START_LABEL => {
            (ev.g, gs(a1, Runnable), gs(a1.wrapping_add(1), Running))
        }
        EV_GO_START_LOCAL => (ev.g, gs(NOSEQ, Runnable), gs(SEQINC, Running)),
        EV_GO_BLOCK | EV_GO_BLOCK_SEND | EV_GO_BLOCK_RECV | EV_GO_BLOCK_SELECT
        | EV_GO_BLOCK_SYNC | EV_GO_BLOCK_COND | EV_GO_BLOCK_NET | EV_GO_SLEEP | EV_GO_SYS_BLOCK
        | EV_GO_BLOCK_GC => (ev.g, gs(NOSEQ, Running), gs(NOSEQ, Waiting)),
        EV_GO_SCHED | EV_GO_PREEMPT => (ev.g, gs(NOSEQ, Running), gs(NOSEQ, Runnable)),
        EV_GO_UNBLOCK | EV_GO_SYS_EXIT => (a0, gs(a1, Waiting), gs(a1.wrapping_add(1), Runnable)),
        EV_GO_UNBLOCK_LOCAL | EV_GO_SYS_EXIT_LOCAL => {
            (a0, gs(NOSEQ, Waiting), gs(SEQINC, Runnable))
        }
        EV_GC_START => (GARBAGE, gs(a0, Dead), gs(a0.wrapping_add(1), Dead)),
        _ => (UNORDERED, GState::default(), GState::default()),
    }
}

fn transition_ready(g: u64, curr: GState, init: GState) -> bool {
    g == UNORDERED || (init.seq == NOSEQ || init.seq == curr.seq) && init.status == curr.status
}

/// Applies a merged event's transition. Go panics (`event sequences are broken`) when the
/// precondition no longer holds; this port returns that message as an error.
fn transition(
    states: &mut IdMap<GState>,
    g: u64,
    init: GState,
    mut next: GState,
) -> Result<(), Error> {
    if g == UNORDERED {
        return Ok(());
    }
    let curr = states.get(g).copied().unwrap_or_default();
    if !transition_ready(g, curr, init) {
        return Err(Error::whole("event sequences are broken"));
    }
    match next.seq {
        NOSEQ => next.seq = curr.seq,
        SEQINC => next.seq = curr.seq.wrapping_add(1),
        _ => {}
    }
    states.insert(g, next);
    Ok(())
}

#[derive(Default)]
struct Wakeup {
    futile: bool,
    wakeup: Vec<usize>,
}

/// Removes futile wakeup sequences (unblock, start, block) marked by `FutileWakeup`
/// (`removeFutile`).
pub(super) fn remove_futile(events: Vec<Event>) -> Vec<Event> {
    if !events.iter().any(|e| e.typ == EV_FUTILE_WAKEUP) {
        return events; // no goroutine is marked futile, so nothing is removed
    }
    let mut gs: BTreeMap<u64, Wakeup> = BTreeMap::new();
    let mut futile: BTreeSet<usize> = BTreeSet::new();
    for (i, ev) in events.iter().enumerate() {
        match ev.typ {
            EV_GO_UNBLOCK => gs.entry(ev.args[0]).or_default().wakeup = vec![i],
            EV_GO_START | EV_GO_PREEMPT | EV_FUTILE_WAKEUP => {
                let g = gs.entry(ev.g).or_default();
                g.wakeup.push(i);
                g.futile |= ev.typ == EV_FUTILE_WAKEUP;
            }
            EV_GO_BLOCK | EV_GO_BLOCK_SEND | EV_GO_BLOCK_RECV | EV_GO_BLOCK_SELECT
            | EV_GO_BLOCK_SYNC | EV_GO_BLOCK_COND => {
                if let Some(g) = gs.remove(&ev.g).filter(|g| g.futile) {
                    futile.insert(i);
                    futile.extend(g.wakeup);
                }
            }
            _ => {}
        }
    }
    let keep = |(i, _): &(usize, Event)| !futile.contains(i);
    events
        .into_iter()
        .enumerate()
        .filter(keep)
        .map(|(_, e)| e)
        .collect()
}

//! The judges of one go1.22 execution (§G.6): Go's own reader and `testtrace.Validator`
//! ([`super::wire`]) and the structural checks over each session's bytes, then the ghost
//! invariants Go's tests cannot state: every committed event exactly once, in its generation
//! and in per-M order (I2, I3, I7), every accepted CPU sample exactly once in the generation
//! the handler read (I12).

use super::ghost::{Committed, Ghost};
use super::harness::Session;
use super::wire::{self, ev};
use std::collections::BTreeMap;

/// What the reader saw of one session: `HeapAlloc` values and CPU samples with the generation
/// they were read in (the session's first generation plus the `Sync`s before them).
#[derive(Debug, Default)]
pub struct Seen {
    pub events: Vec<(u64, u64, i64)>,
    pub samples: Vec<(u64, u64)>,
}

/// The invariant a Go reader or validator message breaks (the table of §D.2).
pub fn invariant_of(msg: &str) -> &'static str {
    let table = [
        ("func string", "I6"),
        ("file string", "I6"),
        ("string ID", "I6"),
        ("strings with the same ID", "I6"),
        ("stack", "I5"),
        ("generation", "I7"),
        ("frequency", "I7"),
        ("batch", "I4"),
    ];
    table
        .iter()
        .find(|(k, _)| msg.contains(k))
        .map_or("I3", |(_, id)| id)
}

/// Reads and validates one session with Go's reader and validator; fails the execution with
/// Go's message on the first error.
pub fn read(s: &Session, k: usize) -> Seen {
    let mut seen = Seen::default();
    let fail = |msg: String| -> ! {
        sim::failure::sim_panic(
            sim::FailureKind::Invariant,
            format!(
                "invariant {} violated: Go's reader rejects session {}: {msg}",
                invariant_of(&msg),
                k + 1
            ),
        )
    };
    let mut r = wire::Reader::new(&s.bytes).unwrap_or_else(|e| fail(e.to_string()));
    let mut val = wire::Validator::new();
    let mut gen = s.first_gen;
    while let Some(e) = r.next_event().unwrap_or_else(|e| fail(e.to_string())) {
        if let Err(msg) = val.event(&e) {
            fail(msg);
        }
        match e.base.typ {
            ev::EV_SYNC => gen += 1,
            ev::EV_HEAP_ALLOC => seen.events.push((e.base.args[0], gen, e.ctx.m)),
            ev::EV_CPU_SAMPLE => seen.samples.push((e.ctx.g as u64, gen)),
            _ => {}
        }
    }
    // The reader read the whole file without a framing error: check its batches as read.
    let structural = wire::check::check_read(s.bytes.len(), r.batches_read());
    if let Some(v) = structural.into_iter().next() {
        sim::invariant!(
            false,
            v.invariant,
            "session {}: {} (at byte {})",
            k + 1,
            v.message,
            v.offset
        );
    }
    seen
}

/// Checks `committed` against what was read: exactly once, in the committing generation.
fn exactly_once(what: &str, inv: &str, k: usize, committed: &[Committed], seen: &[(u64, u64)]) {
    let mut sorted = seen.to_vec();
    sorted.sort_by_key(|&(id, _)| id); // stable: each id's generations stay in read order
    let groups: Vec<&[(u64, u64)]> = sorted.chunk_by(|a, b| a.0 == b.0).collect();
    let mut taken = vec![false; groups.len()];
    for c in committed {
        let found = groups.binary_search_by_key(&c.id, |g| g[0].0);
        let gens: &[(u64, u64)] = match found {
            Ok(i) if !taken[i] => {
                taken[i] = true;
                groups[i]
            }
            _ => &[],
        };
        sim::invariant!(
            gens.len() == 1,
            inv,
            "session {}: {what} {} committed by M {} in generation {} appears {} times in the output",
            k + 1, c.id, c.m, c.gen, gens.len()
        );
        sim::invariant!(
            gens[0].1 == c.gen,
            inv,
            "session {}: {what} {} committed by M {} in generation {} was read in generation {}",
            k + 1,
            c.id,
            c.m,
            c.gen,
            gens[0].1
        );
    }
    if let Some(i) = taken.iter().position(|&t| !t) {
        let (id, n) = (groups[i][0].0, groups[i].len());
        sim::invariant!(
            false,
            inv,
            "session {}: {what} {id} appears {n} times but was never committed in this session",
            k + 1
        );
    }
}

/// I3: each M's events appear in commit order.
fn per_m_order(k: usize, committed: &[Committed], seen: &Seen) {
    // id → its last position in `committed` (as a map collected from it keeps).
    let mut rank: Vec<(u64, usize)> = committed
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    rank.sort_by_key(|&(id, _)| id);
    rank.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 = later.1;
        }
        same
    });
    let mut last: BTreeMap<i64, usize> = BTreeMap::new();
    for &(id, _, m) in &seen.events {
        let Ok(i) = rank.binary_search_by_key(&id, |&(id, _)| id) else {
            continue;
        };
        let r = rank[i].1;
        let prev = last.insert(m, r);
        sim::invariant!(
            prev.is_none_or(|p| p < r),
            "I3",
            "session {}: M {m}'s event {id} is read before an event it committed earlier",
            k + 1
        );
    }
}

/// Validates every session against the merged ghost log.
pub fn validate(sessions: &[Session], ghost: &Ghost) {
    for (k, s) in sessions.iter().enumerate() {
        let end = sessions.get(k + 1).map_or(u64::MAX, |n| n.first_gen);
        let mine = |c: &&Committed| c.gen >= s.first_gen && c.gen < end;
        let events: Vec<Committed> = ghost.events.iter().filter(mine).copied().collect();
        let samples: Vec<Committed> = ghost.samples.iter().filter(mine).copied().collect();
        let seen = read(s, k);
        let ev: Vec<(u64, u64)> = seen.events.iter().map(|&(id, g, _)| (id, g)).collect();
        exactly_once("event", "I2", k, &events, &ev);
        exactly_once("CPU sample", "I12", k, &samples, &seen.samples);
        per_m_order(k, &events, &seen);
    }
}

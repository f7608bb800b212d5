//! The validator: after an execution, each session's trace is judged against the invariants of
//! §G.6 that apply to v1 — structure (I3, I5, I6, I7, I15, through [`super::wire::check`]), Go's
//! own go1.21 parser (through [`super::wire::parse`]) and viewer's needs
//! ([`crate::go121::viewer`]), and the ghost logs: exactly-once delivery
//! and per-writer order of every event (I2, I3) and of every accepted CPU sample (I12).

use super::wire::{self, dec::Decoded, ev};
use crate::go121::ghost::{Ghost, GhostEvent};
use crate::go121::state::Trace;
use std::collections::BTreeMap;

/// Events as they appear in the output: `(pid, ts) → type`, plus CPU samples' real timestamps.
struct Seen {
    events: Vec<GhostEvent>,
    /// Where each of `events` is: byte offset and batch index.
    at: Vec<(usize, usize)>,
    samples: Vec<u64>,
}

fn structural(typ: u8) -> bool {
    matches!(
        typ,
        ev::EV_BATCH | ev::EV_STACK | ev::EV_STRING | ev::EV_FREQUENCY
    )
}

fn seen(session: u64, d: &Decoded) -> Seen {
    let mut out = Seen {
        events: Vec::new(),
        at: Vec::new(),
        samples: Vec::new(),
    };
    for (bi, b) in d.batches.iter().enumerate() {
        let mut ts = b.ts;
        for raw in &d.events[b.events.clone()] {
            if structural(raw.typ) {
                continue;
            }
            ts += raw.args.first().copied().unwrap_or(0);
            out.events.push(GhostEvent {
                session,
                pid: b.p as i32,
                ts,
                typ: raw.typ,
                stack: None,
            });
            out.at.push((raw.off, bi));
            if raw.typ == ev::EV_CPU_SAMPLE {
                out.samples.push(raw.args[1]);
            }
        }
    }
    out
}

/// The stack definitions of a trace: id → PCs (the first definition; duplicates are I5 in check).
fn definitions(d: &Decoded) -> BTreeMap<u64, Vec<u64>> {
    let mut defs = BTreeMap::new();
    for raw in d.events.iter().filter(|r| r.typ == ev::EV_STACK) {
        let pcs = raw
            .args
            .get(2..)
            .unwrap_or_default()
            .chunks_exact(4)
            .map(|f| f[0])
            .collect();
        defs.entry(raw.args.first().copied().unwrap_or(0))
            .or_insert(pcs);
    }
    defs
}

/// I5 against the ghost: every stack an event referenced is defined, with the PCs it was put with.
fn stacks_as_put(session: u64, ghost: &Ghost, d: &Decoded) -> Result<(), String> {
    let defs = definitions(d);
    for e in ghost.events.iter().filter(|e| e.session == session) {
        let Some(s) = e.stack else { continue };
        match defs.get(&s.id) {
            None => {
                return Err(format!(
                    "I5 violated: stack {} of {} at ts {} on P {} is referenced but never defined (put after the table was dumped)",
                    s.id, ev::name(e.typ), e.ts, e.pid
                ))
            }
            Some(pcs) if pcs.as_slice() != s.pcs() => {
                return Err(format!(
                    "I5 violated: stack {} of {} at ts {} on P {} was put with PCs {:x?} but is defined with {:x?} \
                     (the table was reset while writers were live, so ids were reused)",
                    s.id, ev::name(e.typ), e.ts, e.pid, s.pcs(), pcs
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// I5, exactly: go1.21's `put` gives one id per distinct stack in a session, so two definitions
/// with the same PCs mean two `put`s of one stack returned different ids.
fn one_id_per_stack(d: &Decoded) -> Result<(), String> {
    let mut ids: BTreeMap<Vec<u64>, u64> = BTreeMap::new();
    for (id, pcs) in definitions(d) {
        if let Some(first) = ids.insert(pcs.clone(), id) {
            return Err(format!(
                "I5 violated: stacks {first} and {id} are both defined with PCs {pcs:x?}: the stack table gave one stack two ids in one session"
            ));
        }
    }
    Ok(())
}

fn exactly_once(session: u64, ghost: &Ghost, seen: &Seen) -> Result<(), String> {
    let mut want: BTreeMap<(i32, u64), u8> = BTreeMap::new();
    for e in ghost.events.iter().filter(|e| e.session == session) {
        want.insert((e.pid, e.ts), e.typ);
    }
    let mut got: BTreeMap<(i32, u64), (u8, usize, usize)> = BTreeMap::new();
    for (e, &(off, b)) in seen.events.iter().zip(&seen.at) {
        if let Some((_, first, _)) = got.insert((e.pid, e.ts), (e.typ, off, b)) {
            return Err(format!(
                "I2 violated at byte {off} (batch {b}, p={}): {} at ts {} appears twice in the output (first at byte {first}): a batch was delivered twice",
                e.pid, ev::name(e.typ), e.ts
            ));
        }
    }
    if let Some(((pid, ts), typ)) = want.iter().find(|(k, _)| !got.contains_key(k)) {
        return Err(format!("I2 violated: {} written at ts {ts} into P {pid}'s buffer never reached the output (a lost buffer or event)", ev::name(*typ)));
    }
    if let Some(((pid, ts), (typ, off, b))) = got.iter().find(|(k, _)| !want.contains_key(k)) {
        return Err(format!("I2 violated at byte {off} (batch {b}, p={pid}): the output holds {} at ts {ts} that no actor committed", ev::name(*typ)));
    }
    Ok(())
}

/// I12, exactly: every sample the profBuf accepted appears once in the trace, and every sample
/// it dropped is counted by an overflow record a drain read.
fn samples_once(t: &Trace, session: u64, ghost: &Ghost, seen: &Seen) -> Result<(), String> {
    let mine = || ghost.samples.iter().filter(|s| s.session == session);
    let mut accepted: Vec<u64> = mine()
        .filter(|s| s.pos.is_some())
        .map(|s| s.real_ts)
        .collect();
    accepted.sort_unstable();
    let mut got = seen.samples.clone();
    got.sort_unstable();
    if accepted != got {
        return Err(format!(
            "I12 violated: CPU samples accepted by the profBuf at {accepted:?}, but the trace holds samples at {got:?} \
             (each accepted sample must appear exactly once)"
        ));
    }
    let dropped = mine().filter(|s| s.pos.is_none()).count() as u64;
    let counted = t.cpu.lost[session as usize - 1].load(sim::sync::atomic::Ordering::SeqCst);
    if dropped != counted {
        let pending = t.cpu.profbufs[session as usize - 1].overflow_pending();
        return Err(format!(
            "I12 violated: the full profBuf dropped {dropped} samples, but the overflow records drained count {counted} \
             ({pending} still pending in the ring)"
        ));
    }
    Ok(())
}

fn invariant_number(v: &wire::Violation) -> u32 {
    v.invariant
        .trim_start_matches('I')
        .parse()
        .unwrap_or(u32::MAX)
}

/// One line per invariant broken (its first violation, and how many more), by invariant number.
fn summarize(violations: &[wire::Violation]) -> String {
    let mut groups: BTreeMap<u32, (&wire::Violation, usize)> = BTreeMap::new();
    for v in violations {
        groups.entry(invariant_number(v)).or_insert((v, 0)).1 += 1;
    }
    let lines: Vec<String> = groups
        .values()
        .map(|(v, n)| {
            if *n > 1 {
                format!("{v} (and {} more {} violations)", n - 1, v.invariant)
            } else {
                v.to_string()
            }
        })
        .collect();
    lines.join("\n")
}

/// Judges session `session` (1-based) of an execution: returns the first violation found.
pub fn validate_session(
    t: &Trace,
    session: u64,
    bytes: &[u8],
    ghost: &Ghost,
) -> Result<(), String> {
    let d =
        wire::dec::decode_lenient(bytes).map_err(|e| format!("the trace does not decode: {e}"))?;
    let violations = wire::check(&d);
    let as_put = stacks_as_put(session, ghost, &d)
        .and_then(|()| one_id_per_stack(&d))
        .err();
    if !violations.is_empty() || as_put.is_some() {
        let structural = (!violations.is_empty()).then(|| summarize(&violations));
        return Err([as_put, structural]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n"));
    }
    // Go's parser decodes strictly; the strict decode differs from the lenient one only by
    // rejecting duplicate string ids and over-long strings, which I6 and I15 just found absent,
    // so the records already decoded are the ones it would read.
    let parsed = wire::parse::parse_decoded(&d)
        .map_err(|e| format!("Go's go1.21 parser rejects the trace: {e}"))?;
    crate::go121::viewer::viewable(&parsed)?;
    let seen = seen(session, &d);
    exactly_once(session, ghost, &seen)?;
    samples_once(t, session, ghost, &seen)
}

/// Judges every session; panics with an invariant failure naming the session.
pub fn validate(t: &Trace, traces: &[Vec<u8>], ghost: &Ghost) {
    for (i, bytes) in traces.iter().enumerate() {
        if let Err(e) = validate_session(t, i as u64 + 1, bytes, ghost) {
            let id = e
                .split_whitespace()
                .next()
                .filter(|w| w.starts_with('I'))
                .unwrap_or("trace");
            sim::invariant!(false, id, "session {} of {}: {e}", i + 1, traces.len());
        }
    }
}

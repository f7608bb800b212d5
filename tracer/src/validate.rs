//! The validator: after an execution, each session's trace is judged against the invariants of
//! §G.6 that apply to v1 — structure (I3, I5, I6, I7, I15, through [`crate::wire::check`]), Go's
//! own go1.21 parser (through [`crate::wire::parse`]), and the ghost logs: exactly-once delivery
//! and per-writer order of every event (I2, I3) and of every accepted CPU sample (I12).

use crate::ghost::{Ghost, GhostEvent};
use crate::state::Trace;
use crate::wire::{self, dec::Decoded, ev};
use std::collections::BTreeMap;

/// Events as they appear in the output: `(pid, ts) → type`, plus CPU samples' real timestamps.
struct Seen {
    events: Vec<GhostEvent>,
    samples: Vec<u64>,
}

fn structural(typ: u8) -> bool {
    matches!(typ, ev::EV_BATCH | ev::EV_STACK | ev::EV_STRING | ev::EV_FREQUENCY)
}

fn seen(session: u64, d: &Decoded) -> Seen {
    let mut out = Seen { events: Vec::new(), samples: Vec::new() };
    for b in &d.batches {
        let mut ts = b.ts;
        for raw in &d.events[b.events.clone()] {
            if structural(raw.typ) {
                continue;
            }
            ts += raw.args.first().copied().unwrap_or(0);
            out.events.push(GhostEvent { session, pid: b.p as i32, ts, typ: raw.typ });
            if raw.typ == ev::EV_CPU_SAMPLE {
                out.samples.push(raw.args[1]);
            }
        }
    }
    out
}

fn exactly_once(session: u64, ghost: &Ghost, seen: &Seen) -> Result<(), String> {
    let mut want: BTreeMap<(i32, u64), u8> = BTreeMap::new();
    for e in ghost.events.iter().filter(|e| e.session == session) {
        want.insert((e.pid, e.ts), e.typ);
    }
    let mut got: BTreeMap<(i32, u64), u8> = BTreeMap::new();
    for e in &seen.events {
        if got.insert((e.pid, e.ts), e.typ).is_some() {
            return Err(format!("I2 violated: {} at ts {} on P {} appears twice in the output", ev::name(e.typ), e.ts, e.pid));
        }
    }
    if let Some(((pid, ts), typ)) = want.iter().find(|(k, _)| !got.contains_key(k)) {
        return Err(format!("I2 violated: {} written at ts {ts} into P {pid}'s buffer never reached the output (a lost buffer or event)", ev::name(*typ)));
    }
    if let Some(((pid, ts), typ)) = got.iter().find(|(k, _)| !want.contains_key(k)) {
        return Err(format!("I2 violated: the output holds {} at ts {ts} on P {pid} that no actor committed", ev::name(*typ)));
    }
    Ok(())
}

fn samples_once(t: &Trace, session: u64, ghost: &Ghost, seen: &Seen) -> Result<(), String> {
    let drained = t.cpu.profbufs[session as usize - 1].read_pos() as usize;
    let mut accepted: Vec<u64> = ghost.samples.iter().filter(|s| s.session == session).map(|s| s.real_ts).collect();
    accepted.sort_unstable();
    accepted.truncate(drained);
    let mut got = seen.samples.clone();
    got.sort_unstable();
    if accepted != got {
        return Err(format!(
            "I12 violated: CPU samples accepted by the profBuf and drained {accepted:?}, but the trace holds samples at {got:?}"
        ));
    }
    Ok(())
}

/// Judges session `session` (1-based) of an execution: returns the first violation found.
pub fn validate_session(t: &Trace, session: u64, bytes: &[u8], ghost: &Ghost) -> Result<(), String> {
    let violations = wire::check::check_bytes(bytes).map_err(|e| format!("the trace does not decode: {e}"))?;
    if !violations.is_empty() {
        let lines: Vec<String> = violations.iter().map(|v| v.to_string()).collect();
        return Err(lines.join("\n"));
    }
    wire::parse(bytes).map_err(|e| format!("Go's go1.21 parser rejects the trace: {e}"))?;
    let d = wire::decode(bytes).map_err(|e| format!("the trace does not decode: {e}"))?;
    let seen = seen(session, &d);
    exactly_once(session, ghost, &seen)?;
    samples_once(t, session, ghost, &seen)
}

/// Judges every session; panics with an invariant failure naming the session.
pub fn validate(t: &Trace, traces: &[Vec<u8>], ghost: &Ghost) {
    for (i, bytes) in traces.iter().enumerate() {
        if let Err(e) = validate_session(t, i as u64 + 1, bytes, ghost) {
            let id = e.split_whitespace().next().filter(|w| w.starts_with('I')).unwrap_or("trace");
            sim::invariant!(false, id, "session {} of {}: {e}", i + 1, traces.len());
        }
    }
}

//! The validator: after an execution, each session's trace is judged against the invariants of
//! §G.6 that apply to v1 — structure (I3, I5, I6, I7, I15, through [`super::wire::check`]), Go's
//! own go1.21 parser (through [`super::wire::parse`]) and viewer's needs
//! ([`crate::go121::viewer`]), and the ghost logs: exactly-once delivery
//! and per-writer order of every event (I2, I3) and of every accepted CPU sample (I12).

use super::wire::{self, dec::Decoded, ev, RawEvent};
use crate::go121::ghost::Ghost;
use crate::go121::state::Trace;
use std::collections::BTreeMap;

/// One event as it appears in the output: where it is and what it is.
struct SeenEvent {
    pid: i32,
    ts: u64,
    typ: u8,
    /// Byte offset and batch index.
    off: usize,
    batch: usize,
}

impl SeenEvent {
    fn key(&self) -> (i32, u64) {
        (self.pid, self.ts)
    }
}

/// Events as they appear in the output, plus CPU samples' real timestamps.
struct Seen {
    events: Vec<SeenEvent>,
    samples: Vec<u64>,
}

fn structural(typ: u8) -> bool {
    matches!(
        typ,
        ev::EV_BATCH | ev::EV_STACK | ev::EV_STRING | ev::EV_FREQUENCY
    )
}

fn seen(d: &Decoded) -> Seen {
    let mut out = Seen {
        events: Vec::with_capacity(d.events.len()),
        samples: Vec::new(),
    };
    for (bi, b) in d.batches.iter().enumerate() {
        let mut ts = b.ts;
        for raw in &d.events[b.events.clone()] {
            if structural(raw.typ) {
                continue;
            }
            ts += raw.args.first().copied().unwrap_or(0);
            out.events.push(SeenEvent {
                pid: b.p as i32,
                ts,
                typ: raw.typ,
                off: raw.off,
                batch: bi,
            });
            if raw.typ == ev::EV_CPU_SAMPLE {
                out.samples.push(raw.args[1]);
            }
        }
    }
    out
}

/// The PCs of a stack record (the first of each frame's four values).
fn pcs(raw: &RawEvent) -> impl Iterator<Item = u64> + '_ {
    let frames = raw.args.get(2..).unwrap_or_default().chunks_exact(4);
    frames.map(|f| f[0])
}

/// The stack definitions of a trace, sorted by id: the first definition of each id
/// (duplicates are I5 in check).
fn definitions(d: &Decoded) -> Vec<(u64, &RawEvent)> {
    let stacks = d.events.iter().filter(|r| r.typ == ev::EV_STACK);
    let mut defs: Vec<(u64, &RawEvent)> = stacks
        .map(|r| (r.args.first().copied().unwrap_or(0), r))
        .collect();
    defs.sort_by_key(|&(id, _)| id);
    defs.dedup_by_key(|&mut (id, _)| id);
    defs
}

/// I5 against the ghost: every stack an event referenced is defined, with the PCs it was put with.
fn stacks_as_put(session: u64, ghost: &Ghost, defs: &[(u64, &RawEvent)]) -> Result<(), String> {
    for e in ghost.events.iter().filter(|e| e.session == session) {
        let Some(s) = e.stack else { continue };
        match defs.binary_search_by_key(&s.id, |&(id, _)| id) {
            Err(_) => {
                return Err(format!(
                    "I5 violated: stack {} of {} at ts {} on P {} is referenced but never defined (put after the table was dumped)",
                    s.id, ev::name(e.typ), e.ts, e.pid
                ))
            }
            Ok(i) if !pcs(defs[i].1).eq(s.pcs().iter().copied()) => {
                let defined: Vec<u64> = pcs(defs[i].1).collect();
                return Err(format!(
                    "I5 violated: stack {} of {} at ts {} on P {} was put with PCs {:x?} but is defined with {:x?} \
                     (the table was reset while writers were live, so ids were reused)",
                    s.id, ev::name(e.typ), e.ts, e.pid, s.pcs(), defined
                ))
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// I5, exactly: go1.21's `put` gives one id per distinct stack in a session, so two definitions
/// with the same PCs mean two `put`s of one stack returned different ids. Reports the first id
/// (ascending) whose PCs a smaller id already has.
fn one_id_per_stack(defs: &[(u64, &RawEvent)]) -> Result<(), String> {
    let mut by_pcs: Vec<usize> = (0..defs.len()).collect();
    by_pcs.sort_by(|&a, &b| pcs(defs[a].1).cmp(pcs(defs[b].1)));
    let clash = by_pcs
        .chunk_by(|&a, &b| pcs(defs[a].1).eq(pcs(defs[b].1)))
        .filter(|same| same.len() > 1)
        .map(|same| (same[1], same[0]))
        .min();
    let Some((second, first)) = clash else {
        return Ok(());
    };
    let (id, first) = (defs[second].0, defs[first].0);
    let pcs: Vec<u64> = pcs(defs[second].1).collect();
    Err(format!(
        "I5 violated: stacks {first} and {id} are both defined with PCs {pcs:x?}: the stack table gave one stack two ids in one session"
    ))
}

/// What the actors of `session` committed: `(pid, ts, type)` sorted by `(pid, ts)`, one per key
/// (the last committed, as a map insert keeps).
fn committed(session: u64, ghost: &Ghost) -> Vec<(i32, u64, u8)> {
    let mine = ghost.events.iter().filter(|e| e.session == session);
    let mut want: Vec<(i32, u64, u8)> = mine.map(|e| (e.pid, e.ts, e.typ)).collect();
    want.sort_by_key(|&(pid, ts, _)| (pid, ts));
    want.dedup_by(|later, kept| {
        let same = (later.0, later.1) == (kept.0, kept.1);
        if same {
            kept.2 = later.2;
        }
        same
    });
    want
}

/// The output's events sorted by `(pid, ts)`, or I2 at the first event (in file order) that
/// repeats an earlier one.
fn delivered(seen: &Seen) -> Result<Vec<&SeenEvent>, String> {
    let mut got: Vec<&SeenEvent> = seen.events.iter().collect();
    got.sort_by_key(|e| e.key()); // stable: each key's events stay in file order
    let twice = got
        .chunk_by(|a, b| a.key() == b.key())
        .filter(|same| same.len() > 1)
        .map(|same| (same[1].off, same[0].off, same[1]))
        .min_by_key(|&(off, _, _)| off);
    if let Some((off, first, e)) = twice {
        return Err(format!(
            "I2 violated at byte {off} (batch {}, p={}): {} at ts {} appears twice in the output (first at byte {first}): a batch was delivered twice",
            e.batch, e.pid, ev::name(e.typ), e.ts
        ));
    }
    Ok(got)
}

/// The first element of `a` whose key is not among `b`'s; both are sorted by key, `b`'s keys
/// unique (a merge walk, as a lookup per element in a map would find).
fn first_missing<'x, A, B>(
    a: &'x [A],
    ka: impl Fn(&A) -> (i32, u64),
    b: &[B],
    kb: impl Fn(&B) -> (i32, u64),
) -> Option<&'x A> {
    let mut j = 0;
    a.iter().find(|x| {
        let k = ka(x);
        while j < b.len() && kb(&b[j]) < k {
            j += 1;
        }
        j == b.len() || kb(&b[j]) != k
    })
}

fn exactly_once(session: u64, ghost: &Ghost, seen: &Seen) -> Result<(), String> {
    let want = committed(session, ghost);
    let got = delivered(seen)?;
    let (kw, kg) = (|w: &(i32, u64, u8)| (w.0, w.1), |e: &&SeenEvent| e.key());
    if let Some(&(pid, ts, typ)) = first_missing(&want, kw, &got, kg) {
        return Err(format!("I2 violated: {} written at ts {ts} into P {pid}'s buffer never reached the output (a lost buffer or event)", ev::name(typ)));
    }
    if let Some(e) = first_missing(&got, kg, &want, kw) {
        let (off, b, pid, ts) = (e.off, e.batch, e.pid, e.ts);
        return Err(format!("I2 violated at byte {off} (batch {b}, p={pid}): the output holds {} at ts {ts} that no actor committed", ev::name(e.typ)));
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
    let defs = definitions(&d);
    let as_put = stacks_as_put(session, ghost, &defs)
        .and_then(|()| one_id_per_stack(&defs))
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
    let parsed = wire::parse::parse_decoded_events(&d)
        .map_err(|e| format!("Go's go1.21 parser rejects the trace: {e}"))?;
    crate::go121::viewer::viewable(&parsed)?;
    let seen = seen(&d);
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

//! Structural invariants of a go1.22 trace that Go's reader does not check (or checks only as a
//! side effect), for the model's invariants of `design/go-tracer-model.md` §G.6.
//!
//! Complements go1.22 `internal/trace/v2/generation.go` and `reader.go`: I3 (every event's
//! timestamp delta is ≥ 1, as `traceEventWriter.event` forces), I5/I6 (every stack and string id
//! an event, CPU sample or frame references is defined exactly once in its generation; and, as
//! `traceMap.put` deduplicates, no stack's PCs under two ids in a generation; strings may repeat:
//! `traceStringTable.emit` writes without a lookup), I7
//! (generations never go back, each has exactly one frequency batch, all of generation g's
//! batches — tables included — precede any batch of g+1, nothing follows the last complete
//! batch) and I15 (frame count ≤ 128, string length ≤ 1024). Every failure is a [`Violation`].

use super::dec::{self, Batch, Cursor};
use super::ev::*;
use super::event::BaseEvent;
use super::reader::read_timed;
use crate::common::wire::id_map::IdMap;
use crate::common::wire::Error;
use std::collections::BTreeMap;
use std::fmt;

/// A broken invariant, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Invariant id, e.g. `"I5"`.
    pub invariant: &'static str,
    /// What is wrong.
    pub message: String,
    /// Byte offset of the batch or record at fault (the file length for something missing).
    pub offset: usize,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (i, o, m) = (self.invariant, self.offset, &self.message);
        write!(f, "{i} violated at byte {o}: {m}")
    }
}

/// Ids defined and referenced in one generation: id → (definitions, first reference offset).
#[derive(Default)]
struct Ids {
    defs: IdMap<(usize, usize)>,
    refs: IdMap<usize>,
}

impl Ids {
    fn def(&mut self, id: u64, off: usize) {
        match self.defs.get_mut(id) {
            Some(d) => d.0 += 1,
            None => {
                self.defs.insert(id, (1, off));
            }
        }
    }

    fn reference(&mut self, id: u64, off: usize) {
        if id != 0 && !self.refs.contains_key(id) {
            self.refs.insert(id, off);
        }
    }
}

#[derive(Default)]
struct GenState {
    gen: u64,
    freqs: usize,
    first_off: usize,
    stacks: Ids,
    strings: Ids,
    /// The id each stack's PCs were first defined under in this generation.
    stack_ids: BTreeMap<Vec<u64>, u64>,
}

struct Checker {
    out: Vec<Violation>,
    max_gen: u64,
    cur: Option<GenState>,
}

/// Checks I3, I5, I6, I7 and I15; violations come in file order, per generation.
pub fn check(data: &[u8]) -> Vec<Violation> {
    let (batches, err) = dec::batches(data);
    check_framed(data.len(), &batches, err)
}

/// [`check`] of a `len`-byte file whose batches were already read without a framing error:
/// `batches` are all of them in file order, as a [`super::Reader`] that read the file to its
/// end has them ([`super::Reader::batches_read`]).
pub fn check_read(len: usize, batches: &[Batch<'_>]) -> Vec<Violation> {
    check_framed(len, batches, None)
}

/// The checks over a file's batches and its framing error, if any (`len`: the file's length).
fn check_framed(len: usize, batches: &[Batch<'_>], err: Option<Error>) -> Vec<Violation> {
    let mut c = Checker {
        out: Vec::new(),
        max_gen: 0,
        cur: None,
    };
    if let (true, Some(e)) = (batches.is_empty(), &err) {
        if e.offset == Some(0) {
            c.push("I1", 0, e.message.clone());
            return c.out;
        }
    }
    for b in batches {
        c.batch(b);
    }
    c.end_gen(len);
    if let Some(e) = err {
        let off = e.offset.unwrap_or(len);
        c.push(
            "I7",
            off,
            format!("bytes after the last complete batch: {}", e.message),
        );
    }
    c.out
}

impl Checker {
    fn push(&mut self, invariant: &'static str, offset: usize, message: String) {
        self.out.push(Violation {
            invariant,
            message,
            offset,
        });
    }

    fn batch(&mut self, b: &Batch<'_>) {
        if b.gen < self.max_gen {
            let what = match b.kind() {
                Some(EV_STACKS) => "stack table batch",
                Some(EV_STRINGS) => "string table batch",
                Some(EV_CPU_SAMPLES) => "CPU sample batch",
                Some(EV_FREQUENCY) => "frequency batch",
                _ => "event batch",
            };
            let msg = format!(
                "{what} of generation {} after a batch of generation {}",
                b.gen, self.max_gen
            );
            self.push("I7", b.off, msg);
            return;
        }
        if self.cur.as_ref().map(|g| g.gen) != Some(b.gen) {
            self.end_gen(b.off);
            self.max_gen = b.gen;
            self.cur = Some(GenState {
                gen: b.gen,
                first_off: b.off,
                ..GenState::default()
            });
        }
        let mut g = self.cur.take().unwrap_or_default();
        match b.kind() {
            Some(EV_FREQUENCY) => g.freqs += 1,
            Some(EV_STACKS) => self.stacks(&mut g, b),
            Some(EV_STRINGS) => self.strings(&mut g, b),
            Some(EV_CPU_SAMPLES) => cpu_samples(&mut g, b),
            _ => self.events(&mut g, b),
        }
        self.cur = Some(g);
    }

    fn end_gen(&mut self, end: usize) {
        let Some(g) = self.cur.take() else {
            return;
        };
        if g.freqs != 1 {
            let msg = format!(
                "generation {} has {} frequency batches, want 1",
                g.gen, g.freqs
            );
            self.push("I7", g.first_off, msg);
        }
        for (inv, what, ids) in [("I5", "stack", &g.stacks), ("I6", "string", &g.strings)] {
            for (id, &(n, off)) in ids.defs.iter() {
                if n > 1 {
                    let msg = format!("{what} {id} defined {n} times in generation {}", g.gen);
                    self.out.push(Violation {
                        invariant: inv,
                        message: msg,
                        offset: off,
                    });
                }
            }
            for (id, &off) in ids.refs.iter() {
                if !ids.defs.contains_key(id) {
                    let msg = format!(
                        "{what} {id} referenced but not defined in generation {}",
                        g.gen
                    );
                    self.out.push(Violation {
                        invariant: inv,
                        message: msg,
                        offset: off,
                    });
                }
            }
        }
        let _ = end;
    }

    fn stacks(&mut self, g: &mut GenState, b: &Batch<'_>) {
        let mut c = Cursor::new(b.data, 1);
        while c.remaining() != 0 {
            let off = b.data_off + c.pos;
            let Some(rec) = read_stack(&mut c) else {
                return;
            };
            let (id, frames) = rec;
            g.stacks.def(id, off);
            self.one_id_per_stack(g, id, &frames, off);
            if frames.len() as u64 > MAX_FRAMES_PER_STACK {
                let msg = format!(
                    "stack {id} has {} frames, more than {MAX_FRAMES_PER_STACK}",
                    frames.len()
                );
                self.push("I15", off, msg);
            }
            for [_, func, file, _] in frames {
                g.strings.reference(func, off);
                g.strings.reference(file, off);
            }
        }
    }

    /// I5's dedup half: `traceMap.put` gives a stack one id per generation (its re-check under
    /// the lock), so two ids with the same PCs mean two puts inserted the same stack.
    fn one_id_per_stack(&mut self, g: &mut GenState, id: u64, frames: &[[u64; 4]], off: usize) {
        let pcs: Vec<u64> = frames.iter().map(|f| f[0]).collect();
        if pcs.is_empty() {
            return;
        }
        match g.stack_ids.get(&pcs) {
            Some(&first) if first != id => {
                let msg = format!(
                    "stack {id} has the PCs of stack {first} in generation {}: one stack, two ids",
                    g.gen
                );
                self.push("I5", off, msg);
            }
            Some(_) => {}
            None => {
                g.stack_ids.insert(pcs, id);
            }
        }
    }

    fn strings(&mut self, g: &mut GenState, b: &Batch<'_>) {
        let mut c = Cursor::new(b.data, 1);
        while c.remaining() != 0 {
            let off = b.data_off + c.pos;
            let rec = (c.byte() == Some(EV_STRING)).then(|| (c.uvarint(), c.uvarint()));
            let Some((Ok(id), Ok(len))) = rec else {
                return;
            };
            if len > MAX_STRING_SIZE {
                self.push(
                    "I15",
                    off,
                    format!("string {id} is {len} bytes, more than {MAX_STRING_SIZE}"),
                );
            }
            if (c.take(len).len() as u64) < len {
                return;
            }
            g.strings.def(id, off);
        }
    }

    fn events(&mut self, g: &mut GenState, b: &Batch<'_>) {
        let mut pos = 0;
        while pos < b.data.len() {
            let mut e = BaseEvent::default();
            let Ok((n, dt)) = read_timed(&b.data[pos..], &mut e) else {
                return;
            };
            let off = b.data_off + pos;
            if dt == 0 {
                let msg = format!(
                    "{} has timestamp delta 0 (the runtime writes at least 1)",
                    name(e.typ)
                );
                self.push("I3", off, msg);
            }
            let spec = &SPECS[e.typ as usize];
            spec.stack_ids
                .iter()
                .for_each(|&i| g.stacks.reference(e.args[i - 1], off));
            spec.string_ids
                .iter()
                .for_each(|&i| g.strings.reference(e.args[i - 1], off));
            pos += n;
        }
    }
}

fn read_stack(c: &mut Cursor<'_>) -> Option<(u64, Vec<[u64; 4]>)> {
    if c.byte()? != EV_STACK {
        return None;
    }
    let id = c.uvarint().ok()?;
    let n = c.uvarint().ok()?;
    let mut frames = Vec::new();
    for _ in 0..n.min(1 << 16) {
        let mut f = [0u64; 4];
        for v in &mut f {
            *v = c.uvarint().ok()?;
        }
        frames.push(f);
    }
    Some((id, frames))
}

fn cpu_samples(g: &mut GenState, b: &Batch<'_>) {
    let mut c = Cursor::new(b.data, 1);
    while c.remaining() != 0 {
        let off = b.data_off + c.pos;
        if c.byte() != Some(EV_CPU_SAMPLE) {
            return;
        }
        let mut v = [0u64; 5];
        for x in &mut v {
            let Ok(y) = c.uvarint() else {
                return;
            };
            *x = y;
        }
        g.stacks.reference(v[4], off);
    }
}

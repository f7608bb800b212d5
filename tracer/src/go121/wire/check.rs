//! Structural invariants of a go1.21 trace that Go's old parser does not check.
//!
//! Complements go1.21 `internal/trace/parser.go` (which accepts a stack referenced but never
//! dumped, a stack dumped twice, or an event after the footer) with the invariants of
//! `design/go-tracer-model.md`: I3 (timestamps increase within a batch, as `traceEventLocked`
//! forces), I5 (stacks), I6 (strings), I7 (the footer `ReadTrace` writes) and I15 (the
//! parser's and runtime's size limits). Every failure is a [`Violation`] value.

use super::dec::{decode_lenient, Decoded, RawEvent, STRING_LEN_MAX};
use super::ev::{self, *};
use super::parse::STACK_FRAMES_MAX;
use crate::common::wire::id_map::IdMap;
use crate::common::wire::Error;
use std::fmt;

/// Largest batch the runtime can write (a 64 KiB `traceBuf`).
pub const BATCH_BYTES_MAX: usize = 64 << 10;

/// A broken invariant, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Invariant id, e.g. `"I5"`.
    pub invariant: &'static str,
    /// What is wrong.
    pub message: String,
    /// Byte offset of the record at fault (the file length for something missing).
    pub offset: usize,
    /// Index of the batch holding the record.
    pub batch: Option<usize>,
    /// P of that batch.
    pub p: Option<i64>,
    /// Index of the record within its batch (0 = first record after the batch header).
    pub event: Option<usize>,
    /// Type of the record.
    pub event_type: Option<u8>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} violated at byte {}", self.invariant, self.offset)?;
        if let (Some(b), Some(p)) = (self.batch, self.p) {
            write!(f, " (batch {b}, p={p}")?;
            match (self.event, self.event_type) {
                (Some(e), Some(t)) => write!(f, ", event {e} {})", ev::name(t))?,
                _ => f.write_str(")")?,
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Decodes leniently and checks; a wire-level failure is returned as Go's error.
pub fn check_bytes(data: &[u8]) -> Result<Vec<Violation>, Error> {
    Ok(check(&decode_lenient(data)?))
}

/// Checks I3, I5, I6, I7 and I15 over decoded records; violations come in file order.
pub fn check(d: &Decoded) -> Vec<Violation> {
    let mut c = Checker { d, out: Vec::new() };
    c.timestamps();
    c.stacks_and_strings();
    c.footer();
    c.limits();
    c.out.sort_by_key(|v| v.offset);
    c.out
}

struct Checker<'a> {
    d: &'a Decoded,
    out: Vec<Violation>,
}

impl Checker<'_> {
    /// Records a violation at record `idx` of the file.
    fn at(&mut self, invariant: &'static str, idx: usize, message: String) {
        let raw = &self.d.events[idx];
        let batch = raw.batch.map(|b| &self.d.batches[b]);
        self.out.push(Violation {
            invariant,
            message,
            offset: raw.off,
            batch: raw.batch,
            p: batch.map(|b| b.p),
            event: batch
                .filter(|b| b.header != idx)
                .map(|b| idx - b.header - 1),
            event_type: Some(raw.typ),
        });
    }

    /// I3: every timestamped record advances its batch's clock by at least one tick.
    fn timestamps(&mut self) {
        for (idx, raw) in self.d.events.iter().enumerate() {
            if has_timestamp(raw.typ) && raw.args.first() == Some(&0) {
                self.at(
                    "I3",
                    idx,
                    "timestamp does not increase (delta 0 within the batch)".into(),
                );
            }
        }
    }

    /// I5 and I6: ids defined exactly once, and every non-zero reference defined.
    fn stacks_and_strings(&mut self) {
        let (stacks, strings) = (
            self.defs(EV_STACK, "stack", "I5"),
            self.defs(EV_STRING, "string", "I6"),
        );
        let d = self.d;
        for (idx, raw) in d.events.iter().enumerate() {
            let desc = well_formed(raw);
            for (what, id) in stack_refs(raw, desc).into_iter().flatten() {
                if id != 0 && !stacks.contains_key(id) {
                    let msg = format!("stack {id}{what} is referenced but never defined");
                    self.at("I5", idx, msg);
                }
            }
            let inv = if raw.typ == EV_STACK { "I5" } else { "I6" };
            for_each_string_ref(raw, desc, |what, id| {
                if id != 0 && !strings.contains_key(id) {
                    let msg = format!("string {id}{what} is referenced but never defined");
                    self.at(inv, idx, msg);
                }
            });
        }
    }

    /// Collects the first definition of each id of type `typ`, reporting redefinitions.
    fn defs(&mut self, typ: u8, what: &str, inv: &'static str) -> IdMap<usize> {
        let mut first: IdMap<usize> = IdMap::default();
        for (idx, raw) in self
            .d
            .events
            .iter()
            .enumerate()
            .filter(|(_, r)| r.typ == typ)
        {
            let Some(&id) = raw.args.first() else {
                continue;
            };
            if id == 0 {
                self.at(inv, idx, format!("{what} record has id 0"));
            } else if let Some(&prev) = first.get(id) {
                let at = self.d.events[prev].off;
                self.at(
                    inv,
                    idx,
                    format!("{what} {id} is defined more than once (first at byte {at})"),
                );
            } else {
                first.insert(id, idx);
            }
        }
        first
    }

    /// I7: exactly one frequency record, after every event; stack records after it.
    fn footer(&mut self) {
        let d = self.d;
        let Some(freq) = d.events.iter().position(|r| r.typ == EV_FREQUENCY) else {
            let message = "no EvFrequency event".to_string();
            let (batch, p, event, event_type) = (None, None, None, None);
            let v = Violation {
                invariant: "I7",
                message,
                offset: d.len,
                batch,
                p,
                event,
                event_type,
            };
            self.out.push(v);
            return;
        };
        let at = d.events[freq].off;
        for (idx, raw) in d.events.iter().enumerate() {
            let what = match raw.typ {
                EV_FREQUENCY if idx > freq => "more than one EvFrequency event (first",
                EV_STACK if idx < freq => "stack record before the EvFrequency footer (",
                t if has_timestamp(t) && idx > freq => "event after the EvFrequency footer (",
                _ => continue,
            };
            self.at("I7", idx, format!("{what} at byte {at})"));
        }
    }

    /// I15: frame count, string length and batch size limits.
    fn limits(&mut self) {
        for (idx, raw) in self.d.events.iter().enumerate() {
            let frames = raw.args.get(1).copied().filter(|_| raw.typ == EV_STACK);
            if let Some(n) = frames.filter(|&n| n > STACK_FRAMES_MAX) {
                self.at(
                    "I15",
                    idx,
                    format!("stack has {n} frames (max {STACK_FRAMES_MAX})"),
                );
            }
            let len = raw.data.as_ref().map_or(0, |b| b.len() as u64);
            if len > STRING_LEN_MAX {
                self.at(
                    "I15",
                    idx,
                    format!("string of {len} bytes (max {STRING_LEN_MAX})"),
                );
            }
        }
        for b in 0..self.d.batches.len() {
            let batch = &self.d.batches[b];
            let size = batch.end - batch.off;
            if size > BATCH_BYTES_MAX {
                let header = batch.header;
                self.at(
                    "I15",
                    header,
                    format!("batch of {size} bytes (max {BATCH_BYTES_MAX})"),
                );
            }
        }
    }
}

/// The descriptor of a record whose argument count is the one Go expects (never a stack
/// record, whose count varies): only such records' references are checked.
fn well_formed(raw: &RawEvent) -> Option<&'static ev::Desc> {
    ev::desc(raw.typ).filter(|_| ev::wire_arg_count(raw.typ) == Some(raw.args.len()))
}

/// Stack ids a record references, with a note on which argument it is (`desc` from
/// [`well_formed`]).
fn stack_refs(raw: &RawEvent, desc: Option<&ev::Desc>) -> [Option<(&'static str, u64)>; 2] {
    let mut refs = [None, None];
    let Some(desc) = desc else {
        return refs;
    };
    if desc.stack {
        refs[0] = Some(("", raw.args[raw.args.len() - 1]));
    }
    if raw.typ == EV_GO_CREATE {
        refs[1] = Some((" (new goroutine's start stack)", raw.args[2]));
    }
    refs
}

/// Where a string id is referenced; displayed as the note after the id in a message, so that
/// the note is only written when a reference is undefined.
#[derive(Clone, Copy)]
enum StringRef {
    /// The func (`file == false`) or file name of frame `frame` of stack `stack`.
    Frame {
        stack: u64,
        frame: usize,
        file: bool,
    },
    /// String argument `arg` of an event named `name`.
    Arg {
        arg: &'static str,
        name: &'static str,
    },
}

impl fmt::Display for StringRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            StringRef::Frame { stack, frame, file } => {
                let what = if file { "file" } else { "func" };
                write!(f, " ({what} of stack {stack} frame {frame})")
            }
            StringRef::Arg { arg, name } => write!(f, " ({arg} of {name})"),
        }
    }
}

/// Calls `visit` with each string id a record references, in order: frame names of a stack
/// (func then file, frame by frame), string arguments of an event (`desc` from [`well_formed`]).
fn for_each_string_ref(
    raw: &RawEvent,
    desc: Option<&ev::Desc>,
    mut visit: impl FnMut(StringRef, u64),
) {
    if raw.typ == EV_STACK {
        let stack = raw.args.first().copied().unwrap_or(0);
        let frames = raw.args.get(2..).unwrap_or_default().chunks_exact(4);
        for (frame, f) in frames.enumerate() {
            visit(
                StringRef::Frame {
                    stack,
                    frame,
                    file: false,
                },
                f[1],
            );
            visit(
                StringRef::Frame {
                    stack,
                    frame,
                    file: true,
                },
                f[2],
            );
        }
        return;
    }
    let Some(desc) = desc else {
        return;
    };
    for &i in desc.str_args {
        let (arg, name) = (desc.args[i], desc.name);
        visit(StringRef::Arg { arg, name }, raw.args[1 + i]);
    }
}

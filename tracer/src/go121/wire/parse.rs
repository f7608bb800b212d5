//! A port of go1.21 `internal/trace.Parse` for trace version 1021.
//!
//! Mirrors `parse` and `parseEvents` in go1.21 `internal/trace/parser.go`: per-P batches with
//! `lastG`/`lastP`, per-batch timestamps, the stack and string tables, the CPU-sample pseudo-P,
//! then [`order`](super::order) (`order1007`, `removeFutile`) and [`post`](super::post)
//! (`postProcessTrace`), and the conversion of ticks to nanoseconds.

use super::dec::{decode, Decoded, RawEvent};
use super::ev::{self, *};
use super::{order, post};
use crate::common::wire::{Error, Frame};
use std::collections::{BTreeMap, BTreeSet};

/// Fake P ids, as in Go (`FakeP` = 1000000).
pub const FAKE_P: i64 = 1_000_000;
/// Fake P of timer unblocks.
pub const TIMER_P: i64 = FAKE_P + 1;
/// Fake P of network unblocks.
pub const NETPOLL_P: i64 = FAKE_P + 2;
/// Fake P of syscall exits.
pub const SYSCALL_P: i64 = FAKE_P + 3;
/// Fake P of GC starts.
pub const GC_P: i64 = FAKE_P + 4;
/// Fake P (batch) of CPU profile samples.
pub const PROFILE_P: i64 = FAKE_P + 5;
/// Most frames an `EvStack` may have (`parseEvents`).
pub const STACK_FRAMES_MAX: u64 = 1000;
/// Go's `ErrTimeOrder` message.
pub const ERR_TIME_ORDER: &str = "time stamps out of order";

/// One parsed event, as Go's `internal/trace.Event` (without `Link`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// Byte offset of the record in the file.
    pub off: usize,
    /// Event type (`Local` variants are rewritten to their plain types by the merge).
    pub typ: u8,
    /// Nanoseconds since the first event.
    pub ts: i64,
    /// P the event happened on (or one of the fake Ps).
    pub p: i64,
    /// Goroutine the event happened on.
    pub g: u64,
    /// Stack id (0 = none).
    pub stk_id: u64,
    /// Type-specific arguments (names in [`ev::Desc::args`]).
    pub args: [u64; 3],
    /// Type-specific string arguments (names in [`ev::Desc::sargs`]).
    pub sargs: Vec<String>,
}

/// A parsed trace: events in order, stacks (ids with at least one frame) and strings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trace {
    /// Events, sorted and checked as Go's `Parse` returns them.
    pub events: Vec<Event>,
    /// Stack tables by id (frames name strings by id; see [`Trace::strings`]).
    pub stacks: BTreeMap<u64, Vec<Frame>>,
    /// String table by id.
    pub strings: BTreeMap<u64, String>,
}

impl Trace {
    /// The string with id `id`, or `""` as Go gives for a missing one.
    pub fn string(&self, id: u64) -> &str {
        self.strings.get(&id).map_or("", String::as_str)
    }
}

/// Parses and verifies a go1.21 trace file, as Go's `internal/trace.Parse` does.
pub fn parse(data: &[u8]) -> Result<Trace, Error> {
    parse_decoded(&decode(data)?)
}

/// Parses already decoded records (see [`parse`]).
pub fn parse_decoded(d: &Decoded) -> Result<Trace, Error> {
    parse_with(d, true)
}

/// Like [`parse_decoded`], with the same verdict, but leaves [`Trace::stacks`] empty: for the
/// validator, which reads the events only.
pub fn parse_decoded_events(d: &Decoded) -> Result<Trace, Error> {
    parse_with(d, false)
}

fn parse_with(d: &Decoded, keep_stacks: bool) -> Result<Trace, Error> {
    let mut st = State {
        strings: string_table(d),
        capacity: events_per_p(d),
        keep_stacks,
        ..State::default()
    };
    for raw in d.events.iter().filter(|r| r.typ != EV_STRING) {
        st.raw(raw)?;
    }
    if st.batches.is_empty() {
        return Err(Error::whole("trace is empty"));
    }
    if st.ticks_per_sec == 0 {
        return Err(Error::whole("no EvFrequency event"));
    }
    let mut events = order::order1007(std::mem::take(&mut st.batches))?;
    st.to_nanoseconds(&mut events);
    let mut events = order::remove_futile(events);
    post::post_process(&mut events)?;
    Ok(Trace {
        events,
        stacks: st.stacks,
        strings: st.strings,
    })
}

/// How many records each P's batches hold: room for its events, reserved once.
fn events_per_p(d: &Decoded) -> BTreeMap<i64, usize> {
    let mut n = BTreeMap::new();
    for b in &d.batches {
        *n.entry(b.p).or_default() += b.events.len();
    }
    n
}

fn string_table(d: &Decoded) -> BTreeMap<u64, String> {
    let strings = d.events.iter().filter(|r| r.typ == EV_STRING);
    let entry = |r: &RawEvent| (r.args[0], lossy(r.data.as_deref()));
    strings.map(entry).collect()
}

fn lossy(bytes: Option<&[u8]>) -> String {
    String::from_utf8_lossy(bytes.unwrap_or_default()).into_owned()
}

/// `parseEvents` state.
#[derive(Default)]
struct State {
    strings: BTreeMap<u64, String>,
    stacks: BTreeMap<u64, Vec<Frame>>,
    batches: BTreeMap<i64, Vec<Event>>,
    /// Room to reserve for each P's events ([`events_per_p`]).
    capacity: BTreeMap<i64, usize>,
    /// Whether to build [`Trace::stacks`].
    keep_stacks: bool,
    timer_goids: BTreeSet<u64>,
    last_gs: BTreeMap<i64, u64>,
    ticks_per_sec: i64,
    last_ts: i64,
    last_g: u64,
    last_p: i64,
}

impl State {
    fn raw(&mut self, raw: &RawEvent) -> Result<(), Error> {
        let desc = ev::desc(raw.typ).ok_or_else(|| {
            Error::at(
                raw.off,
                format!("missing description for event type {}", raw.typ),
            )
        })?;
        let want = ev::wire_arg_count(raw.typ).unwrap_or(raw.args.len());
        if raw.args.len() != want {
            let (name, off, got) = (desc.name, raw.off, raw.args.len());
            let msg = format!(
                "{name} has wrong number of arguments at offset 0x{off:x}: want {want}, got {got}"
            );
            return Err(Error::at(off, msg));
        }
        match raw.typ {
            EV_BATCH => {
                self.last_gs.insert(self.last_p, self.last_g);
                self.last_p = raw.args[0] as i64;
                self.last_g = self.last_gs.get(&self.last_p).copied().unwrap_or(0);
                self.last_ts = raw.args[1] as i64;
            }
            EV_FREQUENCY => {
                self.ticks_per_sec = raw.args[0] as i64;
                if self.ticks_per_sec <= 0 {
                    return Err(Error::at(raw.off, ERR_TIME_ORDER));
                }
            }
            EV_TIMER_GOROUTINE => {
                self.timer_goids.insert(raw.args[0]);
            }
            EV_STACK => self.stack(raw)?,
            _ => self.event(raw, desc),
        }
        Ok(())
    }

    fn stack(&mut self, raw: &RawEvent) -> Result<(), Error> {
        let (off, got) = (raw.off, raw.args.len());
        if got < 2 {
            let msg = format!("EvStack has wrong number of arguments at offset 0x{off:x}: want at least 2, got {got}");
            return Err(Error::at(off, msg));
        }
        let size = raw.args[1];
        if size > STACK_FRAMES_MAX {
            let msg = format!("EvStack has bad number of frames at offset 0x{off:x}: {size}");
            return Err(Error::at(off, msg));
        }
        let want = 2 + 4 * size;
        if got as u64 != want {
            let msg = format!(
                "EvStack has wrong number of arguments at offset 0x{off:x}: want {want}, got {got}"
            );
            return Err(Error::at(off, msg));
        }
        let id = raw.args[0];
        if id != 0 && size > 0 && self.keep_stacks {
            let frame = |f: &[u64]| Frame {
                pc: f[0],
                func_id: f[1],
                file_id: f[2],
                line: f[3],
            };
            self.stacks
                .insert(id, raw.args[2..].chunks_exact(4).map(frame).collect());
        }
        Ok(())
    }

    fn event(&mut self, raw: &RawEvent, desc: &ev::Desc) {
        let (p, g) = (self.last_p, self.last_g);
        let ts = self.last_ts.wrapping_add(raw.args[0] as i64);
        let mut e = Event {
            off: raw.off,
            typ: raw.typ,
            ts,
            p,
            g,
            ..Event::default()
        };
        self.last_ts = ts;
        let narg = raw.args.len();
        for (i, &v) in raw.args.iter().enumerate().skip(1) {
            if i == narg - 1 && desc.stack {
                e.stk_id = v;
            } else {
                e.args[i - 1] = v;
            }
        }
        self.per_type(&mut e, raw);
        let p = if raw.typ == EV_CPU_SAMPLE {
            PROFILE_P
        } else {
            self.last_p
        };
        let room = self.capacity.get(&p).copied().unwrap_or(0);
        let batch = self.batches.entry(p);
        batch.or_insert_with(|| Vec::with_capacity(room)).push(e);
    }

    fn per_type(&mut self, e: &mut Event, raw: &RawEvent) {
        let s = |id: u64| self.strings.get(&id).cloned().unwrap_or_default();
        match e.typ {
            EV_GO_START | EV_GO_START_LOCAL | EV_GO_START_LABEL => {
                self.last_g = e.args[0];
                e.g = e.args[0];
                if e.typ == EV_GO_START_LABEL {
                    e.sargs = vec![s(e.args[2])];
                }
            }
            EV_STW_START => {
                e.g = 0;
                let reason = STW_REASONS.get(e.args[0] as usize).unwrap_or(&"unknown");
                e.sargs = vec![(*reason).to_string()];
            }
            EV_GC_START | EV_GC_DONE | EV_STW_DONE => e.g = 0,
            EV_GO_END | EV_GO_STOP | EV_GO_SCHED | EV_GO_PREEMPT | EV_GO_SLEEP | EV_GO_BLOCK
            | EV_GO_BLOCK_SEND | EV_GO_BLOCK_RECV | EV_GO_BLOCK_SELECT | EV_GO_BLOCK_SYNC
            | EV_GO_BLOCK_COND | EV_GO_BLOCK_NET | EV_GO_SYS_BLOCK | EV_GO_BLOCK_GC => {
                self.last_g = 0
            }
            EV_GO_SYS_EXIT | EV_GO_WAITING | EV_GO_IN_SYSCALL => e.g = e.args[0],
            EV_USER_TASK_CREATE | EV_USER_REGION => e.sargs = vec![s(e.args[2])],
            EV_USER_LOG => e.sargs = vec![s(e.args[1]), lossy(raw.data.as_deref())],
            EV_CPU_SAMPLE => {
                e.ts = e.args[0] as i64;
                e.p = e.args[1] as i64;
                e.g = e.args[2];
                e.args[0] = 0;
            }
            _ => {}
        }
    }

    /// Ticks to nanoseconds relative to the first event, exactly as Go computes it (through
    /// `float64`), and the timer/syscall fake Ps.
    fn to_nanoseconds(&self, events: &mut [Event]) {
        let Some(min_ts) = events.first().map(|e| e.ts) else {
            return;
        };
        let freq = 1e9 / self.ticks_per_sec as f64;
        for e in events {
            e.ts = (e.ts.wrapping_sub(min_ts) as f64 * freq) as i64;
            if e.typ == EV_GO_UNBLOCK && self.timer_goids.contains(&e.g) {
                e.p = TIMER_P;
            }
            if e.typ == EV_GO_SYS_EXIT {
                e.p = SYSCALL_P;
            }
        }
    }
}

/// Go 1.21's `stwReasonStrings`, indexed by the `STWStart` kind.
pub const STW_REASONS: [&str; 17] = [
    "unknown",
    "GC mark termination",
    "GC sweep termination",
    "write heap dump",
    "goroutine profile",
    "goroutine profile cleanup",
    "all goroutines stack trace",
    "read mem stats",
    "AllThreadsSyscall",
    "GOMAXPROCS",
    "start trace",
    "stop trace",
    "CountPagesInUse (test)",
    "ReadMetricsSlow (test)",
    "ReadMemStatsSlow (test)",
    "PageCachePagesLeaked (test)",
    "ResetDebugLog (test)",
];

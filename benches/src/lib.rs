//! Benchmarks of the workspace, run with `cargo bench -p benches`; the code lives in `benches/`.
//! `sim_overhead` measures what our runner (facade primitives, recording driver, rank and
//! wait-for bookkeeping) costs over raw shuttle on the same workload; see `README.md`.
//!
//! `tracer_hot_path` measures the tracer model itself on real threads: the same `tracer` code the
//! simulator runs, built here outside any simulation so that every facade primitive takes its std
//! backend (design (b) of the style guide). This module holds what that bench and the
//! counting-allocator test (`tests/alloc.rs`) share: a started tracer with production sizes, the
//! event shapes of the hot path, their bare LEB128 baseline, and one whole session on threads.

pub mod buffer;

use sim::sync::Arc;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tracer::go121::actors::{self, EmitterPlan};
use tracer::go121::control::start_pcs;
use tracer::go121::emit::Writer;
use tracer::go121::ghost::Ghost;
use tracer::go121::state::{goid, POwn};
use tracer::go121::wire::ev;
use tracer::go121::{Config, Trace};
use tracer::Variant;

/// Bytes per trace buffer on real threads (Go's 64 KiB `traceBuf`).
pub const BUF_BYTES: usize = 64 * 1024;
/// Samples the CPU profile ring holds.
pub const CPU_RING: usize = 256;
/// The stack every hot-path event carries (three frames).
pub const PCS: [u64; 3] = [0x40_1000, 0x40_2000, 0x40_3000];

/// The tracer's configuration on real threads: production buffer size, released go1.21.
pub fn config(emitters: usize) -> Config {
    Config {
        emitters,
        buf_bytes: BUF_BYTES,
        sessions: 1,
        profbuf_slots: CPU_RING,
        stack_slots: 64,
        cpu_profile: false,
        variant: Variant::V1_0,
    }
}

/// The writer of emitter `i`: goroutine `EMITTER + i` on P `i`.
pub fn emitter_writer(i: usize) -> Writer {
    Writer {
        goid: goid::EMITTER + i as u64,
        gslot: Some(1 + i),
        p: Some(i),
        ..Writer::default()
    }
}

/// The controller's writer (`StartTrace`/`StopTrace` run on its P).
pub fn controller_writer(t: &Trace) -> Writer {
    Writer {
        goid: goid::CONTROLLER,
        gslot: Some(0),
        p: Some(t.p_controller()),
        ..Writer::default()
    }
}

/// A tracer with `emitters` emitter Ps, tracing on (session 1 started by the controller).
/// Call it outside any simulation: its primitives then take the std backend.
pub fn started(emitters: usize) -> (Arc<Trace>, Writer) {
    assert!(
        !sim::sync::in_sim(),
        "the hot-path benches run on real threads, outside any simulation"
    );
    let t = Arc::new(Trace::new(config(emitters)));
    let mut ctl = controller_writer(&t);
    t.start_trace(&mut ctl).expect("a fresh tracer is off");
    (t, ctl)
}

/// Plays the reader without reading: moves every full buffer back to the free list, so that the
/// next flushes reuse buffers instead of allocating. Benches call it outside the timed region.
pub fn recycle(t: &Trace) {
    let _p = t.acquire_p(t.p_controller()); // a trace.lock holder holds a P (I11)
    let _g = t.lock.lock();
    t.with_queues(|q| {
        while let Some(b) = q.full.pop_front() {
            q.empty.push(b);
            t.full_len.store(t.full_len.load() - 1);
        }
    });
}

/// P `p`'s first buffer (`traceFlush` with no old buffer), taken while holding P `p` as every
/// `trace.lock` holder must (I11).
pub fn first_buffer(t: &Trace, p: usize) -> tracer::go121::buf::TraceBufPtr {
    let _p = t.acquire_p(p);
    t.flush(0, None, p as i32)
}

/// Appends `v` as LEB128: the bare loop the encoder is measured against.
#[inline]
pub fn leb128(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(0x80 | v as u8);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The bare baseline of one event: "start a new buffer" when room is short (as `ensure_room`
/// does), then the type byte, the values as LEB128 and an inline tail, into a plain `Vec<u8>`.
#[inline]
pub fn bare_append(out: &mut Vec<u8>, typ: u8, vals: &[u64], tail: &[u8]) {
    if out.capacity() - out.len() < tracer::go121::wire::enc::EVENT_BYTES_MAX + tail.len() {
        out.clear();
    }
    out.push(typ);
    for &v in vals {
        leb128(out, v);
    }
    out.extend_from_slice(tail);
}

/// The event shapes of the hot path: 0 to 3 arguments, with and without a stack id, with a
/// string reference, and a `trace.Log` with its inline message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `GCDone`: no argument, no stack.
    Args0,
    /// `HeapAlloc [bytes]`: one argument, no stack.
    Args1,
    /// `GoSysCall [stack]`: a stack id only.
    Args0Stack,
    /// `GoUnblock [g, seq, stack]`: three values, so a back-patched length byte.
    Args2Stack,
    /// `UserTaskCreate [id, parent, name, stack]`: a string reference (`traceString` first).
    Args3String,
    /// `UserLog [task, key, stack] + message`: a string key and an inline message.
    UserLog,
}

/// Every shape, in the order the `mix` bench cycles through them.
pub const SHAPES: [Shape; 6] = [
    Shape::Args0,
    Shape::Args1,
    Shape::Args0Stack,
    Shape::Args2Stack,
    Shape::Args3String,
    Shape::UserLog,
];

const TASK_NAME: &str = "bench.task";
const LOG_KEY: &str = "alpha";
const LOG_MSG: &[u8] = b"value";
const HEAP: u64 = 4 << 20;

impl Shape {
    /// The bench id of the shape.
    pub fn name(self) -> &'static str {
        match self {
            Self::Args0 => "args0",
            Self::Args1 => "args1",
            Self::Args0Stack => "args0_stack",
            Self::Args2Stack => "args2_stack",
            Self::Args3String => "args3_string_stack",
            Self::UserLog => "user_log",
        }
    }

    /// Writes one event of this shape on the P `own` proves the caller holds, through the
    /// tracer's own functions.
    #[inline]
    pub fn write(self, t: &Trace, w: &mut Writer, own: &POwn<'_>) {
        let ok = match self {
            Self::Args0 => t.event_on_p(w, own, ev::EV_GC_DONE, &[], None),
            Self::Args1 => t.event_on_p(w, own, ev::EV_HEAP_ALLOC, &[black_box(HEAP)], None),
            Self::Args0Stack => t.event_on_p(w, own, ev::EV_GO_SYS_CALL, &[], Some(&PCS)),
            Self::Args2Stack => t.event_on_p(
                w,
                own,
                ev::EV_GO_UNBLOCK,
                &[w.goid, black_box(7)],
                Some(&PCS),
            ),
            Self::Args3String => {
                let name = t.with_p_buf(own, |slot| {
                    t.strings.intern(t, w.goid, slot, own.p() as i32, TASK_NAME)
                });
                t.event_on_p(
                    w,
                    own,
                    ev::EV_USER_TASK_CREATE,
                    &[black_box(3), 0, name],
                    Some(&PCS),
                )
            }
            Self::UserLog => t.user_log_on_p(w, own, LOG_KEY, LOG_MSG, &PCS),
        };
        debug_assert!(ok, "tracing is on for the whole bench");
    }

    /// Appends the values the tracer writes for this shape (type byte, timestamp delta 1,
    /// arguments, stack id 1, string id 1, inline message) with [`bare_append`].
    #[inline]
    pub fn bare(self, out: &mut Vec<u8>) {
        let (typ, vals, tail): (u8, &[u64], &[u8]) = match self {
            Self::Args0 => (ev::EV_GC_DONE, &[1], &[]),
            Self::Args1 => (ev::EV_HEAP_ALLOC | 1 << 6, &[1, HEAP], &[]),
            Self::Args0Stack => (ev::EV_GO_SYS_CALL | 1 << 6, &[1, 1], &[]),
            Self::Args2Stack => (ev::EV_GO_UNBLOCK | 3 << 6, &[1, goid::EMITTER, 7, 1], &[]),
            Self::Args3String => (ev::EV_USER_TASK_CREATE | 3 << 6, &[1, 3, 0, 1, 1], &[]),
            Self::UserLog => (
                ev::EV_USER_LOG | 3 << 6,
                &[1, 0, 1, 1, LOG_MSG.len() as u64],
                LOG_MSG,
            ),
        };
        bare_append(out, typ, black_box(vals), black_box(tail));
    }

    /// Bytes one event of this shape takes in a buffer (stack and string ids of one byte).
    pub fn encoded_bytes(self) -> u64 {
        let mut out = Vec::with_capacity(64);
        self.bare(&mut out);
        // The encoder adds a length byte to every event with three or more values.
        out.len() as u64
            + u64::from(matches!(
                self,
                Self::Args2Stack | Self::Args3String | Self::UserLog
            ))
    }
}

/// `n` events of `shape` (or of every shape in turn when `shape` is `None`) on P 0, holding the
/// P for chunks of `chunk` events; between chunks, outside the timed region, full buffers go
/// back to the free list and the writer's ghost log is emptied (it keeps its capacity). Returns
/// the time spent writing.
pub fn write_events(
    t: &Trace,
    w: &mut Writer,
    shape: Option<Shape>,
    n: u64,
    chunk: u64,
) -> Duration {
    let mut spent = Duration::ZERO;
    let mut done = 0;
    while done < n {
        let k = chunk.min(n - done);
        let start = Instant::now();
        {
            let held = t.acquire_p(0);
            for j in done..done + k {
                shape
                    .unwrap_or(SHAPES[(j % SHAPES.len() as u64) as usize])
                    .write(t, w, &held.own());
            }
        }
        spent += start.elapsed();
        done += k;
        recycle(t);
        w.ghost.events.clear();
    }
    spent
}

/// One traced session on real threads, and what it delivered.
pub struct Session {
    pub trace: Arc<Trace>,
    /// The reader's output: a whole go1.21 trace.
    pub bytes: Vec<u8>,
    /// Every actor's ghost log, merged.
    pub ghost: Ghost,
    /// From `StartTrace` to the reader's final nil (`StopTrace` returned, the reader joined).
    pub elapsed: Duration,
}

fn spawn_emitters(
    t: &Arc<Trace>,
    emitters: usize,
    events: usize,
) -> Vec<sim::thread::JoinHandle<Ghost>> {
    let stacks = vec![PCS.to_vec(), PCS[..2].to_vec(), vec![0x40_5000]];
    (0..emitters)
        .map(|i| {
            let (t, plan) = (
                t.clone(),
                EmitterPlan {
                    events,
                    stacks: stacks.clone(),
                },
            );
            sim::thread::spawn(&format!("emitter-{i}"), move || {
                actors::emitter(&t, i, &plan)
            })
        })
        .collect()
}

/// A whole session, wired as `scenarios/src/model/go121.rs` wires a simulated one but on OS threads:
/// `StartTrace`, the reader goroutine (with its `GoCreate`), the poller, `emitters` emitter
/// actors writing `events` events each, then `StopTrace` once they finished, so that every
/// event is written while tracing is on.
pub fn session(emitters: usize, events: usize) -> Session {
    assert!(
        !sim::sync::in_sim(),
        "the end-to-end bench runs on real threads, outside any simulation"
    );
    let t = Arc::new(Trace::new(config(emitters)));
    let mut ctl = controller_writer(&t);
    let start = Instant::now();
    t.start_trace(&mut ctl).expect("a fresh tracer is off");
    let rg = goid::reader(1, 0);
    t.emit(
        &mut ctl,
        ev::EV_GO_CREATE,
        &[rg, t.stacks.put(&start_pcs(rg))],
        Some(&start_pcs(0)),
    );
    let tr = t.clone();
    let reader = sim::thread::spawn("reader-1", move || actors::reader(&tr, rg));
    let tp = t.clone();
    let poller = sim::thread::spawn("poller", move || actors::poller(&tp));
    let mut ghost = Ghost::default();
    for h in spawn_emitters(&t, emitters, events) {
        ghost.merge(h.join());
    }
    t.stop_trace(&mut ctl);
    let (mut chunks, g) = reader.join();
    let elapsed = start.elapsed();
    chunks.sort_by_key(|c| c.0);
    let bytes = chunks.into_iter().flat_map(|c| c.1).collect();
    t.done.set(true);
    t.wakep(); // the idle M sees `done` and exits
    ghost.merge(g);
    ghost.merge(poller.join());
    ghost.merge(ctl.ghost);
    Session {
        trace: t,
        bytes,
        ghost,
        elapsed,
    }
}

impl Session {
    /// Checks the delivery: every emitter event was committed (tracing stayed on), and the
    /// decoded output holds every committed event exactly once, judged by the tracer's own
    /// validator (structure, Go's go1.21 parser, the ghost logs).
    pub fn check(&self, emitters: usize, events: usize) -> Result<(), String> {
        // Count the emitters' operations (a syscall or a trace.Log each); their P also carries
        // ProcStart/GoStart, a GoSched/GoStart pair between operations, GoUnblock when a
        // Gosched readies the reader, and GoEnd/ProcStop.
        let committed = self
            .ghost
            .events
            .iter()
            .filter(|e| (0..emitters as i32).contains(&e.pid))
            .filter(|e| matches!(e.typ, ev::EV_GO_SYS_CALL | ev::EV_USER_LOG))
            .count();
        let want = emitters * events;
        if committed != want {
            return Err(format!(
                "emitters committed {committed} events, expected {want}: tracing was off for some"
            ));
        }
        tracer::go121::validate::validate_session(&self.trace, 1, &self.bytes, &self.ghost)
    }
}

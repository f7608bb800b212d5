//! The global `trace` struct of go1.22 `runtime/trace2.go` (§B.2), each field behind the
//! protection Go documents: `full[2]`, `empty`, `reading`, `headerWritten` inside `trace.lock`
//! (a [`Mutex`] around them, so touching them without the lock does not compile); `gen`,
//! `readerGen`, `flushedGen`, `workAvailable`, `shutdown`, `reader` atomics; the semaphores
//! `doneSema[2]`, `traceAdvanceSema`, `traceShutdownSema`; per-M state in [`MSlot`]; the
//! double-buffered interning tables and CPU state.

use super::buf::TraceBuf;
use super::cpu::Cpu;
use super::foreachp::Sched;
use super::g::{self, GSlot};
use super::locks;
use super::m::MSlot;
use super::sched::WakeableSleep;
use super::strings::{StringTab, BLOCK_REASONS};
use super::tab::TraceMap;
use super::variant::Variant;
use crate::common::gates::Gates;
use sim::cell::Shared;
use sim::ghost::{Counter, Flag, Ticks};
use sim::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use sim::sync::{Mutex, Parker, Sema};
use std::collections::VecDeque;

/// Sizes and toggles of one tracer instance (the knobs of a go1.22 scenario).
#[derive(Clone, Debug)]
pub struct Config {
    /// Emitter Ms (each with its own P).
    pub emitters: usize,
    /// Bytes per trace buffer.
    pub buf_bytes: usize,
    /// Trace sessions (StartTrace/StopTrace cycles).
    pub sessions: usize,
    /// Records each `profBuf[gen%2]` holds.
    pub profbuf_slots: usize,
    /// Nodes each interning table holds.
    pub tab_slots: usize,
    /// The pool of stacks (fake PCs) events and samples use.
    pub stacks: Vec<Vec<u64>>,
    /// The allocator's stacks, one per round (the allocation path's own stacks, which no
    /// emitter uses: each round inserts a new stack).
    pub alloc_stacks: Vec<Vec<u64>>,
    pub variant: Variant,
}

/// The M indices of the actors (each M holds the P of the same index).
pub mod role {
    /// Emitter `i` is M `i`; the others follow the emitters.
    pub const CONTROLLER: usize = 0;
    pub const READER: usize = 1;
    pub const CPU_READER: usize = 2;
    pub const ADVANCER: usize = 3;
    pub const ALLOCATOR: usize = 4;
    pub const READER_B: usize = 5;
    /// The idle M that `wakep` starts (it runs no goroutine).
    pub const IDLE: usize = 6;
    /// Ms besides the emitters.
    pub const COUNT: usize = 7;
}

/// The state behind `trace.lock`.
#[derive(Debug, Default)]
pub struct Queues {
    pub full: [VecDeque<Box<TraceBuf>>; 2],
    pub empty: Vec<Box<TraceBuf>>,
    pub reading: Option<Box<TraceBuf>>,
    pub header_written: bool,
    /// Ghost counters: batches queued, buffers reused from the free list.
    pub flushes: u64,
    pub reuses: u64,
}

/// The tracer; see the module docs.
pub struct Trace {
    pub cfg: Config,
    /// The CPU's tick counter (`cputicks`): orders nothing, see [`sim::ghost::Ticks`].
    pub clock: Ticks,
    pub lock: Mutex<Queues>,
    pub gen: AtomicU64,
    pub last_nonzero_gen: AtomicU64,
    pub reader_gen: AtomicU64,
    pub flushed_gen: AtomicU64,
    pub work_available: AtomicBool,
    pub shutdown: AtomicBool,
    /// The parked reader goroutine (`trace.reader`), 0 if none.
    pub reader: AtomicU64,
    pub done_sema: [Sema; 2],
    pub advance_sema: Sema,
    pub shutdown_sema: Sema,
    pub ms: Vec<MSlot>,
    /// The goroutine of each M (`allgs`, indexed like `ms`).
    pub gs: Vec<GSlot>,
    pub stacks: [TraceMap; 2],
    pub strings: [StringTab; 2],
    /// `trace.goBlockReasons[2]`: the string ids of the block reasons in each generation
    /// (plain arrays in Go, written before the generation is published).
    pub block_reasons: [Shared<[u64; BLOCK_REASONS.len()]>; 2],
    pub cpu: Cpu,
    pub mheap: Mutex<()>,
    /// `sched.lock` (taken to snapshot `allm`, and by `forEachP` and the P hand-offs) and the
    /// fields behind it.
    pub sched: Mutex<Sched>,
    /// `sched.safePointNote`: `forEachP`'s caller sleeps on it until every P ran the function.
    pub safe_point_note: Sema,
    pub parkers: [Parker; 2],
    /// The idle M that `wakep` starts to run `findRunnable` (see [`super::sched`]).
    pub idle_m: Parker,
    /// Harness: where the workload goroutines (emitters, then the allocator) wait while
    /// tracing is off.
    pub gates: Gates,
    /// Per session: `trace.cpuSleep` and `traceAdvancer.timer` (`newWakeableSleep` in each
    /// `StartTrace`).
    pub sleeps: Vec<[WakeableSleep; 2]>,
    /// Sessions started so far; the current one is `session - 1`.
    pub session: AtomicU64,
    /// The first generation of the current session.
    pub first_gen: AtomicU64,
    /// `traceAdvancer.done` and `trace.cpuLogDone`: the goroutines' exits.
    pub advancer_exited: Sema,
    pub cpu_exited: Sema,
    /// Harness: the advancer finished its first generation of the session.
    pub advanced: Sema,
    /// The goroutine waiting in `doneSema` (1 + its M index; 0 if none): the one a release
    /// readies.
    pub done_waiter: AtomicU64,
    /// Ghost: unique event ids, allocations counted, the controller finished.
    pub next_id: Counter,
    pub allocations: Counter,
    pub mallocs: Counter,
    pub generations: Counter,
    pub done: Flag,
}

impl Trace {
    /// A tracer, built inside the execution (its primitives pick the backend then).
    pub fn new(cfg: Config) -> Self {
        let nms = cfg.emitters + role::COUNT;
        let slots = cfg.tab_slots;
        Self {
            clock: Ticks::new(),
            lock: Mutex::ranked(&locks::TRACE, Queues::default()),
            gen: AtomicU64::new(0),
            last_nonzero_gen: AtomicU64::new(0),
            reader_gen: AtomicU64::new(0),
            flushed_gen: AtomicU64::new(0),
            work_available: AtomicBool::new(false),
            shutdown: AtomicBool::new(false),
            reader: AtomicU64::new(0),
            done_sema: [
                Sema::new("trace.doneSema[0]", 0),
                Sema::new("trace.doneSema[1]", 0),
            ],
            advance_sema: Sema::new("traceAdvanceSema", 1),
            shutdown_sema: Sema::new("traceShutdownSema", 1),
            ms: (0..nms)
                .map(|i| {
                    let m = MSlot::new(i as u64 + 1, i as u64);
                    m.p_running.store(!p_idle(&cfg, i), Ordering::SeqCst);
                    m
                })
                .collect(),
            gs: (0..nms).map(|i| initial_g(&cfg, i)).collect(),
            stacks: [
                TraceMap::new(&locks::TRACE_STACK_TAB, slots),
                TraceMap::new(&locks::TRACE_STACK_TAB, slots),
            ],
            strings: [StringTab::new(slots), StringTab::new(slots)],
            block_reasons: [
                Shared::new("trace.goBlockReasons[0]", [0; BLOCK_REASONS.len()]),
                Shared::new("trace.goBlockReasons[1]", [0; BLOCK_REASONS.len()]),
            ],
            cpu: Cpu::new(cfg.profbuf_slots),
            mheap: Mutex::ranked(&locks::MHEAP, ()),
            sched: Mutex::ranked(&locks::SCHED, initial_sched(&cfg, nms)),
            safe_point_note: Sema::new("sched.safePointNote", 0),
            parkers: [
                Parker::new("the trace reader"),
                Parker::new("the second trace reader"),
            ],
            idle_m: Parker::new("an idle M (stopm, until wakep)"),
            gates: Gates::new(cfg.emitters + 1),
            sleeps: (0..cfg.sessions)
                .map(|_| {
                    [
                        WakeableSleep::new("trace.cpuSleep"),
                        WakeableSleep::new("traceAdvancer.timer"),
                    ]
                })
                .collect(),
            session: AtomicU64::new(0),
            first_gen: AtomicU64::new(0),
            advancer_exited: Sema::new("advancer exit", 0),
            cpu_exited: Sema::new("traceStopReadCPU wait", 0),
            advanced: Sema::new("a generation boundary", 0),
            done_waiter: AtomicU64::new(0),
            next_id: Counter::new(1),
            allocations: Counter::new(0),
            mallocs: Counter::new(0),
            generations: Counter::new(0),
            done: Flag::new(false),
            cfg,
        }
    }

    /// The M of role `r` (see [`role`]).
    pub fn m_of(&self, r: usize) -> usize {
        self.cfg.emitters + r
    }

    /// The trace clock (`traceClockNow`): a global logical clock, strictly increasing.
    pub fn tick(&self) -> u64 {
        self.clock.now()
    }

    /// A fresh ghost id (event values and sample goroutines carry it to the output).
    pub fn fresh_id(&self) -> u64 {
        self.next_id.add(1)
    }

    /// The variant.
    pub fn variant(&self) -> Variant {
        self.cfg.variant
    }

    /// `traceEnabled`.
    pub fn enabled(&self) -> bool {
        self.gen.load(Ordering::SeqCst) != 0
    }
}

/// The goroutine of M `i` when the program starts: the emitters, the controller and (when it
/// runs) the allocator are running; the readers, the CPU reader and the advancer are created
/// by each session; the idle M runs none.
fn initial_g(cfg: &Config, i: usize) -> GSlot {
    let r = i.checked_sub(cfg.emitters);
    let id = match r {
        Some(role::READER) => super::reader::READER_G[0],
        Some(role::READER_B) => super::reader::READER_G[1],
        _ => g::goid_of(i),
    };
    let running = match r {
        None | Some(role::CONTROLLER) => true,
        Some(role::ALLOCATOR) => !cfg.alloc_stacks.is_empty(),
        _ => false,
    };
    GSlot::new(id, if running { g::RUNNING } else { g::DEAD })
}

/// Whether the P of M `i` starts idle: the idle M's (until `wakep` starts it), and the Ps of
/// Ms that run nothing: the allocator's when it is off, the second reader's but under V2.12.
fn p_idle(cfg: &Config, i: usize) -> bool {
    match i.checked_sub(cfg.emitters) {
        Some(role::IDLE) => true,
        Some(role::ALLOCATOR) => cfg.alloc_stacks.is_empty(),
        Some(role::READER_B) => cfg.variant != Variant::V2_12,
        _ => false,
    }
}

/// `sched` at program start: the idle Ps on `pidle`; the Ms of the goroutines each session
/// creates (readers, CPU reader, advancer) parked until their goroutine first runs.
fn initial_sched(cfg: &Config, nms: usize) -> Sched {
    let created = |i: usize| {
        matches!(
            i.checked_sub(cfg.emitters),
            Some(role::READER | role::CPU_READER | role::ADVANCER | role::READER_B)
        )
    };
    Sched {
        safe_point_wait: 0,
        pidle: (0..nms).map(|i| p_idle(cfg, i)).collect(),
        parked: (0..nms).map(|i| created(i) && !p_idle(cfg, i)).collect(),
    }
}

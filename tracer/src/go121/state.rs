//! The global `trace` struct of go1.21 `runtime/trace.go` (§A.3), each field behind the
//! protection Go documents, checked on access:
//! - `Locked(trace)` (a [`sim::cell::Locked::or_stw`] cell): the full FIFO, the free list, the
//!   `reading` slot, header/footer flags — touching them asserts `trace.lock` is held by this
//!   actor (or the world is stopped by it: `StopTrace` queues buffers without the lock);
//! - STW-only: `enabled` and the session number are written only with the world stopped, and
//!   read racily by emitters before they take a P: [`Racy`] cells with that claim;
//! - P-owned: each P's buffer and trace fields are touched only by the actor holding that P (a
//!   [`POwn`] proof, checked by the compiler) or under STW; `Shared` cells, so the race detector
//!   checks them; likewise each goroutine's `traceseq`;
//! - atomics where Go has them: `reader`, `cpuLogWrite`/`cpuLogRead`; [`Racy`] cells for the
//!   plain fields Go reads without the lock (`fullHead`, `footerWritten`, `shutdown`);
//! - the tick counter and the checks' own counters are [`sim::ghost`] values: neither scheduling
//!   points nor synchronisations, so observing does not change what is observed.

use crate::common::gates::Gates;
use crate::go121::buf::TraceBufPtr;
use crate::go121::cpu::Cpu;
use crate::go121::locks;
use crate::go121::stack::StackTab;
use crate::go121::strings::Strings;
use crate::go121::world::{StwGuard, World};
use crate::variant::Variant;
use sim::cell::{Claim, Locked, Racy, Shared};
use sim::ghost::{Counter, Flag, Ticks};
use sim::sync::atomic::AtomicU64;
use sim::sync::{Mutex, Parker, ReentrantMutex, Sema};
use std::collections::VecDeque;
use std::marker::PhantomData;

/// Sizes and toggles of one tracer instance.
#[derive(Clone, Debug)]
pub struct Config {
    /// Emitter Ps (the controller, reader, poller and a second reader get one P each after them).
    pub emitters: usize,
    /// Bytes per trace buffer.
    pub buf_bytes: usize,
    /// Trace sessions (StartTrace/StopTrace cycles).
    pub sessions: usize,
    /// Records the CPU profile ring holds.
    pub profbuf_slots: usize,
    /// Distinct stacks the stack table can hold.
    pub stack_slots: usize,
    /// The CPU profiler is on around every session (`pprof.StartCPUProfile` before
    /// `trace.Start`, stopped after `trace.Stop`, as in TestTraceCPUProfile): SIGPROF also
    /// interrupts the M running `StopTrace` ([`Trace::sigprof_stw`]).
    pub cpu_profile: bool,
    pub variant: Variant,
}

/// The state behind `trace.lock`.
#[derive(Debug, Default)]
pub struct Queues {
    pub full: VecDeque<TraceBufPtr>,
    pub empty: Vec<TraceBufPtr>,
    pub reading: Option<TraceBufPtr>,
    pub header_written: bool,
    pub footer_written: bool,
    /// Ghost counters: flushes forced by a full buffer, buffers reused from the free list,
    /// buffers allocated. Scenarios check that tiny capacities exercise all three.
    pub boundary_flushes: u64,
    pub reuses: u64,
    pub allocations: u64,
}

impl Queues {
    /// `traceFullQueue`: appends `b` to the full FIFO, remembering its hash for I4.
    pub fn enqueue(&mut self, b: TraceBufPtr, full_len: &Racy<u64>) {
        b.with_mut(|b| b.flushed_hash = b.hash());
        self.full.push_back(b);
        full_len.store(full_len.load() + 1);
    }
}

/// One P's trace state (`p.trace`).
pub struct PSlot {
    pub buf: Shared<Option<TraceBufPtr>>,
    /// Mirror of `buf.is_some()` for `StopTrace`'s unlocked cleanup check.
    pub has_buf: Racy<bool>,
    /// The session whose ProcStart this P has emitted.
    pub session_seen: Shared<u64>,
    /// The goroutine whose slice is open on this P in the trace (`GoStart` written, no end event
    /// yet), 0 for none; and whether the P is started (`ProcStart` without `ProcStop`). Written
    /// only by the P's owner or under STW, like the buffer (see [`Trace::track`]).
    pub running_g: Shared<u64>,
    pub proc_on: Shared<bool>,
}

/// A held P (Go's `acquirem` with the M's `p`): a shared hold on the world, owning P `p`.
pub struct PGuard<'a> {
    p: usize,
    _world: crate::go121::world::PHold<'a>,
}

impl PGuard<'_> {
    /// The proof of owning this P.
    pub fn own(&self) -> POwn<'_> {
        POwn {
            p: self.p,
            _proof: PhantomData,
        }
    }
}

/// Proof that the caller may use P `p`'s trace state (Go: the M holding the P, or the
/// stop-the-world holder): it borrows a [`PGuard`] for P `p` or a [`StwGuard`], so the ownership
/// rule of §A.3 is checked by the compiler rather than at run time.
#[derive(Clone, Copy)]
pub struct POwn<'a> {
    p: usize,
    _proof: PhantomData<&'a ()>,
}

impl POwn<'_> {
    /// The P.
    pub fn p(&self) -> usize {
        self.p
    }
}

/// Ownership of any P for the holder of a stopped world.
pub fn stw_own<'a>(_stw: &'a StwGuard<'_>, p: usize) -> POwn<'a> {
    POwn {
        p,
        _proof: PhantomData,
    }
}

/// The tracer; see the module docs.
pub struct Trace {
    pub cfg: Config,
    pub world: World,
    /// The CPU's tick counter (`cputicks`): orders nothing, see [`sim::ghost::Ticks`].
    pub clock: Ticks,
    pub lock: ReentrantMutex<()>,
    queues: Locked<Queues>,
    /// `trace.fullHead != 0` as `traceReader`'s optimistic check reads it, without the lock.
    pub full_len: Racy<u64>,
    /// `trace.footerWritten` as `readTrace0`'s unlocked drain guard reads it.
    pub footer_written_racy: Racy<bool>,
    pub enabled: Racy<bool>,
    pub shutdown: Racy<bool>,
    /// The session number (the model's, for ghost logs and each P's first `ProcStart`).
    pub session: Racy<u64>,
    pub reader: AtomicU64,
    pub shutdown_sema: Sema,
    pub buf_lock: Mutex<Option<TraceBufPtr>>,
    /// Mirror of `trace.buf != 0`, which `StopTrace`'s cleanup reads without `bufLock`.
    pub global_has_buf: Racy<bool>,
    pub sysmon: Mutex<()>,
    /// `mheap_.lock` (see [`crate::go121::alloc`]).
    pub mheap: Mutex<()>,
    pub ps: Vec<PSlot>,
    pub strings: Strings,
    pub stacks: StackTab,
    pub cpu: Cpu,
    /// Per-goroutine `traceseq`, indexed by goroutine slot.
    pub gseq: Vec<Shared<u64>>,
    /// One park slot per reader goroutine (two per session: V1.6 runs a second reader).
    pub parkers: Vec<Parker>,
    pub next_buf_id: Counter,
    /// Bytes the reader has delivered (I14 compares it before and after StopTrace returns).
    pub delivered: Counter,
    /// Chunks handed out by `ReadTrace`, in order (the readers' chunks merge by it).
    pub chunks: Counter,
    /// The poller may stop (the controller finished every session).
    pub done: Flag,
    /// Where emitter `i` waits while tracing is off (harness).
    pub gates: Gates,
    /// The idle M that `wakep` starts to run `findRunnable` (the poller actor).
    pub idle_m: Parker,
    /// Ghost: readers readied by their own M's `findRunnable` right after parking, with the work
    /// the park callback's re-check would have seen (V1.7's window, hit and survived).
    pub late_wakeups: Counter,
    /// Emitter `i` returned (`goexit`): the next snapshot no longer lists it.
    pub exited: Vec<Flag>,
    /// `StopTrace`'s cleanup ran for the current session (ghost, for the I11 claim).
    pub cleaned: Flag,
}

/// Why `trace.fullHead`, `footerWritten` and `shutdown` race benignly.
const UNDER_LOCK: &str =
    "written under trace.lock (or StopTrace's stop-the-world); read without it";
/// Why a P's `tracebuf != nil` races benignly.
const P_BUF: &str = "written by the P's holder or under stop-the-world; StopTrace's last check reads every P's under trace.lock, holding none";
/// Why the global buffer's mirror races benignly.
const GLOBAL_BUF: &str = "written under trace.bufLock; StopTrace's last check reads it under trace.lock, without bufLock";
/// Why `trace.enabled` and the session race benignly.
const UNDER_STW: &str = "written only under stop-the-world; emitters read it before taking a P";

/// Goroutine ids of the model: the controller, emitters, readers per session.
pub mod goid {
    /// The controller goroutine (`main` in Go's tests).
    pub const CONTROLLER: u64 = 1;
    /// Emitter `i` runs goroutine `EMITTER + i`.
    pub const EMITTER: u64 = 10;
    /// Reader `k` (0, or 1 for V1.6's second reader) of session `s` (1-based) is goroutine
    /// `READER + 2 * (s - 1) + k`.
    pub const READER: u64 = 100;

    /// The goroutine of reader `k` of session `s`.
    pub fn reader(s: u64, k: u64) -> u64 {
        READER + 2 * (s - 1) + k
    }
}

impl Trace {
    /// A tracer, built inside the execution (its primitives pick the backend then).
    pub fn new(cfg: Config) -> Self {
        let nps = cfg.emitters + 4;
        let ps = (0..nps)
            .map(|p| PSlot {
                buf: Shared::new(format!("p[{p}].tracebuf"), None),
                has_buf: Racy::new(
                    format!("p[{p}].tracebuf != nil"),
                    false,
                    Claim::WritesOrdered(P_BUF),
                ),
                session_seen: Shared::new(format!("p[{p}] session of its ProcStart"), 0),
                running_g: Shared::new(format!("p[{p}] running goroutine"), 0),
                proc_on: Shared::new(format!("p[{p}] started"), false),
            })
            .collect();
        let gslots = 1 + cfg.emitters + 2 * cfg.sessions;
        Self {
            world: World::new(),
            clock: Ticks::new(),
            lock: ReentrantMutex::ranked(&locks::TRACE, ()),
            queues: Locked::or_stw("trace (full, empty, reading, flags)", Queues::default()),
            full_len: Racy::new(
                "trace.fullHead (traceReader's optimistic check)",
                0,
                Claim::WritesOrdered(UNDER_LOCK),
            ),
            footer_written_racy: Racy::new(
                "trace.footerWritten (readTrace0's drain guard)",
                false,
                Claim::WritesOrdered(UNDER_LOCK),
            ),
            enabled: Racy::new("trace.enabled", false, Claim::WritesOrdered(UNDER_STW)),
            shutdown: Racy::new("trace.shutdown", false, Claim::WritesOrdered(UNDER_LOCK)),
            session: Racy::new("the trace session", 0, Claim::Monotonic(UNDER_STW)),
            reader: AtomicU64::new(0),
            shutdown_sema: Sema::new("trace.shutdownSema", 0),
            buf_lock: Mutex::ranked(&locks::TRACE_BUF, None),
            global_has_buf: Racy::new("trace.buf != nil", false, Claim::WritesOrdered(GLOBAL_BUF)),
            sysmon: Mutex::ranked(&locks::SYSMON, ()),
            mheap: Mutex::ranked(&locks::MHEAP, ()),
            ps,
            strings: Strings::new(),
            stacks: StackTab::new(cfg.stack_slots),
            cpu: Cpu::new(cfg.sessions, cfg.profbuf_slots),
            gseq: (0..gslots)
                .map(|g| Shared::new(format!("g[{g}].traceseq"), 0))
                .collect(),
            parkers: (0..2 * cfg.sessions)
                .map(|_| Parker::new("the trace reader"))
                .collect(),
            next_buf_id: Counter::new(1),
            delivered: Counter::new(0),
            chunks: Counter::new(0),
            done: Flag::new(false),
            gates: Gates::new(cfg.emitters),
            idle_m: Parker::new("an idle M (stopm, until wakep)"),
            late_wakeups: Counter::new(0),
            exited: (0..cfg.emitters).map(|_| Flag::new(false)).collect(),
            cleaned: Flag::new(false),
            cfg,
        }
    }

    /// P index of the controller, reader and poller.
    pub fn p_controller(&self) -> usize {
        self.cfg.emitters
    }
    /// See [`Trace::p_controller`].
    pub fn p_reader(&self) -> usize {
        self.cfg.emitters + 1
    }
    /// See [`Trace::p_controller`].
    pub fn p_poller(&self) -> usize {
        self.cfg.emitters + 2
    }

    /// The P of reader goroutine `g`: V1.6's second reader runs on a P of its own.
    pub fn p_of_reader(&self, g: u64) -> usize {
        if (g - goid::READER).is_multiple_of(2) {
            self.cfg.emitters + 1
        } else {
            self.cfg.emitters + 3
        }
    }

    /// The trace clock (`traceClockNow`): a global logical clock, strictly increasing.
    pub fn tick(&self) -> u64 {
        self.clock.now()
    }

    /// The `Locked(trace)` state: asserts `trace.lock` is held by this actor, or the world is
    /// stopped by it (`StopTrace` enqueues under STW without the lock).
    /// Every holder of `trace.lock` must also hold a P or `bufLock` (Go: a locked M is not
    /// preemptible, and the P-less emitter holds `bufLock`), which is what makes `StopTrace`'s
    /// lock-free enqueue under STW exclusive: a holder with neither is reported here.
    #[track_caller]
    pub fn with_queues<R>(&self, f: impl FnOnce(&mut Queues) -> R) -> R {
        let locked = self.lock.mutex().held_by_me();
        sim::invariant!(
            locked || self.world.stopped_by_me(),
            "I11",
            "{} touches trace.full/empty/reading without holding trace.lock and outside a stop-the-world \
             (likely cause: a traceFlush that skipped locking because lockOwner still named its goroutine)",
            sim::thread::current_name()
        );
        sim::invariant!(
            !locked || self.world.held_by_me() || self.buf_lock.held_by_me(),
            "I11",
            "{} holds trace.lock without a P and without trace.bufLock, so StopTrace's stop-the-world \
             does not exclude it while it enqueues trace.full without the lock",
            sim::thread::current_name()
        );
        if locked {
            self.queues.with_mut(&self.lock, f)
        } else {
            self.queues.with_mut_stw(&self.world, f)
        }
    }

    /// Takes P `p`: waits while the world is stopped.
    #[track_caller]
    pub fn acquire_p(&self, p: usize) -> PGuard<'_> {
        PGuard {
            p,
            _world: self.world.acquire_p(),
        }
    }

    /// P `p`'s buffer slot, for the owner of P `p` (see [`POwn`]).
    #[track_caller]
    pub fn with_p_buf<R>(
        &self,
        own: &POwn<'_>,
        f: impl FnOnce(&mut Option<TraceBufPtr>) -> R,
    ) -> R {
        self.ps[own.p].buf.with_mut(f)
    }

    /// Sets `enabled`; asserts the world is stopped by the caller.
    #[track_caller]
    pub fn set_enabled(&self, on: bool) {
        sim::invariant!(
            self.world.stopped_by_me(),
            "I11",
            "trace.enabled written outside a stop-the-world"
        );
        self.enabled.store(on);
    }

    /// Reads `enabled` (racy by design: emitters re-check it after taking their P).
    pub fn enabled(&self) -> bool {
        self.enabled.load()
    }

    /// The next `traceseq` of goroutine slot `g` (`gp.traceseq++`).
    pub fn next_seq(&self, g: usize) -> u64 {
        self.gseq[g].with_mut(|s| {
            *s += 1;
            *s
        })
    }

    /// A fresh ghost buffer id.
    pub fn buf_id(&self) -> u64 {
        self.next_buf_id.add(1)
    }
}

//! The actors of §G.2 (v2 column), each the body of one simulated thread: emitters on their
//! own Ms, the allocator (holds `mheap` and emits a stack-bearing event: edge A of §B.11), the
//! CPU reader goroutine, the advancer (`traceadvanceperiod=0`: it advances back to back), the
//! reader goroutine of `runtime/trace.Start`, and the controller running start/stop cycles.
//! None of them spins: the reader is readied by `findRunnable`'s poll at scheduling events
//! (`super::sched`), the CPU reader and the advancer sleep in `wakeableSleep`s, and the
//! workload parks while tracing is off.

use super::ghost::{Actor, Committed, Ghost};
use super::out;
use super::reader::{Read, READER_G};
use super::state::{role, Trace};
use super::variant::Variant;
use sim::sync::atomic::Ordering;
use sim::sync::Arc;
use sim::thread::{spawn, JoinHandle};

/// What emitter `i` does.
#[derive(Clone, Debug)]
pub struct EmitterPlan {
    /// Events to commit (each a `HeapAlloc`, every other one with a `GCSweep` pair and a stack).
    pub events: usize,
    /// CPU samples taken on this M (every other one inside a traceLocker).
    pub samples: usize,
}

/// One emitter operation inside a traceLocker: `HeapAlloc(id)`, maybe a sweep with a stack.
fn emit_one(t: &Trace, a: &mut Actor, j: usize, stack: Option<usize>) -> bool {
    let Some(l) = t.acquire(a.m) else {
        return false;
    };
    if let Some(k) = stack {
        let sid = t.stack_put(l.gen, k);
        let mut w = l.writer();
        w.event(out::EV_GC_SWEEP_BEGIN, &[sid]);
        w.event(out::EV_GC_SWEEP_END, &[j as u64, 0]);
        w.end();
    }
    let id = t.fresh_id();
    let mut w = l.writer();
    w.event(out::EV_HEAP_ALLOC, &[id]);
    w.end();
    let m = t.ms[a.m].id;
    a.ghost.events.push(Committed { id, m, gen: l.gen });
    l.release();
    true
}

/// Emitter `i` (M `i`): waits (parked) for tracing, then commits its events, with samples
/// between them and (every other one) while inside a traceLocker, calling `runtime.Gosched()`
/// after each (`schedule` polls the trace reader), and exits (`goexit0` polls again).
pub fn emitter(t: &Trace, i: usize, plan: &EmitterPlan) -> Ghost {
    let mut a = Actor::on(i);
    let pool = t.cfg.stacks.len();
    let (mut j, mut samples) = (0, plan.samples);
    while j < plan.events && !t.done.get() {
        if !t.enabled() {
            t.wait_tracing(i);
            continue;
        }
        if samples > 0 {
            samples -= 1;
            sample_on(t, &mut a, (i + samples) % pool, samples % 2 == 1);
        }
        let stack = (j % 2 == 0).then_some((i + j) % pool);
        if emit_one(t, &mut a, j, stack) {
            j += 1;
            t.find_runnable(i);
        }
    }
    t.go_exit(i);
    t.find_runnable(i);
    t.proc_stop(i);
    a.ghost
}

/// A SIGPROF on `a`'s M, either between events or while it holds a traceLocker (the handler
/// then piggy-backs on the odd seqlock).
fn sample_on(t: &Trace, a: &mut Actor, stack: usize, inside: bool) {
    let l = if inside { t.acquire(a.m) } else { None };
    t.cpu_sample(a, stack);
    if let Some(l) = l {
        l.release();
    }
}

/// The allocator: holds `mheap` while emitting a stack-bearing event, `rounds` times.
pub fn allocator(t: &Trace, rounds: usize) -> Ghost {
    let mut a = Actor::on(t.m_of(role::ALLOCATOR));
    let pool = t.cfg.stacks.len();
    let mut k = 0;
    while k < rounds.min(t.cfg.alloc_stacks.len()) && !t.done.get() {
        if !t.enabled() {
            t.wait_tracing(t.cfg.emitters);
            continue;
        }
        let _h = t.mheap.lock();
        if emit_one(t, &mut a, k, Some(pool + k)) {
            k += 1;
        }
    }
    t.go_exit(a.m);
    t.find_runnable(a.m);
    t.proc_stop(a.m);
    a.ghost
}

/// The CPU reader goroutine of session `s` (`traceStartReadCPU`): sleeps on `trace.cpuSleep`,
/// then reads `profBuf[gen%2]` inside a traceLocker, until tracing is off. The 100 ms timer
/// of Go's sleep is modelled as firing once per generation, when the advancer's does
/// ([`spawn_advancer`]); `traceStopReadCPU` wakes it to exit.
pub fn spawn_cpu_reader(t: &Arc<Trace>, s: usize) -> JoinHandle<Ghost> {
    let t = t.clone();
    spawn("cpu-reader", move || {
        let a = t.actor(role::CPU_READER);
        t.start_m(a.m);
        t.go_resume(a.m);
        while t.enabled() {
            t.sleeps[s][0].sleep(&t, a.m);
            let Some(l) = t.acquire(a.m) else {
                break;
            };
            t.read_cpu(l.gen);
            l.release();
        }
        t.go_exit(a.m);
        t.stop_m(a.m);
        t.cpu_exited.release();
        a.ghost
    })
}

/// The advancer goroutine of session `s` with `traceadvanceperiod=0`: `for traceEnabled() {
/// timer.sleep(0); traceAdvance(false) }`, back to back, for `advances` generations; then its
/// timer no longer fires (the model's bound) and it sleeps until `StopTrace` wakes it to exit.
/// Each expiry also fires the CPU reader's timer.
pub fn spawn_advancer(t: &Arc<Trace>, s: usize, advances: usize) -> JoinHandle<Ghost> {
    let t = t.clone();
    spawn("advancer", move || {
        let mut a = t.actor(role::ADVANCER);
        let [cpu, timer] = &t.sleeps[s];
        let mut n = 0;
        t.start_m(a.m);
        t.go_resume(a.m);
        while t.enabled() {
            if n < advances {
                timer.sleep_zero(&t, a.m);
                cpu.wake(&t, a.m, t.m_of(role::CPU_READER));
            } else {
                timer.sleep(&t, a.m);
            }
            t.trace_advance(&mut a, false);
            n += 1;
            if n == 1 {
                t.advanced.release();
            }
        }
        t.go_exit(a.m);
        t.stop_m(a.m);
        t.advancer_exited.release();
        a.ghost
    })
}

/// A reader goroutine: `ReadTrace` until nil. Returns the bytes and its ghost log.
pub fn reader(t: &Trace, g: u64, m: usize) -> (Vec<u8>, Ghost) {
    let mut a = Actor::on(m);
    let mut out = Vec::new();
    t.start_m(m);
    t.go_resume(m);
    loop {
        match t.read_trace0(&mut a, g) {
            Read::Data(b) => out.extend_from_slice(&b),
            Read::Park => t.park_reader(g, m),
            Read::Nil => break,
        }
    }
    t.go_exit(m);
    t.stop_m(m);
    (out, a.ghost)
}

/// One session's output and the ghost logs of the goroutines it started.
pub struct Session {
    pub bytes: Vec<u8>,
    pub first_gen: u64,
    pub ghost: Ghost,
}

/// The controller: `sessions` start/stop cycles, each pausing `pause` yields.
pub fn controller(t: &Arc<Trace>, sessions: usize, advances: usize, pause: usize) -> Vec<Session> {
    let mut a = t.actor(role::CONTROLLER);
    let mut out = Vec::new();
    for _ in 0..sessions {
        let hs = t
            .start_trace(advances)
            .expect("the controller starts tracing only when it is off");
        let first_gen = t.first_gen.load(Ordering::SeqCst);
        let readers = spawn_readers(t);
        t.wakep();
        for _ in 0..pause {
            sim::thread::yield_now();
        }
        // The test's workload runs across at least one generation boundary.
        t.stop_m(a.m);
        t.advanced.acquire();
        t.start_m(a.m);
        t.stop_trace(&mut a);
        let mut s = Session {
            bytes: Vec::new(),
            first_gen,
            ghost: Ghost::default(),
        };
        for (k, h) in readers.into_iter().enumerate() {
            t.find_runnable(a.m);
            let (b, g) = h.join();
            if k == 0 || s.bytes.is_empty() {
                s.bytes = b;
            }
            s.ghost.merge(g);
        }
        for h in hs {
            s.ghost.merge(h.join());
        }
        out.push(s);
    }
    t.done.set(true);
    t.gates.open();
    t.wakep();
    if let Some(s) = out.last_mut() {
        s.ghost.merge(std::mem::take(&mut a.ghost));
    }
    out
}

fn spawn_readers(t: &Arc<Trace>) -> Vec<JoinHandle<(Vec<u8>, Ghost)>> {
    let n = if t.variant() == Variant::V2_12 { 2 } else { 1 };
    let c = t.m_of(role::CONTROLLER);
    (0..n)
        .map(|k| {
            let (t2, m) = (
                t.clone(),
                t.m_of(if k == 0 { role::READER } else { role::READER_B }),
            );
            t.go_create(c, m);
            spawn(&format!("reader-{k}"), move || reader(&t2, READER_G[k], m))
        })
        .collect()
}

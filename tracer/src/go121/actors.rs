//! The actors of §G.2 (v1 column), each the body of one simulated thread: emitters bound to Ps,
//! a P-less emitter, the SIGPROF sample producer, the reader goroutine of `runtime/trace.Start`,
//! the scheduler's poller that wakes it, and the controller running start/stop cycles.

use super::wire::ev;
use crate::go121::control::start_pcs;
use crate::go121::emit::Writer;
use crate::go121::ghost::Ghost;
use crate::go121::reader::Read;
use crate::go121::state::{goid, Trace};
use crate::variant::Variant;

/// What emitter `i` does: `events` events, alternating a syscall with a stack and a
/// `trace.Log` with a string key, over a pool of stacks.
#[derive(Clone, Debug)]
pub struct EmitterPlan {
    pub events: usize,
    pub stacks: Vec<Vec<u64>>,
}

/// Emitter `i`: goroutine `EMITTER + i` on P `i`. Waits for tracing to start, then emits, calling
/// `runtime.Gosched()` between operations as Go's stress tests do, and exits.
pub fn emitter(t: &Trace, i: usize, plan: &EmitterPlan) -> Ghost {
    let mut w = Writer {
        goid: goid::EMITTER + i as u64,
        gslot: Some(1 + i),
        p: Some(i),
        ..Writer::default()
    };
    while !t.enabled() && !t.done.get() {
        t.gates.wait(i);
    }
    for j in 0..plan.events {
        let pcs = &plan.stacks[(i + j) % plan.stacks.len()];
        if !t.enabled() {
            sim::thread::yield_now();
            continue;
        }
        t.may_flush(w.goid);
        let held = t.acquire_p(i);
        let own = held.own();
        t.start_on_p(&mut w, &own);
        if j > 0 {
            t.gosched(&mut w, &own);
        }
        if j % 2 == 0 {
            t.event_on_p(&mut w, &own, ev::EV_GO_SYS_CALL, &[], Some(pcs));
        } else {
            let key = ["alpha", "beta", "gamma"][j % 3];
            t.user_log_on_p(&mut w, &own, key, b"v", pcs);
        }
    }
    t.may_flush(w.goid);
    let held = t.acquire_p(i);
    t.exited[i].set(true);
    t.goexit(&mut w, &held.own());
    drop(held);
    w.ghost
}

/// An M without a P (sysmon, `exitsyscall`): `events` heap-size events into the global buffer.
pub fn pless_emitter(t: &Trace, events: usize) -> Ghost {
    let mut w = Writer {
        goid: 0,
        ..Writer::default()
    };
    for k in 0..events {
        sim::thread::yield_now();
        t.emit_global(&mut w, ev::EV_HEAP_ALLOC, &[4096 * (k as u64 + 1)]);
    }
    w.ghost
}

/// The SIGPROF handler: `samples` samples, attributed round-robin to the emitters.
pub fn signal(t: &Trace, samples: usize, stacks: &[Vec<u64>]) -> Ghost {
    let mut ghost = Ghost::default();
    let mut k = 0;
    while k < samples && !t.done.get() {
        sim::thread::yield_now();
        if !t.enabled() {
            continue;
        }
        let i = k % t.cfg.emitters;
        t.cpu_sample(
            &mut ghost,
            i as i32,
            goid::EMITTER + i as u64,
            &stacks[k % stacks.len()],
        );
        k += 1;
    }
    ghost
}

/// An idle M (`stopm`) that `wakep` starts (when the world restarts, when a goroutine is
/// created): it takes its P, runs `findRunnable`'s trace-reader poll once, and goes idle again.
pub fn poller(t: &Trace) -> Ghost {
    let p = t.p_poller();
    let mut w = Writer {
        goid: 0,
        p: Some(p),
        ..Writer::default()
    };
    loop {
        t.idle_m.park();
        if t.done.get() {
            break;
        }
        let held = t.acquire_p(p);
        t.find_runnable(&mut w, &held.own());
    }
    w.ghost
}

/// Chunks of trace bytes, each with its place in the order `ReadTrace` handed them out.
pub type Chunks = Vec<(u64, Vec<u8>)>;

/// A reader goroutine (`g`, see [`goid::reader`]): `ReadTrace` until nil, copying each lent chunk
/// after `readTrace0` unlocked and "writing" it with a syscall event. Returns its chunks and its ghost log.
pub fn reader(t: &Trace, g: u64) -> (Chunks, Ghost) {
    let p = t.p_of_reader(g);
    let mut w = Writer {
        goid: g,
        gslot: Some(t.reader_slot(g)),
        p: Some(p),
        ..Writer::default()
    };
    let mut out = Vec::new();
    loop {
        if t.cfg.variant == Variant::V1_4 && t.drain_first() {
            t.read_cpu(&mut w);
        }
        let r = {
            let held = t.acquire_p(p);
            t.start_on_p(&mut w, &held.own());
            t.read_trace0(&mut w)
        };
        let bytes = match r {
            Read::Header => super::wire::enc::HEADER.to_vec(),
            Read::Lent(lent) => t.copy_lent(&lent),
            Read::Park => {
                t.park_reader(&mut w);
                continue;
            }
            Read::Nil => break,
        };
        let n = bytes.len() as u64;
        out.push((t.chunks.add(1), bytes));
        t.delivered.add(n);
        t.emit(&mut w, ev::EV_GO_SYS_CALL, &[], Some(&start_pcs(g)));
    }
    t.may_flush(w.goid);
    let held = t.acquire_p(p);
    t.goexit(&mut w, &held.own());
    drop(held);
    (out, w.ghost)
}

/// `runtime/trace.Start`'s `go func() { for { ReadTrace() ... } }`: creates reader `k` of
/// session `s` (its `GoCreate`) and spawns it.
fn spawn_reader(
    t: &sim::sync::Arc<Trace>,
    w: &mut Writer,
    s: u64,
    k: u64,
) -> sim::thread::JoinHandle<(Chunks, Ghost)> {
    let rg = goid::reader(s, k);
    t.emit(
        w,
        ev::EV_GO_CREATE,
        &[rg, t.stacks.put(&start_pcs(rg))],
        Some(&start_pcs(0)),
    );
    t.wakep();
    let tr = t.clone();
    let name = if k == 0 {
        format!("reader-{s}")
    } else {
        format!("reader-{s}b")
    };
    sim::thread::spawn(&name, move || reader(&tr, rg))
}

/// The controller (`runtime/trace.Start`/`Stop` in a loop): each session starts tracing, creates
/// its reader, lets the workload run for `pause` yields, and stops. Returns every session's
/// trace bytes and the merged ghost logs of the controller and readers.
/// `started(s)` runs right after session `s` started tracing (the test creating its workload).
pub fn controller(
    t: &sim::sync::Arc<Trace>,
    pause: usize,
    mut started: impl FnMut(u64),
) -> (Vec<Vec<u8>>, Ghost) {
    let mut w = Writer {
        goid: goid::CONTROLLER,
        gslot: Some(0),
        p: Some(t.p_controller()),
        ..Writer::default()
    };
    let mut traces = Vec::new();
    let mut ghost = Ghost::default();
    for s in 1..=t.cfg.sessions as u64 {
        t.start_trace(&mut w)
            .expect("the controller starts tracing only when it is off");
        t.gates.open();
        let readers = if t.cfg.variant == Variant::V1_6 { 2 } else { 1 };
        let hs: Vec<_> = (0..readers)
            .map(|k| spawn_reader(t, &mut w, s, k))
            .collect();
        started(s);
        for _ in 0..pause {
            sim::thread::yield_now();
        }
        t.stop_trace(&mut w);
        let at_stop = t.delivered.get();
        let mut chunks = Chunks::new();
        for h in hs {
            let (c, g) = h.join();
            chunks.extend(c);
            ghost.merge(g);
        }
        let after = t.delivered.get();
        sim::invariant!(
            after == at_stop,
            "I14",
            "{} bytes reached the output after StopTrace returned in session {s}",
            after - at_stop
        );
        t.delivered.set(0);
        chunks.sort_by_key(|c| c.0);
        traces.push(chunks.into_iter().flat_map(|c| c.1).collect());
    }
    t.done.set(true);
    t.gates.open();
    t.wakep();
    ghost.merge(w.ghost);
    (traces, ghost)
}

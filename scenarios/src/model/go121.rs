//! The go1.21 scenarios, after Go 1.21's `runtime/trace` stress tests (§C.1): their knobs, drawn
//! from the seed within documented ranges (the table in STRESS.md) and printed with the seed as
//! one block, and the body of one execution of the go1.21 model (builds the tracer inside the
//! execution, spawns the actors of §G.2, runs the controller on the main thread, joins
//! everything and validates each session).

use crate::artifact;
use crate::Scenario;
use sim::swarm::Swarm;
use sim::sync::Arc;
use sim::thread::{spawn, JoinHandle};
use tracer::go121::actors::{self, EmitterPlan};
use tracer::go121::ghost::Ghost;
use tracer::go121::validate::validate;
use tracer::go121::{Config, Trace};
use tracer::Variant;

/// Everything one execution of a scenario is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Knobs {
    pub emitters: usize,
    pub events: usize,
    pub buf_bytes: usize,
    pub sessions: usize,
    pub samples: usize,
    pub profbuf_slots: usize,
    pub pless_events: usize,
    pub stacks: Vec<Vec<u64>>,
    pub pause: usize,
}

impl Knobs {
    /// Draws the knobs of `scenario` (ranges per scenario; see STRESS.md).
    pub fn draw(scenario: Scenario, sw: &mut Swarm) -> Self {
        let cpu = scenario == Scenario::TraceCpuProfile;
        let start_stop = scenario == Scenario::TraceStressStartStop;
        let emitters = sw.range("emitters", 2..=3) as usize;
        let events = if start_stop {
            sw.range("events", 4..=8)
        } else {
            sw.range("events", 3..=6)
        } as usize;
        let buf_bytes = sw.range("buf_bytes", 80..=128) as usize;
        let sessions = if start_stop {
            sw.range("sessions", 3..=3)
        } else {
            sw.fixed("sessions", 1)
        } as usize;
        let samples = if cpu {
            sw.range("samples", 1..=3)
        } else {
            sw.fixed("samples", 0)
        } as usize;
        let profbuf_slots = sw.range("profbuf_slots", 2..=4) as usize;
        let pless_events = if sw.chance("pless", 0.5) {
            sw.range("pless_events", 1..=3) as usize
        } else {
            0
        };
        let stacks = super::stacks(sw);
        let pause = sw.range("pause", 2..=6) as usize;
        Self {
            emitters,
            events,
            buf_bytes,
            sessions,
            samples,
            profbuf_slots,
            pless_events,
            stacks,
            pause,
        }
    }

    /// The tracer configuration these knobs give, with `variant`.
    pub fn config(&self, variant: Variant) -> Config {
        Config {
            emitters: self.emitters,
            buf_bytes: self.buf_bytes,
            sessions: self.sessions,
            profbuf_slots: self.profbuf_slots,
            stack_slots: 16 + self.emitters + self.sessions,
            cpu_profile: self.samples > 0,
            variant,
        }
    }
}

fn spawn_workers(t: &Arc<Trace>, k: &Knobs) -> Vec<JoinHandle<Ghost>> {
    let mut hs = Vec::new();
    for i in 0..k.emitters {
        let (t, plan) = (
            t.clone(),
            EmitterPlan {
                events: k.events,
                stacks: k.stacks.clone(),
            },
        );
        hs.push(spawn(&format!("emitter-{i}"), move || {
            actors::emitter(&t, i, &plan)
        }));
    }
    if k.pless_events > 0 {
        let (t, n) = (t.clone(), k.pless_events);
        hs.push(spawn("pless-emitter", move || actors::pless_emitter(&t, n)));
    }
    if k.samples > 0 {
        let (t, n, stacks) = (t.clone(), k.samples, k.stacks.clone());
        hs.push(spawn("sigprof", move || actors::signal(&t, n, &stacks)));
    }
    let tp = t.clone();
    hs.push(spawn("poller", move || actors::poller(&tp)));
    hs
}

/// Runs `scenario` under `variant` with the knobs of the current execution.
pub fn run(scenario: Scenario, variant: Variant) {
    run_with(scenario, variant, |_| {});
}

/// [`run`], then hands the tracer to `inspect` (tests read its ghost counters there).
pub fn run_with(scenario: Scenario, variant: Variant, inspect: impl FnOnce(&Trace)) {
    let mut sw = Swarm::current();
    let knobs = Knobs::draw(scenario, &mut sw);
    sw.fixed("variant", variant.name());
    let t = Arc::new(Trace::new(knobs.config(variant)));
    // TestTraceStressStartStop runs its workload in the background from the start; the other
    // two tests create theirs once tracing started.
    let background = scenario == Scenario::TraceStressStartStop;
    let mut workers = if background {
        spawn_workers(&t, &knobs)
    } else {
        Vec::new()
    };
    let tw = t.clone();
    let (traces, mut ghost) = actors::controller(&t, knobs.pause, |s| {
        if !background && s == 1 {
            workers = spawn_workers(&tw, &knobs);
        }
    });
    for h in workers {
        ghost.merge(h.join());
    }
    artifact::record(&traces);
    validate(&t, &traces, &ghost);
    pressure(&t);
    inspect(&t);
}

/// Harness self-check: the tiny capacities drawn by the knobs must make every execution hit
/// the buffer boundary, allocate, and recycle a buffer through the free list.
fn pressure(t: &Trace) {
    let _p = t.acquire_p(t.p_controller());
    let _g = t.lock.lock();
    let (flushes, reuses, allocations) =
        t.with_queues(|q| (q.boundary_flushes, q.reuses, q.allocations));
    sim::invariant!(
        flushes > 0 && reuses > 0 && allocations > 0,
        "harness",
        "the knobs did not exercise the buffer paths (boundary flushes {flushes}, free-list reuses {reuses}, allocations {allocations}): \
         capacities are not tiny enough"
    );
}

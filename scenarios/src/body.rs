//! One execution of a scenario: builds the tracer inside the execution, spawns the actors of
//! §G.2, runs the controller on the main thread, joins everything and validates each session.

use crate::knobs::Knobs;
use crate::Scenario;
use sim::swarm::{self, Swarm};
use sim::sync::Arc;
use sim::thread::{spawn, JoinHandle};
use tracer::go121::actors::{self, EmitterPlan};
use tracer::go121::ghost::Ghost;
use tracer::go121::validate::validate;
use tracer::go121::Trace;
use tracer::Variant;

/// Concatenates a session list into one artifact: the first session's trace, as a Go trace
/// file; later sessions follow it in the artifact after a `\n--session--\n` separator.
pub const SESSION_SEPARATOR: &[u8] = b"\n--session--\n";

/// The sessions of an artifact (the inverse of the join in [`run`]).
pub fn sessions(artifact: &[u8]) -> Vec<&[u8]> {
    let sep = SESSION_SEPARATOR;
    let mut parts = Vec::new();
    let mut rest = artifact;
    while let Some(i) = rest.windows(sep.len()).position(|w| w == sep) {
        parts.push(&rest[..i]);
        rest = &rest[i + sep.len()..];
    }
    parts.push(rest);
    parts
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
    let artifact = traces.join(SESSION_SEPARATOR);
    swarm::record_output(sim::runner::fnv1a(artifact.iter().copied()));
    swarm::record_artifact(artifact);
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

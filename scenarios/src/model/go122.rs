//! The go1.22 scenarios, after Go 1.22's `internal/trace/v2` test programs (§C.2): knobs drawn
//! from the seed (printed as one block) and the body of one execution of the go1.22 model.

use sim::swarm::Swarm;
use sim::sync::Arc;
use sim::thread::{spawn, JoinHandle};
use tracer::go122::ghost::Ghost;
use tracer::go122::harness::{self, EmitterPlan};
use tracer::go122::{validate, Config, Trace, Variant};

/// The go1.22 scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scenario2 {
    /// `TestTraceStress` (`stress.go`).
    Stress,
    /// `TestTraceStressStartStop` (`stress-start-stop.go`).
    StressStartStop,
    /// `TestTraceCPUProfile` (`cpu-profile.go`).
    CpuProfile,
    /// The `Stress` subtests' `GODEBUG=traceadvanceperiod=0`: long chains of tiny generations.
    AdvancePressure,
}

impl Scenario2 {
    /// Every go1.22 scenario.
    pub const ALL: [Scenario2; 4] = [
        Self::Stress,
        Self::StressStartStop,
        Self::CpuProfile,
        Self::AdvancePressure,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Stress => "go122_stress",
            Self::StressStartStop => "go122_stress_start_stop",
            Self::CpuProfile => "go122_cpu_profile",
            Self::AdvancePressure => "go122_advance_pressure",
        }
    }

    /// One line: what the scenario models.
    pub fn description(self) -> &'static str {
        match self {
            Self::Stress => "TestTraceStress (go1.22): Ms emitting stack-bearing events, the allocator, 1-2 generation advances",
            Self::StressStartStop => "TestTraceStressStartStop (go1.22): 2-3 start/stop cycles racing a background workload",
            Self::CpuProfile => "TestTraceCPUProfile (go1.22): SIGPROF samples through profBuf[gen%2] and the CPU reader",
            Self::AdvancePressure => "traceadvanceperiod=0: an advancer that never sleeps, 3-6 tiny generations per session",
        }
    }

    /// PCT's estimate of an execution's length in steps.
    pub fn pct_steps(self) -> u64 {
        match self {
            Self::StressStartStop => 3500,
            _ => 2000,
        }
    }
}

/// Everything one execution of a go1.22 scenario is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Knobs2 {
    pub ms: usize,
    pub events: usize,
    pub buf_bytes: usize,
    pub advances: usize,
    pub samples: usize,
    pub sessions: usize,
    pub allocator: usize,
    pub profbuf_slots: usize,
    pub stacks: Vec<Vec<u64>>,
    pub pause: usize,
}

impl Knobs2 {
    /// Draws the knobs of `s` (ranges in STRESS.md).
    pub fn draw(s: Scenario2, sw: &mut Swarm) -> Self {
        let ms = sw.range("ms", 2..=3) as usize;
        let events = sw.range("events", 3..=6) as usize;
        let buf_bytes = sw.range("buf_bytes", 96..=128) as usize;
        let advances = match s {
            Scenario2::AdvancePressure => sw.range("advances", 3..=6),
            _ => sw.range("advances", 1..=2),
        } as usize;
        let samples = match s {
            Scenario2::CpuProfile => sw.range("samples", 1..=3),
            _ => sw.fixed("samples", 0),
        } as usize;
        let sessions = match s {
            Scenario2::StressStartStop => sw.range("sessions", 2..=3),
            _ => sw.fixed("sessions", 1),
        } as usize;
        let allocator = if sw.chance("allocator", 0.5) {
            sw.range("allocator_events", 1..=3)
        } else {
            0
        } as usize;
        let profbuf_slots = sw.range("profbuf_slots", 2..=4) as usize;
        let stacks = super::stacks(sw);
        let pause = sw.range("pause", 4..=12) as usize;
        Self {
            ms,
            events,
            buf_bytes,
            advances,
            samples,
            sessions,
            allocator,
            profbuf_slots,
            stacks,
            pause,
        }
    }

    /// The tracer configuration.
    pub fn config(&self, variant: Variant) -> Config {
        Config {
            emitters: self.ms,
            buf_bytes: self.buf_bytes,
            sessions: self.sessions,
            profbuf_slots: self.profbuf_slots,
            tab_slots: 64,
            stacks: self.stacks.clone(),
            alloc_stacks: (0..self.allocator as u64)
                .map(|k| vec![0x50_0000 + 0x100 * k, 0x50_0010])
                .collect(),
            variant,
        }
    }
}

fn spawn_workers(t: &Arc<Trace>, k: &Knobs2) -> Vec<JoinHandle<Ghost>> {
    let mut hs = Vec::new();
    for i in 0..k.ms {
        let (t, plan) = (
            t.clone(),
            EmitterPlan {
                events: k.events,
                samples: k.samples,
            },
        );
        hs.push(spawn(&format!("m{i}"), move || {
            harness::emitter(&t, i, &plan)
        }));
    }
    if k.allocator > 0 {
        let (t, n) = (t.clone(), k.allocator);
        hs.push(spawn("allocator", move || harness::allocator(&t, n)));
    }
    let tp = t.clone();
    hs.push(spawn("idle-m", move || {
        tracer::go122::sched::idle_m(&tp);
        Ghost::default()
    }));
    hs
}

/// Runs go1.22 scenario `s` under `variant` with the knobs of the current execution.
pub fn run(s: Scenario2, variant: Variant) {
    let mut sw = Swarm::current();
    let k = Knobs2::draw(s, &mut sw);
    sw.fixed("variant", variant.name());
    let t = Arc::new(Trace::new(k.config(variant)));
    let workers = spawn_workers(&t, &k);
    let sessions = harness::controller(&t, k.sessions, k.advances, k.pause);
    let mut ghost = Ghost::default();
    for sess in &sessions {
        ghost.merge(sess.ghost.clone());
    }
    for h in workers {
        ghost.merge(h.join());
    }
    let parts: Vec<&[u8]> = sessions.iter().map(|s| s.bytes.as_slice()).collect();
    crate::artifact::record(&parts);
    validate::validate(&sessions, &ghost);
    pressure(&t);
}

/// Harness self-check: tiny buffers must make every execution flush batches, allocate
/// buffers, recycle one through the free list, and cross a generation.
fn pressure(t: &Trace) {
    let (flushes, reuses) = {
        let q = t.lock.lock();
        (q.flushes, q.reuses)
    };
    let allocations = t.allocations.get();
    let generations = t.generations.get();
    sim::invariant!(
        flushes > 0 && reuses > 0 && allocations > 0 && generations > 1,
        "harness",
        "the knobs did not exercise the buffer and generation paths (flushes {flushes}, free-list reuses {reuses}, \
         allocations {allocations}, generations {generations})"
    );
}

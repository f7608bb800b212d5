//! Swarm knobs: each scenario's parameters, drawn from the execution seed within documented
//! ranges (the table in STRESS.md), and printed with the seed as one block.

use crate::Scenario;
use sim::swarm::Swarm;
use tracer::go121::Config;
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

/// The pool of fake stacks (1–3 frames each), drawn from the seed; both models use it.
pub(crate) fn stacks(sw: &mut Swarm) -> Vec<Vec<u64>> {
    let n = sw.range("stacks", 2..=3);
    (0..n)
        .map(|k| {
            (0..=k % 3)
                .map(|d| 0x40_1000 + 0x100 * k + 0x10 * d)
                .collect()
        })
        .collect()
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
        let stacks = stacks(sw);
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

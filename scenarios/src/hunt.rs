//! Hunting a bug: executions to the first failure of a variant, over several base seeds. This
//! is the measure of what exploration buys (the table in STRESS.md).

use crate::{body, run_config, Scenario};
use sim::{Failure, SchedulerSpec};
use tracer::Variant;

/// The scenario where each variant's bug shows (the one Go's stress set would need).
pub fn home(v: Variant) -> Scenario {
    match v {
        Variant::V1_2 | Variant::V1_4 | Variant::V1_6 => Scenario::TraceCpuProfile,
        Variant::V1_3 | Variant::V1_11 => Scenario::TraceStressStartStop,
        _ => Scenario::TraceStress,
    }
}

/// The result of one hunt: per base seed, the 1-based number of executions to the first
/// failure (`None`: not found within the budget), and the first failure seen.
#[derive(Debug, Default)]
pub struct Hunt {
    pub found: Vec<Option<u64>>,
    pub first: Option<Failure>,
}

impl Hunt {
    /// Median and max over the seeds that found it, and how many did.
    pub fn summary(&self) -> (Option<u64>, Option<u64>, usize) {
        let mut xs: Vec<u64> = self.found.iter().flatten().copied().collect();
        xs.sort_unstable();
        let median = xs.get(xs.len() / 2).copied();
        (median, xs.last().copied(), xs.len())
    }
}

/// Runs `scenario` under `variant` from each base seed until its first failure or `budget`.
pub fn hunt(scenario: Scenario, variant: Variant, scheduler: SchedulerSpec, seeds: &[u64], budget: u64) -> Hunt {
    let mut out = Hunt::default();
    for &seed in seeds {
        let mut cfg = run_config(scenario, variant, seed, budget, scheduler);
        cfg.stop_after_failures = Some(1);
        cfg.keep_failures = 1;
        let report = sim::run(&cfg, body(scenario, variant));
        let f = report.failures.into_iter().next();
        out.found.push(f.as_ref().map(|f| f.index + 1));
        if out.first.is_none() {
            out.first = f;
        }
    }
    out
}

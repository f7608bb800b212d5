//! Scenarios mirroring Go's tracer stress tests (§C.1) at model scale, the registry the
//! `tracesim` CLI and the tests share, and the run configurations they use.
//!
//! Module map: [`knobs`] (swarm knobs drawn from the seed), [`body`] (one execution),
//! [`cli`] (the `tracesim` command line), [`stress`] (`tracesim stress`, with [`shard`] (the
//! seed space split over machines and jobs), [`board`] (failures and status while it runs),
//! [`status`] (Go stress's status line), [`save`] (failure files), [`summary`], [`stress_args`]
//! (its flags), [`keep`] (at most K saved failures per signature), [`crashseed`] (the seed a
//! killed run was running)), [`shrinking`] and [`shrink_cmd`] (`tracesim shrink`), [`explain`],
//! [`explain_fold`] and [`explain_cmd`] (`replay --explain`), [`timeline`] and [`timeline_html`]
//! (`--timeline`, and every saved failure's timeline), and [`corpus`] (the regression corpus).

pub mod board;
pub mod body;
pub mod cli;
pub mod corpus;
pub mod crashseed;
pub mod explain;
pub mod explain_cmd;
pub mod explain_fold;
pub mod hunt;
pub mod keep;
pub mod knobs;
pub mod save;
pub mod shard;
pub mod shrink_cmd;
pub mod shrinking;
pub mod status;
pub mod stress;
pub mod stress_args;
pub mod summary;
pub mod timeline;
pub mod timeline_html;

use sim::{RunConfig, SchedulerSpec};
use tracer::Variant;

/// The three scenarios, after `TestTraceStress`, `TestTraceStressStartStop` and
/// `TestTraceCPUProfile`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scenario {
    TraceStress,
    TraceStressStartStop,
    TraceCpuProfile,
}

impl Scenario {
    /// Every scenario.
    pub const ALL: [Scenario; 3] = [
        Self::TraceStress,
        Self::TraceStressStartStop,
        Self::TraceCpuProfile,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::TraceStress => "trace_stress",
            Self::TraceStressStartStop => "trace_stress_start_stop",
            Self::TraceCpuProfile => "trace_cpu_profile",
        }
    }

    /// Parses [`Scenario::name`].
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// One line: what the scenario models.
    pub fn description(self) -> &'static str {
        match self {
            Self::TraceStress => "TestTraceStress: emitters with stacks and strings, a P-less emitter, one session",
            Self::TraceStressStartStop => "TestTraceStressStartStop: three start/stop cycles racing live emitters and the reader's shutdown",
            Self::TraceCpuProfile => "TestTraceCPUProfile: CPU samples drained through the reader path",
        }
    }

    /// PCT's estimate of this scenario's execution length in steps (measured, see STRESS.md).
    pub fn pct_steps(self) -> u64 {
        match self {
            Self::TraceStress => 400,
            Self::TraceStressStartStop => 1200,
            Self::TraceCpuProfile => 400,
        }
    }
}

/// The run configuration of `scenario` under `variant`: its PCT estimate and a replay line
/// for the `tracesim` CLI.
pub fn run_config(
    scenario: Scenario,
    variant: Variant,
    base_seed: u64,
    executions: u64,
    scheduler: SchedulerSpec,
) -> RunConfig {
    RunConfig {
        base_seed,
        executions,
        scheduler,
        pct_steps: scenario.pct_steps(),
        max_steps: 50_000,
        replay_template: format!(
            "cargo run --release -p scenarios -- replay {{seed}} --scenario {} --variant {} --scheduler {{scheduler}}",
            scenario.name(),
            variant.name()
        ),
        ..RunConfig::default()
    }
}

/// The body of every execution of `scenario` under `variant`.
pub fn body(scenario: Scenario, variant: Variant) -> impl Fn() + Send + Sync + 'static {
    move || body::run(scenario, variant)
}

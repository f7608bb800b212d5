//! The one place that matches on the model: which scenarios and variants belong to go1.21 and
//! which to go1.22, and the dispatch to each model's knobs and body ([`go121`], [`go122`]) and
//! to each model's trace-file reader ([`dump`]).
//! Everything else (the CLI, the stress runner, hunt, the corpus, shrink, explain) runs an
//! execution through [`Scenario`], [`run_config`] and [`body`] and names no model.

pub mod dump;
pub mod go121;
pub mod go122;

use sim::swarm::Swarm;
use sim::{RunConfig, SchedulerSpec};
use tracer::Variant;

/// The scenarios: the go1.21 model's three, after `TestTraceStress`,
/// `TestTraceStressStartStop` and `TestTraceCPUProfile`, and the go1.22 model's
/// ([`go122::Scenario2`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scenario {
    TraceStress,
    TraceStressStartStop,
    TraceCpuProfile,
    Go122(go122::Scenario2),
}

impl Scenario {
    /// The go1.21 scenarios.
    pub const ALL: [Scenario; 3] = [
        Self::TraceStress,
        Self::TraceStressStartStop,
        Self::TraceCpuProfile,
    ];

    /// The go1.22 scenarios.
    pub const GO122: [Scenario; 4] = [
        Self::Go122(go122::Scenario2::Stress),
        Self::Go122(go122::Scenario2::StressStartStop),
        Self::Go122(go122::Scenario2::CpuProfile),
        Self::Go122(go122::Scenario2::AdvancePressure),
    ];

    /// The scenarios of `model` (`go1.21`, `go1.22` or `both`).
    pub fn of_model(model: &str) -> Option<Vec<Scenario>> {
        match model {
            "go1.21" => Some(Self::ALL.to_vec()),
            "go1.22" => Some(Self::GO122.to_vec()),
            "both" => Some(Self::every().collect()),
            _ => None,
        }
    }

    /// Every scenario of both models: go1.21's, then go1.22's.
    pub fn every() -> impl Iterator<Item = Scenario> {
        Self::ALL.into_iter().chain(Self::GO122)
    }

    /// The go1.22 scenario, if this is one.
    pub fn go122(self) -> Option<go122::Scenario2> {
        match self {
            Self::Go122(s) => Some(s),
            _ => None,
        }
    }

    /// Whether `variant` is a variant of this scenario's model (`v1.0`, the default, stands
    /// for `v2.0` on a go1.22 scenario).
    pub fn accepts(self, variant: Variant) -> bool {
        self.go122().is_some() == variant.go122().is_some() || variant == Variant::V1_0
    }

    /// The variant an execution runs: the go1.22 baseline for the default on go1.22.
    pub fn resolve(self, variant: Variant) -> Variant {
        match (self.go122(), variant) {
            (Some(_), Variant::V1_0) => Variant::V2(tracer::go122::Variant::V2_0),
            _ => variant,
        }
    }

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Go122(s) => s.name(),
            Self::TraceStress => "trace_stress",
            Self::TraceStressStartStop => "trace_stress_start_stop",
            Self::TraceCpuProfile => "trace_cpu_profile",
        }
    }

    /// Parses [`Scenario::name`].
    pub fn parse(name: &str) -> Option<Self> {
        Self::every().find(|s| s.name() == name)
    }

    /// One line: what the scenario models.
    pub fn description(self) -> &'static str {
        match self {
            Self::Go122(s) => s.description(),
            Self::TraceStress => "TestTraceStress: emitters with stacks and strings, a P-less emitter, one session",
            Self::TraceStressStartStop => "TestTraceStressStartStop: three start/stop cycles racing live emitters and the reader's shutdown",
            Self::TraceCpuProfile => "TestTraceCPUProfile: CPU samples drained through the reader path",
        }
    }

    /// PCT's estimate of this scenario's execution length in steps (measured, see STRESS.md).
    pub fn pct_steps(self) -> u64 {
        match self {
            Self::Go122(s) => s.pct_steps(),
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
            scenario.resolve(variant).name()
        ),
        ..RunConfig::default()
    }
}

/// The body of every execution of `scenario` under `variant`.
pub fn body(scenario: Scenario, variant: Variant) -> impl Fn() + Send + Sync + 'static {
    let variant = scenario.resolve(variant);
    move || match (scenario.go122(), variant.go122()) {
        (Some(s), Some(v)) => go122::run(s, v),
        (None, None) => go121::run(scenario, variant),
        _ => panic!(
            "variant {} is not a variant of scenario {}'s model",
            variant.name(),
            scenario.name()
        ),
    }
}

/// The scenario where each variant's bug shows (the one Go's stress set would need).
pub fn home(v: Variant) -> Scenario {
    use go122::Scenario2;
    use tracer::go122::Variant as V2;
    match v {
        Variant::V2(V2::V2_3 | V2::V2_5 | V2::V2_9) => Scenario::Go122(Scenario2::CpuProfile),
        Variant::V2(V2::V2_7 | V2::V2_8) => Scenario::Go122(Scenario2::AdvancePressure),
        Variant::V2(_) => Scenario::Go122(Scenario2::Stress),
        Variant::V1_2 | Variant::V1_4 | Variant::V1_5 | Variant::V1_6 => Scenario::TraceCpuProfile,
        Variant::V1_3 | Variant::V1_11 => Scenario::TraceStressStartStop,
        _ => Scenario::TraceStress,
    }
}

/// Every variant of both models: go1.21's (`v1.x`), then go1.22's (`v2.x`).
pub fn variants() -> impl Iterator<Item = Variant> {
    let v2 = tracer::go122::Variant::ALL.map(Variant::V2);
    Variant::ALL.into_iter().chain(v2)
}

/// The variants `tracesim hunt` hunts by default: go1.21's bug variants (`v1.2` to `v1.11`).
pub fn bug_variants() -> Vec<Variant> {
    Variant::ALL[2..].to_vec()
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

//! The flags of `tracesim stress` and their validation into a [`crate::stress::Options`]: bad
//! combinations are usage errors (exit 2), reported before anything runs.

use crate::args::{parse_rank_mode, parse_scenario, parse_variant, usage};
use crate::shard::Shard;
use crate::status::parse_go_duration;
use crate::stress::Options;
use crate::Scenario;
use clap::Args;
use sim::native::NativeOptions;
use sim::{parse_seed, RankMode, SchedulerSpec};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tracer::Variant;

/// The arguments of `tracesim stress`.
#[derive(Args, Debug)]
pub struct StressArgs {
    /// Scenarios to run, one after another.
    pub scenarios: Vec<String>,
    /// Run every scenario (of the go1.21 model, or of `--model`).
    #[arg(long)]
    pub all: bool,
    /// Which model's scenarios `--all` (or no scenario name) runs: go1.21, go1.22 or both.
    #[arg(long)]
    pub model: Option<String>,
    #[arg(long, default_value = "v1.0", value_parser = parse_variant)]
    pub variant: Variant,
    /// Wall time of the whole campaign, split evenly among the scenarios (Go syntax: 90s, 10m, 1h30m).
    #[arg(long, value_parser = parse_go_duration)]
    pub duration: Option<Duration>,
    /// Executions per scenario, over all jobs of this machine. Without --duration or
    /// --executions, the campaign runs until Ctrl-C.
    #[arg(long)]
    pub executions: Option<u64>,
    /// Parallel jobs (OS threads, each running its own simulator); default: the number of CPUs.
    #[arg(long)]
    pub jobs: Option<u64>,
    #[arg(long, default_value = "1", value_parser = parse_seed)]
    pub seed: u64,
    /// random, pct:D (D in 1..=5), or mix (execution index mod 4 picks random, pct:1, pct:2,
    /// pct:3). A campaign mixes by default: the random walk alone misses bugs that only PCT
    /// finds (V1.3 mostly, V2.9 always), and PCT alone misses V2.8 at depth 1.
    #[arg(long, default_value = "mix", value_parser = SchedulerSpec::parse)]
    pub scheduler: SchedulerSpec,
    /// Lock-rank checking, as for `run`: go (Go's checkRanks), strict, off, or quiescent. Saved
    /// failures, their timelines and their shrinking use it, and their replay lines name it.
    #[arg(long, default_value = "go", value_parser = parse_rank_mode)]
    pub rank_mode: RankMode,
    /// Run only the execution indices k with k mod N = I (machine I of N); 0 <= I < N.
    #[arg(long, value_parser = Shard::parse, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Where failures are saved (created if missing).
    #[arg(long, default_value = "target/tracesim-failures", value_name = "DIR")]
    pub out: PathBuf,
    /// Append each new (scenario, variant, kind) failure to the regression corpus.
    #[arg(long)]
    pub save_regressions: bool,
    /// The regression corpus (default: scenarios/regressions.json of this source tree).
    #[arg(long, requires = "save_regressions")]
    pub corpus: Option<PathBuf>,
    /// Run on OS threads, without the simulator (failures are not replayable by seed).
    #[arg(long)]
    pub native: bool,
    /// Save at most K failures per signature (kind, invariant or rank pair, message head, a
    /// deadlock's wait cycle); the rest are counted in the summary. The first of each signature is also shrunk.
    #[arg(long, default_value_t = 10, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    pub keep: u64,
    /// With --native: how long one execution may take before it counts as hung.
    #[arg(long, default_value = "10s", value_parser = parse_go_duration)]
    pub timeout: Duration,
}

fn named(a: &StressArgs) -> Result<Vec<Scenario>, ExitCode> {
    let model = |m: &str| {
        Scenario::of_model(m).ok_or_else(|| {
            usage(&format!(
                "stress: unknown --model {m:?} (go1.21, go1.22 or both)"
            ))
        })
    };
    match (a.all, a.scenarios.is_empty(), &a.model) {
        (true, false, _) => Err(usage("stress: give scenarios or --all, not both")),
        (false, true, None) => Err(usage(
            "stress: name at least one scenario, or --all / --model (see `tracesim list`)",
        )),
        (_, true, m) => model(m.as_deref().unwrap_or("go1.21")),
        (false, false, _) => a.scenarios.iter().map(|n| parse_scenario(n)).collect(),
    }
}

/// The named scenarios that run `a.variant` (`--model both` with a `v2.x` variant keeps the
/// go1.22 ones); a usage error when none does.
fn scenarios(a: &StressArgs) -> Result<Vec<Scenario>, ExitCode> {
    let all = named(a)?;
    let fit: Vec<Scenario> = all
        .iter()
        .copied()
        .filter(|s| s.accepts(a.variant))
        .collect();
    if fit.len() < all.len() && (a.model.is_none() || fit.is_empty()) {
        return Err(usage(&format!(
            "stress: variant {} is not a variant of every named scenario's model",
            a.variant.name()
        )));
    }
    Ok(fit)
}

impl StressArgs {
    /// Validates the flags into a campaign; a usage error (exit 2) otherwise.
    pub fn options(self) -> Result<Options, ExitCode> {
        let scenarios = scenarios(&self)?;
        let jobs = self
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as u64));
        if jobs == 0 || jobs > 1024 {
            return Err(usage("stress: --jobs must be in 1..=1024"));
        }
        if self.executions == Some(0)
            || self.duration.is_some_and(|d| d.is_zero())
            || self.timeout.is_zero()
        {
            return Err(usage(
                "stress: --executions, --duration and --timeout must be positive",
            ));
        }
        let corpus = self.save_regressions.then(|| {
            self.corpus
                .unwrap_or_else(|| PathBuf::from(crate::corpus::DEFAULT_PATH))
        });
        let native = self.native.then(|| NativeOptions {
            timeout: self.timeout,
            ..NativeOptions::default()
        });
        Ok(Options {
            scenarios,
            variant: self.variant,
            executions: self.executions,
            duration: self.duration,
            jobs,
            seed: self.seed,
            scheduler: self.scheduler,
            rank_mode: self.rank_mode,
            shard: self.shard.unwrap_or(Shard::WHOLE),
            out: self.out,
            corpus,
            native,
            keep: self.keep,
        })
    }
}

/// Runs `tracesim stress` (see [`crate::stress::run`]); a usage error (exit 2) for bad flags.
pub fn cmd_stress(a: StressArgs) -> ExitCode {
    match a.options() {
        Ok(o) => crate::stress::run(&o),
        Err(code) => code,
    }
}

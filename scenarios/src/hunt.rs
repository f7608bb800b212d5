//! Hunting a bug: executions to the first failure of a variant, over several base seeds. This
//! is the measure of what exploration buys (the table in STRESS.md).

use crate::model::{self, home};
use crate::{body, run_config, Scenario};
use sim::{Failure, SchedulerSpec};
use tracer::Variant;

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
pub fn hunt(
    scenario: Scenario,
    variant: Variant,
    scheduler: SchedulerSpec,
    seeds: &[u64],
    budget: u64,
) -> Hunt {
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

/// `tracesim hunt`: how hard is a bug to find? Executions to the first failure per scheduler
/// over several base seeds, and what real threads find in the same wall time.
#[derive(clap::Args, Debug)]
pub struct HuntArgs {
    /// Variants to hunt (default: every bug variant).
    #[arg(long = "variant", value_parser = crate::args::parse_variant)]
    pub variants: Vec<Variant>,
    /// Schedulers to compare (default: random, pct:1, pct:2, pct:3).
    #[arg(long = "scheduler", value_parser = SchedulerSpec::parse)]
    pub schedulers: Vec<SchedulerSpec>,
    /// Base seeds per scheduler (1..=N).
    #[arg(long, default_value_t = 21, value_parser = clap::value_parser!(u64).range(1..))]
    pub seeds: u64,
    /// Executions per base seed before giving up.
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..))]
    pub budget: u64,
    /// Also run the variant on real threads (`--native`) for the wall time the simulator took.
    #[arg(long)]
    pub native: bool,
}

fn cell(h: &Hunt, seeds: usize) -> String {
    match h.summary() {
        (Some(med), Some(max), n) if n == seeds => format!("{med} / {max}"),
        (Some(med), Some(max), n) => format!("{med} / {max} ({n}/{seeds} found)"),
        _ => format!("not found ({}/{seeds})", 0),
    }
}

fn native_cell(scenario: Scenario, variant: Variant, wall: std::time::Duration) -> String {
    let mut cfg = run_config(scenario, variant, 1, u64::MAX, SchedulerSpec::Random);
    cfg.duration = Some(wall);
    let opts = sim::native::NativeOptions {
        timeout: std::time::Duration::from_secs(1),
        max_hung: 1,
        ..sim::native::NativeOptions::default()
    };
    let rep = sim::native::run_native(&cfg, &opts, body(scenario, variant), |_| {});
    let first = rep
        .run
        .failures
        .first()
        .map(|f| format!(", first at execution {} ({})", f.index + 1, f.kind))
        .unwrap_or_default();
    format!(
        "{} executions, {} failed{first}{}",
        rep.run.executions,
        rep.run.failure_count,
        match (rep.hung, rep.leaked) {
            (0, 0) => String::new(),
            (0, n) => format!(", stopped: {n} threads of failed executions left blocked"),
            _ => ", hung".to_string(),
        }
    )
}

/// Runs the hunt and prints a markdown table; exit 0.
pub fn cmd_hunt(args: HuntArgs) -> std::process::ExitCode {
    let variants = if args.variants.is_empty() {
        model::bug_variants()
    } else {
        args.variants
    };
    let scheds = if args.schedulers.is_empty() {
        vec![
            SchedulerSpec::Random,
            SchedulerSpec::Pct { depth: 1 },
            SchedulerSpec::Pct { depth: 2 },
            SchedulerSpec::Pct { depth: 3 },
        ]
    } else {
        args.schedulers
    };
    let seeds: Vec<u64> = (1..=args.seeds).collect();
    let heads: Vec<String> = scheds.iter().map(|s| s.to_string()).collect();
    let native = if args.native {
        " | native, same wall time"
    } else {
        ""
    };
    println!(
        "executions to first failure, median / max over {} base seeds (budget {}):\n",
        seeds.len(),
        args.budget
    );
    println!(
        "| variant | scenario | {} | sim wall{native} |",
        heads.join(" | ")
    );
    println!(
        "|---|---|{}---|{}",
        "---|".repeat(heads.len()),
        if args.native { "---|" } else { "" }
    );
    for v in variants {
        let start = sim::wall::now();
        let cells: Vec<String> = scheds
            .iter()
            .map(|&s| cell(&hunt(home(v), v, s, &seeds, args.budget), seeds.len()))
            .collect();
        let wall = start.elapsed();
        let nat = if args.native {
            format!(" | {}", native_cell(home(v), v, wall))
        } else {
            String::new()
        };
        println!(
            "| {} | {} | {} | {:.1}s{nat} |",
            v.name(),
            home(v).name(),
            cells.join(" | "),
            wall.as_secs_f64()
        );
    }
    std::process::ExitCode::SUCCESS
}

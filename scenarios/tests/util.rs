//! Shared helpers.

use scenarios::{body, run_config, Scenario};
use sim::{RunReport, SchedulerSpec};
use tracer::Variant;

/// Runs `executions` executions of `scenario` under `variant`.
pub fn run(
    scenario: Scenario,
    variant: Variant,
    seed: u64,
    executions: u64,
    scheduler: SchedulerSpec,
) -> RunReport {
    let cfg = run_config(scenario, variant, seed, executions, scheduler);
    let report = sim::run(&cfg, body(scenario, variant));
    println!(
        "{} {} {scheduler} seed {seed}: {} executions, {} failures, {:.0} executions/s",
        scenario.name(),
        variant.name(),
        report.executions,
        report.failure_count,
        report.rate()
    );
    report
}

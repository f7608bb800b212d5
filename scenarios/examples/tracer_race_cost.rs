//! The race detector's cost on the tracer's scenarios, before the tracer moves onto checked
//! cells (`sim::cell`): a `probe` execution builds one cell first, which starts the detector for
//! the whole execution, so every synchronising operation of the model (locks, the world's
//! RwLock, semaphores, park/unpark, atomics, spawn/join) joins vector clocks. That is the floor
//! of what the migrated tracer pays; its checked accesses come on top. A `plain` execution is
//! today's. Both use the V1.0 model and the random walk.
//!
//! ```text
//! cargo run --release -p scenarios --example tracer_race_cost -- [ROUNDS [N]]
//!     alternates plain and probe runs of N executions (default 2,000) of each scenario, ROUNDS
//!     times (default 7), and prints the median of probe/plain wall-time ratios per scenario
//! cargo run --release -p scenarios --example tracer_race_cost -- plain|probe SCENARIO N
//!     one run, for `valgrind --tool=callgrind` (instruction counts do not depend on load)
//! ```

use scenarios::Scenario;
use sim::{RunReport, SchedulerSpec};
use std::time::Instant;
use tracer::Variant;

fn run(scenario: Scenario, probe: bool, n: u64) -> RunReport {
    let cfg = scenarios::run_config(scenario, Variant::V1_0, 1, n, SchedulerSpec::Random);
    let body = scenarios::body(scenario, Variant::V1_0);
    let report = sim::run(&cfg, move || {
        let _probe = probe.then(|| sim::cell::Shared::new("probe", ()));
        body()
    });
    assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
    report
}

fn paired(rounds: usize, n: u64) {
    for scenario in Scenario::ALL {
        let mut ratios = Vec::new();
        let (mut plain_rate, mut probe_rate) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            plain_rate.push(run(scenario, false, n).rate());
            let plain = t.elapsed().as_secs_f64();
            let t = Instant::now();
            probe_rate.push(run(scenario, true, n).rate());
            ratios.push(t.elapsed().as_secs_f64() / plain);
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "{}: plain {:.0} exec/s, probe {:.0} exec/s, probe/plain time {:.3} (median of {rounds} rounds of {n})",
            scenario.name(),
            median(&mut plain_rate),
            median(&mut probe_rate),
            median(&mut ratios)
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some(mode @ ("plain" | "probe")) => {
            let scenario = args.get(1).and_then(|s| Scenario::parse(s));
            let n = args.get(2).and_then(|s| s.parse().ok());
            let (Some(scenario), Some(n)) = (scenario, n) else {
                eprintln!("usage: tracer_race_cost plain|probe SCENARIO N");
                std::process::exit(2);
            };
            let r = run(scenario, mode == "probe", n);
            println!(
                "{mode} {}: {} executions, {} steps",
                scenario.name(),
                r.executions,
                r.steps
            );
        }
        _ => {
            let rounds = args.first().and_then(|s| s.parse().ok()).unwrap_or(7);
            let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2_000);
            paired(rounds, n);
        }
    }
}

//! V1.0 (go1.21 as released) passes every invariant in each scenario: 2,000 executions across
//! the random walk and PCT (d=1..3) with fixed base seeds, every check on.

use crate::util::run;
use scenarios::Scenario;
use sim::SchedulerSpec;
use tracer::Variant;

fn baseline(s: Scenario) {
    let plan = [
        (SchedulerSpec::Random, 800),
        (SchedulerSpec::Pct { depth: 1 }, 400),
        (SchedulerSpec::Pct { depth: 2 }, 400),
        (SchedulerSpec::Pct { depth: 3 }, 400),
    ];
    let mut total = 0;
    for (i, (sched, n)) in plan.into_iter().enumerate() {
        let report = run(s, Variant::V1_0, 0x5eed + i as u64, n, sched);
        if let Some(f) = report.failures.first() {
            panic!("{} must pass under V1.0, but:\n{f}", s.name());
        }
        total += report.executions;
    }
    println!("{}: {total} executions, 0 failures", s.name());
    assert!(total >= 2000);
}

#[test]
fn trace_stress_v1_0_passes_2000_executions() {
    baseline(Scenario::TraceStress);
}

#[test]
fn trace_stress_start_stop_v1_0_passes_2000_executions() {
    baseline(Scenario::TraceStressStartStop);
}

#[test]
fn trace_cpu_profile_v1_0_passes_2000_executions() {
    baseline(Scenario::TraceCpuProfile);
}

#[test]
fn v1_1_the_reentrant_lock_before_the_seed_commit_passes_too() {
    for s in Scenario::ALL {
        let report = run(s, Variant::V1_1, 11, 500, SchedulerSpec::Mix);
        assert_eq!(
            report.failure_count,
            0,
            "{}",
            report
                .failures
                .first()
                .map(|f| f.to_string())
                .unwrap_or_default()
        );
    }
}

#[test]
fn every_scenario_is_deterministic_by_seed_schedule_and_trace_bytes() {
    for s in Scenario::ALL {
        let cfg = scenarios::run_config(s, Variant::V1_0, 0xd00d, 150, SchedulerSpec::Mix);
        let (report, failures) = sim::check_determinism(&cfg, scenarios::body(s, Variant::V1_0));
        println!(
            "{}: {} executions run twice, {} mismatches",
            s.name(),
            report.executions,
            failures.len()
        );
        assert_eq!(report.failure_count, 0);
        assert!(failures.is_empty(), "{}", failures[0]);
    }
}

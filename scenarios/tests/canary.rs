//! Canaries: planted bugs that must fail, with their predicted observation.

use crate::util::run;
use scenarios::Scenario;
use sim::{FailureKind, SchedulerSpec};
use tracer::Variant;

#[test]
fn v1_2_reader_self_deadlocks_on_trace_lock_when_it_drains_a_sample() {
    let report = run(Scenario::TraceCpuProfile, Variant::V1_2, 1, 300, SchedulerSpec::Pct { depth: 2 });
    let f = report.failures.first().expect("V1.2 must fail within 300 executions");
    assert_eq!(f.kind, FailureKind::Deadlock, "{f}");
    assert!(f.message.contains("self-deadlock") && f.message.contains("trace (rank 42)"), "{f}");
    assert!(f.message.contains("0 : trace 42") && f.message.contains("1 : trace 42"), "{f}");
    assert!(f.message.contains("tracer/src/reader.rs") && f.message.contains("tracer/src/cpu.rs"), "both sites: {f}");
}

#[test]
fn v1_2_never_fails_without_cpu_samples_as_in_go() {
    let report = run(Scenario::TraceStressStartStop, Variant::V1_2, 1, 300, SchedulerSpec::Pct { depth: 2 });
    assert_eq!(report.failure_count, 0);
}

#[test]
fn v1_10_stop_without_waiting_for_the_reader_throws_in_cleanup() {
    let report = run(Scenario::TraceStress, Variant::V1_10, 1, 100, SchedulerSpec::Random);
    let f = report.failures.first().expect("V1.10 must fail");
    assert_eq!(f.kind, FailureKind::Invariant, "{f}");
    assert!(f.message.contains("I10") || f.message.contains("I14"), "{f}");
}

#[test]
fn a_failing_seed_replays_to_the_identical_failure() {
    let cfg = scenarios::run_config(Scenario::TraceCpuProfile, Variant::V1_2, 1, 300, SchedulerSpec::Pct { depth: 2 });
    let report = sim::run(&cfg, scenarios::body(Scenario::TraceCpuProfile, Variant::V1_2));
    let f = report.failures.first().expect("V1.2 fails").clone();
    let again = sim::run_single(&cfg, f.exec_seed, f.index, None, scenarios::body(Scenario::TraceCpuProfile, Variant::V1_2));
    assert_eq!(again.failure.as_ref(), Some(&f));
    let by_decisions = sim::run_single(&cfg, f.exec_seed, f.index, Some(f.decisions.clone()), scenarios::body(Scenario::TraceCpuProfile, Variant::V1_2));
    assert_eq!(by_decisions.failure.map(|g| (g.kind, g.message, g.step)), Some((f.kind, f.message.clone(), f.step)));
    assert!(f.to_string().lines().last().unwrap().starts_with("replay: cargo run --release -p scenarios -- replay 0x"));
}

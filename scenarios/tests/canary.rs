//! Canaries: every bug variant of §G.7 fails within a stated budget with its predicted
//! observation; V1.0 and V1.1 pass theirs (see baseline.rs). Each hunt uses the `mix`
//! portfolio (random, pct:1, pct:2, pct:3 by execution index): some bugs are found only by PCT
//! (V1.3, V1.7), others mostly by the random walk (V1.4); STRESS.md has the table. Budgets are
//! ≥3× the worst executions-to-first-failure measured over these base seeds.

use crate::util::run;
use scenarios::hunt::hunt;
use scenarios::model::home;
use scenarios::Scenario;
use sim::{Failure, FailureKind, SchedulerSpec};
use tracer::Variant;

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

/// Hunts `v` in its home scenario under the `mix` portfolio; every seed must find it within
/// `budget`. Returns the first failure.
fn must_fail(v: Variant, budget: u64) -> Failure {
    let h = hunt(home(v), v, SchedulerSpec::Mix, &SEEDS, budget);
    println!(
        "{} mix: executions to first failure {:?}",
        v.name(),
        h.found
    );
    assert!(
        h.found.iter().all(Option::is_some),
        "{} must fail within {budget} executions: {:?}",
        v.name(),
        h.found
    );
    let f = h.first.expect("found");
    println!("{f}");
    f
}

#[test]
fn v1_2_reader_self_deadlocks_on_trace_lock_when_it_drains_a_sample() {
    let f = must_fail(Variant::V1_2, 30);
    assert_eq!(f.kind, FailureKind::Deadlock, "{f}");
    assert!(
        f.message.contains("self-deadlock") && f.message.contains("trace (rank 42)"),
        "{f}"
    );
    assert!(
        f.message.contains(" 0 : trace 42") && f.message.contains(" 1 : trace 42"),
        "{f}"
    );
    assert!(
        f.message.contains("tracer/src/go121/reader.rs")
            && f.message.contains("tracer/src/go121/cpu.rs"),
        "both sites: {f}"
    );
}

#[test]
fn v1_2_never_fails_without_cpu_samples_as_in_go() {
    let report = run(
        Scenario::TraceStressStartStop,
        Variant::V1_2,
        1,
        300,
        SchedulerSpec::Pct { depth: 2 },
    );
    assert_eq!(report.failure_count, 0);
}

#[test]
fn v1_3_a_stale_lock_owner_lets_the_reader_flush_without_trace_lock() {
    let f = must_fail(Variant::V1_3, 600);
    assert_eq!(f.kind, FailureKind::Invariant, "{f}");
    assert!(
        f.message.starts_with("invariant I11") && f.message.contains("without holding trace.lock"),
        "{f}"
    );
}

#[test]
fn v1_4_draining_without_a_p_races_stop_traces_drain() {
    let f = must_fail(Variant::V1_4, 2000);
    assert!(f.message.contains("I12") || f.message.contains("I2"), "{f}");
}

/// V1.5 removes readTrace0's unlocked drain guard: a negative control. After StopTrace's drain
/// the profBuf is closed and empty, and the reader stops at its final nil, so the nil
/// cpuLogRead cleanup leaves (a nil dereference in Go, a panic here) is never drained.
#[test]
fn v1_5_without_the_drain_guard_nothing_fails() {
    for s in Scenario::ALL {
        let report = run(s, Variant::V1_5, 15, 600, SchedulerSpec::Mix);
        if let Some(f) = report.failures.first() {
            panic!("{} must pass under V1.5, but:\n{f}", s.name());
        }
    }
}

#[test]
fn v1_6_two_readers_are_refused_or_drain_concurrently() {
    let f = must_fail(Variant::V1_6, 60);
    let shows = f
        .message
        .contains("ReadTrace called from multiple goroutines simultaneously")
        || f.message.contains("I12")
        || f.message.starts_with("invariant I4")
        || f.kind == FailureKind::Livelock;
    assert!(shows, "{f}");
}

/// V1.7 removes only the park callback's re-check. In go1.21 the parking M runs `schedule()`
/// right after the callback (`park_m`, proc.go), and `findRunnable` polls `traceReader` first:
/// a reader published with work pending is readied there. So V1.7 is a negative control: every
/// check passes, and the window the re-check guards is hit (the reader readied by its own M's
/// poll), which proves the executions exercised it.
#[test]
fn v1_7_without_the_re_check_the_parking_m_s_own_poll_readies_the_reader() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let late = std::sync::Arc::new(AtomicU64::new(0));
    for s in Scenario::ALL {
        let cfg = scenarios::run_config(s, Variant::V1_7, 7, 600, SchedulerSpec::Mix);
        let l = late.clone();
        let report = sim::run(&cfg, move || {
            scenarios::model::go121::run_with(s, Variant::V1_7, |t| {
                l.fetch_add(t.late_wakeups.get(), Ordering::SeqCst);
            })
        });
        if let Some(f) = report.failures.first() {
            panic!("{} must pass under V1.7, but:\n{f}", s.name());
        }
    }
    let n = late.load(Ordering::SeqCst);
    println!("v1.7: readers readied by their own M's post-park poll: {n}");
    assert!(n > 0, "no execution hit the window the re-check guards");
}

#[test]
fn v1_8_dump_under_the_stack_table_lock_is_a_rank_report_and_the_trace_stays_valid() {
    let f = must_fail(Variant::V1_8, 10);
    assert_eq!(f.kind, FailureKind::Rank, "{f}");
    assert!(f.message.contains(" 0 : traceStackTab 43"), "{f}");
    // As go1.21 reports it: the walk's first allocation (fpunwindExpand's make) comes before any
    // string or flush, and mallocgc's lockRankMayQueueFinalizer checks `fin` on every call.
    assert!(f.message.contains(" 1 : fin 26"), "{f}");
    let mut cfg = scenarios::run_config(
        Scenario::TraceStress,
        Variant::V1_8,
        1,
        200,
        SchedulerSpec::Mix,
    );
    cfg.rank_action = sim::RankAction::Record;
    let report = sim::run(&cfg, scenarios::body(Scenario::TraceStress, Variant::V1_8));
    assert_eq!(
        report.failure_count,
        0,
        "with rank reports recorded, the trace is valid: {:?}",
        report.failures.first()
    );
    assert!(
        report
            .rank_reports
            .iter()
            .any(|(_, r)| r.contains(" 0 : traceStackTab 43")),
        "{:?}",
        report.rank_reports
    );
}

#[test]
fn v1_9_dumping_before_writers_quiesce_is_caught_by_the_quiescence_check() {
    // Every check stays on: I13 fires when the reader starts the dump with tracing enabled,
    // before a stack put after the walk could show as undefined (I5).
    let f = must_fail(Variant::V1_9, 30);
    assert!(
        f.message.starts_with("invariant I13")
            && f.message.contains("dump starts while writers are live"),
        "{f}"
    );
}

#[test]
fn v1_10_stop_without_waiting_for_the_reader_throws_in_cleanup() {
    let f = must_fail(Variant::V1_10, 30);
    assert_eq!(f.kind, FailureKind::Invariant, "{f}");
    assert!(
        f.message.contains("I10") || f.message.contains("I14") || f.message.contains("I7"),
        "{f}"
    );
}

#[test]
fn v1_11_an_event_after_stop_trace_is_lost_or_left_in_a_p() {
    let f = must_fail(Variant::V1_11, 300);
    assert!(
        f.message.contains("I2") || f.message.contains("non-empty trace buffer in proc"),
        "{f}"
    );
}

#[test]
fn a_failing_seed_replays_to_the_identical_failure() {
    let cfg = scenarios::run_config(
        Scenario::TraceCpuProfile,
        Variant::V1_2,
        1,
        300,
        SchedulerSpec::Random,
    );
    let report = sim::run(
        &cfg,
        scenarios::body(Scenario::TraceCpuProfile, Variant::V1_2),
    );
    let f = report.failures.first().expect("V1.2 fails").clone();
    let again = sim::run_single(
        &cfg,
        f.exec_seed,
        f.index,
        None,
        scenarios::body(Scenario::TraceCpuProfile, Variant::V1_2),
    );
    assert_eq!(again.failure.as_ref(), Some(&f));
    let by_decisions = sim::run_single(
        &cfg,
        f.exec_seed,
        f.index,
        Some(f.decisions.clone()),
        scenarios::body(Scenario::TraceCpuProfile, Variant::V1_2),
    );
    assert_eq!(
        by_decisions.failure.map(|g| (g.kind, g.message, g.step)),
        Some((f.kind, f.message.clone(), f.step))
    );
    assert!(f
        .to_string()
        .lines()
        .last()
        .unwrap()
        .starts_with("replay: cargo run --release -p scenarios -- replay 0x"));
}

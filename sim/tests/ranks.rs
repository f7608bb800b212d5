//! Lock ranks: an inversion fails with Go's `lock ordering problem` report; Strict mode sees an
//! inversion that Go's last-held comparison misses; `may_acquire` checks without locking;
//! `RankAction::Record` reports and goes on; and the same checks run on real OS threads.

use crate::util::config;
use sim::sync::{may_acquire, Mutex};
use sim::{run, FailureKind, LockClass, RankAction, RankMode, RunConfig, SchedulerSpec};

static TRACE: LockClass = LockClass::new("trace", 42);
static STACK_TAB: LockClass = LockClass::new("traceStackTab", 43);
static STRINGS: LockClass = LockClass::new("traceStrings", 25);

fn ranks(base_seed: u64, executions: u64, test: &str) -> RunConfig {
    config(base_seed, executions, SchedulerSpec::Random, test)
}

/// Takes `traceStackTab` (43), then `trace` (42): against the rank order. Used both inside a
/// simulation and on an OS thread, so both reports name the same sites.
fn stack_then_trace() {
    let stack = Mutex::ranked(&STACK_TAB, ());
    let trace = Mutex::ranked(&TRACE, ());
    let _s = stack.lock();
    let _t = trace.lock();
}

fn assert_go_format(message: &str) {
    assert!(message.contains("lock ordering problem"), "{message}");
    assert!(message.contains(" 0 : traceStackTab 43"), "{message}");
    assert!(message.contains(" 1 : trace 42"), "{message}");
}

#[test]
fn rank_inversion_fails_with_gos_lock_ordering_problem_report() {
    let cfg = ranks(
        1,
        5,
        "ranks::rank_inversion_fails_with_gos_lock_ordering_problem_report",
    );
    let report = run(&cfg, stack_then_trace);
    println!(
        "rank: {} of {} executions failed",
        report.failure_count, report.executions
    );
    let f = report.failures.first().expect("the inversion is reported");
    println!("{f}");
    assert_eq!(report.failure_count, 5);
    assert_eq!(f.kind, FailureKind::Rank);
    assert_go_format(&f.message);
    assert!(
        f.location
            .as_deref()
            .unwrap_or("")
            .contains("tests/ranks.rs:"),
        "{f}"
    );
}

/// Holds 43, then 25 (recorded, not failed), then takes 42: Go compares 42 with the last held
/// lock (25) and is content; Strict compares with every held lock and finds 43.
fn stack_strings_trace() {
    let stack = Mutex::ranked(&STACK_TAB, ());
    let strings = Mutex::ranked(&STRINGS, ());
    let trace = Mutex::ranked(&TRACE, ());
    let _s = stack.lock();
    let _r = strings.lock();
    let _t = trace.lock();
}

fn recorded_reports(mode: RankMode, test: &str) -> Vec<String> {
    let cfg = RunConfig {
        rank_mode: mode,
        rank_action: RankAction::Record,
        ..ranks(2, 3, test)
    };
    let report = run(&cfg, stack_strings_trace);
    assert_eq!(report.failure_count, 0, "{:?}", report.failures);
    report.rank_reports.into_iter().map(|(_, m)| m).collect()
}

#[test]
fn strict_mode_finds_an_inversion_that_gos_last_held_check_misses() {
    let test = "ranks::strict_mode_finds_an_inversion_that_gos_last_held_check_misses";
    let go = recorded_reports(RankMode::GoCompatible, test);
    let strict = recorded_reports(RankMode::Strict, test);
    let on_trace = |reports: &[String]| {
        reports
            .iter()
            .filter(|m| m.contains("trace (rank 42) acquired at"))
            .count()
    };
    println!(
        "held 43, 25 then 42: GoCompatible {} reports ({} on trace), Strict {} ({} on trace)",
        go.len(),
        on_trace(&go),
        strict.len(),
        on_trace(&strict)
    );
    assert_eq!(go.len(), 1, "Go flags only 25 after 43: {go:#?}");
    assert_eq!(on_trace(&go), 0, "{go:#?}");
    assert_eq!(on_trace(&strict), 1, "{strict:#?}");
    let m = strict
        .iter()
        .find(|m| m.contains("trace (rank 42)"))
        .unwrap();
    assert!(m.contains("while holding traceStackTab (rank 43)"), "{m}");
    assert!(m.contains(" 2 : trace 42"), "{m}");
}

#[test]
fn may_acquire_reports_an_inversion_without_taking_the_lock() {
    let test = "ranks::may_acquire_reports_an_inversion_without_taking_the_lock";
    // Holding 43, merely announcing 42 fails: no lock of class `trace` even exists.
    let report = run(&ranks(3, 1, test), || {
        let stack = Mutex::ranked(&STACK_TAB, ());
        let _s = stack.lock();
        may_acquire(&TRACE);
    });
    let f = report.failures.first().expect("may_acquire reports");
    println!("{f}");
    assert_eq!(f.kind, FailureKind::Rank);
    assert_go_format(&f.message);
    // Announcing 43 holds nothing: taking 42 afterwards is fine, and so is announcing it twice.
    let report = run(&ranks(3, 5, test), || {
        may_acquire(&STACK_TAB);
        may_acquire(&STACK_TAB);
        let trace = Mutex::ranked(&TRACE, ());
        let _t = trace.lock();
    });
    assert_eq!(report.failure_count, 0, "{:?}", report.failures);
}

#[test]
fn record_action_keeps_the_report_and_the_execution_does_not_fail() {
    let cfg = RunConfig {
        rank_action: RankAction::Record,
        ..ranks(
            4,
            20,
            "ranks::record_action_keeps_the_report_and_the_execution_does_not_fail",
        )
    };
    let report = run(&cfg, stack_then_trace);
    println!(
        "record: {} executions, {} failures, {} distinct rank reports",
        report.executions,
        report.failure_count,
        report.rank_reports.len()
    );
    assert_eq!(report.executions, 20);
    assert_eq!(report.failure_count, 0, "{:?}", report.failures);
    assert_eq!(report.rank_reports.len(), 1, "the same report is kept once");
    let (index, message) = &report.rank_reports[0];
    assert_eq!(*index, 0, "first seen in execution 0");
    assert_go_format(message);
}

#[test]
fn ranks_are_checked_on_real_threads_with_the_same_report() {
    let cfg = ranks(
        5,
        1,
        "ranks::ranks_are_checked_on_real_threads_with_the_same_report",
    );
    let simulated = run(&cfg, stack_then_trace);
    let sim_message = &simulated
        .failures
        .first()
        .expect("simulated report")
        .message;
    // No simulation here: the facade builds std mutexes, and the checker keeps the held list
    // per OS thread.
    let payload = std::thread::spawn(stack_then_trace)
        .join()
        .expect_err("the inversion panics on a real thread");
    // On real threads the payload is the message itself, so the standard hook prints it.
    let message = payload
        .downcast_ref::<String>()
        .expect("on a real thread the panic payload is the report text");
    println!("real thread:\n{message}");
    assert_eq!(sim::failure::kind_of(message), FailureKind::Rank);
    assert_go_format(message);
    assert_eq!(message, sim_message, "one report, in both worlds");
}

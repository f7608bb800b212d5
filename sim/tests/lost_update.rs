//! A lost update (read, scheduling point, write) is found, and its failing seed replays to the
//! identical failure.

use crate::util::config;
use sim::sync::atomic::{AtomicU64, Ordering};
use sim::sync::Arc;
use sim::{run, run_single, FailureKind, SchedulerSpec};

fn lost_update() {
    let x = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let x = x.clone();
            sim::thread::spawn(&format!("incr-{i}"), move || {
                let v = x.load(Ordering::SeqCst);
                x.store(v + 1, Ordering::SeqCst);
            })
        })
        .collect();
    for h in handles {
        h.join();
    }
    assert_eq!(x.load(Ordering::SeqCst), 2, "lost update");
}

#[test]
fn lost_update_is_found_and_its_seed_replays_identically() {
    let cfg = config(
        1,
        200,
        SchedulerSpec::Random,
        "lost_update::lost_update_is_found_and_its_seed_replays_identically",
    );
    let report = run(&cfg, lost_update);
    println!(
        "lost update: {} failures in {} executions",
        report.failure_count, report.executions
    );
    let first = report
        .failures
        .first()
        .expect("the random walk finds the lost update");
    assert_eq!(first.kind, FailureKind::Panic);
    assert!(first.message.contains("lost update"), "{}", first.message);
    assert!(
        first
            .location
            .as_deref()
            .unwrap_or("")
            .contains("lost_update.rs"),
        "{first}"
    );
    let again = run_single(&cfg, first.exec_seed, first.index, None, lost_update);
    assert_eq!(
        again.failure.as_ref(),
        Some(first),
        "replaying the seed gives the identical failure"
    );
    let last_line = first.to_string().lines().last().unwrap().to_string();
    assert!(
        last_line.starts_with("replay: cargo test -p sim"),
        "{last_line}"
    );
}

#[test]
fn a_failing_execution_stops_quietly_and_the_run_goes_on() {
    let cfg = config(
        7,
        300,
        SchedulerSpec::Pct { depth: 2 },
        "lost_update::a_failing_execution_stops_quietly_and_the_run_goes_on",
    );
    let report = run(&cfg, lost_update);
    assert_eq!(report.executions, 300);
    assert!(
        report.failure_count > 0 && report.failure_count < 300,
        "{} failures",
        report.failure_count
    );
}

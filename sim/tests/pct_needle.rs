//! The needle of shuttle-notes §3.2: a bug that needs one preemption at one precise point of a
//! long thread. PCT finds it within a stated budget; the random walk, which preempts at every
//! step with probability 1/2, practically never lets the writer run 50 steps undisturbed.

use crate::util::config;
use sim::sync::{Arc, Mutex};
use sim::{run, RunConfig, SchedulerSpec};

const WRITES: u64 = 100;
const NEEDLE: u64 = 50;
/// The budget of the assertion: more than 3x the executions PCT d=2 and d=3 needed for the base
/// seeds below when this test was written (see the printed table).
const BUDGET: u64 = 5_000;
const BASE_SEED: u64 = 0x5eed;

/// Thread A writes 1..=100, one lock/unlock each; thread B reads once and must not see 50.
fn needle() {
    let value = Arc::new(Mutex::new(0u64));
    let v = value.clone();
    let writer = sim::thread::spawn("writer", move || {
        for i in 1..=WRITES {
            *v.lock() = i;
        }
    });
    let reader = sim::thread::spawn("reader", move || {
        let seen = *value.lock();
        assert_ne!(seen, NEEDLE, "the reader saw the writer halfway");
    });
    writer.join();
    reader.join();
}

fn cfg(scheduler: SchedulerSpec, pct_steps: u64, executions: u64) -> RunConfig {
    RunConfig {
        pct_steps,
        stop_after_failures: Some(1),
        ..config(
            BASE_SEED,
            executions,
            scheduler,
            "pct_needle::pct_finds_the_needle_within_budget_and_the_random_walk_does_not",
        )
    }
}

/// Steps per execution, measured on a clean sample (no failure stops one early).
fn steps_per_execution() -> f64 {
    let report = run(&cfg(SchedulerSpec::Pct { depth: 1 }, 1_000, 200), needle);
    report.steps as f64 / report.executions as f64
}

/// Executions until the first failure (`None`: not found within `budget`).
fn executions_to_first_failure(scheduler: SchedulerSpec, pct_steps: u64) -> Option<u64> {
    let report = run(&cfg(scheduler, pct_steps, BUDGET), needle);
    let first = report.failures.first()?;
    assert!(first.message.contains("halfway"), "{first}");
    Some(first.index + 1)
}

#[test]
fn pct_finds_the_needle_within_budget_and_the_random_walk_does_not() {
    let length = steps_per_execution();
    let pct_steps = length.round() as u64;
    println!("needle: {length:.1} steps per execution; pct_steps = {pct_steps}");
    let mut found = Vec::new();
    for scheduler in [
        SchedulerSpec::Pct { depth: 1 },
        SchedulerSpec::Pct { depth: 2 },
        SchedulerSpec::Pct { depth: 3 },
        SchedulerSpec::Random,
    ] {
        let n = executions_to_first_failure(scheduler, pct_steps);
        match n {
            Some(n) => println!("  {scheduler:<7} first failure after {n} executions"),
            None => println!("  {scheduler:<7} not found in {BUDGET}"),
        }
        found.push((scheduler, n));
    }
    let get = |d: u32| found[d as usize - 1].1;
    assert!(
        get(1).is_none(),
        "PCT d=1 never preempts, so cannot find it"
    );
    assert!(
        get(2).is_some() && get(3).is_some(),
        "PCT d=2 and d=3 find it: {found:?}"
    );
    assert!(found[3].1.is_none(), "the random walk misses it: {found:?}");
}

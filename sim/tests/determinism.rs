//! Determinism: a seed names one execution. 1,000 seeds run twice give identical decision lists
//! and output hashes under the random walk and under PCT; and a body that reads state kept across
//! executions (a process-global std atomic) is caught as nondeterminism, so the check can fail.

use crate::util::config;
use sim::runner::fnv1a;
use sim::sync::{Arc, Condvar, Mutex};
use sim::{check_determinism, run_observed, FailureKind, RunConfig, SchedulerSpec};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Two producers push 2 items each through a one-slot buffer (a mutex and a condvar); the main
/// thread consumes all 4 and records the order it saw as the execution's output.
fn handoff() {
    let slot = Arc::new((Mutex::new(None::<u64>), Condvar::new()));
    let producers: Vec<_> = (0..2u64)
        .map(|p| {
            let slot = slot.clone();
            sim::thread::spawn(&format!("producer-{p}"), move || {
                for i in 0..2 {
                    let (m, cv) = &*slot;
                    let mut s = m.lock();
                    while s.is_some() {
                        s = cv.wait(s);
                    }
                    *s = Some(p * 10 + i);
                    cv.notify_all();
                }
            })
        })
        .collect();
    let mut seen = Vec::new();
    let (m, cv) = &*slot;
    for _ in 0..4 {
        let mut s = m.lock();
        while s.is_none() {
            s = cv.wait(s);
        }
        seen.push(s.take().expect("checked"));
        cv.notify_all();
    }
    for p in producers {
        p.join();
    }
    sim::swarm::record_output(fnv1a(seen.iter().flat_map(|v| v.to_le_bytes())));
}

/// Distinct decision lists and outputs over the executions of `cfg` (the check is only worth
/// something if the seeds explore different schedules).
fn variety(cfg: &RunConfig) -> (usize, usize) {
    type Seen = (BTreeSet<u64>, BTreeSet<Option<u64>>);
    let seen: Rc<RefCell<Seen>> = Rc::default();
    let sink = seen.clone();
    run_observed(cfg, handoff, move |r| {
        let mut s = sink.borrow_mut();
        s.0.insert(r.decisions_hash());
        s.1.insert(r.output_hash);
    });
    let s = seen.borrow();
    (s.0.len(), s.1.len())
}

#[test]
fn a_thousand_seeds_replay_identically_under_random_and_pct() {
    for (scheduler, base) in [
        (SchedulerSpec::Random, 11),
        (SchedulerSpec::Pct { depth: 3 }, 12),
    ] {
        let cfg = RunConfig {
            pct_steps: 60,
            ..config(
                base,
                1_000,
                scheduler,
                "determinism::a_thousand_seeds_replay_identically_under_random_and_pct",
            )
        };
        let (report, failures) = check_determinism(&cfg, handoff);
        let (schedules, outputs) = variety(&cfg);
        println!(
            "{scheduler}: {} executions x2, {} mismatches, {} failures, {:.1} steps/execution, \
             {schedules} distinct schedules, {outputs} distinct outputs, {:?}",
            report.executions,
            failures.len(),
            report.failure_count,
            report.steps as f64 / report.executions as f64,
            report.elapsed
        );
        assert_eq!(report.executions, 1_000);
        assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
        assert!(failures.is_empty(), "{}", failures[0]);
        assert!(schedules > 100, "{scheduler} explores: {schedules}");
        assert!(
            outputs > 1,
            "{scheduler} produces several outputs: {outputs}"
        );
    }
}

/// State that outlives an execution: the canary reads it and branches on it (modulo 7, which
/// does not divide the 20 executions of a pass, so the two passes of a seed see different
/// values).
static LEAK: AtomicU64 = AtomicU64::new(0);

fn leaky() {
    let n = LEAK.fetch_add(1, Ordering::SeqCst);
    let worker = sim::thread::spawn("worker", move || {
        for _ in 0..n % 7 {
            sim::thread::sched_point();
        }
    });
    worker.join();
}

#[test]
fn canary_state_leaking_across_executions_is_reported_as_nondeterminism() {
    let cfg = config(
        13,
        20,
        SchedulerSpec::Random,
        "determinism::canary_state_leaking_across_executions_is_reported_as_nondeterminism",
    );
    let (report, failures) = check_determinism(&cfg, leaky);
    println!(
        "canary: {} of {} executions nondeterministic",
        failures.len(),
        report.executions
    );
    let f = failures.first().expect("the leak is caught");
    println!("{f}");
    assert_eq!(f.kind, FailureKind::Nondeterminism);
    assert!(f.message.contains("first differ at step"), "{}", f.message);
    assert!(
        failures.len() >= 10,
        "most seeds differ: {}",
        failures.len()
    );
}

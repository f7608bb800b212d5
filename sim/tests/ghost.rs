//! `sim::ghost`: the observer's state is neither a scheduling point nor a synchronisation.
//! A thread that does a thousand ghost operations takes as many steps as one that does none, and
//! a hand-off announced only through a ghost flag is still a data race, where the same hand-off
//! through a facade atomic is ordered.

use crate::util::config;
use sim::cell::Shared;
use sim::ghost::{Counter, Flag, Ticks};
use sim::sync::atomic::{AtomicBool, Ordering};
use sim::sync::Arc;
use sim::thread::{spawn, yield_now};
use sim::{run, FailureKind, SchedulerSpec};

/// Steps per execution of two threads that each do `ops` ghost operations and one atomic.
fn steps_with(ops: u64) -> u64 {
    let cfg = config(1, 20, SchedulerSpec::Random, "ghost_steps");
    let report = run(&cfg, move || {
        let c = Arc::new(Counter::new(0));
        let t = Arc::new(Ticks::new());
        let a = Arc::new(AtomicBool::new(false));
        let (c2, t2, a2) = (c.clone(), t.clone(), a.clone());
        let b = spawn("b", move || {
            for _ in 0..ops {
                c2.add(1);
                t2.now();
            }
            a2.store(true, Ordering::SeqCst);
        });
        for _ in 0..ops {
            c.add(1);
        }
        a.load(Ordering::SeqCst);
        b.join();
        assert_eq!(c.get(), 2 * ops);
    });
    assert_eq!(report.failure_count, 0);
    report.steps
}

#[test]
fn ghost_operations_are_not_scheduling_points() {
    assert_eq!(steps_with(1000), steps_with(0));
}

/// `b` writes the cell, then announces it; `main` waits for the announcement, then reads.
fn hand_off(through_atomic: bool) {
    let cell = Arc::new(Shared::new("payload", 0u64));
    let flag = Arc::new(Flag::new(false));
    let atomic = Arc::new(AtomicBool::new(false));
    let (cell2, flag2, atomic2) = (cell.clone(), flag.clone(), atomic.clone());
    let b = spawn("b", move || {
        cell2.with_mut(|v| *v = 7);
        if through_atomic {
            atomic2.store(true, Ordering::SeqCst);
        } else {
            flag2.set(true);
        }
    });
    while !(flag.get() || atomic.load(Ordering::SeqCst)) {
        yield_now();
    }
    cell.with(|v| assert_eq!(*v, 7));
    b.join();
}

#[test]
fn a_ghost_flag_orders_nothing_for_the_race_detector() {
    let cfg = config(8, 50, SchedulerSpec::Random, "ghost_hand_off");
    let report = run(&cfg, || hand_off(false));
    let f = report
        .failures
        .first()
        .expect("the unordered hand-off is a race");
    assert_eq!(f.kind, FailureKind::DataRace, "{f}");
    assert!(f.message.contains("payload"), "{f}");
    let ordered = run(&cfg, || hand_off(true));
    assert_eq!(ordered.failure_count, 0, "{:?}", ordered.failures.first());
}

//! Teardown: a failed execution frees what its unfinished threads own. The threads of failing
//! executions hold values with a drop counter — on their stacks, in a closure that may never
//! run, in shared state — while they block on every kind of facade wait; when the run returns,
//! every value made was dropped. A stack leaked at the end of an execution keeps its values (and
//! all the memory they own) for good: ~11 KB per failed execution of `trace_stress`.

use crate::util::config;
use sim::sync::{Arc, Condvar, Mutex, Parker, RwLock, Sema};
use sim::thread::{sched_point, spawn, yield_now, JoinHandle};
use sim::{run, FailureKind, RankMode, RunConfig, RunReport, SchedulerSpec};
use std::sync::atomic::{AtomicU64, Ordering};

/// How many tracked values were made and dropped. Test bookkeeping only: the code under test
/// never reads it, so it decides nothing about a schedule.
#[derive(Default)]
struct Counts {
    made: AtomicU64,
    dropped: AtomicU64,
}

/// A value that counts its own drop.
struct Tracked(std::sync::Arc<Counts>);

impl Tracked {
    fn new(c: &std::sync::Arc<Counts>) -> Self {
        c.made.fetch_add(1, Ordering::SeqCst);
        Self(c.clone())
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.dropped.fetch_add(1, Ordering::SeqCst);
    }
}

fn cfg(executions: u64, test: &str) -> RunConfig {
    RunConfig {
        rank_mode: RankMode::Off,
        ..config(5, executions, SchedulerSpec::Random, test)
    }
}

/// Runs `body` (given the counters) for every execution of `cfg`; returns the report and the
/// counts (made, dropped).
fn tracked_run(cfg: &RunConfig, body: fn(&std::sync::Arc<Counts>)) -> (RunReport, u64, u64) {
    let counts = std::sync::Arc::new(Counts::default());
    let c = counts.clone();
    let report = run(cfg, move || body(&c));
    let made = counts.made.load(Ordering::SeqCst);
    (report, made, counts.dropped.load(Ordering::SeqCst))
}

/// Threads that end up blocked for good, each holding a tracked value: on a mutex, a
/// reader-writer lock, a condition variable, a semaphore, a park, plus one that spins.
fn blocked_threads(c: &std::sync::Arc<Counts>) -> Vec<JoinHandle<()>> {
    let m = Arc::new(Mutex::new(Tracked::new(c)));
    let rw = Arc::new(RwLock::new("rw"));
    let (m2, cv) = (Arc::new(Mutex::new(0u32)), Arc::new(Condvar::new()));
    let sem = Arc::new(Sema::new("never", 0));
    let mut hs = Vec::new();
    let (t, m1, rw1) = (Tracked::new(c), m.clone(), rw.clone());
    hs.push(spawn("holder", move || {
        let (_t, _g, _w) = (t, m1.lock(), rw1.write());
        Parker::new("holder").park();
    }));
    let t = Tracked::new(c);
    hs.push(spawn("locker", move || {
        let (_t, _g) = (t, m.lock());
    }));
    let t = Tracked::new(c);
    hs.push(spawn("reader", move || {
        let (_t, _r) = (t, rw.read());
    }));
    let t = Tracked::new(c);
    hs.push(spawn("waiter", move || {
        let _t = t;
        drop(cv.wait(m2.lock()));
    }));
    let t = Tracked::new(c);
    hs.push(spawn("sema", move || {
        let _t = t;
        sem.acquire();
    }));
    let t = Tracked::new(c);
    hs.push(spawn("spinner", move || {
        let _t = t;
        loop {
            yield_now();
        }
    }));
    hs
}

/// A thread that spawns one more (which may never start), then fails.
fn failer(c: &std::sync::Arc<Counts>) -> JoinHandle<()> {
    let (t, late) = (Tracked::new(c), Tracked::new(c));
    spawn("failer", move || {
        let _t = t;
        sched_point();
        sched_point();
        let _late = spawn("late", move || drop(late));
        panic!("planted failure");
    })
}

fn failing_thread_among_blocked_ones(c: &std::sync::Arc<Counts>) {
    let _t = Tracked::new(c);
    let mut hs = blocked_threads(c);
    hs.push(failer(c));
    for h in hs {
        h.join();
    }
}

fn assert_all_planted(report: &RunReport) {
    assert_eq!(
        report.failure_count, report.executions,
        "every execution fails"
    );
    for f in &report.failures {
        assert_eq!(f.kind, FailureKind::Panic, "{f}");
        assert!(f.message.contains("planted failure"), "{f}");
    }
}

#[test]
fn a_failed_execution_drops_what_its_blocked_threads_hold() {
    let test = "teardown::a_failed_execution_drops_what_its_blocked_threads_hold";
    let (report, made, dropped) = tracked_run(&cfg(300, test), failing_thread_among_blocked_ones);
    println!(
        "{} failed executions: {made} values made, {dropped} dropped",
        report.failure_count
    );
    assert_all_planted(&report);
    assert!(
        made >= 9 * report.executions,
        "every execution made its values"
    );
    assert_eq!(dropped, made, "values leaked by failed executions");
}

fn main_fails_while_others_block(c: &std::sync::Arc<Counts>) {
    let _t = Tracked::new(c);
    let _hs = blocked_threads(c);
    sched_point();
    sched_point();
    panic!("planted failure in main");
}

#[test]
fn a_failure_of_the_main_thread_drops_what_the_others_hold() {
    let test = "teardown::a_failure_of_the_main_thread_drops_what_the_others_hold";
    let (report, made, dropped) = tracked_run(&cfg(300, test), main_fails_while_others_block);
    assert_all_planted(&report);
    assert!(
        made >= 8 * report.executions,
        "every execution made its values"
    );
    assert_eq!(dropped, made, "values leaked by failed executions");
}

/// Two lockers in opposite orders: some schedules deadlock, found by the wait-for registry.
fn abba(c: &std::sync::Arc<Counts>) {
    let _t = Tracked::new(c);
    let (a, b) = (
        Arc::new(Mutex::new(Tracked::new(c))),
        Arc::new(Mutex::new(0)),
    );
    let (a2, b2, t1, t2) = (a.clone(), b.clone(), Tracked::new(c), Tracked::new(c));
    let ab = spawn("locker-AB", move || {
        let (_t, _a, _b) = (t1, a.lock(), b.lock());
    });
    let ba = spawn("locker-BA", move || {
        let (_t, _b, _a) = (t2, b2.lock(), a2.lock());
    });
    ab.join();
    ba.join();
}

#[test]
fn a_deadlocked_execution_drops_what_its_threads_hold() {
    let test = "teardown::a_deadlocked_execution_drops_what_its_threads_hold";
    let (report, made, dropped) = tracked_run(&cfg(300, test), abba);
    let deadlocks = report
        .failures
        .iter()
        .filter(|f| f.kind == FailureKind::Deadlock)
        .count();
    println!(
        "{deadlocks} deadlocks in {} executions: {made} made, {dropped} dropped",
        report.executions
    );
    assert!(deadlocks > 0, "exploration finds the ABBA deadlock");
    assert_eq!(report.failure_count as usize, deadlocks, "only deadlocks");
    assert_eq!(dropped, made, "values leaked by deadlocked executions");
}

//! Blocking bugs: an ABBA inversion that deadlocks is found by exploration and its report names
//! every thread, what it waits for and who holds it; the same inversion made sequential never
//! deadlocks but still closes a lock-order cycle; re-locking a held mutex, a spin nobody ends and
//! a semaphore nobody releases are each reported as what they are.

use crate::util::config;
use sim::shrink::{shrink, Budget};
use sim::signature::signature;
use sim::sync::atomic::{AtomicBool, Ordering};
use sim::sync::{Arc, Mutex, MutexGuard, Sema};
use sim::{run, FailureKind, LockClass, RankMode, RunConfig, SchedulerSpec};
use std::panic::Location;
use std::sync::Mutex as StdMutex;

static LOCK_A: LockClass = LockClass::new("lockA", 10);
static LOCK_B: LockClass = LockClass::new("lockB", 20);

/// Locks `m` and returns the guard with the caller's site (the site the reports must name).
#[track_caller]
fn lock_at<T>(m: &Mutex<T>) -> (MutexGuard<'_, T>, String) {
    let site = Location::caller().to_string();
    (m.lock(), site)
}

/// Remembers a site for the assertions (not read by the code under test).
fn note(sites: &StdMutex<Vec<String>>, site: String) {
    let mut s = sites.lock().unwrap();
    if !s.contains(&site) {
        s.push(site);
    }
}

fn no_ranks(base_seed: u64, executions: u64, test: &str) -> RunConfig {
    RunConfig {
        rank_mode: RankMode::Off,
        ..config(base_seed, executions, SchedulerSpec::Random, test)
    }
}

fn two_locks() -> (Arc<Mutex<u32>>, Arc<Mutex<u32>>) {
    (
        Arc::new(Mutex::ranked(&LOCK_A, 0)),
        Arc::new(Mutex::ranked(&LOCK_B, 0)),
    )
}

fn abba() {
    let (a, b) = two_locks();
    let (a2, b2) = (a.clone(), b.clone());
    let ab = sim::thread::spawn("locker-AB", move || {
        let _a = a.lock();
        let _b = b.lock();
    });
    let ba = sim::thread::spawn("locker-BA", move || {
        let _b = b2.lock();
        let _a = a2.lock();
    });
    ab.join();
    ba.join();
}

#[test]
fn abba_inversion_deadlocks_and_the_report_names_threads_locks_and_holders() {
    let cfg = no_ranks(
        1,
        200,
        "deadlock::abba_inversion_deadlocks_and_the_report_names_threads_locks_and_holders",
    );
    let report = run(&cfg, abba);
    let deadlocks: Vec<_> = report
        .failures
        .iter()
        .filter(|f| f.kind == FailureKind::Deadlock)
        .collect();
    let f = deadlocks
        .first()
        .expect("exploration finds the ABBA deadlock");
    println!(
        "abba: {} deadlocks in {} executions, the first in execution {}\n{f}",
        deadlocks.len(),
        report.executions,
        f.index
    );
    let m = &f.message;
    assert!(m.contains("every simulated thread is blocked"), "{m}");
    let ab = "locker-AB waits for lock lockB (rank 20) at ";
    let ba = "locker-BA waits for lock lockA (rank 10) at ";
    for (line, holder) in [
        (ab, "held by locker-BA since "),
        (ba, "held by locker-AB since "),
    ] {
        let l = m.lines().find(|l| l.contains(line)).unwrap_or_else(|| {
            panic!("no line {line:?} in the report:\n{m}");
        });
        assert!(l.contains(holder) && l.contains("deadlock.rs:"), "{l}");
    }
    assert!(
        m.contains("main waits for thread locker-AB to finish (join) at "),
        "{m}"
    );
}

static GATED_SITES: StdMutex<Vec<String>> = StdMutex::new(Vec::new());

/// The ABBA inversion, but thread BA starts its section only after AB left its own: no schedule
/// can deadlock, yet the two orders are a deadlock waiting for a different caller.
fn gated_abba() {
    let (a, b) = two_locks();
    let (a2, b2) = (a.clone(), b.clone());
    let gate = Arc::new(Sema::new("gate", 0));
    let gate2 = gate.clone();
    let ab = sim::thread::spawn("locker-AB", move || {
        {
            let (_a, at_a) = lock_at(&a);
            let (_b, at_b) = lock_at(&b);
            note(&GATED_SITES, at_a);
            note(&GATED_SITES, at_b);
        }
        gate.release();
    });
    let ba = sim::thread::spawn("locker-BA", move || {
        gate2.acquire();
        let (_b, at_b) = lock_at(&b2);
        let (_a, at_a) = lock_at(&a2);
        note(&GATED_SITES, at_b);
        note(&GATED_SITES, at_a);
    });
    ab.join();
    ba.join();
}

#[test]
fn gated_abba_never_deadlocks_but_is_reported_as_a_lock_order_cycle_with_both_edges() {
    let cfg = no_ranks(
        2,
        500,
        "deadlock::gated_abba_never_deadlocks_but_is_reported_as_a_lock_order_cycle_with_both_edges",
    );
    let report = run(&cfg, gated_abba);
    let kinds: Vec<FailureKind> = report.failures.iter().map(|f| f.kind).collect();
    println!(
        "gated abba: {} executions, failures {kinds:?}, {} order edges",
        report.executions, report.lock_graph_edges
    );
    assert_eq!(report.executions, 500);
    assert!(!kinds.contains(&FailureKind::Deadlock), "{kinds:?}");
    assert_eq!(
        kinds,
        vec![FailureKind::LockCycle],
        "one cycle, reported once"
    );
    let m = &report.failures[0].message;
    println!("{}", report.failures[0]);
    assert!(m.contains("lock-order cycle"), "{m}");
    let sites = GATED_SITES.lock().unwrap().clone();
    assert_eq!(sites.len(), 4, "{sites:?}");
    let (ab_a, ab_b, ba_b, ba_a) = (&sites[0], &sites[1], &sites[2], &sites[3]);
    let edge_ab = format!("lockA held (acquired at {ab_a}) while acquiring lockB at {ab_b}");
    let edge_ba = format!("lockB held (acquired at {ba_b}) while acquiring lockA at {ba_a}");
    assert!(m.contains(&edge_ab), "missing {edge_ab:?} in:\n{m}");
    assert!(m.contains(&edge_ba), "missing {edge_ba:?} in:\n{m}");
}

static SELF_SITES: StdMutex<Vec<String>> = StdMutex::new(Vec::new());

fn relock() {
    let m = Mutex::new(0u32);
    let (_first, at) = lock_at(&m);
    note(&SELF_SITES, at);
    let _second = relock_at(&m);
}

/// Re-locks `m`, noting the site first (the lock never returns).
#[track_caller]
fn relock_at<T>(m: &Mutex<T>) -> (MutexGuard<'_, T>, String) {
    note(&SELF_SITES, Location::caller().to_string());
    lock_at(m)
}

#[test]
fn relocking_a_held_mutex_is_a_self_deadlock_naming_both_sites() {
    let cfg = no_ranks(
        3,
        1,
        "deadlock::relocking_a_held_mutex_is_a_self_deadlock_naming_both_sites",
    );
    let report = run(&cfg, relock);
    let f = report.failures.first().expect("the re-lock is reported");
    println!("{f}");
    assert_eq!(f.kind, FailureKind::Deadlock);
    assert!(f.message.contains("self-deadlock"), "{}", f.message);
    let sites = SELF_SITES.lock().unwrap().clone();
    assert_eq!(sites.len(), 2, "{sites:?}");
    assert_ne!(sites[0], sites[1]);
    for s in &sites {
        assert!(s.contains("sim/tests/deadlock.rs:"), "{s}");
        assert!(
            f.message.contains(s.as_str()),
            "missing site {s} in:\n{}",
            f.message
        );
    }
    assert_eq!(
        f.location.as_ref(),
        Some(&sites[1]),
        "located at the re-lock"
    );
}

fn spin_forever() {
    let flag = Arc::new(AtomicBool::new(false));
    let seen = flag.clone();
    let spinner = sim::thread::spawn("spinner", move || {
        while !seen.load(Ordering::SeqCst) {
            sim::thread::spin_loop();
        }
    });
    spinner.join();
}

#[test]
fn spinning_on_a_flag_nobody_sets_is_a_livelock_at_the_step_bound() {
    let cfg = RunConfig {
        max_steps: 2_000,
        ..no_ranks(
            4,
            3,
            "deadlock::spinning_on_a_flag_nobody_sets_is_a_livelock_at_the_step_bound",
        )
    };
    let report = run(&cfg, spin_forever);
    println!(
        "spin: {} of {} executions failed in {:?}",
        report.failure_count, report.executions, report.elapsed
    );
    assert_eq!(report.failure_count, 3);
    let f = &report.failures[0];
    println!("{f}");
    assert_eq!(f.kind, FailureKind::Livelock);
    assert!(f.message.contains("2000 scheduling steps"), "{}", f.message);
    assert!(f.message.contains("spinner is runnable"), "{}", f.message);
}

fn wait_for_a_release_nobody_makes() {
    let sema = Arc::new(Sema::new("workDone", 0));
    let s = sema.clone();
    let waiter = sim::thread::spawn("waiter", move || s.acquire());
    waiter.join();
    sema.release();
}

#[test]
fn a_semaphore_nobody_releases_is_a_deadlock_naming_the_semaphore() {
    let cfg = no_ranks(
        5,
        20,
        "deadlock::a_semaphore_nobody_releases_is_a_deadlock_naming_the_semaphore",
    );
    let report = run(&cfg, wait_for_a_release_nobody_makes);
    println!(
        "sema: {} of {} executions deadlocked",
        report.failure_count, report.executions
    );
    assert_eq!(report.failure_count, 20, "every execution deadlocks");
    let f = &report.failures[0];
    println!("{f}");
    assert_eq!(f.kind, FailureKind::Deadlock);
    assert!(
        f.message
            .contains("waiter waits for semaphore workDone (semacquire) at"),
        "{}",
        f.message
    );
}

static LOCK_C: LockClass = LockClass::new("lockC", 30);
static LOCK_D: LockClass = LockClass::new("lockD", 40);

/// Two independent ABBA inversions (A/B and C/D): a deadlock has one cycle, or both.
fn two_inversions() {
    let (a, b) = two_locks();
    let c = Arc::new(Mutex::ranked(&LOCK_C, 0u32));
    let d = Arc::new(Mutex::ranked(&LOCK_D, 0u32));
    let pairs = [
        ("locker-AB", a.clone(), b.clone()),
        ("locker-BA", b, a),
        ("locker-CD", c.clone(), d.clone()),
        ("locker-DC", d, c),
    ];
    let handles: Vec<_> = pairs
        .into_iter()
        .map(|(name, first, second)| {
            sim::thread::spawn(name, move || {
                let _f = first.lock();
                let _s = second.lock();
            })
        })
        .collect();
    for h in handles {
        h.join();
    }
}

/// The lockers a deadlock report shows blocked on a lock, e.g. `["locker-AB", "locker-BA"]`.
fn blocked_lockers(m: &str) -> Vec<&str> {
    m.lines()
        .filter(|l| l.contains(" waits for lock "))
        .filter_map(|l| l.split_whitespace().next())
        .collect()
}

#[test]
fn deadlocks_with_different_wait_cycles_have_different_signatures_and_shrink_to_their_own() {
    let cfg = no_ranks(
        6,
        300,
        "deadlock::deadlocks_with_different_wait_cycles_have_different_signatures_and_shrink_to_their_own",
    );
    let report = run(&cfg, two_inversions);
    let mut firsts: Vec<(Vec<&str>, &sim::Failure)> = Vec::new();
    for f in report
        .failures
        .iter()
        .filter(|f| f.kind == FailureKind::Deadlock)
    {
        let cycle = blocked_lockers(&f.message);
        match firsts.iter().find(|(c, _)| *c == cycle) {
            Some((_, first)) => assert_eq!(signature(f), signature(first)),
            None => firsts.push((cycle, f)),
        }
    }
    let sigs: Vec<String> = firsts.iter().map(|(_, f)| signature(f)).collect();
    println!("{}", sigs.join("\n"));
    assert!(firsts.len() >= 2, "both inversions deadlock: {sigs:#?}");
    let distinct: std::collections::BTreeSet<&String> = sigs.iter().collect();
    assert_eq!(distinct.len(), sigs.len(), "{sigs:#?}");
    for (cycle, f) in &firsts {
        let s = shrink(&cfg, f, Budget::default(), two_inversions).expect("replays");
        println!("{cycle:?}: {:?} -> {:?}", s.before, s.after);
        assert_eq!(blocked_lockers(&s.failure.message), *cycle, "{}", s.failure);
        assert_eq!(signature(&s.failure), signature(f));
    }
}

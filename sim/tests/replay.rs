//! Replay: a failure is data. Serialised to JSON and read back, its decision list replays to the
//! identical failure; replayed against changed code it reports a divergence at a named step
//! instead of panicking; its human report ends with the replay line. Failure kinds round-trip
//! through their names.

use crate::util::config;
use sim::sync::{Arc, Mutex};
use sim::{run, run_single, Failure, FailureKind, RunConfig, SchedulerSpec};

const TEST: &str = "replay::a_failure_serialised_to_json_replays_to_the_identical_failure";

/// A lost update through a facade mutex: read under the lock, a scheduling point, write under
/// the lock. Two workers, so some schedules lose one increment.
fn lost_update_body(extra_point: bool, extra_thread: bool) {
    let x = lost_update_workers(extra_point, extra_thread);
    assert_eq!(*x.lock(), 2, "lost update");
}

/// The two workers (and the optional extra point and thread), joined; returns the counter.
fn lost_update_workers(extra_point: bool, extra_thread: bool) -> Arc<Mutex<u32>> {
    if extra_point {
        sim::thread::sched_point();
    }
    let extra = extra_thread.then(|| sim::thread::spawn("bystander", || {}));
    let x = Arc::new(Mutex::new(0u32));
    let workers: Vec<_> = (0..2)
        .map(|i| {
            let x = x.clone();
            sim::thread::spawn(&format!("incr-{i}"), move || {
                let v = *x.lock();
                sim::thread::sched_point();
                *x.lock() = v + 1;
            })
        })
        .collect();
    for w in workers {
        w.join();
    }
    if let Some(e) = extra {
        e.join();
    }
    x
}

fn original() {
    lost_update_body(false, false)
}

fn cfg() -> RunConfig {
    RunConfig {
        stop_after_failures: Some(1),
        pct_steps: 20,
        ..config(21, 500, SchedulerSpec::Pct { depth: 2 }, TEST)
    }
}

fn first_failure() -> Failure {
    let report = run(&cfg(), original);
    let f = report.failures.first().expect("PCT finds the lost update");
    f.clone()
}

#[test]
fn a_failure_serialised_to_json_replays_to_the_identical_failure() {
    let f = first_failure();
    let json = serde_json::to_string_pretty(&f).expect("a failure serialises");
    let back: Failure = serde_json::from_str(&json).expect("and reads back");
    println!(
        "json: {} bytes, {} decisions, failed at step {}",
        json.len(),
        back.decisions.len(),
        back.step
    );
    assert_eq!(back, f, "the JSON round trip is lossless");
    let again = run_single(
        &cfg(),
        back.exec_seed,
        back.index,
        Some(back.decisions.clone()),
        original,
    );
    let g = again.failure.expect("the replay fails again");
    assert_eq!(
        (g.kind, &g.message, g.step, &g.location),
        (f.kind, &f.message, f.step, &f.location)
    );
    assert_eq!(
        g.decisions, f.decisions,
        "the replay follows the recording exactly"
    );
}

fn replay_against(body: fn(), what: &str) -> Failure {
    let f = first_failure();
    let res = run_single(
        &cfg(),
        f.exec_seed,
        f.index,
        Some(f.decisions.clone()),
        body,
    );
    let g = res.failure.expect("a replay against other code reports");
    println!("{what}: {} decisions recorded\n{g}", f.decisions.len());
    g
}

fn assert_divergence_names_its_step(g: &Failure) {
    assert_eq!(g.kind, FailureKind::Divergence, "{g}");
    let named = format!("replay diverged at step {}", g.step);
    assert!(g.message.contains(&named), "{named:?} not in {g}");
}

#[test]
fn replaying_against_an_extra_scheduling_point_is_a_divergence_at_a_named_step() {
    let g = replay_against(|| lost_update_body(true, false), "extra sched_point");
    assert_divergence_names_its_step(&g);
}

/// The same workers with the final check removed: the execution ends before the recording does.
fn without_the_check() {
    lost_update_workers(false, false);
}

#[test]
fn replaying_against_code_that_finishes_sooner_is_a_divergence_not_a_pass() {
    let g = replay_against(without_the_check, "check removed");
    assert_divergence_names_its_step(&g);
    assert!(g.message.contains("the execution finished"), "{g}");
}

#[test]
fn replaying_against_an_extra_thread_is_a_divergence_at_a_named_step() {
    let g = replay_against(|| lost_update_body(false, true), "extra thread");
    assert_divergence_names_its_step(&g);
}

#[test]
fn the_human_report_has_the_seed_block_and_ends_with_the_replay_line() {
    let f = first_failure();
    let text = f.to_string();
    println!("{text}");
    assert!(text.starts_with("FAILED (panic) at step "), "{text}");
    assert!(text.contains(&f.seed_block()), "{text}");
    assert!(text.contains("SEED=0x"), "{text}");
    let last = text.lines().last().expect("a report has lines");
    assert!(last.starts_with("replay: cargo test -p sim"), "{last}");
    assert!(last.contains(TEST), "{last}");
}

/// Every kind, in declaration order; the exhaustive match fails to compile when a kind is added
/// without being listed here.
fn all_kinds() -> Vec<FailureKind> {
    use FailureKind::*;
    let next = |k: FailureKind| match k {
        Panic => Some(Deadlock),
        Deadlock => Some(Livelock),
        Livelock => Some(Rank),
        Rank => Some(LockCycle),
        LockCycle => Some(Invariant),
        Invariant => Some(Nondeterminism),
        Nondeterminism => Some(Divergence),
        Divergence => Some(DataRace),
        DataRace => None,
    };
    std::iter::successors(Some(Panic), |&k| next(k)).collect()
}

#[test]
fn every_failure_kind_round_trips_through_its_name_and_json() {
    let kinds = all_kinds();
    println!("{} kinds: {kinds:?}", kinds.len());
    for k in kinds {
        assert_eq!(FailureKind::from_name(k.name()), Some(k));
        assert_eq!(k.to_string(), k.name());
        let json = serde_json::to_string(&k).expect("kinds serialise");
        assert_eq!(
            json,
            format!("\"{}\"", k.name()),
            "JSON uses the report name"
        );
    }
    assert_eq!(FailureKind::from_name("no such kind"), None);
}

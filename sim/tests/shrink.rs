//! Shrinking keeps the failure and removes the noise: a lost update among busy threads,
//! found by the random walk with many preemptions, shrinks to a schedule with at most the two
//! preemptions the bug needs, that replays strictly to the same signature. The recorder sees
//! locks with their names and ranks, the functions they are taken in, and the failing check.

use crate::util::config;
use sim::rank::LockClass;
use sim::record::{self, What};
use sim::shrink::{shrink, Budget};
use sim::signature::signature;
use sim::sync::atomic::{AtomicU64, Ordering};
use sim::sync::{Arc, Mutex};
use sim::{run, run_single, SchedulerSpec};

static NOISE: LockClass = LockClass::new("noise", 7);

fn busy_lost_update() {
    let x = Arc::new(AtomicU64::new(0));
    let m = Arc::new(Mutex::ranked(&NOISE, 0u32));
    let mut handles = Vec::new();
    for i in 0..3 {
        let m = m.clone();
        handles.push(sim::thread::spawn(&format!("noise-{i}"), move || {
            for _ in 0..10 {
                let _f = record::frame("noisy");
                *m.lock() += 1;
            }
        }));
    }
    for i in 0..2 {
        let x = x.clone();
        handles.push(sim::thread::spawn(&format!("incr-{i}"), move || {
            let v = x.load(Ordering::SeqCst);
            sim::thread::sched_point();
            x.store(v + 1, Ordering::SeqCst);
        }));
    }
    for h in handles {
        h.join();
    }
    let _f = record::frame("check");
    assert_eq!(x.load(Ordering::SeqCst), 2, "lost update");
}

#[test]
fn a_shrunk_schedule_keeps_its_signature_with_fewer_preemptions_and_replays_strictly() {
    let cfg = config(3, 300, SchedulerSpec::Random, "shrink::a_shrunk_schedule");
    let report = run(&cfg, busy_lost_update);
    let f = report
        .failures
        .first()
        .expect("the random walk finds it")
        .clone();
    let s = shrink(&cfg, &f, Budget::default(), busy_lost_update).expect("replays");
    println!(
        "before {:?}\nafter  {:?}\n{} replays, {:?}, {:?}",
        s.before, s.after, s.replays, s.elapsed, s.exhausted
    );
    assert_eq!(signature(&s.failure), signature(&f));
    assert!(s.after.steps <= s.before.steps && s.after.preemptions <= s.before.preemptions);
    assert!(
        s.before.preemptions > 2,
        "the random walk preempts a lot: {:?}",
        s.before
    );
    assert!(
        s.after.preemptions <= 2,
        "a lost update needs at most two: {:?}",
        s.after
    );
    let strict = run_single(
        &cfg,
        f.exec_seed,
        f.index,
        Some(s.failure.decisions.clone()),
        busy_lost_update,
    );
    let g = strict.failure.expect("the shrunk schedule fails");
    assert_eq!((signature(&g), g.step), (signature(&f), s.failure.step));
}

#[test]
fn the_recorder_sees_named_ranked_locks_frames_and_the_failing_check() {
    let cfg = config(3, 300, SchedulerSpec::Random, "shrink::the_recorder");
    let f = run(&cfg, busy_lost_update).failures.remove(0);
    record::start();
    run_single(
        &cfg,
        f.exec_seed,
        f.index,
        Some(f.decisions.clone()),
        busy_lost_update,
    );
    let rec = record::finish();
    let lock = rec
        .events
        .iter()
        .find(|e| matches!(e.what, What::Lock { .. }))
        .expect("a lock");
    assert!(
        matches!(&lock.what, What::Lock { name, rank: Some(7), shared: false, .. } if name == "noise"),
        "{lock:?}"
    );
    assert_eq!(lock.frames, vec!["noisy"]);
    assert!(rec.name_of(lock.task).starts_with("noise-"));
    let fail = rec
        .events
        .iter()
        .find(|e| matches!(e.what, What::Fail(_)))
        .expect("the check");
    assert_eq!(
        (rec.name_of(fail.task).as_str(), fail.frames.clone()),
        ("main", vec!["check"])
    );
    assert!(record::finish().events.is_empty(), "off after finish");
    run_single(&cfg, f.exec_seed, f.index, None, busy_lost_update);
    assert!(
        record::finish().events.is_empty(),
        "records nothing unless started"
    );
}

#[test]
fn shrinking_stops_at_its_replay_budget_and_says_so() {
    let cfg = config(3, 300, SchedulerSpec::Random, "shrink::budget");
    let f = run(&cfg, busy_lost_update).failures.remove(0);
    let budget = Budget {
        replays: 4,
        ..Budget::default()
    };
    let s = shrink(&cfg, &f, budget, busy_lost_update).expect("replays");
    assert_eq!(s.replays, 4);
    assert_eq!(s.exhausted.as_deref(), Some("replay budget of 4 spent"));
    assert_eq!(signature(&s.failure), signature(&f));
    assert!(s.after.steps <= s.before.steps && s.after.preemptions <= s.before.preemptions);
}

//! No false positive: the accesses of `cell_races` ordered by a lock, a semaphore hand-off,
//! park/unpark, an atomic flag publish or spawn/join pass 1,000 random-walk executions each (and
//! 300 under PCT); each with its synchronisation removed (the canary) fails in execution 0.

use crate::util::config;
use sim::cell::Shared;
use sim::sync::atomic::{AtomicU64, Ordering};
use sim::sync::{Arc, Mutex, Parker, Sema};
use sim::thread::spawn;
use sim::{run, FailureKind, RunConfig, SchedulerSpec};

/// How `writer` hands the cell to `reader`.
#[derive(Clone, Copy, Debug)]
enum Sync {
    Lock,
    Sema,
    Park,
    AtomicFlag,
    SpawnJoin,
}

struct Objects {
    cell: Shared<u64>,
    lock: Mutex<()>,
    sema: Sema,
    parker: Parker,
    flag: AtomicU64,
}

/// Writes by `writer` (two rounds of write-then-publish, one for park/unpark, whose slot keeps
/// one token), one read-modify-write by `reader` after the hand-off when `on`, and a final read
/// by `main` after joining both. With `on == false` the hand-off is removed. The second round
/// checks that a thread's repeated releases of one object each publish its latest accesses.
fn hand_off(sync: Sync, on: bool) {
    let o = Arc::new(Objects {
        cell: Shared::new("counter", 0u64),
        lock: Mutex::new(()),
        sema: Sema::new("handoff", 0),
        parker: Parker::new("reader"),
        flag: AtomicU64::new(0),
    });
    if let Sync::SpawnJoin = sync {
        return spawn_join(&o, on);
    }
    let (w, r) = (o.clone(), o.clone());
    let writer = spawn("writer", move || write_side(&w, sync, on));
    let reader = spawn("reader", move || read_side(&r, sync, on));
    writer.join();
    reader.join();
    o.cell.with(|v| assert!(*v >= 1));
}

fn rounds(sync: Sync) -> u64 {
    if let Sync::Park = sync {
        1
    } else {
        2
    }
}

fn write_side(o: &Objects, sync: Sync, on: bool) {
    for round in 1..=rounds(sync) {
        let _g = (on && matches!(sync, Sync::Lock)).then(|| o.lock.lock());
        o.cell.with_mut(|v| *v += 1);
        match (sync, on) {
            (Sync::Sema, true) => o.sema.release(),
            (Sync::Park, true) => o.parker.unpark(),
            (Sync::AtomicFlag, true) => o.flag.store(round, Ordering::SeqCst),
            _ => {}
        }
    }
}

fn read_side(o: &Objects, sync: Sync, on: bool) {
    match (sync, on) {
        (Sync::Sema, true) => (0..rounds(sync)).for_each(|_| o.sema.acquire()),
        (Sync::Park, true) => o.parker.park(),
        (Sync::AtomicFlag, true) => {
            while o.flag.load(Ordering::SeqCst) < rounds(sync) {
                sim::thread::spin_loop();
            }
        }
        _ => {}
    }
    let _g = (on && matches!(sync, Sync::Lock)).then(|| o.lock.lock());
    o.cell.with_mut(|v| *v += 10);
}

fn spawn_join(o: &Arc<Objects>, on: bool) {
    o.cell.with_mut(|v| *v += 1);
    let c = o.clone();
    let child = spawn("child", move || c.cell.with_mut(|v| *v += 10));
    if on {
        child.join();
        o.cell.with(|v| assert_eq!(*v, 11));
    } else {
        o.cell.with(|v| std::hint::black_box(*v));
        child.join();
    }
}

fn no_false_positive(sync: Sync, seed: u64) {
    let test =
        "cell_handoff::ordered_accesses_pass_1000_executions_and_their_canaries_fail_at_once";
    let cfg = config(seed, 1000, SchedulerSpec::Random, test);
    let report = run(&cfg, move || hand_off(sync, true));
    println!(
        "{sync:?}: {} executions, {} failures",
        report.executions, report.failure_count
    );
    assert_eq!(report.executions, 1000);
    assert_eq!(report.failure_count, 0, "{sync:?}: {}", report.failures[0]);
    let canary = run(
        &RunConfig {
            executions: 20,
            ..cfg
        },
        move || hand_off(sync, false),
    );
    let first = canary
        .failures
        .first()
        .unwrap_or_else(|| panic!("{sync:?} canary not found"));
    assert_eq!(
        (first.index, first.kind),
        (0, FailureKind::DataRace),
        "{sync:?}: {first}"
    );
}

#[test]
fn ordered_accesses_pass_1000_executions_and_their_canaries_fail_at_once() {
    for (i, sync) in [
        Sync::Lock,
        Sync::Sema,
        Sync::Park,
        Sync::AtomicFlag,
        Sync::SpawnJoin,
    ]
    .into_iter()
    .enumerate()
    {
        no_false_positive(sync, 100 + i as u64);
    }
}

#[test]
fn under_pct_the_ordered_accesses_pass_too() {
    let test = "cell_handoff::under_pct_the_ordered_accesses_pass_too";
    for sync in [Sync::Lock, Sync::Sema, Sync::Park, Sync::AtomicFlag] {
        let cfg = RunConfig {
            pct_steps: 40,
            ..config(3, 300, SchedulerSpec::Pct { depth: 3 }, test)
        };
        let report = run(&cfg, move || hand_off(sync, true));
        assert_eq!(
            report.failure_count,
            0,
            "{sync:?}: {:?}",
            report.failures.first()
        );
    }
}

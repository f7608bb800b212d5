//! The race detector: unordered conflicting accesses to a cell are found in the first execution
//! that runs both, even with no scheduling point inside the window, with both sites in a
//! TSan-like report that replays identically (`cell_handoff` has the ordered counterparts);
//! with race checking off, cell switch points let a torn read be observed.

use crate::util::config;
use sim::cell::Shared;
use sim::sync::Arc;
use sim::thread::spawn;
use sim::{run, run_single, Failure, FailureKind, RunConfig, SchedulerSpec};

/// `main` and `b` each access the cell once, at their own line, `b_writes`/`main_writes`
/// choosing read or write; nothing orders the two accesses (the spawn orders only what `main`
/// did before it).
fn two_unordered(main_writes: bool, b_writes: bool) {
    let c = Arc::new(Shared::new("counter", 0u64));
    let c2 = c.clone();
    let b = spawn("b", move || {
        if b_writes {
            c2.with_mut(|v| *v += 1); // b's write
        } else {
            c2.with(|v| std::hint::black_box(*v)); // b's read
        }
    });
    if main_writes {
        c.with_mut(|v| *v += 1); // main's write
    } else {
        c.with(|v| std::hint::black_box(*v)); // main's read
    }
    b.join();
}

/// The line of this file holding `marker`.
fn line_of(marker: &str) -> usize {
    let src = include_str!("cell_races.rs");
    1 + src
        .lines()
        .position(|l| l.ends_with(marker))
        .expect("marker")
}

/// The access site the report gives on its line starting with `prefix`.
fn site(message: &str, prefix: &str) -> String {
    let line = message.lines().find(|l| l.trim_start().starts_with(prefix));
    let line = line.unwrap_or_else(|| panic!("no {prefix:?} line in {message}"));
    line.rsplit(" at ").next().unwrap_or_default().to_string()
}

fn cfg(test: &str, executions: u64) -> RunConfig {
    config(8, executions, SchedulerSpec::Random, test)
}

/// Every execution runs both accesses, so every execution, the first included, must fail.
fn found_in_every_execution(test: &str, body: fn()) -> Failure {
    let cfg = cfg(test, 50);
    let report = run(&cfg, body);
    let first = report.failures.first().cloned().expect("the race is found");
    println!("{first}");
    assert_eq!(report.failure_count, 50, "found in every execution");
    assert_eq!(first.index, 0, "found in the first execution");
    assert_eq!(first.kind, FailureKind::DataRace, "{first}");
    let again = run_single(&cfg, first.exec_seed, first.index, None, body);
    assert_eq!(
        again.failure.as_ref(),
        Some(&first),
        "the seed replays to the identical report"
    );
    let replayed = run_single(
        &cfg,
        first.exec_seed,
        first.index,
        Some(first.decisions.clone()),
        body,
    );
    assert_eq!(
        replayed.failure.as_ref(),
        Some(&first),
        "the decisions replay to the identical report"
    );
    first
}

fn assert_tsan_like(f: &Failure, now: &str, prev: &str) {
    let m = &f.message;
    assert!(m.starts_with("data race on `counter` (Shared: "), "{m}");
    assert!(m.contains(&format!("{now} by thread `")), "{m}");
    assert!(m.contains(&format!("previous {prev} by thread `")), "{m}");
    assert!(
        m.contains("`main`") && m.contains("`b`"),
        "both threads named: {m}"
    );
    let site_of = |who: &str, rw: &str| {
        format!(
            "sim/tests/cell_races.rs:{}:",
            line_of(&format!("// {who}'s {rw}"))
        )
    };
    let (now_who, prev_who) = if site(m, now).contains(&site_of("b", &now.to_lowercase())) {
        ("b", "main")
    } else {
        ("main", "b")
    };
    assert!(
        site(m, now).starts_with(&site_of(now_who, &now.to_lowercase())),
        "this access's site: {m}"
    );
    assert!(
        site(m, &format!("previous {prev}")).starts_with(&site_of(prev_who, prev)),
        "the previous access's site: {m}"
    );
    assert!(m.contains("last synchronisation of `main`"), "{m}");
    assert!(
        m.contains("spawned a thread at"),
        "main's last sync is the spawn: {m}"
    );
    assert!(
        f.location
            .as_deref()
            .unwrap_or("")
            .contains("cell_races.rs"),
        "{f}"
    );
    let last = f.to_string().lines().last().unwrap().to_string();
    assert!(
        last.starts_with("replay: cargo test -p sim --test main -- cell_races::"),
        "{last}"
    );
}

#[test]
fn a_write_write_race_with_no_scheduling_point_is_found_in_the_first_execution() {
    let f = found_in_every_execution(
        "cell_races::a_write_write_race_with_no_scheduling_point_is_found_in_the_first_execution",
        || two_unordered(true, true),
    );
    assert_tsan_like(&f, "Write", "write");
}

#[test]
fn a_read_write_race_with_no_scheduling_point_is_found_in_the_first_execution() {
    let f = found_in_every_execution(
        "cell_races::a_read_write_race_with_no_scheduling_point_is_found_in_the_first_execution",
        || two_unordered(false, true),
    );
    let m = &f.message;
    let rw = m.contains("Write by thread `b`") && m.contains("previous read by thread `main`");
    let wr = m.contains("Read by thread `main`") && m.contains("previous write by thread `b`");
    assert!(rw || wr, "one read, one write: {m}");
    if rw {
        assert_tsan_like(&f, "Write", "read");
    } else {
        assert_tsan_like(&f, "Read", "write");
    }
}

#[test]
fn reads_alone_do_not_race() {
    let report = run(&cfg("cell_races::reads_alone_do_not_race", 200), || {
        two_unordered(false, false)
    });
    assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
}

/// A two-field record filled in two accesses and read in two: a torn read needs a scheduling
/// point inside one of the windows.
fn fill_and_read() {
    let rec = Arc::new(Shared::new("record", (0u32, 0u32)));
    let r = rec.clone();
    let writer = spawn("filler", move || {
        r.with_mut(|v| v.0 = 1);
        r.with_mut(|v| v.1 = 1);
    });
    let a = rec.with(|v| v.0);
    let b = rec.with(|v| v.1);
    assert!(a == b || (a == 0 && b == 1), "torn read: {a} then {b}");
    writer.join();
}

#[test]
fn with_cell_switch_points_a_torn_read_is_observed_not_only_detected() {
    let test = "cell_races::with_cell_switch_points_a_torn_read_is_observed_not_only_detected";
    let quiet = RunConfig {
        race: false,
        ..config(11, 300, SchedulerSpec::Random, test)
    };
    let off = run(&quiet, fill_and_read);
    assert_eq!(
        off.failure_count, 0,
        "no scheduling point in the window: never observed"
    );
    let on = run(
        &RunConfig {
            cell_switch_points: true,
            ..quiet.clone()
        },
        fill_and_read,
    );
    println!(
        "torn reads observed in {} of {} executions",
        on.failure_count, on.executions
    );
    let f = on
        .failures
        .first()
        .expect("switch points expose the torn read");
    assert_eq!(f.kind, FailureKind::Panic, "{f}");
    assert!(f.message.contains("torn read: 1 then 0"), "{f}");
    let detected = run(
        &RunConfig {
            race: true,
            ..quiet
        },
        fill_and_read,
    );
    assert_eq!(
        detected.failure_count, 300,
        "and the detector finds the race in every execution"
    );
}

/// The knob drawn from the seed: recorded with the other knobs, and only those executions
/// whose draw is on can observe the torn read.
#[test]
fn cell_switch_points_drawn_from_the_seed_are_knobs() {
    let test = "cell_races::cell_switch_points_drawn_from_the_seed_are_knobs";
    let cfg = RunConfig {
        race: false,
        ..config(12, 300, SchedulerSpec::Random, test)
    };
    let report = run(&cfg, || {
        let on = sim::swarm::Swarm::current().chance("cell_switch", 0.5);
        sim::cell::set_switch_points(on);
        fill_and_read();
    });
    let f = report
        .failures
        .first()
        .expect("some executions draw the knob and observe it");
    assert!(f.seed_block().contains("cell_switch=true"), "{f}");
    assert!(report
        .failures
        .iter()
        .all(|f| f.knobs.contains(&("cell_switch".into(), "true".into()))));
}

/// Half the executions (by a knob drawn from the seed) join `b` before `main`'s access, half
/// race: the detector's state is per execution, so exactly the racing ones fail, and a second
/// run of the same seeds fails identically (`check_determinism`).
fn sometimes_joined() {
    let joined = sim::swarm::Swarm::current().chance("join_first", 0.5);
    let c = Arc::new(Shared::new("counter", 0u64));
    let c2 = c.clone();
    let b = spawn("b", move || c2.with_mut(|v| *v += 1));
    let b = if joined {
        b.join();
        None
    } else {
        Some(b)
    };
    c.with_mut(|v| *v += 1);
    if let Some(b) = b {
        b.join();
    }
}

#[test]
fn the_detector_state_is_per_execution_and_deterministic() {
    let test = "cell_races::the_detector_state_is_per_execution_and_deterministic";
    let cfg = RunConfig {
        keep_failures: 200,
        ..config(13, 200, SchedulerSpec::Random, test)
    };
    let (report, mismatches) = sim::check_determinism(&cfg, sometimes_joined);
    assert!(mismatches.is_empty(), "{}", mismatches[0]);
    let racing: Vec<u64> = (0..200)
        .filter(|&i| {
            let seed = sim::exec_seed(cfg.base_seed, i);
            !sim::swarm::Swarm::from_seed(seed).chance("join_first", 0.5)
        })
        .collect();
    let failed: Vec<u64> = report.failures.iter().map(|f| f.index).collect();
    println!("{} of 200 executions race and fail", failed.len());
    assert!(!racing.is_empty() && racing.len() < 200);
    assert_eq!(
        failed, racing,
        "exactly the executions that skip the join fail"
    );
    assert!(report
        .failures
        .iter()
        .all(|f| f.kind == FailureKind::DataRace));
}

//! Each cell kind rejects its misuse with a message naming the cell, the rule and the likely
//! cause, inside a simulation (a failed execution) and on a real thread (a panic); `Racy`
//! records its races without failing and fails when its claim is broken.

use crate::util::config;
use sim::cell::{Claim, Locked, Owned, Racy, Shared, StwOnly, Token, World};
use sim::sync::{Arc, Mutex};
use sim::thread::spawn;
use sim::{run, Failure, FailureKind, SchedulerSpec};

/// Runs `body` in one simulated execution and returns its failure.
fn sim_failure(test: &str, body: fn()) -> Failure {
    let report = run(&config(5, 1, SchedulerSpec::Random, test), body);
    let f = report
        .failures
        .first()
        .cloned()
        .expect("the misuse fails the execution");
    println!("{f}");
    f
}

/// Runs `body` on a real thread and returns its panic message.
fn native_panic(body: fn()) -> String {
    let payload = std::thread::spawn(body)
        .join()
        .expect_err("the misuse panics");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn assert_rule(message: &str, cell: &str, rule: &str, cause: &str) {
    assert!(
        message.starts_with(&format!("cell rule violated: `{cell}` (")),
        "{message}"
    );
    assert!(message.contains(rule), "rule {rule:?} not in {message}");
    assert!(
        message.contains(&format!("likely cause: {cause}")),
        "{message}"
    );
}

/// Both worlds: a failed execution of kind `invariant` at the caller's site, and a real panic.
fn rejected(test: &str, body: fn(), cell: &str, rule: &str, cause: &str) {
    let f = sim_failure(test, body);
    assert_eq!(f.kind, FailureKind::Invariant, "{f}");
    assert!(
        f.location
            .as_deref()
            .unwrap_or("")
            .contains("cell_rules.rs"),
        "{f}"
    );
    assert_rule(&f.message, cell, rule, cause);
    assert_rule(&native_panic(body), cell, rule, cause);
}

fn locked_without_its_lock() {
    let lock = Mutex::new(());
    let queues = Locked::new("trace.queues", 0u32);
    queues.with_mut(&lock, |q| *q += 1);
}

fn locked_with_another_instance() {
    let (a, b) = (Mutex::new(()), Mutex::new(()));
    let table = Locked::new("stackTab[0]", 0u32);
    let g = a.lock();
    table.with_mut(&a, |v| *v += 1);
    drop(g);
    let _g = b.lock();
    table.with(&b, |v| assert_eq!(*v, 1));
}

fn locked_under_stw_not_allowed() {
    let world = World::new();
    let strings = Locked::new("trace.strings", 0u32);
    let _stw = world.stop();
    strings.with_mut_stw(&world, |v| *v += 1);
}

#[test]
fn locked_rejects_access_without_its_lock_or_with_another_instance() {
    let t = "cell_rules::locked_rejects_access_without_its_lock_or_with_another_instance";
    let rule = "every access holds the lock the cell is bound to";
    rejected(
        t,
        locked_without_its_lock,
        "trace.queues",
        rule,
        "a missing lock(&...) around this access",
    );
    rejected(
        t,
        locked_with_another_instance,
        "stackTab[0]",
        rule,
        "the wrong instance of the lock",
    );
    rejected(
        t,
        locked_under_stw_not_allowed,
        "trace.strings",
        rule,
        "take the lock (with/with_mut)",
    );
}

#[test]
fn locked_or_stw_accepts_the_lock_or_a_stopped_world() {
    let report = run(
        &config(
            5,
            20,
            SchedulerSpec::Random,
            "cell_rules::locked_or_stw_accepts_the_lock_or_a_stopped_world",
        ),
        || {
            let (world, lock) = (World::new(), Mutex::new(()));
            let strings = Locked::or_stw("trace.strings", 0u32);
            let stw = world.stop();
            strings.with_mut_stw(&world, |v| *v += 1);
            drop(stw);
            let _g = lock.lock();
            strings.with(&lock, |v| assert_eq!(*v, 1));
        },
    );
    assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
}

fn owned_with_another_token() {
    let (p0, p1) = (Token::new("P 0"), Token::new("P 1"));
    let buf = Owned::new("p[1].buf", &p1, 0u32);
    buf.with_mut(&p1, |b| *b += 1);
    buf.with_mut(&p0, |b| *b += 1);
}

#[test]
fn owned_rejects_another_token() {
    let t = "cell_rules::owned_rejects_another_token";
    let f = sim_failure(t, owned_with_another_token);
    assert!(
        f.message
            .contains("showing token `P 0`; its owner is `P 1`"),
        "{f}"
    );
    rejected(
        t,
        owned_with_another_token,
        "p[1].buf",
        "every access shows the owner token",
        "another owner's state is indexed",
    );
}

#[test]
fn an_owned_cell_follows_its_token_across_threads() {
    let test = "cell_rules::an_owned_cell_follows_its_token_across_threads";
    let report = run(&config(6, 500, SchedulerSpec::Random, test), || {
        let p = Token::new("P 0");
        let buf = Arc::new(Owned::new("p[0].buf", &p, 0u32));
        buf.with_mut(&p, |b| *b += 1);
        let slot = Arc::new(Mutex::new(Some(p)));
        let (b2, s2) = (buf.clone(), slot.clone());
        let m = spawn("m1", move || {
            let p = s2.lock().take().expect("the P was handed over");
            b2.with_mut(&p, |b| *b += 1);
            *s2.lock() = Some(p);
        });
        m.join();
        let p = slot.lock().take().expect("the P came back");
        buf.with(&p, |b| assert_eq!(*b, 2));
    });
    assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
}

fn stw_write_holding_a_p() {
    let world = World::new();
    let enabled = StwOnly::new("trace.enabled", false);
    let _p = world.acquire_p();
    enabled.with(&world, |e| assert!(!e));
    enabled.with_mut(&world, |e| *e = true);
}

fn stw_read_without_a_p() {
    let world = World::new();
    let enabled = StwOnly::new("trace.enabled", false);
    let stw = world.stop();
    enabled.with_mut(&world, |e| *e = true);
    drop(stw);
    enabled.with(&world, |e| assert!(*e));
}

#[test]
fn stw_only_rejects_a_write_without_stw_and_a_read_without_a_p() {
    let t = "cell_rules::stw_only_rejects_a_write_without_stw_and_a_read_without_a_p";
    let rule = "writes by the thread that stopped the world; reads by a P holder or under STW";
    rejected(
        t,
        stw_write_holding_a_p,
        "trace.enabled",
        rule,
        "a write outside stopTheWorld/startTheWorld",
    );
    rejected(
        t,
        stw_read_without_a_p,
        "trace.enabled",
        rule,
        "a P-less actor reads STW-only state",
    );
}

fn shared_nested_access() {
    let c = Shared::new("trace.stackTab", 0u32);
    c.with(|_| c.with_mut(|v| *v += 1));
}

#[test]
fn shared_rejects_an_access_nested_in_another() {
    rejected(
        "cell_rules::shared_rejects_an_access_nested_in_another",
        shared_nested_access,
        "trace.stackTab",
        "every pair of conflicting accesses is ordered by happens-before",
        "an access to this cell nested inside a with/with_mut closure of the same cell",
    );
}

/// `trace.shutdown` as readTrace0 sees it: set once under no common lock, read unlocked.
fn racy_flag(claim: Claim, second_writer: bool, reset: bool) {
    let shutdown = Arc::new(Racy::new("trace.shutdown", false, claim));
    let s = shutdown.clone();
    let stopper = spawn("StopTrace", move || s.store(true));
    let s = shutdown.clone();
    let other = second_writer.then(|| spawn("second writer", move || s.store(true)));
    let seen = shutdown.load();
    std::hint::black_box(seen);
    stopper.join();
    if let Some(o) = other {
        o.join();
    }
    assert!(shutdown.races() >= 1, "the racing read was recorded");
    if reset {
        shutdown.store(false);
    }
}

const I11: &str = "I11: a stale false only delays the reader by one round";

#[test]
fn racy_records_its_races_without_failing() {
    let test = "cell_rules::racy_records_its_races_without_failing";
    let report = run(&config(9, 500, SchedulerSpec::Random, test), || {
        racy_flag(Claim::Monotonic(I11), false, false)
    });
    assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
    let ordered = run(&config(9, 200, SchedulerSpec::Random, test), || {
        racy_flag(Claim::WritesOrdered("one writer"), false, false)
    });
    assert_eq!(ordered.failure_count, 0, "{:?}", ordered.failures.first());
}

#[test]
fn racy_claims_fire_when_broken() {
    let t = "cell_rules::racy_claims_fire_when_broken";
    let f = sim_failure(t, || racy_flag(Claim::Monotonic(I11), false, true));
    assert_rule(
        &f.message,
        "trace.shutdown",
        I11,
        "a reset or a second writer",
    );
    assert!(f.message.contains("stores false after true"), "{f}");
    let f = sim_failure(t, || {
        racy_flag(Claim::WritesOrdered("only StopTrace writes"), true, false)
    });
    assert_eq!(f.kind, FailureKind::DataRace, "{f}");
    assert!(
        f.message.starts_with(
            "data race on `trace.shutdown` (Racy, claim WritesOrdered: only StopTrace writes)"
        ),
        "{f}"
    );
    assert!(
        f.message
            .contains("this breaks the cell's claim: its writes are not ordered"),
        "{f}"
    );
}

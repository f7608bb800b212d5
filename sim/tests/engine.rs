//! The facade's simulated locks and condition variables (`sim/src/sync/engine.rs`) schedule as
//! shuttle's own `Mutex` and `Condvar`: the same program written on each, under the same seeds,
//! makes the same decisions at the same steps. This is what lets the facade drop shuttle's
//! primitives without moving any seed. The comparison can fail: a third version whose unlock is
//! no scheduling point must differ.

use crate::util::config;
use sim::{run_observed, RunConfig, SchedulerSpec};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// Three producers put 2 items each through a one-slot buffer; the consumer wakes one waiting
/// producer with `notify_one` (several may wait), producers wake it with `notify_all`; two more
/// threads take the same lock. The lock and wait expressions and `$point` (run after each
/// producer's or bumper's unlock) adapt it to one implementation.
macro_rules! contention {
    ($m:ty, $cv:ty, |$lm:ident| $lock:expr, |$wc:ident, $wg:ident| $wait:expr, $point:expr) => {{
        macro_rules! lock {
            ($x:expr) => {{
                let $lm = $x;
                $lock
            }};
        }
        macro_rules! wait {
            ($c:expr, $g:expr) => {{
                let ($wc, $wg) = ($c, $g);
                $wait
            }};
        }
        let unlock_point: fn() = $point;
        let slot: Arc<($m, $cv, $cv)> = Arc::new((<$m>::new(None), <$cv>::new(), <$cv>::new()));
        let mut ts = Vec::new();
        for p in 0..3u64 {
            let slot = slot.clone();
            ts.push(sim::thread::spawn(&format!("producer-{p}"), move || {
                let (m, full, empty) = &*slot;
                for i in 0..2 {
                    let mut s = lock!(m);
                    while s.is_some() {
                        s = wait!(empty, s);
                    }
                    *s = Some(p * 10 + i);
                    full.notify_all();
                    drop(s);
                    unlock_point();
                }
            }));
        }
        for b in 0..2 {
            let slot = slot.clone();
            ts.push(sim::thread::spawn(&format!("bumper-{b}"), move || {
                for _ in 0..3 {
                    drop(lock!(&slot.0));
                    unlock_point();
                }
            }));
        }
        let (m, full, empty) = &*slot;
        for _ in 0..6 {
            let mut s = lock!(m);
            while s.is_none() {
                s = wait!(full, s);
            }
            s.take();
            empty.notify_one();
        }
        for t in ts {
            t.join();
        }
    }};
}

fn on_shuttle() {
    contention!(
        shuttle::sync::Mutex<Option<u64>>,
        shuttle::sync::Condvar,
        |m| m.lock().unwrap(),
        |cv, g| cv.wait(g).unwrap(),
        || ()
    )
}

fn on_facade() {
    contention!(
        sim::sync::Mutex<Option<u64>>,
        sim::sync::Condvar,
        |m| m.lock(),
        |cv, g| cv.wait(g),
        || ()
    )
}

/// The facade with one extra scheduling point after every unlock: must not match.
fn on_facade_with_extra_point() {
    contention!(
        sim::sync::Mutex<Option<u64>>,
        sim::sync::Condvar,
        |m| m.lock(),
        |cv, g| cv.wait(g),
        sim::thread::yield_now
    )
}

/// Every execution's decision list, in index order.
fn schedules(cfg: &RunConfig, body: fn()) -> Vec<Vec<u32>> {
    let out: Rc<RefCell<Vec<Vec<u32>>>> = Rc::default();
    let sink = out.clone();
    let report = run_observed(cfg, body, move |r| {
        sink.borrow_mut().push(r.decisions.clone())
    });
    assert!(report.failures.is_empty(), "the contention program fails");
    out.take()
}

#[test]
fn facade_locks_schedule_as_shuttles_under_random_and_pct() {
    for (scheduler, base) in [
        (SchedulerSpec::Random, 21),
        (SchedulerSpec::Pct { depth: 3 }, 22),
    ] {
        let test = "engine::facade_locks_schedule_as_shuttles_under_random_and_pct";
        let cfg = RunConfig {
            pct_steps: 200,
            ..config(base, 500, scheduler, test)
        };
        let shuttle = schedules(&cfg, on_shuttle);
        let facade = schedules(&cfg, on_facade);
        let distinct: std::collections::BTreeSet<_> = shuttle.iter().collect();
        assert!(
            distinct.len() > 100,
            "too few schedules to compare: {}",
            distinct.len()
        );
        for (i, (a, b)) in shuttle.iter().zip(&facade).enumerate() {
            assert_eq!(
                a, b,
                "execution {i} under {scheduler}: the schedules differ"
            );
        }
        let extra = schedules(&cfg, on_facade_with_extra_point);
        assert_ne!(shuttle, extra, "an extra scheduling point went unnoticed");
    }
}

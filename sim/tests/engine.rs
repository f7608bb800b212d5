//! The facade's simulated locks and condition variables (`sim/src/sync/engine.rs`) schedule as
//! shuttle's own `Mutex`, `Condvar` and `RwLock`: the same program written on each, under the same seeds,
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

/// Three readers and two writers, twice each, on one reader-writer lock.
macro_rules! readers_writers {
    ($t:ty, $new:expr, |$l:ident| $read:expr, $write:expr) => {{
        let lock: Arc<$t> = Arc::new($new);
        let ts: Vec<_> = (0..5)
            .map(|t| {
                let lock = lock.clone();
                sim::thread::spawn(&format!("rw-{t}"), move || {
                    for _ in 0..2 {
                        let $l = &*lock;
                        if t < 3 {
                            drop($read);
                        } else {
                            drop($write);
                        }
                    }
                })
            })
            .collect();
        for t in ts {
            t.join();
        }
    }};
}

fn rw_on_shuttle() {
    readers_writers!(
        shuttle::sync::RwLock<()>,
        shuttle::sync::RwLock::new(()),
        |l| l.read().unwrap(),
        l.write().unwrap()
    )
}

fn rw_on_facade() {
    readers_writers!(
        sim::sync::RwLock,
        sim::sync::RwLock::new("rw"),
        |l| l.read(),
        l.write()
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
        let (rw_shuttle, rw_facade) = (
            schedules(&cfg, rw_on_shuttle),
            schedules(&cfg, rw_on_facade),
        );
        let distinct: std::collections::BTreeSet<_> = rw_shuttle.iter().collect();
        assert!(
            distinct.len() > 50,
            "too few reader-writer schedules: {}",
            distinct.len()
        );
        for (i, (a, b)) in rw_shuttle.iter().zip(&rw_facade).enumerate() {
            assert_eq!(
                a, b,
                "reader-writer execution {i} under {scheduler}: the schedules differ"
            );
        }
    }
}

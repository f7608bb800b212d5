//! What our runner costs over raw shuttle, in executions per second, on the workload of
//! shuttle-notes §3: a bounded buffer of capacity 1 (a `Mutex<VecDeque>` and two `Condvar`s),
//! two producers pushing `k` items each and the main thread consuming `2k`.
//!
//! - `raw/*`: `shuttle::check_random` / `shuttle::check_pct` with shuttle's own primitives;
//! - `sim/*`: `sim::run` with the facade primitives (our driver, recorder, wait-for and held-lock
//!   bookkeeping), default `RunConfig` apart from the scheduler and `pct_steps`.
//!
//! - `race_k*/{facade,cells}/{race_on,race_off}`: the race detector's cost, `sim::run` with
//!   `RunConfig::race` on and off in the same run, on the facade workload above (no checked
//!   cell: the detector stays dormant) and on the same workload with the queue in a
//!   `sim::cell::Locked` cell under a `Mutex<()>` (the tracer's shape: every push and pop is a
//!   checked, race-checked access; every lock operation joins vector clocks).
//!
//! One criterion iteration is a whole run of `N` executions, and the throughput is declared as
//! `N` elements, so criterion's `elem/s` is executions per second. `README.md` has the figures.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::collections::VecDeque;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

/// Capacity of the buffer (as `benches::buffer`, the facade side).
const CAP: usize = benches::buffer::CAP;

/// The workload on shuttle's own primitives.
fn raw_buffer(k: u64) {
    use shuttle::sync::{Condvar, Mutex};
    let state = Arc::new((
        Mutex::new(VecDeque::with_capacity(CAP)),
        Condvar::new(),
        Condvar::new(),
    ));
    let producers: Vec<_> = (0..2)
        .map(|p| {
            let state = state.clone();
            shuttle::thread::spawn(move || {
                let (m, not_full, not_empty) = &*state;
                for i in 0..k {
                    let mut q = m.lock().unwrap();
                    while q.len() == CAP {
                        q = not_full.wait(q).unwrap();
                    }
                    q.push_back(p * 1000 + i);
                    not_empty.notify_one();
                }
            })
        })
        .collect();
    let (m, not_full, not_empty) = &*state;
    let mut sum = 0;
    for _ in 0..2 * k {
        let mut q = m.lock().unwrap();
        while q.is_empty() {
            q = not_empty.wait(q).unwrap();
        }
        sum += q.pop_front().unwrap();
        not_full.notify_one();
    }
    for p in producers {
        p.join().unwrap();
    }
    black_box(sum);
}

fn cells_run(cfg: &sim::RunConfig, k: u64) {
    let report = sim::run(cfg, move || benches::buffer::cells(k));
    assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
    assert_eq!(report.executions, cfg.executions);
}

/// Paired timing of the detector's cost, robust to a loaded machine: the four runs of
/// `race_group` alternate in one process for `rounds` rounds of `n` executions; prints the
/// median over rounds of each ratio against race-off facade (`facade/race_off` = 1).
fn report_race_ratios(k: u64, n: u64, rounds: usize) {
    let mut ratios: [Vec<f64>; 3] = Default::default();
    for _ in 0..rounds {
        let mut secs = [0.0; 4];
        for (i, (cells, race)) in [(false, false), (false, true), (true, false), (true, true)]
            .into_iter()
            .enumerate()
        {
            let cfg = sim::RunConfig {
                race,
                ..sim_cfg(sim::SchedulerSpec::Random, n, 1000)
            };
            let t = std::time::Instant::now();
            if cells {
                cells_run(&cfg, k)
            } else {
                sim_run(&cfg, k)
            }
            secs[i] = t.elapsed().as_secs_f64();
        }
        for (r, i) in ratios.iter_mut().zip(1..) {
            r.push(secs[i] / secs[0]);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let [a, b, c] = &mut ratios;
    println!(
        "race_k{k} paired ({rounds} rounds of {n}), time / facade race_off: facade race_on {:.3}, cells race_off {:.3}, cells race_on {:.3}",
        median(a),
        median(b),
        median(c)
    );
}

/// The detector's cost: race checking on and off, with and without a checked cell.
fn race_group(c: &mut Criterion, k: u64, n: u64, pct_steps: u64) {
    let mut g = c.benchmark_group(format!("race_k{k}"));
    g.throughput(Throughput::Elements(n));
    for (label, race) in [("race_on", true), ("race_off", false)] {
        let cfg = sim::RunConfig {
            race,
            ..sim_cfg(sim::SchedulerSpec::Random, n, pct_steps)
        };
        g.bench_function(format!("facade/{label}"), |b| b.iter(|| sim_run(&cfg, k)));
        g.bench_function(format!("cells/{label}"), |b| b.iter(|| cells_run(&cfg, k)));
    }
    g.finish();
}

fn sim_cfg(scheduler: sim::SchedulerSpec, executions: u64, pct_steps: u64) -> sim::RunConfig {
    sim::RunConfig {
        executions,
        scheduler,
        pct_steps,
        ..sim::RunConfig::default()
    }
}

fn sim_run(cfg: &sim::RunConfig, k: u64) {
    let report = sim::run(cfg, move || benches::buffer::facade(k));
    assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
    assert_eq!(report.executions, cfg.executions);
}

/// One group per size: `k` items per producer, `n` executions per criterion iteration,
/// `pct_steps` near the measured steps per execution.
fn group(c: &mut Criterion, k: u64, n: u64, pct_steps: u64) {
    let mut g = c.benchmark_group(format!("buffer_k{k}"));
    g.throughput(Throughput::Elements(n));
    g.bench_function("raw/random", |b| {
        b.iter(|| shuttle::check_random(move || raw_buffer(k), n as usize))
    });
    let random = sim_cfg(sim::SchedulerSpec::Random, n, pct_steps);
    g.bench_function("sim/random", |b| b.iter(|| sim_run(&random, k)));
    g.bench_function("raw/pct3", |b| {
        b.iter(|| shuttle::check_pct(move || raw_buffer(k), n as usize, 3))
    });
    let pct = sim_cfg(sim::SchedulerSpec::Pct { depth: 3 }, n, pct_steps);
    g.bench_function("sim/pct3", |b| b.iter(|| sim_run(&pct, k)));
    g.finish();
}

/// Prints the steps per execution of our runner, so `pct_steps` and the README stay honest.
fn report_steps(k: u64, pct_steps: u64) {
    for spec in [
        sim::SchedulerSpec::Random,
        sim::SchedulerSpec::Pct { depth: 3 },
    ] {
        let r = sim::run(&sim_cfg(spec, 2_000, pct_steps), move || {
            benches::buffer::facade(k)
        });
        println!(
            "buffer_k{k} {spec}: {:.1} steps/execution",
            r.steps as f64 / r.executions as f64
        );
    }
}

fn benches(c: &mut Criterion) {
    report_steps(2, 50);
    report_steps(46, 1000);
    group(c, 2, 1_000, 50);
    group(c, 46, 50, 1000);
    report_race_ratios(2, 1_000, 21);
    report_race_ratios(46, 50, 11);
    race_group(c, 2, 1_000, 50);
    race_group(c, 46, 50, 1000);
}

criterion_group! {
    name = sim_overhead;
    config = Criterion::default()
        .without_plots()
        .sample_size(15)
        .warm_up_time(Duration::from_millis(1000))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(sim_overhead);

//! The simulator's floor: what shuttle alone costs per scheduling step on executions shaped like
//! the tracer models' (nine threads, about 1,450 steps, nearly all of them atomic operations),
//! beside our runner on the same shape through the facade. A campaign cannot run faster than its
//! scheduling steps at `raw`'s rate, whatever the model and the checks cost: STRESS.md §6.12
//! divides a campaign's steps by this rate to give its floor.
//!
//! - `raw/*`: `shuttle::check_random` / `check_pct` with shuttle's atomics and threads;
//! - `sim/*`: `sim::run` with the facade's atomics and threads (our driver, the race detector's
//!   hooks, the per-execution context), default `RunConfig` apart from the scheduler.
//!
//! One criterion iteration is a run of `N` executions, declared as `N` elements, so `elem/s` is
//! executions per second; the steps per execution are printed first (`README.md`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::sync::Arc;
use std::time::Duration;

/// Spawned threads (the main thread makes nine) and atomic operations per thread.
const THREADS: usize = 8;
const OPS: usize = 180;
/// Executions per criterion iteration.
const N: u64 = 50;

/// The workload on shuttle's own primitives: each thread adds to one of four shared atomics.
fn raw_atomics() {
    use shuttle::sync::atomic::{AtomicU64, Ordering};
    let cells = Arc::new([0; 4].map(AtomicU64::new));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let cells = cells.clone();
            shuttle::thread::spawn(move || {
                for i in 0..OPS {
                    cells[(t + i) % 4].fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for h in threads {
        h.join().unwrap();
    }
}

/// The same workload on the facade.
fn facade_atomics() {
    use sim::sync::atomic::{AtomicU64, Ordering};
    let cells = Arc::new([0; 4].map(AtomicU64::new));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let cells = cells.clone();
            sim::thread::spawn("adder", move || {
                for i in 0..OPS {
                    cells[(t + i) % 4].fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for h in threads {
        h.join();
    }
}

fn sim_cfg(scheduler: sim::SchedulerSpec, executions: u64) -> sim::RunConfig {
    sim::RunConfig {
        executions,
        scheduler,
        pct_steps: 1500,
        ..sim::RunConfig::default()
    }
}

fn sim_run(cfg: &sim::RunConfig) {
    let report = sim::run(cfg, facade_atomics);
    assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
}

/// Prints our runner's steps per execution (raw shuttle takes the same steps: one per atomic
/// operation, spawn and join).
fn report_steps() {
    for spec in [
        sim::SchedulerSpec::Random,
        sim::SchedulerSpec::Pct { depth: 3 },
    ] {
        let r = sim::run(&sim_cfg(spec, 500), facade_atomics);
        println!(
            "floor_atomics {spec}: {:.1} steps/execution",
            r.steps as f64 / r.executions as f64
        );
    }
}

fn benches(c: &mut Criterion) {
    report_steps();
    let mut g = c.benchmark_group("floor_atomics");
    g.throughput(Throughput::Elements(N));
    g.bench_function("raw/random", |b| {
        b.iter(|| shuttle::check_random(raw_atomics, N as usize))
    });
    let random = sim_cfg(sim::SchedulerSpec::Random, N);
    g.bench_function("sim/random", |b| b.iter(|| sim_run(&random)));
    g.bench_function("raw/pct3", |b| {
        b.iter(|| shuttle::check_pct(raw_atomics, N as usize, 3))
    });
    let pct = sim_cfg(sim::SchedulerSpec::Pct { depth: 3 }, N);
    g.bench_function("sim/pct3", |b| b.iter(|| sim_run(&pct)));
    g.finish();
}

criterion_group! {
    name = shuttle_floor;
    config = Criterion::default()
        .without_plots()
        .sample_size(15)
        .warm_up_time(Duration::from_millis(1000))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(shuttle_floor);

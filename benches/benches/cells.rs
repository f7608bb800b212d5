//! What the checked cells of `sim::cell` cost on real threads (std backend, outside any
//! simulation: ownership assertions and the borrow flag, no vector clocks), each beside the raw
//! `sim::sync::cell::UnsafeCell` access it replaces, in the same run. One element is one access
//! (a read-modify-write through `with_mut`, or a read through `with`), single-threaded and
//! uncontended, as on the tracer's hot path. `README.md` has the figures.
//!
//! - `raw/*`: `UnsafeCell::with_mut` (what the tracer does today: an `unsafe` block);
//! - `shared`, `owned`, `stw_read`: `Shared::with_mut`, `Owned::with_mut` with its token,
//!   `StwOnly::with` holding a P;
//! - `locked` vs `raw/under_lock`: an access under a facade `Mutex` held across the batch
//!   (`Locked` adds the held-lock lookup and the binding check);
//! - `lock_access_unlock` vs `raw/lock_access_unlock`: lock, one access, unlock per element;
//! - `racy_load` vs `raw/atomic_load`: `Racy::load` against a relaxed std atomic load.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sim::cell::{Claim, Locked, Owned, Racy, Shared, StwOnly, Token, World};
use sim::sync::cell::UnsafeCell;
use sim::sync::Mutex;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Accesses per criterion iteration.
const N: u64 = 1_000;

fn raw_rmw(c: &UnsafeCell<u64>) {
    for _ in 0..N {
        // SAFETY: one thread, no concurrent access.
        unsafe { c.with_mut(|v| *v = black_box(*v + 1)) };
    }
}

fn bodies(c: &mut Criterion) {
    let mut g = c.benchmark_group("cell_access");
    g.throughput(Throughput::Elements(N));
    let raw = UnsafeCell::new(0u64);
    g.bench_function("raw/with_mut", |b| b.iter(|| raw_rmw(&raw)));
    let shared = Shared::new("shared", 0u64);
    g.bench_function("shared", |b| {
        b.iter(|| (0..N).for_each(|_| shared.with_mut(|v| *v = black_box(*v + 1))))
    });
    let token = Token::new("P 0");
    let owned = Owned::new("p[0].buf", &token, 0u64);
    g.bench_function("owned", |b| {
        b.iter(|| (0..N).for_each(|_| owned.with_mut(&token, |v| *v = black_box(*v + 1))))
    });
    let world = World::new();
    let enabled = StwOnly::new("trace.enabled", 1u64);
    let p = world.acquire_p();
    g.bench_function("stw_read", |b| {
        b.iter(|| {
            (0..N).for_each(|_| {
                black_box(enabled.with(&world, |v| *v));
            })
        })
    });
    drop(p);
    locked(&mut g);
    racy(&mut g);
    g.finish();
}

fn locked(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    let lock = Mutex::new(());
    let (raw, cell) = (UnsafeCell::new(0u64), Locked::new("queues", 0u64));
    let held = lock.lock();
    g.bench_function("raw/under_lock", |b| b.iter(|| raw_rmw(&raw)));
    g.bench_function("locked", |b| {
        b.iter(|| (0..N).for_each(|_| cell.with_mut(&lock, |v| *v = black_box(*v + 1))))
    });
    drop(held);
    g.bench_function("raw/lock_access_unlock", |b| {
        b.iter(|| {
            for _ in 0..N {
                let _g = lock.lock();
                // SAFETY: the lock is held.
                unsafe { raw.with_mut(|v| *v = black_box(*v + 1)) };
            }
        })
    });
    g.bench_function("lock_access_unlock", |b| {
        b.iter(|| {
            for _ in 0..N {
                let _g = lock.lock();
                cell.with_mut(&lock, |v| *v = black_box(*v + 1));
            }
        })
    });
}

fn racy(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    let atomic = AtomicU64::new(1);
    g.bench_function("raw/atomic_load", |b| {
        b.iter(|| {
            (0..N).for_each(|_| {
                black_box(atomic.load(Ordering::Relaxed));
            })
        })
    });
    let flag = Racy::new("trace.shutdown", 1u64, Claim::Monotonic("set once"));
    g.bench_function("racy_load", |b| {
        b.iter(|| {
            (0..N).for_each(|_| {
                black_box(flag.load());
            })
        })
    });
}

criterion_group! {
    name = cells;
    config = Criterion::default()
        .without_plots()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bodies
}
criterion_main!(cells);

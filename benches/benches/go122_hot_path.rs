//! The go1.22 model's hot path on real threads (std backend), beside its baseline in the same
//! run: one event through `traceAcquire` → `eventWriter` → `event` → `end` → `traceRelease`
//! (`tracer::go122::locker`) with 64 KiB buffers, for a stack-less `HeapAlloc` and for a
//! `GCSweepBegin`/`GCSweepEnd` pair whose stack is found in `stackTab[gen%2]`, against `bare/*`:
//! the same bytes appended to a plain `Vec<u8>` by the go1.22 encoder. Full buffers go back to
//! the free list between timed chunks.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sim::sync::atomic::Ordering;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tracer::go122::out::{self, EV_GC_SWEEP_BEGIN, EV_GC_SWEEP_END, EV_HEAP_ALLOC};
use tracer::go122::{Config, Trace, Variant};

fn tracer() -> Trace {
    let t = Trace::new(Config {
        emitters: 1,
        buf_bytes: 64 << 10,
        sessions: 1,
        profbuf_slots: 16,
        tab_slots: 16,
        stacks: vec![vec![0x40_1000, 0x40_1010]],
        alloc_stacks: Vec::new(),
        variant: Variant::V2_0,
    });
    t.gen.store(1, Ordering::SeqCst);
    t
}

/// Moves every queued buffer back to the free list (what the reader does), untimed.
fn recycle(t: &Trace) {
    let mut q = t.lock.lock();
    for i in 0..2 {
        while let Some(b) = q.full[i].pop_front() {
            q.empty.push(b);
        }
    }
}

/// `n` events of one shape through the model; returns the time taken.
fn model(t: &Trace, n: u64, stack: bool) -> Duration {
    let start = Instant::now();
    for i in 0..n {
        let l = t.acquire(0).expect("tracing is on");
        if stack {
            let sid = t.stack_put(l.gen, 0);
            let mut w = l.writer();
            w.event(EV_GC_SWEEP_BEGIN, &[sid]);
            w.event(EV_GC_SWEEP_END, &[i, 0]);
            w.end();
        } else {
            let mut w = l.writer();
            w.event(EV_HEAP_ALLOC, &[i]);
            w.end();
        }
        l.release();
        if i % 4096 == 4095 {
            recycle(t);
        }
    }
    let d = start.elapsed();
    recycle(t);
    d
}

/// The same bytes into a plain vector.
fn bare(n: u64, stack: bool) -> Duration {
    let mut v = Vec::with_capacity(64 << 10);
    let start = Instant::now();
    for i in 0..n {
        if stack {
            out::event(&mut v, EV_GC_SWEEP_BEGIN, 3, &[1]);
            out::event(&mut v, EV_GC_SWEEP_END, 1, &[i, 0]);
        } else {
            out::event(&mut v, EV_HEAP_ALLOC, 2, &[i]);
        }
        if v.len() > (64 << 10) - 64 {
            black_box(&v);
            v.clear();
        }
    }
    black_box(&v);
    start.elapsed()
}

fn event_write(c: &mut Criterion) {
    let mut g = c.benchmark_group("go122_event_write");
    g.throughput(Throughput::Elements(1));
    let t = tracer();
    for (name, stack) in [("heap_alloc", false), ("sweep_with_stack", true)] {
        g.bench_function(BenchmarkId::new("tracer", name), |b| {
            b.iter_custom(|n| model(&t, n, stack))
        });
        g.bench_function(BenchmarkId::new("bare", name), |b| {
            b.iter_custom(|n| bare(n, stack))
        });
    }
    g.finish();
}

criterion_group!(benches, event_write);
criterion_main!(benches);

//! The tracer's hot paths on real threads, each beside the baseline that marks its limit, in
//! the same run (`README.md` has the figures and the ratios):
//!
//! - `event_write`: one event of each shape of the hot path (`benches::Shape`) into P 0's
//!   buffer through `Trace::event_on_p` with the P held, against `bare/*`, a plain `Vec<u8>`
//!   LEB128 append of the same values; `mix` cycles through every shape (`bare_clock/mix` adds
//!   the one atomic read-modify-write per event of the model's shared clock); `mix_p_per_event`
//!   takes the P and the may-flush annotation per event, as the emitter actor does;
//!   `mix_rank_off` turns the rank checks off (`sim::sync::set_native_rank_mode`).
//! - `flush`: `Trace::flush` (traceFlush: the full buffer to the full FIFO, a fresh one from the
//!   free list) uncontended, allocating, and with 2 and 4 threads flushing at once, against
//!   `baseline/lock_push`: lock, push on a `VecDeque`, unlock, with the same ranked mutex type
//!   (`baseline/std_lock_push`: the same with a bare `std::sync::Mutex`).
//! - `end_to_end`: W emitter actors writing M events each while the reader actor drains and the
//!   poller wakes it, `StartTrace` to the reader's final nil; each session's output is checked
//!   (every event exactly once) outside the timed region. `baseline/memcpy_64k` is the copy the
//!   reader makes of every buffer.
//! - `cpu_sample`: `Trace::cpu_sample` into the profBuf, then `Trace::read_cpu` draining it into
//!   `cpuLogBuf`, per sample, against the bare append of the sample's values.
//!
//! Everything is built outside any simulation, so every facade primitive is std. Inputs are
//! fixed; full buffers are recycled and ghost logs emptied between chunks, outside the timing.

use benches::{
    bare_append, first_buffer, recycle, started, write_events, Shape, CPU_RING, PCS, SHAPES,
};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use sim::sync::{Arc, Mutex};
use sim::RankMode;
use std::collections::VecDeque;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant};
use tracer::go121::buf::TraceBufPtr;
use tracer::go121::ghost::Ghost;
use tracer::go121::wire::ev;
use tracer::go121::Trace;

/// Events per chunk (one P hold) in `event_write`.
const CHUNK: u64 = 1 << 14;
/// Flushes per chunk (per thread) in `flush`.
const FLUSH_CHUNK: u64 = 256;
/// Events per emitter in `end_to_end`.
const E2E_EVENTS: usize = 100_000;

fn event_write(c: &mut Criterion) {
    let mut g = c.benchmark_group("event_write");
    let (t, _ctl) = started(1);
    let mut w = benches::emitter_writer(0);
    for shape in SHAPES {
        g.throughput(Throughput::Bytes(shape.encoded_bytes()));
        g.bench_function(BenchmarkId::new("tracer", shape.name()), |b| {
            b.iter_custom(|n| write_events(&t, &mut w, Some(shape), n, CHUNK))
        });
        g.bench_function(BenchmarkId::new("bare", shape.name()), |b| {
            b.iter_custom(|n| bare_events(Some(shape), n))
        });
    }
    g.throughput(Throughput::Elements(1));
    g.bench_function("tracer/mix", |b| {
        b.iter_custom(|n| write_events(&t, &mut w, None, n, CHUNK))
    });
    g.bench_function("bare/mix", |b| b.iter_custom(|n| bare_events(None, n)));
    g.bench_function("bare_clock/mix", |b| b.iter_custom(bare_clocked_events));
    g.bench_function("tracer/mix_p_per_event", |b| {
        b.iter_custom(|n| p_per_event(&t, &mut w, n))
    });
    sim::sync::set_native_rank_mode(RankMode::Off);
    g.bench_function("tracer/mix_rank_off", |b| {
        b.iter_custom(|n| write_events(&t, &mut w, None, n, CHUNK))
    });
    sim::sync::set_native_rank_mode(RankMode::GoCompatible);
    g.finish();
}

/// The bare baseline: the same values appended to a 64 KiB `Vec<u8>`, restarted when full.
fn bare_events(shape: Option<Shape>, n: u64) -> Duration {
    let mut out = Vec::with_capacity(benches::BUF_BYTES);
    let start = Instant::now();
    for j in 0..n {
        shape
            .unwrap_or(SHAPES[(j % SHAPES.len() as u64) as usize])
            .bare(&mut out);
    }
    let spent = start.elapsed();
    black_box(&out);
    spent
}

/// The floor of a timestamped event in this model: the bare append plus one `fetch_add` on a
/// shared atomic, which is what `Trace::tick` (the global logical clock) costs per event.
fn bare_clocked_events(n: u64) -> Duration {
    let clock = AtomicU64::new(0);
    let mut out = Vec::with_capacity(benches::BUF_BYTES);
    let start = Instant::now();
    for j in 0..n {
        black_box(clock.fetch_add(1, Ordering::SeqCst));
        SHAPES[(j % SHAPES.len() as u64) as usize].bare(&mut out);
    }
    let spent = start.elapsed();
    black_box(&out);
    spent
}

/// The emitter actor's per-event path: the may-flush annotation and a P taken for each event.
fn p_per_event(t: &Trace, w: &mut tracer::go121::emit::Writer, n: u64) -> Duration {
    let mut spent = Duration::ZERO;
    let mut done = 0;
    while done < n {
        let k = CHUNK.min(n - done);
        let start = Instant::now();
        for j in done..done + k {
            t.may_flush(w.goid);
            let held = t.acquire_p(0);
            SHAPES[(j % SHAPES.len() as u64) as usize].write(t, w, &held.own());
        }
        spent += start.elapsed();
        done += k;
        recycle(t);
        w.ghost.events.clear();
    }
    spent
}

/// `n` flushes by one thread holding P 0, in chunks; between chunks the full buffers go back to
/// the free list (`alloc == false`) or are freed, so that every flush allocates (`alloc`).
fn flushes(t: &Trace, n: u64, alloc: bool) -> Duration {
    let mut spent = Duration::ZERO;
    let mut buf = Some(first_buffer(t, 0));
    let mut done = 0;
    while done < n {
        let k = FLUSH_CHUNK.min(n - done);
        let start = Instant::now();
        {
            let _held = t.acquire_p(0);
            for _ in 0..k {
                buf = Some(t.flush(0, buf.take(), 0));
            }
        }
        spent += start.elapsed();
        done += k;
        if alloc {
            let _p = t.acquire_p(0);
            let _g = t.lock.lock();
            t.with_queues(|q| {
                q.full.clear();
                q.empty.clear();
            });
            t.full_len.store(0);
        } else {
            recycle(t);
        }
    }
    black_box(buf);
    spent
}

/// `rounds × FLUSH_CHUNK` flushes on each of `threads` threads (P `i` each), started together
/// at every round; a round lasts as long as its slowest thread. Between rounds the full buffers
/// go back to the free list.
fn contended_flushes(t: &Arc<Trace>, threads: usize, rounds: u64) -> Duration {
    let barrier = Barrier::new(threads + 1);
    let round_ns: Vec<AtomicU64> = (0..threads).map(|_| AtomicU64::new(0)).collect();
    let mut spent = Duration::ZERO;
    std::thread::scope(|s| {
        for (i, slot) in round_ns.iter().enumerate() {
            let (t, barrier) = (&**t, &barrier);
            s.spawn(move || {
                let mut buf = Some(first_buffer(t, i));
                for _ in 0..rounds {
                    barrier.wait();
                    let start = Instant::now();
                    {
                        let _held = t.acquire_p(i);
                        for _ in 0..FLUSH_CHUNK {
                            buf = Some(t.flush(0, buf.take(), i as i32));
                        }
                    }
                    slot.store(start.elapsed().as_nanos() as u64, Ordering::SeqCst);
                    barrier.wait();
                }
            });
        }
        for _ in 0..rounds {
            barrier.wait();
            barrier.wait();
            let slowest = round_ns
                .iter()
                .map(|x| x.load(Ordering::SeqCst))
                .max()
                .unwrap_or(0);
            spent += Duration::from_nanos(slowest);
            recycle(t);
        }
    });
    spent
}

/// The baseline of a flush: lock, push a buffer on a `VecDeque`, unlock (`push`), P 0 held;
/// the buffers come back (`take`) between chunks, outside the timing.
fn lock_push(n: u64, push: impl Fn(TraceBufPtr), take: impl Fn() -> Vec<TraceBufPtr>) -> Duration {
    let (t, _ctl) = started(1);
    let mut free: Vec<TraceBufPtr> = (0..FLUSH_CHUNK)
        .map(|_| TraceBufPtr::new(benches::BUF_BYTES))
        .collect();
    let mut spent = Duration::ZERO;
    let mut done = 0;
    while done < n {
        let k = FLUSH_CHUNK.min(n - done) as usize;
        let bufs: Vec<_> = free.drain(free.len() - k..).collect();
        let start = Instant::now();
        {
            let _held = t.acquire_p(0);
            for b in bufs {
                push(b);
            }
        }
        spent += start.elapsed();
        done += k as u64;
        free.extend(take());
    }
    spent
}

/// [`lock_push`] with the facade mutex of `trace.lock`'s class (the same mutex type).
fn facade_lock_push(n: u64) -> Duration {
    let q = Mutex::ranked(
        &tracer::go121::locks::TRACE,
        VecDeque::with_capacity(FLUSH_CHUNK as usize),
    );
    lock_push(
        n,
        |b| q.lock().push_back(b),
        || q.lock().drain(..).collect(),
    )
}

/// [`lock_push`] with a bare `std::sync::Mutex`: what the facade's bookkeeping adds.
fn std_lock_push(n: u64) -> Duration {
    let q = std::sync::Mutex::new(VecDeque::with_capacity(FLUSH_CHUNK as usize));
    lock_push(
        n,
        |b| q.lock().unwrap().push_back(b),
        || q.lock().unwrap().drain(..).collect(),
    )
}

fn flush(c: &mut Criterion) {
    let mut g = c.benchmark_group("flush");
    g.throughput(Throughput::Elements(1));
    let (t, _ctl) = started(4);
    g.bench_function("tracer/uncontended", |b| {
        b.iter_custom(|n| flushes(&t, n, false))
    });
    g.bench_function("baseline/lock_push", |b| b.iter_custom(facade_lock_push));
    g.bench_function("baseline/std_lock_push", |b| b.iter_custom(std_lock_push));
    g.bench_function("tracer/allocating", |b| {
        b.iter_custom(|n| flushes(&t, n, true))
    });
    sim::sync::set_native_rank_mode(RankMode::Off);
    g.bench_function("tracer/uncontended_rank_off", |b| {
        b.iter_custom(|n| flushes(&t, n, false))
    });
    sim::sync::set_native_rank_mode(RankMode::GoCompatible);
    for threads in [2, 4] {
        // One iteration: one flush on each thread.
        g.throughput(Throughput::Elements(threads as u64));
        g.bench_function(BenchmarkId::new("tracer/threads", threads), |b| {
            b.iter_custom(|n| {
                let rounds = n.div_ceil(FLUSH_CHUNK);
                let spent = contended_flushes(&t, threads, rounds);
                spent.mul_f64(n as f64 / (rounds * FLUSH_CHUNK) as f64)
            })
        });
    }
    g.finish();
}

fn end_to_end(c: &mut Criterion) {
    let mut g = c.benchmark_group("end_to_end");
    g.sampling_mode(SamplingMode::Flat).sample_size(10);
    let mut checked = (0, 0);
    for emitters in [1, 2, 4] {
        g.throughput(Throughput::Elements((emitters * E2E_EVENTS) as u64));
        g.bench_function(BenchmarkId::new("tracer/emitters", emitters), |b| {
            b.iter_custom(|n| {
                let mut spent = Duration::ZERO;
                for _ in 0..n {
                    let s = benches::session(emitters, E2E_EVENTS);
                    spent += s.elapsed;
                    if let Err(e) = s.check(emitters, E2E_EVENTS) {
                        panic!(
                            "end_to_end with {emitters} emitters lost or duplicated events: {e}"
                        );
                    }
                    checked = (checked.0 + 1, checked.1 + s.ghost.events.len());
                }
                spent
            })
        });
    }
    g.finish();
    println!(
        "end_to_end: {} sessions checked, {} committed events, each delivered exactly once",
        checked.0, checked.1
    );
}

/// `n` samples through the CPU path: `CPU_RING` produced, then drained by the reader holding its
/// P, per round; `cpuLogBuf`'s full buffers are recycled and ghost logs emptied between rounds.
fn cpu_samples(
    t: &Trace,
    w: &mut tracer::go121::emit::Writer,
    ghost: &mut Ghost,
    n: u64,
) -> Duration {
    let mut spent = Duration::ZERO;
    let mut done = 0;
    while done < n {
        let k = (CPU_RING as u64).min(n - done);
        let start = Instant::now();
        for j in 0..k {
            t.cpu_sample(ghost, (j % 4) as i32, 10 + j % 4, &PCS);
        }
        {
            let _held = t.acquire_p(t.p_reader());
            t.read_cpu(w);
        }
        spent += start.elapsed();
        done += k;
        recycle(t);
        ghost.samples.clear();
        w.ghost.events.clear();
    }
    spent
}

fn cpu_sample(c: &mut Criterion) {
    let mut g = c.benchmark_group("cpu_sample");
    g.throughput(Throughput::Elements(1));
    let (t, _ctl) = started(4);
    let mut w = tracer::go121::emit::Writer {
        goid: tracer::go121::state::goid::READER,
        p: Some(t.p_reader()),
        ..Default::default()
    };
    let mut ghost = Ghost::default();
    g.bench_function("tracer/produce_drain", |b| {
        b.iter_custom(|n| cpu_samples(&t, &mut w, &mut ghost, n))
    });
    g.bench_function("bare/cpu_sample", |b| {
        b.iter_custom(|n| {
            let mut out = Vec::with_capacity(benches::BUF_BYTES);
            let start = Instant::now();
            for j in 0..n {
                bare_append(
                    &mut out,
                    ev::EV_CPU_SAMPLE | 3 << 6,
                    black_box(&[1, 1 << 30, j % 4, 10 + j % 4, 1]),
                    &[],
                );
            }
            black_box(&out);
            start.elapsed()
        })
    });
    g.finish();
}

fn baseline(c: &mut Criterion) {
    let mut g = c.benchmark_group("baseline");
    g.throughput(Throughput::Bytes(benches::BUF_BYTES as u64));
    let src = vec![0x5au8; benches::BUF_BYTES];
    let mut dst = vec![0u8; benches::BUF_BYTES];
    g.bench_function("memcpy_64k", |b| {
        b.iter(|| {
            dst.copy_from_slice(black_box(&src));
            black_box(&mut dst);
        })
    });
    g.finish();
}

criterion_group! {
    name = tracer_hot_path;
    config = Criterion::default()
        .sample_size(25)
        .nresamples(20_000)
        .without_plots()
        .warm_up_time(Duration::from_millis(400))
        .measurement_time(Duration::from_millis(1500));
    targets = event_write, flush, cpu_sample, baseline, end_to_end
}
criterion_main!(tracer_hot_path);

//! The event-write path allocates nothing once its buffer exists: a counting global allocator
//! (counts per thread, so the test harness's other threads cannot disturb it) around the
//! tracer's own functions on real threads.
//!
//! The writer's ghost log (`Writer::ghost`, what the validator compares the output with) is
//! bookkeeping of the model, outside the modelled runtime: the tests reserve its capacity first,
//! as they warm up everything else that is allocated once (the P's buffer, the interned string
//! and stacks, this thread's held-lock list).

use benches::{recycle, started, Shape, PCS, SHAPES};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use tracer::go121::ghost::Ghost;

struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: every call is forwarded to the system allocator unchanged; counting touches only a
// const-initialised thread-local without a destructor, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Allocations made by this thread while `f` runs.
fn allocations(f: impl FnOnce()) -> u64 {
    let before = ALLOCS.with(Cell::get);
    f();
    ALLOCS.with(Cell::get) - before
}

fn shape(j: usize) -> Shape {
    SHAPES[j % SHAPES.len()]
}

#[test]
fn event_write_allocates_nothing_once_its_buffer_exists() {
    let (t, _ctl) = started(1);
    let mut w = benches::emitter_writer(0);
    let held = t.acquire_p(0);
    for s in SHAPES {
        s.write(&t, &mut w, &held.own());
    }
    let n = 2_000;
    w.ghost.events.reserve(n);
    let buf_id = t.with_p_buf(&held.own(), |b| {
        b.as_ref().expect("P 0 has a buffer").with(|b| b.id)
    });
    let allocs = allocations(|| (0..n).for_each(|j| shape(j).write(&t, &mut w, &held.own())));
    assert_eq!(
        t.with_p_buf(&held.own(), |b| b
            .as_ref()
            .expect("P 0 has a buffer")
            .with(|b| b.id)),
        buf_id,
        "the events fit in one buffer: no flush"
    );
    assert_eq!(
        allocs, 0,
        "{n} events (every shape) into P 0's buffer allocated {allocs} times"
    );
}

#[test]
fn emitter_path_allocates_nothing_across_flushes_with_a_stocked_free_list() {
    let (t, _ctl) = started(1);
    let mut w = benches::emitter_writer(0);
    let write = |w: &mut tracer::go121::emit::Writer, j: usize| {
        t.may_flush(w.goid);
        let held = t.acquire_p(0);
        shape(j).write(&t, w, &held.own());
    };
    // Fill a few buffers, then hand them back to the free list as a reader would.
    let n = 40_000;
    (0..n).for_each(|j| write(&mut w, j));
    recycle(&t);
    w.ghost.events.clear();
    let first = t.buf_id();
    // Half as many events as the free list holds buffers for.
    let m = n / 2;
    let allocs = allocations(|| (0..m).for_each(|j| write(&mut w, j)));
    assert!(
        t.buf_id() > first + 1,
        "the events flushed at least once (free-list reuse is exercised)"
    );
    assert_eq!(allocs, 0, "{m} events with a P taken per event, flushing onto a stocked free list, allocated {allocs} times");
}

#[test]
fn cpu_sample_producer_allocates_nothing() {
    let (t, _ctl) = started(1);
    let mut ghost = Ghost::default();
    ghost.samples.reserve(benches::CPU_RING);
    let allocs = allocations(|| {
        (0..benches::CPU_RING).for_each(|j| t.cpu_sample(&mut ghost, 0, 10, &PCS[..1 + j % 3]))
    });
    assert_eq!(
        allocs, 0,
        "traceCPUSample (the SIGPROF handler) allocated {allocs} times"
    );
    assert_eq!(
        ghost.samples.len(),
        benches::CPU_RING,
        "every sample fitted in the ring"
    );
}

//! The reader, after go1.22 `runtime/trace2.go:670-862` (§B.7): `readTrace0` (multiple-reader
//! check, recycle `reading`, the header once, then per `readerGen`: a full buffer, or the
//! generation hand-off through `flushedGen` and `doneSema[gen%2]` released **outside** the lock,
//! or park after clearing `workAvailable`), the park callback's re-check, and
//! `traceReaderAvailable` for the scheduler's poll.

use super::ghost::Actor;
use super::out;
use super::state::Trace;
use super::strings::REASON_SYSTEM;
use super::variant::Variant;
use sim::sync::atomic::Ordering;

/// What one `readTrace0` call returns.
#[derive(Debug)]
pub enum Read {
    /// A chunk of trace bytes.
    Data(Vec<u8>),
    /// Nothing yet: park.
    Park,
    /// End of the trace (or a rejected second reader).
    Nil,
}

impl Trace {
    /// `readTrace0` by reader goroutine `g` on actor `a`.
    pub fn read_trace0(&self, a: &mut Actor, g: u64) -> Read {
        let mut q = self.lock.lock();
        let other = self.reader.load(Ordering::SeqCst);
        if other != 0 && other != g {
            drop(q);
            a.ghost
                .messages
                .push("runtime: ReadTrace called from multiple goroutines simultaneously".into());
            return Read::Nil;
        }
        if let Some(b) = q.reading.take() {
            q.empty.push(b);
        }
        if !q.header_written {
            q.header_written = true;
            return Read::Data(out::HEADER.to_vec());
        }
        loop {
            let gen = self.reader_gen.load(Ordering::SeqCst);
            let i = (gen % 2) as usize;
            if let Some(b) = q.full[i].pop_front() {
                let bytes = b.bytes.clone();
                q.reading = Some(b);
                return Read::Data(bytes);
            }
            if self.flushed_gen.load(Ordering::SeqCst) == gen {
                let end = self.shutdown.load(Ordering::SeqCst);
                if !end {
                    self.reader_gen
                        .store(self.gen.load(Ordering::SeqCst), Ordering::SeqCst);
                }
                if self.variant() == Variant::V2_6 {
                    self.done_release(a, i);
                    if end {
                        return Read::Nil;
                    }
                    continue;
                }
                drop(q);
                self.done_release(a, i);
                if end {
                    return Read::Nil;
                }
                q = self.lock.lock();
                continue;
            }
            if self.variant() == Variant::V2_11 {
                drop(q);
                self.work_available.store(false, Ordering::SeqCst);
            } else {
                self.work_available.store(false, Ordering::SeqCst);
            }
            return Read::Park;
        }
    }

    /// `semrelease(&doneSema[i])`; when it readies the goroutine parked there (the advancer,
    /// or `StopTrace`'s caller), `ready` runs on this M: `traceAcquire`, `GoUnblock`,
    /// `traceRelease`, then `wakep`. Go adds the permit first and readies the dequeued waiter
    /// after; the model readies first, because its waiter runs as soon as the permit is there
    /// (a Go waiter runs only once readied), and its `GoStart` must follow the `GoUnblock`.
    fn done_release(&self, a: &mut Actor, i: usize) {
        let waiter = self.done_waiter.load(Ordering::SeqCst);
        if waiter != 0 {
            self.go_ready(a.m, waiter as usize - 1);
        }
        self.done_sema[i].release();
        if waiter != 0 {
            self.wakep();
        }
    }

    /// `traceReaderAvailable`: the reader should run.
    pub fn reader_available(&self) -> bool {
        self.flushed_gen.load(Ordering::SeqCst) == self.reader_gen.load(Ordering::SeqCst)
            || self.work_available.load(Ordering::SeqCst)
            || self.shutdown.load(Ordering::SeqCst)
    }

    /// `traceReader` from `findRunnable`: the parked reader to ready, if it should run.
    pub fn trace_reader(&self) -> Option<u64> {
        let g = self.reader.load(Ordering::SeqCst);
        if g == 0 || !self.reader_available() {
            return None;
        }
        self.reader
            .compare_exchange(g, 0, Ordering::SeqCst, Ordering::SeqCst)
            .ok()
    }

    /// `gopark(traceReaderParkCallback)` by reader `g` on M `m`: `GoBlock`, then the callback
    /// publishes the reader and re-checks (declining the park: the reader unblocks itself and
    /// runs on); else `schedule()` polls on this M and the reader sleeps until readied, and runs
    /// again (`GoStart`).
    pub fn park_reader(&self, g: u64, m: usize) {
        self.go_block(m, REASON_SYSTEM);
        let published = self
            .reader
            .compare_exchange(0, g, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok();
        if published && self.trace_reader() != Some(g) {
            // park_m → schedule() on this M: findRunnable polls (it may hand out this reader).
            self.find_runnable(m);
            self.stop_m(m);
            self.parkers[reader_index(g)].park();
            self.start_m(m);
        } else {
            // Declined (`park_m` → `execute` on this M): the reader retries at once. While a
            // stopper is between `shutdown` and `flushedGen` it retries until the stopper, on
            // another M in Go, publishes; the model yields so that a strict-priority scheduler
            // (PCT) cannot starve the stopper behind the retry loop.
            sim::thread::yield_now();
        }
        self.go_resume(m);
    }
}

/// Goroutine ids of the readers (the second one only under V2.12).
pub const READER_G: [u64; 2] = [100, 101];

/// The parker slot of reader goroutine `g`.
pub fn reader_index(g: u64) -> usize {
    (g - READER_G[0]) as usize
}

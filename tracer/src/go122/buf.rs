//! Trace buffers and their lifecycle, after go1.22 `runtime/trace2buf.go`: `refill` (flush the
//! old buffer and pop a free one under `trace.lock`, **unlock before allocating**, write the
//! batch header), `flush` and `traceBufFlush` (back-patch the batch length, queue on
//! `trace.full[gen%2]`, set `workAvailable`).

use super::out;
use super::state::{Queues, Trace};
use sim::sync::atomic::Ordering;

/// One buffer: a batch being written (`traceBuf`).
#[derive(Debug)]
pub struct TraceBuf {
    pub bytes: Vec<u8>,
    len_pos: usize,
    /// The timestamp of the last event (the batch base at first).
    pub last_ts: u64,
    /// The generation the batch was started for.
    pub gen: u64,
    cap: usize,
}

impl TraceBuf {
    /// Whether `n` more bytes fit.
    pub fn available(&self, n: usize) -> bool {
        self.bytes.len() + n <= self.cap
    }
}

impl Trace {
    /// `traceWriter.refill`: flushes `old` (if any) and returns an empty batch for `gen` and M
    /// `m_id`. The free list is popped under `trace.lock`; a new buffer is allocated after
    /// unlocking (go1.22 no longer allocates under the lock).
    pub fn refill(&self, gen: u64, m_id: u64, old: Option<Box<TraceBuf>>) -> Box<TraceBuf> {
        let popped = {
            let mut q = self.lock.lock();
            if let Some(b) = old {
                self.buf_flush(&mut q, b, gen);
            }
            let b = q.empty.pop();
            if b.is_some() {
                q.reuses += 1;
            }
            b
        };
        let mut b = popped.unwrap_or_else(|| self.sys_alloc());
        b.bytes.clear();
        b.gen = gen;
        b.last_ts = self.tick();
        b.len_pos = out::batch_begin(&mut b.bytes, gen, m_id, b.last_ts);
        b
    }

    /// `sysAlloc` of a fresh buffer (no lock held).
    fn sys_alloc(&self) -> Box<TraceBuf> {
        self.allocations.add(1);
        let cap = self.cfg.buf_bytes;
        Box::new(TraceBuf {
            bytes: Vec::with_capacity(cap),
            len_pos: 0,
            last_ts: 0,
            gen: 0,
            cap,
        })
    }

    /// `traceBufFlush` (requires `trace.lock`): completes the batch and queues it on
    /// `full[gen%2]`.
    pub fn buf_flush(&self, q: &mut Queues, mut b: Box<TraceBuf>, gen: u64) {
        out::batch_end(&mut b.bytes, b.len_pos);
        q.flushes += 1;
        q.full[(gen % 2) as usize].push_back(b);
        self.work_available.store(true, Ordering::SeqCst);
    }

    /// `traceWriter.flush`: queues `b` under `trace.lock`, without taking a new buffer.
    pub fn flush(&self, b: Box<TraceBuf>, gen: u64) {
        let mut q = self.lock.lock();
        self.buf_flush(&mut q, b, gen);
    }
}

//! The reader (go1.21 `ReadTrace`, `readTrace0`, `traceReader`, `traceReaderAvailable`): the
//! header once, then full buffers one at a time, then after `StopTrace` the footer (frequency
//! and stack table) and nil. A reader with nothing to read parks; the scheduler's poll
//! (`traceReader`, called from `findRunnable`, see [`crate::go121::sched`]) wakes it.

use super::wire::enc;
use crate::go121::buf::{TraceBuf, TraceBufPtr};
use crate::go121::emit::Writer;
use crate::go121::state::{goid, POwn, Trace};
use crate::variant::Variant;
use sim::sync::atomic::Ordering;
use sim::sync::MutexGuard;

/// What one `readTrace0` returns.
#[derive(Debug, PartialEq, Eq)]
pub enum Read {
    /// The header (static bytes).
    Header,
    /// A full buffer, lent as `trace.reading` until this reader calls again: the caller copies
    /// it after `readTrace0` unlocked (`ReadTrace`'s contract), with [`Trace::copy_lent`].
    Lent(Lent),
    /// Nothing to read yet: park.
    Park,
    /// The end of the stream (or a refused concurrent reader).
    Nil,
}

/// A buffer lent by `readTrace0`: `trace.reading`'s pointer, the caller's until it calls again.
/// Its copy goes through the buffer's cell, so a reuse that races with it is a `data_race`.
#[derive(Debug, PartialEq, Eq)]
pub struct Lent(TraceBufPtr);

/// The trace clock's frequency, in ticks per second (one tick per nanosecond).
pub const TICKS_PER_SEC: u64 = 1_000_000_000;

impl Trace {
    /// Releases `trace.lock` on a `readTrace0` exit path, clearing `lockOwner` first before
    /// 94a948d; V1.3 forgets to clear it on the park path.
    fn unlock0(&self, g: MutexGuard<'_, ()>, park_path: bool) {
        if self.cfg.variant.reentrant_lock() && !(park_path && self.cfg.variant == Variant::V1_3) {
            self.lock.clear_owner();
        }
        drop(g);
    }

    fn lock0(&self, w: &Writer) -> MutexGuard<'_, ()> {
        let g = self.lock.lock();
        if self.cfg.variant.reentrant_lock() {
            self.lock.set_owner(w.goid);
        }
        g
    }

    /// `readTrace0`'s unlocked guard `!footerWritten && !shutdown` (go1.21 `trace.go:571-577`).
    /// Go's comment says both are only mutated by this goroutine or under STW; `shutdown=false`
    /// is in fact stored by `StopTrace`'s cleanup with the world running. The claim that makes it
    /// safe (§A.8): whenever the guard could read that store, `footerWritten` is already true.
    pub(crate) fn drain_first(&self) -> bool {
        if self.cfg.variant == Variant::V1_5 {
            return true;
        }
        let footer = self.footer_written_racy.load();
        let drain = !footer && !self.shutdown.load();
        sim::invariant!(
            !(drain && self.cleaned.get()),
            "I11",
            "{} read shutdown=false stored by StopTrace's cleanup while footerWritten=false, and would drain a closed \
             profBuf: the unlocked guard of readTrace0 is stale",
            sim::thread::current_name()
        );
        drain
    }

    /// `readTrace0`, run by the reader holding its P (except V1.4's early drain).
    pub fn read_trace0(&self, w: &mut Writer) -> Read {
        let _frame = sim::record::frame("readTrace0");
        let v = self.cfg.variant;
        if !v.drain_inside_lock() && v != Variant::V1_4 && self.drain_first() {
            self.read_cpu(w);
        }
        let g = self.lock0(w);
        if self.reader.load(Ordering::SeqCst) != 0 {
            sim::thread::note("runtime: ReadTrace called from multiple goroutines simultaneously");
            self.unlock0(g, false);
            return Read::Nil;
        }
        if let Some(b) = self.with_queues(|q| q.reading.take()) {
            b.with(|b| self.recycle_reading(w, b));
            self.with_queues(|q| q.empty.push(b));
        }
        if !self.with_queues(|q| std::mem::replace(&mut q.header_written, true)) {
            self.unlock0(g, false);
            return Read::Header;
        }
        let footer = self.with_queues(|q| q.footer_written);
        if v.drain_inside_lock() && !footer && !self.shutdown.load() {
            self.read_cpu(w);
        }
        let (empty, footer) = self.with_queues(|q| (q.full.is_empty(), q.footer_written));
        if empty && !self.shutdown.load() {
            if v == Variant::V1_9 && !footer {
                return self.footer(w, g);
            }
            self.unlock0(g, true);
            return Read::Park;
        }
        self.new_full(w, g)
    }

    /// `newFull:` hand out the next full buffer, else write the footer, else end the stream.
    fn new_full(&self, w: &mut Writer, g: MutexGuard<'_, ()>) -> Read {
        let next = self.with_queues(|q| {
            let b = q.full.pop_front()?;
            b.with_mut(|b| b.lent_to = w.goid);
            let lent = Lent(b.clone());
            q.reading = Some(b);
            Some(lent)
        });
        if let Some(lent) = next {
            self.full_len.store(self.full_len.load() - 1);
            self.unlock0(g, false);
            return Read::Lent(lent);
        }
        if !self.with_queues(|q| q.footer_written) {
            return self.footer(w, g);
        }
        if self.shutdown.load() {
            self.unlock0(g, false);
            self.shutdown_sema.release();
            return Read::Nil;
        }
        sim::thread::note("runtime: spurious wakeup of trace reader");
        self.unlock0(g, false);
        Read::Nil
    }

    /// The footer: frequency, then the stack table, in a buffer of P 0, queued on the FIFO.
    fn footer(&self, w: &mut Writer, g: MutexGuard<'_, ()>) -> Read {
        self.with_queues(|q| q.footer_written = true);
        self.footer_written_racy.store(true);
        self.unlock0(g, false);
        let mut slot = Some(self.flush(w.goid, None, 0));
        self.ensure_room(w.goid, &mut slot, 0, enc::FREQUENCY_BYTES_MAX);
        let b = slot.as_ref().expect("room ensured");
        b.with_mut(|b| enc::frequency(&mut b.bytes, TICKS_PER_SEC));
        self.stacks.dump(self, w.goid, &mut slot, 0);
        let g = self.lock0(w);
        let b = slot.take().expect("the footer buffer");
        self.with_queues(|q| q.enqueue(b, &self.full_len));
        self.new_full(w, g)
    }

    /// `traceReader`: the parked reader, if there is work for it (data or shutdown); clears
    /// `trace.reader` so that exactly one waker readies it. Only ever called on a P (`own`).
    pub fn trace_reader(&self, _own: &POwn<'_>) -> Option<u64> {
        let r = self.reader.load(Ordering::SeqCst);
        let work = self.full_len.load() > 0 || self.shutdown.load();
        if r == 0 || !work {
            return None;
        }
        let g = self.lock.lock();
        let r = self.reader.load(Ordering::SeqCst);
        let work = !self.with_queues(|q| q.full.is_empty()) || self.shutdown.load();
        let got = r != 0
            && work
            && self
                .reader
                .compare_exchange(r, 0, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok();
        drop(g);
        got.then_some(r)
    }

    /// I4, at the recycle of `trace.reading` (under `trace.lock`): a lent buffer goes back to the
    /// free list only when its consumer calls again, having copied it.
    fn recycle_reading(&self, w: &Writer, b: &TraceBuf) {
        sim::invariant!(
            b.lent_to == w.goid,
            "I4",
            "buffer {} (batch of P {}) lent to reader goroutine {} is recycled by goroutine {} before its consumer called ReadTrace again \
             (the consumer may still be copying it; a flush can reuse it now)",
            b.id,
            b.pid,
            b.lent_to,
            w.goid
        );
    }

    /// `ReadTrace`'s caller copying the lent buffer after `readTrace0` unlocked: its bytes must
    /// be the bytes that were queued (I4: nothing wrote the buffer after it was flushed).
    pub fn copy_lent(&self, lent: &Lent) -> Vec<u8> {
        sim::thread::sched_point();
        lent.0.with(|b| self.check_copy(b))
    }

    /// The copy, and I4's comparison with the hash taken when the buffer was queued.
    fn check_copy(&self, b: &TraceBuf) -> Vec<u8> {
        let bytes = b.bytes.clone();
        let now = sim::runner::fnv1a(bytes.iter().copied());
        sim::invariant!(
            now == b.flushed_hash,
            "I4",
            "buffer {} (batch of P {}) changed between its flush and its delivery (hash {:#x} at flush, {now:#x} when copied)",
            b.id,
            b.pid,
            b.flushed_hash
        );
        bytes
    }

    /// The goroutine slot of reader goroutine `g`.
    pub fn reader_slot(&self, g: u64) -> usize {
        1 + self.cfg.emitters + (g - goid::READER) as usize
    }
}

//! `traceAcquire`/`traceRelease` and the event writer, after go1.22
//! `runtime/trace2runtime.go` (`traceAcquire`: may-acquire `trace`, seqlock odd, **then** load
//! `gen`, undo if 0) and `runtime/trace2event.go` (`eventWriter`: a `ProcStatus` first when the
//! P has none in this generation; `event`: ensure room, type, timestamp delta, arguments;
//! `end`: the buffer goes back to the M).

use super::buf::TraceBuf;
use super::locks;
use super::out;
use super::state::Trace;
use sim::sync::atomic::Ordering;

/// A `traceLocker`: M `m` writing in generation `gen`.
pub struct Locker<'a> {
    t: &'a Trace,
    pub m: usize,
    pub gen: u64,
}

impl Trace {
    /// `traceAcquire` on M `m`: `None` when tracing is off (`traceEnabled` first, then
    /// `traceAcquireEnabled`).
    #[track_caller]
    pub fn acquire(&self, m: usize) -> Option<Locker<'_>> {
        if !self.enabled() {
            return None;
        }
        sim::sync::may_acquire(&locks::TRACE);
        let ms = &self.ms[m];
        ms.seqlock.fetch_add(1, Ordering::SeqCst);
        let gen = self.gen.load(Ordering::SeqCst);
        if gen == 0 {
            ms.seqlock.fetch_add(1, Ordering::SeqCst);
            return None;
        }
        Some(Locker { t: self, m, gen })
    }
}

impl<'a> Locker<'a> {
    /// `traceRelease`: the seqlock becomes even again.
    pub fn release(self) {
        self.t.ms[self.m].seqlock.fetch_add(1, Ordering::SeqCst);
    }

    /// `eventWriter`: this M's writer for `gen`, with the P's status first if not yet traced,
    /// then the status of the goroutine running on this M (`curg`), if any and not yet traced.
    pub fn writer(&self) -> Writer<'a> {
        let mut w = self.writer_no_g();
        let g = &self.t.gs[self.m];
        if g.status.load(Ordering::SeqCst) == super::g::RUNNING && g.acquire_status(self.gen) {
            let m = self.t.ms[self.m].id;
            w.event(out::EV_GO_STATUS, &[g.id, m, super::g::RUNNING]);
        }
        w
    }

    /// `eventWriter` for an M whose goroutine is not (yet) running: the P's status only (running,
    /// or idle before a `ProcStart`).
    pub fn writer_no_g(&self) -> Writer<'a> {
        let ms = &self.t.ms[self.m];
        let mut w = self.plain_writer();
        if ms.p_status_gen.swap(self.gen, Ordering::SeqCst) != self.gen {
            let st = if ms.p_running.load(Ordering::SeqCst) {
                out::PROC_RUNNING
            } else {
                out::PROC_IDLE
            };
            w.event(out::EV_PROC_STATUS, &[ms.p, st]);
        }
        w
    }

    /// `tl.writer()`: this M's writer for `gen`, with no status written first.
    pub fn plain_writer(&self) -> Writer<'a> {
        let ms = &self.t.ms[self.m];
        Writer {
            t: self.t,
            gen: self.gen,
            m_id: ms.id,
            slot: Some(self.m),
            buf: ms.take(self.gen),
        }
    }
}

/// A `traceWriter`: a buffer being written for `gen`, owned by an M or by nobody (`NO_M`:
/// stack, string, CPU and frequency batches).
pub struct Writer<'a> {
    t: &'a Trace,
    pub gen: u64,
    m_id: u64,
    slot: Option<usize>,
    buf: Option<Box<TraceBuf>>,
}

impl<'a> Writer<'a> {
    /// `unsafeTraceWriter(gen, buf)`: a writer with no M.
    pub fn unowned(t: &'a Trace, gen: u64, buf: Option<Box<TraceBuf>>) -> Self {
        Self::batch_of(t, gen, out::NO_M).with_buf(buf)
    }

    /// A fresh batch tagged with M `m_id` but not in that M's buffer slot (see
    /// [`Trace::trace_untraced_gs`]).
    pub fn batch_of(t: &'a Trace, gen: u64, m_id: u64) -> Self {
        Self {
            t,
            gen,
            m_id,
            slot: None,
            buf: None,
        }
    }

    fn with_buf(mut self, buf: Option<Box<TraceBuf>>) -> Self {
        self.buf = buf;
        self
    }

    /// `ensure`: room for `n` bytes, refilling if needed; whether a new batch was started.
    pub fn ensure(&mut self, n: usize) -> bool {
        if self.buf.as_ref().is_some_and(|b| b.available(n)) {
            return false;
        }
        let b = self.t.refill(self.gen, self.m_id, self.buf.take());
        assert!(
            b.available(n),
            "harness: a {n}-byte record does not fit a fresh buffer"
        );
        self.buf = Some(b);
        true
    }

    /// `event`: type byte, timestamp delta, arguments.
    pub fn event(&mut self, typ: u8, args: &[u64]) {
        self.ensure(out::EVENT_BYTES_MAX);
        let ts = self.t.tick();
        let b = self.buf.as_mut().expect("ensured");
        let dt = ts - b.last_ts;
        b.last_ts = ts;
        out::event(&mut b.bytes, typ, dt, args);
    }

    /// Appends raw record bytes after an `ensure`.
    pub fn raw(&mut self, f: impl FnOnce(&mut Vec<u8>)) {
        f(&mut self.buf.as_mut().expect("ensure first").bytes);
    }

    /// `end`: the buffer goes back to its M.
    pub fn end(self) {
        let slot = self.slot.expect("end is for M writers");
        self.t.ms[slot].put(self.gen, self.buf);
    }

    /// The buffer, for writers that keep it elsewhere (string and CPU buffers).
    pub fn into_buf(self) -> Option<Box<TraceBuf>> {
        self.buf
    }

    /// `flush`: queues the buffer (if any) under `trace.lock`.
    pub fn flush(self) {
        if let Some(b) = self.buf {
            self.t.flush(b, self.gen);
        }
    }
}

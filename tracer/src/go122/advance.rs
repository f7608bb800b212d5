//! `traceAdvance(stopTrace)`, after go1.22 `runtime/trace2.go:276-638` (§B.3): frequency batch,
//! generation switch (under `trace.lock` with `shutdown` when stopping), the quiescence loop
//! re-examining Ms with odd seqlocks, then in this order `traceCPUFlush(gen)`,
//! `stackTab[gen%2].dump(gen)`, `stringTab[gen%2].reset(gen)` and publishing `flushedGen`;
//! then wait for the reader on `doneSema[gen%2]`, the final checks, and the hand-off of
//! `traceAdvanceSema`. Steps 3 and 9: the goroutines whose status nobody traced in the
//! generation get a `GoStatus` there (see [`super::g`]). Step 4: unless stopping,
//! `traceRegisterLabelsAndReasons(gen+1)` before the switch (the block reasons the model uses,
//! see [`super::strings`]). Step 11: unless stopping, `forEachP` writes a `ProcStatus` for
//! every P not yet traced in the new generation (see [`super::foreachp`]: idle Ps and the Ps
//! of parked Ms by the caller, running Ps at their next safe point). Not modelled: `worldsema`
//! and the `ProcsChange`/`GCActive` events of step 6 (no stop-the-world, no GC), `suspendG` in
//! step 3 (see [`super::g`]).

use super::ghost::Actor;
use super::locker::Writer;
use super::out;
use super::state::Trace;
use super::variant::Variant;
use sim::sync::atomic::Ordering;

/// The trace clock's frequency (ticks per second) written in every generation.
pub const FREQUENCY: u64 = 1_000_000_000;

impl Trace {
    /// `traceAdvance(stop)` run by actor `a`.
    pub fn trace_advance(&self, a: &mut Actor, stop: bool) {
        self.semacquire_advance(a.m, stop);
        let gen = self.gen.load(Ordering::SeqCst);
        if gen == 0 {
            self.advance_sema.release();
            return;
        }
        self.frequency(gen);
        let untraced = self.untraced_gs(gen);
        if !stop {
            self.register_labels_and_reasons(gen + 1);
        }
        self.switch_gen(gen, stop);
        let v = self.variant();
        if v == Variant::V2_3 {
            self.dump(a, gen);
            self.strings_reset(gen);
        }
        self.quiesce(gen);
        self.trace_untraced_gs(gen, &untraced);
        self.flush_gen(a, gen);
        if stop {
            self.shutdown_sema.acquire();
            self.stop_read_cpu(a.m);
        } else {
            self.for_each_p(a.m);
        }
        self.wait_reader(a.m, gen);
        self.final_checks(gen, stop);
        self.generations.add(1);
        if stop && v == Variant::V2_10 {
            self.stop_advancer(a.m);
            self.advance_sema.release();
        } else {
            self.advance_sema.release();
            if stop {
                self.stop_advancer(a.m);
            }
        }
        if stop {
            self.shutdown_sema.release();
        }
    }

    /// `traceFrequency(gen)`: one batch with the frequency, flushed at once.
    fn frequency(&self, gen: u64) {
        let mut w = Writer::unowned(self, gen, None);
        w.ensure(out::EVENT_BYTES_MAX);
        w.raw(|b| out::frequency(b, FREQUENCY));
        w.flush();
    }

    /// Step 6: the new generation, or 0 with `shutdown` set first, both under `trace.lock`.
    fn switch_gen(&self, gen: u64, stop: bool) {
        if stop {
            let _q = self.lock.lock();
            self.shutdown.store(true, Ordering::SeqCst);
            self.gen.store(0, Ordering::SeqCst);
        } else {
            self.gen.store(gen + 1, Ordering::SeqCst);
            self.last_nonzero_gen.store(gen + 1, Ordering::SeqCst);
        }
    }

    /// Steps 7-8: snapshot the Ms (under `sched.lock`), then until every M has been seen with
    /// an even seqlock, flush its `buf[gen%2]` under `trace.lock`; yield between passes.
    fn quiesce(&self, gen: u64) {
        let mut pending: Vec<usize> = {
            let _s = self.sched.lock();
            (0..self.ms.len()).collect()
        };
        let ignore_parity = self.variant() == Variant::V2_7;
        while !pending.is_empty() {
            pending.retain(|&m| {
                let ms = &self.ms[m];
                if !ignore_parity && ms.writing() {
                    return true;
                }
                let mut q = self.lock.lock();
                let b = ms.take(gen);
                if let Some(b) = b {
                    self.buf_flush(&mut q, b, gen);
                }
                ms.put(gen, None);
                false
            });
            if !pending.is_empty() {
                sim::thread::yield_now();
            }
        }
    }

    /// Step 10 in go1.22's order (the variants reorder it): CPU flush, dump, string reset,
    /// publish `flushedGen`.
    fn flush_gen(&self, a: &mut Actor, gen: u64) {
        let v = self.variant();
        if v == Variant::V2_8 {
            self.publish_flushed(gen);
        }
        if v != Variant::V2_5 {
            self.cpu_flush(gen);
        }
        match v {
            Variant::V2_3 => {}
            Variant::V2_4 => {
                self.strings_reset(gen);
                self.dump(a, gen);
            }
            _ => {
                self.dump(a, gen);
                self.strings_reset(gen);
            }
        }
        if v == Variant::V2_5 {
            self.cpu_flush(gen);
        }
        if v != Variant::V2_8 {
            self.publish_flushed(gen);
        }
    }

    /// `semacquire(&traceAdvanceSema)` by the goroutine of M `m`. `StopTrace`'s caller may wait
    /// there while the advancer runs `forEachP`, so its M is parked meanwhile (its P handed to
    /// forEachP's caller, see [`super::foreachp`]).
    fn semacquire_advance(&self, m: usize, stop: bool) {
        if stop {
            self.stop_m(m);
        }
        self.advance_sema.acquire();
        if stop {
            self.start_m(m);
        }
    }

    /// `StartTrace`'s status of the caller's own P (Go traces every P there, during the
    /// stop-the-world the model leaves out), so that no generation is empty (Go's reader
    /// rejects a generation without events: `frontier is empty`).
    pub fn trace_own_p(&self, m: usize) {
        if let Some(l) = self.acquire(m) {
            l.writer().end();
            l.release();
        }
    }

    fn publish_flushed(&self, gen: u64) {
        let _q = self.lock.lock();
        self.flushed_gen.store(gen, Ordering::SeqCst);
    }

    /// Step 12: `semacquire(&doneSema[gen%2])` by the goroutine of M `m`: it parks
    /// (`GoBlock`) until the reader's release readies it.
    fn wait_reader(&self, m: usize, gen: u64) {
        self.done_waiter.store(m as u64 + 1, Ordering::SeqCst);
        self.go_block(m, super::strings::REASON_SYNC);
        self.semacquire(m, &self.done_sema[(gen % 2) as usize]);
        self.go_resume(m);
        self.done_waiter.store(0, Ordering::SeqCst);
    }

    /// Step 13: the runtime's throws, and the cleanup after a stop.
    fn final_checks(&self, gen: u64, stop: bool) {
        let mut q = self.lock.lock();
        let i = (gen % 2) as usize;
        sim::invariant!(
            q.full[i].is_empty(),
            "I10",
            "trace: non-empty full trace buffer for done generation"
        );
        if stop {
            sim::invariant!(
                q.full[1 - i].is_empty(),
                "I10",
                "trace: non-empty full trace buffer for next generation"
            );
            let reading = q.reading.is_some() || self.reader.load(Ordering::SeqCst) != 0;
            sim::invariant!(!reading, "I10", "trace: reading after shutdown");
            q.empty.clear();
            q.header_written = false;
            self.shutdown.store(false, Ordering::SeqCst);
        }
    }
}

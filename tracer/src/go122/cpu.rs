//! CPU samples, after go1.22.0 `runtime/trace2cpu.go`: the SIGPROF handler
//! (`traceCPUSample`: piggy-back on or take the M's seqlock, load `gen`, spin on `signalLock`,
//! write into `profBuf[gen%2]`), `traceReadCPU(gen)` (drain `profBuf[gen%2]` into
//! `cpuBuf[gen%2]`, a new batch starting with `EvCPUSamples`, putting each sample's stack into
//! `stackTab[gen%2]`) and `traceCPUFlush(gen)` (a final read, then flush `cpuBuf[gen%2]`).
//! `profBuf` is the ring both models share ([`crate::common::profbuf`]): a full ring drops the
//! sample and counts it in an overflow record, which the drain skips, as Go's.

use super::buf::TraceBuf;
use super::ghost::{Actor, Committed};
use super::locker::Writer;
use super::out;
use super::state::Trace;
use super::variant::Variant;
use crate::common::profbuf::{ProfBuf, Record, SignalLock};
use sim::cell::Shared;
use sim::ghost::Flag;
use sim::sync::atomic::Ordering;

/// A profBuf sample: timestamp, M, P, sample id (as the goroutine), pool stack.
type Sample = [u64; 5];

/// One `profBuf` (the shared ring, [`ProfBuf`]), and a ghost flag for I12: a reader is
/// draining it.
pub struct Prof {
    pub ring: ProfBuf<Sample>,
    draining: Flag,
}

impl Prof {
    fn new(n: usize) -> Self {
        Self {
            ring: ProfBuf::new("profBuf slot", n),
            draining: Flag::new(false),
        }
    }

    /// Marks a drain of ring `i` in `gen` (I12: a second concurrent one fails, with `what`).
    #[track_caller]
    fn enter(&self, what: std::fmt::Arguments<'_>) {
        sim::invariant!(!self.draining.get(), "I12", "{what}");
        self.draining.set(true);
    }
}

/// `trace.cpuLogRead/Write[2]`, `cpuBuf[2]`, `signalLock`.
pub struct Cpu {
    pub prof: [Prof; 2],
    signal_lock: SignalLock,
    bufs: [Shared<Option<Box<TraceBuf>>>; 2],
}

impl Cpu {
    /// Two rings of `slots` records.
    pub fn new(slots: usize) -> Self {
        Self {
            prof: [Prof::new(slots), Prof::new(slots)],
            signal_lock: SignalLock::new(),
            bufs: [
                Shared::new("trace.cpuBuf[0]", None),
                Shared::new("trace.cpuBuf[1]", None),
            ],
        }
    }
}

impl Trace {
    /// `traceCPUSample` on `a`'s M (the handler interrupts that M), with pool stack `stack`.
    pub fn cpu_sample(&self, a: &mut Actor, stack: usize) {
        let ms = &self.ms[a.m];
        let take = self.variant() != Variant::V2_9 && !ms.writing();
        if take {
            ms.seqlock.fetch_add(1, Ordering::SeqCst);
        }
        let gen = self.gen.load(Ordering::SeqCst);
        if gen != 0 {
            let id = self.fresh_id();
            let rec = [self.tick(), ms.id, ms.p, id, stack as u64];
            self.cpu.signal_lock.lock();
            let ok = self.cpu.prof[(gen % 2) as usize].ring.write(rec).is_some();
            self.cpu.signal_lock.unlock();
            if ok {
                a.ghost.samples.push(Committed { id, m: ms.id, gen });
            }
        }
        if take {
            ms.seqlock.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// `traceReadCPU(gen)`: the caller holds a traceLocker for `gen` or `traceAdvanceSema`.
    pub fn read_cpu(&self, gen: u64) {
        let i = (gen % 2) as usize;
        let prof = &self.cpu.prof[i];
        prof.enter(format_args!(
            "two concurrent readers of profBuf[{i}] (gen {gen})"
        ));
        let mut w = Writer::unowned(self, gen, self.cpu.bufs[i].with_mut(Option::take));
        while let Some(rec) = prof.ring.read() {
            // An overflow record: "we only want to report full records".
            let Record::Sample([ts, m, p, id, stack]) = rec else {
                continue;
            };
            let sid = self.stack_put(gen, stack as usize);
            let mut rec = Vec::new();
            out::cpu_sample(&mut rec, ts, m, p, id, sid);
            if w.ensure(rec.len() + 1) {
                w.raw(out::cpu_samples_begin);
            }
            w.raw(|b| b.extend_from_slice(&rec));
        }
        let b = w.into_buf();
        self.cpu.bufs[i].with_mut(|slot| *slot = b);
        prof.draining.set(false);
    }

    /// `traceCPUFlush(gen)`: a final read, then `cpuBuf[gen%2]` is flushed under `trace.lock`.
    pub fn cpu_flush(&self, gen: u64) {
        self.read_cpu(gen);
        let i = (gen % 2) as usize;
        let prof = &self.cpu.prof[i];
        prof.enter(format_args!(
            "traceCPUFlush({gen}) races a reader of profBuf[{i}]"
        ));
        let b = self.cpu.bufs[i].with_mut(Option::take);
        prof.draining.set(false);
        if let Some(b) = b {
            self.flush(b, gen);
        }
    }
}

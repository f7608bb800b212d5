//! CPU samples, after go1.22.0 `runtime/trace2cpu.go`: the SIGPROF handler
//! (`traceCPUSample`: piggy-back on or take the M's seqlock, load `gen`, spin on `signalLock`,
//! write into `profBuf[gen%2]`), `traceReadCPU(gen)` (drain `profBuf[gen%2]` into
//! `cpuBuf[gen%2]`, a new batch starting with `EvCPUSamples`, putting each sample's stack into
//! `stackTab[gen%2]`) and `traceCPUFlush(gen)` (a final read, then flush `cpuBuf[gen%2]`).
//! `profBuf` is a bounded single-producer single-consumer ring of atomics; a full ring drops
//! the sample (Go counts it as lost).

use super::buf::TraceBuf;
use super::ghost::{Actor, Committed};
use super::locker::Writer;
use super::out;
use super::state::Trace;
use super::variant::Variant;
use sim::cell::Shared;
use sim::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A profBuf record: timestamp, M, P, sample id (as the goroutine), pool stack.
type Record = [u64; 5];

/// One `profBuf`.
pub struct ProfBuf {
    slots: Vec<[AtomicU64; 5]>,
    w: AtomicU64,
    r: AtomicU64,
    /// Ghost (I12): a reader is draining.
    draining: AtomicBool,
}

impl ProfBuf {
    fn new(n: usize) -> Self {
        Self {
            slots: (0..n)
                .map(|_| std::array::from_fn(|_| AtomicU64::new(0)))
                .collect(),
            w: AtomicU64::new(0),
            r: AtomicU64::new(0),
            draining: AtomicBool::new(false),
        }
    }

    /// A fresh ring (StartTrace's `newProfBuf`): what is left is dropped.
    pub fn reset(&self) {
        self.r
            .store(self.w.load(Ordering::SeqCst), Ordering::SeqCst);
    }

    /// The producer's write; false when full (the sample is lost, as Go's overflow).
    fn write(&self, rec: Record) -> bool {
        let (w, r) = (self.w.load(Ordering::SeqCst), self.r.load(Ordering::SeqCst));
        if w - r == self.slots.len() as u64 {
            return false;
        }
        let slot = &self.slots[(w % self.slots.len() as u64) as usize];
        for (s, v) in slot.iter().zip(rec) {
            s.store(v, Ordering::SeqCst);
        }
        self.w.store(w + 1, Ordering::SeqCst);
        true
    }

    /// The consumer's read of one record.
    fn read(&self) -> Option<Record> {
        let r = self.r.load(Ordering::SeqCst);
        if r == self.w.load(Ordering::SeqCst) {
            return None;
        }
        let slot = &self.slots[(r % self.slots.len() as u64) as usize];
        let rec = std::array::from_fn(|i| slot[i].load(Ordering::SeqCst));
        self.r.store(r + 1, Ordering::SeqCst);
        Some(rec)
    }
}

/// `trace.cpuLogRead/Write[2]`, `cpuBuf[2]`, `signalLock`.
pub struct Cpu {
    pub prof: [ProfBuf; 2],
    signal_lock: AtomicBool,
    bufs: [Shared<Option<Box<TraceBuf>>>; 2],
}

impl Cpu {
    /// Two rings of `slots` records.
    pub fn new(slots: usize) -> Self {
        Self {
            prof: [ProfBuf::new(slots), ProfBuf::new(slots)],
            signal_lock: AtomicBool::new(false),
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
            while self
                .cpu
                .signal_lock
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
            {
                sim::thread::spin_loop();
            }
            let ok = self.cpu.prof[(gen % 2) as usize].write(rec);
            self.cpu.signal_lock.store(false, Ordering::SeqCst);
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
        let was = prof.draining.swap(true, Ordering::SeqCst);
        sim::invariant!(
            !was,
            "I12",
            "two concurrent readers of profBuf[{i}] (gen {gen})"
        );
        let mut w = Writer::unowned(self, gen, self.cpu.bufs[i].with_mut(Option::take));
        while let Some([ts, m, p, id, stack]) = prof.read() {
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
        prof.draining.store(false, Ordering::SeqCst);
    }

    /// `traceCPUFlush(gen)`: a final read, then `cpuBuf[gen%2]` is flushed under `trace.lock`.
    pub fn cpu_flush(&self, gen: u64) {
        self.read_cpu(gen);
        let i = (gen % 2) as usize;
        let prof = &self.cpu.prof[i];
        let was = prof.draining.swap(true, Ordering::SeqCst);
        sim::invariant!(
            !was,
            "I12",
            "traceCPUFlush({gen}) races a reader of profBuf[{i}]"
        );
        let b = self.cpu.bufs[i].with_mut(Option::take);
        prof.draining.store(false, Ordering::SeqCst);
        if let Some(b) = b {
            self.flush(b, gen);
        }
    }
}

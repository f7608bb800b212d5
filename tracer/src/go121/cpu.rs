//! The CPU-profile path (go1.21 `traceCPUSample`, `traceReadCPU`, `runtime/profbuf.go`): the
//! SIGPROF handler writes samples, serialised by the `signalLock` spin flag, into a lock-free
//! single-reader single-writer ring; the reader (or `StopTrace`, under STW) drains the ring
//! into `cpuLogBuf` as `EvCPUSample` events, interning each sample's stack. With the CPU
//! profiler on, SIGPROF also lands on the M running `StopTrace` ([`Trace::sigprof_stw`]).

use super::wire::ev;
use crate::common::profbuf::{ProfBuf, Record, SignalLock};
use crate::go121::buf::TraceBufPtr;
use crate::go121::control::start_pcs;
use crate::go121::emit::Writer;
use crate::go121::ghost::{Ghost, GhostSample};
use crate::go121::stack::DEPTH_MAX;
use crate::go121::state::Trace;
use sim::cell::Shared;
use sim::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// One sample in the ring (the shared [`ProfBuf`] also carries overflow records).
#[derive(Clone, Copy, Debug, Default)]
pub struct Sample {
    pub ts: u64,
    pub pid: i32,
    pub goid: u64,
    pub pcs: [u64; DEPTH_MAX],
    pub len: usize,
}

/// `trace.cpuLogWrite`, `cpuLogRead`, `cpuLogBuf`, `signalLock`, one ring per session.
pub struct Cpu {
    pub log_write: AtomicU64,
    pub log_read: AtomicU64,
    pub signal_lock: SignalLock,
    pub profbufs: Vec<ProfBuf<Sample>>,
    /// Ghost, per session: samples counted by the overflow records the drains read.
    pub lost: Vec<AtomicU64>,
    /// Touched by the single drainer (the I12 monitor orders the drains), or under STW.
    log_buf: Shared<Option<TraceBufPtr>>,
    draining: AtomicBool,
}

impl Cpu {
    /// Rings for `sessions` sessions of `slots` samples each.
    pub fn new(sessions: usize, slots: usize) -> Self {
        Self {
            log_write: AtomicU64::new(0),
            log_read: AtomicU64::new(0),
            signal_lock: SignalLock::new(),
            profbufs: (0..sessions)
                .map(|_| ProfBuf::new("profBuf slot", slots))
                .collect(),
            lost: (0..sessions).map(|_| AtomicU64::new(0)).collect(),
            log_buf: Shared::new("trace.cpuLogBuf", None),
            draining: AtomicBool::new(false),
        }
    }

    /// `cpuLogBuf`, for the single drainer (see [`Trace::read_cpu`]) or `StopTrace` under STW.
    pub fn with_log_buf<R>(&self, f: impl FnOnce(&mut Option<TraceBufPtr>) -> R) -> R {
        self.log_buf.with_mut(f)
    }
}

impl Trace {
    /// `traceCPUSample`, from the SIGPROF handler: no lock, no allocation.
    pub fn cpu_sample(&self, ghost: &mut Ghost, pid: i32, goid: u64, pcs: &[u64]) {
        if !self.enabled() {
            return;
        }
        let mut s = Sample {
            ts: self.tick(),
            pid,
            goid,
            len: pcs.len(),
            pcs: [0; DEPTH_MAX],
        };
        s.pcs[..pcs.len()].copy_from_slice(pcs);
        self.cpu.signal_lock.lock();
        let session = self.cpu.log_write.load(Ordering::SeqCst);
        if session != 0 {
            let pos = self.cpu.profbufs[session as usize - 1].write(s);
            ghost.samples.push(GhostSample {
                session,
                real_ts: s.ts,
                pos,
            });
        }
        self.cpu.signal_lock.unlock();
    }

    /// SIGPROF on the M running `StopTrace`, between two of its steps under the stop-the-world
    /// (TestTraceCPUProfile keeps the CPU profiler on across `trace.Stop`; the profiling timer
    /// of the M that uses the CPU fires, and the handler runs to completion before the M goes
    /// on). `traceCPUSample` is all it runs: the ring takes the sample while `cpuLogWrite` is
    /// set, so whatever the drain that follows misses is a lost sample (I12's accounting).
    pub fn sigprof_stw(&self, w: &mut Writer) {
        if !self.cfg.cpu_profile {
            return;
        }
        let p = self.p_controller() as i32;
        self.cpu_sample(&mut w.ghost, p, w.goid, &start_pcs(0));
    }

    /// `traceReadCPU`: drains the ring into `cpuLogBuf`. Its two callers (the reader holding
    /// its P, `StopTrace` under STW) exclude each other; a monitor checks it (I12).
    pub fn read_cpu(&self, w: &mut Writer) {
        let _frame = sim::record::frame("traceReadCPU");
        let was = self.cpu.draining.swap(true, Ordering::SeqCst);
        sim::invariant!(
            !was,
            "I12",
            "two concurrent drainers of the CPU profile buffer: {} entered traceReadCPU while another drain was running \
             (profBuf has a single reader; the reader must drain while holding its P so that StopTrace's drain under STW excludes it)",
            sim::thread::current_name()
        );
        let session = self.cpu.log_read.load(Ordering::SeqCst);
        // Cleanup sets trace.cpuLogRead = nil: traceReadCPU would dereference it.
        assert!(
            session != 0,
            "runtime error: invalid memory address or nil pointer dereference (traceReadCPU after StopTrace's cleanup set trace.cpuLogRead = nil)"
        );
        {
            while let Some(rec) = self.cpu.profbufs[session as usize - 1].read() {
                match rec {
                    Record::Lost(n) => {
                        self.cpu.lost[session as usize - 1].fetch_add(n, Ordering::SeqCst);
                    }
                    Record::Sample(s) => self.drain_one(w, &s),
                }
            }
        }
        self.cpu.draining.store(false, Ordering::SeqCst);
    }

    fn drain_one(&self, w: &mut Writer, s: &Sample) {
        // A flush takes trace.lock, and an M holding a runtime lock is not preemptible: V1.4's
        // reader, draining without its P, holds it while it writes (and may flush).
        let _p = (!self.world.held_by_me()).then(|| self.acquire_p(w.p.expect("the reader's P")));
        self.cpu.with_log_buf(|slot| {
            if slot.is_none() {
                *slot = Some(self.flush(w.goid, None, 0));
            }
            let args = [s.ts, i64::from(s.pid) as u64, s.goid];
            self.write_event(w, slot, 0, ev::EV_CPU_SAMPLE, &args, Some(&s.pcs[..s.len]));
        });
    }
}

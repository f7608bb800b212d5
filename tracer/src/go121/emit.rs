//! Emitting events (`traceEvent`, `traceEventLocked`, `traceAcquireBuffer`): an actor writes
//! into its P's buffer while holding the P, or into the global buffer under `bufLock` when it has
//! no P; `enabled` is re-checked once the buffer is held (variant V1.11 skips the re-check).

use super::wire::{enc, ev};
use crate::common::wire::varint::BYTES_PER_NUMBER;
use crate::go121::buf::TraceBufPtr;
use crate::go121::ghost::{Ghost, GhostEvent, GhostStack};
use crate::go121::state::{POwn, Trace};
use crate::variant::Variant;

/// An actor that writes events: its goroutine, its P (or none), and its ghost log.
#[derive(Debug, Default)]
pub struct Writer {
    pub goid: u64,
    /// Goroutine slot in `Trace::gseq` (`None`: g0, the scheduler).
    pub gslot: Option<usize>,
    /// The P this actor runs on, `None` for a P-less M.
    pub p: Option<usize>,
    /// Inside `StartTrace` (`m.trace.startingTrace`): events are accepted before `enabled`.
    pub starting: bool,
    pub ghost: Ghost,
}

impl Trace {
    /// Records that P `p` holds a buffer (Go's `p.tracebuf != 0`, read by `StopTrace`'s last
    /// check). A plain store, as in Go: a [`sim::cell::Racy`] cell, neither a scheduling point
    /// nor a synchronisation (a SeqCst store here was an `xchg` on x86, a tenth of an event's
    /// cost, benches/README.md).
    fn mark_has_buf(&self, p: usize) {
        self.ps[p].has_buf.store(true);
    }

    fn recheck(&self, w: &Writer) -> bool {
        self.cfg.variant == Variant::V1_11 || self.enabled() || w.starting
    }

    /// `traceEventLocked`: room check (flush), stack id, timestamp, encode, ghost record. The
    /// encoder gets the buffer, the time delta and the stack id.
    #[allow(clippy::too_many_arguments)]
    fn write_with(
        &self,
        w: &mut Writer,
        slot: &mut Option<TraceBufPtr>,
        pid: i32,
        typ: u8,
        pcs: Option<&[u64]>,
        extra: usize,
        encode: impl FnOnce(&mut Vec<u8>, u64, Option<u64>),
    ) {
        self.ensure_room(w.goid, slot, pid, enc::EVENT_BYTES_MAX + extra);
        sim::record::trace_event(ev::name(typ));
        let stack = pcs.map(|p| GhostStack::new(self.stacks.put(p), p));
        let ts = self.tick();
        let b = slot.as_ref().expect("ensure_room leaves a buffer");
        b.with_mut(|b| {
            let d = b.delta(ts);
            encode(&mut b.bytes, d, stack.map(|s| s.id));
        });
        let session = self.session.load();
        w.ghost.events.push(GhostEvent {
            session,
            pid,
            ts,
            typ,
            stack,
        });
    }

    /// `traceEventLocked` for a regular event: `typ` with `args` and, if `pcs`, a stack.
    pub fn write_event(
        &self,
        w: &mut Writer,
        slot: &mut Option<TraceBufPtr>,
        pid: i32,
        typ: u8,
        args: &[u64],
        pcs: Option<&[u64]>,
    ) {
        self.write_with(w, slot, pid, typ, pcs, 0, |out, d, stack| {
            enc::event(out, typ, d, args, stack)
        });
    }

    /// An event on P `p`, which the caller holds (or the world is stopped by it). Returns
    /// whether it was written (tracing may have been switched off meanwhile).
    #[track_caller]
    pub fn event_on_p(
        &self,
        w: &mut Writer,
        own: &POwn<'_>,
        typ: u8,
        args: &[u64],
        pcs: Option<&[u64]>,
    ) -> bool {
        if !self.recheck(w) {
            return false;
        }
        let p = own.p();
        self.with_p_buf(own, |slot| {
            self.write_event(w, slot, p as i32, typ, args, pcs)
        });
        self.mark_has_buf(p);
        self.track(p, typ, args);
        true
    }

    /// The whole `traceEvent` for an actor with a P: the caller's racy `if trace.enabled`, the
    /// may-acquire annotation, then the event with the P held.
    #[track_caller]
    pub fn emit(&self, w: &mut Writer, typ: u8, args: &[u64], pcs: Option<&[u64]>) -> bool {
        if !self.enabled() {
            return false;
        }
        self.may_flush(w.goid);
        let p = w.p.expect("emit needs a P; P-less actors use emit_global");
        let held = self.acquire_p(p);
        self.event_on_p(w, &held.own(), typ, args, pcs)
    }

    /// `traceEvent` on an M without a P: the global buffer under `bufLock` (pid −1).
    #[track_caller]
    pub fn emit_global(&self, w: &mut Writer, typ: u8, args: &[u64]) -> bool {
        if !self.enabled() {
            return false;
        }
        self.may_flush(w.goid);
        let mut g = self.buf_lock.lock();
        if !self.recheck(w) {
            return false;
        }
        self.write_event(w, &mut g, -1, typ, args, None);
        self.global_has_buf.store(true);
        true
    }

    /// `trace.Log` on P `p` (held): interns the key (`traceString`), then the event with its
    /// inline message.
    pub fn user_log_on_p(
        &self,
        w: &mut Writer,
        own: &POwn<'_>,
        key: &str,
        msg: &[u8],
        pcs: &[u64],
    ) -> bool {
        if !self.recheck(w) {
            return false;
        }
        let p = own.p();
        self.with_p_buf(own, |slot| {
            let key_id = self.strings.intern(self, w.goid, slot, p as i32, key);
            let extra = BYTES_PER_NUMBER + msg.len();
            self.write_with(
                w,
                slot,
                p as i32,
                ev::EV_USER_LOG,
                Some(pcs),
                extra,
                |out, d, stack| {
                    enc::user_log(out, d, 0, key_id, stack.expect("a log has a stack"), msg)
                },
            );
        });
        self.mark_has_buf(p);
        true
    }

    /// The first events of a P in a session: `ProcStart` when its M acquires it, and `GoStart`
    /// when it runs its goroutine (`acquirep`, `execute`). Caller holds P `p`.
    pub fn start_on_p(&self, w: &mut Writer, own: &POwn<'_>) {
        let p = own.p();
        let session = self.session.load();
        if !self.enabled() || self.ps[p].session_seen.with(|v| *v) == session {
            return;
        }
        self.ps[p].session_seen.with_mut(|v| *v = session);
        self.event_on_p(w, own, ev::EV_PROC_START, &[p as u64], None);
        if let Some(g) = w.gslot {
            let seq = self.next_seq(g);
            self.event_on_p(w, own, ev::EV_GO_START, &[w.goid, seq], None);
        }
    }
}

//! The string table (`traceString`, go1.21 `runtime/trace.go`): look up or insert under
//! `trace.stringsLock`, release it, then write an `EvString` into the caller's buffer when the
//! string is new (the caller's buffer may flush). `StartTrace` (under STW) and `StopTrace`'s
//! cleanup (under `trace.lock`, once the reader is done) reset it without `stringsLock`, as Go
//! does: nobody can intern then.

use crate::buf::TraceBuf;
use crate::locks;
use crate::state::Trace;
use crate::wire::enc;
use sim::sync::cell::UnsafeCell;
use sim::sync::Mutex;
use std::collections::BTreeMap;

/// `trace.strings` and `trace.stringSeq`, behind `trace.stringsLock`.
pub struct Strings {
    lock: Mutex<()>,
    table: UnsafeCell<(BTreeMap<String, u64>, u64)>,
}

impl Default for Strings {
    fn default() -> Self {
        Self::new()
    }
}

impl Strings {
    /// An empty table.
    pub fn new() -> Self {
        Self {
            lock: Mutex::ranked(&locks::TRACE_STRINGS, ()),
            table: UnsafeCell::new((BTreeMap::new(), 0)),
        }
    }

    fn lookup(&self, t: &Trace, s: &str) -> (u64, bool) {
        let _g = self.lock.lock();
        // SAFETY: stringsLock is held.
        let (map, seq) = unsafe { &mut *self.table.get() };
        match map.get(s) {
            Some(&id) => (id, false),
            None => {
                *seq += 1;
                t.mallocgc(false); // trace.strings[s] = id may grow the map
                map.insert(s.to_string(), *seq);
                (*seq, true)
            }
        }
    }

    /// `traceString`: the id of `s`, writing its definition into `slot` the first time.
    pub fn intern(
        &self,
        t: &Trace,
        goid: u64,
        slot: &mut Option<Box<TraceBuf>>,
        pid: i32,
        s: &str,
    ) -> u64 {
        if s.is_empty() {
            return 0;
        }
        let (id, new) = self.lookup(t, s);
        if new {
            t.ensure_room(goid, slot, pid, enc::string_bytes_max(s.len()));
            enc::string(
                &mut slot.as_mut().expect("room ensured").bytes,
                id,
                s.as_bytes(),
            );
        }
        id
    }

    /// Forgets every string (`trace.strings = nil`); ids restart at 1. The caller stopped the
    /// world or holds `trace.lock` after the reader finished: no interning can run.
    pub fn reset_quiesced(&self, t: &Trace) {
        sim::invariant!(
            t.world.stopped_by_me() || (t.lock.mutex().held_by_me() && !t.enabled()),
            "I13",
            "the string table is reset while writers may intern"
        );
        // SAFETY: quiesced, as checked above.
        unsafe { *self.table.get() = (BTreeMap::new(), 0) };
    }
}

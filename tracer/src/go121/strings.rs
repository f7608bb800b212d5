//! The string table (`traceString`, go1.21 `runtime/trace.go`): look up or insert under
//! `trace.stringsLock`, release it, then write an `EvString` into the caller's buffer when the
//! string is new (the caller's buffer may flush). `StartTrace` resets the table under STW without
//! `stringsLock` (a `Locked::or_stw` cell); `StopTrace`'s cleanup sets `trace.strings = nil`
//! holding `trace.lock`, not `stringsLock`, once the reader is done: that store is a `Shared`
//! cell, so the race detector proves every interning happened before it (a `traceString` after
//! the cleanup fails as Go's does, writing to a nil map).

use super::wire::enc;
use crate::go121::buf::TraceBufPtr;
use crate::go121::locks;
use crate::go121::state::Trace;
use sim::cell::{Locked, Shared};
use sim::sync::Mutex;
use std::collections::BTreeMap;

/// `trace.strings` and `trace.stringSeq`, behind `trace.stringsLock`.
pub struct Strings {
    lock: Mutex<()>,
    table: Locked<(BTreeMap<String, u64>, u64)>,
    /// `trace.strings == nil` (set by StopTrace's cleanup, cleared by StartTrace).
    nil: Shared<bool>,
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
            table: Locked::or_stw("trace.strings", (BTreeMap::new(), 0)),
            nil: Shared::new("trace.strings == nil", false),
        }
    }

    fn lookup(&self, t: &Trace, s: &str) -> (u64, bool) {
        let _g = self.lock.lock();
        let nil = self.nil.with(|n| *n);
        self.table
            .with_mut(&self.lock, |(map, seq)| match map.get(s) {
                Some(&id) => (id, false),
                None => {
                    assert!(
                        !nil,
                        "assignment to entry in nil map (traceString after StopTrace's cleanup)"
                    );
                    *seq += 1;
                    t.mallocgc(false); // trace.strings[s] = id may grow the map
                    map.insert(s.to_string(), *seq);
                    (*seq, true)
                }
            })
    }

    /// `traceString`: the id of `s`, writing its definition into `slot` the first time.
    pub fn intern(
        &self,
        t: &Trace,
        goid: u64,
        slot: &mut Option<TraceBufPtr>,
        pid: i32,
        s: &str,
    ) -> u64 {
        if s.is_empty() {
            return 0;
        }
        let (id, new) = self.lookup(t, s);
        if new {
            t.ensure_room(goid, slot, pid, enc::string_bytes_max(s.len()));
            let b = slot.as_ref().expect("room ensured");
            b.with_mut(|b| enc::string(&mut b.bytes, id, s.as_bytes()));
        }
        id
    }

    /// `StartTrace`, under STW: `trace.stringSeq = 0; trace.strings = make(...)`.
    pub fn reset_stw(&self, t: &Trace) {
        self.table
            .with_mut_stw(&t.world, |table| *table = (BTreeMap::new(), 0));
        self.nil.with_mut(|n| *n = false);
    }

    /// `StopTrace`'s cleanup, holding `trace.lock` after the reader finished:
    /// `trace.strings = nil` (the next `StartTrace` makes a new map).
    pub fn drop_after_stop(&self, t: &Trace) {
        sim::invariant!(
            t.lock.mutex().held_by_me() && !t.enabled(),
            "I13",
            "the string table is dropped while writers may intern"
        );
        self.nil.with_mut(|n| *n = true);
    }
}

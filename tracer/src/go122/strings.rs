//! The string table, after go1.22 `runtime/trace2string.go`: `put` interns through the
//! `traceMap` and writes new strings into the table's own buffer under `t.lock`
//! (`writeString`, whose `ensure` may take `trace.lock` in `refill`); `reset` flushes that
//! buffer under `trace.lock` and resets the map under its lock. Both locks rank `traceStrings`.

use super::buf::TraceBuf;
use super::locker::Writer;
use super::locks;
use super::out;
use super::state::Trace;
use super::tab::TraceMap;
use sim::sync::Mutex;

/// One `traceStringTable`.
pub struct StringTab {
    pub map: TraceMap,
    /// `t.lock` and `t.buf`.
    pub buf: Mutex<Option<Box<TraceBuf>>>,
}

impl StringTab {
    /// A table of `slots` strings.
    pub fn new(slots: usize) -> Self {
        Self {
            map: TraceMap::new(&locks::TRACE_STRINGS, slots),
            buf: Mutex::ranked(&locks::TRACE_STRINGS, None),
        }
    }
}

/// The key of the file name every frame shares.
pub const FILE_KEY: u64 = 1;

/// The keys of the block reasons (`traceBlockReasonStrings`) the model's goroutines park with:
/// a semaphore (`doneSema`), a channel receive (a `wakeableSleep`), `ReadTrace`'s park.
pub const REASON_SYNC: u64 = u64::MAX - 1;
pub const REASON_CHAN_RECV: u64 = u64::MAX - 2;
pub const REASON_SYSTEM: u64 = u64::MAX - 3;

/// The block reasons `traceRegisterLabelsAndReasons` registers, in the order of their slots in
/// `trace.goBlockReasons[gen%2]`: the ones the model's events use. Go registers all fifteen
/// `traceBlockReasonStrings`, the three `traceGoStopReasonStrings` and the four mark worker
/// labels; the other nineteen are never referenced by an event the model writes, and each
/// would only repeat the same `put` (same locks, same table) at about ten scheduling steps.
pub const BLOCK_REASONS: [u64; 3] = [REASON_SYNC, REASON_CHAN_RECV, REASON_SYSTEM];

/// The text of string `key`: the file, a block reason, or a function named after its PC.
pub fn string_of(key: u64) -> String {
    match key {
        FILE_KEY => "/src/tracesim/model.go".to_string(),
        REASON_SYNC => "sync".to_string(),
        REASON_CHAN_RECV => "chan receive".to_string(),
        REASON_SYSTEM => "system goroutine wait".to_string(),
        _ => format!("main.fn_{key:x}"),
    }
}

impl Trace {
    /// `stringTab[gen%2].put`: the id of `key`'s string in `gen`.
    pub fn string_put(&self, gen: u64, key: u64) -> u64 {
        let tab = &self.strings[(gen % 2) as usize];
        let (id, added) = tab.map.put(key, "stringTab");
        if added {
            self.write_string(tab, gen, id, string_of(key).as_bytes());
        }
        id
    }

    /// `traceRegisterLabelsAndReasons(gen)`: intern the block reasons in `stringTab[gen%2]`
    /// and keep their ids in `trace.goBlockReasons[gen%2]`, for `GoBlock` in `gen` to use.
    /// `StartTrace` runs it for the first generation and `traceAdvance` step 4 for the next,
    /// both before the generation is published (`trace.gen` orders the slot for its readers).
    pub fn register_labels_and_reasons(&self, gen: u64) {
        let ids = BLOCK_REASONS.map(|key| self.string_put(gen, key));
        self.block_reasons[(gen % 2) as usize].with_mut(|slot| *slot = ids);
    }

    /// `trace.goBlockReasons[gen%2][reason]`: the string id of block reason `key` in `gen`.
    pub fn block_reason(&self, gen: u64, key: u64) -> u64 {
        let i = BLOCK_REASONS
            .iter()
            .position(|&k| k == key)
            .expect("a registered block reason");
        self.block_reasons[(gen % 2) as usize].with(|slot| slot[i])
    }

    /// `writeString`: under `t.lock`, into `t.buf` (a new batch starts with `EvStrings`).
    fn write_string(&self, tab: &StringTab, gen: u64, id: u64, s: &[u8]) {
        let mut rec = Vec::new();
        out::string(&mut rec, id, s);
        let mut held = tab.buf.lock();
        let mut w = Writer::unowned(self, gen, held.take());
        if w.ensure(rec.len() + 1) {
            w.raw(out::strings_begin);
        }
        w.raw(|b| b.extend_from_slice(&rec));
        *held = w.into_buf();
    }

    /// `stringTab[gen%2].reset(gen)`: flush the table's buffer, then reset the map.
    pub fn strings_reset(&self, gen: u64) {
        let tab = &self.strings[(gen % 2) as usize];
        let b = tab.buf.lock().take();
        if let Some(b) = b {
            self.flush(b, gen);
        }
        let held = tab.map.lock.lock();
        tab.map.reset(&held);
    }
}

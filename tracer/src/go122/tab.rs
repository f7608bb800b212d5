//! `traceMap`, after go1.22 `runtime/trace2map.go`: lock-free `find`, insert under the table
//! lock after a re-`find` (`seq.Add(1)`, the node written before it is published), `stealID`,
//! and `reset` (asserting the lock is held). Keys are small integers naming a stack of the
//! pool or a string. The published length is the atomic Go's bucket heads are; the nodes
//! behind it are race-checked cells, written under the lock before the length publishes them
//! and immutable after ("Synchronization not necessary. Once published to the table, these
//! values are immutable."), so `find`'s one scheduling point is the length's load, and a node
//! rewritten while a walk reads it (a reset before quiescence) is a `data_race`.

use sim::cell::Shared;
use sim::sync::atomic::{AtomicU64, Ordering};
use sim::sync::{Mutex, MutexGuard};
use sim::LockClass;

/// One interning table.
pub struct TraceMap {
    pub lock: Mutex<()>,
    seq: AtomicU64,
    /// `(key, id)` of each node.
    nodes: Vec<Shared<(u64, u64)>>,
    len: AtomicU64,
    /// Ghost (I13): the table is being dumped; an insert now is a put after quiescence.
    pub dumping: sim::ghost::Flag,
}

impl TraceMap {
    /// A table whose lock has class `class`, holding up to `slots` nodes.
    pub fn new(class: &'static LockClass, slots: usize) -> Self {
        Self {
            lock: Mutex::ranked(class, ()),
            seq: AtomicU64::new(0),
            nodes: (0..slots)
                .map(|_| Shared::new("traceMapNode", (0, 0)))
                .collect(),
            len: AtomicU64::new(0),
            dumping: sim::ghost::Flag::new(false),
        }
    }

    /// `find`: the lock-free walk over published nodes.
    pub fn find(&self, key: u64) -> Option<u64> {
        let n = self.len.load(Ordering::SeqCst) as usize;
        self.nodes[..n]
            .iter()
            .map(|c| c.with(|&node| node))
            .find(|&(k, _)| k == key)
            .map(|(_, id)| id)
    }

    /// `put`: `(id, added)`.
    #[track_caller]
    pub fn put(&self, key: u64, what: &str) -> (u64, bool) {
        if let Some(id) = self.find(key) {
            return (id, false);
        }
        let _g = self.lock.lock();
        if let Some(id) = self.find(key) {
            return (id, false);
        }
        sim::invariant!(
            !self.dumping.get(),
            "I13",
            "{} inserts into {what} while it is being dumped: a writer is still live after quiescence",
            sim::thread::current_name()
        );
        let id = self.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let n = self.len.load(Ordering::SeqCst) as usize;
        assert!(n < self.nodes.len(), "harness: {what} is full ({n} nodes)");
        self.nodes[n].with_mut(|node| *node = (key, id));
        self.len.store(n as u64 + 1, Ordering::SeqCst);
        (id, true)
    }

    /// `stealID`: a fresh id without a node.
    pub fn steal_id(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// The published nodes as `(key, id)`, walked without the lock.
    pub fn nodes(&self) -> Vec<(u64, u64)> {
        let n = self.len.load(Ordering::SeqCst) as usize;
        self.nodes[..n]
            .iter()
            .map(|c| c.with(|&node| node))
            .collect()
    }

    /// `reset`: drops every node; the caller holds the lock (`assertLockHeld`).
    #[track_caller]
    pub fn reset(&self, held: &MutexGuard<'_, ()>) {
        let _ = held;
        assert!(self.lock.held_by_me(), "not holding required lock!");
        self.len.store(0, Ordering::SeqCst);
        self.seq.store(0, Ordering::SeqCst);
    }
}

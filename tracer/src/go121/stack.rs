//! The stack table (`traceStackTable`, go1.21 `runtime/trace.go`): a lock-free `find` over
//! hash buckets, a locked insert that publishes the node with an atomic store, and `dump`, which
//! walks the table **without** the lock in go1.21 because every writer has quiesced by then
//! (`enabled` is false and CPU draining has stopped), writes one `EvStack` per node (interning
//! frame strings), and resets the table. Variant V1.8 holds the lock for the walk.

use super::wire::enc;
use crate::common::wire::Frame;
use crate::go121::buf::TraceBufPtr;
use crate::go121::locks;
use crate::go121::state::Trace;
use crate::variant::Variant;
use sim::cell::Shared;
use sim::sync::atomic::{AtomicUsize, Ordering};
use sim::sync::Mutex;

/// Frames per stack in the model.
pub const DEPTH_MAX: usize = 4;
const BUCKETS: usize = 4;
const FUNCS: [&str; 4] = ["main.emit", "main.work", "runtime/trace.Start", "main.main"];

#[derive(Clone, Copy, Default)]
struct Node {
    id: u64,
    pcs: [u64; DEPTH_MAX],
    len: usize,
    next: usize,
}

/// See the module docs.
pub struct StackTab {
    lock: Mutex<()>,
    heads: Vec<AtomicUsize>,
    /// Written once under the lock before the node is published by an atomic store; read
    /// lock-free after an atomic load (the detector checks that order).
    nodes: Vec<Shared<Node>>,
    /// Nodes used and the last id: written by `put` under `tab.lock`, reset by `dump` without it
    /// once every writer quiesced (go1.21), so a `Shared` cell: the detector proves both orders
    /// (two inserts without the lock, or an insert racing the reset, are a `data_race`).
    used: Shared<(usize, u64)>,
    /// `put`s in progress (ghost, for the quiescence check I13).
    active: sim::ghost::Counter,
}

fn bucket(pcs: &[u64]) -> usize {
    (pcs.iter()
        .fold(0u64, |h, &pc| h.wrapping_mul(31).wrapping_add(pc))
        % BUCKETS as u64) as usize
}

impl StackTab {
    /// A table with room for `slots` distinct stacks.
    pub fn new(slots: usize) -> Self {
        Self {
            lock: Mutex::ranked(&locks::TRACE_STACK_TAB, ()),
            heads: (0..BUCKETS).map(|_| AtomicUsize::new(0)).collect(),
            nodes: (0..slots)
                .map(|i| Shared::new(format!("traceStackTab node {}", i + 1), Node::default()))
                .collect(),
            used: Shared::new("traceStackTab.used", (0, 0)),
            active: sim::ghost::Counter::new(0),
        }
    }

    fn node(&self, i: usize) -> Node {
        self.nodes[i - 1].with(|n| *n)
    }

    /// The lock-free `find`. Its one scheduling point is the load of the chain's head, which
    /// `insert` publishes atomically (`atomicstorep`); the nodes behind it are immutable once
    /// published (the link is set before the publish), so a switch inside the walk could not
    /// change what it reads. A write to a node while a walk reads it (a `dump` before writers
    /// quiesced, V1.9) is still a `data_race` on the node's cell, switch or not.
    fn find(&self, pcs: &[u64]) -> Option<u64> {
        let mut i = self.heads[bucket(pcs)].load(Ordering::SeqCst);
        while i != 0 {
            let n = self.node(i);
            if &n.pcs[..n.len] == pcs {
                return Some(n.id);
            }
            i = n.next;
        }
        None
    }

    /// `put`: the id of `pcs`, inserting it under `stackTab.lock` on a miss.
    pub fn put(&self, pcs: &[u64]) -> u64 {
        assert!(
            !pcs.is_empty() && pcs.len() <= DEPTH_MAX,
            "a model stack has 1..={DEPTH_MAX} frames"
        );
        self.active.add(1);
        let id = self.find(pcs).unwrap_or_else(|| self.insert(pcs));
        self.active.sub(1);
        id
    }

    fn insert(&self, pcs: &[u64]) -> u64 {
        let _g = self.lock.lock();
        if let Some(id) = self.find(pcs) {
            return id;
        }
        let used = self.used.with_mut(|used| {
            assert!(
                used.0 < self.nodes.len(),
                "the model's stack table is full ({} stacks)",
                self.nodes.len()
            );
            used.0 += 1;
            used.1 += 1;
            *used
        });
        let b = bucket(pcs);
        self.nodes[used.0 - 1].with_mut(|node| {
            *node = Node {
                id: used.1,
                pcs: [0; DEPTH_MAX],
                len: pcs.len(),
                next: self.heads[b].load(Ordering::SeqCst),
            };
            node.pcs[..pcs.len()].copy_from_slice(pcs);
        });
        self.heads[b].store(used.0, Ordering::SeqCst);
        used.1
    }

    fn quiesced(&self, t: &Trace, when: &str) {
        let active = self.active.get();
        sim::invariant!(
            !t.enabled() && active == 0,
            "I13",
            "stack table {when} while writers are live (enabled={}, puts in progress={active}); \
             dump must only run once every writer has quiesced",
            t.enabled()
        );
    }

    /// `dump`: writes every stack into `slot` (flushing as needed), then resets the table.
    pub fn dump(&self, t: &Trace, goid: u64, slot: &mut Option<TraceBufPtr>, pid: i32) {
        let _frame = sim::record::frame("traceStackTab.dump");
        let _g = (t.cfg.variant == Variant::V1_8).then(|| self.lock.lock());
        self.quiesced(t, "dump starts");
        let mut first = true;
        for head in &self.heads {
            let mut i = head.load(Ordering::SeqCst);
            while i != 0 {
                let n = self.node(i);
                self.dump_node(t, goid, slot, pid, &n, first);
                first = false;
                i = n.next;
            }
        }
        self.quiesced(t, "reset");
        for head in &self.heads {
            head.store(0, Ordering::SeqCst);
        }
        // Writers are quiesced (checked above); go1.21 resets without the lock too.
        self.used.with_mut(|u| *u = (0, 0));
    }

    fn dump_node(
        &self,
        t: &Trace,
        goid: u64,
        slot: &mut Option<TraceBufPtr>,
        pid: i32,
        n: &Node,
        first: bool,
    ) {
        // fpunwindExpand's and traceFrames' `make`s; the first refills the span cache.
        t.mallocgc(first);
        t.mallocgc(false);
        let mut frames = [Frame::default(); DEPTH_MAX];
        for (f, &pc) in frames.iter_mut().zip(&n.pcs[..n.len]) {
            let func =
                t.strings
                    .intern(t, goid, slot, pid, FUNCS[(pc as usize / 16) % FUNCS.len()]);
            let file = t.strings.intern(t, goid, slot, pid, "main.go");
            *f = Frame {
                pc,
                func_id: func,
                file_id: file,
                line: pc % 100 + 1,
            };
        }
        t.ensure_room(goid, slot, pid, enc::stack_bytes_max(n.len));
        let b = slot.as_ref().expect("room ensured");
        b.with_mut(|b| enc::stack(&mut b.bytes, n.id, &frames[..n.len]));
    }
}

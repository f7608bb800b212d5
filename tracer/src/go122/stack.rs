//! The stack table, after go1.22 `runtime/trace2stack.go`: `put` into `stackTab[gen%2]`, and
//! `dump(gen)`: walk the table **lock-free** (5249947), expand each stack into frames
//! (`makeTraceFrames`, which allocates through `mallocgc` and interns function and file names
//! into `stringTab[gen%2]`), write `EvStack` records through a writer with no M (a fresh batch
//! starts with `EvStacks`), take the table lock only around `reset`, and flush. Under V2.1 the
//! lock is held for the whole walk, as before 5249947.

use super::ghost::Actor;
use super::locks;
use super::out::{self, Frame, EV_HEAP_ALLOC};
use super::state::Trace;
use super::strings::FILE_KEY;
use super::tab::TraceMap;

impl Trace {
    /// `stackTab[gen%2]` (one table for all generations under V2.2).
    pub fn stack_tab(&self, gen: u64) -> &TraceMap {
        if self.variant().single_stack_table() {
            &self.stacks[0]
        } else {
            &self.stacks[(gen % 2) as usize]
        }
    }

    /// `traceStack` + `put`: the id of pool stack `k` in `gen`.
    pub fn stack_put(&self, gen: u64, k: usize) -> u64 {
        self.stack_tab(gen).put(k as u64 + 1, "stackTab").0
    }

    /// `stackTab[gen%2].dump(gen)`, run by actor `a` (the advancer or StopTrace's caller).
    pub fn dump(&self, a: &mut Actor, gen: u64) {
        let tab = self.stack_tab(gen);
        // Before 5249947 the walk held the table lock. The table is quiescent (I13 checks that
        // no insert reaches it during the dump), which the quiescence-aware rank mode is told.
        let walk_lock = self
            .variant()
            .locked_walk()
            .then(|| tab.lock.lock_quiescent());
        tab.dumping.set(true);
        let mut w = super::locker::Writer::unowned(self, gen, None);
        for (key, id) in tab.nodes() {
            let frames = self.make_frames(a, gen, key);
            let mut rec = Vec::new();
            out::stack(&mut rec, id, &frames);
            if w.ensure(rec.len() + 1) {
                w.raw(out::stacks_begin);
            }
            w.raw(|b| b.extend_from_slice(&rec));
        }
        tab.dumping.set(false);
        let held = walk_lock.unwrap_or_else(|| tab.lock.lock());
        tab.reset(&held);
        drop(held);
        w.flush();
    }

    /// The PCs of stack `key` (pool stack `key - 1`, then the allocator's stacks).
    fn stack_pcs(&self, key: u64) -> &[u64] {
        let k = (key - 1) as usize;
        let pool = self.cfg.stacks.len();
        if k < pool {
            &self.cfg.stacks[k]
        } else {
            &self.cfg.alloc_stacks[k - pool]
        }
    }

    /// `makeTraceFrames`: allocates, then interns each frame's function and file.
    fn make_frames(&self, a: &mut Actor, gen: u64, key: u64) -> Vec<Frame> {
        self.mallocgc(a);
        let pcs = self.stack_pcs(key);
        pcs.iter()
            .map(|&pc| Frame {
                pc,
                func_id: self.string_put(gen, pc),
                file_id: self.string_put(gen, FILE_KEY),
                line: pc & 0xff,
            })
            .collect()
    }

    /// `mallocgc`: the finalizer-queue may-acquire (`lockRankMayQueueFinalizer`, `fin` 31) on
    /// every allocation; every other allocation takes the slow path through `mheap`; every
    /// third reports the heap size (`traceHeapAlloc`), an event in the current generation.
    pub fn mallocgc(&self, a: &mut Actor) {
        sim::sync::may_acquire(&locks::FIN);
        let n = self.mallocs.add(1);
        if n.is_multiple_of(2) {
            let _h = self.mheap.lock();
        }
        if n.is_multiple_of(3) {
            self.heap_alloc_event(a);
        }
    }

    /// A `HeapAlloc` event on `a`'s M whose value is a fresh ghost id.
    pub fn heap_alloc_event(&self, a: &mut Actor) {
        if let Some(l) = self.acquire(a.m) {
            let id = self.fresh_id();
            let mut w = l.writer();
            w.event(EV_HEAP_ALLOC, &[id]);
            w.end();
            a.ghost.events.push(super::ghost::Committed {
                id,
                m: self.ms[a.m].id,
                gen: l.gen,
            });
            l.release();
        }
    }
}

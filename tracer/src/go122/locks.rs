//! The lock classes of the go1.22 tracer model, with go1.22's ranks (`runtime/lockrank.go`;
//! `fin` 31 as the go1.22.12 build reports it, see the design notes §H). Partial order (subset of
//! `mklockrank.go`): `wakeableSleep < sched < trace`; `traceStrings < MALLOC < fin`;
//! `fin, mheap, sched, traceStrings < TRACE < trace < traceStackTab`.

use sim::LockClass;

/// `wakeableSleep.lock` (the advancer's and CPU reader's sleeps).
pub static WAKEABLE_SLEEP: LockClass = LockClass::new("wakeableSleep", 14);
/// `sched.lock` (the snapshot of `allm` in `traceAdvance`).
pub static SCHED: LockClass = LockClass::new("sched", 17);
/// `stringTab[i].lock` and `stringTab[i].tab.lock` (never nested).
pub static TRACE_STRINGS: LockClass = LockClass::new("traceStrings", 30);
/// `finlock`: `mallocgc`'s may-acquire (`lockRankMayQueueFinalizer`).
pub static FIN: LockClass = LockClass::new("fin", 31);
/// `mheap_.lock`, standing for every allocation lock.
pub static MHEAP: LockClass = LockClass::new("mheap", 44);
/// `trace.lock`.
pub static TRACE: LockClass = LockClass::new("trace", 47);
/// `stackTab[i].tab.lock`.
pub static TRACE_STACK_TAB: LockClass = LockClass::new("traceStackTab", 48);

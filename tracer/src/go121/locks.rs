//! The lock classes of the go1.21 tracer, with go1.21.0's ranks (`runtime/lockrank.go` at
//! go1.21.0; the go1.21.13 source installed here numbers them `sched` 16, `traceBuf` 28,
//! `traceStrings` 29, `fin` 30, `mheap` 43, `trace` 46, `traceStackTab` 47: six ranks were added
//! below `sched` and the two `rwmutex` ranks removed, see STRESS.md). Partial order:
//! `sysmon < traceBuf < traceStrings < fin < mheap < trace < traceStackTab`.

use sim::LockClass;

/// `sched.sysmonlock`.
pub static SYSMON: LockClass = LockClass::new("sysmon", 1);
/// `sched.lock`.
pub static SCHED: LockClass = LockClass::new("sched", 10);
/// `trace.bufLock`: the global buffer of P-less emitters.
pub static TRACE_BUF: LockClass = LockClass::new("traceBuf", 24);
/// `trace.stringsLock`.
pub static TRACE_STRINGS: LockClass = LockClass::new("traceStrings", 25);
/// `finlock`: `mallocgc` may queue a finalizer (`lockRankMayQueueFinalizer`, a may-acquire on
/// every allocation).
pub static FIN: LockClass = LockClass::new("fin", 26);
/// `mheap_.lock`, taken when an allocation refills its span from the heap.
pub static MHEAP: LockClass = LockClass::new("mheap", 39);
/// `trace.lock`.
pub static TRACE: LockClass = LockClass::new("trace", 42);
/// `trace.stackTab.lock`.
pub static TRACE_STACK_TAB: LockClass = LockClass::new("traceStackTab", 43);

//! Event types of the go1.21 trace format and their descriptors.
//!
//! Mirrors the `traceEv*` constants of go1.21 `runtime/trace.go` and the `EventDescriptions`
//! table of go1.21 `internal/trace/parser.go`, restricted to what trace version 1021 uses.

/// Unused event type 0 (`EvNone`).
pub const EV_NONE: u8 = 0;
/// Start of a per-P batch: `[pid, timestamp]`.
pub const EV_BATCH: u8 = 1;
/// Trace clock frequency: `[ticks per second]`.
pub const EV_FREQUENCY: u8 = 2;
/// Stack record: `[id, n, n × {pc, func string id, file string id, line}]`.
pub const EV_STACK: u8 = 3;
/// GOMAXPROCS value: `[ts, procs, stack]`.
pub const EV_GOMAXPROCS: u8 = 4;
/// P starts: `[ts, thread id]`.
pub const EV_PROC_START: u8 = 5;
/// P stops: `[ts]`.
pub const EV_PROC_STOP: u8 = 6;
/// GC starts: `[ts, seq, stack]`.
pub const EV_GC_START: u8 = 7;
/// GC done: `[ts]`.
pub const EV_GC_DONE: u8 = 8;
/// Stop-the-world starts: `[ts, kind]`.
pub const EV_STW_START: u8 = 9;
/// Stop-the-world done: `[ts]`.
pub const EV_STW_DONE: u8 = 10;
/// Sweep starts: `[ts, stack]`.
pub const EV_GC_SWEEP_START: u8 = 11;
/// Sweep done: `[ts, swept, reclaimed]`.
pub const EV_GC_SWEEP_DONE: u8 = 12;
/// Goroutine created: `[ts, new g, new stack id, stack]`.
pub const EV_GO_CREATE: u8 = 13;
/// Goroutine starts running: `[ts, g, seq]`.
pub const EV_GO_START: u8 = 14;
/// Goroutine ends: `[ts]`.
pub const EV_GO_END: u8 = 15;
/// Goroutine stops for good (`select{}`): `[ts, stack]`.
pub const EV_GO_STOP: u8 = 16;
/// Goroutine calls Gosched: `[ts, stack]`.
pub const EV_GO_SCHED: u8 = 17;
/// Goroutine preempted: `[ts, stack]`.
pub const EV_GO_PREEMPT: u8 = 18;
/// Goroutine sleeps: `[ts, stack]`.
pub const EV_GO_SLEEP: u8 = 19;
/// Goroutine blocks: `[ts, stack]`.
pub const EV_GO_BLOCK: u8 = 20;
/// Goroutine unblocked: `[ts, g, seq, stack]`.
pub const EV_GO_UNBLOCK: u8 = 21;
/// Blocks on channel send: `[ts, stack]`.
pub const EV_GO_BLOCK_SEND: u8 = 22;
/// Blocks on channel receive: `[ts, stack]`.
pub const EV_GO_BLOCK_RECV: u8 = 23;
/// Blocks on select: `[ts, stack]`.
pub const EV_GO_BLOCK_SELECT: u8 = 24;
/// Blocks on a mutex: `[ts, stack]`.
pub const EV_GO_BLOCK_SYNC: u8 = 25;
/// Blocks on a condition variable: `[ts, stack]`.
pub const EV_GO_BLOCK_COND: u8 = 26;
/// Blocks on the network: `[ts, stack]`.
pub const EV_GO_BLOCK_NET: u8 = 27;
/// Syscall entry: `[ts, stack]`.
pub const EV_GO_SYS_CALL: u8 = 28;
/// Syscall exit: `[ts, g, seq, real ts]`.
pub const EV_GO_SYS_EXIT: u8 = 29;
/// Syscall blocks: `[ts]`.
pub const EV_GO_SYS_BLOCK: u8 = 30;
/// Goroutine was blocked when tracing started: `[ts, g]`.
pub const EV_GO_WAITING: u8 = 31;
/// Goroutine was in a syscall when tracing started: `[ts, g]`.
pub const EV_GO_IN_SYSCALL: u8 = 32;
/// Live heap changed: `[ts, bytes]`.
pub const EV_HEAP_ALLOC: u8 = 33;
/// Heap goal changed: `[ts, bytes]`.
pub const EV_HEAP_GOAL: u8 = 34;
/// Timer goroutine id: `[g]`.
pub const EV_TIMER_GOROUTINE: u8 = 35;
/// Previous wakeup was futile: `[ts]`.
pub const EV_FUTILE_WAKEUP: u8 = 36;
/// String table entry: `id, len, bytes` (no argument-count bits).
pub const EV_STRING: u8 = 37;
/// Goroutine starts on the P of its last event: `[ts, g]`.
pub const EV_GO_START_LOCAL: u8 = 38;
/// Goroutine unblocked on the same P: `[ts, g, stack]`.
pub const EV_GO_UNBLOCK_LOCAL: u8 = 39;
/// Syscall exit on the same P: `[ts, g, real ts]`.
pub const EV_GO_SYS_EXIT_LOCAL: u8 = 40;
/// Goroutine starts with a label: `[ts, g, seq, label string id]`.
pub const EV_GO_START_LABEL: u8 = 41;
/// Blocks on GC assist: `[ts, stack]`.
pub const EV_GO_BLOCK_GC: u8 = 42;
/// Mark assist starts: `[ts, stack]`.
pub const EV_GC_MARK_ASSIST_START: u8 = 43;
/// Mark assist done: `[ts]`.
pub const EV_GC_MARK_ASSIST_DONE: u8 = 44;
/// `trace.NewTask`: `[ts, task id, parent id, name string id, stack]`.
pub const EV_USER_TASK_CREATE: u8 = 45;
/// Task ends: `[ts, task id, stack]`.
pub const EV_USER_TASK_END: u8 = 46;
/// `trace.WithRegion`: `[ts, task id, mode, name string id, stack]`.
pub const EV_USER_REGION: u8 = 47;
/// `trace.Log`: `[ts, task id, key string id, stack]` then an inline value string.
pub const EV_USER_LOG: u8 = 48;
/// CPU profile sample: `[ts, real ts, P id (-1 if none), g, stack]`.
pub const EV_CPU_SAMPLE: u8 = 49;
/// Number of event types.
pub const EV_COUNT: u8 = 50;

/// What Go's `EventDescriptions` says about one event type (version 1021 shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Desc {
    /// Name as Go prints it, e.g. `"GoCreate"`.
    pub name: &'static str,
    /// Whether the last wire value is a stack id.
    pub stack: bool,
    /// Argument names after the timestamp (and before the stack), as Go prints them.
    pub args: &'static [&'static str],
    /// Names of the string arguments the parser derives (`SArgs`).
    pub sargs: &'static [&'static str],
    /// Indices into `args` that are string-table ids.
    pub str_args: &'static [usize],
}

const fn d(name: &'static str, stack: bool, args: &'static [&'static str]) -> Desc {
    Desc {
        name,
        stack,
        args,
        sargs: &[],
        str_args: &[],
    }
}

const fn ds(
    name: &'static str,
    args: &'static [&'static str],
    sargs: &'static [&'static str],
    str_args: &'static [usize],
) -> Desc {
    Desc {
        name,
        stack: true,
        args,
        sargs,
        str_args,
    }
}

/// Descriptors indexed by event type, as in Go's `EventDescriptions` for version 1021.
pub static DESCS: [Desc; EV_COUNT as usize] = [
    d("None", false, &[]),
    d("Batch", false, &["p", "ticks"]),
    d("Frequency", false, &["freq"]),
    d("Stack", false, &["id", "siz"]),
    d("Gomaxprocs", true, &["procs"]),
    d("ProcStart", false, &["thread"]),
    d("ProcStop", false, &[]),
    d("GCStart", true, &["seq"]),
    d("GCDone", false, &[]),
    Desc {
        sargs: &["kind"],
        ..d("STWStart", false, &["kindid"])
    },
    d("STWDone", false, &[]),
    d("GCSweepStart", true, &[]),
    d("GCSweepDone", false, &["swept", "reclaimed"]),
    d("GoCreate", true, &["g", "stack"]),
    d("GoStart", false, &["g", "seq"]),
    d("GoEnd", false, &[]),
    d("GoStop", true, &[]),
    d("GoSched", true, &[]),
    d("GoPreempt", true, &[]),
    d("GoSleep", true, &[]),
    d("GoBlock", true, &[]),
    d("GoUnblock", true, &["g", "seq"]),
    d("GoBlockSend", true, &[]),
    d("GoBlockRecv", true, &[]),
    d("GoBlockSelect", true, &[]),
    d("GoBlockSync", true, &[]),
    d("GoBlockCond", true, &[]),
    d("GoBlockNet", true, &[]),
    d("GoSysCall", true, &[]),
    d("GoSysExit", false, &["g", "seq", "ts"]),
    d("GoSysBlock", false, &[]),
    d("GoWaiting", false, &["g"]),
    d("GoInSyscall", false, &["g"]),
    d("HeapAlloc", false, &["mem"]),
    d("HeapGoal", false, &["mem"]),
    d("TimerGoroutine", false, &["g"]),
    d("FutileWakeup", false, &[]),
    d("String", false, &[]),
    d("GoStartLocal", false, &["g"]),
    d("GoUnblockLocal", true, &["g"]),
    d("GoSysExitLocal", false, &["g", "ts"]),
    Desc {
        stack: false,
        ..ds("GoStartLabel", &["g", "seq", "labelid"], &["label"], &[2])
    },
    d("GoBlockGC", true, &[]),
    d("GCMarkAssistStart", true, &[]),
    d("GCMarkAssistDone", false, &[]),
    ds(
        "UserTaskCreate",
        &["taskid", "pid", "typeid"],
        &["name"],
        &[2],
    ),
    d("UserTaskEnd", true, &["taskid"]),
    ds("UserRegion", &["taskid", "mode", "typeid"], &["name"], &[2]),
    ds("UserLog", &["id", "keyid"], &["category", "message"], &[1]),
    d("CPUSample", true, &["ts", "p", "g"]),
];

/// The descriptor of `typ`, or `None` for a type Go's parser rejects (0 or ≥ [`EV_COUNT`]).
pub fn desc(typ: u8) -> Option<&'static Desc> {
    match typ {
        EV_NONE => None,
        t => DESCS.get(t as usize),
    }
}

/// The name Go prints for `typ` (`"?"` for an unknown type).
pub fn name(typ: u8) -> &'static str {
    DESCS.get(typ as usize).map_or("?", |d| d.name)
}

/// Whether `typ` carries a leading timestamp delta (every type but the framing records).
pub fn has_timestamp(typ: u8) -> bool {
    !matches!(
        typ,
        EV_NONE | EV_BATCH | EV_FREQUENCY | EV_STACK | EV_STRING | EV_TIMER_GOROUTINE
    )
}

/// Number of wire values Go's `argNum` expects for `typ` at version 1021 (timestamp and stack
/// included); `None` for `EvStack`, whose count is variable.
pub fn wire_arg_count(typ: u8) -> Option<usize> {
    let desc = desc(typ)?;
    if typ == EV_STACK {
        return None;
    }
    let ts = usize::from(has_timestamp(typ));
    Some(desc.args.len() + usize::from(desc.stack) + ts)
}

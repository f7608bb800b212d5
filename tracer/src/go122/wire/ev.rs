//! The go1.22 event table: type numbers, argument names, which arguments are stack or string
//! ids, and the goroutine and P status values.
//!
//! Mirrors go1.22 `internal/trace/v2/event/go122/event.go` (the `specs` table and the
//! `GoStatus`/`ProcStatus` enums) and `internal/trace/v2/event/event.go` (`Spec`). The runtime's
//! side of the same table is `runtime/trace2event.go`.

/// Unused event type 0 (`EvNone`).
pub const EV_NONE: u8 = 0;
/// Start of a batch `[generation, M ID, timestamp, batch length]`.
pub const EV_EVENT_BATCH: u8 = 1;
/// Start of a stack-table section.
pub const EV_STACKS: u8 = 2;
/// Stack-table entry `[ID, nframes, {PC, func string ID, file string ID, line}…]`.
pub const EV_STACK: u8 = 3;
/// Start of a string-table section.
pub const EV_STRINGS: u8 = 4;
/// String-table entry `[ID, length, bytes]`.
pub const EV_STRING: u8 = 5;
/// Start of a CPU-samples section.
pub const EV_CPU_SAMPLES: u8 = 6;
/// CPU sample `[timestamp, M ID, P ID, goroutine ID, stack ID]`.
pub const EV_CPU_SAMPLE: u8 = 7;
/// Timestamp units per second `[freq]`.
pub const EV_FREQUENCY: u8 = 8;
pub const EV_PROCS_CHANGE: u8 = 9;
pub const EV_PROC_START: u8 = 10;
pub const EV_PROC_STOP: u8 = 11;
pub const EV_PROC_STEAL: u8 = 12;
pub const EV_PROC_STATUS: u8 = 13;
pub const EV_GO_CREATE: u8 = 14;
pub const EV_GO_CREATE_SYSCALL: u8 = 15;
pub const EV_GO_START: u8 = 16;
pub const EV_GO_DESTROY: u8 = 17;
pub const EV_GO_DESTROY_SYSCALL: u8 = 18;
pub const EV_GO_STOP: u8 = 19;
pub const EV_GO_BLOCK: u8 = 20;
pub const EV_GO_UNBLOCK: u8 = 21;
pub const EV_GO_SYSCALL_BEGIN: u8 = 22;
pub const EV_GO_SYSCALL_END: u8 = 23;
pub const EV_GO_SYSCALL_END_BLOCKED: u8 = 24;
pub const EV_GO_STATUS: u8 = 25;
pub const EV_STW_BEGIN: u8 = 26;
pub const EV_STW_END: u8 = 27;
pub const EV_GC_ACTIVE: u8 = 28;
pub const EV_GC_BEGIN: u8 = 29;
pub const EV_GC_END: u8 = 30;
pub const EV_GC_SWEEP_ACTIVE: u8 = 31;
pub const EV_GC_SWEEP_BEGIN: u8 = 32;
pub const EV_GC_SWEEP_END: u8 = 33;
pub const EV_GC_MARK_ASSIST_ACTIVE: u8 = 34;
pub const EV_GC_MARK_ASSIST_BEGIN: u8 = 35;
pub const EV_GC_MARK_ASSIST_END: u8 = 36;
pub const EV_HEAP_ALLOC: u8 = 37;
pub const EV_HEAP_GOAL: u8 = 38;
pub const EV_GO_LABEL: u8 = 39;
pub const EV_USER_TASK_BEGIN: u8 = 40;
pub const EV_USER_TASK_END: u8 = 41;
pub const EV_USER_REGION_BEGIN: u8 = 42;
pub const EV_USER_REGION_END: u8 = 43;
pub const EV_USER_LOG: u8 = 44;
/// The reader's synthetic end-of-generation event (`evSync = ^event.Type(0)`).
pub const EV_SYNC: u8 = 255;

/// Largest batch payload the reader accepts (`MaxBatchSize`).
pub const MAX_BATCH_SIZE: u64 = 64 << 10;
/// Largest stack the reader accepts (`MaxFramesPerStack`).
pub const MAX_FRAMES_PER_STACK: u64 = 128;
/// Largest string the reader accepts (`MaxStringSize`).
pub const MAX_STRING_SIZE: u64 = 1 << 10;

/// Goroutine status in a `GoStatus` event (`go122.GoStatus`).
pub const GO_RUNNABLE: u64 = 1;
pub const GO_RUNNING: u64 = 2;
pub const GO_SYSCALL: u64 = 3;
pub const GO_WAITING: u64 = 4;
/// P status in a `ProcStatus` event (`go122.ProcStatus`).
pub const PROC_RUNNING: u64 = 1;
pub const PROC_IDLE: u64 = 2;
pub const PROC_SYSCALL: u64 = 3;
pub const PROC_SYSCALL_ABANDONED: u64 = 4;

/// One row of the event table (`event.Spec`).
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Go's name of the event type.
    pub name: &'static str,
    /// Argument names as written, the timestamp delta `dt` first for timed events.
    pub args: &'static [&'static str],
    /// The begin event of the range this event ends or re-opens (`StartEv`, 0 if none).
    pub start_ev: u8,
    /// Whether the first argument is a timestamp delta (`IsTimedEvent`).
    pub timed: bool,
    /// Whether a length-prefixed byte string follows the arguments (`HasData`).
    pub has_data: bool,
    /// Positions in `args` of string ids (`StringIDs`).
    pub string_ids: &'static [usize],
    /// Positions in `args` of stack ids (`StackIDs`), the event's own stack first.
    pub stack_ids: &'static [usize],
    /// Whether `nframes` frames of four values follow (`IsStack`).
    pub is_stack: bool,
}

const fn s(name: &'static str, args: &'static [&'static str]) -> Spec {
    Spec {
        name,
        args,
        start_ev: 0,
        timed: false,
        has_data: false,
        string_ids: &[],
        stack_ids: &[],
        is_stack: false,
    }
}

const fn t(name: &'static str, args: &'static [&'static str]) -> Spec {
    Spec {
        timed: true,
        ..s(name, args)
    }
}

const fn stk(spec: Spec, ids: &'static [usize]) -> Spec {
    Spec {
        stack_ids: ids,
        ..spec
    }
}

const fn strs(spec: Spec, ids: &'static [usize]) -> Spec {
    Spec {
        string_ids: ids,
        ..spec
    }
}

const fn ends(spec: Spec, start: u8) -> Spec {
    Spec {
        start_ev: start,
        ..spec
    }
}

/// The go1.22 event table, indexed by type (`go122.Specs()`).
pub static SPECS: [Spec; 45] = [
    s("", &[]),
    s("EventBatch", &["gen", "m", "time", "size"]),
    s("Stacks", &[]),
    Spec {
        is_stack: true,
        ..s("Stack", &["id", "nframes"])
    },
    s("Strings", &[]),
    Spec {
        has_data: true,
        ..s("String", &["id"])
    },
    s("CPUSamples", &[]),
    s("CPUSample", &["time", "p", "g", "m", "stack"]),
    s("Frequency", &["freq"]),
    stk(t("ProcsChange", &["dt", "procs_value", "stack"]), &[2]),
    t("ProcStart", &["dt", "p", "p_seq"]),
    t("ProcStop", &["dt"]),
    t("ProcSteal", &["dt", "p", "p_seq", "m"]),
    t("ProcStatus", &["dt", "p", "pstatus"]),
    stk(
        t("GoCreate", &["dt", "new_g", "new_stack", "stack"]),
        &[3, 2],
    ),
    t("GoCreateSyscall", &["dt", "new_g"]),
    t("GoStart", &["dt", "g", "g_seq"]),
    t("GoDestroy", &["dt"]),
    t("GoDestroySyscall", &["dt"]),
    strs(
        stk(t("GoStop", &["dt", "reason_string", "stack"]), &[2]),
        &[1],
    ),
    strs(
        stk(t("GoBlock", &["dt", "reason_string", "stack"]), &[2]),
        &[1],
    ),
    stk(t("GoUnblock", &["dt", "g", "g_seq", "stack"]), &[3]),
    stk(t("GoSyscallBegin", &["dt", "p_seq", "stack"]), &[2]),
    ends(t("GoSyscallEnd", &["dt"]), EV_GO_SYSCALL_BEGIN),
    ends(t("GoSyscallEndBlocked", &["dt"]), EV_GO_SYSCALL_BEGIN),
    t("GoStatus", &["dt", "g", "m", "gstatus"]),
    strs(
        stk(t("STWBegin", &["dt", "kind_string", "stack"]), &[2]),
        &[1],
    ),
    ends(t("STWEnd", &["dt"]), EV_STW_BEGIN),
    ends(t("GCActive", &["dt", "gc_seq"]), EV_GC_BEGIN),
    stk(t("GCBegin", &["dt", "gc_seq", "stack"]), &[2]),
    ends(t("GCEnd", &["dt", "gc_seq"]), EV_GC_BEGIN),
    ends(t("GCSweepActive", &["dt", "p"]), EV_GC_SWEEP_BEGIN),
    stk(t("GCSweepBegin", &["dt", "stack"]), &[1]),
    ends(
        t("GCSweepEnd", &["dt", "swept_value", "reclaimed_value"]),
        EV_GC_SWEEP_BEGIN,
    ),
    ends(
        t("GCMarkAssistActive", &["dt", "g"]),
        EV_GC_MARK_ASSIST_BEGIN,
    ),
    stk(t("GCMarkAssistBegin", &["dt", "stack"]), &[1]),
    ends(t("GCMarkAssistEnd", &["dt"]), EV_GC_MARK_ASSIST_BEGIN),
    t("HeapAlloc", &["dt", "heapalloc_value"]),
    t("HeapGoal", &["dt", "heapgoal_value"]),
    strs(t("GoLabel", &["dt", "label_string"]), &[1]),
    strs(
        stk(
            t(
                "UserTaskBegin",
                &["dt", "task", "parent_task", "name_string", "stack"],
            ),
            &[4],
        ),
        &[3],
    ),
    stk(t("UserTaskEnd", &["dt", "task", "stack"]), &[2]),
    strs(
        stk(
            t("UserRegionBegin", &["dt", "task", "name_string", "stack"]),
            &[3],
        ),
        &[2],
    ),
    ends(
        strs(
            stk(
                t("UserRegionEnd", &["dt", "task", "name_string", "stack"]),
                &[3],
            ),
            &[2],
        ),
        EV_USER_REGION_BEGIN,
    ),
    strs(
        stk(
            t(
                "UserLog",
                &["dt", "task", "key_string", "value_string", "stack"],
            ),
            &[4],
        ),
        &[2, 3],
    ),
];

/// The spec of `typ`, if the table has one.
pub fn spec(typ: u8) -> Option<&'static Spec> {
    SPECS.get(typ as usize)
}

/// Go's `go122.EventString`: the name, or `Invalid(N)` beyond the table.
pub fn name(typ: u8) -> String {
    match spec(typ) {
        Some(s) => s.name.to_string(),
        None => format!("Invalid({typ})"),
    }
}

/// Go's `go122.GoStatus.String`.
pub fn go_status_name(s: u64) -> &'static str {
    match s {
        GO_RUNNABLE => "Runnable",
        GO_RUNNING => "Running",
        GO_SYSCALL => "Syscall",
        GO_WAITING => "Waiting",
        _ => "Bad",
    }
}

/// Go's `go122.ProcStatus.String` (it has no case for `ProcSyscallAbandoned`).
pub fn proc_status_name(s: u64) -> &'static str {
    match s {
        PROC_RUNNING => "Running",
        PROC_IDLE => "Idle",
        PROC_SYSCALL => "Syscall",
        _ => "Bad",
    }
}

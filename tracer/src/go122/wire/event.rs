//! A parsed go1.22 event and what it means: kind, scheduling context, state transition, range,
//! metric, task, region, log.
//!
//! Mirrors go1.22 `internal/trace/v2/event.go` (`Event`, `Kind`, `Stack`, `Metric`, `Range`,
//! `Task`, `StateTransition`, `validateTableIDs`, `go122Type2Kind`), `resources.go` (`GoState`,
//! `ProcState`, `ResourceID`) and `base.go` (`baseEvent`).

use super::ev::{self, *};
use super::gen::{Table, Time};
use std::rc::Rc;

/// No goroutine / P / M (`NoGoroutine`, `NoProc`, `NoThread`).
pub const NONE: i64 = -1;
/// `NoTask`.
pub const NO_TASK: u64 = u64::MAX;

/// An event as read from a batch (`baseEvent`): type, time and up to four arguments after the
/// timestamp; the ordering may rewrite arguments and smuggle extras past the spec's ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BaseEvent<'a> {
    /// Event type.
    pub typ: u8,
    /// Time in nanoseconds.
    pub time: Time,
    /// Arguments after the timestamp.
    pub args: [u64; 4],
    /// The task name a `UserTaskEnd` carries from its begin (Go's extra string).
    pub extra_str: &'a [u8],
}

impl BaseEvent<'_> {
    /// Index of the first extra argument, past the spec's (`extra`).
    pub fn extra_at(&self) -> usize {
        ev::spec(self.typ).map_or(0, |s| s.args.len().saturating_sub(1).min(3))
    }
}

/// The M, P and G an event happened on (`schedCtx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ctx {
    pub g: i64,
    pub p: i64,
    pub m: i64,
}

/// What an event is about (`EventKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Bad,
    Sync,
    Metric,
    Label,
    StackSample,
    RangeBegin,
    RangeActive,
    RangeEnd,
    TaskBegin,
    TaskEnd,
    RegionBegin,
    RegionEnd,
    Log,
    StateTransition,
}

impl Kind {
    /// Go's `EventKind.String`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Bad => "Bad",
            Kind::Sync => "Sync",
            Kind::Metric => "Metric",
            Kind::Label => "Label",
            Kind::StackSample => "StackSample",
            Kind::RangeBegin => "RangeBegin",
            Kind::RangeActive => "RangeActive",
            Kind::RangeEnd => "RangeEnd",
            Kind::TaskBegin => "TaskBegin",
            Kind::TaskEnd => "TaskEnd",
            Kind::RegionBegin => "RegionBegin",
            Kind::RegionEnd => "RegionEnd",
            Kind::Log => "Log",
            Kind::StateTransition => "StateTransition",
        }
    }

    /// The kind of a wire event type (`go122Type2Kind`).
    pub fn of(typ: u8) -> Kind {
        match typ {
            EV_CPU_SAMPLE => Kind::StackSample,
            EV_PROCS_CHANGE | EV_HEAP_ALLOC | EV_HEAP_GOAL => Kind::Metric,
            EV_PROC_START..=EV_GO_STATUS => Kind::StateTransition,
            EV_STW_BEGIN | EV_GC_BEGIN | EV_GC_SWEEP_BEGIN | EV_GC_MARK_ASSIST_BEGIN => {
                Kind::RangeBegin
            }
            EV_STW_END | EV_GC_END | EV_GC_SWEEP_END | EV_GC_MARK_ASSIST_END => Kind::RangeEnd,
            EV_GC_ACTIVE | EV_GC_SWEEP_ACTIVE | EV_GC_MARK_ASSIST_ACTIVE => Kind::RangeActive,
            EV_GO_LABEL => Kind::Label,
            EV_USER_TASK_BEGIN => Kind::TaskBegin,
            EV_USER_TASK_END => Kind::TaskEnd,
            EV_USER_REGION_BEGIN => Kind::RegionBegin,
            EV_USER_REGION_END => Kind::RegionEnd,
            EV_USER_LOG => Kind::Log,
            EV_SYNC => Kind::Sync,
            _ => Kind::Bad,
        }
    }
}

/// Goroutine states of the parsed model (`GoState`).
pub const GO_UNDETERMINED: u8 = 0;
pub const GO_NOT_EXIST: u8 = 1;
pub const GO_STATE_RUNNABLE: u8 = 2;
pub const GO_STATE_RUNNING: u8 = 3;
pub const GO_STATE_WAITING: u8 = 4;
pub const GO_STATE_SYSCALL: u8 = 5;
/// P states of the parsed model (`ProcState`).
pub const PROC_UNDETERMINED: u8 = 0;
pub const PROC_NOT_EXIST: u8 = 1;
pub const PROC_STATE_RUNNING: u8 = 2;
pub const PROC_STATE_IDLE: u8 = 3;

/// `go122GoStatus2GoState`; `None` past the table.
pub fn go_state_of_status(s: u64) -> Option<u8> {
    [
        GO_UNDETERMINED,
        GO_STATE_RUNNABLE,
        GO_STATE_RUNNING,
        GO_STATE_SYSCALL,
        GO_STATE_WAITING,
    ]
    .get(s as usize)
    .copied()
}

/// `go122ProcStatus2ProcState`; `None` past the table.
pub fn proc_state_of_status(s: u64) -> Option<u8> {
    [
        PROC_UNDETERMINED,
        PROC_STATE_RUNNING,
        PROC_STATE_IDLE,
        PROC_STATE_RUNNING,
        PROC_STATE_IDLE,
    ]
    .get(s as usize)
    .copied()
}

/// `GoState.String`.
pub fn go_state_name(s: u8) -> &'static str {
    [
        "Undetermined",
        "NotExist",
        "Runnable",
        "Running",
        "Waiting",
        "Syscall",
    ]
    .get(s as usize)
    .unwrap_or(&"Bad")
}

/// `ProcState.String`.
pub fn proc_state_name(s: u8) -> &'static str {
    ["Undetermined", "NotExist", "Running", "Idle"]
        .get(s as usize)
        .unwrap_or(&"Bad")
}

/// Whether a goroutine in state `s` holds an M (`GoState.Executing`).
pub fn go_executing(s: u8) -> bool {
    s == GO_STATE_RUNNING || s == GO_STATE_SYSCALL
}

/// A resource (`ResourceID`): kind 0 none, 1 goroutine, 2 proc, 3 thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Resource {
    pub kind: u8,
    pub id: i64,
}

pub const RES_NONE: u8 = 0;
pub const RES_GOROUTINE: u8 = 1;
pub const RES_PROC: u8 = 2;
pub const RES_THREAD: u8 = 3;

impl std::fmt::Display for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = ["None", "Goroutine", "Proc", "Thread"]
            .get(self.kind as usize)
            .unwrap_or(&"Bad");
        if self.kind == RES_NONE {
            return f.write_str(name);
        }
        write!(f, "{name}({})", self.id)
    }
}

/// A state change (`StateTransition`): resource, reason, stack, old and new state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition<'a> {
    pub resource: Resource,
    pub reason: &'a [u8],
    /// The stack of the transition (`None` is `NoStack`).
    pub stack: Option<u64>,
    pub old: u8,
    pub new: u8,
}

/// One parsed event (`Event`), with the tables of its generation.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub base: BaseEvent<'a>,
    pub ctx: Ctx,
    pub table: Rc<Table<'a>>,
}

impl<'a> Event<'a> {
    /// `Kind`.
    pub fn kind(&self) -> Kind {
        Kind::of(self.base.typ)
    }

    /// `Time`.
    pub fn time(&self) -> Time {
        self.base.time
    }

    /// The event's stack id (`Stack`): `None` for `NoStack`; a CPU sample always has one.
    pub fn stack(&self) -> Option<u64> {
        match self.base.typ {
            EV_SYNC => None,
            EV_CPU_SAMPLE => Some(self.base.args[0]),
            t => {
                let i = *ev::spec(t)?.stack_ids.first()?;
                Some(self.base.args[i - 1]).filter(|&id| id != 0)
            }
        }
    }

    /// A string of this generation's table (`mustGet`, which panics in Go on a missing id;
    /// here `None`).
    pub fn string(&self, id: u64) -> Option<&'a [u8]> {
        self.table.strings.get(id).copied()
    }

    /// `validateTableIDs`: every stack and string id the spec names exists.
    pub fn validate_table_ids(&self) -> Result<(), String> {
        let Some(spec) = ev::spec(self.base.typ) else {
            return Ok(());
        };
        for &i in spec.stack_ids {
            let id = self.base.args[i - 1];
            if self.table.stacks.get(id).is_none() {
                return Err(format!(
                    "found invalid stack ID {id} for event {}",
                    spec.name
                ));
            }
        }
        for &i in spec.string_ids {
            let id = self.base.args[i - 1];
            if self.table.strings.get(id).is_none() {
                return Err(format!(
                    "found invalid string ID {id} for event {}",
                    spec.name
                ));
            }
        }
        Ok(())
    }
}

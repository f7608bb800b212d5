//! What a parsed go1.22 event says: its state transition, range, metric, label, task, region
//! or log.
//!
//! Mirrors the accessors of go1.22 `internal/trace/v2/event.go` (`StateTransition`, `Range`,
//! `RangeAttributes`, `Metric`, `Label`, `Task`, `Region`, `Log`). Where Go panics on a string
//! id missing from the table (`mustGet`) these return `None`.

use super::ev::*;
use super::event::*;

/// A metric sample (`Metric`): name and `Uint64` value.
pub type Metric = (&'static str, u64);

impl<'a> Event<'a> {
    fn go_tr(&self, id: i64, old: u8, new: u8) -> Transition<'a> {
        let resource = Resource {
            kind: RES_GOROUTINE,
            id,
        };
        Transition {
            resource,
            reason: &[],
            stack: None,
            old,
            new,
        }
    }

    fn proc_tr(&self, id: i64, old: u8, new: u8) -> Transition<'a> {
        let resource = Resource { kind: RES_PROC, id };
        Transition {
            resource,
            reason: &[],
            stack: None,
            old,
            new,
        }
    }

    /// `StateTransition`, for events of kind [`Kind::StateTransition`].
    pub fn transition(&self) -> Option<Transition<'a>> {
        let (a, c) = (self.base.args, self.ctx);
        let extra = a[self.base.extra_at()];
        let mut t = match self.base.typ {
            EV_PROC_START => self.proc_tr(a[0] as i64, PROC_STATE_IDLE, PROC_STATE_RUNNING),
            EV_PROC_STOP => self.proc_tr(c.p, PROC_STATE_RUNNING, PROC_STATE_IDLE),
            EV_PROC_STEAL => {
                let abandoned = extra as u8 as u64 == PROC_SYSCALL_ABANDONED;
                let old = if abandoned {
                    PROC_STATE_IDLE
                } else {
                    PROC_STATE_RUNNING
                };
                self.proc_tr(a[0] as i64, old, PROC_STATE_IDLE)
            }
            EV_PROC_STATUS => self.proc_tr(a[0] as i64, extra as u8, proc_state_of_status(a[1])?),
            EV_GO_CREATE => {
                let mut t = self.go_tr(a[0] as i64, GO_NOT_EXIST, GO_STATE_RUNNABLE);
                t.stack = Some(a[1]);
                return Some(t);
            }
            EV_GO_CREATE_SYSCALL => self.go_tr(a[0] as i64, GO_NOT_EXIST, GO_STATE_SYSCALL),
            EV_GO_START => self.go_tr(a[0] as i64, GO_STATE_RUNNABLE, GO_STATE_RUNNING),
            EV_GO_DESTROY => self.go_tr(c.g, GO_STATE_RUNNING, GO_NOT_EXIST),
            EV_GO_DESTROY_SYSCALL => {
                return Some(self.go_tr(c.g, GO_STATE_SYSCALL, GO_NOT_EXIST));
            }
            EV_GO_STOP | EV_GO_BLOCK => {
                let new = if self.base.typ == EV_GO_STOP {
                    GO_STATE_RUNNABLE
                } else {
                    GO_STATE_WAITING
                };
                let mut t = self.go_tr(c.g, GO_STATE_RUNNING, new);
                t.reason = self.string(a[0])?;
                t
            }
            EV_GO_UNBLOCK => {
                return Some(self.go_tr(a[0] as i64, GO_STATE_WAITING, GO_STATE_RUNNABLE));
            }
            EV_GO_SYSCALL_BEGIN => self.go_tr(c.g, GO_STATE_RUNNING, GO_STATE_SYSCALL),
            EV_GO_SYSCALL_END => self.go_tr(c.g, GO_STATE_SYSCALL, GO_STATE_RUNNING),
            EV_GO_SYSCALL_END_BLOCKED => self.go_tr(c.g, GO_STATE_SYSCALL, GO_STATE_RUNNABLE),
            EV_GO_STATUS => {
                let new = go_state_of_status(a[2])?;
                return Some(self.go_tr(a[0] as i64, extra as u8, new));
            }
            _ => return None,
        };
        if matches!(
            self.base.typ,
            EV_GO_DESTROY
                | EV_GO_STOP
                | EV_GO_BLOCK
                | EV_GO_SYSCALL_BEGIN
                | EV_GO_SYSCALL_END
                | EV_GO_SYSCALL_END_BLOCKED
        ) {
            t.stack = self.stack();
        }
        Some(t)
    }

    /// `Metric`.
    pub fn metric(&self) -> Option<Metric> {
        let name = match self.base.typ {
            EV_PROCS_CHANGE => "/sched/gomaxprocs:threads",
            EV_HEAP_ALLOC => "/memory/classes/heap/objects:bytes",
            EV_HEAP_GOAL => "/gc/heap/goal:bytes",
            _ => return None,
        };
        Some((name, self.base.args[0]))
    }

    /// `Label`: the label and the goroutine it applies to.
    pub fn label(&self) -> Option<(&'a [u8], Resource)> {
        let l = self.string(self.base.args[0])?;
        Some((
            l,
            Resource {
                kind: RES_GOROUTINE,
                id: self.ctx.g,
            },
        ))
    }

    /// `Range`: the range's name and scope.
    pub fn range(&self) -> Option<(String, Resource)> {
        let none = Resource {
            kind: RES_NONE,
            id: 0,
        };
        Some(match self.base.typ {
            EV_STW_BEGIN | EV_STW_END => {
                let kind = String::from_utf8_lossy(self.string(self.base.args[0])?);
                let scope = Resource {
                    kind: RES_GOROUTINE,
                    id: self.ctx.g,
                };
                (format!("stop-the-world ({kind})"), scope)
            }
            EV_GC_BEGIN | EV_GC_ACTIVE | EV_GC_END => ("GC concurrent mark phase".into(), none),
            EV_GC_SWEEP_BEGIN | EV_GC_SWEEP_ACTIVE | EV_GC_SWEEP_END => {
                let scope = Resource {
                    kind: RES_PROC,
                    id: self.ctx.p,
                };
                ("GC incremental sweep".into(), scope)
            }
            EV_GC_MARK_ASSIST_BEGIN | EV_GC_MARK_ASSIST_ACTIVE | EV_GC_MARK_ASSIST_END => {
                let id = if self.base.typ == EV_GC_MARK_ASSIST_ACTIVE {
                    self.base.args[0] as i64
                } else {
                    self.ctx.g
                };
                (
                    "GC mark assist".into(),
                    Resource {
                        kind: RES_GOROUTINE,
                        id,
                    },
                )
            }
            _ => return None,
        })
    }

    /// `RangeAttributes`: bytes swept and reclaimed for a sweep end, else none.
    pub fn range_attributes(&self) -> Vec<(&'static str, u64)> {
        if self.base.typ != EV_GC_SWEEP_END {
            return Vec::new();
        }
        let a = self.base.args;
        vec![("bytes swept", a[0]), ("bytes reclaimed", a[1])]
    }

    /// `Task`: id, parent and type.
    pub fn task(&self) -> Option<(u64, u64, &'a [u8])> {
        let a = self.base.args;
        match self.base.typ {
            EV_USER_TASK_BEGIN => Some((a[0], a[1], self.string(a[2])?)),
            EV_USER_TASK_END => Some((a[0], a[2], self.base.extra_str)),
            _ => None,
        }
    }

    /// `Region`: task and type.
    pub fn region(&self) -> Option<(u64, &'a [u8])> {
        Some((self.base.args[0], self.string(self.base.args[1])?))
    }

    /// `Log`: task, category and message.
    pub fn log(&self) -> Option<(u64, &'a [u8], &'a [u8])> {
        let a = self.base.args;
        Some((a[0], self.string(a[1])?, self.string(a[2])?))
    }
}

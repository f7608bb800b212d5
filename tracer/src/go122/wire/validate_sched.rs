//! The goroutine and P transition rules of Go's go1.22 test-trace validator.
//!
//! Mirrors the `EventStateTransition` case of go1.22
//! `internal/trace/v2/testtrace/validation.go` `Validator.Event`, with Go's messages.

use super::event::*;
use super::validate::Validator;

/// What the goroutine and the P rules name and number differently.
struct Kind {
    what: &'static str,
    undetermined: u8,
    not_exist: u8,
    state_name: fn(u8) -> &'static str,
}

const GOROUTINE: Kind = Kind {
    what: "goroutine",
    undetermined: GO_UNDETERMINED,
    not_exist: GO_NOT_EXIST,
    state_name: go_state_name,
};

const PROC: Kind = Kind {
    what: "proc",
    undetermined: PROC_UNDETERMINED,
    not_exist: PROC_NOT_EXIST,
    state_name: proc_state_name,
};

impl Validator {
    /// The checks a goroutine and a P transition share: no undetermined state where it cannot
    /// be, no death with ranges open, the old state the validator has; then records the new.
    fn check_states(&mut self, errs: &mut Vec<String>, t: &Transition<'_>, k: &Kind) {
        let (id, what) = (t.resource.id, k.what);
        let (old, new) = (t.old, t.new);
        let olds = (k.state_name)(old);
        if new == k.undetermined {
            errs.push(format!("transition to undetermined state for {what} {id}"));
        }
        if self.seen_sync() && old == k.undetermined {
            errs.push(format!("undetermined {what} {id} after first global sync"));
        }
        if new == k.not_exist && self.any_range(t.resource) {
            errs.push(format!("{what} {id} died with active ranges"));
        }
        match self.table(t.resource.kind).get_mut(&id) {
            Some((s, _)) => {
                if old != *s {
                    let want = (k.state_name)(*s);
                    errs.push(format!(
                        "bad old state for {what} {id}: got {olds}, want {want}"
                    ));
                }
                *s = new;
            }
            None => {
                if old != k.undetermined && old != k.not_exist {
                    errs.push(format!(
                        "bad old state for unregistered {what} {id}: {olds}"
                    ));
                }
                self.table(t.resource.kind).insert(id, (new, None));
            }
        }
    }

    pub(super) fn go_transition(
        &mut self,
        errs: &mut Vec<String>,
        e: &Event<'_>,
        t: &Transition<'_>,
    ) {
        let id = t.resource.id;
        let (old, new) = (t.old, t.new);
        self.check_states(errs, t, &GOROUTINE);
        let m = e.ctx.m;
        if go_executing(new) {
            if let Some(ctx) = self.thread_ctx(errs, m) {
                if ctx.g != NONE && ctx.g != id {
                    errs.push(format!(
                        "tried to run goroutine {id} when one was already executing ({}) on thread {m}",
                        ctx.g
                    ));
                }
                ctx.g = id;
                self.bind(RES_GOROUTINE, id, Some(m));
            }
        } else if go_executing(old) {
            if t.stack != e.stack() {
                errs.push("StateTransition.Stack doesn't match Event.Stack".into());
            }
            match self.binding(RES_GOROUTINE, id) {
                Some(bm) => {
                    let ctx = self.thread_at(bm);
                    if ctx.g != id {
                        errs.push(format!("tried to stop goroutine {id} when it wasn't currently executing (currently executing {}) on thread {m}", ctx.g));
                    }
                    ctx.g = NONE;
                    self.bind(RES_GOROUTINE, id, None);
                }
                None => errs.push(format!(
                    "stopping goroutine {id} not bound to any active context"
                )),
            }
        }
    }

    pub(super) fn proc_transition(
        &mut self,
        errs: &mut Vec<String>,
        e: &Event<'_>,
        t: &Transition<'_>,
    ) {
        let id = t.resource.id;
        let (old, new) = (t.old, t.new);
        self.check_states(errs, t, &PROC);
        let m = e.ctx.m;
        if new == PROC_STATE_RUNNING {
            if let Some(ctx) = self.thread_ctx(errs, m) {
                if ctx.p != NONE && ctx.p != id {
                    errs.push(format!(
                        "tried to run proc {id} when one was already executing ({}) on thread {m}",
                        ctx.p
                    ));
                }
                ctx.p = id;
                self.bind(RES_PROC, id, Some(m));
            }
        } else if old == PROC_STATE_RUNNING {
            match self.binding(RES_PROC, id) {
                Some(bm) => {
                    let ctx = self.thread_at(bm);
                    if ctx.p != id {
                        errs.push(format!("tried to stop proc {id} when it wasn't currently executing (currently executing {}) on thread {bm}", ctx.p));
                    }
                    ctx.p = NONE;
                    self.bind(RES_PROC, id, None);
                }
                None => errs.push(format!(
                    "stopping proc {id} not bound to any active context"
                )),
            }
        }
    }
}

//! The goroutine and P transition rules of Go's go1.22 test-trace validator.
//!
//! Mirrors the `EventStateTransition` case of go1.22
//! `internal/trace/v2/testtrace/validation.go` `Validator.Event`, with Go's messages.

use super::event::*;
use super::validate::Validator;

impl Validator {
    pub(super) fn go_transition(
        &mut self,
        errs: &mut Vec<String>,
        e: &Event<'_>,
        t: &Transition<'_>,
    ) {
        let id = t.resource.id;
        let (old, new) = (t.old, t.new);
        let (olds, news) = (go_state_name(old), go_state_name(new));
        if new == GO_UNDETERMINED {
            errs.push(format!(
                "transition to undetermined state for goroutine {id}"
            ));
        }
        if self.seen_sync() && old == GO_UNDETERMINED {
            errs.push(format!(
                "undetermined goroutine {id} after first global sync"
            ));
        }
        if new == GO_NOT_EXIST && self.any_range(t.resource) {
            errs.push(format!("goroutine {id} died with active ranges"));
        }
        let state = self.goroutine(id);
        match state {
            Some((s, _)) => {
                if old != *s {
                    let want = go_state_name(*s);
                    errs.push(format!(
                        "bad old state for goroutine {id}: got {olds}, want {want}"
                    ));
                }
                *s = new;
            }
            None => {
                if old != GO_UNDETERMINED && old != GO_NOT_EXIST {
                    errs.push(format!(
                        "bad old state for unregistered goroutine {id}: {olds}"
                    ));
                }
                self.set_goroutine(id, new);
            }
        }
        let _ = news;
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
                self.bind_goroutine(id, Some(m));
            }
        } else if go_executing(old) {
            if t.stack != e.stack() {
                errs.push("StateTransition.Stack doesn't match Event.Stack".into());
            }
            match self.goroutine_binding(id) {
                Some(bm) => {
                    let ctx = self.thread_at(bm);
                    if ctx.g != id {
                        errs.push(format!("tried to stop goroutine {id} when it wasn't currently executing (currently executing {}) on thread {m}", ctx.g));
                    }
                    ctx.g = NONE;
                    self.bind_goroutine(id, None);
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
        let olds = proc_state_name(old);
        if new == PROC_UNDETERMINED {
            errs.push(format!("transition to undetermined state for proc {id}"));
        }
        if self.seen_sync() && old == PROC_UNDETERMINED {
            errs.push(format!("undetermined proc {id} after first global sync"));
        }
        if new == PROC_NOT_EXIST && self.any_range(t.resource) {
            errs.push(format!("proc {id} died with active ranges"));
        }
        match self.proc(id) {
            Some((s, _)) => {
                if old != *s {
                    let want = proc_state_name(*s);
                    errs.push(format!(
                        "bad old state for proc {id}: got {olds}, want {want}"
                    ));
                }
                *s = new;
            }
            None => {
                if old != PROC_UNDETERMINED && old != PROC_NOT_EXIST {
                    errs.push(format!("bad old state for unregistered proc {id}: {olds}"));
                }
                self.set_proc(id, new);
            }
        }
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
                self.bind_proc(id, Some(m));
            }
        } else if old == PROC_STATE_RUNNING {
            match self.proc_binding(id) {
                Some(bm) => {
                    let ctx = self.thread_at(bm);
                    if ctx.p != id {
                        errs.push(format!("tried to stop proc {id} when it wasn't currently executing (currently executing {}) on thread {bm}", ctx.p));
                    }
                    ctx.p = NONE;
                    self.bind_proc(id, None);
                }
                None => errs.push(format!(
                    "stopping proc {id} not bound to any active context"
                )),
            }
        }
    }
}

//! The goroutine and P transition rules of Go's go1.22 test-trace validator.
//!
//! Mirrors the `EventStateTransition` case of go1.22
//! `internal/trace/v2/testtrace/validation.go` `Validator.Event`, with Go's messages.

use super::event::*;
use super::validate::{Sched, Validator};

/// What the goroutine and the P rules name, number and keep differently.
struct Kind {
    res: u8,
    what: &'static str,
    /// The thread's slot for this kind of resource.
    slot: fn(&mut Sched) -> &mut i64,
    /// Go's "tried to stop" message names the event's thread for goroutines, the bound thread
    /// for Ps.
    shows_event_thread: bool,
    undetermined: u8,
    not_exist: u8,
    state_name: fn(u8) -> &'static str,
}

const GOROUTINE: Kind = Kind {
    res: RES_GOROUTINE,
    what: "goroutine",
    slot: |c| &mut c.g,
    shows_event_thread: true,
    undetermined: GO_UNDETERMINED,
    not_exist: GO_NOT_EXIST,
    state_name: go_state_name,
};

const PROC: Kind = Kind {
    res: RES_PROC,
    what: "proc",
    slot: |c| &mut c.p,
    shows_event_thread: false,
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
        match self.table(k.res).get_mut(&id) {
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
                self.table(k.res).insert(id, (new, None));
            }
        }
    }

    /// Goroutine or P `id` starts executing on thread `m`: the thread must run no other.
    fn run_on(&mut self, errs: &mut Vec<String>, k: &Kind, id: i64, m: i64) {
        let what = k.what;
        if let Some(ctx) = self.thread_ctx(errs, m) {
            let slot = (k.slot)(ctx);
            if *slot != NONE && *slot != id {
                errs.push(format!(
                    "tried to run {what} {id} when one was already executing ({slot}) on thread {m}"
                ));
            }
            *slot = id;
            self.bind(k.res, id, Some(m));
        }
    }

    /// Goroutine or P `id` stops executing (the event is on thread `m`): the thread it is bound
    /// to must be running it.
    fn stop(&mut self, errs: &mut Vec<String>, k: &Kind, id: i64, m: i64) {
        let what = k.what;
        let Some(bm) = self.binding(k.res, id) else {
            errs.push(format!(
                "stopping {what} {id} not bound to any active context"
            ));
            return;
        };
        let shown = if k.shows_event_thread { m } else { bm };
        let slot = (k.slot)(self.thread_at(bm));
        if *slot != id {
            errs.push(format!("tried to stop {what} {id} when it wasn't currently executing (currently executing {slot}) on thread {shown}"));
        }
        *slot = NONE;
        self.bind(k.res, id, None);
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
        if go_executing(new) {
            self.run_on(errs, &GOROUTINE, id, e.ctx.m);
        } else if go_executing(old) {
            if t.stack != e.stack() {
                errs.push("StateTransition.Stack doesn't match Event.Stack".into());
            }
            self.stop(errs, &GOROUTINE, id, e.ctx.m);
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
        if new == PROC_STATE_RUNNING {
            self.run_on(errs, &PROC, id, e.ctx.m);
        } else if old == PROC_STATE_RUNNING {
            self.stop(errs, &PROC, id, e.ctx.m);
        }
    }
}

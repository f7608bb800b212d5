//! Go's test-trace validator for go1.22 traces: timestamps, goroutine and P transitions against
//! its own model, thread bindings, ranges and tasks.
//!
//! Mirrors go1.22 `internal/trace/v2/testtrace/validation.go` (`Validator.Event`), with Go's
//! messages. Go's `checkStack` never inspects a frame (its counter stays 0), so stacks are only
//! checked for existence, where Go's `mustGet` panics: that surfaces here as an error
//! `expected id N in trace.stack table` (the oracle's `FAIL: panic: …`).

use super::event::*;
use std::collections::BTreeMap;

/// The M, P and G the validator believes a thread runs (`schedContext`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Sched {
    pub p: i64,
    pub g: i64,
}

/// The validator (`testtrace.Validator`).
#[derive(Debug, Default)]
pub struct Validator {
    last_ts: i64,
    gs: BTreeMap<i64, (u8, Option<i64>)>,
    ps: BTreeMap<i64, (u8, Option<i64>)>,
    ms: BTreeMap<i64, Sched>,
    ranges: BTreeMap<Resource, Vec<String>>,
    tasks: BTreeMap<u64, Vec<u8>>,
    seen_sync: bool,
}

impl Validator {
    /// A fresh validator.
    pub fn new() -> Validator {
        Validator::default()
    }

    /// `Event`: every problem with `e`, joined by newlines like `errors.Join`.
    pub fn event(&mut self, e: &Event<'_>) -> Result<(), String> {
        let mut errs = Vec::new();
        if self.last_ts != 0 && e.time() <= self.last_ts {
            errs.push(format!(
                "timestamp out-of-order for {}",
                super::dump::event_text(e)
            ));
        } else {
            self.last_ts = e.time();
        }
        check_stack(&mut errs, e, e.stack());
        match e.kind() {
            Kind::Sync => self.seen_sync = true,
            Kind::Label => self.label(&mut errs, e),
            Kind::StateTransition => self.transition(&mut errs, e),
            Kind::RangeBegin | Kind::RangeActive | Kind::RangeEnd => self.range(&mut errs, e),
            Kind::TaskBegin | Kind::TaskEnd => self.task(&mut errs, e),
            _ => {}
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.join("\n"))
        }
    }

    fn label(&mut self, errs: &mut Vec<String>, e: &Event<'_>) {
        let Some((l, r)) = e.label() else {
            return;
        };
        if l.is_empty() {
            errs.push("invalid label \"\"".into());
        }
        if !self.gs.contains_key(&r.id) {
            errs.push(format!("label for invalid goroutine {}", r.id));
        }
    }

    fn range(&mut self, errs: &mut Vec<String>, e: &Event<'_>) {
        let Some((name, scope)) = e.range() else {
            return;
        };
        let list = self.ranges.entry(scope).or_default();
        let has = list.contains(&name);
        let q = |n: &str| crate::common::wire::quote::go_quote(n);
        match e.kind() {
            Kind::RangeBegin => {
                if has {
                    let q = q(&name);
                    errs.push(format!("already active range {q} on {scope} begun again"));
                }
                list.push(name);
            }
            Kind::RangeActive if !has => list.push(name),
            Kind::RangeEnd => {
                if !has {
                    let q = q(&name);
                    errs.push(format!("inactive range {q} on {scope} ended"));
                }
                if let Some(i) = list.iter().position(|n| *n == name) {
                    list.remove(i);
                }
            }
            _ => {}
        }
    }

    fn task(&mut self, errs: &mut Vec<String>, e: &Event<'_>) {
        let Some((id, parent, typ)) = e.task() else {
            return;
        };
        let t = String::from_utf8_lossy(typ);
        if e.kind() == Kind::TaskBegin {
            if id == NO_TASK || id == 0 {
                errs.push(format!("found invalid task ID for task of type {t}"));
            }
            if parent == 0 {
                errs.push(format!(
                    "found background task as the parent for task of type {t}"
                ));
            }
            self.tasks.insert(id, typ.to_vec());
        } else if let Some(begun) = self.tasks.remove(&id) {
            if begun != typ {
                let (a, b) = (
                    crate::common::wire::quote::go_quote(&t),
                    String::from_utf8_lossy(&begun),
                );
                let b = crate::common::wire::quote::go_quote(&b);
                errs.push(format!(
                    "task end type {a} doesn't match task start type {b} for task {id}"
                ));
            }
        }
    }

    pub(super) fn seen_sync(&self) -> bool {
        self.seen_sync
    }

    pub(super) fn any_range(&self, r: Resource) -> bool {
        self.ranges.get(&r).is_some_and(|l| !l.is_empty())
    }

    /// `getOrCreateThread`.
    pub(super) fn thread_ctx(&mut self, errs: &mut Vec<String>, m: i64) -> Option<&mut Sched> {
        if m == NONE {
            errs.push("must have thread, but thread ID is none".into());
            return None;
        }
        Some(self.ms.entry(m).or_insert(Sched { p: NONE, g: NONE }))
    }

    /// The thread a goroutine or P is bound to (it exists: bindings are made through it).
    pub(super) fn thread_at(&mut self, m: i64) -> &mut Sched {
        self.ms.entry(m).or_insert(Sched { p: NONE, g: NONE })
    }

    /// The goroutines (`kind` is `RES_GOROUTINE`) or the Ps: state and bound thread by id.
    pub(super) fn table(&mut self, kind: u8) -> &mut BTreeMap<i64, (u8, Option<i64>)> {
        if kind == RES_GOROUTINE {
            &mut self.gs
        } else {
            &mut self.ps
        }
    }

    /// Binds goroutine or P `id` of `kind` to thread `m` (or unbinds it), if it is known.
    pub(super) fn bind(&mut self, kind: u8, id: i64, m: Option<i64>) {
        if let Some(s) = self.table(kind).get_mut(&id) {
            s.1 = m;
        }
    }

    /// The thread goroutine or P `id` of `kind` is bound to.
    pub(super) fn binding(&mut self, kind: u8, id: i64) -> Option<i64> {
        self.table(kind).get(&id).and_then(|s| s.1)
    }

    fn transition(&mut self, errs: &mut Vec<String>, e: &Event<'_>) {
        let Some(t) = e.transition() else {
            return;
        };
        check_stack(errs, e, t.stack);
        if t.resource.kind == RES_GOROUTINE {
            self.go_transition(errs, e, &t);
        } else {
            self.proc_transition(errs, e, &t);
        }
    }
}

/// `checkStack`: the stack must exist (Go's `mustGet` panics otherwise). Its frames' strings
/// need no check here: the reader checked every frame of the generation's stacks when it loaded
/// it (`validateStackStrings`).
fn check_stack(errs: &mut Vec<String>, e: &Event<'_>, stack: Option<u64>) {
    let Some(id) = stack else {
        return;
    };
    if e.table.stacks.get(id).is_none() {
        errs.push(format!("panic: expected id {id} in trace.stack table"));
    }
}

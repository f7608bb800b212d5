//! The non-scheduling cases of the go1.22 ordering state machine: user tasks and regions, GC
//! cycles (with their sequence numbers), sweep, mark assist and stop-the-world ranges, metrics,
//! labels and logs.
//!
//! Mirrors the corresponding cases of go1.22 `internal/trace/v2/order.go` `ordering.advance`
//! and its `rangeState`/`gState.beginRegion`/`endRegion`, with Go's messages.

use super::ev::*;
use super::event::*;
use super::order::{validate_ctx, Adv, Need, Ordering, RangeType, Step, USER_GO};

const GC_NOT_RUNNING: u8 = 1;
const GC_RUNNING: u8 = 2;
const PROC_REQS: [Need; 3] = [Need::Must, Need::Must, Need::May];

/// `makeRangeType`: an end or active event names its begin event.
fn range_type(typ: u8, desc: u64) -> RangeType {
    let start = spec(typ).map_or(0, |s| s.start_ev);
    let typ = if start != EV_NONE { start } else { typ };
    RangeType { typ, desc }
}

fn ranges_v(rs: &[RangeType]) -> String {
    let v: Vec<String> = rs
        .iter()
        .map(|r| format!("{{{} {}}}", r.typ, r.desc))
        .collect();
    format!("[{}]", v.join(" "))
}

/// `rangeState.beginRange`.
fn begin_range(rs: &mut Vec<RangeType>, t: RangeType) -> Result<(), String> {
    if rs.contains(&t) {
        let n = name(t.typ);
        return Err(format!(
            "discovered event already in-flight for when starting event {n}"
        ));
    }
    rs.push(t);
    Ok(())
}

/// `rangeState.activeRange`.
fn active_range(rs: &mut Vec<RangeType>, t: RangeType, initial: bool) -> Result<(), String> {
    if initial {
        if rs.contains(&t) {
            let v = format!("{{{} {}}}", t.typ, t.desc);
            return Err(format!(
                "found named active range already in first gen: {v}"
            ));
        }
        rs.push(t);
    } else if !rs.contains(&t) {
        let (n, v) = (name(t.typ), ranges_v(rs));
        return Err(format!("resource is missing active range: {n} {v}"));
    }
    Ok(())
}

/// `rangeState.endRange`: removes the range begun by `typ`'s start event, returns its desc.
fn end_range(rs: &mut Vec<RangeType>, typ: u8) -> Result<u64, String> {
    let st = spec(typ).map_or(0, |s| s.start_ev);
    let Some(i) = rs.iter().position(|r| r.typ == st) else {
        return Err(format!(
            "tried to end event {}, but not in-flight",
            name(st)
        ));
    };
    Ok(rs.swap_remove(i).desc)
}

impl<'a> Ordering<'a> {
    pub(super) fn dispatch_misc(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let typ = st.ev.typ;
        match typ {
            EV_USER_TASK_BEGIN => self.task_begin(st),
            EV_USER_TASK_END => self.task_end(st),
            EV_USER_REGION_BEGIN | EV_USER_REGION_END => self.region(st),
            EV_GC_ACTIVE | EV_GC_BEGIN | EV_GC_END => self.gc(st),
            EV_GO_LABEL | EV_PROCS_CHANGE | EV_USER_LOG => {
                validate_ctx(st.cur, USER_GO).map(|_| true)
            }
            EV_HEAP_ALLOC | EV_HEAP_GOAL => validate_ctx(st.cur, PROC_REQS).map(|_| true),
            EV_GC_SWEEP_BEGIN | EV_GC_SWEEP_ACTIVE | EV_GC_SWEEP_END => self.sweep(st),
            EV_STW_BEGIN | EV_GC_MARK_ASSIST_BEGIN => self.g_range_begin(st),
            EV_GC_MARK_ASSIST_ACTIVE => self.mark_assist_active(st),
            EV_STW_END | EV_GC_MARK_ASSIST_END => self.g_range_end(st),
            _ => Err(format!("bad event type found while ordering: {typ}")),
        }
    }

    fn task_begin(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let id = st.ev.args[0];
        if self.tasks.contains_key(&id) {
            return Err(format!("task ID conflict: {id}"));
        }
        let mut parent = st.ev.args[1];
        if parent == 0 {
            parent = NO_TASK;
            st.ev.args[1] = NO_TASK;
        }
        let name_id = st.ev.args[2];
        let Some(&name) = st.table.strings.get(name_id) else {
            return Err(format!(
                "invalid string ID {name_id} for {} event",
                st.ev.typ
            ));
        };
        self.tasks.insert(id, (name, parent));
        validate_ctx(st.cur, USER_GO)?;
        Ok(true)
    }

    fn task_end(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let id = st.ev.args[0];
        let (name, parent) = self.tasks.remove(&id).unwrap_or((&[], NO_TASK));
        st.ev.args[2] = parent;
        st.ev.extra_str = name;
        validate_ctx(st.cur, USER_GO)?;
        Ok(true)
    }

    fn region(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        validate_ctx(st.cur, USER_GO)?;
        let (typ, task, name_id) = (st.ev.typ, st.ev.args[0], st.ev.args[1]);
        let Some(&name) = st.table.strings.get(name_id) else {
            return Err(format!("invalid string ID {name_id} for {typ} event"));
        };
        let g = st.cur.g;
        let Some(gs) = self.gs.get_mut(&g) else {
            let ev = if typ == EV_USER_REGION_BEGIN {
                "Begin"
            } else {
                "End"
            };
            return Err(format!(
                "encountered EvUserRegion{ev} without known state for current goroutine {g}"
            ));
        };
        if typ == EV_USER_REGION_BEGIN {
            gs.regions.push((task, name));
            return Ok(true);
        }
        match gs.regions.last() {
            None => {}
            Some(&top) if top == (task, name) => {
                gs.regions.pop();
            }
            Some(&(t, n)) => {
                let (n, name) = (String::from_utf8_lossy(n), String::from_utf8_lossy(name));
                return Err(format!("misuse of region in goroutine {g}: region end {{{task} {name}}} when the inner-most active region start event is {{{t} {n}}}"));
            }
        }
        Ok(true)
    }

    fn gc(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let seq = st.ev.args[0];
        let typ = st.ev.typ;
        if typ == EV_GC_ACTIVE && st.gen == self.initial_gen {
            if self.gc_state != 0 {
                return Err("GCActive in the first generation isn't first GC event".into());
            }
            (self.gc_seq, self.gc_state) = (seq, GC_RUNNING);
            return Ok(true);
        }
        if typ == EV_GC_BEGIN && self.gc_state == 0 {
            (self.gc_seq, self.gc_state) = (seq, GC_RUNNING);
            return Ok(true);
        }
        if seq != self.gc_seq.wrapping_add(1) {
            return Ok(false);
        }
        let next = match (typ, self.gc_state) {
            (EV_GC_ACTIVE, GC_RUNNING) => GC_RUNNING,
            (EV_GC_ACTIVE, _) => {
                return Err("encountered GCActive while GC was not in progress".into())
            }
            (EV_GC_BEGIN, GC_RUNNING) => {
                return Err("encountered GCBegin while GC was already in progress".into())
            }
            (EV_GC_BEGIN, _) => GC_RUNNING,
            (_, GC_NOT_RUNNING) => {
                return Err("encountered GCEnd when GC was not in progress".into())
            }
            (_, 0) => return Err("encountered GCEnd when GC was in an undetermined state".into()),
            _ => GC_NOT_RUNNING,
        };
        (self.gc_seq, self.gc_state) = (seq, next);
        validate_ctx(st.cur, USER_GO)?;
        Ok(true)
    }

    fn sweep(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let typ = st.ev.typ;
        if typ == EV_GC_SWEEP_ACTIVE {
            let pid = st.ev.args[0] as i64;
            let Some(p) = self.ps.get_mut(&pid) else {
                return Err(format!("encountered GCSweepActive for unknown proc {pid}"));
            };
            active_range(
                &mut p.ranges,
                range_type(typ, 0),
                st.gen == self.initial_gen,
            )?;
            return Ok(true);
        }
        validate_ctx(st.cur, PROC_REQS)?;
        let pid = st.cur.p;
        let Some(p) = self.ps.get_mut(&pid) else {
            return Err(format!("no state for proc {pid} during {}", name(typ)));
        };
        if typ == EV_GC_SWEEP_BEGIN {
            begin_range(&mut p.ranges, range_type(typ, 0))?;
        } else {
            end_range(&mut p.ranges, typ)?;
        }
        Ok(true)
    }

    fn g_range_begin(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        validate_ctx(st.cur, USER_GO)?;
        let typ = st.ev.typ;
        let desc = if typ == EV_STW_BEGIN {
            st.ev.args[0]
        } else {
            0
        };
        let g = st.cur.g;
        let Some(gs) = self.gs.get_mut(&g) else {
            return Err(format!(
                "encountered event of type {typ} without known state for current goroutine {g}"
            ));
        };
        begin_range(&mut gs.ranges, range_type(typ, desc))?;
        Ok(true)
    }

    fn mark_assist_active(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let gid = st.ev.args[0] as i64;
        let typ = st.ev.typ;
        let Some(gs) = self.gs.get_mut(&gid) else {
            return Err(format!(
                "uninitialized goroutine {gid} found during {}",
                name(typ)
            ));
        };
        active_range(
            &mut gs.ranges,
            range_type(typ, 0),
            st.gen == self.initial_gen,
        )?;
        Ok(true)
    }

    fn g_range_end(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        validate_ctx(st.cur, USER_GO)?;
        let typ = st.ev.typ;
        let g = st.cur.g;
        let Some(gs) = self.gs.get_mut(&g) else {
            return Err(format!(
                "encountered event of type {typ} without known state for current goroutine {g}"
            ));
        };
        let desc = end_range(&mut gs.ranges, typ)?;
        if typ == EV_STW_END {
            st.ev.args[0] = desc;
        }
        Ok(true)
    }
}

//! The goroutine cases of the go1.22 ordering state machine: status, create, start, stop,
//! block, unblock, syscalls, and goroutines born or dying in a syscall.
//!
//! Mirrors the `EvGo*` cases of go1.22 `internal/trace/v2/order.go` `ordering.advance`, with
//! Go's messages.

use super::ev::*;
use super::event::*;
use super::order::{validate_ctx, Adv, GState, MState, Need, Ordering, Seq, Step, USER_GO};

fn not_in(typ: u8, want: &str) -> String {
    format!("{} event for goroutine that's not {want}", name(typ))
}

fn missing_g(typ: u8, g: i64) -> String {
    format!("event {} for goroutine ({g}) that doesn't exist", name(typ))
}

fn new_g<'a>(status: u64, gen: u64) -> GState<'a> {
    GState {
        status: status as u8,
        seq: Seq { gen, seq: 0 },
        ..GState::default()
    }
}

impl<'a> Ordering<'a> {
    pub(super) fn go_status(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let gid = st.ev.args[0] as i64;
        let mid = st.ev.args[1] as i64;
        let status = st.ev.args[2] as u8 as u64;
        let Some(mut old) = go_state_of_status(status) else {
            return Err(format!("invalid status for goroutine {gid}: {status}"));
        };
        if let Some(s) = self.gs.get_mut(&gid) {
            if s.status as u64 != status {
                let (was, now) = (go_status_name(s.status as u64), go_status_name(status));
                return Err(format!(
                    "inconsistent status for goroutine {gid}: old {was} vs. new {now}"
                ));
            }
            s.seq = Seq {
                gen: st.gen,
                seq: 0,
            };
        } else if st.gen == self.initial_gen {
            self.gs.insert(gid, new_g(status, st.gen));
            old = GO_UNDETERMINED;
        } else {
            let now = go_status_name(status);
            return Err(format!(
                "found goroutine status for new goroutine after the first generation: id={gid} status={now}"
            ));
        }
        let at = st.ev.extra_at();
        st.ev.args[at] = old as u64;
        match status {
            GO_RUNNING => st.new.g = gid,
            GO_SYSCALL => self.go_status_syscall(st, gid, mid)?,
            _ => {}
        }
        Ok(true)
    }

    fn go_status_syscall(
        &mut self,
        st: &mut Step<'_, 'a>,
        gid: i64,
        mid: i64,
    ) -> Result<(), String> {
        let inconsistent = |had: i64| {
            format!(
                "inconsistent thread for syscalling goroutine {gid}: thread has goroutine {had}"
            )
        };
        if mid == NONE {
            return Err(format!("found goroutine {gid} in syscall without a thread"));
        }
        if mid == st.cur.m {
            if st.gen != self.initial_gen && st.cur.g != gid {
                return Err(inconsistent(st.cur.g));
            }
            st.new.g = gid;
            return Ok(());
        }
        match self.ms.get(&mid) {
            Some(ms) if ms.g != gid => return Err(inconsistent(ms.g)),
            Some(ms) => st.cur.g = ms.g,
            None => {
                self.ms.insert(mid, MState { g: gid, p: NONE });
            }
        }
        st.cur.m = mid;
        Ok(())
    }

    pub(super) fn go_create(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        validate_ctx(st.cur, [Need::Must, Need::Must, Need::May])?;
        if let Some(s) = self.gs.get(&st.cur.g) {
            if s.status as u64 != GO_RUNNING {
                return Err(not_in(st.ev.typ, "Running"));
            }
        }
        let newg = st.ev.args[0] as i64;
        if self.gs.contains_key(&newg) {
            return Err(format!(
                "tried to create goroutine ({newg}) that already exists"
            ));
        }
        self.gs.insert(newg, new_g(GO_RUNNABLE, st.gen));
        Ok(true)
    }

    pub(super) fn go_stop(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        validate_ctx(st.cur, USER_GO)?;
        let typ = st.ev.typ;
        let Some(s) = self.gs.get_mut(&st.cur.g) else {
            return Err(missing_g(typ, st.cur.g));
        };
        if s.status as u64 != GO_RUNNING {
            return Err(not_in(typ, "Running"));
        }
        match typ {
            EV_GO_DESTROY => {
                self.gs.remove(&st.cur.g);
            }
            EV_GO_STOP => s.status = GO_RUNNABLE as u8,
            _ => s.status = GO_WAITING as u8,
        }
        st.new.g = NONE;
        Ok(true)
    }

    pub(super) fn go_start(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let gid = st.ev.args[0] as i64;
        let seq = Seq {
            gen: st.gen,
            seq: st.ev.args[1],
        };
        let Some(s) = self.gs.get_mut(&gid) else {
            return Ok(false);
        };
        if s.status as u64 != GO_RUNNABLE || !seq.succeeds(s.seq) {
            return Ok(false);
        }
        validate_ctx(st.cur, [Need::Must, Need::Must, Need::MustNot])?;
        s.status = GO_RUNNING as u8;
        s.seq = seq;
        st.new.g = gid;
        Ok(true)
    }

    pub(super) fn go_unblock(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let gid = st.ev.args[0] as i64;
        let seq = Seq {
            gen: st.gen,
            seq: st.ev.args[1],
        };
        let Some(s) = self.gs.get_mut(&gid) else {
            return Ok(false);
        };
        if s.status as u64 != GO_WAITING || !seq.succeeds(s.seq) {
            return Ok(false);
        }
        s.status = GO_RUNNABLE as u8;
        s.seq = seq;
        Ok(true)
    }

    pub(super) fn syscall_begin(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        validate_ctx(st.cur, USER_GO)?;
        let typ = st.ev.typ;
        let Some(s) = self.gs.get_mut(&st.cur.g) else {
            return Err(missing_g(typ, st.cur.g));
        };
        if s.status as u64 != GO_RUNNING {
            return Err(not_in(typ, "Running"));
        }
        s.status = GO_SYSCALL as u8;
        let Some(p) = self.ps.get_mut(&st.cur.p) else {
            let pid = st.cur.p;
            return Err(format!(
                "uninitialized proc {pid} found during {}",
                name(typ)
            ));
        };
        p.status = PROC_SYSCALL as u8;
        let pseq = Seq {
            gen: st.gen,
            seq: st.ev.args[0],
        };
        if !pseq.succeeds(p.seq) {
            return Err(format!(
                "failed to advance {}: can't make sequence: {} -> {pseq}",
                name(typ),
                p.seq
            ));
        }
        p.seq = pseq;
        Ok(true)
    }

    pub(super) fn syscall_end(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        validate_ctx(st.cur, USER_GO)?;
        let typ = st.ev.typ;
        let Some(s) = self.gs.get_mut(&st.cur.g) else {
            return Err(missing_g(typ, st.cur.g));
        };
        if s.status as u64 != GO_SYSCALL {
            return Err(not_in(typ, "Running"));
        }
        s.status = GO_RUNNING as u8;
        let pid = st.cur.p;
        let Some(p) = self.ps.get_mut(&pid) else {
            return Err(format!(
                "uninitialized proc {pid} found during {}",
                name(typ)
            ));
        };
        if p.status as u64 != PROC_SYSCALL {
            let got = proc_status_name(p.status as u64);
            return Err(format!(
                "expected proc {pid} in state Syscall, but got {got} instead"
            ));
        }
        p.status = PROC_RUNNING as u8;
        Ok(true)
    }

    pub(super) fn syscall_end_blocked(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let typ = st.ev.typ;
        if st.cur.p != NONE {
            let pid = st.cur.p;
            let Some(p) = self.ps.get(&pid) else {
                return Err(format!(
                    "uninitialized proc {pid} found during {}",
                    name(typ)
                ));
            };
            if p.status as u64 == PROC_SYSCALL {
                return Ok(false);
            }
        }
        validate_ctx(st.cur, [Need::Must, Need::May, Need::Must])?;
        let Some(s) = self.gs.get_mut(&st.cur.g) else {
            return Err(missing_g(typ, st.cur.g));
        };
        if s.status as u64 != GO_SYSCALL {
            return Err(not_in(typ, "Running"));
        }
        st.new.g = NONE;
        s.status = GO_RUNNABLE as u8;
        Ok(true)
    }

    pub(super) fn go_create_syscall(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        validate_ctx(st.cur, [Need::Must, Need::May, Need::MustNot])?;
        let newg = st.ev.args[0] as i64;
        if self.gs.contains_key(&newg) {
            return Err(format!(
                "tried to create goroutine ({newg}) in syscall that already exists"
            ));
        }
        self.gs.insert(newg, new_g(GO_SYSCALL, st.gen));
        st.new.g = newg;
        Ok(true)
    }

    pub(super) fn go_destroy_syscall(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        validate_ctx(st.cur, [Need::Must, Need::May, Need::Must])?;
        let typ = st.ev.typ;
        let Some(s) = self.gs.get(&st.cur.g) else {
            return Err(missing_g(typ, st.cur.g));
        };
        if s.status as u64 != GO_SYSCALL {
            return Err(not_in(typ, "Syscall"));
        }
        self.gs.remove(&st.cur.g);
        st.new.g = NONE;
        if st.cur.p == NONE {
            return Ok(true);
        }
        let pid = st.cur.p;
        let Some(p) = self.ps.get_mut(&pid) else {
            return Err(format!("found invalid proc {pid} during {}", name(typ)));
        };
        if p.status as u64 != PROC_SYSCALL {
            let got = proc_status_name(p.status as u64);
            return Err(format!(
                "proc {pid} in unexpected state {got} during {}",
                name(typ)
            ));
        }
        p.status = PROC_SYSCALL_ABANDONED as u8;
        st.new.p = NONE;
        let mut steal = BaseEvent {
            typ: EV_PROC_STEAL,
            time: st.ev.time,
            ..BaseEvent::default()
        };
        steal.args[0] = pid as u64;
        steal.args[3] = PROC_SYSCALL;
        self.extra = Some((steal, st.cur));
        Ok(true)
    }
}

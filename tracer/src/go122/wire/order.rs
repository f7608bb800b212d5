//! The go1.22 reader's ordering state machine: which event may come next, given the state of
//! every goroutine, P and M so far.
//!
//! Mirrors go1.22 `internal/trace/v2/order.go` (`ordering.advance`, `validateCtx`, `gState`,
//! `pState`, `mState`, `seqCounter`), with Go's messages. This file holds the state and the P
//! events; `order_go.rs` the goroutine events; `order_misc.rs` tasks, regions, GC and ranges.
//! Go keeps its states in maps; here they are `BTreeMap`s, so where Go iterates a map (finding
//! the M of a P being stolen) the last M in id order wins.

use super::ev::*;
use super::event::*;
use super::gen::Table;
use std::collections::BTreeMap;

/// A generation-local sequence number (`seqCounter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Seq {
    pub gen: u64,
    pub seq: u64,
}

impl Seq {
    /// `succeeds`: same generation and exactly one more.
    pub fn succeeds(self, b: Seq) -> bool {
        self.gen == b.gen && self.seq == b.seq.wrapping_add(1)
    }
}

impl std::fmt::Display for Seq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (gen={})", self.seq, self.gen)
    }
}

/// An in-flight range: its begin event type and optional description string id (`rangeType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeType {
    pub typ: u8,
    pub desc: u64,
}

/// A goroutine's state (`gState`).
#[derive(Debug, Clone, Default)]
pub struct GState<'a> {
    pub status: u8,
    pub seq: Seq,
    pub regions: Vec<(u64, &'a [u8])>,
    pub ranges: Vec<RangeType>,
}

/// A P's state (`pState`).
#[derive(Debug, Clone, Default)]
pub struct PState {
    pub status: u8,
    pub seq: Seq,
    pub ranges: Vec<RangeType>,
}

/// The goroutine and P an M is running (`mState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MState {
    pub g: i64,
    pub p: i64,
}

/// Ms by id (`mStates`): few, looked up on every event, so a sorted vector.
#[derive(Debug, Default)]
pub struct MTable(Vec<(i64, MState)>);

impl MTable {
    /// The state of M `m`, if known.
    pub fn get(&self, m: &i64) -> Option<&MState> {
        let i = self.0.binary_search_by_key(m, |e| e.0).ok()?;
        Some(&self.0[i].1)
    }

    /// The state of M `m`, mutable, if known.
    pub fn get_mut(&mut self, m: &i64) -> Option<&mut MState> {
        let i = self.0.binary_search_by_key(m, |e| e.0).ok()?;
        Some(&mut self.0[i].1)
    }

    /// Sets the state of M `m`.
    pub fn insert(&mut self, m: i64, s: MState) {
        match self.0.binary_search_by_key(&m, |e| e.0) {
            Ok(i) => self.0[i].1 = s,
            Err(i) => self.0.insert(i, (m, s)),
        }
    }

    /// Every M in id order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&i64, &MState)> {
        self.0.iter().map(|(m, s)| (m, s))
    }
}

/// What the reader has learnt so far (`ordering`).
#[derive(Debug, Default)]
pub struct Ordering<'a> {
    pub gs: BTreeMap<i64, GState<'a>>,
    pub ps: BTreeMap<i64, PState>,
    pub ms: MTable,
    pub tasks: BTreeMap<u64, (&'a [u8], u64)>,
    pub gc_seq: u64,
    /// 0 undetermined, 1 not running, 2 running (`gcState`).
    pub gc_state: u8,
    pub initial_gen: u64,
    /// An event the last advance implied (the `ProcSteal` after a `GoDestroySyscall`).
    pub extra: Option<(BaseEvent<'a>, Ctx)>,
}

/// Scheduling requirement of an event (`event.Constraint`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    MustNot,
    May,
    Must,
}

/// `validateCtx`: thread, proc, goroutine requirements in that order.
pub fn validate_ctx(c: Ctx, reqs: [Need; 3]) -> Result<(), String> {
    let names = ["thread", "proc", "goroutine"];
    for (i, (have, need)) in [c.m, c.p, c.g].into_iter().zip(reqs).enumerate() {
        if need == Need::Must && have == NONE {
            return Err(format!("expected a {} but didn't have one", names[i]));
        }
        if need == Need::MustNot && have != NONE {
            return Err(format!("expected no {} but had one", names[i]));
        }
    }
    Ok(())
}

/// `event.UserGoReqs`: thread, proc and goroutine all required.
pub const USER_GO: [Need; 3] = [Need::Must, Need::Must, Need::Must];

/// The contexts of one advance: `cur` is reported with the event, `new` is the M's afterwards.
pub struct Step<'e, 'a> {
    pub ev: &'e mut BaseEvent<'a>,
    pub table: &'e Table<'a>,
    pub gen: u64,
    pub cur: Ctx,
    pub new: Ctx,
}

/// `Ok(true)` advanced, `Ok(false)` not yet possible, `Err` the trace is broken.
pub type Adv = Result<bool, String>;

impl<'a> Ordering<'a> {
    /// `advance`: whether `ev`, next on M `m`, may happen now; if so, its context.
    pub fn advance(
        &mut self,
        ev: &mut BaseEvent<'a>,
        table: &Table<'a>,
        m: i64,
        gen: u64,
    ) -> Result<Option<Ctx>, String> {
        if self.initial_gen == 0 {
            self.initial_gen = gen;
        }
        let mut cur = Ctx {
            g: NONE,
            p: NONE,
            m,
        };
        if m != NONE {
            let ms = match self.ms.get(&m) {
                Some(s) => *s,
                None => {
                    let none = MState { g: NONE, p: NONE };
                    self.ms.insert(m, none);
                    none
                }
            };
            (cur.g, cur.p) = (ms.g, ms.p);
        }
        let mut st = Step {
            ev,
            table,
            gen,
            cur,
            new: cur,
        };
        let res = self.dispatch(&mut st);
        if m != NONE {
            self.ms.insert(
                m,
                MState {
                    g: st.new.g,
                    p: st.new.p,
                },
            );
        }
        Ok(res?.then_some(st.cur))
    }

    fn dispatch(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        match st.ev.typ {
            EV_PROC_STATUS => self.proc_status(st),
            EV_PROC_START => self.proc_start(st),
            EV_PROC_STOP => self.proc_stop(st),
            EV_PROC_STEAL => self.proc_steal(st),
            EV_GO_STATUS => self.go_status(st),
            EV_GO_CREATE => self.go_create(st),
            EV_GO_DESTROY | EV_GO_STOP | EV_GO_BLOCK => self.go_stop(st),
            EV_GO_START => self.go_start(st),
            EV_GO_UNBLOCK => self.go_unblock(st),
            EV_GO_SYSCALL_BEGIN => self.syscall_begin(st),
            EV_GO_SYSCALL_END => self.syscall_end(st),
            EV_GO_SYSCALL_END_BLOCKED => self.syscall_end_blocked(st),
            EV_GO_CREATE_SYSCALL => self.go_create_syscall(st),
            EV_GO_DESTROY_SYSCALL => self.go_destroy_syscall(st),
            _ => self.dispatch_misc(st),
        }
    }

    fn proc_status(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let pid = st.ev.args[0] as i64;
        let status = st.ev.args[1] as u8 as u64;
        let Some(mut old) = proc_state_of_status(status) else {
            return Err(format!("invalid status for proc {pid}: {status}"));
        };
        if let Some(s) = self.ps.get_mut(&pid) {
            let abandoned = status == PROC_SYSCALL_ABANDONED;
            if abandoned && s.status as u64 == PROC_SYSCALL {
                old = PROC_STATE_RUNNING;
                st.ev.args[1] = PROC_SYSCALL;
            } else if abandoned && s.status as u64 == PROC_SYSCALL_ABANDONED {
                old = PROC_STATE_IDLE;
                st.ev.args[1] = PROC_SYSCALL_ABANDONED;
            } else if s.status as u64 != status {
                let (was, now) = (proc_status_name(s.status as u64), proc_status_name(status));
                return Err(format!(
                    "inconsistent status for proc {pid}: old {was} vs. new {now}"
                ));
            }
            s.seq = Seq {
                gen: st.gen,
                seq: 0,
            };
        } else {
            let seq = Seq {
                gen: st.gen,
                seq: 0,
            };
            let ranges = Vec::new();
            self.ps.insert(
                pid,
                PState {
                    status: status as u8,
                    seq,
                    ranges,
                },
            );
            old = if st.gen == self.initial_gen {
                PROC_UNDETERMINED
            } else {
                PROC_NOT_EXIST
            };
        }
        let at = st.ev.extra_at();
        st.ev.args[at] = old as u64;
        if status == PROC_RUNNING || status == PROC_SYSCALL {
            st.new.p = pid;
        }
        if status == PROC_SYSCALL_ABANDONED && old == PROC_STATE_RUNNING {
            let owner = self.ms.iter().rev().find(|(_, ms)| ms.p == pid);
            let Some((&mid, ms)) = owner else {
                let msg = "failed to find sched context for proc {pid} that's about to be stolen";
                return Err(msg.replace("{pid}", &pid.to_string()));
            };
            st.cur = Ctx {
                m: mid,
                p: pid,
                g: ms.g,
            };
        }
        Ok(true)
    }

    fn proc_start(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let pid = st.ev.args[0] as i64;
        let seq = Seq {
            gen: st.gen,
            seq: st.ev.args[1],
        };
        let Some(s) = self.ps.get_mut(&pid) else {
            return Ok(false);
        };
        if s.status as u64 != PROC_IDLE || !seq.succeeds(s.seq) || st.cur.p != NONE {
            return Ok(false);
        }
        validate_ctx(st.cur, [Need::Must, Need::MustNot, Need::May])?;
        s.status = PROC_RUNNING as u8;
        s.seq = seq;
        st.new.p = pid;
        Ok(true)
    }

    fn proc_stop(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let Some(s) = self.ps.get_mut(&st.cur.p) else {
            let p = st.cur.p;
            return Err(format!("event ProcStop for proc ({p}) that doesn't exist"));
        };
        if s.status as u64 != PROC_RUNNING && s.status as u64 != PROC_SYSCALL {
            return Err("ProcStop event for proc that's not Running or Syscall".into());
        }
        validate_ctx(st.cur, [Need::Must, Need::Must, Need::May])?;
        s.status = PROC_IDLE as u8;
        st.new.p = NONE;
        Ok(true)
    }

    fn proc_steal(&mut self, st: &mut Step<'_, 'a>) -> Adv {
        let pid = st.ev.args[0] as i64;
        let seq = Seq {
            gen: st.gen,
            seq: st.ev.args[1],
        };
        let Some(s) = self.ps.get_mut(&pid) else {
            return Ok(false);
        };
        let in_syscall = matches!(s.status as u64, PROC_SYSCALL | PROC_SYSCALL_ABANDONED);
        if !in_syscall || !seq.succeeds(s.seq) {
            return Ok(false);
        }
        validate_ctx(st.cur, [Need::Must, Need::May, Need::May])?;
        let old = s.status;
        st.ev.args[3] = old as u64;
        s.status = PROC_IDLE as u8;
        s.seq = seq;
        if old as u64 == PROC_SYSCALL_ABANDONED {
            return Ok(true);
        }
        let mid = st.ev.args[2] as i64;
        if mid == st.cur.m {
            if st.cur.p != pid {
                let got = st.cur.p;
                return Err(format!(
                    "tried to self-steal proc {pid} (thread {mid}), but got proc {got} instead"
                ));
            }
            st.new.p = NONE;
            return Ok(true);
        }
        let Some(ms) = self.ms.get_mut(&mid) else {
            return Err(format!("stole proc from non-existent thread {mid}"));
        };
        if ms.p != pid {
            let got = ms.p;
            return Err(format!(
                "tried to steal proc {pid} from thread {mid}, but got proc {got} instead"
            ));
        }
        ms.p = NONE;
        Ok(true)
    }
}

//! Inter-event verification of a merged trace: the P, G and GC state machines.
//!
//! Mirrors go1.21 `postProcessTrace` in `internal/trace/parser.go` (version 1021 branch), with
//! its error messages, minus the `Link` pointers it fills in. It keeps the information
//! restoration that changes the output: `GCStart` moves to the GC fake P, an unblock of a
//! goroutine blocked on the network moves to the netpoll fake P, and a goroutine's first
//! `GoStart` takes the stack of its creation site.

use super::ev::{self, *};
use super::parse::{Event, GC_P, NETPOLL_P, TIMER_P};
use super::user::User;
use crate::common::wire::id_map::IdMap;
use crate::common::wire::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum GStatus {
    #[default]
    Dead,
    Runnable,
    Running,
    Waiting,
}

#[derive(Debug, Clone, Copy, Default)]
struct GDesc {
    state: GStatus,
    /// Type of the last event that changed the goroutine's waiting state (`gdesc.ev`).
    ev: Option<u8>,
    /// Start-stack id of the creating `GoCreate`, until the first `GoStart` takes it.
    create_stack: Option<u64>,
    mark_assist: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct PDesc {
    running: bool,
    g: u64,
    sweep: bool,
}

#[derive(Default)]
struct Post {
    gs: IdMap<GDesc>,
    /// By `p as u64`.
    ps: IdMap<PDesc>,
    user: User,
    gc: bool,
    stw: bool,
}

/// Runs `postProcessTrace` over merged, time-converted events, updating them in place.
pub(super) fn post_process(events: &mut [Event]) -> Result<(), Error> {
    let mut st = Post::default();
    st.gs.insert(
        0,
        GDesc {
            state: GStatus::Running,
            ..GDesc::default()
        },
    );
    for i in 0..events.len() {
        st.step(events, i)?;
    }
    Ok(())
}

fn err(ev: &Event, what: String) -> Error {
    Error::at(
        ev.off,
        format!("{what} (offset {}, time {})", ev.off, ev.ts),
    )
}

fn check_running(p: &PDesc, g: &GDesc, ev: &Event, allow_g0: bool) -> Result<(), Error> {
    let name = ev::name(ev.typ);
    if g.state != GStatus::Running {
        return Err(err(ev, format!("g {} is not running while {name}", ev.g)));
    }
    if p.g != ev.g {
        return Err(err(
            ev,
            format!("p {} is not running g {} while {name}", ev.p, ev.g),
        ));
    }
    if !allow_g0 && ev.g == 0 {
        return Err(err(ev, format!("g 0 did {name}")));
    }
    Ok(())
}

/// A begin/end pair (`evGC`, `evSTW`, `p.evSweep`, `g.evMarkAssist`): a begin while open is an
/// error, and so is an end while closed when `bogus` names it (mark-assist ends are tolerated).
fn pair(open: &mut bool, begin: bool, ev: &Event, what: &str, bogus: bool) -> Result<(), Error> {
    match (begin, *open) {
        (true, true) => Err(err(
            ev,
            format!("previous {what} is not ended before a new one"),
        )),
        (false, false) if bogus => Err(err(ev, format!("bogus {what} end"))),
        _ => {
            *open = begin;
            Ok(())
        }
    }
}

fn proc(p: &mut PDesc, ev: &Event) -> Result<(), Error> {
    let start = ev.typ == EV_PROC_START;
    if start && p.running {
        return Err(err(ev, format!("p {} is running before start", ev.p)));
    }
    if !start && !p.running {
        return Err(err(ev, format!("p {} is not running before stop", ev.p)));
    }
    if !start && p.g != 0 {
        let msg = format!("p {} is running a goroutine {} during stop", ev.p, p.g);
        return Err(err(ev, msg));
    }
    p.running = start;
    Ok(())
}

/// `GoWaiting`/`GoInSyscall`: a goroutine found blocked or in a syscall when tracing started.
fn blocked_at_start(g: &mut GDesc, ev: &Event) -> Result<(), Error> {
    if g.state != GStatus::Runnable {
        let name = if ev.typ == EV_GO_WAITING {
            "EvGoWaiting"
        } else {
            "EvGoInSyscall"
        };
        return Err(err(ev, format!("g {} is not runnable before {name}", ev.g)));
    }
    (g.state, g.ev) = (GStatus::Waiting, Some(ev.typ));
    Ok(())
}

impl Post {
    fn step(&mut self, events: &mut [Event], i: usize) -> Result<(), Error> {
        let (eg, ep) = (events[i].g, events[i].p);
        let mut g = self.gs.get(eg).copied().unwrap_or_default();
        let mut p = self.ps.get(ep as u64).copied().unwrap_or_default();
        let ev = &mut events[i];
        match ev.typ {
            EV_PROC_START | EV_PROC_STOP => proc(&mut p, ev)?,
            EV_GC_START
            | EV_GC_DONE
            | EV_STW_START
            | EV_STW_DONE
            | EV_GC_SWEEP_START
            | EV_GC_SWEEP_DONE
            | EV_GC_MARK_ASSIST_START
            | EV_GC_MARK_ASSIST_DONE => self.gc(&mut g, &mut p, ev)?,
            EV_GO_WAITING | EV_GO_IN_SYSCALL => blocked_at_start(&mut g, ev)?,
            EV_GO_CREATE | EV_GO_START | EV_GO_START_LABEL | EV_GO_UNBLOCK => {
                self.schedule(&mut g, &mut p, ev)?
            }
            EV_USER_TASK_CREATE | EV_USER_TASK_END | EV_USER_REGION => self.user.step(events, i)?,
            _ => self.running(&mut g, &mut p, ev)?,
        }
        self.gs.insert(eg, g);
        self.ps.insert(events[i].p as u64, p);
        Ok(())
    }

    /// GC, stop-the-world, sweep and mark-assist begin/end pairs.
    fn gc(&mut self, g: &mut GDesc, p: &mut PDesc, ev: &mut Event) -> Result<(), Error> {
        let begin = matches!(
            ev.typ,
            EV_GC_START | EV_STW_START | EV_GC_SWEEP_START | EV_GC_MARK_ASSIST_START
        );
        match ev.typ {
            EV_GC_START | EV_GC_DONE => pair(&mut self.gc, begin, ev, "GC", true)?,
            EV_STW_START | EV_STW_DONE => pair(&mut self.stw, begin, ev, "STW", true)?,
            EV_GC_SWEEP_START | EV_GC_SWEEP_DONE => {
                pair(&mut p.sweep, begin, ev, "sweeping", true)?
            }
            _ => pair(&mut g.mark_assist, begin, ev, "mark assist", false)?,
        }
        if ev.typ == EV_GC_START {
            ev.p = GC_P;
        }
        Ok(())
    }

    /// Events of the running goroutine that end or suspend its run.
    fn running(&mut self, g: &mut GDesc, p: &mut PDesc, ev: &mut Event) -> Result<(), Error> {
        use GStatus::*;
        match ev.typ {
            EV_GO_END | EV_GO_STOP => {
                check_running(p, g, ev, false)?;
                (g.state, p.g) = (Dead, 0);
                if ev.typ == EV_GO_END {
                    self.user.goroutine_end(ev.g);
                }
            }
            EV_GO_SCHED | EV_GO_PREEMPT => {
                check_running(p, g, ev, false)?;
                (g.state, p.g, g.ev) = (Runnable, 0, Some(ev.typ));
            }
            EV_GO_SYS_CALL => {
                check_running(p, g, ev, false)?;
                g.ev = Some(ev.typ);
            }
            EV_GO_SYS_BLOCK => {
                check_running(p, g, ev, false)?;
                (g.state, p.g) = (Waiting, 0);
            }
            EV_GO_SYS_EXIT if g.state != Waiting => {
                return Err(err(
                    ev,
                    format!("g {} is not waiting during syscall exit", ev.g),
                ));
            }
            EV_GO_SYS_EXIT => (g.state, g.ev) = (Runnable, Some(ev.typ)),
            EV_GO_SLEEP | EV_GO_BLOCK | EV_GO_BLOCK_SEND | EV_GO_BLOCK_RECV
            | EV_GO_BLOCK_SELECT | EV_GO_BLOCK_SYNC | EV_GO_BLOCK_COND | EV_GO_BLOCK_NET
            | EV_GO_BLOCK_GC => {
                check_running(p, g, ev, false)?;
                (g.state, g.ev, p.g) = (Waiting, Some(ev.typ), 0);
            }
            _ => {}
        }
        Ok(())
    }

    /// Goroutine creation, start and unblock.
    fn schedule(&mut self, g: &mut GDesc, p: &mut PDesc, ev: &mut Event) -> Result<(), Error> {
        use GStatus::*;
        match ev.typ {
            EV_GO_CREATE => {
                check_running(p, g, ev, true)?;
                let new = ev.args[0];
                if self.gs.contains_key(new) {
                    return Err(err(ev, format!("g {new} already exists")));
                }
                let create_stack = Some(ev.args[1]);
                self.gs.insert(
                    new,
                    GDesc {
                        state: Runnable,
                        ev: Some(ev.typ),
                        create_stack,
                        ..GDesc::default()
                    },
                );
            }
            EV_GO_START | EV_GO_START_LABEL => {
                if g.state != Runnable {
                    return Err(err(ev, format!("g {} is not runnable before start", ev.g)));
                }
                if p.g != 0 {
                    let msg = format!(
                        "p {} is already running g {} while start g {}",
                        ev.p, p.g, ev.g
                    );
                    return Err(err(ev, msg));
                }
                (g.state, p.g) = (Running, ev.g);
                if let Some(stack) = g.create_stack.take() {
                    ev.stk_id = stack;
                }
                g.ev = None;
            }
            _ => self.unblock(g, p, ev)?,
        }
        Ok(())
    }

    fn unblock(&mut self, g: &GDesc, p: &PDesc, ev: &mut Event) -> Result<(), Error> {
        if g.state != GStatus::Running {
            return Err(err(ev, format!("g {} is not running while unpark", ev.g)));
        }
        if ev.p != TIMER_P && p.g != ev.g {
            return Err(err(
                ev,
                format!("p {} is not running g {} while unpark", ev.p, ev.g),
            ));
        }
        let target = ev.args[0];
        let mut g1 = self.gs.get(target).copied().unwrap_or_default();
        if g1.state != GStatus::Waiting {
            return Err(err(ev, format!("g {target} is not waiting before unpark")));
        }
        if g1.ev == Some(EV_GO_BLOCK_NET) && ev.p != TIMER_P {
            ev.p = NETPOLL_P;
        }
        (g1.state, g1.ev) = (GStatus::Runnable, Some(ev.typ));
        self.gs.insert(target, g1);
        Ok(())
    }
}

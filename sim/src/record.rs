//! The step recorder: what each simulated thread did at each scheduling step, for the
//! interleaving view (`tracesim replay --explain`) and the timeline files.
//!
//! It is off unless a caller turns it on for one execution on this OS thread ([`start`] …
//! [`finish`]); off, every hook costs one thread-local flag test. The facade primitives call the
//! `pub(crate)` hooks (lock/unlock with the lock's name and rank, park/unpark, semaphores,
//! spawn/join, yield); the code under test calls the public ones: [`note`] for protocol steps the
//! primitives do not show ("stopTheWorld"), [`trace_event`] for each Go trace event written,
//! [`frame`] to name the function a thread is in (Go's `readTrace0`, `traceFlush`, …; entering
//! it is an event too), [`cell_access`] for named cells. The panic hook records the failing check ([`failed`]) with the frames it failed in.

use crate::ctx;
use crate::rank::LockClass;
use std::cell::{Cell, RefCell};
use std::panic::Location;

/// What a thread did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    /// The thread started, with its name.
    Start(String),
    /// Acquired a lock: its name, its rank (if ranked), whether shared, and where.
    Lock {
        name: String,
        rank: Option<u32>,
        shared: bool,
        site: String,
    },
    /// Released a lock.
    Unlock { name: String, shared: bool },
    /// Parked (Go's `gopark`) on the named slot, and woke again.
    Park(String),
    /// Woke the named slot (Go's `goready`).
    Unpark(String),
    /// `semacquire` returned.
    SemAcquire(String),
    /// `semrelease`.
    SemRelease(String),
    /// Joined the thread with this task id.
    Join(usize),
    /// `osyield` / `Gosched`.
    Yield,
    /// Entered a named function of the code under test (Go's `traceFlush`, `readTrace0`).
    Enter(&'static str),
    /// Left it.
    Exit(&'static str),
    /// A protocol step the code under test named ("stopTheWorld").
    Note(String),
    /// Wrote a Go trace event (its name, as Go's parser prints it).
    TraceEvent(&'static str),
    /// An access to a named cell: its name, write or read, and where.
    Cell {
        name: String,
        write: bool,
        site: String,
    },
    /// The failing check: its message.
    Fail(String),
}

/// One recorded event: the step it happened at, the thread, the functions it was in
/// (innermost first) and what it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub step: u64,
    pub task: usize,
    pub frames: Vec<&'static str>,
    pub what: What,
}

/// Everything recorded in one execution.
#[derive(Clone, Debug, Default)]
pub struct Recording {
    pub events: Vec<Event>,
}

impl Recording {
    /// The name of task `id`, from its start event (`task-N` if it never started).
    pub fn name_of(&self, id: usize) -> String {
        self.events
            .iter()
            .find_map(|e| match &e.what {
                What::Start(n) if e.task == id => Some(n.clone()),
                _ => None,
            })
            .unwrap_or_else(|| format!("task-{id}"))
    }

    /// The task ids that appear, in order of their first event.
    pub fn tasks(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for e in &self.events {
            if !out.contains(&e.task) {
                out.push(e.task);
            }
        }
        out
    }
}

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    static EVENTS: RefCell<Vec<Event>> = const { RefCell::new(Vec::new()) };
    /// Per task id, the stack of named functions it is in (outermost first).
    static FRAMES: RefCell<Vec<Vec<&'static str>>> = const { RefCell::new(Vec::new()) };
}

/// Turns the recorder on for the executions that run next on this OS thread.
pub fn start() {
    EVENTS.with(|e| e.borrow_mut().clear());
    FRAMES.with(|f| f.borrow_mut().clear());
    ON.with(|o| o.set(true));
}

/// Turns the recorder off and returns what it recorded.
pub fn finish() -> Recording {
    ON.with(|o| o.set(false));
    FRAMES.with(|f| f.borrow_mut().clear());
    Recording {
        events: EVENTS.with(|e| std::mem::take(&mut *e.borrow_mut())),
    }
}

#[inline]
fn on() -> bool {
    ON.with(Cell::get)
}

fn frames_of(task: usize) -> Vec<&'static str> {
    FRAMES.with(|f| {
        f.borrow()
            .get(task)
            .map(|s| s.iter().rev().copied().collect())
            .unwrap_or_default()
    })
}

fn push_for(task: usize, what: What) {
    let step = ctx::with(|c| c.step).unwrap_or(0);
    let frames = frames_of(task);
    EVENTS.with(|e| {
        e.borrow_mut().push(Event {
            step,
            task,
            frames,
            what,
        })
    });
}

fn push(what: impl FnOnce() -> What) {
    if !on() {
        return;
    }
    if let Some(task) = ctx::scheduled() {
        push_for(task, what());
    }
}

fn short(site: &Location<'_>) -> String {
    let file = site.file().rsplit('/').next().unwrap_or(site.file());
    format!("{file}:{}", site.line())
}

pub(crate) fn started(name: &str) {
    push(|| What::Start(name.to_string()));
}

pub(crate) fn lock(name: &str, class: Option<&LockClass>, shared: bool, site: &Location<'_>) {
    push(|| What::Lock {
        name: class.map_or(name, |c| c.name).to_string(),
        rank: class.map(|c| c.rank),
        shared,
        site: short(site),
    });
}

pub(crate) fn unlock(name: &str, class: Option<&LockClass>, shared: bool) {
    push(|| What::Unlock {
        name: class.map_or(name, |c| c.name).to_string(),
        shared,
    });
}

pub(crate) fn park(name: &str) {
    push(|| What::Park(name.to_string()));
}

pub(crate) fn unpark(name: &str) {
    push(|| What::Unpark(name.to_string()));
}

pub(crate) fn sem_acquire(name: &str) {
    push(|| What::SemAcquire(name.to_string()));
}

pub(crate) fn sem_release(name: &str) {
    push(|| What::SemRelease(name.to_string()));
}

pub(crate) fn join(task: usize) {
    push(|| What::Join(task));
}

pub(crate) fn yielded() {
    push(|| What::Yield);
}

/// Records the failing check of task `task` (the panic hook calls it before unwinding, so the
/// frames are those it failed in).
pub(crate) fn failed(task: Option<usize>, message: &str) {
    if let (true, Some(task)) = (on(), task) {
        push_for(task, What::Fail(message.to_string()));
    }
}

/// Records a protocol step of the code under test: "traceFlush", "stopTheWorld", "ev GoStart".
pub fn note(text: &str) {
    push(|| What::Note(text.to_string()));
}

/// Records a Go trace event written by the current thread.
pub fn trace_event(name: &'static str) {
    push(|| What::TraceEvent(name));
}

/// Records an access to the named cell `name` (a write if `write`) at `site`.
pub fn cell_access(name: &str, write: bool, site: &Location<'_>) {
    push(|| What::Cell {
        name: name.to_string(),
        write,
        site: short(site),
    });
}

/// The guard of a named function: the thread is in it until the guard drops.
pub struct Frame {
    task: Option<usize>,
}

/// Names the function the current thread is in (Go's `readTrace0`) until the guard drops;
/// events recorded meanwhile carry it.
pub fn frame(name: &'static str) -> Frame {
    let task = if on() { ctx::scheduled() } else { None };
    if let Some(t) = task {
        push_for(t, What::Enter(name));
        FRAMES.with(|f| {
            let mut f = f.borrow_mut();
            if f.len() <= t {
                f.resize_with(t + 1, Vec::new);
            }
            f[t].push(name);
        });
    }
    Frame { task }
}

impl Drop for Frame {
    fn drop(&mut self) {
        if let Some(t) = self.task {
            let name = FRAMES.with(|f| f.borrow_mut().get_mut(t).and_then(Vec::pop));
            if let (Some(name), true) = (name, on()) {
                push_for(t, What::Exit(name));
            }
        }
    }
}

//! The per-execution context: what the simulator knows about the execution that is running on
//! this OS thread (a whole shuttle execution runs on one OS thread, as coroutines).
//!
//! It holds the execution seed, the first failure, each simulated thread's name, held locks and
//! current wait, the lock-order edges seen, the swarm knobs drawn and the output hash. It is the
//! simulator's own bookkeeping, never a scheduling point: no shuttle operation runs while it is
//! borrowed.

use crate::failure::FailureKind;
use crate::rank::{Edge, Held, RankAction, RankMode};
use crate::wait::Wait;
use std::cell::{Cell, RefCell};

thread_local! {
    static CTX: RefCell<Option<ExecCtx>> = const { RefCell::new(None) };
    /// The task the driver last scheduled, i.e. the running simulated thread (see [`scheduled`]).
    static SCHEDULED: Cell<Option<usize>> = const { Cell::new(None) };
}

/// A failure recorded while the execution runs.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub kind: FailureKind,
    pub message: String,
    pub location: Option<String>,
    pub step: u64,
}

/// What the simulator knows about one simulated thread.
#[derive(Debug, Default)]
pub(crate) struct TaskInfo {
    pub name: String,
    pub held: Vec<Held>,
    pub wait: Option<Wait>,
    pub started: bool,
    pub finished: bool,
}

/// The state of the running execution.
#[derive(Debug, Default)]
pub(crate) struct ExecCtx {
    pub exec_seed: u64,
    pub rank_mode: RankMode,
    pub rank_action: RankAction,
    pub failure: Option<Pending>,
    pub stopping: bool,
    /// The thread whose panic is the failure: it may finish unwinding before the stop.
    pub failing_task: Option<usize>,
    /// The failing thread caught its panic: the execution stops at its next scheduling point.
    pub failing_done: bool,
    /// The failed execution is ending: the others are detached for shuttle to unwind (see
    /// [`crate::teardown`]).
    pub tearing_down: bool,
    pub tasks: Vec<TaskInfo>,
    pub pending_starts: usize,
    pub edges: Vec<Edge>,
    pub rank_reports: Vec<String>,
    pub output_hash: Option<u64>,
    pub artifact: Option<Vec<u8>>,
    pub knobs: Vec<(String, String)>,
    /// What the code under test printed (Go's `print` in the runtime), attached to failures.
    pub notes: Vec<String>,
    pub step: u64,
}

impl ExecCtx {
    /// Records `kind` as the execution's failure unless one is already recorded, and asks the
    /// scheduler to stop the execution.
    pub fn fail(&mut self, kind: FailureKind, message: String, location: Option<String>) {
        if self.failure.is_none() {
            self.failure = Some(Pending {
                kind,
                message,
                location,
                step: self.step,
            });
        }
        self.stopping = true;
    }

    /// The bookkeeping of task `id`, created on first use.
    #[inline]
    pub fn task(&mut self, id: usize) -> &mut TaskInfo {
        if id >= self.tasks.len() {
            self.grow_tasks(id);
        }
        &mut self.tasks[id]
    }

    #[cold]
    #[inline(never)]
    fn grow_tasks(&mut self, id: usize) {
        self.tasks.resize_with(id + 1, TaskInfo::default);
    }

    /// The display name of task `id`.
    pub fn name_of(&self, id: usize) -> String {
        match self.tasks.get(id) {
            Some(t) if !t.name.is_empty() => t.name.clone(),
            _ => format!("task-{id}"),
        }
    }
}

/// Installs a fresh context for an execution with `exec_seed`.
pub(crate) fn begin(exec_seed: u64, rank_mode: RankMode, rank_action: RankAction) {
    SCHEDULED.with(|s| s.set(None));
    crate::cell::race::begin();
    CTX.with(|c| {
        *c.borrow_mut() = Some(ExecCtx {
            exec_seed,
            rank_mode,
            rank_action,
            ..ExecCtx::default()
        });
    });
}

/// Removes and returns the context of the execution that just ended.
pub(crate) fn end() -> Option<ExecCtx> {
    SCHEDULED.with(|s| s.set(None));
    crate::cell::race::end();
    CTX.with(|c| c.borrow_mut().take())
}

/// Records the task the driver hands the next step to.
pub(crate) fn set_scheduled(id: usize) {
    SCHEDULED.with(|s| s.set(Some(id)));
}

/// Stops tracking the running thread: from now on the facade's bookkeeping ignores whoever runs
/// (the destructors of a failed execution's threads, see [`crate::teardown`]).
pub(crate) fn clear_scheduled() {
    SCHEDULED.with(|s| s.set(None));
}

/// The running simulated thread, as the driver last scheduled it: [`current_task`] without
/// shuttle's lookup (~40 instructions, several times per lock operation). Only for the facade's
/// simulated paths, which run on a simulated thread; everything else uses [`current_task`].
#[inline]
pub(crate) fn scheduled() -> Option<usize> {
    SCHEDULED.with(Cell::get)
}

/// Runs `f` on the context, if an execution is running on this OS thread.
pub(crate) fn with<R>(f: impl FnOnce(&mut ExecCtx) -> R) -> Option<R> {
    CTX.with(|c| c.try_borrow_mut().ok()?.as_mut().map(f))
}

/// Whether an execution is running on this OS thread.
pub(crate) fn active() -> bool {
    CTX.with(|c| c.try_borrow().map(|c| c.is_some()).unwrap_or(true))
}

/// The shuttle task id of the current simulated thread, if inside an execution.
pub(crate) fn current_task() -> Option<usize> {
    shuttle::current::try_get_current_task().map(usize::from)
}

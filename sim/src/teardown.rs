//! Ending a failed execution so that its unfinished threads are unwound, not leaked.
//!
//! Shuttle tears down a *stopped* execution (the scheduler returned `None`) by leaking the stacks
//! of its unfinished tasks (shuttle-engine 0.1.7, `ExecutionState::tear_down`: `TeardownJob::Leak`
//! → `leak_task` → `Continuation::leak_stack`), so whatever they own — guards, buffers, `Arc`s
//! of the model's state — is never dropped: ~11 KB per failed execution of `trace_stress`. A
//! *finished* execution's unfinished tasks (the detached ones) are unwound instead, one at a time
//! in the order they were created, by teardown alone: the scheduler is not asked, so the schedule
//! and its replay line stay what they were.
//!
//! So once the failing thread has caught its failure, [`detach_others`] detaches every other
//! unfinished thread. The failing thread then takes the execution's last scheduling step (the one
//! the driver used to answer with a stop), finishes, and shuttle, finding no attached task left,
//! ends the execution as finished and unwinds the others from the facade wait they stopped at.
//! The thread wrapper lets shuttle's unwind through ([`crate::thread`]), and the panic hook ignores
//! it. Nothing those destructors do belongs to the execution any more: the driver stops tracking
//! the running thread, so held locks, waits, rank checks and the step recorder ignore them (the
//! failure, its report and its recording are complete already).
//!
//! Executions stopped by the driver itself (a livelock, a replay divergence) or by shuttle's own
//! deadlock detection have no thread to do this from, and are still stopped (and leaked) as before.

use crate::ctx;
use shuttle::scheduler::TaskId;
use shuttle_engine::runtime::execution::ExecutionState;

/// Called by thread `me`, which has finished with the execution's failure: detaches every other
/// unfinished thread, for shuttle to unwind once `me` finishes.
pub(crate) fn detach_others(me: usize) {
    ctx::with(|c| c.tearing_down = true);
    ctx::clear_scheduled();
    ExecutionState::with(|s| {
        let mut id = 0;
        while let Some(t) = s.try_get(TaskId::from(id)) {
            if id != me && !t.finished() {
                s.detach(TaskId::from(id));
            }
            id += 1;
        }
    });
}

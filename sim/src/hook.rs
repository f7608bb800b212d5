//! The panic hook. Inside a simulated thread a panic is the execution's failure: the hook records
//! its message and location (first failure wins) and prints nothing; the runner prints one report
//! per failure. Outside simulations the previous hook runs as usual.
//!
//! Shuttle installs its own hook, once per process, in its first execution, and that hook prints
//! a schedule for every panic. [`install`] lets shuttle install it first, then replaces it.

use crate::ctx;
use crate::failure::{classify, SimPanic, Stopping};
use std::panic::{self, PanicHookInfo};
use std::sync::Once;

/// Installs the hook (idempotent).
pub(crate) fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        shuttle::check_random_with_seed(|| {}, 0, 1);
        let _shuttle_hook = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if ctx::current_task().is_some() && ctx::active() {
                record(info);
            } else if ctx::active() {
                // Shuttle failing an execution after teardown (its own deadlock detection, the
                // fallback to ours): the runner reports it as that execution's failure.
            } else {
                previous(info);
            }
        }));
    });
}

fn record(info: &PanicHookInfo<'_>) {
    let payload = info.payload();
    if payload.is::<Stopping>()
        || shuttle_engine::runtime::execution::ExecutionState::unwinding_for_teardown()
    {
        return;
    }
    let (kind, message) = match (payload.downcast_ref::<SimPanic>(), info.payload_as_str()) {
        (Some(p), _) => (p.kind, p.message.clone()),
        (None, Some(s)) => (crate::failure::kind_of(s), s.to_string()),
        (None, None) => classify(payload),
    };
    let location = info.location().map(|l| l.to_string());
    let me = ctx::current_task();
    crate::record::failed(me, &message);
    ctx::with(|c| {
        if c.failure.is_none() {
            c.failing_task = me;
        }
        c.fail(kind, message, location);
    });
}

//! The runner's wall clock: deadlines, status lines, rates. Only harness code reads it (the
//! runner, `tracesim stress`, `tracesim hunt`); simulated code never does — its time is the
//! trace's logical clock — so that a seed stays the whole recipe of an execution.

use std::time::Instant;

/// Now, on the wall clock.
pub fn now() -> Instant {
    Instant::now()
}

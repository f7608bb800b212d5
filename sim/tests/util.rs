//! Shared helpers for the simulator's tests.

use sim::{RunConfig, SchedulerSpec};

/// A run of `executions` executions from `base_seed` under `scheduler`, with a replay line that
/// names this test binary.
pub fn config(base_seed: u64, executions: u64, scheduler: SchedulerSpec, test: &str) -> RunConfig {
    RunConfig {
        base_seed,
        executions,
        scheduler,
        replay_template: format!("cargo test -p sim --test main -- {test} --exact   # seed {{seed}}, scheduler {{scheduler}}"),
        ..RunConfig::default()
    }
}

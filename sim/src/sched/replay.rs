//! Replay of a recorded decision list. A recording that no longer fits the code (a decision
//! names a thread that is not runnable, or the list ends early) is reported as a divergence at
//! the step where it happens, instead of shuttle's "scheduled task is not runnable" panic.

use super::Strategy;

/// See the module docs.
pub(crate) struct Replay {
    decisions: Vec<u32>,
}

impl Replay {
    pub(crate) fn new(decisions: Vec<u32>) -> Self {
        Self { decisions }
    }
}

impl Strategy for Replay {
    fn pick(
        &mut self,
        runnable: &[usize],
        _current: Option<usize>,
        _yielding: bool,
        step: u64,
    ) -> Result<usize, String> {
        let i = (step - 1) as usize;
        let Some(&want) = self.decisions.get(i) else {
            return Err(format!(
                "replay diverged at step {step}: the recording has {} decisions but the execution goes on \
                 (the code changed since the recording, or the scheduler differs)",
                self.decisions.len()
            ));
        };
        if runnable.contains(&(want as usize)) {
            Ok(want as usize)
        } else {
            Err(format!(
                "replay diverged at step {step}: the recording runs task-{want} but the runnable threads are {runnable:?} \
                 (the code changed since the recording, or the scheduler differs)"
            ))
        }
    }
}

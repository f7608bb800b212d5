//! The random walk: a uniform choice among the runnable threads at every step.

use super::Strategy;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// See the module docs.
pub(crate) struct RandomWalk {
    rng: ChaCha8Rng,
}

impl RandomWalk {
    pub(crate) fn new(exec_seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(exec_seed),
        }
    }
}

impl Strategy for RandomWalk {
    fn pick(
        &mut self,
        runnable: &[usize],
        _current: Option<usize>,
        _yielding: bool,
        _step: u64,
    ) -> Result<usize, String> {
        Ok(runnable[self.rng.gen_range(0..runnable.len())])
    }
}

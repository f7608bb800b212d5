//! The random walk: a uniform choice among the runnable threads at every step. The index is
//! Lemire's multiply-shift of one 32-bit draw (no division; bias at most n/2^32).

use super::Strategy;
use rand::{RngCore, SeedableRng};
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
        let i = (u64::from(self.rng.next_u32()) * runnable.len() as u64) >> 32;
        Ok(runnable[i as usize])
    }
}

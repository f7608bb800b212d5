//! PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): every thread gets a random
//! priority when first seen, the highest-priority runnable thread always runs, and at d−1 random
//! steps (among the first `steps` of the execution) the running thread drops to a priority below
//! every initial one. A yield drops the yielding thread below everything, so spin loops cannot
//! starve the thread they wait for (shuttle's PCT does the same).

use super::Strategy;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// See the module docs.
pub(crate) struct Pct {
    rng: ChaCha8Rng,
    depth: u32,
    change_points: Vec<u64>,
    priority: Vec<Option<i64>>,
    next_low: i64,
}

impl Pct {
    pub(crate) fn new(exec_seed: u64, depth: u32, steps: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(exec_seed);
        let mut change_points: Vec<u64> = (1..depth)
            .map(|_| rng.gen_range(1..=steps.max(1)))
            .collect();
        change_points.sort_unstable();
        Self {
            rng,
            depth,
            change_points,
            priority: Vec::new(),
            next_low: 0,
        }
    }

    fn priority_of(&mut self, task: usize) -> i64 {
        if self.priority.len() <= task {
            self.priority.resize(task + 1, None);
        }
        let depth = i64::from(self.depth);
        *self.priority[task].get_or_insert_with(|| depth + 1 + i64::from(self.rng.gen::<u32>()))
    }
}

impl Strategy for Pct {
    fn pick(
        &mut self,
        runnable: &[usize],
        current: Option<usize>,
        yielding: bool,
        step: u64,
    ) -> Result<usize, String> {
        if let Some(cur) = current {
            self.priority_of(cur);
            if yielding {
                self.priority[cur] = Some(self.next_low);
                self.next_low -= 1;
            }
            if let Some(i) = self.change_points.iter().position(|&c| c == step) {
                self.change_points[i] = 0;
                self.priority[cur] = Some(i64::from(self.depth) - 1 - i as i64);
            }
        }
        let best = runnable
            .iter()
            .copied()
            .max_by_key(|&t| (self.priority_of(t), std::cmp::Reverse(t)));
        Ok(best.expect("shuttle never schedules with no runnable thread"))
    }
}

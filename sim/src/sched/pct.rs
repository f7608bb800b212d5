//! PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): every thread gets a random
//! priority when first seen, the highest-priority runnable thread always runs, and at d−1 random
//! steps (among the first `steps` of the execution) the running thread drops to a priority below
//! every initial one. A yield drops the yielding thread below everything, so spin loops cannot
//! starve the thread they wait for (shuttle's PCT does the same).

use super::Strategy;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A thread not seen yet (no priority is ever this low: the lowest are `-steps`).
const UNSEEN: i64 = i64::MIN;

/// See the module docs.
pub(crate) struct Pct {
    rng: ChaCha8Rng,
    depth: u32,
    change_points: Vec<u64>,
    /// Per task id, its priority, or [`UNSEEN`].
    priority: Vec<i64>,
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

    /// The priority of `task`, drawn when it is first seen (so the draws follow the order in
    /// which threads are first looked at, as they always have: seeds keep naming schedules).
    #[inline]
    fn priority_of(&mut self, task: usize) -> i64 {
        match self.priority.get(task) {
            Some(&p) if p != UNSEEN => p,
            _ => self.first_seen(task),
        }
    }

    #[cold]
    fn first_seen(&mut self, task: usize) -> i64 {
        if self.priority.len() <= task {
            self.priority.resize(task + 1, UNSEEN);
        }
        let p = i64::from(self.depth) + 1 + i64::from(self.rng.gen::<u32>());
        self.priority[task] = p;
        p
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
                self.priority[cur] = self.next_low;
                self.next_low -= 1;
            }
            if let Some(i) = self.change_points.iter().position(|&c| c == step) {
                self.change_points[i] = 0;
                self.priority[cur] = i64::from(self.depth) - 1 - i as i64;
            }
        }
        // The highest priority; between equals (never, as drawn), the lowest task id.
        let (&first, rest) = runnable
            .split_first()
            .expect("shuttle never schedules with no runnable thread");
        let (mut best, mut top) = (first, self.priority_of(first));
        for &t in rest {
            let p = self.priority_of(t);
            if p > top || (p == top && t < best) {
                (best, top) = (t, p);
            }
        }
        Ok(best)
    }
}

//! Schedule shrinking: delta debugging over a failure's recorded decision list.
//!
//! The schedule is seen as segments (thread t runs n steps). Candidates make segments calm (not
//! entered by preemption: first every segment after the fewest leading ones that keep the
//! failure, found by binary search, then one segment at a time), drop chunks of segments
//! (halves, quarters, … single segments: a dropped tail lets the running thread go on without
//! preemption to the end, a dropped middle moves a context switch later) and merge a thread's
//! later segment into an earlier one (drops the preemption between them). Each candidate is
//! replayed with the guided scheduler ([`crate::sched::guided`]) under the original execution
//! seed (same knobs, same data), and kept only if the execution fails with the original's
//! [`signature`](crate::signature) (for a deadlock, the same wait cycle) and has no more
//! preemptions and no more steps, and fewer of something. The kept execution's actual
//! decisions become the next schedule, so the result is always a real recording that the
//! strict replay follows. It stops within a replay and a time budget and says so.

use crate::failure::Failure;
use crate::runner::{run_single_body, Body, RunConfig};
use crate::sched::guided::{self, Counts, Guided};
use crate::signature::signature;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long shrinking may go on.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub replays: u64,
    pub time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            replays: 3000,
            time: Duration::from_secs(30),
        }
    }
}

/// The size of a schedule: steps, context switches, preemptions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub steps: u64,
    pub switches: u64,
    pub preemptions: u64,
}

impl Shape {
    fn key(self) -> (u64, u64, u64) {
        (self.preemptions, self.switches, self.steps)
    }

    /// Whether `self` is no larger than `other` in preemptions and steps and smaller overall.
    fn better_than(self, other: Shape) -> bool {
        self.preemptions <= other.preemptions
            && self.steps <= other.steps
            && self.key() < other.key()
    }
}

/// The result of shrinking one failure.
#[derive(Clone, Debug)]
pub struct Shrunk {
    pub before: Shape,
    pub after: Shape,
    /// The shrunk failure: same seed, the shrunk decision list.
    pub failure: Failure,
    pub replays: u64,
    pub elapsed: Duration,
    /// Why it stopped early, if a budget ran out (else it reached a fixpoint).
    pub exhausted: Option<String>,
}

struct Trial {
    failure: Failure,
    shape: Shape,
}

struct Search<'a> {
    cfg: &'a RunConfig,
    body: Body,
    original: &'a Failure,
    sig: String,
    budget: Budget,
    start: Instant,
    replays: u64,
    exhausted: Option<String>,
}

impl Search<'_> {
    fn out_of_budget(&mut self) -> bool {
        if self.exhausted.is_none() {
            if self.replays >= self.budget.replays {
                self.exhausted = Some(format!("replay budget of {} spent", self.budget.replays));
            } else if self.start.elapsed() >= self.budget.time {
                self.exhausted = Some(format!("time budget of {:?} spent", self.budget.time));
            }
        }
        self.exhausted.is_some()
    }

    /// Replays `segments` (none entered by preemption where `calm`); the trial if it failed
    /// with the original's signature.
    fn run(&mut self, segments: Vec<(u32, u32)>, calm: Vec<bool>) -> Option<Trial> {
        self.replays += 1;
        let counts = Rc::new(RefCell::new(Counts::default()));
        guided::set_next(Guided::new(segments, calm, counts.clone()));
        let o = self.original;
        let res = run_single_body(self.cfg, o.exec_seed, o.index, None, self.body.clone());
        let failure = res.failure.filter(|f| signature(f) == self.sig)?;
        let c = counts.borrow().clone();
        let shape = Shape {
            steps: res.steps,
            switches: c.switches,
            preemptions: c.preemptions,
        };
        Some(Trial { failure, shape })
    }

    /// Tries `segments` with `calm`; replaces `best` if the trial is better.
    fn attempt_calm(
        &mut self,
        best: &mut Trial,
        segments: Vec<(u32, u32)>,
        calm: Vec<bool>,
    ) -> bool {
        if self.out_of_budget() {
            return false;
        }
        match self.run(segments, calm) {
            Some(t) if t.shape.better_than(best.shape) => {
                *best = t;
                true
            }
            _ => false,
        }
    }

    /// Tries `segments`; replaces `best` if the trial is better.
    fn attempt(&mut self, best: &mut Trial, segments: Vec<(u32, u32)>) -> bool {
        self.attempt_calm(best, segments, Vec::new())
    }
}

/// Calm from segment `m` on: no preemption after the first `m` segments.
fn calm_from(len: usize, m: usize) -> Vec<bool> {
    (0..len).map(|j| j >= m).collect()
}

/// Finds the fewest leading segments whose preemptions keep the failure (binary search: calm
/// from the end changes nothing) and tries that schedule.
fn calm_tail(s: &mut Search<'_>, best: &mut Trial) -> bool {
    let segs = guided::segments(&best.failure.decisions);
    let (mut lo, mut hi) = (0, segs.len());
    while lo < hi && !s.out_of_budget() {
        let mid = (lo + hi) / 2;
        if s.run(segs.clone(), calm_from(segs.len(), mid)).is_some() {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    s.attempt_calm(best, segs.clone(), calm_from(segs.len(), hi))
}

/// One pass of single calm segments: each switch in turn is not taken by preemption.
fn calm_each(s: &mut Search<'_>, best: &mut Trial) -> bool {
    let mut progress = false;
    let mut j = 1;
    loop {
        let segs = guided::segments(&best.failure.decisions);
        if j >= segs.len() || s.out_of_budget() {
            return progress;
        }
        let mut calm = vec![false; segs.len()];
        calm[j] = true;
        if s.attempt_calm(best, segs, calm) {
            progress = true;
        } else {
            j += 1;
        }
    }
}

/// One pass of chunk removal, chunk sizes from half the segments down to one.
fn drop_chunks(s: &mut Search<'_>, best: &mut Trial) -> bool {
    let mut progress = false;
    let mut size = guided::segments(&best.failure.decisions).len().div_ceil(2);
    while size >= 1 && !s.out_of_budget() {
        let mut i = 0;
        loop {
            let segs = guided::segments(&best.failure.decisions);
            if i >= segs.len() {
                break;
            }
            let mut cand = segs[..i].to_vec();
            cand.extend_from_slice(&segs[(i + size).min(segs.len())..]);
            if s.attempt(best, cand) {
                progress = true;
            } else if s.exhausted.is_some() {
                return progress;
            } else {
                i += size;
            }
        }
        size /= 2;
    }
    progress
}

/// One pass of merges: a thread's next segment joins its earlier one (one preemption fewer).
fn merge_segments(s: &mut Search<'_>, best: &mut Trial) -> bool {
    let mut progress = false;
    let mut i = 0;
    loop {
        let segs = guided::segments(&best.failure.decisions);
        if i >= segs.len() || s.out_of_budget() {
            return progress;
        }
        let Some(j) = (i + 2..segs.len()).find(|&j| segs[j].0 == segs[i].0) else {
            i += 1;
            continue;
        };
        let mut cand = segs.clone();
        cand[i].1 += cand[j].1;
        cand.remove(j);
        if s.attempt(best, cand) {
            progress = true;
        } else {
            i += 1;
        }
    }
}

/// Shrinks `original` (a failure of `f` under `cfg`); an error if its own schedule does not
/// replay to its signature (the code changed since it was recorded).
pub fn shrink<F: Fn() + Send + Sync + 'static>(
    cfg: &RunConfig,
    original: &Failure,
    budget: Budget,
    f: F,
) -> Result<Shrunk, String> {
    let mut s = Search {
        cfg,
        body: Arc::new(f),
        original,
        sig: signature(original),
        budget,
        start: crate::wall::now(),
        replays: 0,
        exhausted: None,
    };
    let mut best = s.run(guided::segments(&original.decisions), Vec::new()).ok_or_else(|| {
        format!(
            "the recorded schedule does not replay to its failure ({}): the code changed since the recording",
            s.sig
        )
    })?;
    let before = best.shape;
    while !s.out_of_budget() {
        let calmed = calm_tail(&mut s, &mut best);
        let dropped = drop_chunks(&mut s, &mut best);
        let each = calm_each(&mut s, &mut best);
        let merged = merge_segments(&mut s, &mut best);
        if !calmed && !dropped && !each && !merged {
            break;
        }
    }
    Ok(Shrunk {
        before,
        after: best.shape,
        failure: best.failure,
        replays: s.replays,
        elapsed: s.start.elapsed(),
        exhausted: s.exhausted,
    })
}

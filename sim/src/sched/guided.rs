//! The guided scheduler of the shrinker: follows a schedule given as segments (run thread t
//! for n steps, then the next segment), leniently. A segment whose thread is not runnable is
//! skipped (the candidate moved a switch where it no longer fits). A segment marked calm is not
//! entered by preemption: the running thread goes on until it blocks, finishes or yields, and
//! the segment's thread runs then (so a candidate drops a preemption without turning the
//! forced switches after it into new preemptions). Past the last segment, the
//! running thread keeps running until it blocks, finishes or yields (no preemption), then the
//! next runnable thread in id order runs. It counts context switches and preemptions (a switch
//! away from a thread that could have gone on: runnable and not yielding).

use super::Strategy;
use std::cell::RefCell;
use std::rc::Rc;

/// What a guided execution did to its threads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub switches: u64,
    pub preemptions: u64,
}

/// See the module docs.
pub(crate) struct Guided {
    segments: Vec<(u32, u32)>,
    calm: Vec<bool>,
    next: usize,
    left: u32,
    last: Option<usize>,
    counts: Rc<RefCell<Counts>>,
}

impl Guided {
    pub(crate) fn new(
        segments: Vec<(u32, u32)>,
        calm: Vec<bool>,
        counts: Rc<RefCell<Counts>>,
    ) -> Self {
        Self {
            segments,
            calm,
            next: 0,
            left: 0,
            last: None,
            counts,
        }
    }

    /// The thread the segments name for this step, if any still fits; a calm segment waits
    /// while `keep` (the running thread, if it could go on) runs.
    fn follow_segments(&mut self, runnable: &[usize], keep: Option<usize>) -> Option<usize> {
        loop {
            if self.left == 0 {
                let &(_, n) = self.segments.get(self.next)?;
                self.next += 1;
                self.left = n;
                continue;
            }
            let t = self.segments[self.next - 1].0 as usize;
            if !runnable.contains(&t) {
                self.left = 0;
                continue;
            }
            let calm = self.calm.get(self.next - 1).copied().unwrap_or(false);
            if let (true, Some(k)) = (calm, keep.filter(|&k| k != t)) {
                return Some(k);
            }
            self.left -= 1;
            return Some(t);
        }
    }
}

/// Past the segments: the running thread goes on unless it blocked or yields; else the next
/// runnable thread after it in id order.
fn fallback(runnable: &[usize], current: Option<usize>, yielding: bool) -> usize {
    let cur = current.unwrap_or(0);
    if runnable.contains(&cur) && !yielding {
        return cur;
    }
    let after = runnable.iter().copied().filter(|&t| t > cur).min();
    let others = runnable.iter().copied().filter(|&t| t != cur).min();
    after.or(others).unwrap_or(runnable[0])
}

impl Strategy for Guided {
    fn pick(
        &mut self,
        runnable: &[usize],
        current: Option<usize>,
        yielding: bool,
        _step: u64,
    ) -> Result<usize, String> {
        let keep = current.filter(|c| runnable.contains(c) && !yielding);
        let t = self
            .follow_segments(runnable, keep)
            .unwrap_or_else(|| fallback(runnable, current, yielding));
        let mut c = self.counts.borrow_mut();
        if self.last.is_some_and(|l| l != t) {
            c.switches += 1;
        }
        if let Some(cur) = current.filter(|&cur| cur != t && !yielding) {
            c.preemptions += u64::from(runnable.contains(&cur));
        }
        self.last = Some(t);
        Ok(t)
    }
}

/// The segments of a decision list: maximal runs of one thread.
pub fn segments(decisions: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &d in decisions {
        match out.last_mut() {
            Some((t, n)) if *t == d => *n += 1,
            _ => out.push((d, 1)),
        }
    }
    out
}

thread_local! {
    static NEXT: RefCell<Option<Guided>> = const { RefCell::new(None) };
}

/// Makes the next execution started on this OS thread follow `g` (the shrinker's replays).
pub(crate) fn set_next(g: Guided) {
    NEXT.with(|n| *n.borrow_mut() = Some(g));
}

/// The guided strategy set for this execution, if any (the driver asks when it starts one).
pub(crate) fn take_next() -> Option<Box<dyn Strategy>> {
    NEXT.with(|n| n.borrow_mut().take())
        .map(|g| Box::new(g) as Box<dyn Strategy>)
}

//! Vector clocks and epochs for the happens-before race detector (FastTrack, Flanagan & Freund,
//! PLDI 2009): one clock per simulated thread and per synchronising object, one epoch per access.
//!
//! A clock is indexed by shuttle task id (small, dense); a missing component is 0.

/// A vector clock.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct VClock(Vec<u32>);

impl VClock {
    /// Component `t`.
    #[inline]
    pub fn get(&self, t: usize) -> u32 {
        self.0.get(t).copied().unwrap_or(0)
    }

    /// A clock whose only nonzero component is `t`'s, at 1 (a thread seen for the first time).
    pub fn fresh(t: usize) -> Self {
        let mut c = Self::default();
        c.tick(t);
        c
    }

    /// Advances component `t` (after a release, so later accesses are not covered by it).
    pub fn tick(&mut self, t: usize) {
        if self.0.len() <= t {
            self.0.resize(t + 1, 0);
        }
        self.0[t] += 1;
    }

    /// Becomes a copy of `other`, reusing its allocation (a join with a clock known to cover it).
    pub fn copy_from(&mut self, other: &VClock) {
        self.0.clone_from(&other.0);
    }

    /// Pointwise maximum with `other` (an acquire).
    pub fn join(&mut self, other: &VClock) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a = (*a).max(*b);
        }
    }
}

/// One access's thread and that thread's own clock component when it accessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Epoch {
    pub tid: usize,
    pub c: u32,
}

impl Epoch {
    /// Whether this access happens before the present of a thread whose clock is `now`.
    #[inline]
    pub fn before(self, now: &VClock) -> bool {
        self.c <= now.get(self.tid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_tick_and_epochs() {
        let (mut a, mut b) = (VClock::fresh(0), VClock::fresh(2));
        let e = Epoch {
            tid: 0,
            c: a.get(0),
        };
        assert!(!e.before(&b), "b has not heard of a");
        a.tick(0);
        b.join(&a);
        assert!(e.before(&b), "b acquired what a released");
        assert_eq!((b.get(0), b.get(1), b.get(2)), (2, 0, 1));
    }
}

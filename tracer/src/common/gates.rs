//! The harness's gates: where workload goroutines sleep while tracing is off, until the
//! controller starts a session or finishes. Go's test goroutines run regardless, but with tracing
//! off they write nothing the model checks; sleeping instead of spinning keeps scheduling steps
//! for the tracer's protocol.

use sim::sync::Parker;

/// One gate per workload goroutine.
pub struct Gates(Vec<Parker>);

impl Gates {
    /// `n` closed gates.
    pub fn new(n: usize) -> Self {
        Self(
            (0..n)
                .map(|_| Parker::new("a workload goroutine (tracing is off)"))
                .collect(),
        )
    }

    /// Worker `i` sleeps until the gates open (a token left by an earlier opening returns at
    /// once: callers re-check their condition in a loop).
    pub fn wait(&self, i: usize) {
        self.0[i].park();
    }

    /// Wakes every worker.
    pub fn open(&self) {
        for g in &self.0 {
            g.unpark();
        }
    }
}

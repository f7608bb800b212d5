//! Swarm knobs: scenario parameters (thread counts, sizes, enabled operations) drawn from the
//! execution seed, so that a seed names a whole world (TigerBeetle's swarm testing). Draws come
//! from their own ChaCha stream, so they do not perturb the schedule, and inside a simulation
//! each draw is recorded and printed with the seed as one block.

use crate::{ctx, native};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Display;
use std::ops::RangeInclusive;

/// A source of knobs for one execution.
pub struct Swarm {
    rng: ChaCha8Rng,
    record: bool,
}

impl Swarm {
    /// The knobs of the execution with seed `exec_seed` (same seed, same knobs, in any world).
    pub fn from_seed(exec_seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(exec_seed);
        rng.set_stream(1);
        Self { rng, record: false }
    }

    /// The knobs of the running simulated (or native) execution, recorded into its failure reports.
    pub fn current() -> Self {
        let seed = execution_seed()
            .expect("Swarm::current outside a simulated or native execution: use Swarm::from_seed");
        Self {
            record: true,
            ..Self::from_seed(seed)
        }
    }

    fn note(&self, name: &str, value: &dyn Display) {
        if self.record {
            let mut knob = Some((name.to_string(), value.to_string()));
            ctx::with(|c| c.knobs.extend(knob.take()));
            native::with_record(|r| r.knobs.extend(knob));
        }
    }

    /// A value in `range`, uniformly.
    pub fn range(&mut self, name: &str, range: RangeInclusive<u64>) -> u64 {
        let v = self.rng.gen_range(range);
        self.note(name, &v);
        v
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, name: &str, p: f64) -> bool {
        let v = self.rng.gen_bool(p);
        self.note(name, &v);
        v
    }

    /// Records a knob fixed by the caller (an override), so it prints with the others.
    pub fn fixed<T: Display>(&mut self, name: &str, value: T) -> T {
        self.note(name, &value);
        value
    }
}

/// The seed of the running simulated execution, or of the native execution whose body runs on
/// this OS thread ([`crate::native`]).
pub fn execution_seed() -> Option<u64> {
    match ctx::current_task() {
        Some(_) => ctx::with(|c| c.exec_seed),
        None => native::execution_seed(),
    }
}

/// Records a hash of the execution's output, compared by the determinism check.
pub fn record_output(hash: u64) {
    if ctx::with(|c| c.output_hash = Some(hash)).is_none() {
        native::with_record(|r| r.output_hash = Some(hash));
    }
}

/// Keeps bytes the execution produced (a trace file) in its result, for tools that save them.
pub fn record_artifact(bytes: Vec<u8>) {
    let mut bytes = Some(bytes);
    ctx::with(|c| c.artifact = bytes.take());
    if bytes.is_some() {
        native::with_record(|r| r.artifact = bytes);
    }
}

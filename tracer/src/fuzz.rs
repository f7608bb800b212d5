//! A seeded mutation fuzzer for the trace decoders of both formats (go1.21 and go1.22).
//!
//! Format-agnostic: inputs are real or hand-built traces mutated byte-wise (bit flips, random
//! bytes, interesting varints, insertions, deletions, duplicated or swapped ranges, truncation,
//! splices between inputs), then fed to every reader: go1.21's `parse` and structural `check`,
//! go1.22's reader + validator (each event rendered), its structural checks and its raw dump.
//! Every outcome must be a value: an accepted trace or a clean error with a message. A panic is a
//! bug, reported with the seed and input index that reproduce it.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// SplitMix64: small, seedable, good enough to pick mutations.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

const INTERESTING: [&[u8]; 8] = [
    &[0],
    &[1],
    &[0x7f],
    &[0x80, 0x01],
    &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
    &[0x80, 0x80, 0x04],
    &[0xff],
];

/// One mutation of `data` in place (the 16-byte header is mutated rarely).
fn mutate_once(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let lo = if rng.below(16) == 0 {
        0
    } else {
        16.min(data.len())
    };
    let span = data.len().saturating_sub(lo).max(1);
    let at = lo + rng.below(span);
    let at = at.min(data.len());
    match rng.below(9) {
        0 if at < data.len() => data[at] ^= 1 << rng.below(8),
        1 if at < data.len() => data[at] = rng.next_u64() as u8,
        2 => {
            let v = INTERESTING[rng.below(INTERESTING.len())];
            data.splice(at..(at + v.len()).min(data.len()), v.iter().copied());
        }
        3 => data.insert(at, rng.next_u64() as u8),
        4 => {
            let end = (at + 1 + rng.below(32)).min(data.len());
            data.drain(at..end);
        }
        5 => data.truncate(at),
        6 => {
            let end = (at + 1 + rng.below(64)).min(data.len());
            let chunk = data[at..end].to_vec();
            let to = rng.below(data.len() + 1);
            data.splice(to..to, chunk);
        }
        7 if !other.is_empty() => {
            let from = rng.below(other.len());
            let end = (from + 1 + rng.below(128)).min(other.len());
            data.splice(at..at, other[from..end].iter().copied());
        }
        _ => {
            let a = rng.below(data.len().max(1));
            let b = rng.below(data.len().max(1));
            if a < data.len() && b < data.len() {
                data.swap(a, b);
            }
        }
    }
}

/// A mutated copy of one corpus entry: 1 to 8 mutations.
pub fn mutate(rng: &mut Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut data = corpus[rng.below(corpus.len())].clone();
    let other = &corpus[rng.below(corpus.len())];
    for _ in 0..1 + rng.below(8) {
        mutate_once(rng, &mut data, other);
    }
    data
}

/// Runs every decoder on `data`; `Err` describes a rejection that was not a clean error.
pub fn exercise(data: &[u8]) -> Result<(), String> {
    if let Err(e) = crate::go121::wire::parse(data) {
        clean(&e.message, "go1.21 parse")?;
    }
    match crate::go121::wire::check::check_bytes(data) {
        Ok(vs) => vs
            .iter()
            .try_for_each(|v| clean(&v.message, "go1.21 check"))?,
        Err(e) => clean(&e.message, "go1.21 check")?,
    }
    exercise_go122(data)
}

fn exercise_go122(data: &[u8]) -> Result<(), String> {
    use crate::go122::wire;
    let v = wire::read_and_validate(data, true);
    if let Some(e) = &v.error {
        clean(&e.message, "go1.22 reader")?;
    }
    for viol in wire::check::check(data) {
        clean(&viol.message, "go1.22 check")?;
    }
    if let Err((_, e)) = wire::dump::raw_text(data) {
        clean(&e.message, "go1.22 raw dump")?;
    }
    Ok(())
}

fn clean(msg: &str, who: &str) -> Result<(), String> {
    if msg.trim().is_empty() {
        return Err(format!("{who}: rejection with an empty message"));
    }
    Ok(())
}

/// The result of a fuzz run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Inputs run.
    pub inputs: u64,
    /// Inputs on which a decoder panicked or rejected without a message, each with the seed and
    /// input index that replay it and the input in hex.
    pub failures: Vec<String>,
}

/// Runs `n` mutated inputs from `corpus` with `seed`; input `i` is the `i`-th of that seed's
/// stream, so a failure replays with the same seed and corpus. Stops at the first 10 failures.
pub fn run(seed: u64, n: u64, corpus: &[Vec<u8>]) -> Report {
    let mut rng = Rng::new(seed);
    let mut report = Report::default();
    for i in 0..n {
        let data = mutate(&mut rng, corpus);
        let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&data)));
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(why)) => Some(why),
            Err(p) => Some(format!("panic: {}", panic_text(&p))),
        };
        report.inputs = i + 1;
        if let Some(why) = failure {
            let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
            report
                .failures
                .push(format!("seed {seed} input {i}: {why}\n  input: {hex}"));
            if report.failures.len() >= 10 {
                break;
            }
        }
    }
    report
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        return s.to_string();
    }
    p.downcast_ref::<String>().cloned().unwrap_or_default()
}

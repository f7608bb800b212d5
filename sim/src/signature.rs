//! The signature of a failure: what makes two failures "the same bug" for the shrinker (a
//! candidate schedule is kept only if its failure has the original's signature) and for a
//! campaign's bounded output (at most K saved failures per signature).
//!
//! It is the kind, the invariant id (`I11`) or the rank pair (`trace after traceStackTab`), and
//! the message head: its first line without sites (`file.rs:12:5`) and with every digit run
//! replaced by `#` (values, thread numbers and line numbers drift between schedules). A
//! deadlock's also names its wait cycle, by thread role (`signature/cycle.rs`): two deadlocks
//! with different cycles are two bugs, and a shrunk deadlock keeps the cycle of the original.
//! A lock-order cycle's head is written from its smallest rotation (`mheap → traceStackTab →
//! mheap` however the execution closed it).

use crate::failure::{Failure, FailureKind};

mod cycle;

/// The longest message head kept, in characters.
const HEAD_CHARS: usize = 80;

/// The signature of `f` (see the module docs).
pub fn signature(f: &Failure) -> String {
    signature_of(f.kind, &f.message)
}

/// The signature of a failure of `kind` with `message`.
pub fn signature_of(kind: FailureKind, message: &str) -> String {
    let what = match kind {
        FailureKind::Invariant => invariant_id(message),
        FailureKind::Rank => rank_pair(message),
        _ => None,
    };
    let head = match kind {
        FailureKind::LockCycle => cycle::lock_order_line(message).map(|l| head(&l)),
        _ => None,
    }
    .unwrap_or_else(|| head(message));
    let waits = match kind {
        FailureKind::Deadlock => cycle::wait_part(message),
        _ => None,
    };
    match (what, waits) {
        (Some(w), _) => format!("{kind} {w}: {head}"),
        (None, Some(waits)) => format!("{kind}: {head}; {waits}"),
        (None, None) => format!("{kind}: {head}"),
    }
}

/// `I11` from `invariant I11 violated: …`.
fn invariant_id(message: &str) -> Option<String> {
    let rest = message.strip_prefix("invariant ")?;
    Some(rest.split_whitespace().next()?.to_string())
}

/// `trace (rank 42) after traceStackTab (rank 43)` from the rank report's last line.
fn rank_pair(message: &str) -> Option<String> {
    let line = message.lines().find(|l| l.contains(" while holding "))?;
    let new = line.split(" acquired at ").next()?;
    let prev = line
        .split(" while holding ")
        .nth(1)?
        .split(" acquired at ")
        .next()?;
    Some(format!("{new} after {prev}"))
}

/// The first line without sites, digit runs as `#`, at most [`HEAD_CHARS`] characters (cut at
/// a word).
fn head(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    let words: Vec<&str> = first
        .split_whitespace()
        .filter(|w| !w.contains(".rs:"))
        .collect();
    let mut out = hash_digits(&words.join(" "));
    if out.chars().count() > HEAD_CHARS {
        let cut: String = out.chars().take(HEAD_CHARS).collect();
        out = cut
            .rsplit_once(' ')
            .map_or(cut.clone(), |(a, _)| a.to_string());
    }
    out.trim_end_matches([',', ':', ' ']).to_string()
}

/// `text` with every run of digits replaced by one `#`.
fn hash_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(ch);
            in_digits = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_values_and_thread_numbers_do_not_change_the_signature() {
        let a = "self-deadlock: reader-1 re-acquires trace (rank 42) at tracer/src/cpu.rs:160:31, which it already holds since tracer/src/reader.rs:39:27\nheld";
        let b = "self-deadlock: reader-2 re-acquires trace (rank 42) at tracer/src/cpu.rs:161:3, which it already holds since tracer/src/reader.rs:40:2";
        assert_eq!(
            signature_of(FailureKind::Deadlock, a),
            signature_of(FailureKind::Deadlock, b)
        );
        assert_eq!(
            signature_of(FailureKind::Deadlock, a),
            "deadlock: self-deadlock: reader-# re-acquires trace (rank #) at which it already holds"
        );
        assert_ne!(
            signature_of(FailureKind::Deadlock, a),
            signature_of(FailureKind::Panic, a)
        );
    }

    #[test]
    fn invariants_are_told_apart_by_id_and_ranks_by_pair() {
        let i11 = signature_of(FailureKind::Invariant, "invariant I11 violated: x 3");
        let i12 = signature_of(FailureKind::Invariant, "invariant I12 violated: x 3");
        assert!(i11.starts_with("invariant I11: "), "{i11}");
        assert_ne!(i11, i12);
        let rank = "fatal error: lock ordering problem\n 0 : a 1 (at x.rs:1:1)\n 1 : b 2 (at y.rs:2:2)\nb (rank 2) acquired at y.rs:2:2 while holding a (rank 1) acquired at x.rs:1:1";
        assert_eq!(
            signature_of(FailureKind::Rank, rank),
            "rank b (rank 2) after a (rank 1): fatal error: lock ordering problem"
        );
    }

    #[test]
    fn a_deadlock_is_told_apart_by_its_wait_cycle_and_only_a_deadlock() {
        let report = |a: &str, b: &str| {
            format!(
                "deadlock: every simulated thread is blocked\n  {a} waits for lock x (rank 1) at a.rs:1:2, held by {b} since b.rs:3:4\n  {b} waits for lock y (rank 2) at b.rs:5:6, held by {a} since a.rs:1:1"
            )
        };
        let sig = |kind, m: &str| signature_of(kind, m);
        assert_eq!(
            sig(FailureKind::Deadlock, &report("w-1", "v-2")),
            "deadlock: deadlock: every simulated thread is blocked; wait cycle: v-# waits for lock y (rank #) → w-# waits for lock x (rank #) → v-#"
        );
        assert_ne!(
            sig(FailureKind::Deadlock, &report("w-1", "v-2")),
            sig(FailureKind::Deadlock, &report("v-1", "w-2"))
        );
        assert_eq!(
            sig(FailureKind::Livelock, &report("w-1", "v-2")),
            "livelock: deadlock: every simulated thread is blocked"
        );
    }
}

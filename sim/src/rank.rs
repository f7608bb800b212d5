//! Lock ranks, after Go's `runtime/lockrank.go` and `lockrank_on.go`.
//!
//! Every lock carries a [`LockClass`] (a name and a rank, as data). On each acquisition the
//! checker, like Go's `lockWithRank`, appends the new lock to the actor's held list and checks it:
//! - re-acquiring a held non-reentrant lock is a self-deadlock, reported with both sites;
//! - [`RankMode::GoCompatible`] compares the new rank with the most recently acquired held lock,
//!   exactly like `checkRanks`; [`RankMode::Strict`] compares it with every held lock;
//! - every (held → new) pair becomes an edge of a lockdep-style order graph (see [`crate::graph`]).
//!
//! The held list belongs to the actor (Go keeps it per M in `m.locksHeld`): the current shuttle
//! task inside a simulation, the OS thread outside one.

use crate::failure::FailureKind;
use std::panic::Location;

/// A lock class: Go's lock rank, as data. Two locks of one class share a name and a rank.
#[derive(Debug, PartialEq, Eq)]
pub struct LockClass {
    pub name: &'static str,
    pub rank: u32,
}

impl LockClass {
    /// A class with Go's rank name and number, e.g. `LockClass::new("trace", 42)`.
    pub const fn new(name: &'static str, rank: u32) -> Self {
        Self { name, rank }
    }
}

/// How ranks are checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RankMode {
    /// No rank checks (self-deadlock detection and the order graph stay on).
    Off,
    /// Go's `checkRanks`: the new lock against the most recently acquired held lock.
    #[default]
    GoCompatible,
    /// The new lock against every held lock.
    Strict,
    /// Go's `checkRanks`, but aware of quiescence (beyond Go's lockrank): a lock instance its
    /// holder took with `lock_quiescent` (no other actor can still want it: the holder checked
    /// that no live writer can reach it) is no predecessor of anything it acquires, neither for
    /// the rank check nor for the order graph; each pair it excuses is recorded with the
    /// reason. The claim is checked: another actor acquiring that instance while it is held
    /// quiescent fails the execution (`quiescence claim broken`).
    Quiescent,
}

/// What a rank violation does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RankAction {
    /// Fail the execution (Go's `throw("lock ordering problem")`).
    #[default]
    Fail,
    /// Record the report and go on, so that a run can show "rank report, correct trace".
    Record,
}

/// A lock the actor holds.
#[derive(Clone, Copy, Debug)]
pub struct Held {
    pub id: usize,
    pub class: Option<&'static LockClass>,
    pub site: &'static Location<'static>,
    /// Shared (read) hold of a reader-writer lock.
    pub shared: bool,
    /// Taken with `lock_quiescent`: the holder claims no other actor can want this instance.
    pub quiescent: bool,
}

/// An edge of the lock-order graph: `from` was held when `to` was acquired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: &'static str,
    pub to: &'static str,
    pub from_site: String,
    pub to_site: String,
}

/// A violation found on acquisition.
#[derive(Debug)]
pub struct Violation {
    pub kind: FailureKind,
    pub message: String,
}

/// Formats one held-list line as Go's `printHeldLocks` does (` 0 : trace 42`), plus the site.
fn held_line(i: usize, class: Option<&LockClass>, site: &Location<'_>) -> String {
    match class {
        Some(c) => format!(" {i} : {} {} (at {site})", c.name, c.rank),
        None => format!(" {i} : (unranked) (at {site})"),
    }
}

/// The held list as Go prints it: ranked locks only (a P, the world, are not runtime locks),
/// the new lock last.
fn held_list(held: &[Held], new: Option<&LockClass>, site: &Location<'_>) -> String {
    let ranked: Vec<&Held> = held.iter().filter(|h| h.class.is_some()).collect();
    let mut lines: Vec<String> = ranked
        .iter()
        .enumerate()
        .map(|(i, h)| held_line(i, h.class, h.site))
        .collect();
    lines.push(held_line(ranked.len(), new, site));
    lines.join("\n")
}

fn describe(class: Option<&LockClass>) -> String {
    match class {
        Some(c) => format!("{} (rank {})", c.name, c.rank),
        None => "an unranked lock".to_string(),
    }
}

/// Checks re-acquisition of lock `id` by an actor that holds `held`.
pub fn check_self(
    held: &[Held],
    id: usize,
    class: Option<&'static LockClass>,
    site: &'static Location<'static>,
    who: &str,
) -> Option<Violation> {
    let prev = held.iter().find(|h| h.id == id)?;
    Some(Violation {
        kind: FailureKind::Deadlock,
        message: format!(
            "self-deadlock: {who} re-acquires {} at {site}, which it already holds since {}\n\
             held locks (Go with GOEXPERIMENT=staticlockranking throws `lock ordering problem` here):\n{}",
            describe(class),
            prev.site,
            held_list(held, class, site)
        ),
    })
}

/// Checks the rank of `class` against the held list, per `mode`.
pub fn check_rank(
    held: &[Held],
    class: &'static LockClass,
    site: &'static Location<'static>,
    mode: RankMode,
) -> Option<Violation> {
    let bad = |h: &&Held| h.class.is_some_and(|c| c.rank >= class.rank);
    let offender = match mode {
        RankMode::Off => None,
        RankMode::Quiescent => held
            .iter()
            .rev()
            .find(|h| h.class.is_some() && !h.quiescent)
            .filter(|h| bad(h)),
        RankMode::GoCompatible => held
            .iter()
            .rev()
            .find(|h| h.class.is_some())
            .filter(|h| bad(h)),
        RankMode::Strict => held.iter().find(|h| bad(h)),
    }?;
    let prev = offender.class.expect("offender has a class");
    Some(Violation {
        kind: FailureKind::Rank,
        message: format!(
            "fatal error: lock ordering problem\n{}\n{} acquired at {site} while holding {} acquired at {}",
            held_list(held, Some(class), site),
            describe(Some(class)),
            describe(Some(prev)),
            offender.site
        ),
    })
}

/// Quiescence mode: the pair (held quiescent lock, `class`) Go's checker would report, excused
/// with its reason; `None` when Go would not report it.
pub fn excused(
    held: &[Held],
    class: &'static LockClass,
    site: &'static Location<'static>,
) -> Option<String> {
    let prev = held.iter().rev().find(|h| h.class.is_some())?;
    let c = prev.class.expect("found with a class");
    (prev.quiescent && c.rank >= class.rank).then(|| {
        format!(
            "quiescence: {} (rank {}) acquired at {site} while holding {} (rank {}) acquired at {} is judged \
             unrealizable as a deadlock: that {} instance was taken quiescent (no live writer can still \
             acquire it), so no thread can wait for it while holding {}; Go's checkRanks reports \
             `lock ordering problem` here",
            class.name, class.rank, c.name, c.rank, prev.site, c.name, class.name
        )
    })
}

/// The order-graph edges that acquiring `class` at `site` adds, given the held list.
pub fn edges_to<'a>(
    held: &'a [Held],
    class: &'static LockClass,
    site: &'static Location<'static>,
) -> impl Iterator<Item = Edge> + 'a {
    held.iter().filter_map(move |h| {
        let from = h.class?;
        (from.name != class.name).then(|| Edge {
            from: from.name,
            to: class.name,
            from_site: h.site.to_string(),
            to_site: site.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    static TRACE: LockClass = LockClass::new("trace", 42);
    static STACK: LockClass = LockClass::new("traceStackTab", 43);
    static STRINGS: LockClass = LockClass::new("traceStrings", 25);

    fn held(id: usize, class: &'static LockClass) -> Held {
        Held {
            id,
            class: Some(class),
            site: Location::caller(),
            shared: false,
            quiescent: false,
        }
    }

    #[test]
    fn go_mode_compares_with_the_last_held_lock_only() {
        let h = [held(1, &STACK), held(2, &TRACE)];
        // 25 after 42: a violation against the last held lock.
        assert!(check_rank(&h, &STRINGS, Location::caller(), RankMode::GoCompatible).is_some());
        let h = [held(1, &STACK), held(3, &STRINGS)];
        // 42 after 25 is fine for Go even though 43 is held below it; Strict finds it.
        assert!(check_rank(&h, &TRACE, Location::caller(), RankMode::GoCompatible).is_none());
        assert!(check_rank(&h, &TRACE, Location::caller(), RankMode::Strict).is_some());
    }

    #[test]
    fn rank_report_reads_like_go_lockrank() {
        let h = [held(1, &STACK)];
        let v = check_rank(&h, &STRINGS, Location::caller(), RankMode::GoCompatible).unwrap();
        assert!(v.message.contains("lock ordering problem"));
        assert!(v.message.contains(" 0 : traceStackTab 43"), "{}", v.message);
        assert!(v.message.contains(" 1 : traceStrings 25"), "{}", v.message);
    }

    #[test]
    fn quiescent_mode_excuses_only_a_held_quiescent_instance() {
        static FIN: LockClass = LockClass::new("fin", 31);
        let mut h = [held(1, &STACK)];
        assert!(check_rank(&h, &FIN, Location::caller(), RankMode::Quiescent).is_some());
        assert!(excused(&h, &FIN, Location::caller()).is_none());
        h[0].quiescent = true;
        assert!(check_rank(&h, &FIN, Location::caller(), RankMode::Quiescent).is_none());
        assert!(check_rank(&h, &FIN, Location::caller(), RankMode::GoCompatible).is_some());
        let note = excused(&h, &FIN, Location::caller()).expect("Go would report it");
        assert!(note.contains("judged unrealizable"), "{note}");
    }

    #[test]
    fn equal_ranks_are_a_violation_as_in_go() {
        let h = [held(1, &TRACE)];
        assert!(check_rank(&h, &TRACE, Location::caller(), RankMode::GoCompatible).is_some());
    }
}

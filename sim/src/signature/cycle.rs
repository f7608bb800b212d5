//! A deadlock's wait cycle, for its signature: which thread roles wait for which lock classes
//! or threads held by which, rebuilt from the report's per-thread lines ([`crate::wait::line`]).
//!
//! A thread waits for at most one thing, so the wait-for graph (waiter → the lock's holder, or
//! the joined thread) has at most one edge out of each thread and its cycles are disjoint. Each
//! cycle is written from its smallest rotation, thread names with digit runs as `#` (roles, not
//! per-execution numbers): the same cycle found from another thread, or with other thread
//! numbers, reads the same. Without a cycle (threads wait for semaphores, parks or condition
//! variables, which have no holder) the part is the set of blocked waits.

use super::hash_digits;
use crate::wait::line::{parse, Blocked};
use std::collections::BTreeSet;

/// One waiting thread: its exact name (to follow edges) and its wait.
struct Node {
    name: String,
    wait: Blocked,
}

impl Node {
    /// `advancer waits for lock mheap (rank #)`.
    fn step(&self) -> String {
        hash_digits(&format!("{} waits for {}", self.name, self.wait.what))
    }

    /// The name of the thread this one waits on, if the report names one.
    fn waits_on(&self) -> Option<&str> {
        match &self.wait.holder {
            Some((h, _)) => Some(h),
            None => self.wait.joined(),
        }
    }
}

/// The signature part of a deadlock report `message`: `wait cycle: …` per cycle (sorted), or
/// `blocked: …` (the set of waits); `None` if it has no wait lines (a self-deadlock).
pub(super) fn wait_part(message: &str) -> Option<String> {
    let nodes: Vec<Node> = message
        .lines()
        .filter_map(parse)
        .filter_map(|l| {
            l.wait.map(|wait| Node {
                name: l.thread,
                wait,
            })
        })
        .collect();
    if nodes.is_empty() {
        return None;
    }
    let cycles = cycles(&nodes);
    if cycles.is_empty() {
        let waits: BTreeSet<String> = nodes.iter().map(Node::step).collect();
        return Some(format!("blocked: {}", Vec::from_iter(waits).join(", ")));
    }
    let parts: Vec<String> = cycles
        .into_iter()
        .map(|c| format!("wait cycle: {c}"))
        .collect();
    Some(parts.join("; "))
}

/// A lock-order cycle report's first line (`lock-order cycle: b → a → b`, see
/// [`crate::graph`]) with the cycle from its smallest rotation (`a → b → a`).
pub(super) fn lock_order_line(message: &str) -> Option<String> {
    const HEAD: &str = "lock-order cycle: ";
    let path = message.lines().next()?.strip_prefix(HEAD)?;
    let classes: Vec<&str> = path.split(" → ").collect();
    let (last, ring) = classes.split_last()?;
    if ring.is_empty() || ring[0] != *last {
        return None;
    }
    let r = smallest_rotation(ring);
    let rotated = [&ring[r..], &ring[..r]].concat();
    Some(format!("{HEAD}{} → {}", rotated.join(" → "), ring[r]))
}

/// Where the smallest rotation of the ring `v` starts (0 for an empty ring).
fn smallest_rotation<T: Ord + Clone>(v: &[T]) -> usize {
    (0..v.len())
        .min_by_key(|&r| [&v[r..], &v[..r]].concat())
        .unwrap_or(0)
}

/// Each node's successor in the wait-for graph, by index.
fn successors(nodes: &[Node]) -> Vec<Option<usize>> {
    nodes
        .iter()
        .map(|n| {
            let to = n.waits_on()?;
            nodes.iter().position(|m| m.name == to)
        })
        .collect()
}

/// The graph's cycles, each as its canonical text, sorted and without repeats.
fn cycles(nodes: &[Node]) -> BTreeSet<String> {
    let next = successors(nodes);
    let mut out = BTreeSet::new();
    let mut done = vec![false; nodes.len()];
    for start in 0..nodes.len() {
        let mut path: Vec<usize> = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| !done[i]) {
            if let Some(k) = path.iter().position(|&p| p == i) {
                out.insert(canonical(nodes, &path[k..]));
                break;
            }
            path.push(i);
            at = next[i];
        }
        for i in path {
            done[i] = true;
        }
    }
    out
}

/// The cycle through `members` (in wait order) from its smallest rotation: `a waits for X →
/// b waits for Y → a`, each arrow read "held by".
fn canonical(nodes: &[Node], members: &[usize]) -> String {
    let steps: Vec<String> = members.iter().map(|&i| nodes[i].step()).collect();
    let r = smallest_rotation(&steps);
    let first = hash_digits(&nodes[members[r]].name);
    format!(
        "{} → {first}",
        [&steps[r..], &steps[..r]].concat().join(" → ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report with one line per `(thread, what, holder)`.
    fn report(threads: &[(&str, &str, Option<&str>)]) -> String {
        let mut lines = vec!["deadlock: every simulated thread is blocked".to_string()];
        for (i, (t, what, holder)) in threads.iter().enumerate() {
            let mut l = format!("  {t} waits for {what} at x/src/a.rs:{}:7", 10 + i);
            if let Some(h) = holder {
                l += &format!(", held by {h} since x/src/b.rs:{}:3", 20 + i);
            }
            lines.push(l);
        }
        lines.join("\n")
    }

    const MHEAP: &str = "lock mheap (rank 44)";
    const STACK: &str = "lock traceStackTab (rank 48)";

    fn abba(order: usize, reader: &str) -> String {
        let mut t = vec![
            ("main", "semaphore traceAdvanceSema (semacquire)", None),
            ("allocator", STACK, Some("advancer")),
            ("advancer", MHEAP, Some("allocator")),
            (reader, "a goready of the trace reader (gopark)", None),
        ];
        t.rotate_left(order);
        report(&t)
    }

    #[test]
    fn the_same_cycle_from_any_thread_and_with_any_numbers_reads_the_same() {
        let want = "wait cycle: advancer waits for lock mheap (rank #) → allocator waits for lock traceStackTab (rank #) → advancer";
        for order in 0..4 {
            for reader in ["reader-0", "reader-7"] {
                assert_eq!(wait_part(&abba(order, reader)).as_deref(), Some(want));
            }
        }
        let numbered = |a: &str, b: &str| {
            report(&[
                (a, STACK, Some(b)),
                ("main", "thread reader-3 to finish (join)", None),
                (b, MHEAP, Some(a)),
            ])
        };
        assert_eq!(
            wait_part(&numbered("m1", "m2")),
            wait_part(&numbered("m5", "m0"))
        );
    }

    #[test]
    fn a_different_cycle_reads_differently() {
        let ab = wait_part(&abba(0, "reader-0"));
        let other = report(&[
            ("allocator", "lock trace (rank 42)", Some("advancer")),
            ("advancer", MHEAP, Some("allocator")),
        ]);
        let three = report(&[
            ("a", STACK, Some("b")),
            ("b", MHEAP, Some("c")),
            ("c", "lock trace (rank 42)", Some("a")),
        ]);
        let reversed = report(&[
            ("a", STACK, Some("c")),
            ("c", "lock trace (rank 42)", Some("b")),
            ("b", MHEAP, Some("a")),
        ]);
        let parts = [
            ab,
            wait_part(&other),
            wait_part(&three),
            wait_part(&reversed),
        ];
        let distinct: BTreeSet<_> = parts.iter().collect();
        assert_eq!(distinct.len(), parts.len(), "{parts:#?}");
    }

    #[test]
    fn joins_close_cycles_and_disjoint_cycles_are_all_named() {
        let r = report(&[
            ("main", "thread worker-1 to finish (join)", None),
            ("worker-1", "lock a (rank 1)", Some("main")),
            ("x", "lock b (rank 2)", Some("y")),
            ("y", "lock c (rank 3)", Some("x")),
            ("z", "lock c (rank 3)", Some("x")),
        ]);
        let part = wait_part(&r).unwrap();
        assert_eq!(part.matches("wait cycle: ").count(), 2, "{part}");
        assert!(part.contains("main waits for thread worker-# to finish (join) → worker-# waits for lock a (rank #) → main"), "{part}");
        assert!(
            !part.contains("z waits"),
            "z waits on the cycle, it is not in it: {part}"
        );
    }

    #[test]
    fn without_a_cycle_the_blocked_waits_are_the_part() {
        let r = |reader: &str, sema: &str| {
            report(&[
                ("main", sema, None),
                (reader, "a goready of the trace reader (gopark)", None),
                ("reader-9", "a goready of the trace reader (gopark)", None),
            ])
        };
        let a = wait_part(&r("reader-1", "semaphore traceAdvanceSema (semacquire)"));
        assert_eq!(
            a,
            wait_part(&r("reader-4", "semaphore traceAdvanceSema (semacquire)"))
        );
        assert_ne!(
            a,
            wait_part(&r(
                "reader-1",
                "semaphore a generation boundary (semacquire)"
            ))
        );
        assert!(a.unwrap().starts_with("blocked: main waits for semaphore"));
        assert_eq!(
            wait_part("self-deadlock: m0 re-acquires trace (rank 42) at a.rs:1:1"),
            None
        );
    }

    #[test]
    fn a_lock_order_cycle_reads_the_same_from_any_class() {
        let line = |path: &str| lock_order_line(&format!("lock-order cycle: {path}\n  a held"));
        let want = Some("lock-order cycle: a → c → b → a".to_string());
        assert_eq!(line("a → c → b → a"), want);
        assert_eq!(line("b → a → c → b"), want);
        assert_eq!(line("c → b → a → c"), want);
        assert_ne!(
            line("a → b → c → a"),
            want,
            "the other direction is another cycle"
        );
        assert_eq!(line("a → b"), None, "not closed");
        assert_eq!(lock_order_line("deadlock: x"), None);
    }
}

//! A lockdep-style lock-order graph, accumulated over all executions of a run.
//!
//! Each edge `a → b` says "some thread acquired a lock of class `b` while holding one of class
//! `a`", with the two sites and the execution that first did it. A cycle means two code paths
//! take the same classes in opposite orders: a deadlock waiting for the right schedule, reported
//! even when no execution deadlocked (shuttle cannot see it; Go's lockrank sees it only when the
//! ranks say so).

use crate::rank::Edge;
use std::collections::{BTreeMap, BTreeSet};

/// Where an edge was first seen.
#[derive(Clone, Debug)]
pub struct EdgeInfo {
    pub from_site: String,
    pub to_site: String,
    pub origin: String,
}

/// The accumulated order graph.
#[derive(Debug, Default)]
pub struct LockGraph {
    edges: BTreeMap<(&'static str, &'static str), EdgeInfo>,
    reported: BTreeSet<Vec<&'static str>>,
}

impl LockGraph {
    /// Adds `edge` (first seen in `origin`); returns a report if it closes a new cycle.
    pub fn add(&mut self, edge: &Edge, origin: &str) -> Option<String> {
        let key = (edge.from, edge.to);
        if self.edges.contains_key(&key) {
            return None;
        }
        let info = EdgeInfo {
            from_site: edge.from_site.clone(),
            to_site: edge.to_site.clone(),
            origin: origin.to_string(),
        };
        self.edges.insert(key, info);
        let path = self.path(edge.to, edge.from)?;
        let mut cycle: Vec<&'static str> = path.clone();
        cycle.sort_unstable();
        if !self.reported.insert(cycle) {
            return None;
        }
        Some(self.describe(&path))
    }

    /// Number of distinct edges.
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    /// Whether the graph has no edge.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// A path of classes from `start` to `goal` (inclusive), by depth-first search.
    fn path(&self, start: &'static str, goal: &'static str) -> Option<Vec<&'static str>> {
        let mut stack = vec![vec![start]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = *path.last().expect("paths are never empty");
            if last == goal {
                return Some(path);
            }
            if !seen.insert(last) {
                continue;
            }
            for (&(_, to), _) in self
                .edges
                .range((last, "")..)
                .take_while(|((f, _), _)| *f == last)
            {
                let mut next = path.clone();
                next.push(to);
                stack.push(next);
            }
        }
        None
    }

    fn describe(&self, path: &[&'static str]) -> String {
        let mut lines = vec![format!(
            "lock-order cycle: {} → {}",
            path.join(" → "),
            path[0]
        )];
        let closing = [path[path.len() - 1], path[0]];
        for pair in path.windows(2).chain(std::iter::once(&closing[..])) {
            let info = &self.edges[&(pair[0], pair[1])];
            lines.push(format!(
                "  {} held (acquired at {}) while acquiring {} at {}  [first seen in {}]",
                pair[0], info.from_site, pair[1], info.to_site, info.origin
            ));
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(from: &'static str, to: &'static str) -> Edge {
        Edge {
            from,
            to,
            from_site: format!("{from}.rs:1"),
            to_site: format!("{to}.rs:2"),
        }
    }

    #[test]
    fn reports_an_abba_cycle_once_with_both_sites() {
        let mut g = LockGraph::default();
        assert!(g.add(&e("a", "b"), "execution 0").is_none());
        let report = g.add(&e("b", "a"), "execution 3").expect("cycle");
        assert!(
            report.contains("a.rs:1") && report.contains("b.rs:1"),
            "{report}"
        );
        assert!(report.contains("execution 3"), "{report}");
        assert!(g.add(&e("b", "a"), "execution 4").is_none());
    }

    #[test]
    fn finds_longer_cycles_and_ignores_dags() {
        let mut g = LockGraph::default();
        assert!(g.add(&e("a", "b"), "x").is_none());
        assert!(g.add(&e("b", "c"), "x").is_none());
        assert!(g.add(&e("a", "c"), "x").is_none());
        assert!(g.add(&e("c", "a"), "x").is_some());
    }
}

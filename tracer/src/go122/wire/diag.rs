//! The state dumps Go appends to `broken trace: failed to advance`.
//!
//! Mirrors go1.22 `internal/trace/v2/reader.go` `dumpFrontier` and `order.go` `dumpOrdering`
//! (Go prints its maps in random order; here they come in id order).

use super::ev::{self, go_status_name, proc_status_name};
use super::event::BaseEvent;
use super::order::Ordering;
use std::fmt::Write;

/// `dumpFrontier`: one `M id [Type time=T arg=v…]` line per cursor.
pub fn frontier<'a>(cursors: impl Iterator<Item = (i64, &'a BaseEvent<'a>)>) -> String {
    let mut out = String::new();
    for (m, e) in cursors {
        let spec = ev::spec(e.typ).copied().unwrap_or(ev::SPECS[0]);
        let _ = write!(out, "M {m} [{} time={}", spec.name, e.time);
        for (i, a) in spec.args.iter().skip(1).enumerate() {
            let _ = write!(out, " {a}={}", e.args.get(i).copied().unwrap_or(0));
        }
        out.push_str("]\n");
    }
    out
}

/// `dumpOrdering`: goroutines, Ps, Ms, then the GC state.
pub fn ordering(o: &Ordering<'_>) -> String {
    let mut out = String::new();
    for (id, s) in &o.gs {
        let st = go_status_name(s.status as u64);
        let _ = writeln!(out, "G {id} [status={st} seq={}]", s.seq);
    }
    out.push('\n');
    for (id, s) in &o.ps {
        let st = proc_status_name(s.status as u64);
        let _ = writeln!(out, "P {id} [status={st} seq={}]", s.seq);
    }
    out.push('\n');
    for (id, s) in o.ms.iter() {
        let _ = writeln!(out, "M {id} [g={} p={}]", s.g, s.p);
    }
    out.push('\n');
    let gc = ["Undetermined", "NotRunning", "Running"]
        .get(o.gc_state as usize)
        .unwrap_or(&"Bad");
    let _ = writeln!(out, "GC {} {gc}", o.gc_seq);
    out
}

//! What go1.21's viewer (`cmd/trace`, `go tool trace`) needs beyond what its parser checks, so
//! that every execution is judged by it without Go installed (`scripts/go-conformance.sh` runs
//! the real viewer): every goroutine slice that starts ends (`generateTrace` → `makeSlice`
//! dereferences `GoStart.Link`, which `internal/trace` sets only at an end event), and a
//! `Gomaxprocs` event exists (`/mmuPlot` indexes the utilization series built from it).

use super::wire::ev;
use super::wire::parse::{Event, Trace as Parsed};
use crate::common::wire::id_map::IdMap;

/// The events that end a running goroutine's slice (`internal/trace/parser.go`, `postProcessTrace`).
fn ends_slice(typ: u8) -> bool {
    matches!(
        typ,
        ev::EV_GO_END
            | ev::EV_GO_STOP
            | ev::EV_GO_SCHED
            | ev::EV_GO_PREEMPT
            | ev::EV_GO_SYS_BLOCK
            | ev::EV_GO_SLEEP
            | ev::EV_GO_BLOCK
            | ev::EV_GO_BLOCK_SEND
            | ev::EV_GO_BLOCK_RECV
            | ev::EV_GO_BLOCK_SELECT
            | ev::EV_GO_BLOCK_SYNC
            | ev::EV_GO_BLOCK_COND
            | ev::EV_GO_BLOCK_NET
            | ev::EV_GO_BLOCK_GC
    )
}

/// The slice start (`GoStart`, `GoStartLabel`) of the smallest goroutine whose last start or
/// end event is a start: the first slice the viewer would find open at the end.
fn first_open(t: &Parsed) -> Option<&Event> {
    let mut open: IdMap<&Event> = IdMap::default();
    for e in &t.events {
        if matches!(e.typ, ev::EV_GO_START | ev::EV_GO_START_LABEL) {
            open.insert(e.g, e);
        } else if ends_slice(e.typ) {
            open.remove(e.g);
        }
    }
    let first = open.iter().next().map(|(_, &e)| e); // bound: the iterator borrows `open`
    first
}

/// Checks a parsed trace against the viewer's needs; the error says what the viewer would do.
pub fn viewable(t: &Parsed) -> Result<(), String> {
    if let Some(e) = first_open(t) {
        let (g, ts, off) = (e.g, e.ts, e.off);
        return Err(format!(
            "Go's go1.21 viewer would panic: goroutine {g}'s slice started at ts {ts} (byte {off}) never ends \
             (makeSlice dereferences its missing end event)"
        ));
    }
    if !t.events.iter().any(|e| e.typ == ev::EV_GOMAXPROCS) {
        return Err("Go's go1.21 viewer would panic: no Gomaxprocs event (its /mmuPlot has no utilization series)".into());
    }
    Ok(())
}

//! Text renderings of go1.21 traces.
//!
//! Mirrors `(*Event).String` in go1.21 `internal/trace/parser.go` and the output of the oracle
//! `shared/tools/go-trace-oracle/gotracedump121.go` (`-stacks` frame lines, `count` lines, the
//! `PASS:`/`FAIL:` verdict). [`raw_text`] is this crate's own per-batch rendering of the wire
//! records, for snapshot tests.

use super::dec::{Decoded, RawEvent};
use super::ev::{self, *};
use super::parse::{Event, Trace};
use crate::common::wire::quote::go_quote;
use crate::common::wire::{Error, Frame};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One event as Go's `ev.String()` prints it, e.g. `13603 GoStart p=1 g=1 off=83 g=1 seq=0`.
pub fn event_line(ev: &Event) -> String {
    let mut s = String::new();
    write_event(&mut s, ev);
    s
}

/// Appends [`event_line`] to `out`.
pub fn write_event(out: &mut String, ev: &Event) {
    let desc = ev::desc(ev.typ).unwrap_or(&DESCS[0]);
    let _ = write!(
        out,
        "{} {} p={} g={} off={}",
        ev.ts, desc.name, ev.p, ev.g, ev.off
    );
    for (name, v) in desc.args.iter().zip(ev.args) {
        let _ = write!(out, " {name}={v}");
    }
    for (i, name) in desc.sargs.iter().enumerate() {
        let _ = write!(
            out,
            " {name}={}",
            ev.sargs.get(i).map_or("", String::as_str)
        );
    }
}

/// One stack frame as the oracle prints it: `\tmain.main @ 0x48060b tinytrace/main.go:27`.
pub fn frame_line(trace: &Trace, f: &Frame) -> String {
    let (func, file) = (trace.string(f.func_id), trace.string(f.file_id));
    format!("\t{func} @ {:#x} {file}:{}", f.pc, f.line as i64)
}

/// The oracle's stdout: every event line, each followed by its stack frames if `stacks`.
pub fn events_text(trace: &Trace, stacks: bool) -> String {
    let mut out = String::new();
    for ev in &trace.events {
        write_event(&mut out, ev);
        out.push('\n');
        let frames = trace
            .stacks
            .get(&ev.stk_id)
            .filter(|_| stacks && ev.stk_id != 0);
        for f in frames.into_iter().flatten() {
            out.push_str(&frame_line(trace, f));
            out.push('\n');
        }
    }
    out
}

/// Events per type name, as the oracle counts them.
pub fn counts(trace: &Trace) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for ev in &trace.events {
        *counts.entry(ev::name(ev.typ)).or_insert(0) += 1;
    }
    counts
}

/// The oracle's stderr: `count` lines and `PASS: N events, M stacks`, or `FAIL: <error>`.
pub fn verdict_text(result: &Result<Trace, Error>) -> String {
    let trace = match result {
        Ok(trace) => trace,
        Err(e) => return format!("FAIL: {e}\n"),
    };
    let mut out = String::new();
    for (name, n) in counts(trace) {
        let _ = writeln!(out, "count {name:<20} {n}");
    }
    let _ = writeln!(
        out,
        "PASS: {} events, {} stacks",
        trace.events.len(),
        trace.stacks.len()
    );
    out
}

/// A compact per-batch rendering of the wire records, one line per record, e.g.
/// `batch p=0 ts=1000 off=16` then `  GoStart +3 g=10 seq=1` and `  GoSysCall +2 stk=4`.
pub fn raw_text(d: &Decoded) -> String {
    let mut out = format!("header go 1.{} trace\n", d.version % 1000);
    for raw in &d.events {
        if raw.typ != EV_BATCH && raw.batch.is_some() {
            out.push_str("  ");
        }
        write_raw(&mut out, raw);
        out.push('\n');
    }
    out
}

/// Appends one record of [`raw_text`] (without indentation or newline).
pub fn write_raw(out: &mut String, raw: &RawEvent) {
    let a = |i: usize| raw.args.get(i).copied().unwrap_or(0);
    let _ = match raw.typ {
        EV_BATCH => write!(out, "batch p={} ts={} off={}", a(0) as i64, a(1), raw.off),
        EV_FREQUENCY => write!(out, "Frequency freq={}", a(0)),
        EV_STRING => write!(out, "String id={} {}", a(0), go_quote(&bytes_text(raw))),
        EV_STACK => write_stack(out, raw),
        _ => write_regular(out, raw),
    };
}

fn bytes_text(raw: &RawEvent) -> String {
    String::from_utf8_lossy(raw.data.as_deref().unwrap_or_default()).into_owned()
}

fn write_stack(out: &mut String, raw: &RawEvent) -> std::fmt::Result {
    let a = |i: usize| raw.args.get(i).copied().unwrap_or(0);
    write!(out, "Stack id={} frames={}", a(0), a(1))?;
    for f in raw.args.get(2..).unwrap_or_default().chunks(4) {
        let v = |i: usize| f.get(i).copied().unwrap_or(0);
        write!(out, " [{:#x} {} {} {}]", v(0), v(1), v(2), v(3))?;
    }
    Ok(())
}

fn write_regular(out: &mut String, raw: &RawEvent) -> std::fmt::Result {
    let desc = ev::desc(raw.typ).unwrap_or(&DESCS[0]);
    let ts = usize::from(has_timestamp(raw.typ));
    write!(out, "{}", desc.name)?;
    if ts == 1 {
        write!(out, " +{}", raw.args.first().copied().unwrap_or(0))?;
    }
    let rest = raw.args.get(ts..).unwrap_or_default();
    let n = desc.args.len().min(rest.len());
    for (name, &v) in desc.args.iter().zip(rest) {
        match (raw.typ, *name) {
            (EV_CPU_SAMPLE, "p") => write!(out, " {name}={}", v as i64)?,
            _ => write!(out, " {name}={v}")?,
        }
    }
    let extra = &rest[n..];
    for (i, &v) in extra.iter().enumerate() {
        let key = if desc.stack && i + 1 == extra.len() {
            "stk"
        } else {
            "extra"
        };
        write!(out, " {key}={v}")?;
    }
    if let Some(data) = raw.data.as_deref() {
        write!(out, " msg={}", go_quote(&String::from_utf8_lossy(data)))?;
    }
    Ok(())
}

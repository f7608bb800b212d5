//! Text renderings of go1.22 traces: Go's `Event.String` (what the oracle prints per event) and
//! the raw per-record dump of `go tool trace -d=2`.
//!
//! Mirrors go1.22 `internal/trace/v2/event.go` `Event.String` (and `Stack.Frames`),
//! `internal/trace/v2/raw/event.go` `Event.String` and `raw/reader.go` (the record walk the raw
//! dump uses).

use super::dec::{read_header, Cursor};
use super::ev;
use super::event::*;
use crate::common::wire::quote::go_quote;
use crate::common::wire::Error;
use std::fmt::Write;

fn q(b: &[u8]) -> String {
    go_quote(&String::from_utf8_lossy(b))
}

/// Appends `Event.String()` and the newline `log.Println` adds.
pub fn write_event(out: &mut String, e: &Event<'_>) {
    let c = e.ctx;
    let kind = e.kind();
    let _ = write!(
        out,
        "M={} P={} G={} {} Time={}",
        c.m,
        c.p,
        c.g,
        kind.name(),
        e.time()
    );
    match kind {
        Kind::Metric => {
            if let Some((n, v)) = e.metric() {
                let _ = write!(out, " Name={} Value=Uint64({v})", go_quote(n));
            }
        }
        Kind::Label => {
            if let Some((l, r)) = e.label() {
                let _ = write!(out, " Label={} Resource={r}", q(l));
            }
        }
        Kind::RangeBegin | Kind::RangeActive | Kind::RangeEnd => write_range(out, e, kind),
        Kind::TaskBegin | Kind::TaskEnd => {
            if let Some((id, parent, typ)) = e.task() {
                let _ = write!(out, " ID={id} Parent={parent} Type={}", q(typ));
            }
        }
        Kind::RegionBegin | Kind::RegionEnd => {
            if let Some((task, typ)) = e.region() {
                let _ = write!(out, " Task={task} Type={}", q(typ));
            }
        }
        Kind::Log => {
            if let Some((task, cat, msg)) = e.log() {
                let _ = write!(out, " Task={task} Category={} Message={}", q(cat), q(msg));
            }
        }
        Kind::StateTransition => write_transition(out, e),
        _ => {}
    }
    if let Some(id) = e.stack() {
        out.push_str("\nStack=\n");
        write_frames(out, e, id);
    }
    out.push('\n');
}

fn write_range(out: &mut String, e: &Event<'_>, kind: Kind) {
    let Some((name, scope)) = e.range() else {
        return;
    };
    let _ = write!(out, " Name={} Scope={scope}", go_quote(&name));
    if kind == Kind::RangeEnd {
        let attrs: Vec<String> = e
            .range_attributes()
            .iter()
            .map(|(n, v)| format!("{}=Uint64({v})", go_quote(n)))
            .collect();
        let _ = write!(out, " Attributes=[{}]", attrs.join(" "));
    }
}

fn write_transition(out: &mut String, e: &Event<'_>) {
    let Some(t) = e.transition() else {
        return;
    };
    let _ = write!(out, " Resource={} Reason={}", t.resource, q(t.reason));
    let (old, new) = if t.resource.kind == RES_GOROUTINE {
        (go_state_name(t.old), go_state_name(t.new))
    } else {
        (proc_state_name(t.old), proc_state_name(t.new))
    };
    let what = if t.resource.kind == RES_GOROUTINE {
        "GoID"
    } else {
        "ProcID"
    };
    let _ = write!(out, " {what}={} {old}->{new}", t.resource.id);
    if let Some(id) = t.stack {
        out.push_str("\nTransitionStack=\n");
        write_frames(out, e, id);
    }
}

/// `Stack.Frames` rendered as `\tfunc @ 0xpc\n\t\tfile:line\n` per frame.
fn write_frames(out: &mut String, e: &Event<'_>, id: u64) {
    let Some(frames) = e.table.stacks.get(id) else {
        return;
    };
    for f in frames {
        let func = e.string(f.func_id).unwrap_or_default();
        let file = e.string(f.file_id).unwrap_or_default();
        let (func, file) = (String::from_utf8_lossy(func), String::from_utf8_lossy(file));
        let _ = write!(out, "\t{func} @ {:#x}\n\t\t{file}:{}\n", f.pc, f.line);
    }
}

/// `Event.String()` plus newline.
pub fn event_text(e: &Event<'_>) -> String {
    let mut s = String::new();
    write_event(&mut s, e);
    s
}

/// The raw dump (`go tool trace -d=2`): one record per line, stack frames and string data
/// indented, as Go's raw reader walks the file. Ends with the error, if the walk fails.
pub fn raw_text(data: &[u8]) -> Result<String, (String, Error)> {
    let mut out = String::new();
    let start = read_header(data).map_err(|e| (String::new(), e))?;
    let mut c = Cursor::new(data, start);
    while c.remaining() != 0 {
        let off = c.pos;
        if let Err(msg) = write_raw_record(&mut out, &mut c) {
            return Err((out, Error::at(off, msg)));
        }
    }
    Ok(out)
}

fn write_raw_record(out: &mut String, c: &mut Cursor<'_>) -> Result<(), String> {
    let typ = c.byte().unwrap_or(0);
    let Some(spec) = ev::spec(typ).filter(|_| typ != 0) else {
        return Err(format!("invalid event type: {typ}"));
    };
    let mut line = spec.name.to_string();
    let mut args = Vec::with_capacity(spec.args.len());
    for name in spec.args {
        let v = c.uvarint()?;
        args.push(v);
        let _ = write!(line, " {name}={v}");
    }
    if spec.is_stack {
        for _ in 0..args[1] {
            line.push_str("\n\t");
            let mut fs = Vec::new();
            for name in ["pc", "func", "file", "line"] {
                fs.push(format!("{name}={}", c.uvarint()?));
            }
            line.push_str(&fs.join(" "));
        }
    }
    if spec.has_data {
        let len = c.uvarint()?;
        let data = c.take(len);
        if (data.len() as u64) < len {
            return Err(super::dec::EOF.into());
        }
        if !data.is_empty() {
            let _ = write!(line, "\n\tdata={}", q(data));
        }
    }
    out.push_str(&line);
    out.push('\n');
    Ok(())
}

//! The timeline of an execution, from its [`Recording`]: one track per simulated thread, slices
//! for lock holds, parks, stop-the-world and the tracer's functions (`traceFlush`, …), instant
//! events for the Go trace events written, wake-ups and the failing check. Written as Chrome's
//! trace-event JSON (Perfetto and chrome://tracing open it; one scheduling step is 1 µs) and as
//! a self-contained HTML page that draws the same timeline in inline SVG
//! ([`crate::timeline_html`]).

use crate::explain::event_text;
use serde_json::{json, Value};
use sim::record::{Recording, What};
use sim::Failure;
use std::path::{Path, PathBuf};

/// A slice on one thread's track: `[start, end)` in steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    pub task: usize,
    pub name: String,
    pub cat: &'static str,
    pub start: f64,
    pub end: f64,
}

/// An instant on one thread's track.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub task: usize,
    pub name: String,
    pub cat: &'static str,
    pub ts: f64,
}

/// The timeline: threads (id, name), slices and marks.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    pub threads: Vec<(usize, String)>,
    pub slices: Vec<Slice>,
    pub marks: Vec<Mark>,
    pub end: f64,
}

/// Event `k` of a step at `step + k/100` (events of one step keep their order).
fn times(rec: &Recording) -> Vec<f64> {
    let mut out = Vec::with_capacity(rec.events.len());
    let (mut last, mut k) = (u64::MAX, 0u32);
    for e in &rec.events {
        k = if e.step == last { (k + 1).min(99) } else { 0 };
        last = e.step;
        out.push(e.step as f64 + f64::from(k) / 100.0);
    }
    out
}

/// Open slices of one thread: (key, name, category, start).
type Open = Vec<(String, String, &'static str, f64)>;

fn close(open: &mut Open, key: &str, task: usize, ts: f64, out: &mut Vec<Slice>) {
    if let Some(i) = open.iter().rposition(|(k, ..)| k == key) {
        let (_, name, cat, start) = open.remove(i);
        out.push(Slice {
            task,
            name,
            cat,
            start,
            end: ts,
        });
    }
}

/// Builds the timeline of a recording.
pub fn build(rec: &Recording) -> Timeline {
    let ts = times(rec);
    let end = ts.last().map_or(1.0, |t| t + 1.0);
    let tasks = rec.tasks();
    let mut open: Vec<Open> = vec![Vec::new(); tasks.len()];
    let mut stw_next = vec![false; tasks.len()];
    let mut tl = Timeline {
        threads: tasks.iter().map(|&t| (t, rec.name_of(t))).collect(),
        end,
        ..Timeline::default()
    };
    for (e, &t) in rec.events.iter().zip(&ts) {
        let i = tasks.iter().position(|&x| x == e.task).expect("listed");
        close(&mut open[i], "park", e.task, t, &mut tl.slices);
        let o = &mut open[i];
        match &e.what {
            What::Lock {
                name: raw, shared, ..
            } => {
                let label = event_text(rec, e).unwrap_or_default();
                let stw = std::mem::take(&mut stw_next[i]) && !shared;
                let (name, cat) = match (stw, shared) {
                    (true, _) => ("stopTheWorld".to_string(), "stw"),
                    (false, true) => (label, "shared"),
                    (false, false) => (label, "lock"),
                };
                let key = format!("lock {raw}");
                o.push((key, name, cat, t));
            }
            What::Unlock { name, .. } => {
                close(o, &format!("lock {name}"), e.task, t, &mut tl.slices)
            }
            What::Park(n) => o.push(("park".into(), format!("park {n}"), "park", t)),
            What::Enter(f) => o.push((format!("fn {f}"), (*f).to_string(), "func", t)),
            What::Exit(f) => close(o, &format!("fn {f}"), e.task, t, &mut tl.slices),
            What::Note(n) if n == "stopTheWorld" => stw_next[i] = true,
            What::Start(_) | What::Yield => {}
            _ => tl.marks.push(mark(rec, e, t)),
        }
    }
    for (i, o) in open.iter_mut().enumerate() {
        while let Some((_, name, cat, start)) = o.pop() {
            tl.slices.push(Slice {
                task: tasks[i],
                name,
                cat,
                start,
                end,
            });
        }
    }
    tl
}

fn mark(rec: &Recording, e: &sim::record::Event, ts: f64) -> Mark {
    let cat = match &e.what {
        What::TraceEvent(_) => "trace event",
        What::Fail(_) => "failure",
        What::Cell { .. } => "cell",
        _ => "sync",
    };
    let name = match &e.what {
        What::Fail(m) => format!("FAILED: {}", m.lines().next().unwrap_or_default()),
        _ => event_text(rec, e).unwrap_or_default(),
    };
    Mark {
        task: e.task,
        name,
        cat,
        ts,
    }
}

/// The Chrome trace-event JSON of a timeline (`failure`'s message goes in the metadata).
pub fn chrome_json(tl: &Timeline, failure: Option<&Failure>) -> Value {
    let mut events: Vec<Value> = vec![
        json!({"name": "process_name", "ph": "M", "pid": 1, "tid": 0, "args": {"name": "tracesim"}}),
    ];
    for (t, name) in &tl.threads {
        events.push(
            json!({"name": "thread_name", "ph": "M", "pid": 1, "tid": t, "args": {"name": name}}),
        );
    }
    for s in &tl.slices {
        events.push(json!({"name": s.name, "cat": s.cat, "ph": "X", "ts": s.start, "dur": (s.end - s.start).max(0.01), "pid": 1, "tid": s.task}));
    }
    for m in &tl.marks {
        events.push(json!({"name": m.name, "cat": m.cat, "ph": "i", "s": "t", "ts": m.ts, "pid": 1, "tid": m.task}));
    }
    let failure = failure
        .map(|f| f.to_string())
        .unwrap_or_else(|| "passed".into());
    json!({"traceEvents": events, "displayTimeUnit": "ns", "otherData": {"failure": failure, "time unit": "1 µs = 1 scheduling step"}})
}

/// Writes `path.json` and `path.html` (a `.json`/`.html` suffix of `path` is dropped first).
pub fn write(
    path: &Path,
    rec: &Recording,
    failure: Option<&Failure>,
) -> std::io::Result<(PathBuf, PathBuf)> {
    let text = path.display().to_string();
    let stem = text.trim_end_matches(".json").trim_end_matches(".html");
    let (json_path, html_path) = (
        PathBuf::from(format!("{stem}.json")),
        PathBuf::from(format!("{stem}.html")),
    );
    let tl = build(rec);
    let doc = serde_json::to_string(&chrome_json(&tl, failure)).expect("values serialise");
    std::fs::write(&json_path, doc + "\n")?;
    std::fs::write(&html_path, crate::timeline_html::page(&tl, failure))?;
    Ok((json_path, html_path))
}

//! `tracesim replay FILE --explain`: the failing interleaving in columns, one per simulated
//! thread, one row per step where a thread did something that matters (locks with name and
//! rank, park/unpark, semaphores, the tracer's functions and flushes, stop-the-world, named
//! cells, the Go trace events written), and the failing check at the bottom, like lockdep's
//! CPU0/CPU1 scenario. At most [`WIDTH`] columns wide.

use crate::{body, run_config, Scenario};
use sim::record::{self, Event, Recording, What};
use sim::{ExecResult, Failure, SchedulerSpec};
use tracer::Variant;

/// The width of the view, in characters.
pub const WIDTH: usize = 120;
/// The step column.
const STEP_COL: usize = 6;

/// Replays `f` (by its decision list) with the recorder on.
pub fn record_failure(
    scenario: Scenario,
    variant: Variant,
    f: &Failure,
) -> Result<(ExecResult, Recording), String> {
    record_failure_in(scenario, variant, sim::RankMode::GoCompatible, f)
}

/// [`record_failure`] under lock-rank mode `mode` (a campaign run with `--rank-mode`).
pub fn record_failure_in(
    scenario: Scenario,
    variant: Variant,
    mode: sim::RankMode,
    f: &Failure,
) -> Result<(ExecResult, Recording), String> {
    let spec = SchedulerSpec::parse(&f.scheduler)?;
    let mut cfg = run_config(scenario, variant, f.base_seed, 1, spec);
    crate::args::with_rank_mode(&mut cfg, mode);
    record::start();
    let res = sim::run_single(
        &cfg,
        f.exec_seed,
        f.index,
        Some(f.decisions.clone()),
        body(scenario, variant),
    );
    Ok((res, record::finish()))
}

/// A lock's display name: Go's rank name, or the first words of a facade name.
fn lock_name(name: &str) -> &str {
    name.split(" (").next().unwrap_or(name)
}

/// One event as a cell of the view (`None`: not shown).
pub fn event_text(rec: &Recording, e: &Event) -> Option<String> {
    let inner = e
        .frames
        .first()
        .map(|f| format!(" in {f}"))
        .unwrap_or_default();
    Some(match &e.what {
        What::Start(_) => "start".to_string(),
        What::Lock {
            name, rank, shared, ..
        } => {
            let op = if *shared { "rlock" } else { "lock" };
            let rank = rank.map(|r| format!("({r})")).unwrap_or_default();
            format!("{op} {}{rank}", lock_name(name))
        }
        What::Unlock { name, shared } => {
            let op = if *shared { "runlock" } else { "unlock" };
            format!("{op} {}", lock_name(name))
        }
        What::Park(n) => format!("park {n}"),
        What::Unpark(n) => format!("unpark {n}"),
        What::SemAcquire(n) => format!("semacquire {n}"),
        What::SemRelease(n) => format!("semrelease {n}"),
        What::Join(t) => format!("join {}", rec.name_of(*t)),
        What::Yield | What::Exit(_) => return None,
        What::Enter(f) => format!("> {f}"),
        What::Note(n) => n.clone(),
        What::TraceEvent(n) => format!("ev {n}"),
        What::Cell { name, write, .. } => {
            format!("{} {name}", if *write { "write" } else { "read" })
        }
        What::Fail(m) => {
            let head = m.split(':').next().unwrap_or_default();
            format!("FAILS: {head}{inner}")
        }
    })
}

/// Word-wraps `text` to `width` characters (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let word: String = word.chars().take(width).collect();
        let cur = lines.last_mut().expect("one line");
        let len = cur.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(word);
        } else {
            if len > 0 {
                cur.push(' ');
            }
            cur.push_str(&word);
        }
    }
    lines
}

fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(n)))
}

/// The events up to the failing check (what follows is the failing thread unwinding).
pub fn until_failure(rec: &Recording) -> &[Event] {
    let end = rec
        .events
        .iter()
        .position(|e| matches!(e.what, What::Fail(_)))
        .map_or(rec.events.len(), |i| i + 1);
    &rec.events[..end]
}

/// Whether a row ends by entering a function (the next row of its thread joins it).
fn entered(row: &str) -> bool {
    row.rsplit("; ")
        .next()
        .is_some_and(|last| last.starts_with("> "))
}

/// Whether row `next` only releases the lock row `prev` took (they become one row).
fn releases(prev: &str, next: &str) -> bool {
    let last = prev.rsplit("; ").next().unwrap_or(prev);
    if last != prev {
        return false;
    }
    let Some(rest) = prev.strip_prefix("lock ").or(prev.strip_prefix("rlock ")) else {
        return false;
    };
    let name = rest.split(['(', ' ']).next().unwrap_or(rest);
    let name = rest.strip_prefix("a P").map_or(name, |_| "a P");
    next == format!("unlock {name}") || next == format!("runlock {name}")
}

/// The rows of the view: (step, column, text), consecutive events of one thread in one step
/// joined, and a lock released by the thread's next row before anyone else's shown in one.
fn rows(rec: &Recording, tasks: &[usize]) -> Vec<(u64, usize, String)> {
    let mut out: Vec<(u64, usize, String)> = Vec::new();
    for e in until_failure(rec) {
        let (Some(text), Some(col)) = (event_text(rec, e), tasks.iter().position(|&t| t == e.task))
        else {
            continue;
        };
        match out.last_mut() {
            Some((_, c, t)) if *c == col && releases(t, &text) => {
                *t = t.replacen("lock ", "lock/unlock ", 1);
            }
            Some((s, c, t)) if *c == col && (*s == e.step || entered(t)) => {
                t.push_str("; ");
                t.push_str(&text);
            }
            _ => out.push((e.step, col, text)),
        }
    }
    out
}

/// Renders the view with long single-thread runs folded ([`crate::explain_fold`]).
pub fn render(rec: &Recording, failure: Option<&Failure>) -> String {
    render_with(rec, failure, true)
}

/// Renders the view: header, one line group per row (long single-thread runs folded if
/// `fold`), the failing check at the bottom.
pub fn render_with(rec: &Recording, failure: Option<&Failure>, fold: bool) -> String {
    let tasks = rec.tasks();
    let n = tasks.len().max(1);
    let col = (WIDTH - STEP_COL - n) / n;
    let mut out = Vec::new();
    let names: Vec<String> = tasks.iter().map(|&t| pad(&rec.name_of(t), col)).collect();
    out.push(format!("{}|{}", pad("step", STEP_COL), names.join("|")));
    out.push(format!(
        "{}+{}",
        "-".repeat(STEP_COL),
        vec!["-".repeat(col); n].join("+")
    ));
    let rows = rows(rec, &tasks);
    let rows = if fold {
        crate::explain_fold::fold(rows)
    } else {
        rows
    };
    for (step, c, text) in rows {
        for (k, line) in wrap(&text, col).into_iter().enumerate() {
            let label = if k == 0 {
                step.to_string()
            } else {
                String::new()
            };
            let cells: Vec<String> = (0..n)
                .map(|i| pad(if i == c { &line } else { "" }, col))
                .collect();
            out.push(
                format!("{}|{}", pad(&label, STEP_COL), cells.join("|"))
                    .trim_end()
                    .to_string(),
            );
        }
    }
    out.extend(bottom(rec, failure));
    out.join("\n") + "\n"
}

/// The failing check, full width: who, where (innermost function first), and the message.
fn bottom(rec: &Recording, failure: Option<&Failure>) -> Vec<String> {
    let Some(f) = failure else {
        return vec!["(the execution passed)".to_string()];
    };
    let fail = rec.events.iter().find(|e| matches!(e.what, What::Fail(_)));
    let who = match fail {
        Some(e) if !e.frames.is_empty() => {
            format!("{} in {}", rec.name_of(e.task), e.frames.join(" < "))
        }
        Some(e) => rec.name_of(e.task),
        None => "the simulator".to_string(),
    };
    let mut out = vec![format!("FAILED ({}) at step {}: {who}", f.kind, f.step)];
    for line in f.message.lines() {
        out.extend(wrap(line, WIDTH - 2).into_iter().map(|l| format!("  {l}")));
    }
    out
}

//! The end of a stress campaign: one line per scenario, the total, stress's final status line,
//! how to replay what failed, and the regression corpus update.

use crate::board::{Board, Tally};
use crate::corpus;
use crate::status::rate;
use crate::stress::Options;
use std::process::ExitCode;

fn tally_line(name: &str, t: &Tally) -> String {
    let pct = if t.failures > 0 {
        format!(
            " ({:.2}%)",
            100.0 * t.failures as f64 / t.runs.max(1) as f64
        )
    } else {
        String::new()
    };
    let steps = if t.steps > 0 {
        format!(
            ", {:.0} steps/execution",
            t.steps as f64 / t.runs.max(1) as f64
        )
    } else {
        String::new()
    };
    format!(
        "{name}: {} runs, {} failures{pct}, {:.1}s, {:.0} executions/s{steps}",
        t.runs,
        t.failures,
        t.elapsed.as_secs_f64(),
        rate(t.runs, t.elapsed)
    )
}

fn world(o: &Options) -> String {
    if o.native.is_some() {
        "native".to_string()
    } else {
        o.scheduler.to_string()
    }
}

fn print_tallies(o: &Options, b: &mut Board) {
    let mut total = Tally {
        elapsed: b.start.elapsed(),
        ..Tally::default()
    };
    let lines: Vec<String> = b
        .tallies
        .iter()
        .map(|(s, t)| {
            total.runs += t.runs;
            total.failures += t.failures;
            total.steps += t.steps;
            tally_line(
                &format!("{} {} {}", s.name(), s.resolve(o.variant).name(), world(o)),
                t,
            )
        })
        .collect();
    b.term.line("");
    for l in lines {
        b.term.line(&l);
    }
    let n = b.tallies.len();
    b.term.line(&tally_line(
        &format!("total ({n} scenario{})", if n == 1 { "" } else { "s" }),
        &total,
    ));
}

/// One block per signature: its count, first seed, and the files saved for it.
fn print_signatures(b: &mut Board) {
    if b.keeper.sigs.is_empty() {
        return;
    }
    let keep = b.keeper.keep;
    let mut lines = vec![format!(
        "failures by signature (at most {keep} saved each, --keep):"
    )];
    for s in &b.keeper.sigs {
        lines.push(format!(
            "  {} x {} {}: first seed {}, {} saved",
            s.count,
            s.scenario.name(),
            s.signature,
            sim::fmt_seed(s.first_seed),
            s.saved.len()
        ));
        for p in s.saved.iter().take(3).chain(s.extras.iter().take(3)) {
            lines.push(format!("      {}", p.display()));
        }
        if s.saved.len() > 3 {
            lines.push(format!("      … and {} more saved", s.saved.len() - 3));
        }
    }
    for l in lines {
        b.term.line(&l);
    }
}

fn print_hints(o: &Options, b: &mut Board, interrupted: bool, hung: u64) {
    if let Some((_, json)) = b.first_saved.clone() {
        b.term.line(&format!(
            "failures saved in {}; replay the first: cargo run --release -p scenarios -- replay {}",
            o.out.display(),
            json.display()
        ));
    }
    if b.save_errors > 0 {
        b.term.line(&format!(
            "{} failures could not be saved (see stderr)",
            b.save_errors
        ));
    }
    if hung > 0 {
        b.term.line(&format!(
            "{hung} native executions hung; their OS threads were leaked"
        ));
    }
    if interrupted {
        b.term.line(&format!(
            "interrupted: the campaign stopped early; every failure found is kept in {}",
            o.out.display()
        ));
    }
}

/// Appends the campaign's new (scenario, variant, kind) failures to the corpus; `Err` is a
/// message for a usage-style exit.
fn save_regressions(o: &Options, b: &mut Board) -> Result<(), String> {
    let Some(path) = &o.corpus else { return Ok(()) };
    if o.native.is_some() {
        b.term
            .line("regressions: native failures are not replayable; the corpus is unchanged");
        return Ok(());
    }
    let candidates: Vec<corpus::Entry> = b.candidates.iter().map(|(_, e)| e.clone()).collect();
    let added = corpus::append(path, &candidates)?;
    let s = if added.len() == 1 { "y" } else { "ies" };
    b.term.line(&format!(
        "regressions: {} new entr{s} in {}",
        added.len(),
        path.display()
    ));
    for e in &added {
        b.term.line(&format!(
            "  + {} {} {} {} ({})",
            e.scenario, e.variant, e.scheduler, e.seed, e.kind
        ));
    }
    Ok(())
}

/// Prints the summary; exit code 1 if any execution failed, 0 otherwise, 2 if the corpus could
/// not be written.
pub fn finish(o: &Options, b: &mut Board, interrupted: bool, hung: u64) -> ExitCode {
    print_tallies(o, b);
    let last = b.status();
    b.term.line(&last);
    print_signatures(b);
    print_hints(o, b, interrupted, hung);
    if let Err(e) = save_regressions(o, b) {
        return crate::args::usage(&e);
    }
    ExitCode::from(u8::from(b.failures > 0))
}

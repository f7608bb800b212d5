//! `tracesim shrink FILE.json`: shrinks a saved failure's schedule ([`sim::shrink`]) and writes
//! the shrunk failure beside it as `FILE.shrunk.json` (the same shape: `tracesim replay` and
//! `--explain` read it), printing steps, context switches and preemptions before and after.

use crate::{body, run_config, save, Scenario};
use sim::shrink::{Budget, Shape, Shrunk};
use sim::{Failure, RankMode, SchedulerSpec};
use std::path::{Path, PathBuf};
use tracer::Variant;

/// The file a shrunk failure of `json` goes to: `x.json` → `x.shrunk.json`.
pub fn shrunk_path(json: &Path) -> PathBuf {
    let text = json.display().to_string();
    let stem = text.strip_suffix(".json").unwrap_or(&text);
    PathBuf::from(format!("{stem}.shrunk.json"))
}

/// Shrinks `f`, a failure of `scenario` under `variant`.
pub fn shrink_failure(
    scenario: Scenario,
    variant: Variant,
    f: &Failure,
    budget: Budget,
    rank_mode: RankMode,
) -> Result<Shrunk, String> {
    let spec = SchedulerSpec::parse(&f.scheduler)?;
    let mut cfg = run_config(scenario, variant, f.base_seed, 1, spec);
    crate::args::with_rank_mode(&mut cfg, rank_mode);
    sim::shrink::shrink(&cfg, f, budget, body(scenario, variant))
}

/// One row of the before/after table.
pub fn shape_row(label: &str, s: Shape) -> String {
    format!(
        "{label:<8} {:>7} steps {:>5} context switches {:>4} preemptions",
        s.steps, s.switches, s.preemptions
    )
}

/// The report printed after shrinking.
pub fn report(s: &Shrunk) -> String {
    let how = match &s.exhausted {
        Some(why) => format!("stopped early: {why}"),
        None => "no smaller schedule keeps the failure".to_string(),
    };
    format!(
        "{}\n{}\nshrinking: {} replays in {:.2}s; {how}",
        shape_row("before", s.before),
        shape_row("after", s.after),
        s.replays,
        s.elapsed.as_secs_f64()
    )
}

/// Writes the shrunk failure beside `json`. Its replay line stays the seed's (which replays the
/// original schedule of the same failure); the file itself replays the shrunk one.
pub fn write_shrunk(
    json: &Path,
    scenario: Scenario,
    variant: Variant,
    s: &Shrunk,
) -> std::io::Result<PathBuf> {
    let path = shrunk_path(json);
    std::fs::write(&path, save::failure_json(scenario, variant, &s.failure))?;
    Ok(path)
}

//! `tracesim replay`: one execution, by its seed or from a saved failure file, with the views
//! of [`crate::explain_cmd`].

use crate::args::{fits, parse_scenario, usage, with_rank_mode};
use crate::artifact::save_trace;
use crate::explain_cmd::View;
use crate::save::load_failure;
use crate::{body, run_config, Scenario};
use sim::native::NATIVE_SCHEDULER;
use sim::{parse_seed, RankMode, SchedulerSpec};
use std::path::PathBuf;
use std::process::ExitCode;
use tracer::Variant;

/// What a replay runs: one execution, by seed or from a saved failure.
struct ReplayTarget {
    seed: u64,
    base: u64,
    index: u64,
    scenario: Scenario,
    variant: Variant,
    scheduler: SchedulerSpec,
    decisions: Option<Vec<u32>>,
}

/// A saved failure (`stress` writes them): same seed, index, base seed and decision list.
fn replay_file(path: &str) -> Result<ReplayTarget, ExitCode> {
    let (f, scenario, variant) = load_failure(path).map_err(|e| usage(&e))?;
    if f.scheduler == NATIVE_SCHEDULER {
        return Err(usage(&format!("{path} is a native failure (found on OS threads): it is not replayable by seed.\nreplay: {}", f.replay)));
    }
    let scheduler = SchedulerSpec::parse(&f.scheduler).map_err(|e| usage(&e))?;
    Ok(ReplayTarget {
        seed: f.exec_seed,
        base: f.base_seed,
        index: f.index,
        scenario,
        variant,
        scheduler,
        decisions: Some(f.decisions),
    })
}

fn replay_seed(
    target: &str,
    scen: Option<String>,
    variant: Option<Variant>,
    sched: Option<SchedulerSpec>,
) -> Result<ReplayTarget, ExitCode> {
    let seed = parse_seed(target).map_err(|e| usage(&e))?;
    let name = scen.ok_or_else(|| usage("replay SEED needs --scenario"))?;
    Ok(ReplayTarget {
        seed,
        base: 0,
        index: 0,
        scenario: parse_scenario(&name)?,
        variant: variant.unwrap_or_default(),
        scheduler: sched.unwrap_or(SchedulerSpec::Random),
        decisions: None,
    })
}

/// Runs `tracesim replay`: exit 0 when the execution passed, 1 if it failed, 2 for bad input.
pub fn cmd_replay(
    target: &str,
    scen: Option<String>,
    variant: Option<Variant>,
    sched: Option<SchedulerSpec>,
    out: Option<PathBuf>,
    view: View,
    rank_mode: RankMode,
) -> ExitCode {
    let target = &view.target(target);
    let t = match if target.ends_with(".json") {
        replay_file(target)
    } else {
        replay_seed(target, scen, variant, sched)
    } {
        Ok(t) => t,
        Err(code) => return code,
    };
    if let Err(code) = fits(t.scenario, t.variant) {
        return code;
    }
    let mut cfg = run_config(t.scenario, t.variant, t.base, 1, t.scheduler);
    with_rank_mode(&mut cfg, rank_mode);
    view.begin();
    let res = sim::run_single(
        &cfg,
        t.seed,
        t.index,
        t.decisions,
        body(t.scenario, t.variant),
    );
    if let Err(code) = view.end(&res) {
        return code;
    }
    match &res.failure {
        Some(f) => println!("{f}"),
        None => println!(
            "execution {} passed ({} steps)",
            sim::fmt_seed(t.seed),
            res.steps
        ),
    }
    if let Err(code) = save_trace(out.as_deref(), Some(&res)) {
        return code;
    }
    ExitCode::from(u8::from(res.failure.is_some()))
}

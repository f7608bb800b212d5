//! `tracesim run`: a scenario for N executions, a summary, and the trace of the execution it
//! names.

use crate::args::{fits, parse_scenario, with_rank_mode};
use crate::artifact::save_trace;
use crate::{body, run_config};
use sim::{ExecResult, RankMode, SchedulerSpec};
use std::path::PathBuf;
use std::process::ExitCode;
use tracer::Variant;

/// Runs `tracesim run`: exit 0 when every execution passed, 1 if one failed, 2 for bad input.
pub fn cmd_run(
    scen: &str,
    seed: u64,
    executions: u64,
    sched: SchedulerSpec,
    variant: Variant,
    out: Option<PathBuf>,
    rank_mode: RankMode,
) -> ExitCode {
    let sc = match parse_scenario(scen).and_then(|s| fits(s, variant).map(|()| s)) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let variant = sc.resolve(variant);
    let mut cfg = run_config(sc, variant, seed, executions, sched);
    with_rank_mode(&mut cfg, rank_mode);
    println!(
        "tracesim run {}: base seed {}, {executions} executions, scheduler {sched}, variant {}",
        sc.name(),
        sim::fmt_seed(seed),
        variant.name()
    );
    let kept = std::rc::Rc::new(std::cell::RefCell::new(None::<ExecResult>));
    let k = kept.clone();
    let report = sim::run_observed(&cfg, body(sc, variant), move |r| {
        let mut k = k.borrow_mut();
        if k.is_none() && (executions == 1 || r.failure.is_some()) {
            *k = Some(r.clone());
        }
    });
    println!(
        "executions: {}  failures: {}  elapsed: {:.2}s  executions/s: {:.0}  steps/execution: {:.0}",
        report.executions,
        report.failure_count,
        report.elapsed.as_secs_f64(),
        report.rate(),
        report.steps as f64 / report.executions.max(1) as f64
    );
    for (i, r) in &report.rank_reports {
        println!("rank report (execution {i}):\n{r}");
    }
    if let Some(f) = report.failures.first() {
        println!("\n{f}");
    } else if let (1, Some(r)) = (executions, kept.borrow().as_ref()) {
        let knobs: Vec<String> = r.knobs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!(
            "SEED={} scheduler={}\nknobs: {}",
            sim::fmt_seed(r.exec_seed),
            r.scheduler,
            knobs.join(" ")
        );
    }
    if let Err(code) = save_trace(out.as_deref(), kept.borrow().as_ref()) {
        return code;
    }
    ExitCode::from(u8::from(report.failure_count > 0))
}

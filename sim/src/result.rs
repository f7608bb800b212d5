//! The results of executions and runs: one execution's [`ExecResult`], a run's [`RunReport`],
//! and the conversion of what an execution recorded into a replayable [`Failure`].

use crate::driver::Finished;
use crate::failure::{Failure, SHUTTLE_VERSION};
use crate::runner::RunConfig;
use crate::sched::SchedulerSpec;
use crate::seed::fmt_seed;
use std::time::Duration;

/// The result of one execution.
#[derive(Clone, Debug)]
pub struct ExecResult {
    pub index: u64,
    pub exec_seed: u64,
    pub scheduler: SchedulerSpec,
    pub steps: u64,
    pub decisions: Vec<u32>,
    pub output_hash: Option<u64>,
    pub failure: Option<Failure>,
    pub rank_reports: Vec<String>,
    pub knobs: Vec<(String, String)>,
    /// Bytes the execution kept with `swarm::record_artifact` (a trace).
    pub artifact: Option<Vec<u8>>,
}

impl ExecResult {
    /// FNV-1a hash of the decision list (the determinism check compares it).
    pub fn decisions_hash(&self) -> u64 {
        fnv1a(self.decisions.iter().flat_map(|d| d.to_le_bytes()))
    }
}

/// FNV-1a over bytes: a stable hash for decision lists and outputs.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct RunReport {
    pub executions: u64,
    pub failure_count: u64,
    /// The first `keep_failures` failures, in execution order.
    pub failures: Vec<Failure>,
    pub elapsed: Duration,
    pub steps: u64,
    pub rank_reports: Vec<(u64, String)>,
    pub lock_graph_edges: usize,
}

impl RunReport {
    /// Executions per second of wall time.
    pub fn rate(&self) -> f64 {
        self.executions as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Renders the replay command of a failure from the template.
pub fn render_replay(template: &str, f: &Failure) -> String {
    template
        .replace("{seed}", &fmt_seed(f.exec_seed))
        .replace("{base}", &fmt_seed(f.base_seed))
        .replace("{index}", &f.index.to_string())
        .replace("{scheduler}", &f.scheduler)
}

pub(crate) fn to_result(cfg: &RunConfig, fin: Finished) -> ExecResult {
    let c = fin.ctx;
    let spec = fin.plan.spec;
    let notes = c.notes;
    let failure = c.failure.map(|p| {
        let mut message = p.message;
        if !notes.is_empty() {
            message += &format!("\nthe code under test printed:\n  {}", notes.join("\n  "));
        }
        let mut f = Failure {
            kind: p.kind,
            message,
            location: p.location,
            exec_seed: fin.plan.exec_seed,
            base_seed: cfg.base_seed,
            index: fin.plan.index,
            scheduler: spec.to_string(),
            step: p.step,
            decisions: fin.decisions.clone(),
            knobs: c.knobs.clone(),
            shuttle_version: SHUTTLE_VERSION.to_string(),
            replay: String::new(),
        };
        f.replay = render_replay(&cfg.replay_template, &f);
        f
    });
    ExecResult {
        index: fin.plan.index,
        exec_seed: fin.plan.exec_seed,
        scheduler: spec,
        steps: fin.steps,
        decisions: fin.decisions,
        output_hash: c.output_hash,
        failure,
        rank_reports: c.rank_reports,
        knobs: c.knobs,
        artifact: c.artifact,
    }
}

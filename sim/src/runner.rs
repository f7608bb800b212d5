//! The runner: runs a closure as the main thread of N executions (or until a deadline), each
//! with its own seed, and returns every failure as a structured, replayable [`Failure`].

use crate::driver::{Core, Driver, ExecPlan, Finished, Settings};
use crate::graph::LockGraph;
use crate::rank::{RankAction, RankMode};
use crate::result::to_result;
pub use crate::result::{fnv1a, render_replay, ExecResult, RunReport};
use crate::sched::SchedulerSpec;
use crate::seed::{exec_seed, fmt_seed};
use crate::{ctx, hook, thread};
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How a run explores.
#[derive(Clone, Debug)]
pub struct RunConfig {
    pub base_seed: u64,
    /// Index of the first execution (a shard or a resumed campaign starts past 0).
    pub start_index: u64,
    /// Index stride: execution k of this run has index `start_index + k * stride` (sharding),
    /// unless executions come in blocks (below).
    pub stride: u64,
    /// Executions per block (1: no blocks): the run's indices come in blocks of `block`
    /// consecutive ones (`stride` apart), and it takes every `every`-th block
    /// ([`RunConfig::index_of`]). Stress jobs take whole blocks of `mix`'s period, so each job
    /// runs every scheduler alike.
    pub block: u64,
    /// The run takes every `every`-th block (the other jobs take those between).
    pub every: u64,
    pub executions: u64,
    /// Stop starting executions after this much wall time (the runner's clock, not the code's).
    pub duration: Option<Duration>,
    pub scheduler: SchedulerSpec,
    /// PCT's estimate of an execution's length, in steps (where its change points fall).
    pub pct_steps: u64,
    /// The livelock bound, in scheduling steps.
    pub max_steps: u64,
    pub rank_mode: RankMode,
    pub rank_action: RankAction,
    /// Stack of every simulated thread; debug builds need far more than shuttle's 60 KiB.
    pub stack_size: usize,
    /// Stop after this many failures (`None`: never).
    pub stop_after_failures: Option<u64>,
    /// How many failures the report keeps in full (all are counted and observed).
    pub keep_failures: usize,
    /// The replay command, with `{seed}`, `{base}`, `{index}` and `{scheduler}` substituted.
    pub replay_template: String,
    /// Set from outside (SIGINT) to stop between executions.
    pub stop: Option<Arc<AtomicBool>>,
    /// Incremented after every execution (progress displays).
    pub progress: Option<Arc<AtomicU64>>,
    /// Check accesses to `sim::cell` cells for data races (happens-before).
    pub race: bool,
    /// Make every cell access a scheduling point (see `sim::cell::set_switch_points`).
    pub cell_switch_points: bool,
}

impl Default for RunConfig {
    fn default() -> Self {
        Self {
            base_seed: 0,
            start_index: 0,
            stride: 1,
            block: 1,
            every: 1,
            executions: 1000,
            duration: None,
            scheduler: SchedulerSpec::Random,
            pct_steps: 1000,
            max_steps: 100_000,
            rank_mode: RankMode::GoCompatible,
            rank_action: RankAction::Fail,
            stack_size: 1 << 20,
            stop_after_failures: None,
            keep_failures: 100,
            replay_template: "(rerun with seed {seed}, scheduler {scheduler})".to_string(),
            stop: None,
            progress: None,
            race: true,
            cell_switch_points: false,
        }
    }
}

impl RunConfig {
    /// The index of this run's execution `k` (see `stride`, `block` and `every`).
    pub fn index_of(&self, k: u64) -> u64 {
        let (block, stride) = (self.block.max(1), self.stride.max(1));
        let slot = (k / block) * block * self.every.max(1) + k % block;
        self.start_index + slot * stride
    }
}

pub(crate) type Body = Arc<dyn Fn() + Send + Sync>;

fn settings(cfg: &RunConfig) -> Settings {
    Settings {
        pct_steps: cfg.pct_steps,
        max_steps: cfg.max_steps,
        rank_mode: cfg.rank_mode,
        rank_action: cfg.rank_action,
    }
}

fn shuttle_config(cfg: &RunConfig) -> shuttle::Config {
    let mut config = shuttle::Config::new();
    config.stack_size = cfg.stack_size;
    config.failure_persistence = shuttle::FailurePersistence::None;
    config.max_steps = shuttle::MaxSteps::None;
    config.silence_warnings = true;
    config
}

fn plan_source(cfg: &RunConfig) -> Box<dyn FnMut() -> Option<ExecPlan>> {
    let (base, n, spec, slots) = (cfg.base_seed, cfg.executions, cfg.scheduler, cfg.clone());
    let deadline = cfg.duration.map(|d| Instant::now() + d);
    let stop = cfg.stop.clone();
    let mut k = 0u64;
    Box::new(move || {
        let stopped = stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst));
        if k >= n || stopped || deadline.is_some_and(|d| Instant::now() >= d) {
            return None;
        }
        let index = slots.index_of(k);
        k += 1;
        Some(ExecPlan {
            index,
            exec_seed: exec_seed(base, index),
            spec: spec.resolve(index),
            replay: None,
        })
    })
}

fn payload_text(p: &(dyn std::any::Any + Send)) -> String {
    crate::failure::classify(p).1
}

/// Drives shuttle until the plans run out; a shuttle-raised failure ends one execution only.
fn run_core(
    cfg: &RunConfig,
    body: Body,
    plans: Box<dyn FnMut() -> Option<ExecPlan>>,
    on_finish: Box<dyn FnMut(Finished) -> bool>,
) {
    hook::install();
    crate::cell::race::configure(cfg.race, cfg.cell_switch_points);
    let core = Rc::new(RefCell::new(Core::new(settings(cfg), plans, on_finish)));
    while !core.borrow().halted() {
        let (driver, body, config) = (Driver(core.clone()), body.clone(), shuttle_config(cfg));
        let run = move || {
            shuttle::Runner::new(driver, config).run(move || {
                thread::run_task("main", || body());
            })
        };
        if let Err(p) = panic::catch_unwind(AssertUnwindSafe(run)) {
            core.borrow_mut().finish_current(Some(payload_text(&*p)));
        }
    }
    drop(ctx::end());
}

/// Folds one finished execution into the report; returns whether the run goes on.
fn fold(
    cfg: &RunConfig,
    graph: &mut LockGraph,
    report: &mut RunReport,
    mut fin: Finished,
) -> ExecResult {
    // Formatted only for executions that took nested ranked locks (a per-execution cost else).
    let origin = if fin.ctx.edges.is_empty() {
        String::new()
    } else {
        format!(
            "execution {} (seed {})",
            fin.plan.index,
            fmt_seed(fin.plan.exec_seed)
        )
    };
    let cycle = fin
        .ctx
        .edges
        .iter()
        .filter_map(|e| graph.add(e, &origin))
        .next();
    if let (Some(message), None) = (cycle, &fin.ctx.failure) {
        let kind = crate::failure::FailureKind::LockCycle;
        fin.ctx.failure = Some(ctx::Pending {
            kind,
            message,
            location: None,
            step: fin.steps,
        });
    }
    let res = to_result(cfg, fin);
    report.executions += 1;
    report.steps += res.steps;
    for r in &res.rank_reports {
        if !report.rank_reports.iter().any(|(_, m)| m == r) {
            report.rank_reports.push((res.index, r.clone()));
        }
    }
    if let Some(f) = &res.failure {
        report.failure_count += 1;
        if report.failures.len() < cfg.keep_failures {
            report.failures.push(f.clone());
        }
    }
    report.lock_graph_edges = graph.len();
    res
}

/// Runs `f` as the main thread of every execution of `cfg`; `observe` sees each execution as it
/// ends (stress tools save failures from there).
pub fn run_observed<F, O>(cfg: &RunConfig, f: F, mut observe: O) -> RunReport
where
    F: Fn() + Send + Sync + 'static,
    O: FnMut(&ExecResult) + 'static,
{
    let start = Instant::now();
    let report = Rc::new(RefCell::new(RunReport::default()));
    let shared = report.clone();
    let c = cfg.clone();
    let mut graph = LockGraph::default();
    let on_finish = Box::new(move |fin: Finished| {
        let mut rep = shared.borrow_mut();
        let res = fold(&c, &mut graph, &mut rep, fin);
        if let Some(p) = &c.progress {
            p.fetch_add(1, Ordering::Relaxed);
        }
        observe(&res);
        c.stop_after_failures.is_none_or(|n| rep.failure_count < n)
    });
    run_core(cfg, Arc::new(f), plan_source(cfg), on_finish);
    let mut out = std::mem::take(&mut *report.borrow_mut());
    out.elapsed = start.elapsed();
    out
}

/// Runs `f` for every execution of `cfg`.
pub fn run<F: Fn() + Send + Sync + 'static>(cfg: &RunConfig, f: F) -> RunReport {
    run_observed(cfg, f, |_| {})
}

/// Runs one execution with seed `exec_seed` (as execution `index` of `cfg.base_seed`), following
/// `replay` if given, else `cfg.scheduler`.
pub fn run_single<F: Fn() + Send + Sync + 'static>(
    cfg: &RunConfig,
    exec_seed: u64,
    index: u64,
    replay: Option<Vec<u32>>,
    f: F,
) -> ExecResult {
    run_single_body(cfg, exec_seed, index, replay, Arc::new(f))
}

pub(crate) fn run_single_body(
    cfg: &RunConfig,
    exec_seed: u64,
    index: u64,
    replay: Option<Vec<u32>>,
    body: Body,
) -> ExecResult {
    let mut plan = Some(ExecPlan {
        index,
        exec_seed,
        spec: cfg.scheduler.resolve(index),
        replay,
    });
    let out: Rc<RefCell<Option<ExecResult>>> = Rc::default();
    let (shared, c) = (out.clone(), cfg.clone());
    let mut graph = LockGraph::default();
    let on_finish = Box::new(move |fin: Finished| {
        let res = fold(&c, &mut graph, &mut RunReport::default(), fin);
        *shared.borrow_mut() = Some(res);
        true
    });
    run_core(cfg, body, Box::new(move || plan.take()), on_finish);
    let res = out.borrow_mut().take();
    res.expect("[sim internal bug] a single execution produced no result")
}

//! The runner: runs a closure as the main thread of N executions (or until a deadline), each
//! with its own seed, and returns every failure as a structured, replayable [`Failure`].

use crate::driver::{Core, Driver, ExecPlan, Finished, Settings};
use crate::failure::{Failure, SHUTTLE_VERSION};
use crate::graph::LockGraph;
use crate::rank::{RankAction, RankMode};
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
    /// Index stride: execution k of this run has index `start_index + k * stride` (sharding).
    pub stride: u64,
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
}

impl Default for RunConfig {
    fn default() -> Self {
        Self {
            base_seed: 0,
            start_index: 0,
            stride: 1,
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
        }
    }
}

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

fn to_result(cfg: &RunConfig, fin: Finished) -> ExecResult {
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

type Body = Arc<dyn Fn() + Send + Sync>;

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
    let (base, start, stride, n, spec) = (
        cfg.base_seed,
        cfg.start_index,
        cfg.stride.max(1),
        cfg.executions,
        cfg.scheduler,
    );
    let deadline = cfg.duration.map(|d| Instant::now() + d);
    let stop = cfg.stop.clone();
    let mut k = 0u64;
    Box::new(move || {
        let stopped = stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst));
        if k >= n || stopped || deadline.is_some_and(|d| Instant::now() >= d) {
            return None;
        }
        let index = start + k * stride;
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

fn run_single_body(
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

type Fingerprint = (u64, u64, u64, Option<u64>);

fn fingerprints(cfg: &RunConfig, body: &Body) -> (RunReport, Vec<Fingerprint>) {
    let prints: Rc<RefCell<Vec<Fingerprint>>> = Rc::default();
    let sink = prints.clone();
    let b = body.clone();
    let report = run_observed(
        cfg,
        move || b(),
        move |r| {
            sink.borrow_mut()
                .push((r.index, r.exec_seed, r.decisions_hash(), r.output_hash));
        },
    );
    let out = prints.borrow().clone();
    (report, out)
}

fn first_difference(a: &[u32], b: &[u32]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
        + 1
}

fn nondeterminism(cfg: &RunConfig, body: &Body, index: u64, exec_seed: u64) -> Failure {
    let one = run_single_body(cfg, exec_seed, index, None, body.clone());
    let two = run_single_body(cfg, exec_seed, index, None, body.clone());
    let step = first_difference(&one.decisions, &two.decisions) as u64;
    let mut f = Failure {
        kind: crate::failure::FailureKind::Nondeterminism,
        message: format!(
            "nondeterminism: seed {} gave two different executions: decision lists of {} and {} steps first differ \
             at step {step}; output hashes {:?} and {:?}. Something escapes the simulator: a wall clock, OS randomness, \
             HashMap order, a std thread-local or std lock, or state kept across executions.",
            fmt_seed(exec_seed),
            one.decisions.len(),
            two.decisions.len(),
            one.output_hash,
            two.output_hash
        ),
        location: None,
        exec_seed,
        base_seed: cfg.base_seed,
        index,
        scheduler: cfg.scheduler.resolve(index).to_string(),
        step,
        decisions: one.decisions,
        knobs: one.knobs,
        shuttle_version: SHUTTLE_VERSION.to_string(),
        replay: String::new(),
    };
    f.replay = render_replay(&cfg.replay_template, &f);
    f
}

/// Runs every execution of `cfg` twice and compares decision lists and output hashes; each
/// mismatch is a failure of kind `nondeterminism`. Returns the report of the first pass.
pub fn check_determinism<F: Fn() + Send + Sync + 'static>(
    cfg: &RunConfig,
    f: F,
) -> (RunReport, Vec<Failure>) {
    let body: Body = Arc::new(f);
    let (report, one) = fingerprints(cfg, &body);
    let (_, two) = fingerprints(cfg, &body);
    let mut failures = Vec::new();
    for (a, b) in one.iter().zip(&two) {
        if a != b {
            failures.push(nondeterminism(cfg, &body, a.0, a.1));
        }
    }
    (report, failures)
}

//! Native runs: the bodies the simulator explores, run on OS threads instead, as Go's `stress`
//! runs a test binary over and over. Each execution index still has its seed, and the seed still
//! draws the scenario's knobs ([`crate::swarm::Swarm::current`] works here too), but the OS picks
//! the schedule: a native failure is NOT replayable by seed, and its report says so.
//!
//! Each execution runs its body on a fresh OS thread named `main` under `catch_unwind`; a
//! watchdog waits [`NativeOptions::timeout`] for it. A hung execution cannot be cancelled: its
//! threads are leaked, it is reported as a `deadlock` failure, and the run goes on until
//! [`NativeOptions::max_hung`] executions have hung, then stops (leaked threads may spin and eat
//! the cores the next executions need). Likewise when the threads that failed executions left
//! blocked pass [`NativeOptions::max_leaked`].
//!
//! Panics: while a native run is in progress, a hook remembers every panic on an OS thread. The
//! failure of an execution that ran alone (one job) is its first panic, wherever it happened (a
//! reader's self-deadlock, say, rather than what the controller saw next); with several jobs the
//! panics of other threads cannot be told apart from a concurrent execution's, so the failure is
//! the body thread's panic, and the others are listed as possibly foreign. The body thread's
//! panics and the facade's checks (rank, self-deadlock, invariants) print nothing, being
//! reported; any other panic also prints through the previous hook.

mod witness;

use crate::failure::{classify, Failure, FailureKind, SHUTTLE_VERSION};
use crate::result::{render_replay, ExecResult, RunReport};
use crate::runner::RunConfig;
use crate::seed::exec_seed;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use witness::Witness;

/// The `scheduler` field of a native failure (no simulator scheduler ran it).
pub const NATIVE_SCHEDULER: &str = "native";

/// What a native run adds to a [`RunConfig`].
#[derive(Clone, Debug)]
pub struct NativeOptions {
    /// How long one execution may take before it counts as hung.
    pub timeout: Duration,
    /// Stop the run once this many executions have hung (each leaks its threads).
    pub max_hung: u64,
    /// Stop the run once this many threads of finished executions are still blocked (a failed
    /// execution can leave its other threads waiting forever; each holds an OS thread and its
    /// stack, and thousands of them exhaust the process).
    pub max_leaked: usize,
}

impl Default for NativeOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            max_hung: 4,
            max_leaked: 4096,
        }
    }
}

/// The result of a native run: the usual report, plus the executions that hung.
#[derive(Debug, Default)]
pub struct NativeReport {
    pub run: RunReport,
    pub hung: u64,
    /// Threads still blocked when the run stopped for [`NativeOptions::max_leaked`] (0 if it
    /// did not).
    pub leaked: usize,
}

/// What the running native execution recorded (its knobs and output).
#[derive(Debug, Default)]
pub(crate) struct Record {
    pub knobs: Vec<(String, String)>,
    pub artifact: Option<Vec<u8>>,
    pub output_hash: Option<u64>,
}

type Shared = Arc<Mutex<Record>>;

thread_local! {
    /// The native execution running on this OS thread (its body thread only).
    static CURRENT: RefCell<Option<(u64, Shared)>> = const { RefCell::new(None) };
}

/// How many native lock-order cycles have been reported as failures.
static CYCLES_REPORTED: AtomicUsize = AtomicUsize::new(0);

/// The seed of the native execution whose body runs on this OS thread.
pub(crate) fn execution_seed() -> Option<u64> {
    CURRENT.with(|c| c.borrow().as_ref().map(|(s, _)| *s))
}

/// Runs `f` on the record of the native execution whose body runs on this OS thread.
pub(crate) fn with_record<R>(f: impl FnOnce(&mut Record) -> R) -> Option<R> {
    let shared = CURRENT.with(|c| c.borrow().as_ref().map(|(_, r)| r.clone()))?;
    let mut rec = shared.lock().unwrap_or_else(|e| e.into_inner());
    Some(f(&mut rec))
}

/// How one native execution ended.
enum Outcome {
    Passed,
    Panicked(FailureKind, String),
    Hung,
}

fn spawn_body(
    body: &Arc<dyn Fn() + Send + Sync>,
    seed: u64,
    rec: &Shared,
    stack: usize,
) -> mpsc::Receiver<Outcome> {
    let (tx, rx) = mpsc::channel();
    let (body, rec) = (body.clone(), rec.clone());
    let spawned = std::thread::Builder::new()
        .name("main".into())
        .stack_size(stack)
        .spawn(move || {
            CURRENT.with(|c| *c.borrow_mut() = Some((seed, rec)));
            let out = panic::catch_unwind(AssertUnwindSafe(|| body()));
            CURRENT.with(|c| c.borrow_mut().take());
            let outcome = match out {
                Ok(()) => Outcome::Passed,
                Err(p) => {
                    let (kind, message) = classify(&*p);
                    Outcome::Panicked(kind, message)
                }
            };
            let _ = tx.send(outcome);
        });
    spawned.expect("failed to spawn the OS thread of a native execution");
    rx
}

fn native_failure(
    cfg: &RunConfig,
    index: u64,
    kind: FailureKind,
    message: String,
    location: Option<String>,
    knobs: Vec<(String, String)>,
) -> Failure {
    let exec_seed = exec_seed(cfg.base_seed, index);
    let message = format!(
        "{message}\n(native execution on OS threads: the seed {} fixed the knobs, the OS scheduled the threads; \
         this failure is NOT replayable by seed)",
        crate::seed::fmt_seed(exec_seed)
    );
    let mut f = Failure {
        kind,
        message,
        location,
        exec_seed,
        base_seed: cfg.base_seed,
        index,
        scheduler: cfg.scheduler.resolve(index).to_string(),
        step: 0,
        decisions: Vec::new(),
        knobs,
        shuttle_version: SHUTTLE_VERSION.to_string(),
        replay: String::new(),
    };
    let sim_line = render_replay(&cfg.replay_template, &f);
    f.scheduler = NATIVE_SCHEDULER.to_string();
    f.replay = format!(
        "none: a native failure is not replayable by seed (the OS scheduled it); the same knobs under the simulator: {sim_line}"
    );
    f
}

/// A lock-order cycle first seen on real threads during this execution (or, with several
/// native runs in parallel, during a concurrent one).
fn new_cycle() -> Option<String> {
    let cycles = crate::sync::native_lock_cycles();
    let seen = CYCLES_REPORTED.fetch_max(cycles.len(), Ordering::SeqCst);
    (cycles.len() > seen).then(|| cycles[seen..].join("\n"))
}

fn failure_of(
    cfg: &RunConfig,
    opts: &NativeOptions,
    index: u64,
    outcome: Outcome,
    w: &Witness,
    knobs: Vec<(String, String)>,
) -> Option<Failure> {
    let (kind, message, location) = match outcome {
        Outcome::Passed => (FailureKind::LockCycle, new_cycle()?, None),
        Outcome::Hung => match w.primary() {
            // A thread's failed check often leaves the others waiting forever (a reader that
            // died never releases shutdownSema): report the cause, not only the hang.
            Some(p) => (
                p.kind,
                format!(
                    "{}\n(panicked in OS thread '{}'; the execution then hung: it did not finish within {:?}, \
                     and its threads are leaked){}",
                    p.message,
                    p.thread,
                    opts.timeout,
                    w.others(Some(p))
                ),
                p.site.clone(),
            ),
            None => {
                let msg = format!(
                    "native execution did not finish within {:?}: a deadlock or a livelock on real threads \
                     (a hung native execution cannot be cancelled: its threads are leaked){}",
                    opts.timeout,
                    w.others(None)
                );
                (FailureKind::Deadlock, msg, None)
            }
        },
        Outcome::Panicked(kind, message) => match w.primary() {
            Some(p) => (
                p.kind,
                format!(
                    "{}\n(panicked in OS thread '{}'){}",
                    p.message,
                    p.thread,
                    w.others(Some(p))
                ),
                p.site.clone(),
            ),
            None => (kind, format!("{message}{}", w.others(None)), None),
        },
    };
    Some(native_failure(cfg, index, kind, message, location, knobs))
}

/// Runs execution `index` of `cfg` on OS threads and waits for it (at most `opts.timeout`).
fn run_one(
    cfg: &RunConfig,
    opts: &NativeOptions,
    body: &Arc<dyn Fn() + Send + Sync>,
    index: u64,
) -> (ExecResult, bool) {
    let seed = exec_seed(cfg.base_seed, index);
    let mark = witness::mark();
    let rec: Shared = Arc::default();
    let rx = spawn_body(body, seed, &rec, cfg.stack_size.max(8 << 20));
    let outcome = rx.recv_timeout(opts.timeout).unwrap_or(Outcome::Hung);
    let hung = matches!(outcome, Outcome::Hung);
    let witness = Witness::since(&mark, seed);
    let mut r = rec.lock().unwrap_or_else(|e| e.into_inner());
    let failure = failure_of(cfg, opts, index, outcome, &witness, r.knobs.clone());
    let res = ExecResult {
        index,
        exec_seed: seed,
        scheduler: cfg.scheduler.resolve(index),
        steps: 0,
        decisions: Vec::new(),
        output_hash: r.output_hash,
        failure,
        rank_reports: Vec::new(),
        knobs: std::mem::take(&mut r.knobs),
        artifact: r.artifact.take(),
    };
    (res, hung)
}

/// The indices of `cfg`'s executions, as the simulator's runner takes them:
/// [`RunConfig::index_of`] k for k < `executions`, until the deadline or the stop flag.
fn next_index(cfg: &RunConfig, k: u64, deadline: Option<Instant>) -> Option<u64> {
    let stopped = cfg.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst));
    if k >= cfg.executions || stopped || deadline.is_some_and(|d| Instant::now() >= d) {
        return None;
    }
    Some(cfg.index_of(k))
}

fn fold(cfg: &RunConfig, report: &mut RunReport, res: &ExecResult) {
    report.executions += 1;
    if let Some(f) = &res.failure {
        report.failure_count += 1;
        if report.failures.len() < cfg.keep_failures {
            report.failures.push(f.clone());
        }
    }
    if let Some(p) = &cfg.progress {
        p.fetch_add(1, Ordering::Relaxed);
    }
}

/// Runs `f` on OS threads once per execution of `cfg` (same indices, seeds and bounds as
/// [`crate::run_observed`]); `observe` sees each execution as it ends. Stops early after
/// `cfg.stop_after_failures` failures or `opts.max_hung` hung executions.
pub fn run_native<F, O>(cfg: &RunConfig, opts: &NativeOptions, f: F, mut observe: O) -> NativeReport
where
    F: Fn() + Send + Sync + 'static,
    O: FnMut(&ExecResult),
{
    witness::run_begins();
    let start = Instant::now();
    let deadline = cfg.duration.map(|d| start + d);
    let body: Arc<dyn Fn() + Send + Sync> = Arc::new(f);
    let mut out = NativeReport::default();
    let mut k = 0;
    while let Some(index) = next_index(cfg, k, deadline) {
        k += 1;
        let (res, hung) = run_one(cfg, opts, &body, index);
        out.hung += u64::from(hung);
        fold(cfg, &mut out.run, &res);
        observe(&res);
        let enough = cfg
            .stop_after_failures
            .is_some_and(|n| out.run.failure_count >= n);
        let live = crate::thread::native_live();
        if live > opts.max_leaked {
            out.leaked = live;
        }
        if enough || out.hung >= opts.max_hung || out.leaked > 0 {
            break;
        }
    }
    witness::run_ends();
    out.run.elapsed = start.elapsed();
    out
}

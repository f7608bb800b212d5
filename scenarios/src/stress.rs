//! `tracesim stress`: Go's `stress` tool for the model. It runs scenarios for many executions on
//! J jobs (OS threads, each running its own simulator), saves every failure, prints stress's
//! status line every 5 s, and exits 1 if anything failed.
//!
//! Scenarios run one after another. With `--executions N`, each scenario runs N executions
//! (over all jobs of this machine): indices 0..N of this shard's slice, whatever J is. With
//! `--duration D`, the campaign lasts D, split evenly among the scenarios. With neither, the
//! scenarios take turns, one segment of [`SEGMENT_PER_JOB`]×J executions each, until SIGINT.
//! `--native` runs the same bodies on OS threads ([`sim::native`]).

use crate::board::Board;
use crate::crashseed;
use crate::shard::{self, Shard};
use crate::{body, corpus, run_config, Scenario};
use sim::native::NativeOptions;
use sim::RankMode;
use sim::{fmt_seed, ExecResult, RunConfig, SchedulerSpec};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use tracer::Variant;

/// Executions per job in one turn of a campaign without a bound.
pub const SEGMENT_PER_JOB: u64 = 2000;

/// A stress campaign, as the command line describes it.
#[derive(Clone, Debug)]
pub struct Options {
    pub scenarios: Vec<Scenario>,
    pub variant: Variant,
    /// Executions per scenario, over all jobs of this machine.
    pub executions: Option<u64>,
    /// Wall time of the whole campaign, split evenly among the scenarios.
    pub duration: Option<Duration>,
    pub jobs: u64,
    pub seed: u64,
    pub scheduler: SchedulerSpec,
    /// Lock-rank checking (`--rank-mode`).
    pub rank_mode: RankMode,
    pub shard: Shard,
    pub out: PathBuf,
    /// The regression corpus to append new failures to (`--save-regressions`).
    pub corpus: Option<PathBuf>,
    /// Run on OS threads instead of the simulator (`--native`).
    pub native: Option<NativeOptions>,
    /// At most this many failures saved per signature (`--keep`); the rest are counted.
    pub keep: u64,
}

/// One scenario's turn: a segment of this shard's indices, within an optional time slice.
struct Turn {
    scenario: Scenario,
    offset: u64,
    len: u64,
    deadline: Option<Instant>,
}

fn job_config(o: &Options, t: &Turn, job: u64, board: &Board, stop: &Arc<AtomicBool>) -> RunConfig {
    let slice = shard::segment_slice(o.shard, o.jobs, job, t.offset);
    let executions = shard::job_budget(t.len, o.jobs, job);
    let mut cfg = RunConfig {
        duration: t
            .deadline
            .map(|d| d.saturating_duration_since(sim::wall::now())),
        stop: Some(stop.clone()),
        progress: Some(board.runs.clone()),
        keep_failures: 0,
        ..run_config(t.scenario, o.variant, o.seed, executions, o.scheduler)
    };
    slice.apply(&mut cfg);
    crate::args::with_rank_mode(&mut cfg, o.rank_mode);
    cfg
}

/// The body of a job's executions: the scenario, behind the test-only abort hook.
fn job_body(scenario: Scenario, variant: Variant) -> impl Fn() + Send + Sync + 'static {
    let abort = crashseed::abort_seed();
    let b = body(scenario, variant);
    move || {
        if abort.is_some() && abort == sim::swarm::execution_seed() {
            std::process::abort();
        }
        b()
    }
}

/// What one job of a turn did.
#[derive(Clone, Copy, Default)]
struct JobCounts {
    executions: u64,
    /// Scheduling steps over all its executions (0 on real threads).
    steps: u64,
    /// Hung native executions.
    hung: u64,
    /// Threads its failed native executions left blocked, if it stopped for them.
    leaked: usize,
}

/// Runs one job on its own OS thread: a whole simulated execution lives on one OS thread.
fn spawn_job(
    o: &Options,
    cfg: RunConfig,
    scenario: Scenario,
    job: u64,
    tx: mpsc::Sender<ExecResult>,
) -> std::thread::JoinHandle<JobCounts> {
    let (variant, native, spec) = (o.variant, o.native.clone(), o.scheduler);
    let seeds = crashseed::SeedFile::create(&o.out, job);
    let thread = std::thread::Builder::new()
        .name(format!("stress-job-{job}"))
        .stack_size(8 << 20);
    let spawned = thread.spawn(move || {
        let running =
            move |index: u64| crashseed::record(scenario, variant, spec, index, cfg.base_seed);
        let seeds = seeds.ok();
        let set = move |index: u64| {
            if let Some(s) = &seeds {
                s.set(&running(index));
            }
        };
        set(cfg.start_index);
        let mut done = 0;
        let next = cfg.clone();
        let observe = move |r: &ExecResult| {
            done += 1;
            set(next.index_of(done));
            if r.failure.is_some() {
                let _ = tx.send(r.clone());
            }
        };
        match native {
            Some(n) => {
                let rep = sim::native::run_native(&cfg, &n, job_body(scenario, variant), observe);
                JobCounts {
                    executions: rep.run.executions,
                    hung: rep.hung,
                    leaked: rep.leaked,
                    ..JobCounts::default()
                }
            }
            None => {
                let rep = sim::run_observed(&cfg, job_body(scenario, variant), observe);
                JobCounts {
                    executions: rep.executions,
                    steps: rep.steps,
                    ..JobCounts::default()
                }
            }
        }
    });
    spawned.expect("failed to spawn a stress job thread")
}

/// Runs one turn on every job; returns the hung native executions, and the threads failed
/// native executions left blocked if a job stopped for them (0 otherwise).
fn run_turn(o: &Options, t: &Turn, board: &mut Board, stop: &Arc<AtomicBool>) -> (u64, usize) {
    let started = sim::wall::now();
    let (tx, rx) = mpsc::channel();
    let jobs: Vec<_> = (0..o.jobs)
        .map(|j| {
            spawn_job(
                o,
                job_config(o, t, j, board, stop),
                t.scenario,
                j,
                tx.clone(),
            )
        })
        .collect();
    drop(tx);
    let failures_before = board.failures;
    board.pump(t.scenario, &rx);
    let (mut runs, mut hung, mut leaked) = (0, 0, 0);
    let tally = board.tallies.entry(t.scenario).or_default();
    for j in jobs {
        let c = j
            .join()
            .expect("[tracesim internal bug] a stress job panicked");
        runs += c.executions;
        tally.steps += c.steps;
        hung += c.hung;
        leaked = leaked.max(c.leaked);
    }
    tally.runs += runs;
    tally.failures += board.failures - failures_before;
    tally.elapsed += started.elapsed();
    (hung, leaked)
}

/// The turns of the campaign, lazily: one per scenario if bounded, else round robin forever.
fn turns(o: &Options, start: Instant) -> Box<dyn Iterator<Item = Turn> + '_> {
    let n = o.scenarios.len() as u32;
    let bounded = o.executions.is_some() || o.duration.is_some();
    if bounded {
        let len = o.executions.unwrap_or(u64::MAX);
        Box::new(o.scenarios.iter().enumerate().map(move |(k, &scenario)| {
            let deadline = o.duration.map(|d| start + d * (k as u32 + 1) / n);
            Turn {
                scenario,
                offset: 0,
                len,
                deadline,
            }
        }))
    } else {
        let len = SEGMENT_PER_JOB * o.jobs;
        Box::new((0u64..).flat_map(move |round| {
            o.scenarios.iter().map(move |&scenario| Turn {
                scenario,
                offset: round * len,
                len,
                deadline: None,
            })
        }))
    }
}

fn install_sigint() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // A second Ctrl-C ends the process at once (a hung native execution would otherwise hold it).
    let set = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    if let Err(e) = set {
        eprintln!("tracesim: warning: no SIGINT handler ({e}); Ctrl-C will not print a summary");
    }
    stop
}

fn header(o: &Options) -> String {
    let names: Vec<&str> = o.scenarios.iter().map(|s| s.name()).collect();
    let world = if o.native.is_some() {
        "native (OS threads)".to_string()
    } else {
        format!("scheduler {}", o.scheduler)
    };
    let bound = match (o.executions, o.duration) {
        (Some(n), Some(d)) => format!("{n} executions per scenario within {d:?}"),
        (Some(n), None) => format!("{n} executions per scenario"),
        (None, Some(d)) => format!("{d:?} in all"),
        (None, None) => "until interrupted".to_string(),
    };
    // The variant as each model runs it (the baseline v1.0 is v2.0 in go1.22's scenarios).
    let mut variants: Vec<&str> = o
        .scenarios
        .iter()
        .map(|s| s.resolve(o.variant).name())
        .collect();
    variants.sort_unstable();
    variants.dedup();
    format!(
        "tracesim stress: {} under {}, {world}, base seed {}, shard {}, {} jobs, {bound}; failures go to {}",
        names.join(", "),
        variants.join("/"),
        fmt_seed(o.seed),
        o.shard,
        o.jobs,
        o.out.display()
    )
}

/// Runs the campaign; exit code 1 if any execution failed, 0 if none, 2 for a usage error.
pub fn run(o: &Options) -> ExitCode {
    if let Err(e) = crate::save::create_dir(&o.out) {
        return crate::args::usage(&e);
    }
    if let Some(path) = &o.corpus {
        if let Err(e) = corpus::load(path, true) {
            return crate::args::usage(&format!("{e} (left untouched)"));
        }
    }
    let stop = install_sigint();
    let budget = o
        .executions
        .map(|n| n.saturating_mul(o.scenarios.len() as u64));
    let mut board = Board::new(o.variant, &o.out, budget, o.keep, o.rank_mode);
    board.term.line(&header(o));
    for report in crashseed::take_leftovers(&o.out) {
        board.term.line(&report);
    }
    let mut hung = 0;
    for t in turns(o, board.start) {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let (h, leaked) = run_turn(o, &t, &mut board, &stop);
        hung += h;
        board.turn += 1;
        if o.native.as_ref().is_some_and(|n| hung >= n.max_hung) {
            board.term.line(&format!(
                "stopping: {hung} native executions hung (their threads are leaked)"
            ));
            break;
        }
        if leaked > 0 {
            board.term.line(&format!(
                "stopping: {leaked} threads of failed native executions are still blocked \
                 (a failed execution can leave its other threads waiting forever; more would \
                 exhaust the process)"
            ));
            break;
        }
    }
    for job in 0..o.jobs {
        let _ = std::fs::remove_file(crashseed::path(&o.out, job));
    }
    crate::summary::finish(o, &mut board, stop.load(Ordering::SeqCst), hung)
}

//! The `tracesim` command line: `run`, `stress`, `replay`, `dump`, `list`. Bad arguments are
//! usage errors (exit 2) reported before anything runs.

use crate::stress_args::StressArgs;
use crate::{body, run_config, Scenario};
use clap::{Parser, Subcommand};
use sim::native::NATIVE_SCHEDULER;
use sim::{parse_seed, ExecResult, Failure, RankMode, SchedulerSpec};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tracer::Variant;

/// tracesim: explore interleavings of a model of Go's execution tracer, by seed.
#[derive(Parser, Debug)]
#[command(name = "tracesim", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a scenario for N executions and print a summary.
    Run {
        scenario: String,
        #[arg(long, default_value = "1", value_parser = parse_seed)]
        seed: u64,
        #[arg(long, default_value_t = 1000)]
        executions: u64,
        #[arg(long, default_value = "random", value_parser = SchedulerSpec::parse)]
        scheduler: SchedulerSpec,
        #[arg(long, default_value = "v1.0", value_parser = parse_variant)]
        variant: Variant,
        /// Lock-rank checking: go (Go's checkRanks), strict, off, or quiescent (Go's, aware of
        /// quiescent lock instances: beyond Go's lockrank).
        #[arg(long, default_value = "go", value_parser = parse_rank_mode)]
        rank_mode: RankMode,
        /// Write the trace of the execution the run names (the one seed when N=1, else the
        /// first failing one); sessions after the first go to FILE.2, FILE.3, ….
        #[arg(long)]
        trace_out: Option<PathBuf>,
    },
    /// Run scenarios over and over on J jobs, like Go's `stress`: a status line every 5 s, every
    /// failure saved, exit 1 if any execution failed.
    Stress(StressArgs),
    /// Replay one execution by its seed (as printed by a failure), or from a saved failure JSON.
    Replay {
        /// An execution seed, or a failure file (`.json`).
        target: String,
        #[arg(long)]
        scenario: Option<String>,
        #[arg(long, value_parser = parse_variant)]
        variant: Option<Variant>,
        #[arg(long, value_parser = SchedulerSpec::parse)]
        scheduler: Option<SchedulerSpec>,
        #[arg(long)]
        trace_out: Option<PathBuf>,
        /// Print the interleaving in columns (the shrunk schedule FILE.shrunk.json if it exists).
        #[arg(long)]
        explain: bool,
        /// With --explain: every row, without folding long single-thread runs.
        #[arg(long, requires = "explain")]
        full: bool,
        /// Write the timeline to PATH.json (Chrome trace-event format) and PATH.html.
        #[arg(long, value_name = "PATH")]
        timeline: Option<PathBuf>,
        /// Lock-rank checking, as for `run`.
        #[arg(long, default_value = "go", value_parser = parse_rank_mode)]
        rank_mode: RankMode,
    },
    /// Decode and validate a go1.21 or go1.22 trace file (picked from its header), one event per
    /// line in Go's rendering (exit 0 valid, 1 invalid, 2 unreadable or unsupported version).
    Dump {
        file: PathBuf,
        /// Print only the verdict (PASS or FAIL lines), not the events.
        #[arg(short, long)]
        quiet: bool,
    },
    /// How hard is a bug to find: executions to first failure per scheduler over many seeds.
    Hunt(crate::hunt::HuntArgs),
    /// List scenarios and variants.
    List,
    /// Shrink a saved failure's schedule; writes FILE.shrunk.json beside it.
    Shrink(crate::shrink_cmd::ShrinkArgs),
}

pub(crate) fn parse_rank_mode(s: &str) -> Result<RankMode, String> {
    match s {
        "go" => Ok(RankMode::GoCompatible),
        "strict" => Ok(RankMode::Strict),
        "off" => Ok(RankMode::Off),
        "quiescent" => Ok(RankMode::Quiescent),
        _ => Err(format!(
            "unknown rank mode {s:?} (go, strict, off or quiescent)"
        )),
    }
}

pub(crate) fn rank_mode_name(m: RankMode) -> &'static str {
    match m {
        RankMode::GoCompatible => "go",
        RankMode::Strict => "strict",
        RankMode::Off => "off",
        RankMode::Quiescent => "quiescent",
    }
}

pub(crate) fn parse_variant(s: &str) -> Result<Variant, String> {
    Variant::parse(s).ok_or_else(|| format!("unknown variant {s:?} (see `tracesim list`)"))
}

/// A usage error: printed, exit code 2.
pub fn usage(msg: &str) -> ExitCode {
    eprintln!("tracesim: {msg}");
    ExitCode::from(2)
}

pub(crate) fn scenario(name: &str) -> Result<Scenario, ExitCode> {
    Scenario::parse(name)
        .ok_or_else(|| usage(&format!("unknown scenario {name:?} (see `tracesim list`)")))
}

/// A usage error unless `variant` belongs to `sc`'s model.
pub(crate) fn fits(sc: Scenario, variant: Variant) -> Result<(), ExitCode> {
    if sc.accepts(variant) {
        return Ok(());
    }
    Err(usage(&format!(
        "variant {} is not a variant of scenario {}'s model (see `tracesim list`)",
        variant.name(),
        sc.name()
    )))
}

/// Writes an execution's trace: session 1 to `path`, session k to `path.k`.
pub fn write_trace(path: &Path, artifact: &[u8]) -> std::io::Result<usize> {
    let sessions = crate::body::sessions(artifact);
    for (k, bytes) in sessions.iter().enumerate() {
        let p = if k == 0 {
            path.to_path_buf()
        } else {
            PathBuf::from(format!("{}.{}", path.display(), k + 1))
        };
        std::fs::write(p, bytes)?;
    }
    Ok(sessions.len())
}

fn save_trace(path: Option<&Path>, res: Option<&ExecResult>) -> Result<(), ExitCode> {
    let Some(path) = path else { return Ok(()) };
    match res.and_then(|r| r.artifact.as_deref()) {
        Some(bytes) => match write_trace(path, bytes) {
            Ok(n) => {
                println!("trace written to {} ({n} session(s))", path.display());
                Ok(())
            }
            Err(e) => Err(usage(&format!("cannot write {}: {e}", path.display()))),
        },
        None => {
            println!("no trace written: the execution kept none");
            Ok(())
        }
    }
}

fn cmd_run(
    scen: &str,
    seed: u64,
    executions: u64,
    sched: SchedulerSpec,
    variant: Variant,
    out: Option<PathBuf>,
    rank_mode: RankMode,
) -> ExitCode {
    let sc = match scenario(scen).and_then(|s| fits(s, variant).map(|()| s)) {
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

/// Sets the rank mode, and names it in the replay line when it is not Go's.
pub(crate) fn with_rank_mode(cfg: &mut sim::RunConfig, mode: RankMode) {
    cfg.rank_mode = mode;
    if mode != RankMode::GoCompatible {
        cfg.replay_template += &format!(" --rank-mode {}", rank_mode_name(mode));
    }
}

pub(crate) fn load_failure(path: &str) -> Result<(Failure, Scenario, Variant), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path} is not a failure file: {e}"))?;
    let f: Failure = serde_json::from_value(v["failure"].clone())
        .map_err(|e| format!("{path}: bad \"failure\": {e}"))?;
    let sc = v["scenario"]
        .as_str()
        .and_then(Scenario::parse)
        .ok_or_else(|| format!("{path}: missing or unknown \"scenario\""))?;
    let var = v["variant"]
        .as_str()
        .and_then(Variant::parse)
        .ok_or_else(|| format!("{path}: missing or unknown \"variant\""))?;
    Ok((f, sc, var))
}

fn cmd_stress(a: StressArgs) -> ExitCode {
    match a.options() {
        Ok(o) => crate::stress::run(&o),
        Err(code) => code,
    }
}

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
        scenario: scenario(&name)?,
        variant: variant.unwrap_or_default(),
        scheduler: sched.unwrap_or(SchedulerSpec::Random),
        decisions: None,
    })
}

fn cmd_replay(
    target: &str,
    scen: Option<String>,
    variant: Option<Variant>,
    sched: Option<SchedulerSpec>,
    out: Option<PathBuf>,
    view: crate::explain_cmd::View,
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

fn cmd_dump(file: &Path, quiet: bool) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return usage(&format!("cannot read {}: {e}", file.display())),
    };
    match tracer::wire::version::sniff(&bytes) {
        Ok(22) => dump_go122(&bytes, quiet),
        Ok(21) | Err(_) => dump_go121(&bytes, quiet),
        Ok(v) => usage(&tracer::wire::version::unsupported(v)),
    }
}

/// go1.22: Go's reader and `testtrace.Validator` (events as `Event.String`), then the
/// structural checks.
fn dump_go122(bytes: &[u8], quiet: bool) -> ExitCode {
    use std::io::Write;
    use tracer::go122::wire;
    let v = wire::read_and_validate(bytes, !quiet);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(v.text.as_bytes());
    let mut valid = v.error.is_none();
    if let Some(e) = &v.error {
        let _ = writeln!(out, "FAIL: {e}");
    }
    for violation in wire::check::check(bytes) {
        let _ = writeln!(out, "FAIL: {violation}");
        valid = false;
    }
    if valid {
        let _ = writeln!(out, "PASS");
    }
    ExitCode::from(u8::from(!valid))
}

/// go1.21: Go's parser (events as `ev.String()`), then the structural checks.
fn dump_go121(bytes: &[u8], quiet: bool) -> ExitCode {
    use tracer::wire;
    let parsed = wire::parse(bytes);
    if let (Ok(t), false) = (&parsed, quiet) {
        print!("{}", wire::dump::events_text(t, false));
    }
    let mut valid = parsed.is_ok();
    if let Err(e) = &parsed {
        println!("FAIL: {e}");
    }
    match wire::check::check_bytes(bytes) {
        Ok(vs) => {
            for v in &vs {
                println!("FAIL: {v}");
            }
            valid &= vs.is_empty();
        }
        Err(e) if valid => {
            println!("FAIL: {e}");
            valid = false;
        }
        Err(_) => {}
    }
    if valid {
        println!("PASS");
    }
    ExitCode::from(u8::from(!valid))
}

fn cmd_list() -> ExitCode {
    println!("scenarios:");
    for s in Scenario::ALL.into_iter().chain(Scenario::GO122) {
        println!("  {:<24} {}", s.name(), s.description());
    }
    println!("variants (v1.x: go1.21 scenarios; v2.x: go1.22 scenarios):");
    let v2 = tracer::go122::Variant::ALL.map(Variant::V2);
    for v in Variant::ALL.into_iter().chain(v2) {
        println!(
            "  {:<6} {}\n         predicted: {}",
            v.name(),
            v.description(),
            v.prediction()
        );
    }
    ExitCode::SUCCESS
}

/// Runs the parsed command line.
pub fn main(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Run {
            scenario,
            seed,
            executions,
            scheduler,
            variant,
            trace_out,
            rank_mode,
        } => cmd_run(
            &scenario, seed, executions, scheduler, variant, trace_out, rank_mode,
        ),
        Command::Stress(args) => cmd_stress(args),
        Command::Replay {
            target,
            scenario,
            variant,
            scheduler,
            trace_out,
            explain,
            full,
            timeline,
            rank_mode,
        } => {
            let view = crate::explain_cmd::View {
                explain,
                full,
                timeline,
            };
            cmd_replay(
                &target, scenario, variant, scheduler, trace_out, view, rank_mode,
            )
        }
        Command::Dump { file, quiet } => cmd_dump(&file, quiet),
        Command::Hunt(args) => crate::hunt::cmd_hunt(args),
        Command::List => cmd_list(),
        Command::Shrink(args) => crate::shrink_cmd::cmd_shrink(args),
    }
}

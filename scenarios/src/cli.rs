//! The `tracesim` command line: the command definitions (`run`, `stress`, `replay`, `dump`,
//! `hunt`, `list`, `shrink`) and their dispatch. Each command runs in its own module (see the
//! module map in the crate root); bad arguments are usage errors (exit 2, [`crate::args`])
//! reported before anything runs.

use crate::args::{parse_rank_mode, parse_variant};
use crate::stress_args::StressArgs;
use crate::{explain_cmd, hunt, info_cmd, replay_cmd, run_cmd, shrink_cmd, stress_args};
use clap::{Parser, Subcommand};
use sim::{parse_seed, RankMode, SchedulerSpec};
use std::path::PathBuf;
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
    Hunt(hunt::HuntArgs),
    /// List scenarios and variants.
    List,
    /// Shrink a saved failure's schedule; writes FILE.shrunk.json beside it.
    Shrink(shrink_cmd::ShrinkArgs),
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
        } => run_cmd::cmd_run(
            &scenario, seed, executions, scheduler, variant, trace_out, rank_mode,
        ),
        Command::Stress(args) => stress_args::cmd_stress(args),
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
            let view = explain_cmd::View {
                explain,
                full,
                timeline,
            };
            replay_cmd::cmd_replay(
                &target, scenario, variant, scheduler, trace_out, view, rank_mode,
            )
        }
        Command::Dump { file, quiet } => info_cmd::cmd_dump(&file, quiet),
        Command::Hunt(args) => hunt::cmd_hunt(args),
        Command::List => info_cmd::cmd_list(),
        Command::Shrink(args) => shrink_cmd::cmd_shrink(args),
    }
}

//! The `tracesim shrink` subcommand: its flags and its run.

use crate::args::usage;
use crate::save::load_failure;
use crate::shrinking::{report, shrink_failure, write_shrunk};
use sim::native::NATIVE_SCHEDULER;
use sim::shrink::Budget;
use sim::RankMode;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The arguments of `tracesim shrink`.
#[derive(clap::Args, Debug)]
pub struct ShrinkArgs {
    /// A failure file (`.json`, as `tracesim stress` saves them).
    pub file: PathBuf,
    /// Stop after this many replays.
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u64).range(1..))]
    pub replays: u64,
    /// Stop after this much wall time (Go syntax: 30s, 2m).
    #[arg(long, default_value = "30s", value_parser = crate::status::parse_go_duration)]
    pub time: Duration,
    /// Lock-rank checking while replaying, as for `run` (a failure found with `--rank-mode off`
    /// must be shrunk with it: under Go's ranks the same schedule fails earlier, differently).
    #[arg(long, default_value = "go", value_parser = crate::args::parse_rank_mode)]
    pub rank_mode: RankMode,
}

/// Runs `tracesim shrink`: exit 0 when a shrunk file is written, 2 for bad input.
pub fn cmd_shrink(a: ShrinkArgs) -> ExitCode {
    let path = a.file.display().to_string();
    let (f, scenario, variant) = match load_failure(&path) {
        Ok(x) => x,
        Err(e) => return usage(&e),
    };
    if f.scheduler == NATIVE_SCHEDULER {
        return usage(&format!(
            "{path} is a native failure: it has no decision list to shrink"
        ));
    }
    let budget = Budget {
        replays: a.replays,
        time: a.time,
    };
    let s = match shrink_failure(scenario, variant, &f, budget, a.rank_mode) {
        Ok(s) => s,
        Err(e) => return usage(&format!("{path}: {e}")),
    };
    println!("{}", report(&s));
    match write_shrunk(&a.file, scenario, variant, &s) {
        Ok(p) => {
            println!("shrunk failure written to {}", p.display());
            let ranks = match a.rank_mode {
                RankMode::GoCompatible => String::new(),
                m => format!(" --rank-mode {}", crate::args::rank_mode_name(m)),
            };
            println!(
                "see it: cargo run --release -p scenarios -- replay {} --explain --timeline {}{ranks}",
                p.display(),
                p.display()
                    .to_string()
                    .replace(".shrunk.json", ".shrunk.timeline")
            );
            println!("\n{}", s.failure);
            ExitCode::SUCCESS
        }
        Err(e) => usage(&format!("cannot write beside {path}: {e}")),
    }
}

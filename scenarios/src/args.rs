//! What the `tracesim` commands share to read their arguments: usage errors (exit 2, printed
//! before anything runs), and the parsers of variants, scenarios and lock-rank modes.
//! (Go-syntax durations are parsed beside their printing, in [`crate::status`].)

use crate::Scenario;
use sim::{RankMode, RunConfig};
use std::process::ExitCode;
use tracer::Variant;

/// Parses `--variant` (a usage error names `tracesim list`).
pub(crate) fn parse_variant(s: &str) -> Result<Variant, String> {
    Variant::parse(s).ok_or_else(|| format!("unknown variant {s:?} (see `tracesim list`)"))
}

/// A usage error: printed, exit code 2.
pub fn usage(msg: &str) -> ExitCode {
    eprintln!("tracesim: {msg}");
    ExitCode::from(2)
}

/// Parses a scenario name; a usage error (exit 2) if it names none.
pub(crate) fn parse_scenario(name: &str) -> Result<Scenario, ExitCode> {
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

/// Parses `--rank-mode`.
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

/// Sets the rank mode, and names it in the replay line when it is not Go's.
pub(crate) fn with_rank_mode(cfg: &mut RunConfig, mode: RankMode) {
    cfg.rank_mode = mode;
    if mode != RankMode::GoCompatible {
        cfg.replay_template += &format!(" --rank-mode {}", rank_mode_name(mode));
    }
}

//! The commands that run no execution: `tracesim list` (the scenarios and variants of both
//! models) and `tracesim dump` (decode and validate a go1.21 or go1.22 trace file).

use crate::args::usage;
use crate::{model, Scenario};
use std::path::Path;
use std::process::ExitCode;

/// Runs `tracesim dump`: exit 0 valid, 1 invalid, 2 unreadable or unsupported version.
pub fn cmd_dump(file: &Path, quiet: bool) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return usage(&format!("cannot read {}: {e}", file.display())),
    };
    model::dump::dump(&bytes, quiet).unwrap_or_else(|e| usage(&e))
}

/// Runs `tracesim list`.
pub fn cmd_list() -> ExitCode {
    println!("scenarios:");
    for s in Scenario::every() {
        println!("  {:<24} {}", s.name(), s.description());
    }
    println!("variants (v1.x: go1.21 scenarios; v2.x: go1.22 scenarios):");
    for v in model::variants() {
        println!(
            "  {:<6} {}\n         predicted: {}",
            v.name(),
            v.description(),
            v.prediction()
        );
    }
    ExitCode::SUCCESS
}

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

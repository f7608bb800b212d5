//! `tracesim dump` for each model's trace files: the file's header picks the model whose
//! parser and checks read it (one event per line in Go's rendering, then the verdict).

use std::process::ExitCode;

/// Dumps and validates a trace file: exit 0 valid, 1 invalid; `Err` (a usage error) for a
/// version neither model writes.
pub fn dump(bytes: &[u8], quiet: bool) -> Result<ExitCode, String> {
    match tracer::common::wire::version::sniff(bytes) {
        Ok(22) => Ok(dump_go122(bytes, quiet)),
        Ok(21) | Err(_) => Ok(dump_go121(bytes, quiet)),
        Ok(v) => Err(tracer::common::wire::version::unsupported(v)),
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
    use tracer::go121::wire;
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

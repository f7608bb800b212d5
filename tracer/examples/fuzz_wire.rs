//! Fuzzes both trace decoders (go1.21 and go1.22) for as many inputs as asked:
//!
//! ```text
//! cargo run --release -p tracer --example fuzz_wire -- --inputs 10000000 --seed 1
//! ```
//!
//! The corpus is every trace in `shared/go-traces/` plus Go 1.22's own reader test cases (when
//! Go's sources are installed). Prints inputs, time and failures; exit 1 on any failure (each
//! with a replay line), 2 on bad arguments.

use std::process::ExitCode;
use tracer::fuzz;

fn arg(args: &[String], name: &str, default: u64) -> Result<u64, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.replace('_', "").parse().ok())
            .ok_or(format!("{name} needs a number")),
    }
}

fn corpus() -> Vec<Vec<u8>> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = [repo.join("../shared"), repo.join("../../shared")]
        .into_iter()
        .find(|p| p.is_dir())
        .unwrap_or_default();
    let mut out = Vec::new();
    for dir in [shared.join("go-traces")] {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if e.path().extension().is_some_and(|x| x == "trace") {
                out.extend(std::fs::read(e.path()).ok());
            }
        }
    }
    let cases = std::path::Path::new("/usr/lib/go-1.22/src/internal/trace/v2/testdata/tests");
    for e in std::fs::read_dir(cases).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if let Ok((_, data)) = tracer::go122::wire::text::parse_test(&text) {
            out.push(data);
        }
    }
    out
}

// The driver times itself with the wall clock: it is a tool, not simulated code.
#[allow(clippy::disallowed_types)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, seed) = match (arg(&args, "--inputs", 1_000_000), arg(&args, "--seed", 1)) {
        (Ok(n), Ok(s)) => (n, s),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("fuzz_wire: {e}\nusage: fuzz_wire [--inputs N] [--seed S]");
            return ExitCode::from(2);
        }
    };
    let corpus = corpus();
    if corpus.is_empty() {
        eprintln!("fuzz_wire: no corpus (shared/go-traces not found)");
        return ExitCode::from(2);
    }
    let start = std::time::Instant::now();
    let report = fuzz::run(seed, n, &corpus);
    let secs = start.elapsed().as_secs_f64();
    for f in &report.failures {
        println!("FAIL {f}\n  replay: cargo run --release -p tracer --example fuzz_wire -- --inputs {} --seed {seed}", report.inputs);
    }
    println!(
        "fuzz_wire: seed {seed}, corpus {} traces, {} inputs in {secs:.1} s ({:.0}/s), {} failures (panics included)",
        corpus.len(),
        report.inputs,
        report.inputs as f64 / secs,
        report.failures.len()
    );
    ExitCode::from(u8::from(!report.failures.is_empty()))
}

//! Saving a failure found by `tracesim stress`: three files per failure under the output
//! directory, named `<scenario>-<variant>-<seed>` (plus `-2`, `-3`, … if taken; nothing is ever
//! overwritten):
//!
//! - `.json`: `{"scenario", "variant", "native", "failure": <sim::Failure>}`, the shape
//!   `tracesim replay FILE.json` reads (knobs, kind, message, step, decisions, seed, scheduler);
//! - `.trace`: the execution's go1.21 trace (later sessions in `.trace.2`, …), if it kept one;
//! - `.replay.txt`: the commands that replay it, or, for a native failure, why none does.

use crate::Scenario;
use sim::native::NATIVE_SCHEDULER;
use sim::{fmt_seed, ExecResult, Failure};
use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use tracer::Variant;

/// The files one failure was saved to.
#[derive(Clone, Debug)]
pub struct Saved {
    pub json: PathBuf,
    pub trace: Option<PathBuf>,
    pub replay: PathBuf,
}

/// Creates the output directory (a usage error if it cannot be created).
pub fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the output directory {}: {e}", dir.display()))?;
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    Ok(())
}

/// The JSON document of a failure (what `replay FILE.json` reads): indented, with the decision
/// list on one line.
pub fn failure_json(scenario: Scenario, variant: Variant, f: &Failure) -> String {
    const SLOT: &str = "\"@decisions@\"";
    let mut failure = serde_json::to_value(f).expect("failures serialise");
    failure["decisions"] = serde_json::Value::String(SLOT.trim_matches('"').to_string());
    let doc = serde_json::json!({
        "scenario": scenario.name(),
        "variant": variant.name(),
        "native": f.scheduler == NATIVE_SCHEDULER,
        "failure": failure,
    });
    let text = serde_json::to_string_pretty(&doc).expect("values serialise");
    text.replacen(
        SLOT,
        &serde_json::to_string(&f.decisions).expect("decisions serialise"),
        1,
    ) + "\n"
}

fn with_ext(stem: &Path, ext: &str) -> PathBuf {
    PathBuf::from(format!("{}.{ext}", stem.display()))
}

/// Claims a free stem by creating its `.json` exclusively; returns the stem and the open file.
fn claim(dir: &Path, base: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    for n in 1u32.. {
        let stem = dir.join(if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        });
        if with_ext(&stem, "trace").exists() || with_ext(&stem, "replay.txt").exists() {
            continue;
        }
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(with_ext(&stem, "json"))
        {
            Ok(file) => return Ok((stem, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("u32 stems exhausted")
}

fn replay_text(what: &str, json: &Path, trace: Option<&Path>, f: &Failure) -> String {
    let mut t = format!(
        "# {what}: {}",
        f.to_string().lines().next().unwrap_or_default()
    );
    if f.scheduler == NATIVE_SCHEDULER {
        t += "\n# Found on OS threads (--native): NOT replayable by seed, the OS scheduled it.\n";
        t += &format!(
            "# The seed fixes only the knobs; to explore the same knobs under the simulator:\n{}\n",
            sim_line(f)
        );
    } else {
        t += "\n# Replay from this file (follows the recorded decisions):\n";
        t += &format!(
            "cargo run --release -p scenarios -- replay {}\n",
            json.display()
        );
        t += &format!("# Replay by seed:\n{}\n", f.replay);
    }
    if let Some(trace) = trace {
        t += &format!(
            "# Decode and validate its trace:\ncargo run --release -p scenarios -- dump {}\n",
            trace.display()
        );
    }
    t
}

/// The simulator replay command inside a native failure's replay text.
fn sim_line(f: &Failure) -> &str {
    f.replay
        .find("cargo run")
        .map_or(f.replay.as_str(), |i| &f.replay[i..])
}

fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(text.as_bytes())
}

/// Saves the failure of `res` (which must have one) under `dir`.
pub fn save(
    dir: &Path,
    scenario: Scenario,
    variant: Variant,
    res: &ExecResult,
) -> std::io::Result<Saved> {
    let f = res
        .failure
        .as_ref()
        .expect("save: the execution did not fail");
    let base = format!(
        "{}-{}-{}",
        scenario.name(),
        variant.name(),
        fmt_seed(f.exec_seed)
    );
    let (stem, mut file) = claim(dir, &base)?;
    let json = with_ext(&stem, "json");
    file.write_all(failure_json(scenario, variant, f).as_bytes())?;
    let trace = match res.artifact.as_deref() {
        Some(bytes) => {
            let path = with_ext(&stem, "trace");
            crate::artifact::write_trace(&path, bytes)?;
            Some(path)
        }
        None => None,
    };
    let replay = with_ext(&stem, "replay.txt");
    let what = format!("{} {}", scenario.name(), variant.name());
    write_new(&replay, &replay_text(&what, &json, trace.as_deref(), f))?;
    Ok(Saved {
        json,
        trace,
        replay,
    })
}

/// Reads a failure file back (the inverse of [`save`]): the failure, its scenario and
/// variant, or why the file is not one.
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

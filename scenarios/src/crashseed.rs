//! A crash keeps its seed. Each stress job owns a small file in the output directory,
//! `running-job-J.txt`, rewritten in place (one `pwrite` of a fixed-size record) before each
//! execution with the execution it is about to run and the line that replays it. A job that
//! ends normally removes its file; a process killed by an abort, a stack overflow or the OOM
//! killer leaves it, and the next `tracesim stress` with the same `--out` reports it (and keeps
//! it as `killed-<seed>.txt`).
//!
//! The test-only hook: with `TRACESIM_TEST_ABORT_SEED=<seed>` in its environment, `tracesim
//! stress` aborts the process when that execution starts (only the CLI reads it).

use crate::Scenario;
use sim::{fmt_seed, SchedulerSpec};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use tracer::Variant;

/// The size of one record; shorter records are padded with spaces.
const RECORD: usize = 512;
/// The environment variable of the test-only abort hook.
pub const ABORT_ENV: &str = "TRACESIM_TEST_ABORT_SEED";

/// One job's running-seed file.
pub struct SeedFile {
    path: PathBuf,
    file: File,
}

/// The running-seed file of job `job` under `dir`.
pub fn path(dir: &Path, job: u64) -> PathBuf {
    dir.join(format!("running-job-{job}.txt"))
}

/// What the record says about the execution about to run.
pub fn record(
    scenario: Scenario,
    variant: Variant,
    spec: SchedulerSpec,
    index: u64,
    base: u64,
) -> String {
    let seed = sim::exec_seed(base, index);
    let sched = spec.resolve(index);
    format!(
        "# tracesim stress was running this execution when the process died (abort, stack overflow, OOM kill):\n\
         # {} {} scheduler {sched} execution {index} of base seed {}\n\
         cargo run --release -p scenarios -- replay {} --scenario {} --variant {} --scheduler {sched}\n",
        scenario.name(),
        variant.name(),
        fmt_seed(base),
        fmt_seed(seed),
        scenario.name(),
        variant.name()
    )
}

impl SeedFile {
    /// Creates (or truncates) the file of job `job`.
    pub fn create(dir: &Path, job: u64) -> std::io::Result<Self> {
        let path = path(dir, job);
        let file = File::create(&path)?;
        Ok(Self { path, file })
    }

    /// Rewrites the record in place (one write, no allocation beyond the text).
    pub fn set(&self, text: &str) {
        let mut buf = [b' '; RECORD];
        let n = text.len().min(RECORD - 1);
        buf[..n].copy_from_slice(&text.as_bytes()[..n]);
        buf[RECORD - 1] = b'\n';
        let _ = self.file.write_all_at(&buf, 0);
    }

    /// The job ended normally: its file goes.
    pub fn remove(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Reports the running-seed files a killed run left under `dir`, renaming each to
/// `killed-<seed>.txt`; returns the reports.
pub fn take_leftovers(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("running-job-") && n.ends_with(".txt"))
        })
        .collect();
    found.sort();
    found.iter().filter_map(|p| leftover(dir, p)).collect()
}

fn leftover(dir: &Path, p: &Path) -> Option<String> {
    let text = std::fs::read_to_string(p).ok()?;
    let text = text.trim_end().to_string();
    let seed = text
        .split(" replay ")
        .nth(1)?
        .split_whitespace()
        .next()?
        .to_string();
    let kept = dir.join(format!("killed-{seed}.txt"));
    let _ = std::fs::rename(p, &kept);
    Some(format!(
        "a previous run with this --out was killed while running execution seed {seed} (kept in {}):\n{text}",
        kept.display()
    ))
}

/// The seed the test-only hook aborts at, if set.
pub fn abort_seed() -> Option<u64> {
    std::env::var(ABORT_ENV)
        .ok()
        .and_then(|s| sim::parse_seed(&s).ok())
}

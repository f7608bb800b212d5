//! The regression corpus, `scenarios/regressions.json`: failures worth keeping, replayed by
//! `cargo test` (module `regressions`) with `sim::run_single`, each of which must still end with
//! its expected kind.
//!
//! The file is a JSON array, one entry per line:
//!
//! ```text
//! {"scenario":"trace_cpu_profile","variant":"v1.2","scheduler":"pct:2","seed":"0x…","kind":"deadlock",
//!  "message_contains":"self-deadlock","found_by":"tracesim stress …"}
//! ```
//!
//! `kind` is a `sim::FailureKind` name, or `pass` for an execution that must pass (a fixed bug);
//! `message_contains` (optional) must occur in the failure's message; `found_by` and `note` are
//! for humans. Unknown fields are errors. `tracesim stress --save-regressions` appends each new
//! (scenario, variant, kind) it fails with, through a temporary file and a rename; a malformed
//! file is reported and left untouched.

use crate::{body, run_config, Scenario};
use serde::{Deserialize, Serialize};
use sim::{fmt_seed, parse_seed, Failure, FailureKind, SchedulerSpec};
use std::path::Path;
use tracer::Variant;

/// The corpus checked into the repository.
pub const DEFAULT_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/regressions.json");

/// One corpus entry, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub scenario: String,
    pub variant: String,
    pub scheduler: String,
    pub seed: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An entry, parsed: what to run and what to expect (`kind: None` = must pass).
#[derive(Clone, Debug)]
pub struct Case {
    pub scenario: Scenario,
    pub variant: Variant,
    pub scheduler: SchedulerSpec,
    pub seed: u64,
    pub kind: Option<FailureKind>,
}

impl Entry {
    /// Parses every field; the error names the bad one.
    pub fn case(&self) -> Result<Case, String> {
        let scenario = Scenario::parse(&self.scenario)
            .ok_or_else(|| format!("unknown scenario {:?}", self.scenario))?;
        let variant = Variant::parse(&self.variant)
            .ok_or_else(|| format!("unknown variant {:?}", self.variant))?;
        let scheduler = SchedulerSpec::parse(&self.scheduler)?;
        let seed = parse_seed(&self.seed)?;
        let kind = match self.kind.as_str() {
            "pass" => None,
            k => Some(FailureKind::from_name(k).ok_or_else(|| {
                format!("unknown kind {k:?} (a sim::FailureKind name or \"pass\")")
            })?),
        };
        Ok(Case {
            scenario,
            variant,
            scheduler,
            seed,
            kind,
        })
    }

    /// The entry that keeps failure `f` (of `scenario` under `variant`).
    pub fn from_failure(
        scenario: Scenario,
        variant: Variant,
        f: &Failure,
        found_by: String,
    ) -> Self {
        Self {
            scenario: scenario.name().to_string(),
            variant: variant.name().to_string(),
            scheduler: f.scheduler.clone(),
            seed: fmt_seed(f.exec_seed),
            kind: f.kind.name().to_string(),
            message_contains: signature(&f.message),
            found_by: Some(found_by),
            note: None,
        }
    }

    /// The deduplication key: (scenario, variant, kind).
    pub fn key(&self) -> (&str, &str, &str) {
        (&self.scenario, &self.variant, &self.kind)
    }
}

/// The stable head of a failure message: its first line up to the first `": "`, if that is
/// short (`invariant I10 violated`, `self-deadlock`); sites and values after it drift with edits.
pub fn signature(message: &str) -> Option<String> {
    let first = message.lines().next()?;
    let (head, _) = first.split_once(": ")?;
    (!head.is_empty() && head.len() <= 60).then(|| head.to_string())
}

/// Parses corpus text; every entry must parse (errors name the entry, counted from 1).
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let entries: Vec<Entry> =
        serde_json::from_str(text).map_err(|e| format!("not a JSON array of entries: {e}"))?;
    for (i, e) in entries.iter().enumerate() {
        e.case().map_err(|m| format!("entry {}: {m}", i + 1))?;
    }
    Ok(entries)
}

/// Reads the corpus at `path` (a missing file is an empty corpus only if `missing_ok`).
pub fn load(path: &Path, missing_ok: bool) -> Result<Vec<Entry>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            parse(&text).map_err(|e| format!("malformed regression corpus {}: {e}", path.display()))
        }
        Err(e) if missing_ok && e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!(
            "cannot read the regression corpus {}: {e}",
            path.display()
        )),
    }
}

/// The corpus as stored: a JSON array, one entry per line.
pub fn render(entries: &[Entry]) -> String {
    let lines: Vec<String> = entries
        .iter()
        .map(|e| format!("  {}", serde_json::to_string(e).expect("entries serialise")))
        .collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
}

/// Appends the candidates whose (scenario, variant, kind) the corpus lacks; writes a temporary
/// file beside it and renames it over, so existing entries survive any crash. Returns the
/// entries added.
pub fn append(path: &Path, candidates: &[Entry]) -> Result<Vec<Entry>, String> {
    let mut entries = load(path, true)?;
    let mut added = Vec::new();
    for c in candidates {
        if !entries.iter().any(|e| e.key() == c.key()) {
            entries.push(c.clone());
            added.push(c.clone());
        }
    }
    if added.is_empty() {
        return Ok(added);
    }
    let tmp = path.with_extension("json.tmp");
    let io =
        |e: std::io::Error| format!("cannot write the regression corpus {}: {e}", path.display());
    std::fs::write(&tmp, render(&entries)).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(added)
}

/// Executions a drifted entry may take to find its bug again.
pub const REHUNT_BUDGET: u64 = 3000;

/// What one execution of an entry shows, compared with its expectation.
fn verdict(entry: &Entry, c: &Case, failure: Option<&Failure>, steps: u64) -> Result<(), String> {
    match (c.kind, failure) {
        (None, None) => Ok(()),
        (None, Some(f)) => Err(format!("expected to pass, but:\n{f}")),
        (Some(k), None) => Err(format!(
            "expected a {k} failure, but the execution passed ({steps} steps)"
        )),
        (Some(k), Some(f)) if f.kind != k => Err(format!("expected a {k} failure, got:\n{f}")),
        (Some(_), Some(f)) => match &entry.message_contains {
            Some(s) if !f.message.contains(s.as_str()) => {
                Err(format!("the message lacks {s:?}:\n{f}"))
            }
            _ => Ok(()),
        },
    }
}

/// A recorded seed names a schedule of one code version: after an edit of the model it may name
/// another. Then the entry's bug must still be found by the same scenario, variant and scheduler
/// within [`REHUNT_BUDGET`] executions; the result names the new seed to record.
fn rehunt(entry: &Entry, c: &Case) -> Option<Failure> {
    let mut cfg = run_config(c.scenario, c.variant, c.seed, REHUNT_BUDGET, c.scheduler);
    cfg.keep_failures = usize::MAX;
    let found = std::rc::Rc::new(std::cell::RefCell::new(None));
    let (sink, e, case) = (found.clone(), entry.clone(), c.clone());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    cfg.stop = Some(stop.clone());
    sim::run_observed(&cfg, body(c.scenario, c.variant), move |r| {
        let mut slot = sink.borrow_mut();
        if slot.is_none()
            && r.failure.is_some()
            && verdict(&e, &case, r.failure.as_ref(), r.steps).is_ok()
        {
            *slot = r.failure.clone();
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    found.take()
}

/// Replays one entry; `Ok` names what happened, `Err` says how it differs from the expectation.
pub fn check(entry: &Entry) -> Result<String, String> {
    let c = entry.case()?;
    let cfg = run_config(c.scenario, c.variant, 0, 1, c.scheduler);
    let res = sim::run_single(&cfg, c.seed, 0, None, body(c.scenario, c.variant));
    let what = format!(
        "{} {} {} {}",
        entry.scenario, entry.variant, entry.scheduler, entry.seed
    );
    let Err(why) = verdict(entry, &c, res.failure.as_ref(), res.steps) else {
        return Ok(format!(
            "{what}: {}, as expected",
            res.failure
                .map_or("passed".to_string(), |f| format!("failed with {}", f.kind))
        ));
    };
    if c.kind.is_none() {
        return Err(format!("{what}: {why}"));
    }
    match rehunt(entry, &c) {
        Some(f) => Ok(format!(
            "{what}: the seed no longer names this failure (the model changed since it was recorded), but the bug is still \
             found: execution {} of base seed {} fails with {} (seed {}); re-record it with `tracesim stress {} --variant {} \
             --scheduler {} --save-regressions`",
            f.index,
            entry.seed,
            f.kind,
            fmt_seed(f.exec_seed),
            entry.scenario,
            entry.variant,
            entry.scheduler
        )),
        None => Err(format!("{what}: {why}\nand no execution of {REHUNT_BUDGET} from that base seed shows it: the bug is no longer found")),
    }
}

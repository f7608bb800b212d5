//! Bounded output: a campaign keeps at most K failures per signature on disk
//! ([`sim::signature`]: kind, invariant id or rank pair, message head, a deadlock's wait cycle)
//! and counts the rest: two deadlocks with different cycles are two bugs, counted apart.
//! Every saved failure also gets its timeline (`.timeline.json`, `.timeline.html`); the first
//! of each signature is shrunk (`.shrunk.json`, with its own timeline).

use crate::explain::record_failure_in;
use crate::shrinking::{shrink_failure, write_shrunk};
use crate::Scenario;
use sim::native::NATIVE_SCHEDULER;
use sim::shrink::Budget;
use sim::Failure;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tracer::Variant;

/// The shrinking budget of a campaign's first failure of each signature.
pub const CAMPAIGN_SHRINK: Budget = Budget {
    replays: 1000,
    time: Duration::from_secs(10),
};

/// One signature's share of a campaign.
#[derive(Clone, Debug)]
pub struct SigTally {
    pub scenario: Scenario,
    pub signature: String,
    pub count: u64,
    pub first_seed: u64,
    /// The saved failure files (at most K) and what was written beside them.
    pub saved: Vec<PathBuf>,
    pub extras: Vec<PathBuf>,
}

/// The per-signature bookkeeping of a campaign.
#[derive(Debug, Default)]
pub struct Keeper {
    pub keep: u64,
    pub sigs: Vec<SigTally>,
    /// The campaign's lock-rank mode: timelines and shrinking replay under it.
    pub rank_mode: sim::RankMode,
}

impl Keeper {
    /// A keeper saving at most `keep` failures per signature, of a campaign in `rank_mode`.
    pub fn new(keep: u64, rank_mode: sim::RankMode) -> Self {
        Self {
            keep,
            sigs: Vec::new(),
            rank_mode,
        }
    }

    /// Counts `f`; returns its tally's index and whether it is to be saved.
    pub fn admit(&mut self, scenario: Scenario, f: &Failure) -> (usize, bool) {
        let signature = sim::signature::signature(f);
        let i = match self
            .sigs
            .iter()
            .position(|s| s.scenario == scenario && s.signature == signature)
        {
            Some(i) => i,
            None => {
                self.sigs.push(SigTally {
                    scenario,
                    signature,
                    count: 0,
                    first_seed: f.exec_seed,
                    saved: Vec::new(),
                    extras: Vec::new(),
                });
                self.sigs.len() - 1
            }
        };
        self.sigs[i].count += 1;
        (i, self.sigs[i].saved.len() < self.keep as usize)
    }

    /// Records the saved file of tally `i` and writes its timeline (and, for the first of its
    /// signature, the shrunk schedule and its timeline).
    pub fn saved(&mut self, i: usize, variant: Variant, f: &Failure, json: &Path) -> Vec<String> {
        let first = self.sigs[i].saved.is_empty();
        self.sigs[i].saved.push(json.to_path_buf());
        if f.scheduler == NATIVE_SCHEDULER {
            return Vec::new();
        }
        let scenario = self.sigs[i].scenario;
        let mut notes = Vec::new();
        let mode = self.rank_mode;
        let mut extras = timeline_of(scenario, variant, mode, f, json, &mut notes);
        if first {
            extras.extend(shrunk_of(scenario, variant, mode, f, json, &mut notes));
        }
        self.sigs[i].extras.extend(extras);
        notes
    }
}

/// `x.json` → `x.timeline` (the stem of the two timeline files).
fn timeline_stem(json: &Path) -> PathBuf {
    let text = json.display().to_string();
    PathBuf::from(format!(
        "{}.timeline",
        text.strip_suffix(".json").unwrap_or(&text)
    ))
}

fn timeline_of(
    s: Scenario,
    v: Variant,
    mode: sim::RankMode,
    f: &Failure,
    json: &Path,
    notes: &mut Vec<String>,
) -> Vec<PathBuf> {
    let written = record_failure_in(s, v, mode, f)
        .map_err(|e| e.to_string())
        .and_then(|(res, rec)| {
            crate::timeline::write(&timeline_stem(json), &rec, res.failure.as_ref())
                .map_err(|e| e.to_string())
        });
    match written {
        Ok((a, b)) => vec![a, b],
        Err(e) => {
            notes.push(format!("no timeline for {}: {e}", json.display()));
            Vec::new()
        }
    }
}

fn shrunk_of(
    s: Scenario,
    v: Variant,
    mode: sim::RankMode,
    f: &Failure,
    json: &Path,
    notes: &mut Vec<String>,
) -> Vec<PathBuf> {
    let shrunk = match shrink_failure(s, v, f, CAMPAIGN_SHRINK, mode) {
        Ok(x) => x,
        Err(e) => {
            notes.push(format!("not shrunk: {e}"));
            return Vec::new();
        }
    };
    let Ok(path) = write_shrunk(json, s, v, &shrunk) else {
        notes.push(format!(
            "cannot write the shrunk schedule beside {}",
            json.display()
        ));
        return Vec::new();
    };
    notes.push(format!(
        "shrunk: {} -> {} preemptions, {} -> {} steps: {}",
        shrunk.before.preemptions,
        shrunk.after.preemptions,
        shrunk.before.steps,
        shrunk.after.steps,
        path.display()
    ));
    let mut out = vec![path.clone()];
    out.extend(timeline_of(s, v, mode, &shrunk.failure, &path, notes));
    out
}

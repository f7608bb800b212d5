//! The campaign's main thread: it receives the failures the jobs find, saves each one, prints
//! its report once per kind of failure, and prints the status line every 5 s (and a live line on
//! a terminal).

use crate::corpus::{self, Entry};
use crate::save;
use crate::status::{self, Term};
use crate::Scenario;
use sim::native::NATIVE_SCHEDULER;
use sim::{fmt_seed, ExecResult, Failure, FailureKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use tracer::Variant;

/// How often the status line prints (as Go's `stress`).
pub const STATUS_EVERY: Duration = Duration::from_secs(5);
/// How many failures the status line names.
const NAMED: usize = 3;
/// How many repeated failures print one line each before the rest go unprinted.
const ONE_LINERS: u32 = 20;
/// A report prints at most this much (as `stress` prints the first 2 KiB of a failing run).
const REPORT_BYTES: usize = 2 << 10;

/// One scenario's share of the campaign.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub runs: u64,
    pub failures: u64,
    pub elapsed: Duration,
    /// Scheduling steps over all its executions (0 on real threads).
    pub steps: u64,
}

/// What the main thread knows about the campaign.
pub struct Board {
    pub start: Instant,
    pub runs: Arc<AtomicU64>,
    pub failures: u64,
    pub tallies: BTreeMap<Scenario, Tally>,
    /// The saved failure with the lowest (turn, index): the same one whatever J is.
    pub first_saved: Option<((u64, u64), PathBuf)>,
    /// The current turn (the scenarios' turns are numbered in order).
    pub turn: u64,
    pub save_errors: u64,
    /// Per (scenario, variant, kind), the failure with the lowest (turn, index), for the corpus.
    pub candidates: Vec<((u64, u64), Entry)>,
    pub term: Term,
    /// Failures per signature, and which were saved (at most K each).
    pub keeper: crate::keep::Keeper,
    variant: Variant,
    out: PathBuf,
    /// The failures with the lowest (turn, index), named by the status line.
    first: Vec<((u64, u64), String)>,
    seen: BTreeSet<(Scenario, FailureKind, String)>,
    one_liners: u32,
    next_status: Instant,
    budget: Option<u64>,
}

fn truncated(report: &str) -> String {
    if report.len() <= REPORT_BYTES {
        return report.to_string();
    }
    let cut = (0..=REPORT_BYTES)
        .rev()
        .find(|&i| report.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}\n…", &report[..cut])
}

impl Board {
    /// A board for a campaign of `variant` saving under `out`; `budget` is the total number of
    /// executions, if bounded (for the live line).
    pub fn new(
        variant: Variant,
        out: &Path,
        budget: Option<u64>,
        keep: u64,
        rank_mode: sim::RankMode,
    ) -> Self {
        let start = sim::wall::now();
        Self {
            start,
            runs: Arc::default(),
            failures: 0,
            tallies: BTreeMap::new(),
            first_saved: None,
            turn: 0,
            save_errors: 0,
            candidates: Vec::new(),
            term: Term::stdout(),
            keeper: crate::keep::Keeper::new(keep, rank_mode),
            variant,
            out: out.to_path_buf(),
            first: Vec::new(),
            seen: BTreeSet::new(),
            one_liners: 0,
            next_status: start + STATUS_EVERY,
            budget,
        }
    }

    /// Stress's status line with our additions, as of now.
    pub fn status(&self) -> String {
        let first: Vec<String> = self.first.iter().map(|(_, s)| s.clone()).collect();
        status::status_line(
            self.start.elapsed(),
            self.runs.load(Ordering::Relaxed),
            self.failures,
            &first,
        )
    }

    /// Handles failures from the jobs until every job has hung up.
    pub fn pump(&mut self, scenario: Scenario, rx: &mpsc::Receiver<ExecResult>) {
        loop {
            let wait = if self.term.is_tty() {
                Duration::from_millis(200)
            } else {
                STATUS_EVERY
            };
            let wait = wait.min(self.next_status.saturating_duration_since(sim::wall::now()));
            match rx.recv_timeout(wait) {
                Ok(res) => self.failed(scenario, &res),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
            self.tick(scenario);
        }
    }

    fn tick(&mut self, scenario: Scenario) {
        let now = sim::wall::now();
        if now >= self.next_status {
            self.term.line(&self.status());
            while self.next_status <= now {
                self.next_status += STATUS_EVERY;
            }
        }
        let runs = self.runs.load(Ordering::Relaxed);
        let of = self.budget.map(|b| format!("/{b}")).unwrap_or_default();
        let rate = status::rate(runs, self.start.elapsed());
        let elapsed = status::go_duration(self.start.elapsed());
        self.term.live(&format!(
            "[{elapsed}] {}: {runs}{of} runs, {} failures, {rate:.0}/s",
            scenario.name(),
            self.failures
        ));
    }

    fn failed(&mut self, scenario: Scenario, res: &ExecResult) {
        let Some(f) = res.failure.as_ref() else {
            return;
        };
        self.failures += 1;
        let key = (self.turn, f.index);
        self.first.push((
            key,
            format!("{} {} ({})", scenario.name(), fmt_seed(f.exec_seed), f.kind),
        ));
        self.first.sort_by_key(|(k, _)| *k);
        self.first.truncate(NAMED);
        let (sig, keep) = self.keeper.admit(scenario, f);
        if !keep {
            self.print_failure(scenario, f, "(not saved: --keep reached for its signature)");
            return self.keep_candidate(scenario, f);
        }
        let path = match save::save(&self.out, scenario, self.variant, res) {
            Ok(s) => {
                if self.first_saved.as_ref().is_none_or(|(k, _)| key < *k) {
                    self.first_saved = Some((key, s.json.clone()));
                }
                for note in self.keeper.saved(sig, self.variant, f, &s.json) {
                    self.term.line(&note);
                }
                s.json.display().to_string()
            }
            Err(e) => {
                self.save_errors += 1;
                eprintln!(
                    "tracesim: cannot save a failure under {}: {e}",
                    self.out.display()
                );
                "(not saved)".to_string()
            }
        };
        self.print_failure(scenario, f, &path);
        self.keep_candidate(scenario, f);
    }

    /// The full report for the first failure of each kind and message head; one line for the
    /// next few; nothing after that (every failure is saved all the same).
    fn print_failure(&mut self, scenario: Scenario, f: &Failure, path: &str) {
        let head = corpus::signature(&f.message).unwrap_or_default();
        if self.seen.insert((scenario, f.kind, head)) {
            self.term
                .line(&format!("\n{path}\n{}", truncated(&f.to_string())));
        } else if self.one_liners < ONE_LINERS {
            self.one_liners += 1;
            self.term.line(&format!(
                "FAILED ({}) {} SEED={} -> {path}",
                f.kind,
                scenario.name(),
                fmt_seed(f.exec_seed)
            ));
            if self.one_liners == ONE_LINERS {
                self.term
                    .line("(further failures of kinds already shown are counted, not printed; at most --keep saved per signature)");
            }
        }
    }

    fn keep_candidate(&mut self, scenario: Scenario, f: &Failure) {
        if f.scheduler == NATIVE_SCHEDULER {
            return;
        }
        let found_by = format!(
            "tracesim stress {} --variant {} --scheduler {} --seed {} (execution {})",
            scenario.name(),
            self.variant.name(),
            f.scheduler,
            fmt_seed(f.base_seed),
            f.index
        );
        let key = (self.turn, f.index);
        let e = Entry::from_failure(scenario, self.variant, f, found_by);
        match self.candidates.iter_mut().find(|(_, c)| c.key() == e.key()) {
            Some(slot) if key < slot.0 => *slot = (key, e),
            Some(_) => {}
            None => self.candidates.push((key, e)),
        }
    }
}

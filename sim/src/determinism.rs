//! The determinism check: every execution of a run, twice, compared by decision list and output
//! hash. A mismatch means something escapes the simulator (a wall clock, OS randomness, `HashMap`
//! order, a std thread-local or lock, state kept across executions).

use crate::failure::{Failure, SHUTTLE_VERSION};
use crate::result::{render_replay, RunReport};
use crate::runner::{run_observed, run_single_body, Body, RunConfig};
use crate::seed::fmt_seed;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

type Fingerprint = (u64, u64, u64, Option<u64>);

fn fingerprints(cfg: &RunConfig, body: &Body) -> (RunReport, Vec<Fingerprint>) {
    let prints: Rc<RefCell<Vec<Fingerprint>>> = Rc::default();
    let sink = prints.clone();
    let b = body.clone();
    let report = run_observed(
        cfg,
        move || b(),
        move |r| {
            sink.borrow_mut()
                .push((r.index, r.exec_seed, r.decisions_hash(), r.output_hash));
        },
    );
    let out = prints.borrow().clone();
    (report, out)
}

fn first_difference(a: &[u32], b: &[u32]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
        + 1
}

fn nondeterminism(cfg: &RunConfig, body: &Body, index: u64, exec_seed: u64) -> Failure {
    let one = run_single_body(cfg, exec_seed, index, None, body.clone());
    let two = run_single_body(cfg, exec_seed, index, None, body.clone());
    let step = first_difference(&one.decisions, &two.decisions) as u64;
    let mut f = Failure {
        kind: crate::failure::FailureKind::Nondeterminism,
        message: format!(
            "nondeterminism: seed {} gave two different executions: decision lists of {} and {} steps first differ \
             at step {step}; output hashes {:?} and {:?}. Something escapes the simulator: a wall clock, OS randomness, \
             HashMap order, a std thread-local or std lock, or state kept across executions.",
            fmt_seed(exec_seed),
            one.decisions.len(),
            two.decisions.len(),
            one.output_hash,
            two.output_hash
        ),
        location: None,
        exec_seed,
        base_seed: cfg.base_seed,
        index,
        scheduler: cfg.scheduler.resolve(index).to_string(),
        step,
        decisions: one.decisions,
        knobs: one.knobs,
        shuttle_version: SHUTTLE_VERSION.to_string(),
        replay: String::new(),
    };
    f.replay = render_replay(&cfg.replay_template, &f);
    f
}

/// Runs every execution of `cfg` twice and compares decision lists and output hashes; each
/// mismatch is a failure of kind `nondeterminism`. Returns the report of the first pass.
pub fn check_determinism<F: Fn() + Send + Sync + 'static>(
    cfg: &RunConfig,
    f: F,
) -> (RunReport, Vec<Failure>) {
    let body: Body = Arc::new(f);
    let (report, one) = fingerprints(cfg, &body);
    let (_, two) = fingerprints(cfg, &body);
    let mut failures = Vec::new();
    for (a, b) in one.iter().zip(&two) {
        if a != b {
            failures.push(nondeterminism(cfg, &body, a.0, a.1));
        }
    }
    (report, failures)
}

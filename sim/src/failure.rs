//! Structured failures: what went wrong in one execution, serialisable, printed as a short
//! human report whose last line replays it.

use crate::seed::fmt_seed;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The shuttle version every recorded decision list belongs to.
pub const SHUTTLE_VERSION: &str = "0.9.9";

/// What kind of failure an execution had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// A simulated thread panicked (an `assert!`, an `unwrap`, a runtime `throw`).
    Panic,
    /// Every simulated thread is blocked, or a thread re-acquires a lock it holds.
    Deadlock,
    /// The execution exceeded its step bound (a spin that never ends, an unfair schedule).
    Livelock,
    /// A lock was acquired against the rank order (Go's `lock ordering problem`).
    Rank,
    /// The lock-order graph accumulated over the run has a cycle.
    LockCycle,
    /// An invariant checked by the code under test failed.
    Invariant,
    /// The same seed gave two different executions.
    Nondeterminism,
    /// A replay did not follow its recording (the code or the scheduler changed).
    Divergence,
    /// Two conflicting accesses to a checked cell not ordered by happens-before.
    DataRace,
}

impl FailureKind {
    /// The stable name used in reports, JSON and regression files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Panic => "panic",
            Self::Deadlock => "deadlock",
            Self::Livelock => "livelock",
            Self::Rank => "rank",
            Self::LockCycle => "lock_cycle",
            Self::Invariant => "invariant",
            Self::Nondeterminism => "nondeterminism",
            Self::Divergence => "divergence",
            Self::DataRace => "data_race",
        }
    }

    /// Parses [`FailureKind::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Panic,
            Self::Deadlock,
            Self::Livelock,
            Self::Rank,
            Self::LockCycle,
            Self::Invariant,
            Self::Nondeterminism,
            Self::Divergence,
            Self::DataRace,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One failed execution, complete enough to replay it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
    pub location: Option<String>,
    pub exec_seed: u64,
    pub base_seed: u64,
    pub index: u64,
    pub scheduler: String,
    pub step: u64,
    pub decisions: Vec<u32>,
    pub knobs: Vec<(String, String)>,
    pub shuttle_version: String,
    pub replay: String,
}

impl Failure {
    /// The seed-and-knobs block printed with every report.
    pub fn seed_block(&self) -> String {
        let knobs: Vec<String> = self.knobs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(
            "SEED={} scheduler={} (execution {} of base seed {})\nknobs: {}",
            fmt_seed(self.exec_seed),
            self.scheduler,
            self.index,
            fmt_seed(self.base_seed),
            if knobs.is_empty() {
                "-".to_string()
            } else {
                knobs.join(" ")
            },
        )
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "FAILED ({}) at step {}", self.kind, self.step)?;
        for line in self.message.lines() {
            writeln!(f, "  {line}")?;
        }
        if let Some(loc) = &self.location {
            writeln!(f, "  at {loc}")?;
        }
        writeln!(f, "{}", self.seed_block())?;
        write!(f, "replay: {}", self.replay)
    }
}

/// The payload of panics raised by the simulator's own checks, so that the runner classifies
/// them (a plain panic is [`FailureKind::Panic`]).
#[derive(Debug)]
pub struct SimPanic {
    pub kind: FailureKind,
    pub message: String,
}

/// Panics with a classified failure. Inside a simulation the payload is a [`SimPanic`]; on real
/// threads it is the message itself, so that the standard panic hook prints it (and
/// [`kind_of`] recovers the kind from its first words).
#[track_caller]
pub fn sim_panic(kind: FailureKind, message: String) -> ! {
    if shuttle::current::try_get_current_task().is_some() {
        std::panic::panic_any(SimPanic { kind, message })
    }
    panic!("{message}")
}

/// The panic payload of a thread that stops because the execution is stopping; never a failure.
#[derive(Debug)]
pub(crate) struct Stopping;

/// Reads a panic payload as `(kind, message)`.
pub(crate) fn classify(payload: &(dyn std::any::Any + Send)) -> (FailureKind, String) {
    if let Some(p) = payload.downcast_ref::<SimPanic>() {
        return (p.kind, p.message.clone());
    }
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    };
    (kind_of(&text), text)
}

/// The kind a failure message names by its first words (as the simulator's checks word them).
pub fn kind_of(text: &str) -> FailureKind {
    let starts = |p: &str| text.starts_with(p);
    if starts("invariant ") || starts("cell rule violated") {
        FailureKind::Invariant
    } else if starts("fatal error: lock ordering problem") {
        FailureKind::Rank
    } else if starts("self-deadlock") || starts("deadlock") {
        FailureKind::Deadlock
    } else if starts("data race") {
        FailureKind::DataRace
    } else if starts("livelock") {
        FailureKind::Livelock
    } else {
        FailureKind::Panic
    }
}

/// Checks an invariant of the code under test: on failure the execution fails with kind
/// `invariant` and a message naming the invariant, the values and the likely cause.
#[macro_export]
macro_rules! invariant {
    ($cond:expr, $id:expr, $($fmt:tt)+) => {
        if !$cond {
            $crate::failure::sim_panic(
                $crate::failure::FailureKind::Invariant,
                format!("invariant {} violated: {}", $id, format!($($fmt)+)),
            );
        }
    };
}

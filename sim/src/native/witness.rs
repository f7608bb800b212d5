//! What the OS threads of native executions panicked with: a panic hook remembers every panic
//! on an OS thread while a native run is in progress, and a [`Witness`] picks out one
//! execution's (see the module docs of [`super`]).

use super::execution_seed;
use crate::failure::{classify, FailureKind, SimPanic};
use std::collections::VecDeque;
use std::panic;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

/// Native runs in progress in this process, and how many have started (a run that starts or
/// runs alongside an execution makes other threads' panics ambiguous).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
static STARTED: AtomicUsize = AtomicUsize::new(0);
/// Recent panics on OS threads, numbered.
static PANICS: Mutex<VecDeque<Panic>> = Mutex::new(VecDeque::new());
static PANIC_SEQ: AtomicU64 = AtomicU64::new(0);

/// A panic on an OS thread while native runs were in progress.
#[derive(Clone, Debug)]
pub(super) struct Panic {
    seq: u64,
    pub(super) kind: FailureKind,
    pub(super) message: String,
    pub(super) thread: String,
    pub(super) site: Option<String>,
    /// The seed of the execution, if it panicked on that execution's body thread.
    body_of: Option<u64>,
}

impl Panic {
    fn line(&self) -> String {
        let first = self.message.lines().next().unwrap_or_default();
        format!(
            "thread '{}' at {}: {first}",
            self.thread,
            self.site.as_deref().unwrap_or("?")
        )
    }
}

/// Remembers a panic; returns whether it stays silent (a body's, or one of the facade's checks).
fn remember(info: &panic::PanicHookInfo<'_>) -> bool {
    let (kind, message) = classify(info.payload());
    let body_of = execution_seed();
    // The facade's checks word their messages (see `failure::kind_of`); plain panics are `Panic`.
    let checked = info.payload().is::<SimPanic>() || kind != FailureKind::Panic;
    let p = Panic {
        seq: PANIC_SEQ.fetch_add(1, Ordering::SeqCst),
        kind,
        message,
        thread: std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_string(),
        site: info.location().map(|l| l.to_string()),
        body_of,
    };
    let mut ring = PANICS.lock().unwrap_or_else(|e| e.into_inner());
    if ring.len() >= 256 {
        ring.pop_front();
    }
    ring.push_back(p);
    body_of.is_some() || checked
}

/// Installs a hook over the simulator's: on OS threads, while native runs are in progress, every
/// panic is remembered; the body thread's panics and the facade's own checks (rank, self-deadlock,
/// invariants) are silent, being reported as failures; other panics print as usual.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        crate::hook::install();
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let native = crate::ctx::current_task().is_none() && ACTIVE.load(Ordering::SeqCst) > 0;
            if !native || !remember(info) {
                previous(info);
            }
        }));
    });
}

/// The panics remembered since `seq`, in order.
fn panics_since(seq: u64) -> Vec<Panic> {
    let ring = PANICS.lock().unwrap_or_else(|e| e.into_inner());
    ring.iter().filter(|p| p.seq >= seq).cloned().collect()
}

/// Where the panics of one execution start, and which runs were in progress then.
pub(super) struct Mark {
    seq: u64,
    started: usize,
}

/// Marks the start of an execution.
pub(super) fn mark() -> Mark {
    Mark {
        seq: PANIC_SEQ.load(Ordering::SeqCst),
        started: STARTED.load(Ordering::SeqCst),
    }
}

/// A native run begins (panics are remembered from now on).
pub(super) fn run_begins() {
    install_hook();
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    STARTED.fetch_add(1, Ordering::SeqCst);
}

/// A native run ends.
pub(super) fn run_ends() {
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
}

/// The panics on OS threads during one execution, as the hook remembered them.
pub(super) struct Witness {
    seed: u64,
    panics: Vec<Panic>,
    /// No other native run was in progress: every panic remembered is this execution's.
    alone: bool,
}

impl Witness {
    /// The panics since `mark`, for the execution with `seed`, which has just ended.
    pub(super) fn since(mark: &Mark, seed: u64) -> Self {
        let alone =
            ACTIVE.load(Ordering::SeqCst) == 1 && STARTED.load(Ordering::SeqCst) == mark.started;
        Self {
            seed,
            panics: panics_since(mark.seq),
            alone,
        }
    }

    /// The panic that is the failure: the execution's first if it ran alone, else its body's.
    pub(super) fn primary(&self) -> Option<&Panic> {
        match self.alone {
            true => self.panics.first(),
            false => self.panics.iter().find(|p| p.body_of == Some(self.seed)),
        }
    }

    /// The other panics (not other executions' bodies'), as indented lines under a heading.
    pub(super) fn others(&self, primary: Option<&Panic>) -> String {
        let lines: Vec<String> = self
            .panics
            .iter()
            .filter(|p| {
                primary.is_none_or(|q| q.seq != p.seq) && p.body_of.is_none_or(|s| s == self.seed)
            })
            .take(4)
            .map(|p| format!("  {}", p.line()))
            .collect();
        let head = match self.alone {
            true => "other panics of this execution, in order:",
            false => "panics on other OS threads meanwhile (with several jobs, possibly a concurrent execution's):",
        };
        if lines.is_empty() {
            String::new()
        } else {
            format!("\n{head}\n{}", lines.join("\n"))
        }
    }
}

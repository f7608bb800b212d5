//! `sim`: a seeded, replayable scheduler simulator on shuttle, with lock-rank checking.
//!
//! A seed is the complete recipe of an execution: the scheduler's decisions, the scenario's
//! knobs and therefore everything the code under test does are functions of it.
//!
//! Module map:
//! - [`sync`], [`thread`]: the facade, the only place that names std or shuttle primitives;
//!   each primitive picks shuttle inside a simulated execution and std outside.
//! - [`rank`], [`graph`]: Go-style lock ranks and a lockdep-style order graph.
//! - [`sched`]: our schedulers (random walk, PCT, replay) on `rand_chacha`.
//! - [`runner`]: runs executions and turns panics, deadlocks, livelocks, rank violations,
//!   lock-order cycles and invariant failures into [`Failure`]s; replay; determinism check.
//! - [`seed`], [`swarm`]: seed parsing and derivation; knobs drawn from the seed.
//! - [`failure`]: the structured, serialisable failure and its report; [`signature`]: what
//!   makes two failures the same bug.
//! - [`shrink`]: delta debugging of a failure's schedule (with [`sched::guided`]);
//!   [`record`]: the per-step event recorder behind the explain view and the timeline.
//! - [`cell`]: checked cells for shared state, and the happens-before race detector;
//!   [`ghost`]: the observer's own shared state and the tick counter, invisible to both.
//! - `teardown`: a failed execution ends with its unfinished threads unwound, not leaked.

pub mod cell;
mod ctx;
pub mod determinism;
mod driver;
pub mod failure;
pub mod ghost;
pub mod graph;
mod hook;
pub mod native;
pub mod rank;
pub mod record;
pub mod result;
pub mod runner;
pub mod sched;
pub mod seed;
pub mod shrink;
pub mod signature;
pub mod swarm;
pub mod sync;
mod teardown;
pub mod thread;
mod wait;
pub mod wall;

pub use determinism::check_determinism;
pub use failure::{Failure, FailureKind};
pub use rank::{LockClass, RankAction, RankMode};
pub use result::{fnv1a, render_replay, ExecResult, RunReport};
pub use runner::{run, run_observed, run_single, RunConfig};
pub use sched::SchedulerSpec;
pub use seed::{exec_seed, fmt_seed, parse_seed};

//! Scenarios mirroring Go's tracer stress tests (§C.1, §C.2) at model scale, for both tracer
//! models, the registry the `tracesim` CLI and the tests share, and the run configurations they
//! use.
//!
//! Module map (arrows point down the list; nothing imports [`cli`]):
//! - [`cli`]: the `tracesim` command definitions and their dispatch, nothing else. Each command
//!   lives in its own module: [`run_cmd`] (`run`), [`replay_cmd`] (`replay`, with
//!   [`explain_cmd`] for `--explain`/`--timeline`), [`info_cmd`] (`list`, `dump`), [`stress`]
//!   (`stress`, flags in [`stress_args`]), [`hunt`] (`hunt`), [`shrink_cmd`] (`shrink`).
//! - [`args`]: what the commands share to read their arguments (usage errors, variant,
//!   scenario and rank-mode parsing); [`artifact`]: an execution's trace artifact (sessions or
//!   generations joined, split, written to files).
//! - The stress runner's parts: [`shard`] (the seed space split over machines and jobs),
//!   [`board`] (failures and status while it runs), [`status`] (Go stress's status line and
//!   durations), [`save`] (failure files), [`summary`], [`keep`] (at most K saved failures per
//!   signature), [`crashseed`] (the seed a killed run was running); [`corpus`] (the regression
//!   corpus).
//! - [`shrinking`] (schedule shrinking), [`explain`] and [`explain_fold`] (the interleaving in
//!   columns), [`timeline`] and [`timeline_html`] (every saved failure's timeline).
//! - [`model`]: the one place that matches on the model; [`model::go121`] and
//!   [`model::go122`] hold each model's knobs and execution body. Everything above runs an
//!   execution through [`Scenario`], [`run_config`] and [`body`].

pub mod args;
pub mod artifact;
pub mod board;
pub mod cli;
pub mod corpus;
pub mod crashseed;
pub mod explain;
pub mod explain_cmd;
pub mod explain_fold;
pub mod hunt;
pub mod info_cmd;
pub mod keep;
pub mod model;
pub mod replay_cmd;
pub mod run_cmd;
pub mod save;
pub mod shard;
pub mod shrink_cmd;
pub mod shrinking;
pub mod status;
pub mod stress;
pub mod stress_args;
pub mod summary;
pub mod timeline;
pub mod timeline_html;

pub use model::{body, run_config, Scenario};

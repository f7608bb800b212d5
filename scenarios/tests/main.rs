//! The scenarios' tests, in one binary: baselines that must pass their budget, snapshots of
//! decoded traces, canaries that must fail, and the CLI's exit codes.

mod util;

mod baseline;
mod canary;
mod cli;
mod snapshots;

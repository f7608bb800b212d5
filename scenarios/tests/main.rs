//! The scenarios' tests, in one binary: baselines that must pass their budget, snapshots of
//! decoded traces, canaries that must fail, and the CLI's exit codes.

mod util;

// The regression corpus, in its own module: `cargo test -p scenarios regressions` runs it alone.
mod regressions;

mod baseline;
mod canary;
mod cli;
mod explain;
mod output;
mod snapshots;
mod stress;

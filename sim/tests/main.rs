//! The simulator's own tests, in one binary: each module proves one capability by finding a
//! planted bug (canaries that must fail) or by holding a property over many seeds.

mod util;

mod cell_handoff;
mod cell_races;
mod cell_rules;

mod deadlock;
mod determinism;
mod engine;
mod ghost;
mod lost_update;
mod native_leaks;
mod pct_needle;
mod ranks;
mod replay;
mod shrink;
mod teardown;

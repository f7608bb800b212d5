//! Tests of `tracer::go121::wire`, the go1.21 trace format: real Go traces against Go's own
//! dumps, encoder round trips, hand-built traces checked against Go's oracle, malformed input, and the
//! structural checks.
//!
//! The expected texts of the hand-built traces (minimal, two-P, features, errors) are what Go's
//! oracle printed for the same bytes. To check them again (needs Go 1.21):
//!
//! ```text
//! WIRE_TRACE_DIR=/tmp/w cargo test -p tracer --test main hand_built
//! shared/tools/go-trace-oracle/go-trace-oracle.sh /tmp/w/minimal.trace   # and the others
//! ```
//!
//! (`error-NN.want` beside each `error-NN.trace` holds the expected `FAIL:` line.)

mod go122_traces;
mod traces;
mod util;

mod checks;
mod encoder;
mod fidelity;
mod go122_cases;
mod go122_fuzz;
mod go122_golden;
mod go122_synth;
mod golden;
mod hand_built;
mod malformed;

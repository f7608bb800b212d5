//! Bounded fuzzing of both decoders (go1.21 and go1.22) inside `cargo test`: mutated real and
//! hand-built traces must be accepted or rejected with a clean error, never panic. The long run
//! (≥ 10 000 000 inputs, figure in STRESS.md) is
//! `cargo run --release -p tracer --example fuzz_wire -- --inputs 10000000 --seed 1`.

use crate::go122_traces::{error_traces, go_trace, valid_trace};
use tracer::fuzz;

/// Inputs per seed: about a second each in the test profile.
const INPUTS: u64 = 12_000;

fn corpus() -> Vec<Vec<u8>> {
    let mut out = vec![
        valid_trace(),
        crate::traces::minimal_trace(),
        crate::traces::two_p_trace(),
        crate::traces::features_trace(),
    ];
    out.extend(error_traces().into_iter().map(|(_, data, _)| data));
    out.push(crate::go122_synth::synth_trace(5, 3, 2, 60));
    for name in [
        "go1.21-tiny-p1",
        "go1.21-gotest",
        "go1.22-tiny-p2",
        "go1.22-gotest",
    ] {
        out.push(go_trace(&format!("{name}.trace")));
    }
    out
}

#[test]
pub fn go122_and_go121_decoders_never_panic_on_mutated_traces() {
    let corpus = corpus();
    for seed in [1, 2] {
        let report = fuzz::run(seed, INPUTS, &corpus);
        assert_eq!(report.inputs, INPUTS);
        assert!(
            report.failures.is_empty(),
            "{}\nreplay: cargo test -p tracer --test main go122_and_go121_decoders_never_panic (seed {seed})",
            report.failures.join("\n")
        );
    }
}

#[test]
pub fn fuzz_mutations_are_seeded_and_reach_both_verdicts() {
    let corpus = corpus();
    let mut a = fuzz::Rng::new(7);
    let mut b = fuzz::Rng::new(7);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..500 {
        let x = fuzz::mutate(&mut a, &corpus);
        assert_eq!(x, fuzz::mutate(&mut b, &corpus), "same seed, same inputs");
        match tracer::go122::wire::read_and_validate(&x, false).error {
            None => ok += 1,
            Some(_) => err += 1,
        }
    }
    assert!(
        ok > 0 && err > 0,
        "mutations should both keep and break traces: {ok} ok, {err} rejected"
    );
}

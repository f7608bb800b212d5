//! Snapshots of decoded traces: each scenario for two fixed seeds, rendered one wire event per
//! line, and the validator's report on a corrupted trace. Files live in the top-level
//! `snapshots/`; update with `INSTA_UPDATE=always cargo test -p scenarios --test main snapshots`.

use scenarios::{body, run_config, Scenario};
use sim::SchedulerSpec;
use tracer::go121::wire;
use tracer::Variant;

fn trace_of(s: Scenario, seed: u64) -> Vec<u8> {
    let cfg = run_config(s, Variant::V1_0, seed, 1, SchedulerSpec::Random);
    let res = sim::run_single(
        &cfg,
        sim::exec_seed(seed, 0),
        0,
        None,
        body(s, Variant::V1_0),
    );
    assert!(res.failure.is_none(), "{}", res.failure.unwrap());
    res.artifact.expect("the scenario keeps its trace")
}

fn render(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, session) in scenarios::artifact::sessions(bytes).into_iter().enumerate() {
        out += &format!("== session {}\n", i + 1);
        out += &wire::dump::raw_text(&wire::decode(session).expect("the trace decodes"));
    }
    out
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn decoded_traces_of_each_scenario_for_two_seeds() {
    for s in Scenario::ALL {
        for seed in [1u64, 2] {
            snap!(
                format!("{}_seed{seed}", s.name()),
                render(&trace_of(s, seed))
            );
        }
    }
}

#[test]
fn validator_report_on_a_corrupted_trace() {
    let all = trace_of(Scenario::TraceStress, 1);
    let mut bytes = scenarios::artifact::sessions(&all)[0].to_vec();
    let stack = bytes
        .iter()
        .rposition(|&b| b & 0x3f == wire::ev::EV_STACK && b >> 6 == 3)
        .expect("a stack record");
    bytes[stack] = wire::ev::EV_GO_SCHED;
    let report = match wire::check::check_bytes(&bytes) {
        Ok(v) => v
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => format!("does not decode: {e}"),
    };
    let go = match wire::parse(&bytes) {
        Ok(_) => "Go's parser: accepted".to_string(),
        Err(e) => format!("Go's parser: {e}"),
    };
    snap!("validator_corrupted_trace", format!("{report}\n{go}\n"));
}

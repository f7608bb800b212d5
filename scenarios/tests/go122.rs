//! The go1.22 model: V2.0 baselines and the variants' canaries.

use scenarios::go122::{run, Scenario2};
use sim::{RunConfig, RunReport, SchedulerSpec};
use tracer::go122::Variant;

fn cfg(s: Scenario2, seed: u64, n: u64, sched: SchedulerSpec) -> RunConfig {
    RunConfig {
        base_seed: seed,
        executions: n,
        scheduler: sched,
        pct_steps: s.pct_steps(),
        max_steps: 50_000,
        ..RunConfig::default()
    }
}

fn go(s: Scenario2, v: Variant, seed: u64, n: u64, sched: SchedulerSpec) -> RunReport {
    let r = sim::run(&cfg(s, seed, n, sched), move || run(s, v));
    println!(
        "{} {} {sched}: {} executions, {} failures, {:.0}/s",
        s.name(),
        v.name(),
        r.executions,
        r.failure_count,
        r.rate()
    );
    r
}

#[test]
fn go122_smoke() {
    for s in Scenario2::ALL {
        let r = go(s, Variant::V2_0, 1, 50, SchedulerSpec::Random);
        assert_eq!(r.failure_count, 0, "{}", r.failures[0]);
    }
}

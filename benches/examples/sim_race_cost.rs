//! The race detector's cost on `sim`'s own workload, for `valgrind --tool=callgrind` (instruction
//! counts do not depend on the machine's load): one run of N executions of the bounded buffer
//! (`benches::buffer`), with race checking on or off, on the facade or with its queue in a
//! checked cell. The same four runs are timed by `cargo bench -p benches --bench sim_overhead`.
//!
//! ```text
//! cargo run --release -p benches --example sim_race_cost -- facade|cells on|off K N
//! ```

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize| args.get(i).and_then(|s| s.parse::<u64>().ok());
    let (Some(workload), Some(race), Some(k), Some(n)) =
        (args.first(), args.get(1), num(2), num(3))
    else {
        eprintln!("usage: sim_race_cost facade|cells on|off K N");
        std::process::exit(2);
    };
    let body: fn(u64) = match workload.as_str() {
        "facade" => benches::buffer::facade,
        "cells" => benches::buffer::cells,
        _ => {
            eprintln!("sim_race_cost: workload must be facade or cells, not {workload:?}");
            std::process::exit(2);
        }
    };
    let cfg = sim::RunConfig {
        executions: n,
        race: race == "on",
        ..sim::RunConfig::default()
    };
    let report = sim::run(&cfg, move || body(k));
    assert_eq!(report.failure_count, 0, "{:?}", report.failures.first());
    println!(
        "{workload} race={race} k={k}: {} executions, {} steps",
        report.executions, report.steps
    );
}

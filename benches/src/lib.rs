//! Benchmarks of the workspace, run with `cargo bench -p benches`; the code lives in `benches/`.
//! `sim_overhead` measures what our runner (facade primitives, recording driver, rank and
//! wait-for bookkeeping) costs over raw shuttle on the same workload; see `README.md`.

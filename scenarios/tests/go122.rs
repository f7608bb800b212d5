//! The go1.22 model: V2.0 baselines (random and PCT) and one canary per variant of §G.7, each
//! failing for its predicted reason.

use scenarios::model::go122::{run, Scenario2};
use sim::{Failure, FailureKind, RankAction, RankMode, RunConfig, RunReport, SchedulerSpec};
use tracer::go122::Variant;

fn cfg(s: Scenario2, seed: u64, n: u64, sched: SchedulerSpec) -> RunConfig {
    RunConfig {
        base_seed: seed,
        executions: n,
        scheduler: sched,
        pct_steps: s.pct_steps(),
        max_steps: 50_000,
        keep_failures: 10_000,
        ..RunConfig::default()
    }
}

fn go_with(c: &RunConfig, s: Scenario2, v: Variant) -> RunReport {
    let r = sim::run(c, move || run(s, v));
    println!(
        "{} {} {} {:?}/{:?}: {} executions, {} failures, {:.0}/s",
        s.name(),
        v.name(),
        c.scheduler,
        c.rank_mode,
        c.rank_action,
        r.executions,
        r.failure_count,
        r.rate()
    );
    r
}

fn go(s: Scenario2, v: Variant, n: u64, sched: SchedulerSpec) -> RunReport {
    go_with(&cfg(s, 1, n, sched), s, v)
}

/// The failures of `n` mixed-scheduler executions; at least one.
fn must_fail(s: Scenario2, v: Variant, n: u64) -> Vec<Failure> {
    let r = go(s, v, n, SchedulerSpec::Mix);
    assert!(
        r.failure_count > 0,
        "{} never failed in {n} executions of {}",
        v.name(),
        s.name()
    );
    r.failures
}

/// Whether some failure's message contains every one of `parts`.
fn any_says(fs: &[Failure], parts: &[&str]) -> bool {
    fs.iter()
        .any(|f| parts.iter().all(|p| f.message.contains(p)))
}

#[test]
fn v2_0_baselines_pass_2000_executions_per_scenario_random_and_pct() {
    for s in Scenario2::ALL {
        for sched in [SchedulerSpec::Random, SchedulerSpec::Pct { depth: 3 }] {
            let r = go(s, Variant::V2_0, 1000, sched);
            assert_eq!(r.failure_count, 0, "{}", r.failures[0]);
            assert!(r.rank_reports.is_empty(), "{:?}", r.rank_reports);
        }
    }
}

#[test]
fn v2_1_dump_under_the_table_lock_is_go_s_lock_ordering_problem_with_fin_31() {
    let fs = must_fail(Scenario2::Stress, Variant::V2_1, 20);
    assert_eq!(
        fs[0].index, 0,
        "the first execution dumps a non-empty table: {}",
        fs[0]
    );
    for f in &fs {
        assert_eq!(f.kind, FailureKind::Rank, "{f}");
        assert!(
            f.message.contains("fatal error: lock ordering problem"),
            "{f}"
        );
        assert!(f.message.contains(" 0 : traceStackTab 48"), "{f}");
        assert!(f.message.contains(" 1 : fin 31"), "{f}");
    }
}

#[test]
fn v2_1_with_rank_reports_recorded_the_trace_stays_valid() {
    let mut c = cfg(Scenario2::Stress, 1, 200, SchedulerSpec::Mix);
    c.rank_action = RankAction::Record;
    let r = go_with(&c, Scenario2::Stress, Variant::V2_1);
    let bad: Vec<_> = r
        .failures
        .iter()
        .filter(|f| f.kind != FailureKind::LockCycle)
        .collect();
    assert!(bad.is_empty(), "{}", bad[0]);
    assert!(r
        .rank_reports
        .iter()
        .any(|(_, m)| m.contains(" 0 : traceStackTab 48") && m.contains(" 1 : fin 31")));
}

#[test]
fn v2_2_one_live_table_realises_the_abba_deadlock_by_schedule() {
    // The ABBA needs two preemptions (the allocator between the advancer's two acquisitions):
    // PCT's depth 3 finds it first (execution 492 of base seed 1; random walk: about 1000).
    let mut c = cfg(Scenario2::Stress, 1, 1000, SchedulerSpec::Pct { depth: 3 });
    c.rank_mode = RankMode::Off;
    let r = go_with(&c, Scenario2::Stress, Variant::V2_2);
    let abba = [
        "waits for lock traceStackTab (rank 48)",
        "held by advancer",
        "advancer waits for lock mheap (rank 44)",
        "held by allocator",
    ];
    assert!(
        any_says(&r.failures, &abba),
        "no ABBA among {} failures",
        r.failure_count
    );
}

#[test]
fn v2_3_dump_before_quiescence_loses_stacks() {
    let fs = must_fail(Scenario2::CpuProfile, Variant::V2_3, 300);
    assert!(
        fs.iter().all(|f| f.message.starts_with("invariant I13")
            || f.message.starts_with("invariant I5")
            || f.message.starts_with("data race on `traceMapNode`")),
        "{}",
        fs[0]
    );
}

#[test]
fn v2_4_string_reset_before_dump_leaves_frame_strings_undefined() {
    let fs = must_fail(Scenario2::Stress, Variant::V2_4, 30);
    assert!(
        any_says(&fs, &["invariant I6", "found invalid func string ID"]),
        "{}",
        fs[0]
    );
}

#[test]
fn v2_5_cpu_flush_after_dump_leaves_sample_stacks_undefined() {
    let fs = must_fail(Scenario2::CpuProfile, Variant::V2_5, 400);
    assert!(
        fs.iter().all(
            |f| f.message.starts_with("invariant I5") || f.message.starts_with("invariant I13")
        ),
        "{}",
        fs[0]
    );
}

#[test]
fn v2_6_semrelease_under_trace_lock_is_trace_under_trace() {
    let fs = must_fail(Scenario2::Stress, Variant::V2_6, 30);
    assert!(
        any_says(
            &fs,
            &["lock ordering problem", " 0 : trace 47", " 1 : trace 47"]
        ),
        "{}",
        fs[0]
    );
}

#[test]
fn v2_7_flushing_odd_seqlocks_tears_or_loses_batches() {
    let fs = must_fail(Scenario2::AdvancePressure, Variant::V2_7, 200);
    // I12 and I13 are the same broken quiescence seen by the CPU reader's traceLocker (its
    // profBuf drained by the advancer's traceCPUFlush meanwhile) and by a stack insert into the
    // table being dumped; the race detector sees the first as a race on `trace.cpuBuf`.
    assert!(
        fs.iter().all(|f| [
            "invariant I4",
            "invariant I2",
            "invariant I7",
            "invariant I3",
            "invariant I10",
            "invariant I12",
            "invariant I13",
            "data race on `m.trace.buf",
            "data race on `trace.cpuBuf"
        ]
        .iter()
        .any(|p| f.message.starts_with(p))),
        "{}",
        fs[0]
    );
    assert!(any_says(&fs, &["invariant I4", "seqlock was odd"]));
}

#[test]
fn v2_8_early_flushed_gen_lets_the_reader_finish_a_generation_too_soon() {
    let fs = must_fail(Scenario2::AdvancePressure, Variant::V2_8, 100);
    assert!(
        any_says(
            &fs,
            &["trace: non-empty full trace buffer for done generation"]
        ),
        "{}",
        fs[0]
    );
}

#[test]
fn v2_9_sigprof_without_the_seqlock_loses_samples() {
    let fs = must_fail(Scenario2::CpuProfile, Variant::V2_9, 2000);
    assert!(
        fs.iter().all(|f| f.message.starts_with("invariant I12")),
        "{}",
        fs[0]
    );
}

#[test]
fn v2_10_stop_waiting_for_the_advancer_under_advance_sema_hangs() {
    let fs = must_fail(Scenario2::Stress, Variant::V2_10, 200);
    assert!(
        fs.iter().all(|f| f.message.contains("advancer exit")),
        "{}",
        fs[0]
    );
    assert!(
        any_says(&fs, &["advancer waits for semaphore traceAdvanceSema"]),
        "{}",
        fs[0]
    );
}

#[test]
fn v2_11_late_work_available_clear_is_only_a_delay() {
    for s in Scenario2::ALL {
        let r = go(s, Variant::V2_11, 300, SchedulerSpec::Mix);
        assert_eq!(r.failure_count, 0, "{}", r.failures[0]);
    }
}

#[test]
fn v2_12_two_readers_split_the_trace() {
    let fs = must_fail(Scenario2::Stress, Variant::V2_12, 100);
    assert!(
        fs.iter()
            .all(|f| f.message.contains("Go's reader rejects")
                || f.message.starts_with("invariant I2")),
        "{}",
        fs[0]
    );
}

#[test]
fn quiescence_aware_ranks_judge_v2_1_unrealizable_and_v2_2_realizable() {
    let quiet = |v: Variant, n: u64| {
        let mut c = cfg(Scenario2::Stress, 1, n, SchedulerSpec::Mix);
        c.rank_mode = RankMode::Quiescent;
        go_with(&c, Scenario2::Stress, v)
    };
    let r = quiet(Variant::V2_1, 300);
    assert_eq!(r.failure_count, 0, "{}", r.failures[0]);
    assert!(
        r.rank_reports
            .iter()
            .any(|(_, m)| m.contains("quiescence: fin (rank 31)")
                && m.contains("traceStackTab (rank 48)")
                && m.contains("judged unrealizable")),
        "{:?}",
        r.rank_reports
    );
    let r = quiet(Variant::V2_0, 300);
    assert_eq!(r.failure_count, 0, "{}", r.failures[0]);
    let r = quiet(Variant::V2_2, 600);
    assert!(
        any_says(&r.failures, &["quiescence claim broken", "traceStackTab"]),
        "{} failures",
        r.failure_count
    );
}

/// Every session of a go1.22 scenario's trace for `seed`, rendered as Go's `Event.String`.
fn rendered(s: Scenario2, seed: u64) -> String {
    let sc = scenarios::Scenario::Go122(s);
    let v = tracer::Variant::V2(Variant::V2_0);
    let c = scenarios::run_config(sc, v, seed, 1, SchedulerSpec::Random);
    let res = sim::run_single(&c, sim::exec_seed(seed, 0), 0, None, scenarios::body(sc, v));
    assert!(res.failure.is_none(), "{}", res.failure.unwrap());
    let all = res.artifact.expect("the scenario keeps its trace");
    let mut out = String::new();
    for (i, session) in scenarios::artifact::sessions(&all).into_iter().enumerate() {
        let verdict = tracer::go122::wire::read_and_validate(session, true);
        assert!(verdict.error.is_none(), "{:?}", verdict.error);
        out += &format!("== session {}\n{}", i + 1, verdict.text);
    }
    out
}

#[test]
fn go122_decoded_traces_of_each_scenario_are_stable() {
    for s in Scenario2::ALL {
        insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("go122_model_{}_seed1", s.name()), rendered(s, 1));
        });
    }
}

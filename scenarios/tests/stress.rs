//! `tracesim stress`: Go stress's status line, the split of the seed space over shards and jobs,
//! and the command end to end: exit codes, saved failures, replay of a saved failure, --native.

use scenarios::shard::{self, Shard};
use scenarios::status::{go_duration, parse_go_duration, status_line, stress_line};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

#[test]
fn status_line_is_go_stress_own() {
    let elapsed = Duration::from_millis(42 * 60_000 + 900);
    assert_eq!(
        stress_line(elapsed, 24520, 0),
        "42m0s: 24520 runs so far, 0 failures"
    );
    assert_eq!(
        stress_line(Duration::from_millis(65_999), 1200, 3),
        "1m5s: 1200 runs so far, 3 failures (0.25%)"
    );
    assert_eq!(
        stress_line(Duration::from_secs(5), 3, 3),
        "5s: 3 runs so far, 3 failures (100.00%)"
    );
    let ours = status_line(
        Duration::from_secs(10),
        20_000,
        1,
        &["trace_cpu_profile 0x85e7bb0f12278575 (deadlock)".into()],
    );
    assert_eq!(ours, "10s: 20000 runs so far, 1 failures (0.01%), 2000 executions/s; first: trace_cpu_profile 0x85e7bb0f12278575 (deadlock)");
}

#[test]
fn status_durations_print_and_parse_as_go_does() {
    for (secs, text) in [
        (0, "0s"),
        (5, "5s"),
        (65, "1m5s"),
        (2520, "42m0s"),
        (3600, "1h0m0s"),
        (90061, "25h1m1s"),
    ] {
        assert_eq!(go_duration(Duration::from_secs(secs)), text);
        assert_eq!(parse_go_duration(text), Ok(Duration::from_secs(secs)));
    }
    assert_eq!(parse_go_duration("1h30m"), Ok(Duration::from_secs(5400)));
    assert_eq!(parse_go_duration("1.5s"), Ok(Duration::from_millis(1500)));
    assert_eq!(parse_go_duration("500ms"), Ok(Duration::from_millis(500)));
    for bad in ["", "10", "5q", "m", "1h-2m"] {
        assert!(parse_go_duration(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn shard_and_jobs_split_the_seed_space_disjointly_and_completely() {
    for n in 1..=4u64 {
        for jobs in 1..=4u64 {
            for total in [0, 1, 5, 12, 13] {
                let mut all = Vec::new();
                for i in 0..n {
                    let s = Shard { index: i, count: n };
                    let mut mine: Vec<u64> = (0..jobs)
                        .flat_map(|j| shard::job_indices(s, jobs, j, total))
                        .collect();
                    mine.sort_unstable();
                    let expected: Vec<u64> = (0..total).map(|q| i + n * q).collect();
                    assert_eq!(mine, expected, "shard {s}, {jobs} jobs, {total} executions: the shard's first indices, once each");
                    all.extend(mine);
                }
                all.sort_unstable();
                assert_eq!(
                    all,
                    (0..n * total).collect::<Vec<_>>(),
                    "{n} shards, {jobs} jobs: disjoint and covering"
                );
            }
        }
    }
}

#[test]
fn shard_segments_tile_a_shard_and_shards_parse() {
    let s = Shard { index: 1, count: 3 };
    let mut seen = Vec::new();
    for offset in [0, 6, 12] {
        for job in 0..2 {
            let slice = shard::segment_slice(s, 2, job, offset);
            seen.extend((0..shard::job_budget(6, 2, job)).map(|m| slice.index(m)));
        }
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..18).map(|q| 1 + 3 * q).collect::<Vec<_>>());
    assert_eq!(Shard::parse("3/8"), Ok(Shard { index: 3, count: 8 }));
    for bad in ["8/8", "1/0", "x", "1", "-1/2", "1/2/3"] {
        assert!(Shard::parse(bad).is_err(), "{bad}");
    }
}

pub fn tracesim(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tracesim"))
        .args(args)
        .output()
        .expect("tracesim runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tracesim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

pub fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    v.sort();
    v
}

/// The saved failures (not their shrunk schedules or timelines).
pub fn failure_files(dir: &Path) -> Vec<PathBuf> {
    files(dir, ".json")
        .into_iter()
        .filter(|p| {
            let p = p.to_string_lossy();
            !p.ends_with(".timeline.json") && !p.ends_with(".shrunk.json")
        })
        .collect()
}

pub fn saved_failure(json: &Path) -> (serde_json::Value, sim::Failure) {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let f = serde_json::from_value(v["failure"].clone()).unwrap();
    (v, f)
}

#[test]
fn stress_saves_every_failure_and_replay_of_the_file_reproduces_it() {
    let dir = temp_dir("stress-e2e");
    let d = dir.to_str().unwrap();
    let (code, out, err) = tracesim(&[
        "stress",
        "trace_cpu_profile",
        "--variant",
        "v1.6",
        "--scheduler",
        "mix",
        "--executions",
        "1000",
        "--jobs",
        "2",
        "--keep",
        "1000",
        "--out",
        d,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(": 1000 runs so far, ")
            && out.contains("executions/s; first: trace_cpu_profile 0x"),
        "{out}"
    );
    let jsons = failure_files(&dir);
    let line = out
        .lines()
        .find(|l| l.starts_with("trace_cpu_profile v1.6 mix: 1000 runs, "))
        .expect("a summary line");
    assert!(
        line.contains(&format!(", {} failures (", jsons.len())),
        "one file per failure: {line}"
    );
    assert_eq!(files(&dir, ".replay.txt").len(), jsons.len());
    assert!(
        !files(&dir, ".trace").is_empty(),
        "failures in validation keep their trace"
    );
    for json in jsons.iter().take(3) {
        let (v, f) = saved_failure(json);
        assert_eq!(
            (
                v["scenario"].as_str(),
                v["variant"].as_str(),
                v["native"].as_bool()
            ),
            (Some("trace_cpu_profile"), Some("v1.6"), Some(false))
        );
        assert!(!f.knobs.is_empty() && !f.decisions.is_empty(), "{f:?}");
        let (code, replayed, err) = tracesim(&["replay", json.to_str().unwrap()]);
        assert_eq!(code, 1, "{replayed}{err}");
        assert_eq!(
            replayed.trim_end(),
            f.to_string(),
            "replay FILE.json prints the saved failure exactly"
        );
        let txt = std::fs::read_to_string(json.to_str().unwrap().replace(".json", ".replay.txt"))
            .unwrap();
        assert!(
            txt.contains(&format!("replay {}", json.display())) && txt.contains(&f.replay),
            "{txt}"
        );
    }
}

#[test]
fn stress_shards_compose_with_jobs_and_never_overwrite_a_saved_failure() {
    let dir = temp_dir("stress-shard");
    let d = dir.to_str().unwrap();
    let args = [
        "stress",
        "trace_stress",
        "--variant",
        "v1.10",
        "--scheduler",
        "random",
        "--executions",
        "4",
        "--jobs",
        "2",
        "--shard",
        "1/2",
        "--out",
        d,
    ];
    for round in 1..=2 {
        let (code, out, err) = tracesim(&args);
        assert_eq!(code, 1, "{out}{err}");
        assert_eq!(failure_files(&dir).len(), 4 * round, "{out}");
    }
    let mut indices: Vec<u64> = failure_files(&dir)
        .iter()
        .map(|j| saved_failure(j).1.index)
        .collect();
    indices.sort_unstable();
    assert_eq!(
        indices,
        [1, 1, 3, 3, 5, 5, 7, 7],
        "shard 1/2: odd indices; the second run saved beside the first"
    );
}

#[test]
fn stress_bad_arguments_exit_2_before_running() {
    let dir = temp_dir("stress-bad");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let under_file = file.join("sub");
    let corpus = dir.join("corpus.json");
    std::fs::write(&corpus, "{ not json").unwrap();
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    let one = ["--executions", "1", "--out", o];
    let cases: Vec<Vec<&str>> = vec![
        vec!["stress"],
        vec!["stress", "--all", "trace_stress"],
        vec!["stress", "no_such_scenario"],
        vec!["stress", "trace_stress", "--shard", "2/2"],
        vec!["stress", "trace_stress", "--shard", "x"],
        vec!["stress", "trace_stress", "--jobs", "0"],
        vec!["stress", "trace_stress", "--executions", "0"],
        vec!["stress", "trace_stress", "--keep", "0"],
        vec!["stress", "trace_stress", "--duration", "5q"],
        vec!["stress", "trace_stress", "--variant", "v9"],
        vec!["stress", "trace_stress", "--scheduler", "pct:9"],
        vec!["stress", "trace_stress", "--corpus", "x.json"],
        vec![
            "stress",
            "trace_stress",
            "--out",
            under_file.to_str().unwrap(),
        ],
        vec![
            "stress",
            "trace_stress",
            "--save-regressions",
            "--corpus",
            corpus.to_str().unwrap(),
        ],
    ];
    for mut args in cases {
        if !args.contains(&"--out") {
            args.extend(one);
        }
        let (code, stdout, stderr) = tracesim(&args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(
            !stdout.contains("runs so far") && !stderr.contains("panicked"),
            "{args:?}: {stdout}{stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&corpus).unwrap(),
        "{ not json",
        "a malformed corpus is left untouched"
    );
}

#[test]
fn stress_native_passes_v1_0_and_its_failures_say_they_do_not_replay() {
    let dir = temp_dir("stress-native");
    let d = dir.to_str().unwrap();
    let (code, out, err) = tracesim(&[
        "stress",
        "--all",
        "--native",
        "--executions",
        "30",
        "--jobs",
        "2",
        "--out",
        d,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(": 90 runs so far, 0 failures")
            && out.contains("trace_cpu_profile v1.0 native: 30 runs, 0 failures"),
        "{out}"
    );
    assert!(failure_files(&dir).is_empty());
    let (code, out, err) = tracesim(&[
        "stress",
        "trace_stress",
        "--variant",
        "v1.10",
        "--native",
        // On OS threads V1.10's failure is timing-dependent (98 % of executions on an idle
        // machine, fewer under load): 20 executions make a run without one negligible.
        "--executions",
        "20",
        "--jobs",
        "1",
        "--out",
        d,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let json = failure_files(&dir)
        .into_iter()
        .next()
        .expect("a saved native failure");
    let (v, f) = saved_failure(&json);
    assert_eq!(
        (v["native"].as_bool(), f.scheduler.as_str()),
        (Some(true), "native")
    );
    assert!(
        f.message.contains("NOT replayable by seed") && f.replay.starts_with("none: "),
        "{f}"
    );
    assert!(
        f.knobs.iter().any(|(k, _)| k == "emitters"),
        "knobs come from the seed natively too: {f}"
    );
    let (code, out, err) = tracesim(&["replay", json.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("not replayable by seed"), "{err}");
}

#[test]
fn stress_rank_mode_off_saves_v2_2_deadlock_and_its_replay_line_names_the_mode_and_it_shrinks_to_its_cycle(
) {
    let dir = temp_dir("rank-off");
    let d = dir.to_string_lossy().to_string();
    let args = [
        "stress",
        "go122_stress",
        "--variant",
        "v2.2",
        "--rank-mode",
        "off",
        "--scheduler",
        "pct:3",
        "--executions",
        "800",
        "--jobs",
        "1",
        "--out",
        &d,
    ];
    let (code, out, err) = tracesim(&args);
    assert_eq!(code, 1, "{out}\n{err}");
    let deadlocks: Vec<_> = failure_files(&dir)
        .into_iter()
        .map(|p| saved_failure(&p).1)
        .filter(|f| f.kind == sim::FailureKind::Deadlock)
        .collect();
    let f = deadlocks.first().expect("the ABBA deadlock is saved");
    assert!(f.message.contains("held by advancer"), "{f}");
    assert!(f.replay.ends_with("--rank-mode off"), "{}", f.replay);
    // Its signature is its wait cycle: the summary counts it under it, and the first of it is
    // shrunk to a deadlock on the same cycle (wherever main then waits).
    let cycle = "wait cycle: advancer waits for lock mheap (rank #) → allocator waits for lock traceStackTab (rank #) → advancer";
    assert!(out.contains(cycle), "{out}");
    let shrunk: Vec<_> = files(&dir, ".shrunk.json")
        .into_iter()
        .map(|p| (saved_failure(&p).1, p))
        .filter(|(s, _)| s.kind == sim::FailureKind::Deadlock)
        .collect();
    let [(s, path)] = &shrunk[..] else {
        panic!("one signature, one shrunk deadlock: {shrunk:?}");
    };
    let original = path.to_string_lossy().replace(".shrunk.json", ".json");
    let sig = sim::signature::signature(&saved_failure(Path::new(&original)).1);
    assert!(sig.ends_with(cycle), "{sig}");
    assert_eq!(sim::signature::signature(s), sig, "{s}");
    // Under Go's ranks the same campaign stops at V2.1's rank report instead.
    let go = [
        "stress",
        "go122_stress",
        "--variant",
        "v2.2",
        "--executions",
        "5",
        "--jobs",
        "1",
    ];
    let (_, out, _) = tracesim(&[&go[..], &["--out", &format!("{d}-go")]].concat());
    assert!(out.contains(" 0 : traceStackTab 48"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(format!("{d}-go"));
}

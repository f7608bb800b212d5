//! Bounded output and crash-proof seeds: a campaign of a variant that fails on nearly every
//! execution keeps at most K failures per signature and counts the rest right; an execution
//! that aborts the process leaves its seed, and the next run with the same --out reports it;
//! `tracesim shrink` writes a replayable shrunk file and refuses bad input with exit 2.

use crate::stress::{failure_files, files, saved_failure, temp_dir, tracesim};
use std::collections::BTreeMap;

/// The number `field` starts with ("7 failures" → 7).
fn leading_number(field: &str) -> u64 {
    field.split(' ').next().unwrap().parse().unwrap()
}

/// (count, saved) per signature line of the summary.
fn signature_lines(out: &str) -> Vec<(u64, u64)> {
    out.lines()
        .filter(|l| l.starts_with("  ") && l.contains(" x ") && l.ends_with(" saved"))
        .map(|l| {
            (
                leading_number(l.trim()),
                leading_number(l.rsplit(", ").next().unwrap()),
            )
        })
        .collect()
}

#[test]
fn a_campaign_keeps_at_most_k_failures_per_signature_and_counts_the_rest() {
    let dir = temp_dir("bounded");
    let d = dir.to_str().unwrap();
    let args = [
        "stress",
        "trace_stress",
        "--variant",
        "v1.10",
        "--scheduler",
        "random",
        "--executions",
        "60",
    ];
    let (code, out, err) =
        tracesim(&[&args[..], &["--jobs", "2", "--keep", "3", "--out", d]].concat());
    assert_eq!(code, 1, "{out}{err}");
    let summary = out
        .lines()
        .find(|l| l.starts_with("trace_stress v1.10 random: 60 runs, "))
        .expect("a summary line");
    let failures = leading_number(summary.split(", ").nth(1).unwrap());
    assert!(
        failures >= 50,
        "V1.10 fails on nearly every execution: {summary}"
    );
    let sigs = signature_lines(&out);
    assert!(!sigs.is_empty(), "{out}");
    assert_eq!(
        sigs.iter().map(|s| s.0).sum::<u64>(),
        failures,
        "every failure counted once:\n{out}"
    );
    assert!(
        sigs.iter().all(|&(n, saved)| saved == n.min(3)),
        "{sigs:?}\n{out}"
    );
    let jsons = failure_files(&dir);
    assert_eq!(jsons.len() as u64, sigs.iter().map(|s| s.1).sum::<u64>());
    let mut per_sig: BTreeMap<String, usize> = BTreeMap::new();
    for j in &jsons {
        *per_sig
            .entry(sim::signature::signature(&saved_failure(j).1))
            .or_default() += 1;
    }
    assert!(per_sig.values().all(|&n| n <= 3), "{per_sig:?}");
    assert_eq!(
        files(&dir, ".timeline.html").len(),
        jsons.len() + sigs.len(),
        "a timeline each, and one per shrunk"
    );
    assert_eq!(
        files(&dir, ".shrunk.json").len(),
        sigs.len(),
        "the first of each signature is shrunk"
    );
    assert!(
        files(&dir, ".txt")
            .iter()
            .all(|p| !p.to_string_lossy().contains("running-job-")),
        "a clean end leaves no running seed"
    );
}

#[test]
fn an_execution_that_aborts_the_process_leaves_its_seed_and_the_next_run_reports_it() {
    let dir = temp_dir("crash");
    let d = dir.to_str().unwrap();
    let seed = sim::exec_seed(1, 7);
    let args = [
        "stress",
        "trace_stress",
        "--variant",
        "v1.0",
        "--executions",
        "20",
        "--jobs",
        "1",
        "--out",
        d,
    ];
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tracesim"))
        .args(args)
        .env(scenarios::crashseed::ABORT_ENV, sim::fmt_seed(seed))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), None, "killed by SIGABRT: {out:?}");
    let left = std::fs::read_to_string(dir.join("running-job-0.txt")).expect("the seed file stays");
    assert!(
        left.contains(&format!(
            "replay {} --scenario trace_stress --variant v1.0",
            sim::fmt_seed(seed)
        )),
        "{left}"
    );
    let (code, out, err) = tracesim(&args);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!(
            "killed while running execution seed {}",
            sim::fmt_seed(seed)
        )) && out.contains("execution 7 of base seed"),
        "{out}"
    );
    assert!(dir
        .join(format!("killed-{}.txt", sim::fmt_seed(seed)))
        .exists());
    let (_, again, _) = tracesim(&args);
    assert!(
        !again.contains("killed while running"),
        "reported once: {again}"
    );
}

#[test]
fn shrink_writes_a_replayable_shrunk_file_and_refuses_bad_input() {
    let dir = temp_dir("shrink-cli");
    let d = dir.to_str().unwrap();
    let (code, out, err) = tracesim(&[
        "stress",
        "trace_cpu_profile",
        "--variant",
        "v1.2",
        "--executions",
        "20",
        "--jobs",
        "1",
        "--out",
        d,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let json = failure_files(&dir).into_iter().next().expect("a failure");
    let (code, out, err) = tracesim(&["shrink", json.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("before ") && out.contains("after ") && out.contains("preemptions"),
        "{out}"
    );
    let shrunk = scenarios::shrinking::shrunk_path(&json);
    let (code, replayed, _) = tracesim(&["replay", shrunk.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(
        replayed.trim_end(),
        saved_failure(&shrunk).1.to_string(),
        "the shrunk file replays exactly"
    );
    let (code, view, _) = tracesim(&["replay", json.to_str().unwrap(), "--explain"]);
    assert_eq!(code, 1);
    assert!(
        view.contains("explaining the shrunk schedule") && view.contains("|reader-1"),
        "{view}"
    );
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{}").unwrap();
    for args in [
        vec!["shrink", bad.to_str().unwrap()],
        vec!["shrink", "/nonexistent.json"],
        vec!["shrink", json.to_str().unwrap(), "--replays", "0"],
    ] {
        let (code, _, err) = tracesim(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

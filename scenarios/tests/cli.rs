//! The `tracesim` CLI: bad input is a usage error (exit 2), never a panic; `dump` judges files.

use std::process::Command;

fn tracesim(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tracesim"))
        .args(args)
        .output()
        .expect("tracesim runs");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    for args in [
        &["run", "no_such_scenario"][..],
        &["run", "trace_stress", "--seed", "zz"],
        &["run", "trace_stress", "--scheduler", "pct:9"],
        &["run", "trace_stress", "--variant", "v9"],
        &["frobnicate"],
        &["hunt", "--seeds", "0"],
        &["hunt", "--variant", "v7"],
        &["replay", "zz", "--scenario", "trace_stress"],
        &["replay", "/no/such/failure.json"],
    ] {
        let (code, text) = tracesim(args);
        assert_eq!(code, 2, "{args:?}: {text}");
        assert!(!text.contains("panicked"), "{text}");
    }
}

#[test]
fn run_writes_a_trace_that_dump_accepts_and_a_corrupt_one_it_rejects() {
    let dir = std::env::temp_dir().join(format!("tracesim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.trace");
    let (code, text) = tracesim(&[
        "run",
        "trace_stress",
        "--seed",
        "7",
        "--executions",
        "1",
        "--trace-out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = tracesim(&["dump", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("GoCreate") && text.trim_end().ends_with("PASS"),
        "{text}"
    );
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&file, &bytes).unwrap();
    let (code, text) = tracesim(&["dump", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    let (code, _) = tracesim(&["dump", dir.join("missing").to_str().unwrap()]);
    assert_eq!(code, 2);
}

/// `shared/go-traces/NAME` beside the repository or beside its worktree directory.
fn go_trace(name: &str) -> std::path::PathBuf {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    [repo.join("../shared"), repo.join("../../shared")]
        .into_iter()
        .map(|s| s.join("go-traces").join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("shared/go-traces/{name} not found beside the repository"))
}

#[test]
fn dump_reads_both_formats_and_names_the_supported_versions() {
    let real = go_trace("go1.22-tiny-p1.trace");
    let (code, text) = tracesim(&["dump", real.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    let want = std::fs::read_to_string(go_trace("go1.22-tiny-p1.events.txt")).unwrap();
    assert_eq!(
        text,
        want + "PASS\n",
        "go1.22 dump is Go's oracle dump plus the verdict"
    );
    let (code, text) = tracesim(&["dump", "--quiet", real.to_str().unwrap()]);
    assert_eq!((code, text.as_str()), (0, "PASS\n"));
    let (code, text) = tracesim(&["dump", go_trace("go1.21-tiny-p1.trace").to_str().unwrap()]);
    assert!(code == 0 && text.contains("GoCreate"), "{text}");

    let dir = std::env::temp_dir().join(format!("tracesim-cli-v-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes = std::fs::read(&real).unwrap();
    bytes.truncate(bytes.len() - 7);
    let cut = dir.join("cut.trace");
    std::fs::write(&cut, &bytes).unwrap();
    let (code, text) = tracesim(&["dump", cut.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("FAIL: failed to read full batch"), "{text}");
    let newer = dir.join("go123.trace");
    std::fs::write(
        &newer,
        std::fs::read(go_trace("go1.23-tiny-p1.trace")).unwrap(),
    )
    .unwrap();
    let (code, text) = tracesim(&["dump", newer.to_str().unwrap()]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("go 1.23") && text.contains("go 1.21, go 1.22") && !text.contains("panicked"),
        "{text}"
    );
}

/// `shrink --rank-mode` replays under that mode: a V2.1 lock-rank failure shrinks under Go's
/// ranks, and does not replay at all with the rank check off (exit 2, saying so).
#[test]
fn shrink_replays_under_the_rank_mode_it_is_given() {
    let dir = std::env::temp_dir().join(format!("tracesim-cli-shrink-{}", std::process::id()));
    let out = dir.to_str().unwrap();
    let (code, text) = tracesim(&[
        "stress",
        "go122_stress",
        "--variant",
        "v2.1",
        "--executions",
        "1",
        "--jobs",
        "1",
        "--out",
        out,
    ]);
    assert_eq!(code, 1, "{text}");
    let json = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            n.ends_with(".json") && !n.contains(".shrunk") && !n.contains(".timeline")
        })
        .expect("stress saved the failure");
    let json = json.to_str().unwrap();
    let (code, text) = tracesim(&["shrink", json, "--replays", "50", "--rank-mode", "off"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("does not replay to its failure"), "{text}");
    let (code, text) = tracesim(&["shrink", json, "--replays", "50", "--rank-mode", "go"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = tracesim(&["shrink", json, "--rank-mode", "sideways"]);
    assert_eq!(code, 2, "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

//! The regression corpus, `scenarios/regressions.json`: every entry replays (by seed, with
//! `sim::run_single`) to its expected kind. A failure here means a planted bug is no longer found
//! by its seed, or a fixed one is back. See STRESS.md for adding entries
//! (`tracesim stress --save-regressions`).

use scenarios::corpus::{self, Entry};
use std::path::Path;

fn entries() -> Vec<Entry> {
    let entries =
        corpus::load(Path::new(corpus::DEFAULT_PATH), false).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !entries.is_empty(),
        "{} has no entries",
        corpus::DEFAULT_PATH
    );
    entries
}

#[test]
fn corpus_every_entry_replays_to_its_expected_kind() {
    let entries = entries();
    let mut errors = Vec::new();
    for e in &entries {
        match corpus::check(e) {
            Ok(what) => println!("{what}"),
            Err(why) => errors.push(why),
        }
    }
    assert!(
        errors.is_empty(),
        "{} of {} corpus entries regressed:\n\n{}",
        errors.len(),
        entries.len(),
        errors.join("\n\n")
    );
}

#[test]
fn corpus_check_rejects_a_wrong_kind_a_wrong_message_and_a_passing_execution() {
    let e = entries()
        .into_iter()
        .find(|e| e.kind == "deadlock")
        .expect("a deadlock entry");
    let wrong_kind = Entry {
        kind: "livelock".into(),
        ..e.clone()
    };
    assert!(corpus::check(&wrong_kind)
        .unwrap_err()
        .contains("expected a livelock failure"));
    let wrong_message = Entry {
        message_contains: Some("no such text".into()),
        ..e.clone()
    };
    assert!(corpus::check(&wrong_message)
        .unwrap_err()
        .contains("lacks \"no such text\""));
    let fixed = Entry {
        variant: "v1.0".into(),
        ..e.clone()
    };
    assert!(corpus::check(&fixed)
        .unwrap_err()
        .contains("but the execution passed"));
    let must_pass = Entry {
        variant: "v1.0".into(),
        kind: "pass".into(),
        message_contains: None,
        ..e
    };
    assert!(corpus::check(&must_pass).is_ok());
}

#[test]
fn corpus_entry_whose_seed_drifted_is_re_found_and_names_the_seed_to_record() {
    // Seed 0x1 passes under V1.3 (checked with `tracesim replay 0x1 --scenario trace_cpu_profile
    // --variant v1.3 --scheduler pct:2`), as a recorded seed does after the model changed.
    let e = entries()
        .into_iter()
        .find(|e| e.variant == "v1.3")
        .expect("a v1.3 entry");
    let drifted = Entry {
        seed: "0x1".into(),
        ..e
    };
    let what = corpus::check(&drifted).expect("the bug is still found within the re-hunt budget");
    println!("{what}");
    assert!(
        what.contains("still found") && what.contains("re-record"),
        "{what}"
    );
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tracesim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn corpus_append_adds_only_new_combinations_and_keeps_every_entry() {
    let dir = temp_dir("corpus-append");
    let path = dir.join("regressions.json");
    let seeded = entries();
    std::fs::write(&path, corpus::render(&seeded[..2])).unwrap();
    let added = corpus::append(&path, &seeded).unwrap();
    assert_eq!(added, seeded[2..].to_vec());
    let again = corpus::append(&path, &seeded).unwrap();
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(corpus::load(&path, false).unwrap(), seeded);
    let other_seed = Entry {
        seed: "0x1".into(),
        ..seeded[0].clone()
    };
    assert!(
        corpus::append(&path, &[other_seed]).unwrap().is_empty(),
        "same (scenario, variant, kind)"
    );
    assert!(!dir.join("regressions.json.tmp").exists());
}

#[test]
fn corpus_malformed_files_are_errors_that_name_the_problem() {
    let dir = temp_dir("corpus-malformed");
    let path = dir.join("regressions.json");
    for (text, says) in [
        ("{", "not a JSON array"),
        ("[{\"scenario\":\"trace_stress\"}]", "missing field"),
        ("[{\"scenario\":\"nope\",\"variant\":\"v1.0\",\"scheduler\":\"random\",\"seed\":\"1\",\"kind\":\"panic\"}]", "entry 1: unknown scenario"),
        ("[{\"scenario\":\"trace_stress\",\"variant\":\"v1.0\",\"scheduler\":\"random\",\"seed\":\"1\",\"kind\":\"oops\"}]", "unknown kind"),
        ("[{\"scenario\":\"trace_stress\",\"variant\":\"v1.0\",\"scheduler\":\"random\",\"seed\":\"1\",\"kind\":\"pass\",\"typo\":1}]", "unknown field"),
    ] {
        std::fs::write(&path, text).unwrap();
        let err = corpus::append(&path, &entries()).unwrap_err();
        assert!(err.contains("malformed regression corpus") && err.contains(says), "{text}: {err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "a malformed corpus is never overwritten");
    }
}

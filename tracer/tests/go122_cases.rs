//! Go's own go1.22 reader test cases (`src/internal/trace/v2/testdata/tests/*.test` in Go 1.22's
//! sources: a text trace plus `SUCCESS` or `FAILURE "<pattern>"`), run through our reader and
//! validator. They must agree with Go on every case.
//!
//! Go's sources are found at `$ORACLE_GOROOT_1_22`, else `/usr/lib/go-1.22`, else the newest
//! `$HOME/sdk/go1.22.*` (the oracle's rules). When none is there the test fails and says how to
//! install them (`../shared/tools/go-trace-oracle/install-go.sh 1.22`), unless
//! `TRACESIM_WITHOUT_GO_SOURCES=1` is set, which skips the cases and says so on stderr.

use std::path::PathBuf;
use tracer::go122::wire::{self, text};

fn goroot() -> Option<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Ok(g) = std::env::var("ORACLE_GOROOT_1_22") {
        roots.push(g.into());
    }
    roots.push("/usr/lib/go-1.22".into());
    if let Ok(home) = std::env::var("HOME") {
        let sdk = PathBuf::from(home).join("sdk");
        let mut found: Vec<PathBuf> = std::fs::read_dir(sdk)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("go1.22."))
            })
            .collect();
        found.sort();
        roots.extend(found.into_iter().rev());
    }
    roots.into_iter().find(|r| cases_dir(r).is_dir())
}

fn cases_dir(root: &std::path::Path) -> PathBuf {
    root.join("src/internal/trace/v2/testdata/tests")
}

#[test]
pub fn go122_gos_own_test_cases_agree_with_go() {
    let Some(root) = goroot() else {
        let msg = "Go 1.22 sources not found ($ORACLE_GOROOT_1_22, /usr/lib/go-1.22, \
                   ~/sdk/go1.22.*): install them with ../shared/tools/go-trace-oracle/install-go.sh 1.22";
        if std::env::var("TRACESIM_WITHOUT_GO_SOURCES").as_deref() == Ok("1") {
            eprintln!("SKIPPED go1.22 test cases: {msg} (TRACESIM_WITHOUT_GO_SOURCES=1)");
            return;
        }
        panic!("{msg}; or set TRACESIM_WITHOUT_GO_SOURCES=1 to skip these cases explicitly");
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir(&root))
        .expect("cases dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "test"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 19,
        "expected Go 1.22's 19 cases, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let src = std::fs::read_to_string(f).expect("readable case");
        let (expect, data) = text::parse_test(&src).unwrap_or_else(|e| panic!("{name}: {e}"));
        let v = wire::read_and_validate(&data, false);
        let err = v.error.as_ref().map(|e| e.message.as_str());
        if let Err(why) = expect.check(err) {
            failures.push(format!("{name}: {why}"));
        }
    }
    eprintln!(
        "go1.22 test cases from {}: {} run",
        root.display(),
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! go1.22: Go's real traces against Go's own dumps, the hand-built traces' dumps (insta
//! snapshots `snapshots/go122_*.snap`), and the encoder's byte layout.

use crate::go122_traces::*;
use tracer::go122::wire::{self, check, dump, enc, ev::*};

const TRACES_122: [&str; 3] = ["go1.22-tiny-p1", "go1.22-tiny-p2", "go1.22-gotest"];

fn text(name: &str) -> String {
    String::from_utf8(go_trace(name)).expect("utf-8 dump")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Writes the hand-built traces to `$WIRE_TRACE_DIR_122` (when set), with `NAME.want` holding
/// the oracle's expected verdict line, for `scripts/go-conformance.sh`.
#[test]
pub fn go122_hand_built_traces_are_written_for_the_oracle_on_request() {
    let Ok(dir) = std::env::var("WIRE_TRACE_DIR_122") else {
        return;
    };
    std::fs::write(format!("{dir}/valid.trace"), valid_trace()).unwrap();
    std::fs::write(format!("{dir}/valid.want"), "PASS\n").unwrap();
    for (name, data, msg) in error_traces() {
        std::fs::write(format!("{dir}/error-{name}.trace"), data).unwrap();
        std::fs::write(format!("{dir}/error-{name}.want"), format!("FAIL: {msg}\n")).unwrap();
    }
}

#[test]
pub fn go122_real_traces_read_exactly_like_gos_reader_and_validator() {
    for name in TRACES_122 {
        let data = go_trace(&format!("{name}.trace"));
        let v = wire::read_and_validate(&data, true);
        assert_eq!(v.error, None, "{name}");
        assert_eq!(v.text, text(&format!("{name}.events.txt")), "{name}");
        let verdict = format!(
            "PASS: {} events (go1.22 internal/trace reader + testtrace.Validator)\n",
            v.events
        );
        assert_eq!(verdict, text(&format!("{name}.verdict.txt")), "{name}");
        assert_eq!(check::check(&data), vec![], "{name}: structural checks");
    }
}

#[test]
pub fn go122_real_traces_raw_dump_like_go_tool_trace() {
    for name in TRACES_122 {
        let data = go_trace(&format!("{name}.trace"));
        let raw = dump::raw_text(&data).unwrap_or_else(|(_, e)| panic!("{name}: {e}"));
        assert_eq!(raw, text(&format!("{name}.raw.txt")), "{name}");
    }
}

#[test]
pub fn go122_hand_built_trace_dump() {
    let data = valid_trace();
    let v = wire::read_and_validate(&data, true);
    assert_eq!(v.error, None);
    assert_eq!(check::check(&data), vec![]);
    snapshot("go122_valid_trace_events", &v.text);
    snapshot("go122_valid_trace_raw", &dump::raw_text(&data).unwrap());
}

#[test]
pub fn go122_hand_built_errors_carry_gos_messages() {
    for (name, data, msg) in error_traces() {
        let v = wire::read_and_validate(&data, false);
        let err = v.error.unwrap_or_else(|| panic!("{name}: accepted"));
        let first = err.message.lines().next().unwrap_or("");
        assert_eq!(first, msg, "{name}");
    }
}

#[test]
pub fn go122_encoder_writes_the_runtime_layout() {
    let mut out = Vec::new();
    let at = enc::batch_begin(&mut out, 3, 300, 129);
    enc::event(&mut out, EV_GO_START, 2, &[130, 1]);
    enc::batch_end(&mut out, at);
    let mut want = vec![EV_EVENT_BATCH, 3, 0xac, 0x02, 0x81, 0x01];
    want.extend([0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    want.extend([EV_GO_START, 2, 0x82, 0x01, 1]);
    assert_eq!(out, want);
    let mut s = Vec::new();
    enc::string(&mut s, 1, &[b'x'; 2000]);
    assert_eq!(s.len(), 1 + 1 + 2 + 1024, "strings are cut to 1024 bytes");
}

#[test]
pub fn go122_encoder_does_not_allocate_when_the_vec_has_capacity() {
    let cap = enc::BATCH_HEADER_BYTES_MAX
        + enc::EVENT_BYTES_MAX
        + enc::stack_bytes_max(2)
        + enc::string_bytes_max(4)
        + enc::CPU_SAMPLE_BYTES_MAX
        + enc::FREQUENCY_BYTES_MAX;
    let mut out = Vec::with_capacity(cap);
    let ptr = out.as_ptr();
    let max = u64::MAX;
    let at = enc::batch_begin(&mut out, max, max, max);
    enc::event(&mut out, EV_USER_LOG, max, &[max, max, max, max]);
    let f = tracer::common::wire::Frame {
        pc: max,
        func_id: max,
        file_id: max,
        line: max,
    };
    enc::stack(&mut out, max, &[f, f]);
    enc::string(&mut out, max, b"abcd");
    let s = enc::CpuSample {
        ts: max,
        m: max,
        p: max,
        g: max,
        stack: max,
    };
    enc::cpu_sample(&mut out, &s);
    enc::frequency(&mut out, max);
    enc::batch_end(&mut out, at);
    assert!(out.len() <= cap);
    assert_eq!(out.as_ptr(), ptr);
}

/// `traceMap.put` gives a stack one id per generation; two ids for the same PCs in one
/// generation (two puts that both inserted it: mutant M24, the skipped re-check under the lock)
/// are I5, though Go's reader accepts the file.
#[test]
pub fn go122_one_stack_under_two_ids_is_i5() {
    let mut data = valid_trace();
    batch(&mut data, 2, enc::NO_M, 0, |o| {
        enc::stacks_begin(o);
        let f = tracer::common::wire::Frame {
            pc: 0x403000,
            func_id: 4,
            file_id: 2,
            line: 34,
        };
        enc::stack(o, 3, &[f]);
    });
    assert_eq!(
        wire::read_and_validate(&data, true).error,
        None,
        "Go's reader accepts it"
    );
    let v = check::check(&data);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].invariant, "I5");
    assert_eq!(
        v[0].message,
        "stack 3 has the PCs of stack 2 in generation 2: one stack, two ids"
    );
}

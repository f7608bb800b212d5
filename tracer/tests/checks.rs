//! The structural checks Go's old parser does not do (I3, I5, I6, I7, I15).

use crate::traces::*;
use crate::util::*;

/// Checks `data` and returns the rendered violations.
pub fn violations(data: &[u8]) -> Vec<String> {
    check::check_bytes(data)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
pub fn check_reports_a_stack_referenced_but_never_defined_as_i5() {
    let mut data = minimal_trace();
    let syscall = decode(&data)
        .unwrap()
        .events
        .iter()
        .rev()
        .find(|r| r.typ == EV_GO_SYS_CALL)
        .unwrap()
        .clone();
    data[syscall.end - 1] = 7; // its one-byte stack id
    assert!(
        parse(&data).is_ok(),
        "Go's parser accepts the missing stack"
    );
    let want = format!("I5 violated at byte {} (batch 0, p=0, event 7 GoSysCall): stack 7 is referenced but never defined", syscall.off);
    assert_eq!(violations(&data), vec![want]);
}

#[test]
pub fn check_reports_a_string_defined_twice_as_i6() {
    let mut data = minimal_trace();
    let at = data.len();
    enc::string(&mut data, 11, b"other.go");
    assert_eq!(
        decode(&data).unwrap_err().message,
        format!("string at offset {} has duplicate id 11", at + 2)
    );
    let want = format!("I6 violated at byte {at} (batch 1, p=0, event 11 String): string 11 is defined more than once (first at byte 88)");
    assert_eq!(violations(&data), vec![want]);
}

#[test]
pub fn check_reports_a_missing_frequency_as_i7() {
    let data = minimal_trace();
    let footer_at = dec::decode(&data).unwrap().batches[1].off;
    let mut cut = data[..footer_at].to_vec();
    enc::batch(&mut cut, 0, 1_000_100);
    let mut got = violations(&cut);
    assert_eq!(
        got.pop(),
        Some(format!(
            "I7 violated at byte {}: no EvFrequency event",
            cut.len()
        ))
    );
    assert!(
        got.iter().all(|v| v.starts_with("I5")),
        "without the footer no stack is defined: {got:#?}"
    );
}

#[test]
pub fn check_reports_events_after_the_footer_and_zero_time_deltas() {
    let mut data = minimal_trace();
    let at = data.len();
    enc::event(&mut data, EV_GO_SYS_CALL, 0, &[], Some(3));
    let got = violations(&data);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].starts_with(&format!(
        "I3 violated at byte {at} (batch 1, p=0, event 11 GoSysCall)"
    )));
    assert!(got[1].starts_with(&format!(
        "I7 violated at byte {at} (batch 1, p=0, event 11 GoSysCall): event after"
    )));
}

#[test]
pub fn check_reports_oversized_stacks_and_batches_as_i15() {
    let mut data = minimal_trace();
    let stack_at = data.len();
    enc::stack(&mut data, 9, &[Frame::default(); 1001]);
    enc::string(&mut data, 99, &[b'x'; 70_000]);
    let got = violations(&data);
    let frames = format!("I15 violated at byte {stack_at} (batch 1, p=0, event 11 Stack): stack has 1001 frames (max 1000)");
    let batch = "I15 violated at byte 66 (batch 1, p=0): batch of ".to_string();
    assert!(got.contains(&frames), "{got:#?}");
    assert!(
        got.iter()
            .any(|v| v.starts_with(&batch) && v.ends_with("bytes (max 65536)")),
        "{got:#?}"
    );
    assert_eq!(
        got.len(),
        2,
        "a 70 000-byte string is within the 1e6 limit: {got:#?}"
    );
}

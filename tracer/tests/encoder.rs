//! The encoder: values round-trip, the length-prefixed form, padded stack lengths, no allocation.

use crate::traces::*;
use crate::util::*;

#[test]
pub fn encoder_events_decode_to_the_values_written() {
    let mut out = Vec::new();
    enc::header(&mut out);
    enc::batch(&mut out, -1, u64::MAX >> 1);
    enc::event(&mut out, EV_PROC_STOP, 300, &[], None);
    enc::event(&mut out, EV_GO_START, 1, &[1 << 40, 7], None);
    enc::event(&mut out, EV_GO_UNBLOCK, 2, &[5, 9], Some(u64::MAX));
    enc::event(&mut out, EV_GO_SYS_EXIT, 3, &[5, 10, 123_456_789], None);
    enc::cpu_sample(&mut out, 4, 99, -1, 5, 6);
    enc::user_log(&mut out, 5, 1, 2, 3, b"msg");
    enc::string(&mut out, 8, "é".as_bytes());
    let d = decode(&out).unwrap();
    let got: Vec<(u8, Vec<u64>)> = d.events.iter().map(|r| (r.typ, r.args.to_vec())).collect();
    let want = vec![
        (EV_BATCH, vec![u64::MAX, u64::MAX >> 1]),
        (EV_PROC_STOP, vec![300]),
        (EV_GO_START, vec![1, 1 << 40, 7]),
        (EV_GO_UNBLOCK, vec![2, 5, 9, u64::MAX]),
        (EV_GO_SYS_EXIT, vec![3, 5, 10, 123_456_789]),
        (EV_CPU_SAMPLE, vec![4, 99, u64::MAX, 5, 6]),
        (EV_USER_LOG, vec![5, 1, 2, 3]),
        (EV_STRING, vec![8]),
    ];
    assert_eq!(got, want);
    assert_eq!(d.events[6].data.as_deref(), Some(&b"msg"[..]));
    assert_eq!(d.events[7].data.as_deref(), Some("é".as_bytes()));
    assert_eq!(d.batches.len(), 1);
    assert_eq!((d.batches[0].p, d.batches[0].events.clone()), (-1, 1..8));
}

#[test]
pub fn encoder_uses_the_length_prefixed_form_for_three_or_more_values() {
    let mut out = Vec::new();
    enc::event(&mut out, EV_GO_START, 1, &[2, 3], None);
    assert_eq!(
        out,
        [EV_GO_START | 2 << 6, 1, 2, 3],
        "two values: inline, count bits 2"
    );
    out.clear();
    enc::event(&mut out, EV_GO_UNBLOCK, 1, &[2, 300], Some(4));
    assert_eq!(
        out,
        [EV_GO_UNBLOCK | 3 << 6, 5, 1, 2, 0xac, 0x02, 4],
        "three values: length byte 5"
    );
    out.clear();
    enc::batch(&mut out, -1, 5);
    assert_eq!(
        out,
        [0x41, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 5]
    );
    out.clear();
    enc::string(&mut out, 3, b"ab");
    assert_eq!(
        out,
        [EV_STRING, 3, 2, b'a', b'b'],
        "EvString has no count bits"
    );
}

#[test]
pub fn encoder_stack_record_has_a_ten_byte_padded_length() {
    let mut out = Vec::new();
    enc::stack(&mut out, 7, &[frame(0x48060b, 1, 2, 27)]);
    let mut want = vec![EV_STACK | 3 << 6, 0x89]; // length 9, padded to ten bytes
    want.extend([0x80; 8]);
    want.push(0);
    want.extend([7, 1, 0x8b, 0x8c, 0xa0, 0x02, 1, 2, 27]);
    assert_eq!(out, want);
    assert!(out.len() <= enc::stack_bytes_max(1));
}

#[test]
pub fn encoder_does_not_allocate_when_the_vec_has_capacity() {
    let mut out = Vec::with_capacity(enc::EVENT_BYTES_MAX * 3 + enc::stack_bytes_max(2));
    let ptr = out.as_ptr();
    enc::event(
        &mut out,
        EV_USER_TASK_CREATE,
        u64::MAX,
        &[u64::MAX, u64::MAX, u64::MAX],
        Some(u64::MAX),
    );
    assert_eq!(
        out.len(),
        enc::EVENT_BYTES_MAX,
        "worst case fills EVENT_BYTES_MAX exactly"
    );
    enc::cpu_sample(&mut out, u64::MAX, u64::MAX, -1, u64::MAX, u64::MAX);
    let max = u64::MAX;
    enc::stack(&mut out, max, &[frame(max, max, max, max); 2]);
    assert_eq!(out.as_ptr(), ptr);
}

//! Malformed input: every truncation and random garbage is rejected, never a panic; Go's messages.

use crate::traces::*;
use crate::util::*;

#[test]
pub fn truncation_at_every_length_is_rejected_by_parse_or_check() {
    let mut inputs = vec![minimal_trace(), two_p_trace()];
    inputs.extend(TRACES_121.iter().map(|n| read(&format!("{n}.trace"))));
    for data in inputs {
        for len in 0..data.len() {
            let cut = &data[..len];
            let parsed = parse(cut);
            let violations = check::check_bytes(cut);
            let rejected = parsed.is_err() || violations.map_or(true, |v| !v.is_empty());
            assert!(
                rejected,
                "a trace cut to {len} of {} bytes was accepted",
                data.len()
            );
        }
    }
}

/// Marsaglia's xorshift64, for reproducible garbage.
pub struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Runs everything that reads bytes; panics are the failure this guards against.
pub fn exercise(data: &[u8]) -> bool {
    let parsed = parse(data);
    if let Ok(d) = decode_lenient(data) {
        let _ = (dump::raw_text(&d), check::check(&d));
    }
    if let Ok(t) = &parsed {
        let _ = dump::events_text(t, true);
    }
    parsed.is_err()
}

#[test]
pub fn random_garbage_is_rejected_without_panicking() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for round in 0..2000 {
        let len = 64 + (rng.next() % 512) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        assert!(exercise(&data), "garbage round {round} parsed");
        data[..16].copy_from_slice(enc::HEADER);
        assert!(
            exercise(&data),
            "garbage round {round} with a header parsed"
        );
    }
}

#[test]
pub fn random_byte_flips_of_a_valid_trace_never_panic() {
    let mut rng = XorShift(21);
    let base = two_p_trace();
    for _ in 0..5000 {
        let mut data = base.clone();
        for _ in 0..1 + rng.next() % 3 {
            let i = 16 + (rng.next() as usize) % (data.len() - 16);
            data[i] ^= rng.next() as u8 | 1;
        }
        exercise(&data);
    }
}

#[test]
pub fn huge_lengths_are_errors_not_allocations() {
    let mut data = enc::HEADER.to_vec();
    data.extend_from_slice(&[EV_STRING, 1, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert_eq!(
        decode(&data).unwrap_err().message,
        "string at offset 23 has too large length 4294967295"
    );
    let mut data = enc::HEADER.to_vec();
    data.extend_from_slice(&[EV_GO_UNBLOCK | 3 << 6, 0xff, 0xff, 0xff, 0x7f, 1]);
    let msg = decode(&data).unwrap_err().message;
    assert_eq!(msg, "failed to read event 21 argument at offset 0 (failed to read trace at offset 22: read 0, error EOF)");
}

#[test]
pub fn header_errors_use_gos_messages() {
    let err = |d: &[u8]| decode(d).unwrap_err().to_string();
    assert_eq!(err(b""), "failed to read header: read 0, err EOF");
    assert_eq!(
        err(b"go 1.21"),
        "failed to read header: read 7, err unexpected EOF"
    );
    assert_eq!(err(b"go 1.21 trace\0\0X"), "not a trace file");
    assert_eq!(
        err(b"go 1.22 trace\0\0\0"),
        "unsupported trace file version 1.22 (update Go toolchain) 1022"
    );
    let mut data = enc::HEADER.to_vec();
    data.push(55);
    assert_eq!(err(&data), "unknown event type 55 at offset 0x10");
    data[16] = EV_GO_START | 3 << 6;
    data.extend_from_slice(&[2, 1, 0x80, 0x01]);
    assert_eq!(
        err(&data),
        "event has wrong length at offset 0x10: want 2, got 3"
    );
    assert_eq!(decode(&data).unwrap_err().offset, Some(16));
}

#[test]
pub fn parse_errors_use_gos_messages() {
    let mut data = enc::HEADER.to_vec();
    assert_eq!(parse(&data).unwrap_err().message, "trace is empty");
    enc::batch(&mut data, 0, 10);
    enc::event(&mut data, EV_GO_START, 1, &[1, 0], None);
    assert_eq!(parse(&data).unwrap_err().message, "no EvFrequency event");
    enc::frequency(&mut data, FREQ);
    assert_eq!(
        parse(&data).unwrap_err().message,
        "no consistent ordering of events possible"
    );
    let mut data = enc::HEADER.to_vec();
    enc::batch(&mut data, 0, 10);
    enc::event(&mut data, EV_PROC_START, 1, &[0], None);
    enc::event(&mut data, EV_PROC_START, 1, &[0], None);
    enc::frequency(&mut data, FREQ);
    assert_eq!(
        parse(&data).unwrap_err().message,
        "p 0 is running before start (offset 22, time 64)"
    );
    enc::event(&mut data, EV_PROC_STOP, 1, &[5], None);
    assert_eq!(
        parse(&data).unwrap_err().message,
        "ProcStop has wrong number of arguments at offset 0x1e: want 1, got 2"
    );
}

//! The go1.21 details the model keeps exact: the profBuf's overflow record and the validator's
//! accounting (one id per distinct stack in a session); what Go's viewer needs.

use crate::traces::{frame, minimal_trace};
use crate::util::*;
use tracer::common::profbuf::Record;
use tracer::go121::cpu::{Cpu, Sample};
use tracer::go121::ghost::Ghost;
use tracer::go121::validate::validate_session;
use tracer::go121::{Config, Trace};
use tracer::Variant;

fn sample(ts: u64) -> Sample {
    Sample {
        ts,
        len: 1,
        ..Sample::default()
    }
}

#[test]
fn a_full_profbuf_counts_dropped_samples_in_an_overflow_record() {
    let cpu = Cpu::new(1, 2);
    let ring = &cpu.profbufs[0];
    assert_eq!(ring.write(sample(1)), Some(0));
    assert_eq!(ring.write(sample(2)), Some(1));
    assert_eq!(ring.write(sample(3)), None, "full: dropped and counted");
    assert_eq!(ring.overflow_pending(), 1);
    let ts = |r: Option<Record<Sample>>| match r {
        Some(Record::Sample(s)) => Some(s.ts),
        _ => None,
    };
    assert_eq!(ts(ring.read()), Some(1));
    assert_eq!(
        ring.write(sample(4)),
        None,
        "an overflow record and a sample need two slots"
    );
    assert_eq!(ts(ring.read()), Some(2));
    assert_eq!(
        ring.write(sample(5)),
        Some(3),
        "after the overflow record at 2"
    );
    let lost = |r: Option<Record<Sample>>| match r {
        Some(Record::Lost(n)) => Some(n),
        _ => None,
    };
    assert_eq!(lost(ring.read()), Some(2), "the overflow record");
    assert_eq!(ts(ring.read()), Some(5));
    assert_eq!(ring.write(sample(6)), Some(4));
    assert_eq!(ring.write(sample(7)), Some(5));
    assert_eq!(ring.write(sample(8)), None);
    assert_eq!(ts(ring.read()), Some(6));
    assert_eq!(ts(ring.read()), Some(7));
    assert_eq!(
        lost(ring.read()),
        Some(1),
        "a pending count is read as an overflow record"
    );
    assert!(ring.read().is_none());
}

fn tracer() -> Trace {
    Trace::new(Config {
        emitters: 1,
        buf_bytes: 1024,
        sessions: 1,
        profbuf_slots: 2,
        stack_slots: 8,
        cpu_profile: false,
        variant: Variant::V1_0,
    })
}

#[test]
fn the_validator_accepts_one_id_per_stack_and_rejects_two_ids_for_one_stack() {
    let t = tracer();
    let good = minimal_trace();
    // The stack checks pass; what fails later is the viewer check (g1 never ends) or, with an
    // empty ghost log, the exactly-once comparison.
    let e = validate_session(&t, 1, &good, &Ghost::default()).unwrap_err();
    assert!(
        e.starts_with("Go's go1.21 viewer") || e.starts_with("I2 violated"),
        "{e}"
    );
    let mut twice = good.clone();
    // Stack 5 repeats stack 1's PCs: go1.21's put would have returned 1 again.
    enc::stack(&mut twice, 5, &[frame(0x401000, 10, 11, 10)]);
    let e = validate_session(&t, 1, &twice, &Ghost::default()).unwrap_err();
    assert!(
        e.starts_with("I5 violated: stacks 1 and 5 are both defined with PCs [401000]"),
        "{e}"
    );
}

#[test]
fn a_goroutine_slice_that_never_ends_is_what_go_s_viewer_panics_on() {
    // The minimal trace's g1 starts and never stops, blocks or ends (Go's parser accepts it).
    let parsed = parse(&minimal_trace()).expect("Go's parser accepts it");
    let e = tracer::go121::viewer::viewable(&parsed).unwrap_err();
    assert!(
        e.contains("goroutine 1's slice") && e.contains("never ends"),
        "{e}"
    );
}

//! Tests of `tracer::wire`, the go1.21 trace format: real Go traces against Go's own dumps,
//! encoder round trips, hand-built traces checked against Go's oracle, malformed input, and the
//! structural checks.
//!
//! The expected texts of the hand-built traces (minimal, two-P, features, errors) are what Go's
//! oracle printed for the same bytes. To check them again (needs Go 1.21):
//!
//! ```text
//! WIRE_TRACE_DIR=/tmp/w cargo test -p tracer --test wire hand_built
//! shared/tools/go-trace-oracle/go-trace-oracle.sh /tmp/w/minimal.trace   # and the others
//! ```
//!
//! (`error-NN.want` beside each `error-NN.trace` holds the expected `FAIL:` line.)

use tracer::wire::dec::{self, decode_lenient};
use tracer::wire::ev::*;
use tracer::wire::{check, decode, dump, enc, parse, Frame};

const GO_TRACES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/go-traces/");
const TRACES_121: [&str; 3] = ["go1.21-tiny-p1", "go1.21-tiny-p2", "go1.21-gotest"];

fn read(name: &str) -> Vec<u8> {
    let path = format!("{GO_TRACES}{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn read_text(name: &str) -> String {
    String::from_utf8(read(name)).expect("utf-8 dump")
}

// ---------------------------------------------------------------------------------------------
// Hand-built traces.

/// Frequency of the hand-built traces: nanotime/64, as on amd64.
const FREQ: u64 = 15_625_000;

/// The minimal single-P trace: g0 creates g1, P0 starts, g1 starts and makes three syscalls
/// and one `trace.Log`; then the footer (frequency, frame strings, stacks).
fn minimal_trace() -> Vec<u8> {
    let mut out = Vec::new();
    enc::header(&mut out);
    enc::batch(&mut out, 0, 1_000_000);
    enc::event(&mut out, EV_GO_CREATE, 1, &[1, 1], Some(2));
    enc::event(&mut out, EV_PROC_START, 1, &[0], None);
    enc::event(&mut out, EV_GO_START, 1, &[1, 1], None);
    enc::event(&mut out, EV_GO_SYS_CALL, 5, &[], Some(3));
    enc::event(&mut out, EV_GO_SYS_CALL, 5, &[], Some(3));
    enc::string(&mut out, 1, b"category");
    enc::user_log(&mut out, 5, 0, 1, 4, b"hello");
    enc::event(&mut out, EV_GO_SYS_CALL, 5, &[], Some(3));
    footer(&mut out, 1_000_100);
    out
}

fn frame(pc: u64, func_id: u64, file_id: u64, line: u64) -> Frame {
    Frame {
        pc,
        func_id,
        file_id,
        line,
    }
}

/// Appends an event with time delta 1 and, if its type carries one, stack 1.
fn ev(out: &mut Vec<u8>, typ: u8, args: &[u64]) {
    let stack = desc(typ).unwrap().stack.then_some(1);
    enc::event(out, typ, 1, args, stack);
}

/// The start of the feature and error traces: g0 creates g1, g2 (found blocked: GoWaiting) and
/// g3 (found in a syscall: GoInSyscall); g2 is the timer goroutine; P0 starts and runs g1.
fn prelude() -> Vec<u8> {
    let mut o = Vec::new();
    enc::header(&mut o);
    enc::batch(&mut o, 0, 1000);
    enc::event(&mut o, EV_GO_CREATE, 1, &[1, 1], Some(2));
    enc::event(&mut o, EV_GO_CREATE, 1, &[2, 1], Some(2));
    ev(&mut o, EV_GO_WAITING, &[2]);
    enc::event(&mut o, EV_GO_CREATE, 1, &[3, 1], Some(2));
    ev(&mut o, EV_GO_IN_SYSCALL, &[3]);
    o.extend([EV_TIMER_GOROUTINE, 2]); // [g], no timestamp; go1.21's runtime no longer emits it
    ev(&mut o, EV_PROC_START, &[0]);
    ev(&mut o, EV_GO_START, &[1, 1]);
    o
}

/// A footer with stacks 1 and 2 only.
fn small_footer(out: &mut Vec<u8>) {
    enc::batch(out, 0, 2000);
    enc::frequency(out, FREQ);
    enc::string(out, 10, b"main.main");
    enc::string(out, 11, b"main.go");
    enc::stack(out, 1, &[frame(0x401000, 10, 11, 10)]);
    enc::stack(out, 2, &[frame(0x402000, 10, 11, 20)]);
}

/// Every event type the go1.21 parser treats specially: tasks, regions, logs, GC, STW (known
/// and unknown kinds), mark assist, sweep, syscall exit with a real timestamp, timer and
/// network unblocks, a labelled start, `Local` events, a futile wakeup, a CPU sample without P.
fn features_trace() -> Vec<u8> {
    let mut o = prelude();
    enc::string(&mut o, 1, b"task\"name\n");
    enc::string(&mut o, 2, b"region");
    enc::string(&mut o, 3, b"GC (dedicated)");
    ev(&mut o, EV_USER_TASK_CREATE, &[5, 0, 1]);
    ev(&mut o, EV_USER_REGION, &[5, 0, 2]);
    enc::user_log(&mut o, 1, 5, 2, 1, "m\u{20ac}".as_bytes());
    ev(&mut o, EV_USER_REGION, &[5, 1, 2]);
    ev(&mut o, EV_USER_TASK_END, &[5]);
    ev(&mut o, EV_GC_START, &[0]);
    for kind in [1, 99] {
        ev(&mut o, EV_STW_START, &[kind]);
        ev(&mut o, EV_STW_DONE, &[]);
    }
    for typ in [
        EV_GC_MARK_ASSIST_START,
        EV_GC_MARK_ASSIST_DONE,
        EV_GC_MARK_ASSIST_DONE,
        EV_GC_DONE,
    ] {
        ev(&mut o, typ, &[]);
    }
    ev(&mut o, EV_GC_SWEEP_START, &[]);
    ev(&mut o, EV_GC_SWEEP_DONE, &[10, 20]);
    ev(&mut o, EV_GO_SYS_EXIT, &[3, 2, 1005]);
    ev(&mut o, EV_GO_UNBLOCK, &[2, 2]);
    ev(&mut o, EV_HEAP_GOAL, &[1 << 22]);
    ev(&mut o, EV_GO_BLOCK_NET, &[]);
    ev(&mut o, EV_GO_START_LABEL, &[2, 3, 3]);
    ev(&mut o, EV_GO_UNBLOCK, &[1, 2]);
    ev(&mut o, EV_GO_SCHED, &[]);
    enc::batch(&mut o, 1, 1100);
    ev(&mut o, EV_PROC_START, &[4]);
    ev(&mut o, EV_GO_START, &[3, 3]);
    for typ in [EV_GO_SYS_CALL, EV_GO_SYS_BLOCK, EV_PROC_STOP] {
        ev(&mut o, typ, &[]);
    }
    enc::batch(&mut o, 0, 1200);
    ev(&mut o, EV_GO_START, &[1, 3]);
    ev(&mut o, EV_GO_BLOCK, &[]);
    enc::batch(&mut o, 1, 1300);
    ev(&mut o, EV_PROC_START, &[4]);
    ev(&mut o, EV_GO_SYS_EXIT, &[3, 4, 1250]);
    ev(&mut o, EV_GO_START_LOCAL, &[3]);
    ev(&mut o, EV_GO_UNBLOCK_LOCAL, &[1]);
    ev(&mut o, EV_FUTILE_WAKEUP, &[]);
    ev(&mut o, EV_GO_END, &[]);
    ev(&mut o, EV_GO_START_LOCAL, &[1]);
    ev(&mut o, EV_FUTILE_WAKEUP, &[]);
    ev(&mut o, EV_GO_BLOCK_SYNC, &[]);
    enc::cpu_sample(&mut o, 1, 1320, -1, 0, 2);
    small_footer(&mut o);
    o
}

/// Traces that break one rule of Go's parser each, with Go's message (as the oracle printed it).
fn error_traces() -> Vec<(Vec<u8>, &'static str)> {
    type Case = (fn(&mut Vec<u8>), &'static str);
    let cases: [Case; 11] = [
        (
            |o| ev(o, EV_GC_DONE, &[]),
            "bogus GC end (offset 53, time 448)",
        ),
        (
            |o| [1, 1].iter().for_each(|&k| ev(o, EV_STW_START, &[k])),
            "previous STW is not ended before a new one (offset 56, time 512)",
        ),
        (
            |o| (0..2).for_each(|_| ev(o, EV_GC_SWEEP_START, &[])),
            "previous sweeping is not ended before a new one (offset 56, time 512)",
        ),
        (
            |o| (0..2).for_each(|_| ev(o, EV_GC_MARK_ASSIST_START, &[])),
            "previous mark assist is not ended before a new one (offset 56, time 512)",
        ),
        (
            |o| ev(o, EV_USER_REGION, &[5, 2, 1]),
            r#"invalid user region mode: "448 UserRegion p=0 g=1 off=53 taskid=5 mode=2 typeid=1 name=""#,
        ),
        (
            |o| {
                enc::string(o, 1, b"a");
                enc::string(o, 2, b"b");
                ev(o, EV_USER_REGION, &[5, 0, 1]);
                ev(o, EV_USER_REGION, &[5, 1, 2]);
            },
            r#"misuse of region in goroutine 1: span end "512 UserRegion p=0 g=1 off=68 taskid=5 mode=1 typeid=2 name=b" when the inner-most active span start event is "448 UserRegion p=0 g=1 off=61 taskid=5 mode=0 typeid=1 name=a""#,
        ),
        (
            |o| {
                enc::string(o, 1, b"t\x01");
                (0..2).for_each(|_| ev(o, EV_USER_TASK_CREATE, &[5, 0, 1]));
            },
            r#"task id conflicts (id:5), "512 UserTaskCreate p=0 g=1 off=65 taskid=5 pid=0 typeid=1 name=t\x01" vs "448 UserTaskCreate p=0 g=1 off=58 taskid=5 pid=0 typeid=1 name=t\x01""#,
        ),
        (|o| ev(o, EV_GO_SYS_EXIT, &[2, 2, 5]), "stray syscall exit"),
        (
            |o| ev(o, EV_GO_SYS_EXIT_LOCAL, &[3, 0]),
            "g 1 is not waiting during syscall exit (offset 53, time 448)",
        ),
        (
            |o| enc::stack(o, 9, &[Frame::default(); 1001]),
            "EvStack has bad number of frames at offset 0x35: 1001",
        ),
        (|o| enc::frequency(o, 0), "time stamps out of order"),
    ];
    let build = |(add, msg): Case| {
        let mut o = prelude();
        add(&mut o);
        small_footer(&mut o);
        (o, msg)
    };
    cases.into_iter().map(build).collect()
}

/// The footer `ReadTrace` writes: a p=0 batch, the frequency, then strings and stacks 1-4.
fn footer(out: &mut Vec<u8>, ts: u64) {
    enc::batch(out, 0, ts);
    enc::frequency(out, FREQ);
    let names: [&[u8]; 6] = [
        b"main.main",
        b"main.go",
        b"syscall.write",
        b"syscall.go",
        b"runtime/trace.Log",
        b"trace.go",
    ];
    for (i, s) in names.iter().enumerate() {
        enc::string(out, 10 + i as u64, s);
    }
    enc::stack(out, 1, &[frame(0x401000, 10, 11, 10)]);
    enc::stack(out, 2, &[frame(0x402000, 10, 11, 20)]);
    enc::stack(
        out,
        3,
        &[frame(0x403000, 12, 13, 30), frame(0x402010, 10, 11, 21)],
    );
    enc::stack(
        out,
        4,
        &[frame(0x404000, 14, 15, 40), frame(0x402020, 10, 11, 22)],
    );
}

/// Two Ps: g1 on P0 creates g2, which runs on P1 (ProcStart, GoStart with seq, syscall, GoEnd,
/// ProcStop); a global-buffer batch (p=-1), and a CPU sample in its own p=0 batch.
fn two_p_trace() -> Vec<u8> {
    let mut out = Vec::new();
    enc::header(&mut out);
    enc::batch(&mut out, 0, 1_000_000);
    enc::event(&mut out, EV_GO_CREATE, 1, &[1, 1], Some(2));
    enc::event(&mut out, EV_PROC_START, 1, &[0], None);
    enc::event(&mut out, EV_GO_START_LOCAL, 1, &[1], None);
    enc::event(&mut out, EV_GO_CREATE, 2, &[2, 1], Some(2));
    enc::event(&mut out, EV_GO_SYS_CALL, 40, &[], Some(3));
    enc::batch(&mut out, 1, 1_000_010);
    enc::event(&mut out, EV_PROC_START, 1, &[7], None);
    enc::event(&mut out, EV_GO_START, 2, &[2, 1], None);
    enc::event(&mut out, EV_GO_SYS_CALL, 2, &[], Some(3));
    enc::event(&mut out, EV_GO_END, 2, &[], None);
    enc::event(&mut out, EV_PROC_STOP, 2, &[], None);
    enc::batch(&mut out, -1, 1_000_020);
    enc::event(&mut out, EV_HEAP_ALLOC, 1, &[4 << 20], None);
    enc::batch(&mut out, 0, 1_000_090);
    enc::cpu_sample(&mut out, 1, 1_000_030, 1, 2, 4);
    footer(&mut out, 1_000_100);
    out
}

/// Writes the hand-built traces to `$WIRE_TRACE_DIR` (when set), for checking them with
/// `shared/tools/go-trace-oracle/go-trace-oracle.sh`.
#[test]
fn hand_built_traces_are_written_for_the_oracle_on_request() {
    let Ok(dir) = std::env::var("WIRE_TRACE_DIR") else {
        return;
    };
    std::fs::write(format!("{dir}/minimal.trace"), minimal_trace()).unwrap();
    std::fs::write(format!("{dir}/two-p.trace"), two_p_trace()).unwrap();
    std::fs::write(format!("{dir}/features.trace"), features_trace()).unwrap();
    for (i, (data, msg)) in error_traces().into_iter().enumerate() {
        std::fs::write(format!("{dir}/error-{i:02}.trace"), data).unwrap();
        std::fs::write(format!("{dir}/error-{i:02}.want"), format!("FAIL: {msg}\n")).unwrap();
    }
}

#[test]
fn go_traces_render_exactly_like_gos_parser_dump_and_verdict() {
    for name in TRACES_121 {
        let data = read(&format!("{name}.trace"));
        let result = parse(&data);
        let trace = result.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            dump::events_text(trace, true),
            read_text(&format!("{name}.events.txt")),
            "{name}"
        );
        assert_eq!(
            dump::verdict_text(&result),
            read_text(&format!("{name}.verdict.txt")),
            "{name}"
        );
    }
}

#[test]
fn go_traces_have_no_structural_violations() {
    for name in TRACES_121 {
        let violations = check::check_bytes(&read(&format!("{name}.trace"))).unwrap();
        assert_eq!(violations, vec![], "{name}");
    }
}

#[test]
fn go_traces_reencode_byte_for_byte_from_their_raw_records() {
    for name in TRACES_121 {
        let data = read(&format!("{name}.trace"));
        assert_eq!(reencode(&decode(&data).unwrap()), data, "{name}");
    }
}

/// Writes decoded records back with `enc`, the way the runtime wrote them.
fn reencode(d: &tracer::wire::Decoded) -> Vec<u8> {
    let mut out = Vec::new();
    enc::header(&mut out);
    for raw in &d.events {
        let data = raw.data.as_deref().unwrap_or_default();
        match raw.typ {
            EV_BATCH => enc::batch(&mut out, raw.args[0] as i64 as i32, raw.args[1]),
            EV_FREQUENCY => enc::frequency(&mut out, raw.args[0]),
            EV_STRING => enc::string(&mut out, raw.args[0], data),
            EV_STACK => {
                let frames = raw.args[2..].chunks(4).map(|f| Frame {
                    pc: f[0],
                    func_id: f[1],
                    file_id: f[2],
                    line: f[3],
                });
                enc::stack(&mut out, raw.args[0], &frames.collect::<Vec<_>>());
            }
            EV_USER_LOG => enc::user_log(
                &mut out,
                raw.args[0],
                raw.args[1],
                raw.args[2],
                raw.args[3],
                data,
            ),
            t => {
                let stack = desc(t).unwrap().stack.then(|| *raw.args.last().unwrap());
                let n = raw.args.len() - usize::from(stack.is_some());
                enc::event(&mut out, t, raw.args[0], &raw.args[1..n], stack);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Encoder.

#[test]
fn encoder_events_decode_to_the_values_written() {
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
    let got: Vec<(u8, Vec<u64>)> = d.events.iter().map(|r| (r.typ, r.args.clone())).collect();
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
fn encoder_uses_the_length_prefixed_form_for_three_or_more_values() {
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
fn encoder_stack_record_has_a_ten_byte_padded_length() {
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
fn encoder_does_not_allocate_when_the_vec_has_capacity() {
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

// ---------------------------------------------------------------------------------------------
// Hand-built traces through the parser (both also PASS Go's oracle; see the module doc).

#[test]
fn minimal_trace_parses_and_renders_as_go_would() {
    let data = minimal_trace();
    let result = parse(&data);
    let trace = result.as_ref().unwrap();
    insta::assert_snapshot!(dump::events_text(trace, true), @r"
    0 GoCreate p=0 g=0 off=21 g=1 stack=1
    	main.main @ 0x402000 main.go:20
    64 ProcStart p=0 g=0 off=27 thread=0
    128 GoStart p=0 g=1 off=30 g=1 seq=1
    	main.main @ 0x401000 main.go:10
    448 GoSysCall p=0 g=1 off=34
    	syscall.write @ 0x403000 syscall.go:30
    	main.main @ 0x402010 main.go:21
    768 GoSysCall p=0 g=1 off=37
    	syscall.write @ 0x403000 syscall.go:30
    	main.main @ 0x402010 main.go:21
    1088 UserLog p=0 g=1 off=51 id=0 keyid=1 category=category message=hello
    	runtime/trace.Log @ 0x404000 trace.go:40
    	main.main @ 0x402020 main.go:22
    1408 GoSysCall p=0 g=1 off=63
    	syscall.write @ 0x403000 syscall.go:30
    	main.main @ 0x402010 main.go:21
    ");
    insta::assert_snapshot!(dump::verdict_text(&result), @r"
    count GoCreate             1
    count GoStart              1
    count GoSysCall            3
    count ProcStart            1
    count UserLog              1
    PASS: 7 events, 4 stacks
    ");
    assert_eq!(check::check_bytes(&data).unwrap(), vec![]);
}

#[test]
fn minimal_trace_raw_rendering_shows_batches_and_records() {
    insta::assert_snapshot!(dump::raw_text(&decode(&minimal_trace()).unwrap()), @r#"
    header go 1.21 trace
    batch p=0 ts=1000000 off=16
      GoCreate +1 g=1 stack=1 stk=2
      ProcStart +1 thread=0
      GoStart +1 g=1 seq=1
      GoSysCall +5 stk=3
      GoSysCall +5 stk=3
      String id=1 "category"
      UserLog +5 id=0 keyid=1 stk=4 msg="hello"
      GoSysCall +5 stk=3
    batch p=0 ts=1000100 off=66
      Frequency freq=15625000
      String id=10 "main.main"
      String id=11 "main.go"
      String id=12 "syscall.write"
      String id=13 "syscall.go"
      String id=14 "runtime/trace.Log"
      String id=15 "trace.go"
      Stack id=1 frames=1 [0x401000 10 11 10]
      Stack id=2 frames=1 [0x402000 10 11 20]
      Stack id=3 frames=2 [0x403000 12 13 30] [0x402010 10 11 21]
      Stack id=4 frames=2 [0x404000 14 15 40] [0x402020 10 11 22]
    "#);
}

#[test]
fn two_p_trace_merges_batches_by_seq_and_time() {
    let data = two_p_trace();
    let result = parse(&data);
    let trace = result.as_ref().unwrap();
    insta::assert_snapshot!(dump::events_text(trace, false), @r"
    0 GoCreate p=0 g=0 off=21 g=1 stack=1
    64 ProcStart p=0 g=0 off=27 thread=0
    128 GoStart p=0 g=1 off=30 g=1 seq=0
    256 GoCreate p=0 g=1 off=33 g=2 stack=1
    640 ProcStart p=1 g=0 off=47 thread=7
    768 GoStart p=1 g=2 off=50 g=2 seq=1
    896 GoSysCall p=1 g=2 off=54
    1024 GoEnd p=1 g=2 off=57
    1152 ProcStop p=1 g=0 off=59
    1280 HeapAlloc p=-1 g=0 off=75 mem=4194304
    1856 CPUSample p=1 g=2 off=86 ts=0 p=1 g=2
    2816 GoSysCall p=0 g=1 off=39
    ");
    insta::assert_snapshot!(dump::raw_text(&decode(&data).unwrap()), @r#"
    header go 1.21 trace
    batch p=0 ts=1000000 off=16
      GoCreate +1 g=1 stack=1 stk=2
      ProcStart +1 thread=0
      GoStartLocal +1 g=1
      GoCreate +2 g=2 stack=1 stk=2
      GoSysCall +40 stk=3
    batch p=1 ts=1000010 off=42
      ProcStart +1 thread=7
      GoStart +2 g=2 seq=1
      GoSysCall +2 stk=3
      GoEnd +2
      ProcStop +2
    batch p=-1 ts=1000020 off=61
      HeapAlloc +1 mem=4194304
    batch p=0 ts=1000090 off=81
      CPUSample +1 ts=1000030 p=1 g=2 stk=4
    batch p=0 ts=1000100 off=95
      Frequency freq=15625000
      String id=10 "main.main"
      String id=11 "main.go"
      String id=12 "syscall.write"
      String id=13 "syscall.go"
      String id=14 "runtime/trace.Log"
      String id=15 "trace.go"
      Stack id=1 frames=1 [0x401000 10 11 10]
      Stack id=2 frames=1 [0x402000 10 11 20]
      Stack id=3 frames=2 [0x403000 12 13 30] [0x402010 10 11 21]
      Stack id=4 frames=2 [0x404000 14 15 40] [0x402020 10 11 22]
    "#);
    assert_eq!(check::check_bytes(&data).unwrap(), vec![]);
}

#[test]
fn features_trace_parses_exactly_as_go_does() {
    let result = parse(&features_trace());
    let text = dump::events_text(result.as_ref().unwrap(), false) + &dump::verdict_text(&result);
    insta::assert_snapshot!(text, @r#"
    0 GoCreate p=0 g=0 off=20 g=1 stack=1
    64 GoCreate p=0 g=0 off=26 g=2 stack=1
    128 GoWaiting p=0 g=2 off=32 g=2
    192 GoCreate p=0 g=0 off=35 g=3 stack=1
    256 GoInSyscall p=0 g=3 off=41 g=3
    256 GoSysExit p=1000003 g=3 off=158 g=3 seq=2 ts=1005
    320 ProcStart p=0 g=0 off=46 thread=0
    384 GoStart p=0 g=1 off=49 g=1 seq=1
    448 UserTaskCreate p=0 g=1 off=92 taskid=5 pid=0 typeid=1 name=task"name

    512 UserRegion p=0 g=1 off=99 taskid=5 mode=0 typeid=2 name=region
    576 UserLog p=0 g=1 off=106 id=5 keyid=2 category=region message=m€
    640 UserRegion p=0 g=1 off=117 taskid=5 mode=1 typeid=2 name=region
    704 UserTaskEnd p=0 g=1 off=124 taskid=5
    768 GCStart p=1000004 g=0 off=128 seq=0
    832 STWStart p=0 g=0 off=132 kindid=1 kind=GC mark termination
    896 STWDone p=0 g=0 off=135
    960 STWStart p=0 g=0 off=137 kindid=99 kind=unknown
    1024 STWDone p=0 g=0 off=140
    1088 GCMarkAssistStart p=0 g=1 off=142
    1152 GCMarkAssistDone p=0 g=1 off=145
    1216 GCMarkAssistDone p=0 g=1 off=147
    1280 GCDone p=0 g=0 off=149
    1344 GCSweepStart p=0 g=1 off=151
    1408 GCSweepDone p=0 g=1 off=154 swept=10 reclaimed=20
    1536 GoUnblock p=0 g=1 off=165 g=2 seq=2
    1600 HeapGoal p=0 g=1 off=171 mem=4194304
    1664 GoBlockNet p=0 g=1 off=177
    1728 GoStartLabel p=0 g=2 off=180 g=2 seq=3 labelid=3 label=GC (dedicated)
    1792 GoUnblock p=1000001 g=2 off=186 g=1 seq=2
    1856 GoSched p=0 g=2 off=192
    6400 ProcStart p=1 g=0 off=199 thread=4
    6464 GoStart p=1 g=3 off=202 g=3 seq=3
    6528 GoSysCall p=1 g=3 off=206
    6592 GoSysBlock p=1 g=3 off=209
    6656 ProcStop p=1 g=0 off=211
    12800 GoStart p=0 g=1 off=217 g=1 seq=3
    12864 GoBlock p=0 g=1 off=221
    15936 GoSysExit p=1000003 g=3 off=231 g=3 seq=4 ts=1250
    19200 ProcStart p=1 g=0 off=228 thread=4
    19328 GoStart p=1 g=3 off=238 g=3 seq=0
    19456 FutileWakeup p=1 g=3 off=245
    19520 GoEnd p=1 g=3 off=247
    20416 CPUSample p=-1 g=0 off=257 ts=0 p=18446744073709551615 g=0
    count CPUSample            1
    count FutileWakeup         1
    count GCDone               1
    count GCMarkAssistDone     2
    count GCMarkAssistStart    1
    count GCStart              1
    count GCSweepDone          1
    count GCSweepStart         1
    count GoBlock              1
    count GoBlockNet           1
    count GoCreate             3
    count GoEnd                1
    count GoInSyscall          1
    count GoSched              1
    count GoStart              4
    count GoStartLabel         1
    count GoSysBlock           1
    count GoSysCall            1
    count GoSysExit            2
    count GoUnblock            2
    count GoWaiting            1
    count HeapGoal             1
    count ProcStart            3
    count ProcStop             1
    count STWDone              2
    count STWStart             2
    count UserLog              1
    count UserRegion           2
    count UserTaskCreate       1
    count UserTaskEnd          1
    PASS: 43 events, 2 stacks
    "#);
}

#[test]
fn state_machine_errors_use_gos_messages() {
    for (data, want) in error_traces() {
        assert_eq!(parse(&data).unwrap_err().message, want);
    }
}

// ---------------------------------------------------------------------------------------------
// Malformed input.

#[test]
fn truncation_at_every_length_is_rejected_by_parse_or_check() {
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
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Runs everything that reads bytes; panics are the failure this guards against.
fn exercise(data: &[u8]) -> bool {
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
fn random_garbage_is_rejected_without_panicking() {
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
fn random_byte_flips_of_a_valid_trace_never_panic() {
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
fn huge_lengths_are_errors_not_allocations() {
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
fn header_errors_use_gos_messages() {
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
fn parse_errors_use_gos_messages() {
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

// ---------------------------------------------------------------------------------------------
// Structural checks.

/// Checks `data` and returns the rendered violations.
fn violations(data: &[u8]) -> Vec<String> {
    check::check_bytes(data)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn check_reports_a_stack_referenced_but_never_defined_as_i5() {
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
fn check_reports_a_string_defined_twice_as_i6() {
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
fn check_reports_a_missing_frequency_as_i7() {
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
fn check_reports_events_after_the_footer_and_zero_time_deltas() {
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
fn check_reports_oversized_stacks_and_batches_as_i15() {
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

//! Hand-built traces (their expected texts are what Go's oracle printed for the same bytes).

use crate::util::*;

/// Frequency of the hand-built traces: nanotime/64, as on amd64.
pub const FREQ: u64 = 15_625_000;

/// The minimal single-P trace: g0 creates g1, P0 starts, g1 starts and makes three syscalls
/// and one `trace.Log`; then the footer (frequency, frame strings, stacks).
pub fn minimal_trace() -> Vec<u8> {
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

pub fn frame(pc: u64, func_id: u64, file_id: u64, line: u64) -> Frame {
    Frame {
        pc,
        func_id,
        file_id,
        line,
    }
}

/// Appends an event with time delta 1 and, if its type carries one, stack 1.
pub fn ev(out: &mut Vec<u8>, typ: u8, args: &[u64]) {
    let stack = desc(typ).unwrap().stack.then_some(1);
    enc::event(out, typ, 1, args, stack);
}

/// The start of the feature and error traces: g0 creates g1, g2 (found blocked: GoWaiting) and
/// g3 (found in a syscall: GoInSyscall); g2 is the timer goroutine; P0 starts and runs g1.
pub fn prelude() -> Vec<u8> {
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
pub fn small_footer(out: &mut Vec<u8>) {
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
pub fn features_trace() -> Vec<u8> {
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
pub fn error_traces() -> Vec<(Vec<u8>, &'static str)> {
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
pub fn footer(out: &mut Vec<u8>, ts: u64) {
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
pub fn two_p_trace() -> Vec<u8> {
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

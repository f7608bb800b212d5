//! Hand-built go1.22 traces, written with `tracer::go122::wire::enc`: a valid two-generation
//! trace touching every event family, and broken variants with the message Go's reader or
//! validator gives for each (checked against the oracle by `scripts/go-conformance.sh`).

use tracer::common::wire::Frame;
use tracer::go122::wire::enc::{self, CpuSample, NO_M};
use tracer::go122::wire::ev::*;

/// A file of `shared/go-traces/`.
pub fn go_trace(name: &str) -> Vec<u8> {
    crate::util::read(name)
}

/// Go's frequency on amd64 Linux: nanotime/64, i.e. 15 625 000 ticks per second.
pub const FREQ: u64 = 15_625_000;

/// Appends one batch whose payload `body` writes.
pub fn batch(out: &mut Vec<u8>, gen: u64, m: u64, ts: u64, body: impl FnOnce(&mut Vec<u8>)) {
    let at = enc::batch_begin(out, gen, m, ts);
    body(out);
    enc::batch_end(out, at);
}

/// A CPU-sample batch's body: one sample of goroutine 1 on M 1 and P 0.
fn one_cpu_sample(o: &mut Vec<u8>, ts: u64, stack: u64) {
    enc::cpu_samples_begin(o);
    let (m, p, g) = (1, 0, 1);
    enc::cpu_sample(o, &CpuSample { ts, m, p, g, stack });
}

/// Appends a generation's tables: frequency, stacks 1 and 2, strings 1..=9.
pub fn tables(out: &mut Vec<u8>, gen: u64) {
    batch(out, gen, NO_M, 0, |o| enc::frequency(o, FREQ));
    batch(out, gen, NO_M, 0, |o| {
        enc::stacks_begin(o);
        let f = |pc, func_id, line| Frame {
            pc,
            func_id,
            file_id: 2,
            line,
        };
        enc::stack(o, 1, &[f(0x401000, 1, 27), f(0x402000, 3, 40)]);
        enc::stack(o, 2, &[f(0x403000, 4, 34)]);
    });
    batch(out, gen, NO_M, 0, |o| {
        enc::strings_begin(o);
        let names: [&[u8]; 9] = [
            b"main.main",
            b"tinytrace/main.go",
            b"runtime.main",
            b"main.worker",
            b"chan receive",
            b"start trace",
            b"task",
            b"region",
            b"log key",
        ];
        for (i, s) in names.iter().enumerate() {
            enc::string(o, i as u64 + 1, s);
        }
        enc::string(o, 10, b"log message");
    });
}

/// A valid trace: two Ms, two Ps, two generations; goroutine create/start/block/unblock/
/// syscall/destroy, STW, GC, a task with a region and a log, a label, metrics, a CPU sample.
pub fn valid_trace() -> Vec<u8> {
    let mut out = Vec::new();
    enc::header(&mut out);
    batch(&mut out, 1, 1, 1000, |o| {
        enc::event(o, EV_PROC_STATUS, 1, &[0, PROC_RUNNING]);
        enc::event(o, EV_GO_STATUS, 1, &[1, 1, GO_RUNNING]);
        enc::event(o, EV_PROCS_CHANGE, 1, &[2, 1]);
        enc::event(o, EV_STW_BEGIN, 1, &[6, 1]);
        enc::event(o, EV_HEAP_GOAL, 1, &[4 << 20]);
        enc::event(o, EV_STW_END, 1, &[]);
        enc::event(o, EV_GO_CREATE, 2, &[2, 2, 1]);
        enc::event(o, EV_USER_TASK_BEGIN, 1, &[1, 0, 7, 1]);
        enc::event(o, EV_USER_REGION_BEGIN, 1, &[1, 8, 1]);
        enc::event(o, EV_USER_LOG, 1, &[1, 9, 10, 1]);
        enc::event(o, EV_USER_REGION_END, 1, &[1, 8, 1]);
        enc::event(o, EV_USER_TASK_END, 1, &[1, 1]);
        enc::event(o, EV_GO_LABEL, 1, &[7]);
        enc::event(o, EV_GC_BEGIN, 1, &[1, 1]);
        enc::event(o, EV_GO_BLOCK, 3, &[5, 1]);
        enc::event(o, EV_GO_START, 1, &[2, 1]);
        enc::event(o, EV_GO_UNBLOCK, 2, &[1, 1, 2]);
        enc::event(o, EV_HEAP_ALLOC, 1, &[1 << 20]);
        enc::event(o, EV_GO_SYSCALL_BEGIN, 1, &[1, 2]);
        enc::event(o, EV_GO_SYSCALL_END, 5, &[]);
        enc::event(o, EV_GO_DESTROY, 1, &[]);
        enc::event(o, EV_GO_START, 1, &[1, 2]);
    });
    batch(&mut out, 1, 2, 1010, |o| {
        enc::event(o, EV_PROC_STATUS, 1, &[1, PROC_IDLE]);
        enc::event(o, EV_PROC_START, 1, &[1, 1]);
        enc::event(o, EV_GC_SWEEP_BEGIN, 1, &[1]);
        enc::event(o, EV_GC_SWEEP_END, 1, &[8192, 4096]);
        enc::event(o, EV_PROC_STOP, 1, &[]);
    });
    batch(&mut out, 1, NO_M, 0, |o| one_cpu_sample(o, 1005, 1));
    tables(&mut out, 1);
    batch(&mut out, 2, 1, 2000, |o| {
        enc::event(o, EV_PROC_STATUS, 1, &[0, PROC_RUNNING]);
        enc::event(o, EV_GO_STATUS, 1, &[1, 1, GO_RUNNING]);
        enc::event(o, EV_GC_ACTIVE, 1, &[2]);
        enc::event(o, EV_GC_END, 1, &[3]);
        enc::event(o, EV_GO_STOP, 1, &[5, 1]);
        enc::event(o, EV_GO_START, 1, &[1, 1]);
        enc::event(o, EV_GO_DESTROY, 1, &[]);
        enc::event(o, EV_PROC_STOP, 1, &[]);
    });
    tables(&mut out, 2);
    out
}

/// Broken traces, each with the first line of the error Go's oracle reports.
pub fn error_traces() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let gen1 = |body: &dyn Fn(&mut Vec<u8>)| {
        let mut out = Vec::new();
        enc::header(&mut out);
        batch(&mut out, 1, 1, 1000, |o| body(o));
        tables(&mut out, 1);
        out
    };
    let running = |o: &mut Vec<u8>| {
        enc::proc_status(o, 1, 0, PROC_RUNNING);
        enc::go_status(o, 1, 1, 1, GO_RUNNING);
    };
    let mut no_freq = Vec::new();
    enc::header(&mut no_freq);
    batch(&mut no_freq, 1, 1, 10, running);
    let mut two_freq = gen1(&running);
    batch(&mut two_freq, 1, NO_M, 0, |o| enc::frequency(o, FREQ));
    let mut out_of_order = valid_trace();
    batch(&mut out_of_order, 1, 3, 5000, running);
    let mut lost_stack = Vec::new();
    enc::header(&mut lost_stack);
    batch(&mut lost_stack, 1, 1, 1000, running);
    batch(&mut lost_stack, 1, NO_M, 0, |o| one_cpu_sample(o, 1001, 77));
    tables(&mut lost_stack, 1);
    let mut truncated = valid_trace();
    truncated.truncate(truncated.len() - 3);
    vec![
        ("no-frequency", no_freq, "no frequency event found"),
        (
            "two-frequencies",
            two_freq,
            "found multiple frequency events",
        ),
        ("generation-back", out_of_order, "generations out of order"),
        (
            "cpu-sample-stack-not-dumped",
            lost_stack,
            "panic: expected id 77 in trace.stack table",
        ),
        (
            "truncated",
            truncated,
            "failed to read full batch: read 128 but wanted 131",
        ),
        (
            "unknown-stack",
            gen1(&|o| {
                running(o);
                enc::event(o, EV_GO_BLOCK, 1, &[5, 99]);
            }),
            "found invalid stack ID 99 for event GoBlock",
        ),
        (
            "syscall-end-not-in-syscall",
            gen1(&|o| {
                running(o);
                enc::event(o, EV_GO_SYSCALL_END, 1, &[]);
            }),
            "GoSyscallEnd event for goroutine that's not Running",
        ),
        (
            "block-twice",
            gen1(&|o| {
                running(o);
                enc::event(o, EV_GO_BLOCK, 1, &[5, 1]);
                enc::event(o, EV_GO_BLOCK, 1, &[5, 1]);
            }),
            "expected a goroutine but didn't have one",
        ),
        (
            "seq-gap",
            gen1(&|o| {
                running(o);
                enc::event(o, EV_GO_CREATE, 1, &[2, 2, 1]);
                enc::event(o, EV_GO_STOP, 1, &[5, 1]);
                enc::event(o, EV_GO_START, 1, &[2, 2]);
            }),
            "broken trace: failed to advance: frontier:",
        ),
        (
            "no-proc",
            gen1(&|o| {
                enc::event(o, EV_GO_STATUS, 1, &[1, 1, GO_RUNNING]);
                enc::event(o, EV_GO_CREATE, 1, &[2, 2, 1]);
            }),
            "expected a proc but didn't have one",
        ),
        (
            "create-existing",
            gen1(&|o| {
                running(o);
                enc::event(o, EV_GO_CREATE, 1, &[1, 2, 1]);
            }),
            "tried to create goroutine (1) that already exists",
        ),
    ]
}

//! The one door from the model to the go1.22 wire format: every byte the model writes goes
//! through the go1.22 encoder ([`super::wire::enc`], which mirrors `runtime/trace2buf.go`,
//! `trace2event.go`, `trace2stack.go`, `trace2string.go`, `trace2cpu.go`, `trace2time.go`).

pub use super::wire::enc::{
    batch_begin, batch_end, cpu_samples_begin, event, frequency, stack, stacks_begin, string,
    strings_begin, CpuSample, EVENT_BYTES_MAX, HEADER, NO_M,
};
pub use super::wire::ev::{
    EV_GC_SWEEP_BEGIN, EV_GC_SWEEP_END, EV_GO_BLOCK, EV_GO_CREATE, EV_GO_DESTROY, EV_GO_START,
    EV_GO_STATUS, EV_GO_UNBLOCK, EV_HEAP_ALLOC, EV_PROC_START, EV_PROC_STATUS, EV_PROC_STOP,
    PROC_IDLE, PROC_RUNNING,
};
pub use crate::common::wire::Frame;

/// One `EvCPUSample` record: timestamp, M, P, G, stack id.
pub fn cpu_sample(out: &mut Vec<u8>, ts: u64, m: u64, p: u64, g: u64, stack: u64) {
    let s = CpuSample { ts, m, p, g, stack };
    super::wire::enc::cpu_sample(out, &s);
}

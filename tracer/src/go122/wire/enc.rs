//! Encoder for the go1.22 wire format, byte for byte as the runtime writes it.
//!
//! Mirrors go1.22 `runtime/trace2buf.go` (`traceWriter.refill`'s batch header with its 10-byte
//! reserved length, `traceBufFlush`'s back-patch, `varint`/`varintAt`), `runtime/trace2event.go`
//! (`traceEventWriter.event`: type byte, timestamp delta, uvarint arguments),
//! `runtime/trace2stack.go` (`dump`: `EvStacks` then `EvStack` records),
//! `runtime/trace2string.go` (`writeString`: `EvStrings` then `EvString` records, truncated to
//! 1024 bytes), `runtime/trace2cpu.go` (`traceReadCPU`: `EvCPUSamples` then `EvCPUSample`) and
//! `runtime/trace2time.go` (`traceFrequency`).
//!
//! Every function appends with `push`/`extend_from_slice` only, so none allocates when `out` has
//! the capacity the `*_BYTES_MAX` constants name.

use super::ev::*;
use crate::common::wire::stack_record::{stack_body, Frame};
use crate::common::wire::varint::{uvarint, uvarint_at, BYTES_PER_NUMBER};

/// The 16-byte trace header of version 22 (`runtime/trace2.go` `readTrace0`).
pub const HEADER: &[u8; 16] = b"go 1.22 trace\0\0\0";
/// The M id the runtime writes for batches with no M (`^uint64(0)`).
pub const NO_M: u64 = u64::MAX;
/// Worst-case size of a batch header: type, generation, M, timestamp, padded length.
pub const BATCH_HEADER_BYTES_MAX: usize = 1 + 4 * BYTES_PER_NUMBER;
/// Worst-case size of one regular event: type byte and up to five varints (`traceEventWriter`).
pub const EVENT_BYTES_MAX: usize = 1 + 5 * BYTES_PER_NUMBER;
/// Worst-case size of a CPU sample record (type and five varints).
pub const CPU_SAMPLE_BYTES_MAX: usize = 1 + 5 * BYTES_PER_NUMBER;
/// Worst-case size of the frequency record.
pub const FREQUENCY_BYTES_MAX: usize = 1 + BYTES_PER_NUMBER;

/// Worst-case size of a stack record with `frames` frames.
pub const fn stack_bytes_max(frames: usize) -> usize {
    1 + (2 + 4 * frames) * BYTES_PER_NUMBER
}

/// Worst-case size of a string record holding `len` bytes (after truncation).
pub const fn string_bytes_max(len: usize) -> usize {
    1 + 2 * BYTES_PER_NUMBER + len
}

/// Appends the header `go 1.22 trace\0\0\0`.
pub fn header(out: &mut Vec<u8>) {
    out.extend_from_slice(HEADER);
}

/// Appends a batch header (`refill`) and returns the position of its reserved length field, to
/// be passed to [`batch_end`] once the batch's events are written.
pub fn batch_begin(out: &mut Vec<u8>, gen: u64, m: u64, ts: u64) -> usize {
    out.push(EV_EVENT_BATCH);
    uvarint(out, gen);
    uvarint(out, m);
    uvarint(out, ts);
    let pos = out.len();
    out.extend_from_slice(&[0; BYTES_PER_NUMBER]);
    pos
}

/// Back-patches the batch length: the bytes written after the length field (`traceBufFlush`).
pub fn batch_end(out: &mut [u8], len_pos: usize) {
    let size = out.len() - len_pos - BYTES_PER_NUMBER;
    uvarint_at(out, len_pos, size as u64);
}

/// Appends a regular event: type byte, timestamp delta, then `args` (which must be the spec's
/// arguments after `dt`, stack and string ids included, in order).
pub fn event(out: &mut Vec<u8>, typ: u8, dt: u64, args: &[u64]) {
    debug_assert!(SPECS.get(typ as usize).is_some_and(|s| s.timed));
    debug_assert_eq!(SPECS[typ as usize].args.len(), args.len() + 1);
    out.push(typ);
    uvarint(out, dt);
    for &a in args {
        uvarint(out, a);
    }
}

/// Appends a `ProcStatus` (`traceLocker.ProcStatus`): a P's status the first time it is
/// mentioned in a generation (`PROC_RUNNING`, `PROC_IDLE`, `PROC_SYSCALL`, …).
pub fn proc_status(out: &mut Vec<u8>, dt: u64, p: u64, status: u64) {
    event(out, EV_PROC_STATUS, dt, &[p, status]);
}

/// Appends a `GoStatus` (`traceLocker.GoroutineStatus`): a goroutine's status the first time it
/// is mentioned in a generation, with the M it runs on (or [`NO_M`]).
pub fn go_status(out: &mut Vec<u8>, dt: u64, g: u64, m: u64, status: u64) {
    event(out, EV_GO_STATUS, dt, &[g, m, status]);
}

/// Appends the `EvStacks` byte that opens a stack batch.
pub fn stacks_begin(out: &mut Vec<u8>) {
    out.push(EV_STACKS);
}

/// Appends one `EvStack` record: id, frame count, then pc, func id, file id, line per frame.
pub fn stack(out: &mut Vec<u8>, id: u64, frames: &[Frame]) {
    out.push(EV_STACK);
    stack_body(out, id, frames);
}

/// Appends the `EvStrings` byte that opens a string batch.
pub fn strings_begin(out: &mut Vec<u8>) {
    out.push(EV_STRINGS);
}

/// Appends one `EvString` record, truncating `s` to [`MAX_STRING_SIZE`] bytes as the runtime
/// does (`writeString`).
pub fn string(out: &mut Vec<u8>, id: u64, s: &[u8]) {
    let s = &s[..s.len().min(MAX_STRING_SIZE as usize)];
    out.push(EV_STRING);
    uvarint(out, id);
    uvarint(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// Appends the `EvCPUSamples` byte that opens a CPU-sample batch.
pub fn cpu_samples_begin(out: &mut Vec<u8>) {
    out.push(EV_CPU_SAMPLES);
}

/// One CPU sample as `traceReadCPU` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuSample {
    /// Absolute timestamp.
    pub ts: u64,
    /// M id (`procid`).
    pub m: u64,
    /// P id, `^0` if none.
    pub p: u64,
    /// Goroutine id, 0 if none.
    pub g: u64,
    /// Stack id in this generation's table.
    pub stack: u64,
}

/// Appends one `EvCPUSample` record: timestamp, M, P, G, stack id.
pub fn cpu_sample(out: &mut Vec<u8>, s: &CpuSample) {
    out.push(EV_CPU_SAMPLE);
    for v in [s.ts, s.m, s.p, s.g, s.stack] {
        uvarint(out, v);
    }
}

/// Appends the frequency record (`traceFrequency`): the batch holding it has nothing else.
pub fn frequency(out: &mut Vec<u8>, freq: u64) {
    out.push(EV_FREQUENCY);
    uvarint(out, freq);
}

//! Encoder for the go1.21 wire format, byte for byte as the runtime writes it.
//!
//! Mirrors go1.21 `runtime/trace.go`: `traceBuf.varint`/`varintAt`, the event layout of
//! `traceEventLocked`, the batch header of `traceFlush`, `traceString`, the stack records of
//! `(*traceStackTable).dump`, the frequency record of `ReadTrace`'s footer, the CPU sample of
//! `traceReadCPU` and the inline message of `trace_userLog`.
//!
//! Every function appends to `out` with `push`/`extend_from_slice` only, so it does not allocate
//! when `out` has the capacity the `*_BYTES_MAX` constants (or [`stack_bytes_max`]) name.

use super::ev::{EV_BATCH, EV_CPU_SAMPLE, EV_FREQUENCY, EV_STACK, EV_STRING, EV_USER_LOG};
use crate::common::wire::stack_record::{stack_body, Frame};
use crate::common::wire::varint::{uvarint, uvarint_at, BYTES_PER_NUMBER};

/// The 16-byte trace header of version 1021.
pub const HEADER: &[u8; 16] = b"go 1.21 trace\0\0\0";
/// Shift of the argument-count bits in the event byte (`traceArgCountShift`).
pub const ARG_COUNT_SHIFT: u32 = 6;
/// Worst-case size of one regular event: type, length, timestamp and four values
/// (`2 + 5*traceBytesPerNumber` in `traceEventLocked`).
pub const EVENT_BYTES_MAX: usize = 2 + 5 * BYTES_PER_NUMBER;
/// Worst-case size of a batch header (type, pid, timestamp).
pub const BATCH_BYTES_MAX: usize = 1 + 2 * BYTES_PER_NUMBER;
/// Worst-case size of a string record without its bytes (`1 + 2*traceBytesPerNumber`).
pub const STRING_OVERHEAD_BYTES_MAX: usize = 1 + 2 * BYTES_PER_NUMBER;
/// Worst-case size of the frequency record.
pub const FREQUENCY_BYTES_MAX: usize = 1 + BYTES_PER_NUMBER;
/// Maximum number of values after the timestamp in one regular event (args plus stack).
pub const EVENT_VALUES_MAX: usize = 4;

/// Worst-case size of a stack record with `frames` frames (as `dump` estimates it).
pub const fn stack_bytes_max(frames: usize) -> usize {
    1 + BYTES_PER_NUMBER + (2 + 4 * frames) * BYTES_PER_NUMBER
}

/// Worst-case size of a string record holding `len` bytes.
pub const fn string_bytes_max(len: usize) -> usize {
    STRING_OVERHEAD_BYTES_MAX + len
}

/// Appends the 16-byte header `go 1.21 trace\0\0\0`.
pub fn header(out: &mut Vec<u8>) {
    out.extend_from_slice(HEADER);
}

/// Appends a regular event: the type byte with the argument count (args plus stack, capped at
/// 3) in the top two bits, a reserved and back-patched length byte when that count is 3, the
/// timestamp delta, `args`, then the stack id if `stack` is `Some`.
///
/// Panics if more than [`EVENT_VALUES_MAX`] values follow the timestamp (the runtime never
/// writes more; its one-byte length would overflow).
pub fn event(out: &mut Vec<u8>, typ: u8, ts_delta: u64, args: &[u64], stack: Option<u64>) {
    let values = args.len() + usize::from(stack.is_some());
    assert!(
        values <= EVENT_VALUES_MAX,
        "wire::enc::event: {values} values after the timestamp (max {EVENT_VALUES_MAX})"
    );
    let narg = values.min(3) as u8;
    let start = out.len();
    out.push(typ | narg << ARG_COUNT_SHIFT);
    if narg == 3 {
        out.push(0);
    }
    uvarint(out, ts_delta);
    for &a in args {
        uvarint(out, a);
    }
    if let Some(id) = stack {
        uvarint(out, id);
    }
    if narg == 3 {
        out[start + 1] = (out.len() - start - 2) as u8;
    }
}

/// Appends a batch header `[pid, ts]` (`traceFlush`); pid −1 is the global buffer and is
/// written, as the runtime does, as the `uint64` of the sign-extended `int32`.
pub fn batch(out: &mut Vec<u8>, pid: i32, ts: u64) {
    out.push(EV_BATCH | 1 << ARG_COUNT_SHIFT);
    uvarint(out, i64::from(pid) as u64);
    uvarint(out, ts);
}

/// Appends the footer's frequency record `[ticks per second]` (no argument bits).
pub fn frequency(out: &mut Vec<u8>, ticks_per_sec: u64) {
    out.push(EV_FREQUENCY);
    uvarint(out, ticks_per_sec);
}

/// Appends a string-table record: type byte without argument bits, id, length, bytes.
pub fn string(out: &mut Vec<u8>, id: u64, bytes: &[u8]) {
    out.push(EV_STRING);
    uvarint(out, id);
    uvarint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Appends a stack record: type byte with count bits 3, a 10-byte padded length, then
/// `id, len(frames)` and `pc, func id, file id, line` per frame.
pub fn stack(out: &mut Vec<u8>, id: u64, frames: &[Frame]) {
    out.push(EV_STACK | 3 << ARG_COUNT_SHIFT);
    let len_pos = out.len();
    out.extend_from_slice(&[0; BYTES_PER_NUMBER]);
    let body = out.len();
    stack_body(out, id, frames);
    let len = (out.len() - body) as u64;
    uvarint_at(out, len_pos, len);
}

/// Appends a CPU sample `[ts delta, real ts, pid, goid, stack]` (`traceReadCPU`); `pid` −1
/// (no P) is written as `^0`, as the runtime does.
pub fn cpu_sample(
    out: &mut Vec<u8>,
    ts_delta: u64,
    real_ts: u64,
    pid: i32,
    goid: u64,
    stack_id: u64,
) {
    let args = [real_ts, i64::from(pid) as u64, goid];
    event(out, EV_CPU_SAMPLE, ts_delta, &args, Some(stack_id));
}

/// Appends a `trace.Log` record `[ts delta, task id, key string id, stack]` followed by the
/// message as an inline `len, bytes` tail outside the event length (`trace_userLog`).
pub fn user_log(
    out: &mut Vec<u8>,
    ts_delta: u64,
    task_id: u64,
    key_id: u64,
    stack_id: u64,
    message: &[u8],
) {
    event(
        out,
        EV_USER_LOG,
        ts_delta,
        &[task_id, key_id],
        Some(stack_id),
    );
    uvarint(out, message.len() as u64);
    out.extend_from_slice(message);
}

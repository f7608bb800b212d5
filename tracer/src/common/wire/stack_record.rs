//! The body of a stack record, the same in the go1.21 and go1.22 wire formats.
//!
//! Mirrors go1.21 `runtime/trace.go` and go1.22 `runtime/trace2stack.go`, both
//! `(*traceStackTable).dump`: after the record's header, the stack id, the frame count, then
//! `pc, func id, file id, line` per frame, each a uvarint.

use super::varint::uvarint;

/// One stack frame as written in an `EvStack` record (strings by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Frame {
    /// Program counter.
    pub pc: u64,
    /// String id of the function name (0 = empty).
    pub func_id: u64,
    /// String id of the file name (0 = empty).
    pub file_id: u64,
    /// Line number.
    pub line: u64,
}

/// Appends `id, len(frames)` and `pc, func id, file id, line` per frame.
pub(crate) fn stack_body(out: &mut Vec<u8>, id: u64, frames: &[Frame]) {
    uvarint(out, id);
    uvarint(out, frames.len() as u64);
    for f in frames {
        uvarint(out, f.pc);
        uvarint(out, f.func_id);
        uvarint(out, f.file_id);
        uvarint(out, f.line);
    }
}

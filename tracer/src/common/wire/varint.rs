//! The encoder's unsigned LEB128 varints, the same in both runtimes.
//!
//! Mirrors go1.21 `runtime/trace.go` and go1.22 `runtime/trace2buf.go`: `traceBytesPerNumber`,
//! `traceBuf.varint` and `traceBuf.varintAt`. (The decoders read varints with their own Go
//! error messages, which differ between the two parsers, so reading stays in each format.)

/// Maximum bytes of one varint (`traceBytesPerNumber`).
pub const BYTES_PER_NUMBER: usize = 10;

/// Appends `v` as an unsigned LEB128 varint (`traceBuf.varint`).
pub fn uvarint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(0x80 | v as u8);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Overwrites `out[pos..pos + 10]` with `v` as a 10-byte padded varint (`traceBuf.varintAt`).
pub fn uvarint_at(out: &mut [u8], pos: usize, mut v: u64) {
    for (i, b) in out[pos..pos + BYTES_PER_NUMBER].iter_mut().enumerate() {
        let more = if i < BYTES_PER_NUMBER - 1 { 0x80 } else { 0 };
        *b = more | v as u8;
        v >>= 7;
    }
}

/// Number of bytes [`uvarint`] writes for `v`.
pub const fn uvarint_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

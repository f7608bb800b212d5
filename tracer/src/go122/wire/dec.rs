//! Raw decoder of the go1.22 wire format: the header and the batch framing.
//!
//! Mirrors go1.22 `internal/trace/v2/version/version.go` (`ReadHeader`),
//! `internal/trace/v2/batch.go` (`readBatch`) and Go's `encoding/binary` `ReadUvarint`/`Uvarint`
//! (whose errors the reader passes through), with Go's messages. Batches borrow the input; never
//! panics, whatever the input.

use super::ev::{self, EV_EVENT_BATCH, MAX_BATCH_SIZE};
use crate::common::wire::Error;

/// The trace version this module reads (go 1.22).
pub const VERSION: u32 = 22;

/// `io.EOF` as Go prints it.
pub const EOF: &str = "EOF";
/// `io.ErrUnexpectedEOF` as Go prints it.
pub const UNEXPECTED_EOF: &str = "unexpected EOF";
/// `binary.ReadUvarint`'s overflow error.
pub const OVERFLOW: &str = "binary: varint overflows a 64-bit integer";

/// A read position in a byte slice, with Go's `ReadByte`/`ReadUvarint` behaviour.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    /// The bytes read from.
    pub data: &'a [u8],
    /// The next byte to read.
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at `pos` in `data`.
    pub fn new(data: &'a [u8], pos: usize) -> Cursor<'a> {
        Cursor { data, pos }
    }

    /// Bytes left.
    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    /// The next byte, or `None` at the end.
    pub fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    /// Go's `binary.ReadUvarint`: `EOF` at once, `unexpected EOF` mid-value, or the overflow
    /// error past ten bytes.
    pub fn uvarint(&mut self) -> Result<u64, &'static str> {
        if let Some(&b) = self.data.get(self.pos).filter(|&&b| b < 0x80) {
            self.pos += 1; // one byte: most values of a trace
            return Ok(u64::from(b));
        }
        let mut x = 0u64;
        for i in 0..10 {
            let Some(b) = self.byte() else {
                return Err(if i > 0 { UNEXPECTED_EOF } else { EOF });
            };
            if b < 0x80 {
                if i == 9 && b > 1 {
                    return Err(OVERFLOW);
                }
                return Ok(x | (b as u64) << (7 * i));
            }
            x |= ((b & 0x7f) as u64) << (7 * i);
        }
        Err(OVERFLOW)
    }

    /// `n` bytes, or as many as are left (the caller compares lengths like `io.CopyN`).
    pub fn take(&mut self, n: u64) -> &'a [u8] {
        let end = self.pos.saturating_add(n.min(usize::MAX as u64) as usize);
        let end = end.min(self.data.len());
        let s = &self.data[self.pos.min(end)..end];
        self.pos = end;
        s
    }
}

/// Go's `binary.Uvarint` on a slice: the value and the bytes used, or `None` when the slice
/// ends first or the value overflows (Go's `n <= 0`).
pub fn uvarint(b: &[u8]) -> Option<(u64, usize)> {
    if let Some(&v) = b.first().filter(|&&v| v < 0x80) {
        return Some((u64::from(v), 1)); // one byte: most values of a trace
    }
    let mut x = 0u64;
    for (i, &v) in b.iter().enumerate().take(10) {
        if v < 0x80 {
            if i == 9 && v > 1 {
                return None;
            }
            return Some((x | (v as u64) << (7 * i), i + 1));
        }
        x |= ((v & 0x7f) as u64) << (7 * i);
    }
    None
}

/// Checks the 16-byte header (`ReadHeader`) and returns the offset of the first batch.
pub fn read_header(data: &[u8]) -> Result<usize, Error> {
    let minor = crate::common::wire::version::sniff(data)?;
    if minor != VERSION {
        let msg = format!("unknown or unsupported trace version go 1.{minor}");
        return Err(Error::at(0, msg));
    }
    Ok(crate::common::wire::version::HEADER_LEN)
}

/// One batch as read (`batch`): its header fields and its payload, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch<'a> {
    /// Byte offset of the `EvEventBatch` byte in the file.
    pub off: usize,
    /// Generation number.
    pub gen: u64,
    /// M id (`ThreadID`; `-1` for batches written without an M).
    pub m: i64,
    /// Base timestamp, in trace-clock units.
    pub time: u64,
    /// Byte offset of the payload.
    pub data_off: usize,
    /// The payload (`size` bytes).
    pub data: &'a [u8],
}

impl Batch<'_> {
    /// The payload's first byte, which tells a table or frequency batch from an event batch.
    pub fn kind(&self) -> Option<u8> {
        self.data.first().copied()
    }
}

/// Reads one batch at `c` (`readBatch`); `Ok(None)` at the end of the input.
pub fn read_batch<'a>(c: &mut Cursor<'a>) -> Result<Option<Batch<'a>>, Error> {
    let off = c.pos;
    let Some(typ) = c.byte() else {
        return Ok(None);
    };
    if typ != EV_EVENT_BATCH {
        let msg = format!(
            "expected batch event ({}), got {}",
            ev::name(EV_EVENT_BATCH),
            ev::name(typ)
        );
        return Err(Error::at(off, msg));
    }
    let field = |c: &mut Cursor<'a>, what: &str| {
        c.uvarint()
            .map_err(|e| Error::at(off, format!("error reading batch {what}: {e}")))
    };
    let gen = field(c, "gen")?;
    let m = field(c, "M ID")?;
    let time = field(c, "timestamp")?;
    let size = field(c, "size")?;
    if size > MAX_BATCH_SIZE {
        let msg = format!("invalid batch size {size}, maximum is {MAX_BATCH_SIZE}");
        return Err(Error::at(off, msg));
    }
    let data_off = c.pos;
    let data = c.take(size);
    if data.len() as u64 != size {
        let msg = format!(
            "failed to read full batch: read {} but wanted {size}",
            data.len()
        );
        return Err(Error::at(off, msg));
    }
    let m = m as i64;
    Ok(Some(Batch {
        off,
        gen,
        m,
        time,
        data_off,
        data,
    }))
}

/// Every batch of a file in order, with no check beyond the framing: what [`check`] and the raw
/// dump walk. Stops at the first framing error, returning the batches before it and the error.
///
/// [`check`]: super::check
pub fn batches(data: &[u8]) -> (Vec<Batch<'_>>, Option<Error>) {
    let mut out = Vec::new();
    let start = match read_header(data) {
        Ok(s) => s,
        Err(e) => return (out, Some(e)),
    };
    let mut c = Cursor::new(data, start);
    loop {
        match read_batch(&mut c) {
            Ok(Some(b)) => out.push(b),
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(e)),
        }
    }
}

//! Raw decoder of the go1.21 wire format: header, records, batches.
//!
//! Mirrors go1.21 `internal/trace/parser.go` `readTrace`, `readVal`, `readStr` and
//! `parseHeader`, with Go's error messages. Unlike Go it keeps `EvString` records in the event
//! list (with their bytes) so that checks can see where strings are defined, and it groups the
//! records into batches. Never panics, whatever the input.

use super::ev::{self, EV_BATCH, EV_STRING, EV_USER_LOG};
use crate::common::wire::Error;
use smallvec::SmallVec;
use std::collections::BTreeSet;
use std::ops::Range;

/// The only trace version this module reads (go 1.21).
pub const VERSION: u32 = 1021;
/// Largest string the parser accepts (`1e6` in `readTrace`).
pub const STRING_LEN_MAX: u64 = 1_000_000;

/// A record's wire values: inline up to eight (every event but stacks and long logs).
pub type Args = SmallVec<[u64; 8]>;

/// One wire record as read, before any interpretation of its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    /// Byte offset of the type byte in the file.
    pub off: usize,
    /// Byte offset just past the record (inline string included).
    pub end: usize,
    /// Event type (low six bits of the type byte).
    pub typ: u8,
    /// Wire values in order (timestamp delta first for regular events); `[id]` for `EvString`.
    pub args: Args,
    /// Inline bytes: the string of an `EvString`, the message of an `EvUserLog`.
    pub data: Option<Vec<u8>>,
    /// Index of the batch this record belongs to (`None` before the first `EvBatch`).
    pub batch: Option<usize>,
}

/// One batch: an `EvBatch` header and the records up to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Byte offset of the `EvBatch` record.
    pub off: usize,
    /// Byte offset just past the batch's last record.
    pub end: usize,
    /// P id as Go reads it (`int(args[0])`; −1 for the global buffer).
    pub p: i64,
    /// Absolute timestamp of the batch header.
    pub ts: u64,
    /// Index of the `EvBatch` record in [`Decoded::events`].
    pub header: usize,
    /// Indices of the records after the header.
    pub events: Range<usize>,
}

/// A decoded file: its version, every record in file order, and the batches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decoded {
    /// Trace version from the header (always [`VERSION`]).
    pub version: u32,
    /// File length in bytes.
    pub len: usize,
    /// Every record, `EvBatch` and `EvString` included, in file order.
    pub events: Vec<RawEvent>,
    /// The batches, in file order.
    pub batches: Vec<Batch>,
}

/// Decodes a whole go1.21 trace file into raw records (Go's `readTrace`).
pub fn decode(data: &[u8]) -> Result<Decoded, Error> {
    decode_with(data, true)
}

/// Like [`decode`], but keeps duplicate string ids and strings longer than
/// [`STRING_LEN_MAX`], so that [`check`](super::check) can report them as I6 and I15.
pub fn decode_lenient(data: &[u8]) -> Result<Decoded, Error> {
    decode_with(data, false)
}

fn decode_with(data: &[u8], strict: bool) -> Result<Decoded, Error> {
    let version = read_header(data)?;
    let mut r = Reader {
        data,
        off: 16,
        strict,
    };
    let mut out = Decoded {
        version,
        len: data.len(),
        events: Vec::with_capacity(records_estimate(data.len())),
        batches: Vec::new(),
    };
    let mut strings = BTreeSet::new();
    while r.off < data.len() {
        let raw = r.record(&mut strings)?;
        push_record(&mut out, raw);
    }
    if let Some(b) = out.batches.last_mut() {
        b.end = data.len();
    }
    Ok(out)
}

/// A capacity for the records of a `len`-byte file: most records take four bytes or more, and
/// the guess is capped so that a large file does not reserve far more than it needs.
fn records_estimate(len: usize) -> usize {
    (len / 4).min(1 << 16)
}

#[inline]
fn push_record(out: &mut Decoded, mut raw: RawEvent) {
    let idx = out.events.len();
    if raw.typ == EV_BATCH {
        if let Some(prev) = out.batches.last_mut() {
            prev.end = raw.off;
        }
        let p = raw.args.first().map_or(0, |&v| v as i64);
        let ts = raw.args.get(1).copied().unwrap_or(0);
        let (off, header, events) = (raw.off, idx, idx + 1..idx + 1);
        out.batches.push(Batch {
            off,
            end: raw.end,
            p,
            ts,
            header,
            events,
        });
    } else if let Some(b) = out.batches.last_mut() {
        b.events.end = idx + 1;
        b.end = raw.end;
    }
    raw.batch = out.batches.len().checked_sub(1);
    out.events.push(raw);
}

/// Reads the 16-byte header and returns the version (Go's `parseHeader` plus the version gate).
pub fn read_header(data: &[u8]) -> Result<u32, Error> {
    if data.len() < 16 {
        let err = if data.is_empty() {
            "EOF"
        } else {
            "unexpected EOF"
        };
        let msg = format!("failed to read header: read {}, err {}", data.len(), err);
        return Err(Error::at(data.len(), msg));
    }
    let ver = parse_header(&data[..16]).ok_or_else(|| Error::at(0, "not a trace file"))?;
    let (major, minor) = (ver / 1000, ver % 1000);
    let msg = match ver {
        VERSION => return Ok(ver),
        1005 | 1007..=1011 | 1019 => {
            format!(
                "trace file version {major}.{minor} is not supported here (go 1.21 traces only)"
            )
        }
        _ => format!("unsupported trace file version {major}.{minor} (update Go toolchain) {ver}"),
    };
    Err(Error::at(0, msg))
}

/// Parses `go 1.NN trace` padded with NULs into 1000+NN (`parseHeader`).
fn parse_header(buf: &[u8]) -> Option<u32> {
    let digit = |b: u8| (b'1'..=b'9').contains(&b);
    if !(buf.starts_with(b"go ") && digit(buf[3]) && buf[4] == b'.' && digit(buf[5])) {
        return None;
    }
    let mut ver = u32::from(buf[5] - b'0');
    let mut i = 0;
    while i < 2 && buf[6 + i].is_ascii_digit() {
        ver = ver * 10 + u32::from(buf[6 + i] - b'0');
        i += 1;
    }
    ver += u32::from(buf[3] - b'0') * 1000;
    let tail = &b" trace\0\0\0\0"[..10 - i];
    (&buf[6 + i..] == tail).then_some(ver)
}

/// A failed `readVal`: Go's inner message.
struct ValErr(String);

struct Reader<'a> {
    data: &'a [u8],
    off: usize,
    /// Reject duplicate string ids and over-long strings, as Go does.
    strict: bool,
}

impl Reader<'_> {
    /// Reads one unsigned base-128 value (`readVal`).
    #[inline]
    fn val(&mut self) -> Result<u64, ValErr> {
        if let Some(&b) = self.data.get(self.off).filter(|&&b| b & 0x80 == 0) {
            self.off += 1; // one byte: most values of a trace
            return Ok(u64::from(b));
        }
        let off0 = self.off;
        let mut v = 0u64;
        for i in 0..10 {
            let Some(&b) = self.data.get(self.off) else {
                return Err(ValErr(format!(
                    "failed to read trace at offset {off0}: read 0, error EOF"
                )));
            };
            self.off += 1;
            v |= u64::from(b & 0x7f) << (i * 7);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ValErr(format!("bad value at offset 0x{off0:x}")))
    }

    /// Reads `n` bytes, or fails with Go's `io.ReadFull` wording.
    fn bytes(&mut self, n: u64) -> Result<Vec<u8>, Error> {
        let avail = self.data.len() - self.off;
        if (avail as u64) < n {
            let err = if avail == 0 { "EOF" } else { "unexpected EOF" };
            let msg = format!(
                "failed to read trace at offset {}: read {avail}, want {n}, error {err}",
                self.off
            );
            return Err(Error::at(self.off, msg));
        }
        let out = self.data[self.off..self.off + n as usize].to_vec();
        self.off += n as usize;
        Ok(out)
    }

    /// Reads one record starting at the current offset.
    #[inline]
    fn record(&mut self, strings: &mut BTreeSet<u64>) -> Result<RawEvent, Error> {
        let off0 = self.off;
        let byte = self.data[off0];
        self.off += 1;
        let typ = byte & 0x3f;
        if ev::desc(typ).is_none() {
            return Err(Error::at(
                off0,
                format!("unknown event type {typ} at offset 0x{off0:x}"),
            ));
        }
        let mut raw = RawEvent {
            off: off0,
            end: off0,
            typ,
            args: Args::new(),
            data: None,
            batch: None,
        };
        if typ == EV_STRING {
            let (id, bytes) = self.string_record(off0, strings)?;
            raw.args.push(id);
            raw.data = Some(bytes);
        } else {
            raw.args = self.values(off0, typ, byte >> 6)?;
            if typ == EV_USER_LOG {
                raw.data = Some(self.inline_string(off0)?);
            }
        }
        raw.end = self.off;
        Ok(raw)
    }

    /// Reads an `EvString` body: id, length, bytes, with Go's checks.
    fn string_record(
        &mut self,
        off0: usize,
        seen: &mut BTreeSet<u64>,
    ) -> Result<(u64, Vec<u8>), Error> {
        let fail = |msg: String| Err(Error::at(off0, msg));
        let id = self.val().map_err(|e| Error::at(off0, e.0))?;
        let off = self.off;
        if id == 0 {
            return fail(format!("string at offset {off} has invalid id 0"));
        }
        if self.strict && seen.contains(&id) {
            return fail(format!("string at offset {off} has duplicate id {id}"));
        }
        let len = self.val().map_err(|e| Error::at(off0, e.0))?;
        let off = self.off;
        if len == 0 {
            return fail(format!("string at offset {off} has invalid length 0"));
        }
        if self.strict && len > STRING_LEN_MAX {
            return fail(format!("string at offset {off} has too large length {len}"));
        }
        let bytes = self.bytes(len)?;
        if self.strict {
            seen.insert(id);
        }
        Ok((id, bytes))
    }

    /// Reads the values of a regular event: inline when the count bits are < 3, else
    /// length-prefixed (`event has wrong length` on mismatch).
    fn values(&mut self, off0: usize, typ: u8, bits: u8) -> Result<Args, Error> {
        let wrap = |e: ValErr| {
            Error::at(
                off0,
                format!("failed to read event {typ} argument at offset 0 ({})", e.0),
            )
        };
        let narg = usize::from(bits) + 1;
        if narg < 4 {
            let mut inline = [0u64; 8];
            for v in &mut inline[..narg] {
                *v = self.val().map_err(wrap)?;
            }
            return Ok(Args::from_buf_and_len(inline, narg));
        }
        let len = self.val().map_err(wrap)?;
        let start = self.off;
        let mut args = Args::new();
        while len > (self.off - start) as u64 {
            args.push(self.val().map_err(wrap)?);
        }
        let got = self.off - start;
        if len != got as u64 {
            let msg = format!("event has wrong length at offset 0x{off0:x}: want {len}, got {got}");
            return Err(Error::at(off0, msg));
        }
        Ok(args)
    }

    /// Reads the inline message of an `EvUserLog` (`readStr`).
    fn inline_string(&mut self, off0: usize) -> Result<Vec<u8>, Error> {
        let len = self.val().map_err(|e| Error::at(off0, e.0))?;
        if self.strict && len > STRING_LEN_MAX {
            let msg = format!("string at offset {} is too large (len={len})", self.off);
            return Err(Error::at(off0, msg));
        }
        self.bytes(len)
    }
}

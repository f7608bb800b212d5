//! The go1.22 execution trace wire format (trace version 22), std only.
//!
//! Mirrors the writer in go1.22 `runtime/trace2*.go` and the reader in go1.22
//! `internal/trace/v2` (with `testtrace.Validator`):
//!
//! - [`ev`]: event types and Go's spec table (`event/go122/event.go`).
//! - [`enc`]: the encoder, byte for byte as the runtime writes (allocation-free with capacity).
//! - [`dec`]: header and batch framing (`batch.go`), Go's varint reader; [`gen`]: one
//!   generation's batches, tables, CPU samples and frequency (`generation.go`).
//! - [`reader`]: Go's `Reader.ReadEvent` (`reader.go`, `batchcursor.go`) over the ordering state
//!   machine of `order.go` (private `order`, `order_go`, `order_misc`).
//! - [`event`] and its accessors: Go's parsed `Event` (`event.go`, `resources.go`).
//! - [`validate`]: Go's `testtrace.Validator`; [`check`]: structural checks Go does not make.
//! - [`dump`]: Go's `Event.String` and the raw `go tool trace -d=2` dump; [`text`]: the text
//!   trace format of Go's `.test` files (`raw/textreader.go`), assembled into bytes.
//!
//! Errors are [`crate::common::wire::Error`]: Go's message verbatim and the byte offset where there is one.

pub mod check;
pub mod dec;
mod diag;
pub mod dump;
pub mod enc;
pub mod ev;
pub mod event;
pub mod gen;
mod meaning;
mod order;
mod order_go;
mod order_misc;
pub mod reader;
pub mod text;
pub mod validate;
mod validate_sched;

pub use event::{Event, Kind};
pub use reader::Reader;
pub use validate::Validator;

use crate::common::wire::Error;

/// The outcome of reading and validating a whole trace the way Go's `gotracevalidate` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Every event rendered by `Event.String` (plus newline), in order, up to the failure; the
    /// event the validator rejects is included, as Go logs it before validating.
    pub text: String,
    /// Events read.
    pub events: usize,
    /// The first reader or validator error.
    pub error: Option<Error>,
}

/// Reads every event and validates it: Go's reader plus `testtrace.Validator`. With `render`,
/// each event's text is kept (what the oracle prints).
pub fn read_and_validate(data: &[u8], render: bool) -> Verdict {
    let mut v = Verdict {
        text: String::new(),
        events: 0,
        error: None,
    };
    let mut r = match Reader::new(data) {
        Ok(r) => r,
        Err(e) => {
            v.error = Some(e);
            return v;
        }
    };
    let mut val = Validator::new();
    loop {
        match r.next_event() {
            Ok(None) => return v,
            Ok(Some(e)) => {
                v.events += 1;
                // Go's `Event.String` panics on a stack missing from the table, so such an
                // event is never logged; the validator then reports it.
                if render && stacks_exist(&e) {
                    dump::write_event(&mut v.text, &e);
                }
                if let Err(msg) = val.event(&e) {
                    v.error = Some(Error::whole(msg));
                    return v;
                }
            }
            Err(e) => {
                v.error = Some(e);
                return v;
            }
        }
    }
}

fn stacks_exist(e: &Event<'_>) -> bool {
    let t = e.transition().and_then(|t| t.stack);
    [e.stack(), t]
        .into_iter()
        .flatten()
        .all(|id| e.table.stacks.get(id).is_some())
}

/// Every event of a valid trace, or the first error (reader or validator).
pub fn parse(data: &[u8]) -> Result<Vec<Event<'_>>, Error> {
    let mut r = Reader::new(data)?;
    let mut val = Validator::new();
    let mut out = Vec::new();
    while let Some(e) = r.next_event()? {
        val.event(&e).map_err(Error::whole)?;
        out.push(e);
    }
    Ok(out)
}

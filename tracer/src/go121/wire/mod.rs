//! The go1.21 execution trace wire format (trace version 1021), std only.
//!
//! Mirrors the writer in go1.21 `runtime/trace.go` and the reader in go1.21
//! `internal/trace/parser.go` + `order.go`:
//!
//! - [`ev`]: event type constants (`EV_GO_CREATE`, …) and Go's `EventDescriptions`.
//! - [`enc`]: the encoder, byte for byte as the runtime writes (allocation-free with capacity).
//! - [`dec`]: the raw decoder (Go's `readTrace`): header, records, batches, string table.
//! - [`parse`]: Go's `parseEvents`, `order1007`, `removeFutile` and `postProcessTrace`.
//! - [`dump`]: Go's `ev.String()`, the oracle's stack and verdict lines, and a raw rendering.
//! - [`check`]: structural invariants Go's old parser does not check (I3, I5, I6, I7, I15).
//!
//! Private: `order` (Go's `order1007` and `removeFutile`), `post` (`postProcessTrace`'s P, G
//! and GC state machines) and `user` (its task and region cases), used by [`parse`].
//!
//! Errors are [`crate::common::wire::Error`]; those that Go's parser also reports carry Go's
//! message verbatim, so a failure can be looked up in Go's source and compared with the oracle's
//! `FAIL:` line.

pub mod check;
pub mod dec;
pub mod dump;
pub mod enc;
pub mod ev;
mod order;
pub mod parse;
mod post;
mod user;

pub use check::{check, Violation};
pub use dec::{decode, Batch, Decoded, RawEvent};
pub use parse::{parse, parse_decoded, Event, Trace};

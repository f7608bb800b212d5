//! The model of the go1.21 execution tracer (`runtime/trace.go` at go1.21.0).
//!
//! Module map:
//! - [`wire`]: the go1.21 wire format (version 1021): encoder, raw decoder, a port of Go's
//!   `internal/trace` parser for that version, and text renderings.

pub mod wire;

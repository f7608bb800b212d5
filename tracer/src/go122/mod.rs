//! Go 1.22's execution tracer (`runtime/trace2*.go`, `internal/trace/v2`).
//!
//! Today this holds the go1.22 wire format ([`wire`]): encoder, reader, validator and dump. The
//! go1.22 runtime model will live beside it (see `shared/design/layout.md`).

pub mod wire;

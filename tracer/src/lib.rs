//! Two models of Go's execution tracer, side by side on the `sim` simulator, with their wire
//! formats, decoders and validators.
//!
//! Module map (one-way arrows: `go121` and `go122` use `sim`, `common`, `wire` and `variant`,
//! never each other):
//! - [`common`]: what both models share on top of `sim`: the SIGPROF ring (`profBuf`).
//! - [`go121`]: the go1.21 tracer (`runtime/trace.go`, seed 1 = commit 94a948d).
//! - [`go122`]: the go1.22 tracer (`runtime/trace2*.go`, seed 2 = commit 5249947), with its own
//!   wire format under `go122::wire`.
//! - [`wire`]: the go1.21 wire format, and what both formats share (errors, varints, quoting,
//!   [`wire::version`]'s header sniffing).
//! - [`variant`]: [`Variant`], the variants of both models (`v1.x`, `v2.x`) as one enum.
//! - [`fuzz`]: a seeded mutation fuzzer for the decoders of both formats.

pub mod common;
pub mod fuzz;
pub mod go121;
pub mod go122;
pub mod variant;
pub mod wire;

pub use variant::Variant;

//! Two models of Go's execution tracer, side by side on the `sim` simulator, with their wire
//! formats, decoders and validators.
//!
//! Module map (one-way arrows: `go121` and `go122` use `sim`, `common` and `variant`, never each
//! other; `common` names neither model):
//! - [`common`]: what both models share on top of `sim`: the SIGPROF ring (`profBuf`), the
//!   harness gates, and [`common::wire`], what both wire formats share (errors, varints, Go's
//!   quoting, the stack record body, [`common::wire::version`]'s header sniffing).
//! - [`go121`]: the go1.21 tracer (`runtime/trace.go`, seed 1 = commit 94a948d), with its own
//!   wire format under `go121::wire`.
//! - [`go122`]: the go1.22 tracer (`runtime/trace2*.go`, seed 2 = commit 5249947), with its own
//!   wire format under `go122::wire`.
//! - [`variant`]: [`Variant`], the variants of both models (`v1.x`, `v2.x`) as one enum.
//! - [`fuzz`]: a seeded mutation fuzzer for the decoders of both formats.
//!
//! Each model keeps its own ghost log and delivery checks (`go121::ghost` and `go122::ghost`,
//! with their `validate`): keyed by (session, P, timestamp) with stacks against (value, M,
//! generation), reporting in output order against commit order, they share no generic core
//! (README, Layout, says why).

pub mod common;
pub mod fuzz;
pub mod go121;
pub mod go122;
pub mod variant;

pub use variant::Variant;

//! What both tracer models share, depending on `sim` and std only: [`profbuf`], the SIGPROF ring
//! and its `signalLock` (`runtime/profbuf.go`, unchanged between go1.21 and go1.22); [`gates`],
//! where the harness's workload sleeps while tracing is off; [`wire`], what the two wire formats
//! share (errors, the encoder's varints, Go's quoting, the stack record body, header sniffing).
//! The world (Ps and stop-the-world), the checked cells and the observer's ghost values are
//! `sim`'s (`sim::cell::World`, `sim::cell`, `sim::ghost`), shared the same way.

pub mod gates;
pub mod profbuf;
pub mod wire;

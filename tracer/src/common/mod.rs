//! What both tracer models share, depending on `sim` only: [`profbuf`], the SIGPROF ring and its
//! `signalLock`; [`gates`], where the harness's workload sleeps while tracing is off (`runtime/profbuf.go`, unchanged between go1.21 and go1.22). The world (Ps and
//! stop-the-world), the checked cells and the observer's ghost values are `sim`'s
//! (`sim::cell::World`, `sim::cell`, `sim::ghost`), shared the same way.

pub mod gates;
pub mod profbuf;

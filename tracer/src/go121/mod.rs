//! The model of the go1.21 execution tracer (`runtime/trace.go` at go1.21.0, seed commit
//! 94a948d applied), with its wire format under [`wire`].
//!
//! Module map:
//! - [`state`]: the global `trace` struct, each field behind Go's documented protection, checked;
//!   [`world`]: Ps and stop-the-world; [`locks`]: go1.21.0's lock ranks; [`alloc`]: `mallocgc`.
//! - [`buf`], [`flush`], [`emit`]: buffers, `traceFlush`, `traceEvent`.
//! - [`strings`], [`stack`]: the string table and the stack table with its lock-free `find`.
//! - [`cpu`]: the SIGPROF ring (`profBuf`) and `traceReadCPU`.
//! - [`reader`]: `ReadTrace`/`readTrace0`/`traceReader`; [`sched`]: `findRunnable`'s poll, the
//!   reader's park, `wakep`; [`control`]: `StartTrace`/`StopTrace`.
//! - [`actors`]: the simulated threads of §G.2; [`ghost`]: what they committed;
//!   [`lifecycle`]: goroutine and P slices as the runtime ends them.
//! - [`validate`]: the invariants of §G.6 over the output, and [`viewer`] what Go's viewer needs.
//! - [`wire`]: the go1.21 wire format (encoder, decoder, Go's parser, structural checks, dumps).
//!
//! Its variants (V1.0 released, V1.x bugs of §G.7) are [`crate::Variant`]'s v1 arms.

pub mod actors;
pub mod alloc;
pub mod buf;
pub mod control;
pub mod cpu;
pub mod emit;
pub mod flush;
pub mod ghost;
pub mod lifecycle;
pub mod locks;
pub mod reader;
pub mod sched;
pub mod stack;
pub mod state;
pub mod strings;
pub mod validate;
pub mod viewer;
pub mod wire;
pub mod world;

pub use state::{Config, Trace};

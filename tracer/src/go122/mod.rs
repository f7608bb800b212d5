//! Go 1.22's execution tracer (`runtime/trace2*.go`, `internal/trace/v2`): the runtime model and
//! the wire format.
//!
//! Module map of the model (seed 2 is commit 5249947, see the design notes §B.11):
//! - [`state`]: the global `trace` struct (`gen`, `full[2]`, `readerGen`, `flushedGen`,
//!   `doneSema[2]`, `traceAdvanceSema`, `traceShutdownSema`); [`m`]: per-M `buf[gen%2]` and
//!   the seqlock; [`locks`]: go1.22's lock ranks.
//! - [`locker`]: `traceAcquire`/`traceRelease` and the event writer; [`buf`]: `refill`,
//!   `flush`, `traceBufFlush`; [`out`]: the one door to the encoder.
//! - [`tab`]: `traceMap`; [`stack`]: `stackTab[2]`, `dump`, `makeTraceFrames`, `mallocgc`;
//!   [`strings`]: `stringTab[2]`; [`cpu`]: `profBuf[2]`, the SIGPROF handler, `traceReadCPU`.
//! - [`g`]: goroutines, their statuses and `GoCreate`/`GoStart`/`GoBlock`/`GoUnblock`/`GoDestroy`.
//! - [`advance`]: `traceAdvance`; [`control`]: `StartTrace`/`StopTrace`; [`reader`]:
//!   `readTrace0` and the reader's generation hand-off; [`sched`]: `findRunnable`'s poll,
//!   `wakep`, the idle M, `wakeableSleep`; [`foreachp`]: `forEachP` (step 11) and the safe
//!   points and P hand-offs it meets.
//! - [`harness`]: the actors of §G.2; [`ghost`]: what they committed; [`validate`]: Go's reader
//!   and validator plus the ghost invariants; [`variant`]: V2.0–V2.12.
//! - [`wire`]: the go1.22 wire format (encoder, Go's reader and `testtrace.Validator`).

pub mod advance;
pub mod buf;
pub mod control;
pub mod cpu;
pub mod foreachp;
pub mod g;
pub mod ghost;
pub mod harness;
pub mod locker;
pub mod locks;
pub mod m;
pub mod out;
pub mod reader;
pub mod sched;
pub mod stack;
pub mod state;
pub mod strings;
pub mod tab;
pub mod validate;
pub mod variant;
pub mod wire;

pub use state::{Config, Trace};
pub use variant::Variant;

//! Variants of the go1.21 model (§G.7 of the design notes): the released code (V1.0) and the
//! code paths that the seed commit and its neighbours changed, each a toggle on the one model.

/// One variant of the go1.21 tracer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variant {
    /// go1.21 as released (seed 1 applied).
    #[default]
    V1_0,
    /// Before 94a948d: reentrant `trace.lock` via `lockOwner`, CPU drain inside the lock.
    V1_1,
    /// Non-reentrant `trace.lock`, drain left inside it.
    V1_2,
    /// Reentrant lock; one `readTrace0` unlock path forgets to clear the owner.
    V1_3,
    /// The reader drains CPU samples without holding its P.
    V1_4,
    /// `readTrace0`'s unlocked drain guard `!footerWritten && !shutdown` removed.
    V1_5,
    /// Two concurrent `ReadTrace` callers.
    V1_6,
    /// Park callback without the `traceReader` re-check (only).
    V1_7,
    /// `dump` holds `stackTab.lock` for the whole walk.
    V1_8,
    /// `dump` runs before writers are quiesced (the reader dumps before shutdown).
    V1_9,
    /// `StopTrace` does not wait on `shutdownSema`.
    V1_10,
    /// Emitters do not re-check `enabled` after taking their P.
    V1_11,
    /// A variant of the go1.22 model ([`crate::go122::Variant`]).
    V2(crate::go122::Variant),
}

impl Variant {
    /// Every variant, in order.
    pub const ALL: [Variant; 12] = [
        Self::V1_0,
        Self::V1_1,
        Self::V1_2,
        Self::V1_3,
        Self::V1_4,
        Self::V1_5,
        Self::V1_6,
        Self::V1_7,
        Self::V1_8,
        Self::V1_9,
        Self::V1_10,
        Self::V1_11,
    ];

    /// The short stable name (`v1.0`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::V1_0 => "v1.0",
            Self::V1_1 => "v1.1",
            Self::V1_2 => "v1.2",
            Self::V1_3 => "v1.3",
            Self::V1_4 => "v1.4",
            Self::V1_5 => "v1.5",
            Self::V1_6 => "v1.6",
            Self::V1_7 => "v1.7",
            Self::V1_8 => "v1.8",
            Self::V1_9 => "v1.9",
            Self::V1_10 => "v1.10",
            Self::V1_11 => "v1.11",
            Self::V2(v) => v.name(),
        }
    }

    /// Parses a name (`v1.2`, `V1.2` or `1.2`; `v2.x` names a go1.22 variant).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase();
        let t = if t.starts_with('v') {
            t
        } else {
            format!("v{t}")
        };
        Self::ALL
            .into_iter()
            .find(|v| v.name() == t)
            .or_else(|| crate::go122::Variant::parse(&t).map(Self::V2))
    }

    /// The go1.22 variant, if this is one.
    pub fn go122(self) -> Option<crate::go122::Variant> {
        match self {
            Self::V2(v) => Some(v),
            _ => None,
        }
    }

    /// One line: what the variant changes.
    pub fn description(self) -> &'static str {
        match self {
            Self::V1_0 => "go1.21 as released: trace.lock not reentrant, readTrace0 drains CPU samples before locking",
            Self::V1_1 => "before 94a948d: trace.lock reentrant through lockOwner (the reader goroutine), drain inside the lock",
            Self::V1_2 => "trace.lock made non-reentrant but traceReadCPU left inside readTrace0's locked region",
            Self::V1_3 => "reentrant trace.lock; readTrace0's park path unlocks without clearing lockOwner",
            Self::V1_4 => "the reader drains CPU samples without holding its P, so StopTrace's drain can run concurrently",
            Self::V1_5 => "readTrace0 drains CPU samples without its guard !footerWritten && !shutdown",
            Self::V1_6 => "two goroutines call ReadTrace concurrently",
            Self::V1_7 => "the reader's park callback skips the traceReader re-check (nothing else changes)",
            Self::V1_8 => "stack table dump holds stackTab.lock for the whole walk",
            Self::V1_9 => "the reader dumps the stack table before writers are quiesced",
            Self::V1_10 => "StopTrace does not wait on shutdownSema before its cleanup",
            Self::V1_11 => "emitters do not re-check trace.enabled after taking their P",
            Self::V2(v) => v.description(),
        }
    }

    /// One line: what the model must show (§G.7).
    pub fn prediction(self) -> &'static str {
        match self {
            Self::V1_0 => "all invariants hold",
            Self::V1_1 => "all invariants hold (the reentrancy is exercised whenever a sample is drained)",
            Self::V1_2 => "deadlock: the reader re-acquires trace (rank 42) in traceFlush under traceReadCPU under readTrace0",
            Self::V1_3 => "I11: a later flush by the reader goroutine skips trace.lock and touches the full/empty queues unlocked",
            Self::V1_4 => "I12: two concurrent drainers of the CPU profile buffer, or a drained sample lost",
            Self::V1_5 => "all invariants hold (negative control): after StopTrace's drain the profBuf is closed and empty, and the reader never calls again after its final nil, so cleanup's nil cpuLogRead is never drained",
            Self::V1_6 => "`ReadTrace called from multiple goroutines simultaneously`, then StopTrace hangs (I8), or I4 (`trace.reading` recycled before its consumer called again), or I12",
            Self::V1_7 => "all invariants hold (negative control): park_m's schedule() polls traceReader on the same M right after the callback, so a reader published with work pending is readied there; the re-check only saves a reschedule",
            Self::V1_8 => "rank report `0 : traceStackTab 43` / `1 : fin 26` (the first allocation's finalizer-queue may-acquire, fpunwindExpand's make); the trace stays valid",
            Self::V1_9 => "I13: the dump starts while tracing is enabled (revised from I5: with every check on, the quiescence check stops the execution before the stack put after the walk can show as undefined)",
            Self::V1_10 => "I10 (`trace: non-empty full trace buffer`, `reading after shutdown`) or I14/I7",
            Self::V1_11 => "I2 (an event lost) or I10 (`trace: non-empty trace buffer in proc`, `trace: non-empty global trace buffer`)",
            Self::V2(v) => v.prediction(),
        }
    }

    /// Whether `trace.lock` is reentrant through `lockOwner` (before 94a948d).
    pub fn reentrant_lock(self) -> bool {
        matches!(self, Self::V1_1 | Self::V1_3)
    }

    /// Whether `readTrace0` drains CPU samples inside the lock, after the header step.
    pub fn drain_inside_lock(self) -> bool {
        matches!(self, Self::V1_1 | Self::V1_2 | Self::V1_3)
    }
}

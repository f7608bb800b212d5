//! Variants of the go1.22 model (§G.7, rows V2.x): go1.22.0 as released (V2.0) and the code
//! paths seed 2 (5249947) and its neighbours changed, each a toggle on the one model.

/// One variant of the go1.22 tracer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    #[default]
    V2_0,
    V2_1,
    V2_2,
    V2_3,
    V2_4,
    V2_5,
    V2_6,
    V2_7,
    V2_8,
    V2_9,
    V2_10,
    V2_11,
    V2_12,
}

/// Name, what it changes, what the model must show.
const TABLE: [(Variant, &str, &str, &str); 13] = [
    (Variant::V2_0, "v2.0", "go1.22.0 as released: dump walks the stack table lock-free and locks it only around reset",
     "all invariants hold"),
    (Variant::V2_1, "v2.1", "before 5249947: dump holds stackTab[gen%2].tab.lock for the whole walk",
     "rank report `0 : traceStackTab 48` / `1 : fin 31` at the first dump of a non-empty table; the trace stays valid"),
    (Variant::V2_2, "v2.2", "v2.1 and one stack table for all generations: the dumped table is the one live writers use",
     "ABBA deadlock by schedule (rank checking off): dump holds traceStackTab and waits for mheap while the allocator holds mheap and waits for traceStackTab; reported as a deadlock with that wait cycle (nothing spins: every other actor is parked); other schedules: I5 (ids reused across generations), or a `data_race` on a `traceMapNode` (the dump's walk and a live writer's insert unordered)"),
    (Variant::V2_3, "v2.3", "dump(gen) and the string reset run before the quiescence loop and the CPU flush",
     "I13 (a put into the table during or after its dump), I5 `found invalid stack ID`, or a `data_race` on a `traceMapNode` (the dump's walk and a live writer's insert unordered); no I6 since step 4 registers the block reasons before the generation starts"),
    (Variant::V2_4, "v2.4", "stringTab[gen%2].reset runs before stackTab[gen%2].dump",
     "I6 `found invalid func/file string ID`, or I7 `generations out of order` (a leftover string batch)"),
    (Variant::V2_5, "v2.5", "traceCPUFlush(gen) runs after the stack dump",
     "I13 (a CPU sample's stack put after the dump), I5 for the sample's stack"),
    (Variant::V2_6, "v2.6", "the reader releases doneSema[gen%2] while holding trace.lock (before e4ea6283e4)",
     "rank report `trace 47` under `trace 47` from the ready hook's traceAcquire, or a self-deadlock on trace.lock"),
    (Variant::V2_7, "v2.7", "the quiescence loop flushes every M's buffer regardless of its seqlock parity",
     "I4: an M still writes into buf[gen%2] when the advancer flushes it; or its consequences: I2 (a batch lost), I7, I12 (the CPU reader's traceLocker not waited for) or, the same seen by the race detector, a `data_race` on `trace.cpuBuf` (the CPU reader's batch and the advancer's traceCPUFlush), I13 (a live writer inserts into the table being dumped), or a `data_race` on `m.trace.buf` (the advancer and the writing M both use the buffer, nothing orders them)"),
    (Variant::V2_8, "v2.8", "flushedGen is published before the CPU flush, dump and string reset",
     "I7 `generations out of order`, or `trace: non-empty full trace buffer for done generation`"),
    (Variant::V2_9, "v2.9", "the SIGPROF handler does not take the M's seqlock (before f5e475edaf, #55317)",
     "I12: a sample written into profBuf[gen%2] after traceCPUFlush(gen) is lost or lands in a later generation"),
    (Variant::V2_10, "v2.10", "StopTrace waits for the advancer while still holding traceAdvanceSema",
     "I8: StopTrace waits for the advancer's exit while the advancer blocks in semacquire(traceAdvanceSema); reported as a deadlock (every other actor is parked)"),
    (Variant::V2_11, "v2.11", "the reader clears workAvailable after unlocking (negative control)",
     "all invariants hold: traceReaderAvailable also wakes on flushedGen == readerGen and shutdown"),
    (Variant::V2_12, "v2.12", "two goroutines call ReadTrace concurrently",
     "the readers split the stream: Go's reader rejects the first reader's bytes (`bad file format`, `no frequency event found`, …) or I2; the rejected caller logs `ReadTrace called from multiple goroutines simultaneously`"),
];

impl Variant {
    /// Every variant, in order.
    pub const ALL: [Variant; 13] = [
        Self::V2_0,
        Self::V2_1,
        Self::V2_2,
        Self::V2_3,
        Self::V2_4,
        Self::V2_5,
        Self::V2_6,
        Self::V2_7,
        Self::V2_8,
        Self::V2_9,
        Self::V2_10,
        Self::V2_11,
        Self::V2_12,
    ];

    fn row(self) -> &'static (Variant, &'static str, &'static str, &'static str) {
        &TABLE[self as usize]
    }

    /// The short stable name (`v2.0`, …).
    pub fn name(self) -> &'static str {
        self.row().1
    }

    /// One line: what the variant changes.
    pub fn description(self) -> &'static str {
        self.row().2
    }

    /// One line: what the model must show (§G.7, revised where the model says otherwise).
    pub fn prediction(self) -> &'static str {
        self.row().3
    }

    /// Parses a name (`v2.1`, `V2.1` or `2.1`).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase();
        let t = t.strip_prefix('v').unwrap_or(&t);
        Self::ALL.into_iter().find(|v| &v.name()[1..] == t)
    }

    /// Whether the variant is expected to pass every check (the baselines and negative controls).
    pub fn expected_to_pass(self) -> bool {
        matches!(self, Self::V2_0 | Self::V2_11)
    }

    /// `dump` holds the table lock for the whole walk (before 5249947).
    pub fn locked_walk(self) -> bool {
        matches!(self, Self::V2_1 | Self::V2_2)
    }

    /// One stack table for every generation.
    pub fn single_stack_table(self) -> bool {
        self == Self::V2_2
    }
}

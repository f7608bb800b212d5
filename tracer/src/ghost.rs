//! Ghost logs: what each actor committed, kept outside the modelled system (never a
//! synchronisation point) and compared with the reader's output after the execution (§G.1).

/// One event an actor wrote into a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GhostEvent {
    pub session: u64,
    pub pid: i32,
    pub ts: u64,
    pub typ: u8,
}

/// One CPU sample the profBuf accepted (`real_ts` identifies it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GhostSample {
    pub session: u64,
    pub real_ts: u64,
}

/// An actor's ghost log.
#[derive(Clone, Debug, Default)]
pub struct Ghost {
    pub events: Vec<GhostEvent>,
    pub samples: Vec<GhostSample>,
}

impl Ghost {
    /// Appends another actor's log.
    pub fn merge(&mut self, other: Ghost) {
        self.events.extend(other.events);
        self.samples.extend(other.samples);
    }
}

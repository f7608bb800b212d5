//! Ghost logs: what each actor committed, kept outside the modelled system (never a
//! synchronisation point) and compared with the reader's output after the execution (§G.1).

/// The stack an event referenced: the id `put` returned and the PCs it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GhostStack {
    pub id: u64,
    pub pcs: [u64; crate::go121::stack::DEPTH_MAX],
    pub len: usize,
}

impl GhostStack {
    /// The stack `pcs` interned as `id`.
    pub fn new(id: u64, pcs: &[u64]) -> Self {
        let mut s = Self {
            id,
            pcs: [0; crate::go121::stack::DEPTH_MAX],
            len: pcs.len(),
        };
        s.pcs[..pcs.len()].copy_from_slice(pcs);
        s
    }

    /// The PCs.
    pub fn pcs(&self) -> &[u64] {
        &self.pcs[..self.len]
    }
}

/// One event an actor wrote into a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GhostEvent {
    pub session: u64,
    pub pid: i32,
    pub ts: u64,
    pub typ: u8,
    pub stack: Option<GhostStack>,
}

/// One CPU sample the SIGPROF handler offered to the profBuf (`real_ts` identifies it): its
/// position in the ring, or `None` when the full ring dropped it (an overflow record counts it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GhostSample {
    pub session: u64,
    pub real_ts: u64,
    pub pos: Option<u64>,
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

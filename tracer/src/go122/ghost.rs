//! Ghost state of the go1.22 model: what each actor committed (never a synchronisation point;
//! merged after `join`), and the actor context every operation runs in.

/// One committed event: its unique value, the M that wrote it, its generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Committed {
    pub id: u64,
    pub m: u64,
    pub gen: u64,
}

/// What an actor committed.
#[derive(Clone, Debug, Default)]
pub struct Ghost {
    /// `HeapAlloc` events (their value is the id).
    pub events: Vec<Committed>,
    /// CPU samples accepted by a profBuf (the sample's goroutine field is the id).
    pub samples: Vec<Committed>,
    /// `println`s of the runtime (e.g. the multiple-readers message).
    pub messages: Vec<String>,
}

impl Ghost {
    /// Adds `other`'s records.
    pub fn merge(&mut self, other: Ghost) {
        self.events.extend(other.events);
        self.samples.extend(other.samples);
        self.messages.extend(other.messages);
    }
}

/// The simulated thread an operation runs on: its M and its ghost log.
#[derive(Debug, Default)]
pub struct Actor {
    pub m: usize,
    pub ghost: Ghost,
}

impl Actor {
    /// The actor on M `m`.
    pub fn on(m: usize) -> Self {
        Self {
            m,
            ghost: Ghost::default(),
        }
    }
}

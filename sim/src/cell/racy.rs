//! `Racy<T>`: a documented benign race on a word (go1.21 `readTrace0` reads `trace.shutdown`
//! without `trace.lock`, invariant I11). Accesses are plain relaxed loads and stores, never
//! synchronising; under simulation they are recorded and racing pairs counted ([`Racy::races`])
//! without failing. What makes the race benign is the caller's [`Claim`], checked instead:
//! a `Monotonic` value never decreases (a stale read only lags), `WritesOrdered` writers are
//! ordered among themselves by happens-before (only reads race).

use super::{race_report, violated, Kind, Meta};
use crate::failure::{sim_panic, FailureKind};
use std::borrow::Cow;
use std::fmt::Debug;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

/// A word a [`Racy`] cell can hold.
pub trait Word: Copy + PartialOrd + Debug {
    /// The word's bits.
    fn to_bits(self) -> u64;
    /// The word back from [`Word::to_bits`].
    fn from_bits(bits: u64) -> Self;
}

macro_rules! word {
    ($($t:ty),*) => {$(
        impl Word for $t {
            fn to_bits(self) -> u64 { self as u64 }
            fn from_bits(bits: u64) -> Self { bits as $t }
        }
    )*};
}
word!(u8, u32, u64, usize, i32, i64);

impl Word for bool {
    fn to_bits(self) -> u64 {
        u64::from(self)
    }
    fn from_bits(bits: u64) -> Self {
        bits != 0
    }
}

/// Why a [`Racy`] cell's race is benign, with the reason in words.
#[derive(Clone, Copy, Debug)]
pub enum Claim {
    /// The value never decreases (a flag set once, a counter): a racing read sees a past value.
    Monotonic(&'static str),
    /// Writes are ordered by happens-before among themselves; only reads race with them.
    WritesOrdered(&'static str),
}

/// See the module docs.
pub struct Racy<T> {
    meta: Meta,
    bits: AtomicU64,
    claim: Claim,
    _t: PhantomData<T>,
}

impl<T: Word> Racy<T> {
    /// A cell named `name` (for reports), holding `value`, racy by `claim`.
    pub fn new(name: impl Into<Cow<'static, str>>, value: T, claim: Claim) -> Self {
        Self {
            meta: Meta::new(name),
            bits: AtomicU64::new(value.to_bits()),
            claim,
            _t: PhantomData,
        }
    }

    fn kind(&self) -> Kind {
        match self.claim {
            Claim::Monotonic(why) => Kind {
                name: "Racy, claim Monotonic",
                rule: why,
            },
            Claim::WritesOrdered(why) => Kind {
                name: "Racy, claim WritesOrdered",
                rule: why,
            },
        }
    }

    /// Reads the value (recorded; a race is counted, never a failure).
    #[track_caller]
    pub fn load(&self) -> T {
        self.meta.check(false);
        T::from_bits(self.bits.load(Ordering::Relaxed))
    }

    /// Writes the value, checking the claim.
    #[track_caller]
    pub fn store(&self, value: T) {
        let raced = self.meta.check(true);
        match self.claim {
            Claim::WritesOrdered(_) => {
                if let Some(pair) = raced.filter(|pair| pair.0.write) {
                    let report = race_report(self.kind(), &self.meta.name, &pair.0, &pair.1);
                    sim_panic(
                        FailureKind::DataRace,
                        format!(
                            "{report}\n  this breaks the cell's claim: its writes are not ordered"
                        ),
                    );
                }
            }
            Claim::Monotonic(_) => {
                let old = T::from_bits(self.bits.load(Ordering::Relaxed));
                if value < old {
                    let what = format!("stores {value:?} after {old:?}: the value decreased");
                    let cause = "a reset or a second writer the claim did not foresee (a racing read may now see the value go back)";
                    violated(self.kind(), &self.meta.name, &what, cause);
                }
            }
        }
        self.bits.store(value.to_bits(), Ordering::Relaxed);
    }

    /// Racing access pairs seen on this cell in the running execution (0 outside simulations).
    pub fn races(&self) -> u64 {
        self.meta.races()
    }

    /// The cell's name.
    pub fn name(&self) -> &str {
        &self.meta.name
    }
}

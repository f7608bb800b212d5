//! `Shared<T>`: plain shared state with no ownership rule; under simulation every access is
//! race-checked, so its users must order their accesses with the facade's synchronisation
//! (a lock, a semaphore hand-off, park/unpark, an atomic flag, spawn/join).

use super::{Core, Kind};
use std::borrow::Cow;

const SHARED: Kind = Kind {
    name: "Shared",
    rule: "every pair of conflicting accesses is ordered by happens-before",
};

/// See the module docs.
pub struct Shared<T> {
    core: Core<T>,
}

impl<T> Shared<T> {
    /// A cell named `name` (for reports).
    pub fn new(name: impl Into<Cow<'static, str>>, value: T) -> Self {
        Self {
            core: Core::new(name, value),
        }
    }

    /// Reads the value.
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.core.read(SHARED, f)
    }

    /// Writes the value.
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.core.write(SHARED, f)
    }

    /// The value, through exclusive ownership of the cell (no check needed).
    pub fn get_mut(&mut self) -> &mut T {
        self.core.get_mut()
    }

    /// The value, consuming the cell.
    pub fn into_inner(self) -> T {
        self.core.into_inner()
    }

    /// The cell's name.
    pub fn name(&self) -> &str {
        &self.core.meta.name
    }
}

//! `StwOnly<T>`: state written only with the world stopped and read by P holders (go1.21
//! `trace.enabled`, the session number: `StartTrace`/`StopTrace` write them under
//! `stopTheWorld`, every event writer reads them holding its P).

use super::world::WorldRef;
use super::{violated, Core, Kind};
use std::borrow::Cow;

const STW: Kind = Kind {
    name: "StwOnly",
    rule: "writes by the thread that stopped the world; reads by a P holder or under STW",
};

/// See the module docs.
pub struct StwOnly<T> {
    core: Core<T>,
}

impl<T> StwOnly<T> {
    /// A cell named `name` (for reports).
    pub fn new(name: impl Into<Cow<'static, str>>, value: T) -> Self {
        Self {
            core: Core::new(name, value),
        }
    }

    /// Reads the value: the current thread holds a P of `world`, or stopped it.
    #[track_caller]
    pub fn with<R>(&self, world: &(impl WorldRef + ?Sized), f: impl FnOnce(&T) -> R) -> R {
        if !world.running_by_me() {
            self.no_p();
        }
        self.core.read(STW, f)
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn no_p(&self) -> ! {
        {
            let what = format!(
                "read by thread `{}`, which holds no P and did not stop the world",
                crate::thread::current_name()
            );
            let cause = "a P-less actor reads STW-only state (read it holding a P, or keep an atomic mirror)";
            violated(STW, &self.core.meta.name, &what, cause)
        }
    }

    /// Writes the value: the current thread stopped `world`.
    #[track_caller]
    pub fn with_mut<R>(&self, world: &(impl WorldRef + ?Sized), f: impl FnOnce(&mut T) -> R) -> R {
        if !world.stopped_by_me() {
            self.not_stopped();
        }
        self.core.write(STW, f)
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn not_stopped(&self) -> ! {
        {
            let what = format!(
                "written by thread `{}`, which did not stop the world",
                crate::thread::current_name()
            );
            let cause = "a write outside stopTheWorld/startTheWorld (holding a P is not enough)";
            violated(STW, &self.core.meta.name, &what, cause)
        }
    }

    /// The value, through exclusive ownership of the cell (no check needed).
    pub fn get_mut(&mut self) -> &mut T {
        self.core.get_mut()
    }

    /// The cell's name.
    pub fn name(&self) -> &str {
        &self.core.meta.name
    }
}

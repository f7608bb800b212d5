//! `Owned<T>`: state owned by one [`Token`] (a P's trace buffer, an M's, the single CPU-sample
//! drainer's `cpuLogBuf`). Every access shows the token; the cell checks it is its owner's.
//!
//! A token is `Send` but not `Sync`: a thread that can show `&Token` owns it (or borrowed it on
//! its own stack), and a token moves between threads only by value, through a facade primitive
//! (a `Mutex<Option<Token>>`, a spawn closure, a join result), which is also what orders the old
//! holder's accesses before the new holder's for the race detector. [`Owned::or_stw`] cells also
//! accept the thread that stopped the world (Go flushes every P's buffer under STW).

use super::world::WorldRef;
use super::{violated, Core, Kind};
use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

const OWNED: Kind = Kind {
    name: "Owned",
    rule: "every access shows the owner token",
};
const OWNED_OR_STW: Kind = Kind {
    name: "Owned",
    rule: "every access shows the owner token, or has stopped the world",
};

static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

/// An ownership token; see the module docs.
pub struct Token {
    id: u64,
    name: Cow<'static, str>,
    _not_sync: PhantomData<std::cell::Cell<()>>,
}

impl Token {
    /// A new token named `name` (for reports), e.g. `"P 2"`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            id: NEXT_TOKEN.fetch_add(1, Ordering::Relaxed),
            name: name.into(),
            _not_sync: PhantomData,
        }
    }

    /// The token's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// See the module docs.
pub struct Owned<T> {
    core: Core<T>,
    owner: u64,
    owner_name: Cow<'static, str>,
    stw: bool,
}

impl<T> Owned<T> {
    /// A cell named `name` (for reports), owned by `owner`.
    pub fn new(name: impl Into<Cow<'static, str>>, owner: &Token, value: T) -> Self {
        Self {
            core: Core::new(name, value),
            owner: owner.id,
            owner_name: owner.name.clone(),
            stw: false,
        }
    }

    /// A cell owned by `owner`, also reachable by the thread that stopped the world.
    pub fn or_stw(name: impl Into<Cow<'static, str>>, owner: &Token, value: T) -> Self {
        Self {
            stw: true,
            ..Self::new(name, owner, value)
        }
    }

    fn kind(&self) -> Kind {
        if self.stw {
            OWNED_OR_STW
        } else {
            OWNED
        }
    }

    #[inline]
    #[track_caller]
    fn prove(&self, token: &Token) {
        if token.id != self.owner {
            self.wrong_token(token);
        }
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn wrong_token(&self, token: &Token) -> ! {
        {
            let what = format!(
                "accessed by thread `{}` showing token `{}`; its owner is `{}`",
                crate::thread::current_name(),
                token.name,
                self.owner_name
            );
            let cause = "another owner's state is indexed (the wrong P), or the state was not handed over with its token";
            violated(self.kind(), &self.core.meta.name, &what, cause)
        }
    }

    #[track_caller]
    fn prove_stw(&self, world: &(impl WorldRef + ?Sized)) {
        if !self.stw || !world.stopped_by_me() {
            let what = format!(
                "accessed without its token by thread `{}`, {}",
                crate::thread::current_name(),
                if self.stw {
                    "which did not stop the world"
                } else {
                    "and the cell does not accept STW access"
                }
            );
            let cause = "a missing stopTheWorld, or an access that should show the owner's token";
            violated(self.kind(), &self.core.meta.name, &what, cause);
        }
    }

    /// Reads the value, showing the owner token.
    #[track_caller]
    pub fn with<R>(&self, token: &Token, f: impl FnOnce(&T) -> R) -> R {
        self.prove(token);
        self.core.read(self.kind(), f)
    }

    /// Writes the value, showing the owner token.
    #[track_caller]
    pub fn with_mut<R>(&self, token: &Token, f: impl FnOnce(&mut T) -> R) -> R {
        self.prove(token);
        self.core.write(self.kind(), f)
    }

    /// Reads the value under a world the current thread stopped ([`Owned::or_stw`] cells).
    #[track_caller]
    pub fn with_stw<R>(&self, world: &(impl WorldRef + ?Sized), f: impl FnOnce(&T) -> R) -> R {
        self.prove_stw(world);
        self.core.read(self.kind(), f)
    }

    /// Writes the value under a world the current thread stopped ([`Owned::or_stw`] cells).
    #[track_caller]
    pub fn with_mut_stw<R>(
        &self,
        world: &(impl WorldRef + ?Sized),
        f: impl FnOnce(&mut T) -> R,
    ) -> R {
        self.prove_stw(world);
        self.core.write(self.kind(), f)
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

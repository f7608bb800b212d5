//! `UnsafeCell` with loom's `with`/`with_mut` API: plain memory whose accesses the caller
//! justifies (a lock, ownership, a stop-the-world), unchecked. It is not `Sync`: the struct that
//! owns one and shares it states why its accesses are exclusive, in its own `unsafe impl Sync`.
//! Prefer the checked cells of [`crate::cell`], which assert their rule and are race-checked.

/// Stands in for `std::cell::UnsafeCell`.
#[derive(Debug, Default)]
pub struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

impl<T> UnsafeCell<T> {
    /// A new cell.
    pub const fn new(v: T) -> Self {
        Self(std::cell::UnsafeCell::new(v))
    }

    /// A raw pointer to the value (the caller justifies every dereference).
    #[inline]
    pub fn get(&self) -> *mut T {
        self.0.get()
    }

    /// Reads through a shared pointer.
    ///
    /// # Safety
    /// No `with_mut` may run concurrently.
    #[inline]
    pub unsafe fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&*self.0.get())
    }

    /// Writes through an exclusive pointer.
    ///
    /// # Safety
    /// No other access may run concurrently.
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut *self.0.get())
    }
}

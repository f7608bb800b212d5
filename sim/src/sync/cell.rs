//! `UnsafeCell` with loom's `with`/`with_mut` API: plain memory whose accesses the caller
//! justifies (a lock, ownership, a stop-the-world). The checked cell kinds of the tracer model
//! are built on it.

/// Stands in for `std::cell::UnsafeCell`.
#[derive(Debug, Default)]
pub struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

// SAFETY: callers of `with`/`with_mut` guarantee exclusion; the cell adds none.
unsafe impl<T: Send> Sync for UnsafeCell<T> {}

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

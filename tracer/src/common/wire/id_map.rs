//! A map from wire ids (goroutine, P) to the parsers' per-id state: ids below [`DENSE_MAX`] are
//! slots of a vector, larger ones (Go's fake Ps, −1 as `u64`, ids of long-lived programs) live in
//! a `BTreeMap`. The small ids of most traces then cost an index instead of a tree walk, and a
//! file with huge ids costs no huge allocation. Every dense id is below every sparse one, so
//! [`IdMap::iter`] walks the ids in ascending order, as a `BTreeMap` would.

use std::collections::BTreeMap;

/// Ids below this are kept in the vector.
pub const DENSE_MAX: u64 = 1 << 12;

/// Values by `u64` id (an `i64` id is stored under `id as u64`).
#[derive(Debug, Clone)]
pub struct IdMap<V> {
    dense: Vec<Option<V>>,
    sparse: BTreeMap<u64, V>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            dense: Vec::new(),
            sparse: BTreeMap::new(),
        }
    }
}

impl<V> IdMap<V> {
    /// The value of `id`, if any.
    #[inline]
    pub fn get(&self, id: u64) -> Option<&V> {
        if id < DENSE_MAX {
            self.dense.get(id as usize)?.as_ref()
        } else {
            self.sparse.get(&id)
        }
    }

    /// The value of `id`, mutable, if any.
    #[inline]
    pub fn get_mut(&mut self, id: u64) -> Option<&mut V> {
        if id < DENSE_MAX {
            self.dense.get_mut(id as usize)?.as_mut()
        } else {
            self.sparse.get_mut(&id)
        }
    }

    /// Whether `id` has a value.
    #[inline]
    pub fn contains_key(&self, id: u64) -> bool {
        self.get(id).is_some()
    }

    /// Sets the value of `id`, returning the old one.
    #[inline]
    pub fn insert(&mut self, id: u64, v: V) -> Option<V> {
        if id >= DENSE_MAX {
            return self.sparse.insert(id, v);
        }
        let i = id as usize;
        if self.dense.len() <= i {
            self.dense.resize_with(i + 1, || None);
        }
        self.dense[i].replace(v)
    }

    /// Removes the value of `id`, returning it.
    pub fn remove(&mut self, id: u64) -> Option<V> {
        if id < DENSE_MAX {
            self.dense.get_mut(id as usize)?.take()
        } else {
            self.sparse.remove(&id)
        }
    }

    /// Every id and its value, ids ascending.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &V)> {
        let dense = self.dense.iter().enumerate();
        let dense = dense.filter_map(|(i, v)| v.as_ref().map(|v| (i as u64, v)));
        dense.chain(self.sparse.iter().map(|(&id, v)| (id, v)))
    }
}

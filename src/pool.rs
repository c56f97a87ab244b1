//! A pool of reusable scratch state (rule VMs, word caches), so that
//! extraction allocates none of it per document: one item per thread that
//! works at a time, taken out for a document and given back after.

use std::sync::Mutex;

pub(crate) struct Pool<T>(Mutex<Vec<T>>);

impl<T> Default for Pool<T> {
    fn default() -> Pool<T> {
        Pool(Mutex::new(Vec::new()))
    }
}

impl<T> std::fmt::Debug for Pool<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pool")
    }
}

impl<T> Pool<T> {
    /// An item from the pool, or a new one from `make`. A poisoned lock
    /// (a panic while it was held) only costs a new item.
    pub(crate) fn take(&self, make: impl FnOnce() -> T) -> T {
        self.0.lock().ok().and_then(|mut p| p.pop()).unwrap_or_else(make)
    }

    /// Gives `item` back for the next document.
    pub(crate) fn give(&self, item: T) {
        if let Ok(mut p) = self.0.lock() {
            p.push(item);
        }
    }
}

//! The word table that the matcher and the rules share: normalised word ->
//! (trie symbol, rule symbol).
//!
//! Every token is looked up once, so this is the hottest table of an
//! extraction. A general hash map hashes the word again at each lookup,
//! follows a pointer to each key, and compares strings through a call.
//! Here the tokenizer hashes each normalised form while it is in cache
//! (`Token::hash`), the keys live in one arena, and a slot keeps the full
//! hash, so a miss almost never compares bytes and a hit compares once.
//! Open addressing, linear probing, at most three quarters full. Most tokens of news
//! text are words no gazetteer or rule names: a bit array of about 32 bits
//! per word, small enough to stay in cache, turns most of them away before
//! the slots are touched.

use std::hash::Hasher;

use crate::hash::FxHasher;

/// The hash the tokenizer stores for a normalised form.
#[inline]
pub(crate) fn hash(word: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(word.as_bytes());
    h.finish()
}

const EMPTY: u32 = u32::MAX;

/// Tables of at most this many slots (1.5 MB) go without a filter.
const SMALL: usize = 1 << 16;

#[derive(Clone, Copy, Debug)]
struct Slot {
    hash: u64,
    /// Offset of the word in the arena; `EMPTY` for a free slot.
    start: u32,
    len: u32,
    val: [u32; 2],
}

const FREE: Slot = Slot { hash: 0, start: EMPTY, len: 0, val: [0; 2] };

/// See the module docs.
#[derive(Clone, Debug)]
pub(crate) struct Vocab {
    slots: Vec<Slot>,
    arena: String,
    len: usize,
    /// Bit `(hash >> 40) & (filter.len() * 64 - 1)` is set for every word.
    filter: Vec<u64>,
}

impl Default for Vocab {
    fn default() -> Vocab {
        Vocab {
            slots: vec![FREE; 16],
            arena: String::new(),
            len: 0,
            filter: vec![0; 64],
        }
    }
}

#[inline]
fn bit(filter: &[u64], hash: u64) -> (usize, u64) {
    let b = (hash >> 40) as usize & (filter.len() * 64 - 1);
    (b / 64, 1 << (b % 64))
}

impl Vocab {
    /// The number of words.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn find(&self, word: &str, hash: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.start == EMPTY {
                return Err(i);
            }
            if s.hash == hash
                && s.len as usize == word.len()
                && self.arena.as_bytes()
                    [s.start as usize..(s.start + s.len) as usize]
                    == *word.as_bytes()
            {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The symbols of `word`, whose [`hash`] is `hash`.
    #[inline]
    pub(crate) fn get(&self, word: &str, hash: u64) -> Option<[u32; 2]> {
        if !self.filter.is_empty() {
            let (w, m) = bit(&self.filter, hash);
            if self.filter[w] & m == 0 {
                return None;
            }
        }
        self.find(word, hash).ok().map(|i| self.slots[i].val)
    }

    /// The symbols of `word`, inserted as `default` if it is new.
    pub(crate) fn entry(
        &mut self,
        word: &str,
        hash: u64,
        default: [u32; 2],
    ) -> &mut [u32; 2] {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.resize(self.slots.len() * 2);
        }
        let i = match self.find(word, hash) {
            Ok(i) => i,
            Err(i) => {
                let start = self.arena.len() as u32;
                self.arena.push_str(word);
                self.slots[i] =
                    Slot { hash, start, len: word.len() as u32, val: default };
                self.len += 1;
                if !self.filter.is_empty() {
                    let (w, m) = bit(&self.filter, hash);
                    self.filter[w] |= m;
                }
                i
            }
        };
        &mut self.slots[i].val
    }

    fn resize(&mut self, n: usize) {
        let old = std::mem::replace(&mut self.slots, vec![FREE; n]);
        let mask = n - 1;
        for s in old.into_iter().filter(|s| s.start != EMPTY) {
            let mut i = s.hash as usize & mask;
            while self.slots[i].start != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }

    /// Gives back the memory that growing left unused.
    pub(crate) fn shrink_to_fit(&mut self) {
        let n = (self.len * 4 / 3 + 1).next_power_of_two().max(16);
        if n < self.slots.len() {
            self.resize(n);
        }
        self.arena.shrink_to_fit();
        // A small table stays in cache, and most words looked up in it are
        // there (the rules name the common words): the filter would only
        // add a load. A large one (a user gazetteer of a million names)
        // gets about 32 bits per word, at most 4 MB.
        if self.slots.len() <= SMALL {
            self.filter = Vec::new();
            return;
        }
        let words =
            (self.len * 32 / 64).next_power_of_two().clamp(64, 1 << 19);
        self.filter = vec![0; words];
        for s in self.slots.iter().filter(|s| s.start != EMPTY) {
            let (w, m) = bit(&self.filter, s.hash);
            self.filter[w] |= m;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_and_out() {
        let mut v = Vocab::default();
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            *v.entry(w, hash(w), [i as u32, 0]) = [i as u32, 7];
        }
        v.shrink_to_fit();
        assert_eq!(v.len(), 5000);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(v.get(w, hash(w)), Some([i as u32, 7]));
        }
        assert_eq!(v.get("w5000", hash("w5000")), None);
        // a wrong hash finds nothing rather than a wrong word
        assert_eq!(v.get("w1", hash("w2")), None);
        assert_eq!(*v.entry("w1", hash("w1"), [9, 9]), [1, 7]);
    }
}

//! The word table that the matcher and the rules share: normalised word ->
//! (trie symbol, rule symbol).
//!
//! Every token is looked up once, so this is the hottest table of an
//! extraction. A general hash map hashes the word again at each lookup,
//! follows a pointer to each key, and compares strings through a call.
//! Here the tokenizer hashes each normalised form while it is in cache
//! (`Token::hash`), the keys live in one arena, and a slot keeps the full
//! hash, so a miss almost never compares bytes and a hit compares once.
//! Open addressing, linear probing, at most three quarters full. A large
//! table (a user gazetteer of a million names) no longer fits in cache: a
//! bit array of about 32 bits per word turns away most of the words it
//! lacks before the slots are touched, and a small [`Cache`] answers the
//! words that news text repeats. A small table (the default one) has
//! neither: it stays in cache, and most words looked up in it are there.

use crate::hash::HashFilter;

/// The hash the tokenizer stores for a normalised form: one multiply per
/// eight bytes (most words take one), then the high half folded into the
/// low one, since the table picks slots by the low bits and the multiply
/// leaves them depending on the low input bits only. The tokenizer computes
/// it for every token, so it is kept this short; the table's tests and the
/// probe counts in `probes_stay_short` check its spread.
#[inline]
pub(crate) fn hash(word: &str) -> u64 {
    hash_chunks(word.as_bytes(), |w| w)
}

/// [`hash`] of the bytes that `map` makes of `b`'s eight-byte
/// little-endian chunks (the last one padded with zero bytes, which `map`
/// must leave zero): the tokenizer lowercases ASCII words this way while
/// it hashes them.
#[inline]
pub(crate) fn hash_chunks(b: &[u8], mut map: impl FnMut(u64) -> u64) -> u64 {
    let mut h = hash_start(b.len());
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        h = hash_step(h, map(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() || b.is_empty() {
        h = hash_step(h, map(crate::hash::load_short(rest)));
    }
    hash_end(h)
}

/// [`hash`] of a word of `len` bytes, `1..=8`, given as one little-endian
/// chunk (zero above the word).
#[inline]
pub(crate) fn hash_one(len: usize, chunk: u64) -> u64 {
    hash_end(hash_step(hash_start(len), chunk))
}

/// [`hash`] of a word of `len` bytes, `9..=16`, given as two little-endian
/// chunks (the second zero above the word).
#[inline]
pub(crate) fn hash_two(len: usize, first: u64, second: u64) -> u64 {
    hash_end(hash_step(hash_step(hash_start(len), first), second))
}

// The three steps of `hash_chunks`, `const` so that `HASH_THE` is worked
// out at compile time by the same code.
const fn hash_start(len: usize) -> u64 {
    (len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

const fn hash_step(h: u64, chunk: u64) -> u64 {
    (h ^ chunk).wrapping_mul(0xff51_afd7_ed55_8ccd)
}

const fn hash_end(h: u64) -> u64 {
    h ^ (h >> 32)
}

/// [`hash`] worked out at compile time, for tables of fixed words.
pub(crate) const fn hash_const(b: &[u8]) -> u64 {
    // the bytes `from..to` of `b` as a little-endian number
    const fn le(b: &[u8], from: usize, to: usize) -> u64 {
        let mut w = 0;
        let mut k = from;
        while k < to {
            w |= (b[k] as u64) << (8 * (k - from));
            k += 1;
        }
        w
    }
    let mut h = hash_start(b.len());
    let mut i = 0;
    while i + 8 <= b.len() {
        h = hash_step(h, le(b, i, i + 8));
        i += 8;
    }
    if i < b.len() || b.is_empty() {
        h = hash_step(h, le(b, i, b.len()));
    }
    hash_end(h)
}

/// [`hash`] of `the`, for tests of that word that should not read it.
pub(crate) const HASH_THE: u64 = hash_const(b"the");

/// Whether two byte strings are equal: eight bytes at a time, inline, the
/// tail too ([`crate::hash::load_short`]). Words are short, and a call to
/// `memcmp`, or a loop over the last bytes, cost more than the compare.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i + 8 <= a.len() {
        let x = u64::from_le_bytes(a[i..i + 8].try_into().unwrap_or([0; 8]));
        let y = u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        if x != y {
            return false;
        }
        i += 8;
    }
    crate::hash::load_short(&a[i..]) == crate::hash::load_short(&b[i..])
}

/// Tables of at most this many slots (1.5 MB) go without a filter.
const SMALL: usize = 1 << 16;

/// The longest word a slot keeps in itself.
const INLINE: usize = 15;

/// The top byte of `key[1]` of a slot whose word is in the arena.
const LONG: u64 = 0xFF << 56;

/// A word of 1 to [`INLINE`] bytes as two numbers: its bytes,
/// little-endian, zero-padded, and its length in the top byte of the
/// second. No two words share a key, and no key is `[_, 0]` (a free slot).
#[inline]
pub(crate) fn key_of(w: &[u8]) -> Option<[u64; 2]> {
    let n = w.len();
    let len = (n as u64) << 56;
    match n {
        1..=8 => Some([crate::hash::load_short(w), len]),
        9..=INLINE => Some([
            u64::from_le_bytes(w[..8].try_into().unwrap_or([0; 8])),
            crate::hash::load_short(&w[8..]) | len,
        ]),
        _ => None,
    }
}

/// The bytes of a key of [`key_of`], the word first: the word is the
/// first `key[1] >> 56` of them.
#[inline]
pub(crate) fn key_bytes(key: [u64; 2]) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&key[0].to_le_bytes());
    b[8..].copy_from_slice(&key[1].to_le_bytes());
    b
}

/// A slot: its word and the word's symbols.
#[derive(Clone, Copy, Debug)]
struct Slot {
    /// The word: [`key_of`] it, or for a word that has no key (longer than
    /// [`INLINE`], or empty) its offset and length in the arena, and
    /// `LONG` with the top 56 bits of its hash. `[_, 0]` for a free slot.
    key: [u64; 2],
    val: [u32; 2],
}

const FREE: Slot = Slot { key: [0; 2], val: [0; 2] };

/// See the module docs.
#[derive(Clone, Debug)]
pub(crate) struct Vocab {
    slots: Vec<Slot>,
    /// The words too long to keep in a slot.
    arena: String,
    len: usize,
    /// The hashes of the words, for a large table (none for a small one:
    /// see `size_for_lookups`).
    filter: HashFilter,
}

impl Default for Vocab {
    fn default() -> Vocab {
        Vocab {
            slots: vec![FREE; 16],
            arena: String::new(),
            len: 0,
            filter: HashFilter::default(),
        }
    }
}

/// `key[1]` of a slot for a long word whose hash is `hash`.
#[inline]
fn long_tag(hash: u64) -> u64 {
    LONG | hash >> 8
}

impl Vocab {
    /// The number of words.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The slot of `word` (whose hash is `hash`), or the free slot where
    /// it would go. A word of a few bytes (most words) is found by
    /// comparing two numbers per slot, without reading the arena.
    #[inline]
    fn find(&self, word: &[u8], hash: u64) -> Result<usize, usize> {
        match key_of(word) {
            Some(key) => self.find_key(key, hash),
            None => self.find_long(word, hash),
        }
    }

    /// [`find`](Vocab::find) of the word whose [`key_of`] is `key`.
    /// ([`get_key_or`](Vocab::get_key_or) probes the same way with one test
    /// a slot; sharing one loop between them measured 2-3% slower end to
    /// end.)
    #[inline(always)]
    fn find_key(&self, key: [u64; 2], hash: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.key == key {
                return Ok(i);
            }
            if s.key[1] == 0 {
                return Err(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// [`get`](Vocab::get) of the word whose [`key_of`] is `key` (which
    /// must be a key: `key[1]` not 0) and whose [`hash`] is `hash`, with
    /// `missing` for a word not in the table. Whether the first slot
    /// decides (the word, or a free slot) is the one branch of a lookup
    /// that news text makes hard to predict; here it is one test, and
    /// which of the two it was picks the value without a branch.
    #[inline]
    pub(crate) fn get_key_or(
        &self,
        key: [u64; 2],
        hash: u64,
        missing: [u32; 2],
    ) -> [u32; 2] {
        debug_assert!(key[1] != 0);
        if !self.filter.may_hold(hash) {
            return missing;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let s = &self.slots[i];
            let hit = s.key == key;
            if hit | (s.key[1] == 0) {
                let v = u64::from(s.val[0]) | u64::from(s.val[1]) << 32;
                let m = u64::from(missing[0]) | u64::from(missing[1]) << 32;
                let v = std::hint::select_unpredictable(hit, v, m);
                return [v as u32, (v >> 32) as u32];
            }
            i = (i + 1) & mask;
        }
    }

    /// [`find`](Vocab::find) for a word without a key.
    #[cold]
    fn find_long(&self, word: &[u8], hash: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        let tag = long_tag(hash);
        loop {
            let s = &self.slots[i];
            if s.key[1] == 0 {
                return Err(i);
            }
            if s.key[1] == tag && same(self.long_word(s), word) {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The word of a slot that keeps it in the arena.
    fn long_word(&self, s: &Slot) -> &[u8] {
        let (start, len) =
            (s.key[0] as u32 as usize, (s.key[0] >> 32) as usize);
        &self.arena.as_bytes()[start..start + len]
    }

    /// The hash of the word of a slot in use.
    fn hash_of(&self, s: &Slot) -> u64 {
        if s.key[1] & LONG == LONG {
            return hash_chunks(self.long_word(s), |w| w);
        }
        hash_chunks(&key_bytes(s.key)[..(s.key[1] >> 56) as usize], |w| w)
    }

    /// Reads the first slot a lookup of `hash` reads, and gives back a
    /// value of it: a caller about to look up several words reads their
    /// slots first, so that the processor fetches them from memory side by
    /// side rather than one lookup after the other.
    #[inline]
    pub(crate) fn touch(&self, hash: u64) -> u64 {
        self.slots[hash as usize & (self.slots.len() - 1)].key[1]
    }

    /// The symbols of `word`, whose [`hash`] is `hash`.
    #[inline]
    pub(crate) fn get(
        &self,
        word: impl AsRef<[u8]>,
        hash: u64,
    ) -> Option<[u32; 2]> {
        if !self.filter.may_hold(hash) {
            return None;
        }
        self.find(word.as_ref(), hash).ok().map(|i| self.slots[i].val)
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
        let i = match self.find(word.as_bytes(), hash) {
            Ok(i) => i,
            Err(i) => {
                let key = key_of(word.as_bytes()).unwrap_or_else(|| {
                    let start = self.arena.len() as u64;
                    self.arena.push_str(word);
                    [start | (word.len() as u64) << 32, long_tag(hash)]
                });
                self.slots[i] = Slot { key, val: default };
                self.len += 1;
                self.filter.insert(hash);
                i
            }
        };
        &mut self.slots[i].val
    }

    fn resize(&mut self, n: usize) {
        let old = std::mem::replace(&mut self.slots, vec![FREE; n]);
        let mask = n - 1;
        for s in old.into_iter().filter(|s| s.key[1] != 0) {
            let mut i = self.hash_of(&s) as usize & mask;
            while self.slots[i].key[1] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }

    /// Whether lookups should go through a [`Cache`]: the slot table is
    /// too large to stay in the processor's caches.
    pub(crate) fn is_large(&self) -> bool {
        self.slots.len() > SMALL
    }

    /// [`get`](Vocab::get), answered from `cache` when it can be. The
    /// cache must only ever be used with this vocabulary.
    #[inline]
    pub(crate) fn get_cached(
        &self,
        cache: &mut Cache,
        word: impl AsRef<[u8]>,
        hash: u64,
    ) -> Option<[u32; 2]> {
        const NOT: [u32; 2] = [u32::MAX; 2];
        let b = word.as_ref();
        if b.len() > CACHED_LEN {
            return self.get(b, hash);
        }
        let slot =
            &mut cache.slots[(hash >> 32) as usize & (Cache::SLOTS - 1)];
        if slot.hash == hash
            && usize::from(slot.len) == b.len()
            && same(&slot.word[..b.len()], b)
        {
            return (slot.val != NOT).then_some(slot.val);
        }
        let found = self.get(b, hash);
        slot.hash = hash;
        slot.len = b.len() as u8;
        slot.word[..b.len()].copy_from_slice(b);
        slot.val = found.unwrap_or(NOT);
        found
    }

    /// Sizes the table for lookups once all words are in. A small table
    /// (the default vocabulary: about 10,000 words) gets up to 8/3 slots a
    /// word, as far as [`SMALL`] slots, so that a lookup nearly always
    /// ends at the first slot (at 5/8 full, lookups took 2.4 probes on news
    /// text, and whether the first slot decides was the pipeline's hardest
    /// branch to predict); a large one gives back what growing left unused.
    pub(crate) fn size_for_lookups(&mut self) {
        let mut n = (self.len * 4 / 3 + 1).next_power_of_two().max(16);
        if n <= SMALL {
            // never past SMALL: a table that fits it stays small
            n = n.max((self.len * 8 / 3 + 1).next_power_of_two().min(SMALL));
        }
        if n != self.slots.len() {
            self.resize(n);
        }
        self.arena.shrink_to_fit();
        // A small table stays in cache, and most words looked up in it are
        // there (the rules name the common words): the filter would only
        // add a load. A large one (a user gazetteer of a million names)
        // gets about 32 bits per word, at most 4 MB.
        if self.slots.len() <= SMALL {
            self.filter = HashFilter::default();
            return;
        }
        self.filter =
            HashFilter::with_bits((self.len * 32).clamp(64, 1 << 25));
        for i in 0..self.slots.len() {
            if self.slots[i].key[1] != 0 {
                self.filter.insert(self.hash_of(&self.slots[i]));
            }
        }
    }
}

/// The longest word a [`Cache`] keeps.
const CACHED_LEN: usize = 23;

#[derive(Clone, Copy)]
struct CacheSlot {
    hash: u64,
    /// `u8::MAX` for an empty slot.
    len: u8,
    word: [u8; CACHED_LEN],
    val: [u32; 2],
}

/// The last answers of a large [`Vocab`] for short words, in a table small
/// enough to stay in cache. A large vocabulary (a user gazetteer of a
/// million names) has a slot table of tens of megabytes, so every lookup
/// misses the processor's caches; but news text repeats a few thousand
/// words (`the`, `said`, `government`) over and over, and those are
/// answered here. A slot keeps the word itself, so a hit is exact.
pub(crate) struct Cache {
    slots: Vec<CacheSlot>,
}

impl Cache {
    const SLOTS: usize = 4096;

    pub(crate) fn new() -> Cache {
        let empty = CacheSlot {
            hash: 0,
            len: u8::MAX,
            word: [0; CACHED_LEN],
            val: [0; 2],
        };
        Cache { slots: vec![empty; Cache::SLOTS] }
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
        v.size_for_lookups();
        assert_eq!(v.len(), 5000);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(v.get(w, hash(w)), Some([i as u32, 7]));
        }
        assert_eq!(v.get("w5000", hash("w5000")), None);
        // a wrong hash finds nothing rather than a wrong word
        assert_eq!(v.get("w1", hash("w2")), None);
        assert_eq!(*v.entry("w1", hash("w1"), [9, 9]), [1, 7]);
    }

    /// Words kept in the slot and words kept in the arena, at the lengths
    /// where one turns into the other, and words that differ only in
    /// trailing NUL bytes or their length.
    #[test]
    fn short_long_and_empty_words() {
        let mut words: Vec<String> = vec![String::new(), "\0\0".into()];
        for n in [1, 7, 8, 9, 14, 15, 16, 17, 31, 300] {
            words.push("a".repeat(n));
            words.push(format!("{}\0", "a".repeat(n - 1)));
            words.push(format!("{}é", "b".repeat(n)));
        }
        let mut v = Vocab::default();
        for (i, w) in words.iter().enumerate() {
            *v.entry(w, hash(w), [0, 0]) = [i as u32, 1];
        }
        for round in 0..2 {
            for (i, w) in words.iter().enumerate() {
                assert_eq!(v.get(w, hash(w)), Some([i as u32, 1]), "{w:?}");
            }
            for w in ["a".repeat(2), "a".repeat(301), "b".repeat(16)] {
                assert_eq!(v.get(&w, hash(&w)), None, "{w:?}");
            }
            // and again after the table is rebuilt
            if round == 0 {
                v.resize(v.slots.len() * 4);
            }
        }
        assert_eq!(v.len(), words.len());
    }

    #[test]
    fn the_hash_of_the_is_the_hash_of_the() {
        assert_eq!(HASH_THE, hash("the"));
        for n in 0..40 {
            let w: String = "abcdefghijklmnopqrstuvwxyz"
                .chars()
                .cycle()
                .skip(n)
                .take(n)
                .collect();
            assert_eq!(hash_const(w.as_bytes()), hash(&w), "{w}");
        }
    }

    /// The hash spreads words over the table: with English-like words and
    /// the table three quarters full at most, a lookup probes few slots.
    #[test]
    fn probes_stay_short() {
        let mut v = Vocab::default();
        let mut words = Vec::new();
        for a in ["", "re", "un", "over", "counter"] {
            for b in ["act", "state", "form", "press", "port", "claim", "rule"]
            {
                for c in
                    ["", "s", "ed", "ing", "ion", "ions", "er", "ers", "al"]
                {
                    for d in 0..12 {
                        words.push(format!("{a}{b}{c}{}", "x".repeat(d)));
                    }
                }
            }
        }
        words.extend((0..20_000).map(|i| format!("w{i}")));
        words.sort();
        words.dedup();
        for w in &words {
            v.entry(w, hash(w), [0, 0]);
        }
        v.size_for_lookups();
        let mask = v.slots.len() - 1;
        let mut total = 0;
        for w in &words {
            let h = hash(w);
            // the probes: from the word's first slot to where it is
            let at = v.find(w.as_bytes(), h).unwrap_or(usize::MAX);
            let n = (at.wrapping_sub(h as usize) & mask) + 1;
            total += n;
        }
        let mean = total as f64 / words.len() as f64;
        // linear probing at this load expects about 1.5 to 2.5
        assert!(mean < 3.0, "{mean:.2} probes per word");
    }

    /// A table small enough for at most `SMALL` slots at 3/4 full stays
    /// small however many words it has, and gets room to spare when it
    /// can; a larger one is sized as tight as 3/4.
    #[test]
    fn sizes_for_lookups() {
        let sized = |n: usize| {
            let mut v = Vocab::default();
            for i in 0..n {
                let w = format!("w{i}");
                v.entry(&w, hash(&w), [0, 0]);
            }
            v.size_for_lookups();
            (v.slots.len(), v.is_large())
        };
        // the default vocabulary's size: 8/3 slots a word
        assert_eq!(sized(10_240), (32_768, false));
        // as many as fit SMALL at 3/4, and one more
        let most = SMALL * 3 / 4 - 1;
        assert_eq!(sized(most), (SMALL, false));
        assert_eq!(sized(most + 1), (2 * SMALL, true));
        // in between: SMALL, not past it
        assert_eq!(sized(SMALL / 3), (SMALL, false));
        assert_eq!(sized(100), (512, false));
    }

    #[test]
    fn the_cache_answers_as_the_table() {
        let mut v = Vocab::default();
        let words: Vec<String> =
            (0..70_000).map(|i| format!("w{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            *v.entry(w, hash(w), [i as u32, 0]) = [i as u32, 7];
        }
        v.size_for_lookups();
        assert!(v.is_large());
        let mut cache = Cache::new();
        // twice over, so the second round is answered from the cache,
        // with words it must not know and one too long to keep
        let long = "x".repeat(40);
        for _ in 0..2 {
            for w in words
                .iter()
                .map(String::as_str)
                .step_by(7)
                .chain(["nope", "w70000", &long])
            {
                assert_eq!(
                    v.get_cached(&mut cache, w, hash(w)),
                    v.get(w, hash(w)),
                    "{w}"
                );
            }
        }
        // a slot taken by another word with the same table position is
        // told apart by the word itself
        assert_eq!(v.get_cached(&mut cache, "w2", hash("w2")), Some([2, 7]));
        assert_eq!(v.get_cached(&mut cache, "w1", hash("w2")), None);
        assert_eq!(v.get_cached(&mut cache, "w1", hash("w1")), Some([1, 7]));
    }
}

//! A small, fast, non-cryptographic hasher for the matcher's tables.
//!
//! The keys are short words and pairs of integers that come from our own
//! gazetteers; SipHash's protection against hash flooding buys nothing here
//! and costs a third of the lookup time. This is the multiply-rotate scheme
//! used inside rustc ("FxHash").

use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(load_short(rest));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The multiply leaves the low bits depending only on the low bits of
    /// the input, and the table picks buckets by the low bits: keys that
    /// differ only in their high bytes (`g123456`, `node << 32 | sym`) would
    /// all collide. The murmur3 finaliser spreads every bit over all bits.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

pub(crate) type FxBuildHasher = BuildHasherDefault<FxHasher>;

/// The bytes of `b` (at most eight) as a little-endian `u64`, zero above:
/// two overlapping loads of four, two or one bytes, rather than a copy
/// into a zeroed buffer, which compiles to a call to `memcpy` and stalls
/// the load that reads the buffer back (most words end in such a tail).
#[inline]
pub(crate) fn load_short(b: &[u8]) -> u64 {
    let n = b.len();
    let le4 = |x: &[u8]| {
        u64::from(u32::from_le_bytes(x.try_into().unwrap_or([0; 4])))
    };
    let le2 = |x: &[u8]| {
        u64::from(u16::from_le_bytes(x.try_into().unwrap_or([0; 2])))
    };
    match n {
        8.. => u64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8])),
        // the bytes both loads read are the same: or-ing them is harmless
        4..=7 => le4(&b[..4]) | le4(&b[n - 4..]) << (8 * (n - 4)),
        2..=3 => le2(&b[..2]) | le2(&b[n - 2..]) << (8 * (n - 2)),
        1 => u64::from(b[0]),
        0 => 0,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_filter_holds_what_went_in_and_turns_most_else_away() {
        let h = |i: u64| crate::vocab::hash(&format!("w{i}"));
        let mut f = HashFilter::with_bits(64 * 1024);
        for i in 0..1000 {
            f.insert(h(i));
        }
        assert!((0..1000).all(|i| f.may_hold(h(i))));
        let through = (1000..11_000).filter(|&i| f.may_hold(h(i))).count();
        // a thousand bits set of 65,536: about 1.5% of others get through
        assert!(through < 400, "{through} of 10000");
        assert!(HashFilter::default().may_hold(h(5)));
    }

    use super::*;

    #[test]
    fn short_loads_are_zero_padded_little_endian() {
        let b: Vec<u8> = (1..=9).collect();
        for n in 0..=8 {
            let mut w = [0u8; 8];
            w[..n].copy_from_slice(&b[..n]);
            assert_eq!(load_short(&b[..n]), u64::from_le_bytes(w), "{n}");
        }
        assert_eq!(load_short(&b), load_short(&b[..8]));
    }
}

/// A set of hashes as an array of bits, one bit a hash (a Bloom filter
/// with one probe): [`may_hold`](HashFilter::may_hold) is true for every
/// hash inserted, and for few others while the array is sparse. A filter
/// of no bits holds everything. Tables use one to turn away most of the
/// words they lack before anything is hashed or compared again.
#[derive(Clone, Debug, Default)]
pub(crate) struct HashFilter {
    words: Vec<u64>,
}

impl HashFilter {
    /// A filter of at least `bits` bits (a power of two, 64 or more).
    pub(crate) fn with_bits(bits: usize) -> HashFilter {
        HashFilter { words: vec![0; bits.div_ceil(64).next_power_of_two()] }
    }

    /// The word and the bit of `hash`: from its high half, as tables pick
    /// their slots by the low bits.
    #[inline]
    fn bit(&self, hash: u64) -> (usize, u64) {
        let b = (hash >> 32) as usize & (self.words.len() * 64 - 1);
        (b / 64, 1 << (b % 64))
    }

    pub(crate) fn insert(&mut self, hash: u64) {
        if !self.words.is_empty() {
            let (w, m) = self.bit(hash);
            self.words[w] |= m;
        }
    }

    /// Whether `hash` may have been inserted (false: it surely was not).
    #[inline]
    pub(crate) fn may_hold(&self, hash: u64) -> bool {
        self.words.is_empty() || {
            let (w, m) = self.bit(hash);
            self.words[w] & m != 0
        }
    }
}

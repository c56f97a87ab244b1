//! A synthetic gazetteer for the scale benches: `n` entries with made-up,
//! capitalised names of one to four words, and an alias on every other
//! entry. Deterministic (a fixed xorshift seed), so runs compare.

#![allow(dead_code)]

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "ten", "bar", "vo", "zu", "shi", "an", "dor",
    "el", "fi", "gar", "hu", "is", "jun", "ke", "lan", "mor", "nu", "os",
    "pa", "qui", "ros", "sa", "tu", "ul", "ve", "wen", "xa", "yo", "zen",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn word(rng: &mut Rng, out: &mut String) {
    let n = 2 + rng.below(3);
    let start = out.len();
    for _ in 0..n {
        out.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
    }
    // capitalise
    let first = out[start..start + 1].to_ascii_uppercase();
    out.replace_range(start..start + 1, &first);
}

/// A gazetteer source of `n` entries.
pub fn gazetteer(n: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(n * 48);
    for i in 0..n {
        out.push_str(&format!("g{i} | ORG | synthetic | - | "));
        let words = 1 + rng.below(4);
        for w in 0..words {
            if w > 0 {
                out.push(' ');
            }
            word(&mut rng, &mut out);
        }
        if i % 2 == 0 {
            out.push_str(" | ");
            word(&mut rng, &mut out);
            out.push(' ');
            word(&mut rng, &mut out);
        }
        out.push('\n');
    }
    out
}

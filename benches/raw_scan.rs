//! The baseline every speed figure is measured against: a raw
//! aho-corasick scan of an extractor's names and aliases, leftmost-longest
//! and ASCII case-insensitive, with the default automaton. It finds no
//! tokens, word boundaries or case policies: it does none of the work.
//! Shared by `benches/corpus.rs` and `entente bench`.

use aho_corasick::{AhoCorasick, BuildError, MatchKind};
use entente::Extractor;

/// Every name and alias of the extractor's gazetteer.
pub fn aliases(ex: &Extractor) -> Vec<&str> {
    ex.gazetteer()
        .entries()
        .iter()
        .flat_map(|e| e.surfaces().map(|a| &*a.text))
        .collect()
}

/// The automaton over `aliases`.
pub fn scanner(aliases: &[&str]) -> Result<AhoCorasick, BuildError> {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(aliases)
}

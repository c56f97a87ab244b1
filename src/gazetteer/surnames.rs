//! People named by surname alone: `Mr. Olmert`, `President Bush`, or
//! `Karzai` after `Hamid Karzai`.
//!
//! A bare surname is no alias of its own when two people share it (Bush,
//! Kim, Castro), and would match too much if it were. Instead, after the
//! alias matcher has run, a capitalised word that no mention covers is a
//! mention of a person of the gazetteers when
//!
//! - a person with that surname was named in full earlier in the document
//!   (the latest one wins), or
//! - it follows an office title (`President`, `Minister`, `Chancellor`)
//!   and exactly one person with that surname held that office (on the
//!   document's date, when it is known); or it follows a plain honorific
//!   (`Mr.`, `Dr.`), the document's date is known, and exactly one person
//!   with that surname held an office on it.

use std::collections::HashMap;

use crate::gazetteer::{Date, Entry, Label, Mention};
use crate::hash::{FxBuildHasher, HashFilter};
use crate::tokenize::{normalize, Case, SentenceKind, TokenKind, Tokens};

/// Words after which a capitalised word is taken to be a surname.
pub(crate) const HONORIFICS: [&str; 36] = [
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "president",
    "minister",
    "premier",
    "chancellor",
    "secretary",
    "senator",
    "sen.",
    "gen.",
    "general",
    "ambassador",
    "envoy",
    "king",
    "queen",
    "prince",
    "sheikh",
    "governor",
    "gov.",
    "mayor",
    "commander",
    "colonel",
    "col.",
    "judge",
    "justice",
    "pope",
    "spokesman",
    "spokeswoman",
    "leader",
    "chief",
];

/// [`crate::vocab::hash`] of each of [`HONORIFICS`], in the same order.
const HONORIFIC_HASHES: [u64; HONORIFICS.len()] = {
    let mut h = [0; HONORIFICS.len()];
    let mut i = 0;
    while i < h.len() {
        h[i] = crate::vocab::hash_const(HONORIFICS[i].as_bytes());
        i += 1;
    }
    h
};

/// Whether `norm`, whose [`crate::vocab::hash`] is `hash` (a token's
/// normalised form and `Token::hash`), is one of [`HONORIFICS`]. The
/// matcher asks at most capitalised words: comparing numbers first spares
/// the string compares.
#[inline]
pub(crate) fn is_honorific(hash: u64, norm: &str) -> bool {
    HONORIFIC_HASHES.contains(&hash) && HONORIFICS.contains(&norm)
}

/// Honorifics that name no office.
const PLAIN: &[&str] = &["mr", "mrs", "ms", "dr", "sir", "dame", "sheikh"];

/// Surname (normalised last word of the name) -> people, for PERSON
/// entries with names of two words or more.
#[derive(Clone, Debug, Default)]
pub(crate) struct Surnames {
    by_name: HashMap<Box<str>, Vec<u32>, FxBuildHasher>,
    /// The [`crate::vocab::hash`] of every surname: most capitalised words
    /// are no surname, and are turned away without hashing them again.
    filter: HashFilter,
}

impl Surnames {
    /// The people whose surname is `norm`, a token's normalised form, whose
    /// [`crate::vocab::hash`] is `hash`.
    #[inline]
    fn get(&self, norm: &str, hash: u64) -> Option<&Vec<u32>> {
        if !self.filter.may_hold(hash) {
            return None;
        }
        self.by_name.get(norm)
    }
}

/// The [`Surnames`] of `entries`.
pub(crate) fn index(entries: &[Entry]) -> Surnames {
    let mut idx: HashMap<Box<str>, Vec<u32>, FxBuildHasher> =
        HashMap::default();
    for (i, e) in entries.iter().enumerate() {
        if e.label != Label::Person {
            continue;
        }
        let name = normalize(&e.name.text);
        let mut words = name.split(|c: char| c.is_whitespace() || c == '-');
        let first = words.next();
        if let Some(last) = name
            .split_whitespace()
            .last()
            .filter(|l| Some(*l) != first && l.len() > 2)
        {
            idx.entry(last.into()).or_default().push(i as u32);
        }
    }
    // about sixteen bits a name: few other words get through
    let mut filter = HashFilter::with_bits(idx.len() * 16);
    for name in idx.keys() {
        filter.insert(crate::vocab::hash(name));
    }
    Surnames { by_name: idx, filter }
}

/// Adds surname mentions to `mentions` (sorted, not overlapping).
pub(crate) fn extend(
    idx: &Surnames,
    entries: &[Entry],
    toks: &Tokens<'_>,
    mentions: &mut Vec<Mention>,
    date: Option<Date>,
) {
    if idx.by_name.is_empty() {
        return;
    }
    let tokens = toks.tokens();
    let mut covered = vec![false; tokens.len()];
    for m in mentions.iter() {
        covered[m.start..m.end].iter_mut().for_each(|c| *c = true);
    }
    // surname -> the latest person named in full so far
    let mut named: HashMap<&str, u32, FxBuildHasher> = HashMap::default();
    let mut next = 0;
    let mut add = Vec::new();
    let mut cands = Vec::new();
    for s in toks.sentences() {
        if s.kind == SentenceKind::Boilerplate {
            continue;
        }
        // the capitalised words that no mention covers, gathered without a
        // branch per token (which word is one is hard to predict, and most
        // are not)
        cands.clear();
        cands.resize(s.tokens.len(), 0);
        let mut n = 0;
        for t in s.tokens.clone() {
            let tok = &tokens[t];
            cands[n] = t;
            n += usize::from(
                !covered[t]
                    & (tok.kind == TokenKind::Word)
                    & (tok.case == Case::Title),
            );
        }
        for &t in &cands[..n] {
            while next < mentions.len() && mentions[next].start <= t {
                let m = mentions[next];
                let e = &entries[m.entry as usize];
                if e.label == Label::Person && m.end - m.start > 1 {
                    let last = toks.norm(&tokens[m.end - 1]);
                    named.insert(last, m.entry);
                }
                next += 1;
            }
            let tok = &tokens[t];
            // a name goes on ("Ehud Olmert"): not a surname alone
            let followed = tokens.get(t + 1).is_some_and(|n| {
                t + 1 < s.tokens.end
                    && n.kind == TokenKind::Word
                    && n.case == Case::Title
            });
            // nor the last word of another name ("Ahmed Wali Karzai")
            let preceded = t > s.tokens.start && {
                let p = &tokens[t - 1];
                p.kind == TokenKind::Word
                    && p.case.is_capitalised()
                    && !covered[t - 1]
                    && !is_honorific(p.hash, toks.norm(p))
                    && t - 1 != s.tokens.start
            };
            if followed || preceded {
                continue;
            }
            let norm = toks.norm(tok);
            let Some(people) = idx.get(norm, tok.hash) else { continue };
            // An office title picks the person who held that office
            // ("President Ford"), on the document's date when it is known.
            // A plain honorific ("Mr. Bush") names no office: it picks the
            // one bearer of the surname in office on the document's date,
            // and no one without a date (too many people share a surname).
            let before = (t > s.tokens.start)
                .then(|| toks.norm(&tokens[t - 1]).trim_end_matches('.'))
                .filter(|w| HONORIFICS.contains(w));
            let pick = named.get(norm).copied().or_else(|| {
                let word = before?;
                let plain = PLAIN.contains(&word);
                let holders: Vec<u32> = people
                    .iter()
                    .copied()
                    .filter(|&p| {
                        entries[p as usize].roles.iter().any(|r| {
                            let office = plain
                                || r.office
                                    .split([' ', '-'])
                                    .any(|w| w == word);
                            office && date.is_none_or(|d| r.held_on(d))
                        })
                    })
                    .collect();
                let known_date = date.is_some() || !plain;
                (known_date && holders.len() == 1).then(|| holders[0])
            });
            if let Some(entry) = pick {
                add.push(Mention { start: t, end: t + 1, entry, surface: 0 });
            }
        }
    }
    if !add.is_empty() {
        mentions.extend(add);
        mentions.sort_by_key(|m| m.start);
    }
}

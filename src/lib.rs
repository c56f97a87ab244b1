/*!
entente finds entities and relations in news text: a tokenizer built for
wire copy feeds a gazetteer matcher (countries, cities, officials,
organisations such as WFP and NATO), and rule-based relation patterns emit
triples such as `Russia –pledges aid→ Afghanistan`.

# Overview

- [`Extractor::default()`] works out of the box on the embedded gazetteers
  (every ISO 3166 country with its alternative names and demonyms, capitals
  and major cities, regions, international organisations, armed groups and
  parties, news agencies, and officials with dated roles).
- [`Extractor::builder()`] adds your own gazetteer files or strings, or
  drops the embedded ones.
- [`Extractor::extract`] returns an [`Extraction`]: plain structs that
  derive `serde::Serialize`, whose JSON shape is a stable contract.

# Example: extract

```
use entente::{Extractor, Label};

let ex = Extractor::default();
let text = "Russian Foreign Minister Sergey Lavrov met WFP officials in Kazan.";
let out = ex.extract(text);
for e in &out.entities {
    assert_eq!(&text[e.start..e.end], e.text);
}
let lavrov = out.entities.iter().find(|e| e.text == "Sergey Lavrov").unwrap();
assert_eq!(lavrov.label, Label::Person);
assert_eq!(lavrov.country.as_deref(), Some("RUS"));
let labels: Vec<&str> = out.entities.iter().map(|e| e.label.as_str()).collect();
assert_eq!(labels, ["NORP", "PERSON", "ORG", "GPE"]);
```

# Example: your own gazetteer

```
use entente::Extractor;

let ex = Extractor::builder()
    .embedded(false)
    .gazetteer_str("ports.gaz", "port.rotterdam | FAC | port | NLD | Port of Rotterdam\n")
    .build()?;
let out = ex.extract("Ships queued outside the Port of Rotterdam.");
assert_eq!(out.entities.len(), 1);
assert_eq!(out.entities[0].country.as_deref(), Some("NLD"));
# Ok::<(), entente::Error>(())
```

# Gazetteer files

One entry per line, `id | label | kind | country | name | aliases | roles`;
the format, its case policy (acronyms exact, names capitalised, `?` for
names that are also common words) and its conflict policy (leftmost, then
longest, then the stricter case policy, an entry already mentioned, a user
entry, the entry loaded first) are documented in `gazetteers/README.md`.
A malformed file is an [`Error`] listing every bad line as
`path:line:column: message` with a caret under the column.

# Testing rules

Rule files carry their own examples (see `rules/README.md`).
[`Extractor::check_examples`] checks them all; in your own `cargo test`,
[`testing::assert_rule_examples`] panics with a readable report and
[`testing::assert_relations`] checks one sentence against triples in a
compact notation (`"Russia -pledge_aid-> Afghanistan"`), printing a diff.

# Limits

- [`Extractor::extract`] never fails and never panics, on any `&str`.
  Its time is linear in the length of the text for any gazetteer and rule
  set: the matcher looks up each token once and walks at most 32 tokens
  (the longest alias allowed) from each; the rules run as a Pike VM, in
  time proportional to a sentence's items times the program's size, with
  no backtracking.
- An alias has at most 32 tokens; a longer one is a build error of kind
  [`DiagnosticKind::Limit`].
- Rule files: a gap spans at most 20 elements, groups nest at most 8
  deep, a pattern has at most 200 elements, a group or word set at most
  500 alternatives; past these the build fails with a located
  [`DiagnosticKind::Limit`] error, never a hang at run time.
- A discourse reference (*the country*) and a title's missing country
  look back over at most 100 earlier mentions; a letter chain such as
  `U.S.A.` has at most six segments.
- A sentence may be arbitrarily long (a 10,000-token sentence dense with
  entities and trigger words takes about 85 ms; see `benches/rules.rs`).
  Relations that repeat a subject, predicate, object and negation within
  one sentence are given once.
- A token may be arbitrarily long (a 1.2 MB run of letters is one token,
  matched against nothing in time linear in its length), and a document
  may hold any number of entities.
- Memory is linear in the text: tokens, their normalised forms, mentions
  and the output take about 17 bytes per byte of news text (a single
  108 MB document peaks at 1.8 GB and takes about a minute; split such
  inputs into documents where you can). Nothing is kept between calls but
  a pool of rule VMs, one per thread that extracts at a time.
- Offsets are `usize` byte offsets. Inside, token offsets are `u32`, so a
  text over 1 GiB is analysed in pieces of at most 1 GiB, cut at a line
  break (else a space); offsets and sentence numbers in the result are
  still those of the whole text, but no relation or discourse reference
  spans a cut. Entries are indexed with `u32` (4 billion entries).

# Crate features

None yet: the library depends only on `unicode-segmentation`, `serde` and
`once_cell`.
*/

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod embedded;
mod error;
mod explain;
mod extract;
pub mod gazetteer;
mod hash;
mod pool;
pub mod rules;
mod span;
pub mod testing;
mod text;
pub mod tokenize;
mod vocab;

pub use crate::error::{Diagnostic, DiagnosticKind, Error, Location};
pub use crate::explain::{
    EntityExplanation, Explanation, NearMiss, SentenceExplanation,
    TokenExplanation,
};
pub use crate::extract::{
    CountryCode, Counts, Entity, EntityRef, Extraction, Extractor,
    ExtractorBuilder, Relation, Stage,
};
pub use crate::gazetteer::{
    Alias, CasePolicy, Date, Entry, Gazetteer, Label, Role,
};
pub use crate::rules::{
    Example, ExampleFailure, ExampleReport, Expected, Rule, RuleId, RuleSet,
};
pub use crate::span::Span;
pub use crate::text::Str;
pub use crate::tokenize::{
    Case, Sentence, SentenceKind, Token, TokenKind, Tokenizer, Tokens,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{RefUnwindSafe, UnwindSafe};

    fn assert_all<T: Send + Sync + UnwindSafe + RefUnwindSafe>() {}

    #[test]
    fn oibits() {
        assert_all::<Extractor>();
        assert_all::<ExtractorBuilder>();
        assert_all::<Extraction>();
        assert_all::<Entity>();
        assert_all::<Relation>();
        assert_all::<Gazetteer>();
        assert_all::<Tokenizer>();
        assert_all::<Tokens<'static>>();
        assert_all::<Error>();
    }

    #[test]
    fn default_extractor_builds() {
        let ex =
            ExtractorBuilder::new().build().unwrap_or_else(|e| panic!("{e}"));
        assert!(ex.gazetteer().len() > 1000);
    }
}

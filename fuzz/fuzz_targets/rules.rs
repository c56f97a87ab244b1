//! Arbitrary bytes as a rule file (decoded lossily), built beside the
//! embedded `rules/common.rules` (the word lists every rule file may use)
//! over `entente_fuzz::SMALL_GAZETTEER` instead of the embedded
//! gazetteers, which take tens of milliseconds to build per input. The
//! small gazetteer has every kind the embedded rules name in their slots,
//! so rule snippets copied from `rules/` resolve.
//!
//! On `Ok`: a fixed news text and a prefix of the input go through
//! `extract` (undated and dated) and must keep the invariants of
//! `entente_fuzz::check_extraction`; the rule file's own examples are
//! checked and the report rendered; `explain` (near misses) runs on the
//! news text. On `Err`: the error is rendered with `to_string()` (line and
//! caret), which must not panic either, and every diagnostic about the
//! input must point inside it.
#![no_main]

use entente::{Date, Extractor};
use libfuzzer_sys::fuzz_target;

const COMMON: &str = include_str!("../../rules/common.rules");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let built = Extractor::builder()
        .embedded(false)
        .gazetteer_str("fuzz.gaz", entente_fuzz::SMALL_GAZETTEER)
        .rule_str("common.rules", COMMON)
        .rule_str("fuzz.rules", &*text)
        .build();
    match built {
        Ok(ex) => {
            let date = Some(Date { year: 2010, month: 5, day: 1 });
            let slice = entente_fuzz::prefix(&text, 1024);
            for t in [entente_fuzz::NEWS, slice] {
                let out = ex.extract(t);
                entente_fuzz::check_extraction(t, &out);
                let out = ex.extract_dated(t, date);
                entente_fuzz::check_extraction(t, &out);
            }
            let report = ex.check_examples();
            let _ = report.to_string();
            let why = ex.explain(entente_fuzz::NEWS, date);
            let _ = why.to_string();
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(!shown.is_empty());
            for d in e.diagnostics() {
                // a clash with common.rules (a list defined twice) may be
                // reported there: check each diagnostic against its file
                let loc = &d.location;
                let file: &str = match loc.path.as_str() {
                    "fuzz.rules" => &text,
                    "common.rules" => COMMON,
                    "fuzz.gaz" => entente_fuzz::SMALL_GAZETTEER,
                    other => panic!("a diagnostic about an unknown file {other:?}: {d}"),
                };
                assert!(
                    loc.offset <= file.len() && file.is_char_boundary(loc.offset),
                    "diagnostic offset {} outside its file or inside a character: {d}",
                    loc.offset
                );
                assert!(loc.line >= 1 && loc.column >= 1, "{loc:?}");
            }
        }
    }
});

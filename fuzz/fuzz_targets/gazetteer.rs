//! Arbitrary bytes as a gazetteer file (decoded lossily), built without
//! the embedded data, beside two small rule files that use labels only
//! (labels are always known, whatever the gazetteer holds).
//!
//! On `Ok`: the input text itself, and a fixed news text, go through the
//! extractor, undated and dated, and the result must keep the invariants
//! of `entente_fuzz::check_extraction`. On `Err`: the error is rendered
//! with `to_string()` (line, caret, related location), which must not
//! panic either, and every diagnostic must point inside the input.
#![no_main]

use entente::{Date, Extractor};
use libfuzzer_sys::fuzz_target;

/// Role rules and one relation rule over labels, written for this target:
/// they bind what the fuzzed gazetteer finds, read its dated roles
/// (`President X` without a country) and discover unknown names.
const RULES: &str = "\
list fz_title = president minister premier chancellor king leader spokesman envoy secretary-general
list fz_mod = foreign defence prime deputy former

rule fz_title_of \"holds role\" role priority=10
  pattern  obj:NORP|GPE|ORG role:(@fz_mod? @fz_mod? ^@fz_title) subj:PERSON+

rule fz_title_alone \"holds role\" role priority=5
  pattern  role:(@fz_mod? ^@fz_title) subj:PERSON

rule fz_meet \"meets\" cameo=040
  pattern  subj:ACTOR ...{0,3 !said} ^meet~|visit~ ...{0,2} obj:ACTOR
  noun     meeting visit
";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let built = Extractor::builder()
        .embedded(false)
        .gazetteer_str("fuzz.gaz", &*text)
        .rule_str("fuzz.rules", RULES)
        .build();
    match built {
        Ok(ex) => {
            let date = Date { year: 2020, month: 6, day: 1 };
            for t in [&*text, entente_fuzz::NEWS] {
                let out = ex.extract(t);
                entente_fuzz::check_extraction(t, &out);
                let out = ex.extract_dated(t, Some(date));
                entente_fuzz::check_extraction(t, &out);
            }
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(!shown.is_empty());
            for d in e.diagnostics() {
                let loc = &d.location;
                if loc.path == "fuzz.gaz" {
                    assert!(
                        loc.offset <= text.len() && text.is_char_boundary(loc.offset),
                        "diagnostic offset {} outside the input or inside a character: {d}",
                        loc.offset
                    );
                    assert!(loc.line >= 1 && loc.column >= 1, "{loc:?}");
                }
            }
        }
    }
});

//! Arbitrary bytes as a news text (decoded lossily, so invalid UTF-8
//! becomes U+FFFD), through the default extractor.
//!
//! Input layout: a first byte below 0x08 followed by four bytes makes a
//! dated document (see `entente_fuzz::split_date`); the rest is the text.
//!
//! Checks (panics when broken): the invariants of
//! `entente_fuzz::check_extraction`. With `ENTENTE_FUZZ_REFERENCE=1` in
//! the environment, also that `extract_reference` (the rule VM without its
//! prefilter) gives the same result as `extract_dated`, for texts up to
//! 16 KiB; it is off by default because the reference is 50 to 100 times
//! slower (about 5 ms against 0.1 ms on a 300-byte text, release build,
//! no sanitizer), which took the run from thousands to 18 exec/s.
#![no_main]

use std::sync::OnceLock;

use entente::Extractor;
use libfuzzer_sys::fuzz_target;

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
static REFERENCE: OnceLock<bool> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let ex = EXTRACTOR.get_or_init(Extractor::default);
    let reference = *REFERENCE.get_or_init(|| {
        std::env::var("ENTENTE_FUZZ_REFERENCE").is_ok_and(|v| v == "1")
    });
    let (date, body) = entente_fuzz::split_date(data);
    let text = String::from_utf8_lossy(body);
    let out = ex.extract_dated(&text, date);
    entente_fuzz::check_extraction(&text, &out);
    if reference && text.len() <= 16 * 1024 {
        let slow = ex.extract_reference(&text, date);
        assert!(
            slow == out,
            "extract_reference differs from extract_dated\n  fast: {out:?}\n  reference: {slow:?}"
        );
    }
});

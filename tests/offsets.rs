//! Offsets are byte offsets into the original text, on character
//! boundaries, whatever the text holds; `extract` never panics.

use entente::{Extraction, Extractor};
use quickcheck::{QuickCheck, TestResult};

fn check(text: &str, out: &Extraction) -> Result<(), String> {
    let mut prev_end = 0;
    for e in &out.entities {
        if !(text.is_char_boundary(e.start) && text.is_char_boundary(e.end)) {
            return Err(format!(
                "{}..{} not on char boundaries",
                e.start, e.end
            ));
        }
        if e.start >= e.end || e.end > text.len() {
            return Err(format!("bad span {}..{}", e.start, e.end));
        }
        if text[e.start..e.end] != e.text {
            return Err(format!("text {:?} is not the slice", e.text));
        }
        if e.start < prev_end {
            return Err(format!("{:?} overlaps the previous entity", e.text));
        }
        prev_end = e.end;
    }
    for r in &out.relations {
        let spans = [
            (r.start, r.end),
            (r.subject.start, r.subject.end),
            (r.object.start, r.object.end),
        ];
        for (a, b) in spans {
            let ok = a <= b
                && b <= text.len()
                && text.is_char_boundary(a)
                && text.is_char_boundary(b);
            if !ok {
                return Err(format!(
                    "relation span {a}..{b} is not a span of the text"
                ));
            }
        }
        for arg in [&r.subject, &r.object] {
            if text[arg.start..arg.end] != arg.text {
                return Err(format!(
                    "argument text {:?} is not its slice",
                    arg.text
                ));
            }
        }
    }
    Ok(())
}

/// (text, entity texts expected), in our own sentences.
const NON_ASCII: &[(&str, &[&str])] = &[
    (
        "Prices in € rose in Côte d’Ivoire and Russia.",
        &["Côte d’Ivoire", "Russia"],
    ),
    ("😀 Russia 👍🏽 Afghanistan 👨‍👩‍👧", &["Russia", "Afghanistan"]),
    ("Cote\u{302} d'Ivoire", &["Cote\u{302} d'Ivoire"]),
    ("Russia\r\nAfghanistan\r\n", &["Russia", "Afghanistan"]),
    ("“Russia” said ‘Afghanistan’", &["Russia", "Afghanistan"]),
    (
        "ERDOĞAN and Erdoğan met in İstanbul",
        &["ERDOĞAN", "Erdoğan", "İstanbul"],
    ),
    ("Москва, Russia", &["Russia"]),
    ("\u{FEFF}Russia\u{200B}Afghanistan", &["Russia", "Afghanistan"]),
    ("Rus\u{200E}sia", &[]),
    ("Russia\0Afghanistan", &["Russia", "Afghanistan"]),
];

#[test]
fn non_ascii_offsets() {
    let ex = Extractor::default();
    for (text, want) in NON_ASCII {
        let out = ex.extract(text);
        check(text, &out).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let got: Vec<&str> =
            out.entities.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(&got, want, "{text:?}");
    }
}

#[test]
fn offsets_are_relative_to_the_text() {
    let ex = Extractor::default();
    let base = "Russia pledged aid to Afghanistan.";
    let a = ex.extract(base);
    for prefix in ["x ", "é ", "👍 ", "\n\n", "Text before. "] {
        let text = format!("{prefix}{base}");
        let b = ex.extract(&text);
        assert_eq!(a.entities.len(), b.entities.len());
        for (x, y) in a.entities.iter().zip(&b.entities) {
            assert_eq!(x.start + prefix.len(), y.start);
            assert_eq!(x.end + prefix.len(), y.end);
            assert_eq!(x.id, y.id);
        }
    }
}

#[test]
fn property_any_string() {
    fn prop(text: String) -> TestResult {
        let ex = Extractor::default();
        let out = ex.extract(&text);
        match check(&text, &out) {
            Ok(()) => TestResult::passed(),
            Err(e) => TestResult::error(e),
        }
    }
    QuickCheck::new().tests(2000).quickcheck(prop as fn(String) -> TestResult);
}

#[test]
fn property_news_like_strings() {
    // Random mixes of entity names, punctuation and odd characters hit the
    // matcher far more often than uniformly random strings do.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "Russia", "U.S.", "US", "-", "led", "’s", "'", "Afghanistan", ".", " ",
        "\n", "\n\n", "Kabul", ":", "Côte", "d’Ivoire", "é", "\u{301}", "👍🏽",
        "Jordan", "New", "York", "City", "icon-facebook", "Fri Sep 29 2023",
        "al", "Qaeda", "WHO", "who", "Gen.", "J.", "3.5", "“", "”", "(", ")",
        "\r\n", "\u{200B}", "\u{FEFF}", "Taliban", "NATO", "Nato", "Lavrov",
        // trigger words, titles and names, to exercise the rules
        " met ", " accused ", " invaded ", " pledged ", " aid ", " to ", " and ",
        " President ", " Foreign Minister ", " the country ", " said ", " not ",
        " was ", " by ", " in 1979 ", " Kaarel Tammsaar ", " Mr. Karzai ", ",",
        " withdrew from ", " talks with ", " 's ", " Prime Minister ",
    ];
    fn prop(picks: Vec<u8>) -> TestResult {
        let text: String =
            picks.iter().map(|&p| PIECES[p as usize % PIECES.len()]).collect();
        let ex = Extractor::default();
        match check(&text, &ex.extract(&text)) {
            Ok(()) => TestResult::passed(),
            Err(e) => TestResult::error(format!("{text:?}: {e}")),
        }
    }
    // ENTENTE_QUICKCHECK_TESTS raises the count for a longer local run.
    let tests = std::env::var("ENTENTE_QUICKCHECK_TESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000);
    QuickCheck::new()
        .tests(tests)
        .max_tests(tests)
        .quickcheck(prop as fn(Vec<u8>) -> TestResult);
}

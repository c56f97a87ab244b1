//! What the fuzz targets share: the invariants of an [`Extraction`], a
//! date drawn from input bytes, and a small gazetteer for targets that
//! build extractors without the embedded data.
//!
//! Every check panics with a message that names the broken invariant, so
//! that libFuzzer records the input as a crash.

use entente::{Date, Extraction};

/// Checks the documented invariants of `out`, the extraction of `text`:
///
/// - every entity has `start < end <= text.len()`, both on character
///   boundaries, and `text == text[start..end]`;
/// - entities are sorted by `start`, never overlap, and their sentence
///   indices never go back;
/// - every relation's evidence span and both argument spans lie in the
///   text on character boundaries (`start <= end`), and each argument's
///   `text` is its slice.
pub fn check_extraction(text: &str, out: &Extraction) {
    let mut prev: Option<(usize, usize, usize)> = None;
    for (i, e) in out.entities.iter().enumerate() {
        assert!(
            e.start < e.end && e.end <= text.len(),
            "entity {i} {:?}: span {}..{} is empty or outside the text ({} bytes)",
            e.text,
            e.start,
            e.end,
            text.len()
        );
        assert!(
            text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
            "entity {i} {:?}: span {}..{} is not on character boundaries",
            e.text,
            e.start,
            e.end
        );
        assert_eq!(
            &text[e.start..e.end],
            e.text,
            "entity {i}: text is not text[{}..{}]",
            e.start,
            e.end
        );
        if let Some((ps, pe, psent)) = prev {
            assert!(
                e.start >= ps,
                "entity {i} {:?} at {} is before the previous entity at {ps}: not sorted",
                e.text,
                e.start
            );
            assert!(
                e.start >= pe,
                "entity {i} {:?} at {}..{} overlaps the previous entity ending at {pe}",
                e.text,
                e.start,
                e.end
            );
            assert!(
                e.sentence >= psent,
                "entity {i} {:?}: sentence {} after an entity of sentence {psent}",
                e.text,
                e.sentence
            );
        }
        prev = Some((e.start, e.end, e.sentence));
    }
    for (i, r) in out.relations.iter().enumerate() {
        let span = |what: &str, a: usize, b: usize| {
            assert!(
                a <= b
                    && b <= text.len()
                    && text.is_char_boundary(a)
                    && text.is_char_boundary(b),
                "relation {i} ({} {}): {what} span {a}..{b} is not a span of the text ({} bytes)",
                r.predicate,
                r.rule,
                text.len()
            );
        };
        span("evidence", r.start, r.end);
        for (what, arg) in [("subject", &r.subject), ("object", &r.object)] {
            span(what, arg.start, arg.end);
            assert_eq!(
                &text[arg.start..arg.end],
                arg.text,
                "relation {i} ({} {}): {what} text is not text[{}..{}]",
                r.predicate,
                r.rule,
                arg.start,
                arg.end
            );
        }
    }
}

/// A date that [`Date::parse`] could give: year 0 to 9999, month 0 (none)
/// to 12, day 0 (none) to 31, no day without a month.
pub fn date_from(b: [u8; 4]) -> Date {
    let year = i32::from(u16::from_le_bytes([b[0], b[1]]) % 10_000);
    let month = b[2] % 13;
    let day = if month == 0 { 0 } else { b[3] % 32 };
    Date { year, month, day }
}

/// Splits an optional date header off fuzz input: input that starts with a
/// byte below 0x08 (never seen in text) and has four more bytes gives a
/// dated document; anything else is undated.
pub fn split_date(data: &[u8]) -> (Option<Date>, &[u8]) {
    match data {
        [tag, a, b, c, d, rest @ ..] if *tag < 0x08 => {
            (Some(date_from([*a, *b, *c, *d])), rest)
        }
        _ => (None, data),
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a
/// character boundary.
pub fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A small gazetteer, written for the fuzz targets: one entry or more of
/// every kind that the embedded rules name in their slots, the entities of
/// [`NEWS`], and people with dated roles. Building it takes about 0.4 ms,
/// against about 18 ms for the embedded gazetteers (release, no sanitizer).
pub const SMALL_GAZETTEER: &str = "\
# fuzz.gaz: a small gazetteer for the fuzz targets
# id | label | kind | country | name | aliases | roles
RUS | GPE | country | RUS | Russia | Russian Federation; =RF
AFG | GPE | country | AFG | Afghanistan | Islamic Republic of Afghanistan
UKR | GPE | country | UKR | Ukraine
USA | GPE | country | USA | United States | =US; =U.S.; America; United States of America
JOR | GPE | country | JOR | ?Jordan
GRL | GPE | territory | DNK | Greenland
SUN | GPE | former_state | SUN | Soviet Union | =USSR; Soviet
city.moscow | GPE | capital | RUS | Moscow
city.kabul | GPE | capital | AFG | Kabul
city.kazan | GPE | city | RUS | Kazan
city.new-york | GPE | city | USA | New York | New York City; =NYC
adm.california | GPE | state | USA | California
adm.helmand | GPE | province | AFG | Helmand | Helmand Province
adm.abkhazia | GPE | breakaway_region | GEO | Abkhazia
region.central-asia | LOC | region | - | Central Asia
region.crimea | LOC | peninsula | UKR | Crimea | Crimean Peninsula
region.kurils | LOC | islands | RUS | Kuril Islands | Kurils
region.sakhalin | LOC | island | RUS | Sakhalin
RUS.demonym | NORP | demonym | RUS | Russian | Russians
AFG.demonym | NORP | demonym | AFG | Afghan | Afghans
USA.demonym | NORP | demonym | USA | American | Americans
group.pashtuns | NORP | ethnic_group | AFG | Pashtuns | Pashtun
group.sunnis | NORP | religious_group | - | Sunnis | Sunni Muslims
org.un | ORG | igo | - | United Nations | =UN; =U.N.; the United Nations
org.icc | ORG | igo | - | International Criminal Court | =ICC
org.wfp | ORG | igo | - | World Food Programme | =WFP; World Food Program
org.msf | ORG | ngo | - | Doctors Without Borders | =MSF
org.nato | ORG | igo | - | North Atlantic Treaty Organization | =NATO; Nato
org.taliban | ORG | armed_group | AFG | Taliban | the Taliban
org.united-russia | ORG | party | RUS | United Russia
org.kremlin | ORG | government_body | RUS | Kremlin | the Kremlin
org.russian-army | ORG | military | RUS | Russian Ground Forces
org.euromaidan | ORG | movement | UKR | Euromaidan
media.tass | ORG | media | RUS | TASS | Tass
event.moscow-format | EVENT | forum | - | Moscow Format
person.sergey-lavrov | PERSON | official | RUS | Sergey Lavrov | Sergei Lavrov; Lavrov | foreign minister@RUS 2004-03-09..
person.vladimir-putin | PERSON | official | RUS | Vladimir Putin | Putin | president@RUS 2012-05-07..; prime minister@RUS 2008-05-08..2012-05-07; president@RUS 2000-05-07..2008-05-07
person.hamid-karzai | PERSON | official | AFG | Hamid Karzai | Karzai | president@AFG 2004-12-07..2014-09-29
person.antonio-guterres | PERSON | official | PRT | António Guterres | Guterres | secretary-general@org.un 2017-01-01..
person.ann-example | PERSON | person | - | Ann Example | Example | spokeswoman@org.wfp 2019..; envoy@person.vladimir-putin 2021-06..2022
";

/// A short news text, written for the fuzz targets, with a dateline,
/// entities of [`SMALL_GAZETTEER`], a title, a discourse reference and a
/// few trigger words of the embedded rules.
pub const NEWS: &str = "\
MOSCOW, March 3 (TASS) - Russia has pledged more food aid to Afghanistan, \
Russian Foreign Minister Sergey Lavrov said on Tuesday after talks with \
the Taliban in Kazan. President Putin did not condemn the United Nations. \
The country was attacked by Ukraine in 2022; NATO troops withdrew from it. \
Afghan Deputy Minister Abdul Qadir met WFP officials in Kabul.";

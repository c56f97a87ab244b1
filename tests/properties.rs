//! Property tests of `Extractor::extract` and `extract_dated` on generated
//! news-like text: offsets, order, relation arguments, shift invariance,
//! determinism and thread invariance.
//!
//! The generator writes sentences from a vocabulary of gazetteer names,
//! titles, trigger phrases, discourse references, datelines, boilerplate
//! and odd characters (combining marks, emoji, zero-width joiners, NUL),
//! so that nearly every case has entities and many have relations.
//!
//! ENTENTE_QUICKCHECK_TESTS sets the number of cases per property
//! (default 200), for a longer local run.

use std::fmt;

use entente::{Date, Extraction, Extractor, Label};
use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};

// ---------------------------------------------------------------------
// The generator

/// Countries, capitals, organisations, people and groups: what a slot of
/// a rule takes. Some need a neighbour to be one entity (`the United
/// Nations`), some are surnames resolved from an earlier full name
/// (`Karzai`), some are unknown (`Kaarel Tammsaar`).
#[rustfmt::skip]
const ACTORS: &[&str] = &[
    "Russia", "Afghanistan", "NATO", "Vladimir Putin", "Kabul",
    "the United Nations", "Moscow", "Washington", "Iran", "China",
    "the European Union", "WFP", "the IMF", "Hamid Karzai", "Sergey Lavrov",
    "Emmanuel Macron", "Recep Tayyip Erdoğan", "Erdoğan", "Côte d’Ivoire",
    "São Paulo", "Kyiv", "Ukraine", "Hamas", "Israel", "the Taliban",
    "Germany", "Japan", "Turkey", "Karzai", "Lavrov", "Putin", "U.S.", "US",
    "Kaarel Tammsaar", "Russian", "Afghan", "Israeli", "Boko Haram",
    "Maiduguri", "the African Union", "Sudan", "Nepal", "Qatar",
    "António Guterres", "Pakistan", "Tehran", "Beijing", "Taiwan",
    "AFGHANISTAN", "Nato", "U.N.", "the U.S.", "al-Qaeda", "Islamic State",
    "Al-Shabaab", "North Korea", "Pyongyang", "New York", "South Sudan",
    "Guinea-Bissau", "Papua New Guinea", "Democratic Republic of the Congo",
    "Congo", "the Soviet Union", "Afghanistan’s Taliban-led government",
];

/// Discourse references, which point back at an earlier mention.
#[rustfmt::skip]
const REFS: &[&str] = &[
    "the country", "the government", "the group", "the alliance", "the city",
    "the regime", "the militants", "the organisation", "the capital",
];

/// Titles before a person, with their own spacing.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "President ", "Russian Foreign Minister ", "Foreign Minister ",
    "Prime Minister ", "UN Secretary-General ", "Mr. ", "former Afghan President ",
    "Chinese Foreign Minister ", "Ruritanian Defence Minister ", "Gen. ",
    "Turkish President ",
];

/// People after a title: known, unknown, surnames alone.
#[rustfmt::skip]
const PEOPLE: &[&str] = &[
    "Vladimir Putin", "Sergey Lavrov", "Hamid Karzai", "Karzai", "Putin",
    "Kaarel Tammsaar", "Arjun Thapa", "Recep Tayyip Erdoğan", "Erdoğan",
    "Tomas Varga", "Emmanuel Macron", "Macron", "Ana Lopez",
    "Ana Maria Lopez Garcia Ruiz",
];

/// Trigger phrases between the two slots, with their own spacing.
#[rustfmt::skip]
const VERBS: &[&str] = &[
    " pledged aid to ", " met ", " condemned ", " attacked ", " accused ",
    " invaded ", " urged ", " held talks with ", " criticised ",
    " sent troops to ", " imposed sanctions on ", " did not condemn ",
    " was attacked by ", " withdrew from ", " visited ",
    " promised more assistance for ", " called on ", " has pledged food aid to ",
    " denied attacking ", " expressed solidarity with ", " threatened ",
    " said ", " and ", " ", "’s invasion of ", " bombed ", " kidnapped ",
];

/// What may follow the object.
#[rustfmt::skip]
const TAILS: &[&str] = &[
    " in 1979", " on Monday", " in August 2021", "’s government",
    ", officials said", " to withdraw its troops", " after the earthquake",
    ", Spain's ambassador to Morocco,", ", the president of Brazil,",
    " since 2017", "'s",
];

/// Sentence ends and the white space after them.
#[rustfmt::skip]
const ENDS: &[&str] = &[
    ". ", ".\n", ".\n\n", "\n\n", "! ", "?\n", "", ".” ", ".", ";\n", " ",
];

/// Paragraph openers: datelines and page boilerplate.
#[rustfmt::skip]
const OPENERS: &[&str] = &[
    "KABUL, March 3 (Staff) - ", "Moscow: ", "icon-facebook icon-twitter\n",
    "Fri Sep 29 2023\n", "GENEVA, Sept 29 (Reuters) - ", "Russia pledges aid\n",
];

/// Odd characters and punctuation, anywhere.
#[rustfmt::skip]
const NOISE: &[&str] = &[
    "é", "\u{301}", "😀", "👍🏽", "👨\u{200D}👩\u{200D}👧", "\u{200D}", "\u{200B}",
    "\u{FEFF}", "\0", "\r\n", "(", ")", "“", "”", "-", "—", ":", " ", "\n",
    "\t", ",", "'", "’", "Москва ", "3.5", "U.S.-led ", " the ", "Zz",
    "\u{200E}", "\u{A0}", "\u{2028}", "\u{85}", "\r", "…", "’s ", "-led ",
    "J. ", "Sept. ", "St. ", "A.", "ＮＡＴＯ", "«", "»", "/", "&", "#",
];

/// Publication dates, for `extract_dated` (`None`: `extract`).
const DATES: &[Option<&str>] = &[
    None,
    Some("2010-05-01"),
    Some("2022-03-01"),
    Some("1985-06"),
    Some("2003"),
];

/// A generated document: the pieces it is written from (so that it
/// shrinks piece by piece) and its publication date.
#[derive(Clone)]
struct Doc {
    pieces: Vec<&'static str>,
    date: Option<&'static str>,
}

impl Doc {
    fn text(&self) -> String {
        self.pieces.concat()
    }

    fn date(&self) -> Option<Date> {
        self.date.and_then(Date::parse)
    }

    fn extract(&self, ex: &Extractor, text: &str) -> Extraction {
        ex.extract_dated(text, self.date())
    }
}

impl fmt::Debug for Doc {
    // Failures print the text itself, ready to paste into a test.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} (date {:?})", self.text(), self.date)
    }
}

fn pick(g: &mut Gen, n: usize) -> usize {
    usize::arbitrary(g) % n
}

fn chance(g: &mut Gen, percent: usize) -> bool {
    pick(g, 100) < percent
}

fn one(g: &mut Gen, from: &[&'static str]) -> &'static str {
    from[pick(g, from.len())]
}

/// One sentence: `[opener] [noise] (title person | actor) [and actor]
/// verb [noise] (actor | reference) [and actor] [tail] end`.
fn sentence(g: &mut Gen, out: &mut Vec<&'static str>) {
    if chance(g, 12) {
        out.push(one(g, OPENERS));
    }
    if chance(g, 15) {
        out.push(one(g, NOISE));
    }
    if chance(g, 30) {
        out.push(one(g, TITLES));
        out.push(one(g, PEOPLE));
    } else {
        out.push(one(g, ACTORS));
    }
    if chance(g, 15) {
        out.push(" and ");
        out.push(one(g, ACTORS));
    }
    if chance(g, 10) {
        out.push(one(g, NOISE));
    }
    out.push(one(g, VERBS));
    if chance(g, 10) {
        out.push(one(g, NOISE));
    }
    if chance(g, 20) {
        out.push(one(g, REFS));
    } else if chance(g, 15) {
        out.push(one(g, TITLES));
        out.push(one(g, PEOPLE));
    } else {
        out.push(one(g, ACTORS));
    }
    if chance(g, 15) {
        out.push(if chance(g, 50) { ", " } else { " and " });
        out.push(one(g, ACTORS));
    }
    if chance(g, 30) {
        out.push(one(g, TAILS));
    }
    out.push(one(g, ENDS));
}

impl Arbitrary for Doc {
    /// One to six sentences, with a noise piece put between any two
    /// pieces now and then (inside names, between a word and its
    /// punctuation).
    ///
    /// One document in five is a soup instead: up to 60 pieces drawn from
    /// all the tables at random, for the combinations no template writes.
    fn arbitrary(g: &mut Gen) -> Doc {
        let mut sentences = Vec::new();
        if chance(g, 20) {
            let tables = [
                ACTORS, REFS, TITLES, PEOPLE, VERBS, TAILS, ENDS, OPENERS,
                NOISE,
            ];
            for _ in 0..1 + pick(g, 60) {
                let table = tables[pick(g, tables.len())];
                sentences.push(one(g, table));
            }
        } else {
            for _ in 0..1 + pick(g, 6) {
                sentence(g, &mut sentences);
            }
        }
        let mut pieces = Vec::with_capacity(sentences.len() * 2);
        for p in sentences {
            if chance(g, 4) {
                pieces.push(one(g, NOISE));
            }
            pieces.push(p);
        }
        Doc { pieces, date: DATES[pick(g, DATES.len())] }
    }

    /// Without the date, then without runs of pieces: halves first, down
    /// to single pieces.
    fn shrink(&self) -> Box<dyn Iterator<Item = Doc>> {
        let mut out = Vec::new();
        if self.date.is_some() {
            out.push(Doc { pieces: self.pieces.clone(), date: None });
        }
        let n = self.pieces.len();
        let mut k = n / 2;
        while k >= 1 {
            let mut i = 0;
            while i + k <= n {
                let mut pieces = self.pieces.clone();
                pieces.drain(i..i + k);
                out.push(Doc { pieces, date: self.date });
                i += k;
            }
            k /= 2;
        }
        Box::new(out.into_iter())
    }
}

/// One to twelve documents, for the thread test.
#[derive(Clone, Debug)]
struct Docs(Vec<Doc>);

impl Arbitrary for Docs {
    fn arbitrary(g: &mut Gen) -> Docs {
        Docs((0..1 + pick(g, 12)).map(|_| Doc::arbitrary(g)).collect())
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Docs>> {
        Box::new(self.0.shrink().map(Docs))
    }
}

/// Cases per property: ENTENTE_QUICKCHECK_TESTS, or 200.
fn quickcheck() -> QuickCheck {
    let tests = std::env::var("ENTENTE_QUICKCHECK_TESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    QuickCheck::new().tests(tests).max_tests(tests)
}

fn result(doc: &Doc, check: Result<(), String>) -> TestResult {
    match check {
        Ok(()) => TestResult::passed(),
        Err(e) => TestResult::error(format!("{doc:?}: {e}")),
    }
}

// ---------------------------------------------------------------------
// The checks

/// Whether `start..end` is a non-empty span of `text` on char boundaries.
fn is_span(text: &str, start: usize, end: usize) -> bool {
    start < end
        && end <= text.len()
        && text.is_char_boundary(start)
        && text.is_char_boundary(end)
}

/// (a) Every entity, relation argument and evidence span is a non-empty
/// span of the text on char boundaries, and every `text` field is exactly
/// its slice.
fn check_spans(text: &str, out: &Extraction) -> Result<(), String> {
    for e in &out.entities {
        if !is_span(text, e.start, e.end) {
            return Err(format!("entity span {}..{} is bad", e.start, e.end));
        }
        if text[e.start..e.end] != e.text {
            return Err(format!("entity text {:?} is not its slice", e.text));
        }
    }
    for r in &out.relations {
        if !is_span(text, r.start, r.end) {
            return Err(format!(
                "evidence span {}..{} is bad",
                r.start, r.end
            ));
        }
        for arg in [&r.subject, &r.object] {
            if !is_span(text, arg.start, arg.end) {
                return Err(format!(
                    "argument span {}..{} is bad",
                    arg.start, arg.end
                ));
            }
            if text[arg.start..arg.end] != arg.text {
                return Err(format!(
                    "argument text {:?} is not its slice {:?}",
                    arg.text,
                    &text[arg.start..arg.end]
                ));
            }
        }
    }
    Ok(())
}

/// (b) Entities are sorted by start and never overlap; relations are in
/// text order of their evidence (`Extraction` documents both).
fn check_order(out: &Extraction) -> Result<(), String> {
    for w in out.entities.windows(2) {
        if w[1].start < w[0].end {
            return Err(format!(
                "entity {:?} at {}..{} overlaps or precedes {:?} at {}..{}",
                w[1].text,
                w[1].start,
                w[1].end,
                w[0].text,
                w[0].start,
                w[0].end
            ));
        }
    }
    for w in out.relations.windows(2) {
        if (w[1].start, w[1].end) < (w[0].start, w[0].end) {
            return Err(format!(
                "relation at {}..{} comes after the one at {}..{}",
                w[1].start, w[1].end, w[0].start, w[0].end
            ));
        }
    }
    Ok(())
}

/// The words that make `the <word>` a discourse reference.
#[rustfmt::skip]
const REF_WORDS: &[&str] = &[
    "country", "nation", "government", "regime", "state", "administration",
    "group", "militants", "militia", "movement", "insurgents", "rebels",
    "organisation", "organization", "alliance", "bloc", "agency", "city",
    "capital",
];

/// (c) Every relation argument is an entity of the output. An `EntityRef`
/// has the span of the words that name the argument, so it is one of:
///
/// - a mention: an entity with the same span, and the same id, text, name
///   and country;
/// - a discourse reference (`the country`): no entity overlaps its span,
///   and an entity with its id, name and country ends before it;
/// - the office of a role relation whose holder's country the text does
///   not name (`President Vladimir Putin`): the object's span is the
///   title, inside the evidence, overlapping no entity, and the subject's
///   gazetteer entry has a role of the object's id.
fn check_arguments(ex: &Extractor, out: &Extraction) -> Result<(), String> {
    for r in &out.relations {
        for (slot, arg) in [("subject", &r.subject), ("object", &r.object)] {
            let what = format!(
                "{slot} {:?} ({}) at {}..{} of {} -{}-> {}",
                arg.text,
                arg.id,
                arg.start,
                arg.end,
                r.subject.id,
                r.predicate,
                r.object.id
            );
            let same_span = out
                .entities
                .iter()
                .find(|e| e.start == arg.start && e.end == arg.end);
            if let Some(e) = same_span {
                let same = e.id == arg.id
                    && e.text == arg.text
                    && e.name == arg.name
                    && e.country == arg.country;
                if !same {
                    return Err(format!(
                        "{what} differs from the entity {:?} ({}, {:?}, {:?})",
                        e.text, e.id, e.name, e.country
                    ));
                }
                continue;
            }
            if let Some(e) = out
                .entities
                .iter()
                .find(|e| e.start < arg.end && arg.start < e.end)
            {
                return Err(format!(
                    "{what} is no entity but overlaps the entity {:?} at \
                     {}..{}",
                    e.text, e.start, e.end
                ));
            }
            // letters only: `the city\u{301}` is a reference too
            let letters: String = arg
                .text
                .chars()
                .map(|c| if c.is_alphabetic() { c } else { ' ' })
                .collect();
            let words: Vec<String> =
                letters.split_whitespace().map(str::to_lowercase).collect();
            let is_ref = words.len() == 2
                && words[0] == "the"
                && REF_WORDS.contains(&words[1].as_str());
            if is_ref {
                let antecedent = out.entities.iter().any(|e| {
                    e.end <= arg.start
                        && e.id == arg.id
                        && e.name == arg.name
                        && e.country == arg.country
                });
                if !antecedent {
                    return Err(format!(
                        "{what} refers back to no earlier entity"
                    ));
                }
                continue;
            }
            let office = slot == "object"
                && r.predicate == "holds_role"
                && r.start <= arg.start
                && arg.end <= r.end
                && ex.gazetteer().get(&r.subject.id).is_some_and(|p| {
                    p.label() == Label::Person
                        && p.roles().iter().any(|role| *role.of == arg.id)
                });
            if !office {
                return Err(format!("{what} names no entity of the output"));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------
// The properties

#[test]
fn spans_are_slices_of_the_text() {
    // (a): see `check_spans`.
    fn prop(doc: Doc) -> TestResult {
        let text = doc.text();
        let out = doc.extract(&Extractor::default(), &text);
        result(&doc, check_spans(&text, &out))
    }
    quickcheck().quickcheck(prop as fn(Doc) -> TestResult);
}

#[test]
fn entities_are_sorted_and_disjoint() {
    // (b): see `check_order`.
    fn prop(doc: Doc) -> TestResult {
        let text = doc.text();
        let out = doc.extract(&Extractor::default(), &text);
        result(&doc, check_order(&out))
    }
    quickcheck().quickcheck(prop as fn(Doc) -> TestResult);
}

#[test]
fn relation_arguments_are_entities() {
    // (c): see `check_arguments`.
    fn prop(doc: Doc) -> TestResult {
        let ex = Extractor::default();
        let text = doc.text();
        let out = doc.extract(&ex, &text);
        // the check needs sound spans to read
        let check =
            check_spans(&text, &out).and_then(|()| check_arguments(&ex, &out));
        result(&doc, check)
    }
    quickcheck().quickcheck(prop as fn(Doc) -> TestResult);
}

/// (c) on the smallest inputs quickcheck found breaking it. A name of
/// five capitalised words between a title and an appositive: the title
/// rule discovers its first four words as a person, the appositive rule
/// its last four; the second person overlaps the first, so it is never
/// added to the entities, yet its relation is kept, with a subject that
/// names no entity of the output.
#[test]
fn relation_arguments_are_entities_long_names() {
    let ex = Extractor::default();
    for text in [
        "President Ana Maria Lopez Garcia Ruiz, the president of Chile, \
         arrived.",
        "Spanish Foreign Minister Ana Maria Lopez Garcia Ruiz, Spain's \
         ambassador to Morocco, arrived.",
    ] {
        let out = ex.extract(text);
        check_spans(text, &out).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        check_arguments(&ex, &out)
            .unwrap_or_else(|e| panic!("{text:?}: {e}\n{}", summary(&out)));
    }
}

/// Neutral paragraphs to put before a text: one sentence each, ending
/// with a blank line, so that the text still starts a paragraph (where a
/// dateline or heading is recognised) and a sentence.
///
/// The extractor has document-level state: a surname resolves to a
/// person named in full earlier, a discourse reference (`the country`) or
/// a title without a country looks back at earlier mentions, and a role
/// rule's new person is then found everywhere in the document by name,
/// in any case. These prefixes cannot interfere: they hold no mention, no
/// capitalised word (so nothing a person's name could match), no `the`,
/// no title and no trigger word, which `prefixes_are_neutral` checks.
/// Non-ASCII prefixes shift offsets by more bytes than characters.
const PREFIXES: &[&str] = &[
    "it rained.\n\n",
    "café au lait 😀 was served.\n\n",
    "ok.\n\n\n",
    "nothing to report today, said no one.\n\n",
];

#[test]
fn prefixes_are_neutral() {
    let ex = Extractor::default();
    for p in PREFIXES {
        let out = ex.extract(p);
        assert_eq!(out, Extraction::default(), "{p:?} finds something");
        let sentences = ex.tokenizer().tokenize(p).sentences().len();
        assert_eq!(sentences, 1, "{p:?} is not one sentence");
    }
}

/// `out` of `prefix + text`, with offsets moved back by the prefix's
/// length and sentence indices by its one sentence; `None` if anything
/// lies in the prefix.
fn unshift(mut out: Extraction, by: usize) -> Option<Extraction> {
    for e in &mut out.entities {
        e.start = e.start.checked_sub(by)?;
        e.end = e.end.checked_sub(by)?;
        e.sentence = e.sentence.checked_sub(1)?;
    }
    for r in &mut out.relations {
        r.start = r.start.checked_sub(by)?;
        r.end = r.end.checked_sub(by)?;
        r.sentence = r.sentence.checked_sub(1)?;
        for arg in [&mut r.subject, &mut r.object] {
            arg.start = arg.start.checked_sub(by)?;
            arg.end = arg.end.checked_sub(by)?;
        }
    }
    Some(out)
}

#[test]
fn shift_invariance() {
    // (d) A neutral paragraph before a text shifts every offset by its
    // length and every sentence index by one, and changes nothing else:
    // the same entities and relations, ids, labels, names, rules, times.
    fn prop(doc: Doc, which: u8) -> TestResult {
        let ex = Extractor::default();
        let text = doc.text();
        let prefix = PREFIXES[which as usize % PREFIXES.len()];
        let alone = doc.extract(&ex, &text);
        let shifted = doc.extract(&ex, &format!("{prefix}{text}"));
        let check = match unshift(shifted.clone(), prefix.len()) {
            None => Err(format!("after {prefix:?}: something in the prefix")),
            Some(back) if back == alone => Ok(()),
            Some(back) => Err(format!(
                "after {prefix:?}:\nalone:   {}\nshifted: {}",
                summary(&alone),
                summary(&back)
            )),
        };
        result(&doc, check)
    }
    quickcheck().quickcheck(prop as fn(Doc, u8) -> TestResult);
}

/// A compact view of an extraction, for failure messages.
fn summary(out: &Extraction) -> String {
    let ents: Vec<String> = out
        .entities
        .iter()
        .map(|e| format!("{}@{}..{}#{}", e.id, e.start, e.end, e.sentence))
        .collect();
    let rels: Vec<String> = out
        .relations
        .iter()
        .map(|r| {
            format!(
                "{}@{}..{} -{}-> {}@{}..{} [{}..{}#{}]",
                r.subject.id,
                r.subject.start,
                r.subject.end,
                r.predicate,
                r.object.id,
                r.object.start,
                r.object.end,
                r.start,
                r.end,
                r.sentence
            )
        })
        .collect();
    format!("entities [{}] relations [{}]", ents.join(", "), rels.join(", "))
}

fn json(out: &Extraction) -> String {
    serde_json::to_string(out).expect("an extraction serialises")
}

#[test]
fn determinism() {
    // (e) Extracting the same text twice gives the same JSON, also with
    // another document extracted in between (no state carried over, no
    // hash-order dependence).
    fn prop(doc: Doc, other: Doc) -> TestResult {
        let ex = Extractor::default();
        let text = doc.text();
        let first = json(&doc.extract(&ex, &text));
        let _ = other.extract(&ex, &other.text());
        let second = json(&doc.extract(&ex, &text));
        let check = if first == second {
            Ok(())
        } else {
            Err(format!("two runs differ:\n{first}\n{second}"))
        };
        result(&doc, check)
    }
    quickcheck().quickcheck(prop as fn(Doc, Doc) -> TestResult);
}

#[test]
fn thread_invariance() {
    // (f) One extractor shared by four threads, each taking every fourth
    // document, gives the same JSON per document, in input order, as one
    // thread going through them all.
    fn prop(Docs(docs): Docs) -> TestResult {
        let ex = Extractor::default();
        let texts: Vec<String> = docs.iter().map(Doc::text).collect();
        let one: Vec<String> = docs
            .iter()
            .zip(&texts)
            .map(|(d, t)| json(&d.extract(&ex, t)))
            .collect();
        const THREADS: usize = 4;
        let mut four: Vec<(usize, String)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|k| {
                    let (ex, docs, texts) = (&ex, &docs, &texts);
                    s.spawn(move || {
                        (k..docs.len())
                            .step_by(THREADS)
                            .map(|i| {
                                (i, json(&docs[i].extract(ex, &texts[i])))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("no extraction panics"))
                .collect()
        });
        four.sort_by_key(|(i, _)| *i);
        let four: Vec<String> = four.into_iter().map(|(_, j)| j).collect();
        match one.iter().zip(&four).position(|(a, b)| a != b) {
            None if one.len() == four.len() => TestResult::passed(),
            None => TestResult::error("a document went missing"),
            Some(i) => TestResult::error(format!(
                "document {i} {:?} differs:\n{}\n{}",
                docs[i], one[i], four[i]
            )),
        }
    }
    quickcheck().quickcheck(prop as fn(Docs) -> TestResult);
}

// ---------------------------------------------------------------------
// The generator and the checks themselves

#[test]
fn generator_is_dense_in_entities_and_relations() {
    // A generator that found nothing would make every property vacuous.
    let ex = Extractor::default();
    let mut g = Gen::new(100);
    let (mut docs, mut entities, mut relations) = (0, 0, 0);
    for _ in 0..200 {
        let doc = Doc::arbitrary(&mut g);
        let out = doc.extract(&ex, &doc.text());
        docs += 1;
        entities += out.entities.len();
        relations += out.relations.len();
    }
    assert!(entities >= 2 * docs, "{entities} entities in {docs} documents");
    assert!(
        relations >= docs / 2,
        "{relations} relations in {docs} documents"
    );
}

#[test]
fn checks_catch_bad_output() {
    // Every check rejects an output broken the way it guards against.
    let ex = Extractor::default();
    let text = "Russia pledged aid to Afghanistan. The country thanked NATO.";
    let good = ex.extract(text);
    assert!(good.relations.len() >= 2, "{}", summary(&good));
    check_spans(text, &good).unwrap();
    check_order(&good).unwrap();
    check_arguments(&ex, &good).unwrap();

    let mut bad = good.clone();
    bad.entities[0].end += 1;
    assert!(check_spans(text, &bad).is_err());
    let mut bad = good.clone();
    bad.relations[0].object.start += 1;
    assert!(check_spans(text, &bad).is_err());

    let mut bad = good.clone();
    bad.entities.swap(0, 1);
    assert!(check_order(&bad).is_err());

    let mut bad = good.clone();
    bad.relations[0].object.id = "person.nobody".into();
    assert!(check_arguments(&ex, &bad).is_err());
    let mut bad = good.clone();
    let last = bad.entities.len() - 1;
    bad.entities.remove(last);
    assert!(check_arguments(&ex, &bad).is_err());

    let prefix = PREFIXES[0];
    let shifted = ex.extract(&format!("{prefix}{text}"));
    assert_eq!(unshift(shifted.clone(), prefix.len()).as_ref(), Some(&good));
    assert!(
        unshift(shifted.clone(), prefix.len() - 1).is_some_and(|b| b != good)
    );
    assert!(unshift(shifted, prefix.len() + 1).is_none());
}

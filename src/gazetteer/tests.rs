//! Table-driven tests of the matcher: case policy, conflict policy, token
//! alignment, on a small gazetteer written for these tests.

use crate::Extractor;

const FIXTURE: &str = "\
# a small gazetteer for the matcher's tests
USA | GPE | country | USA | United States | =US; =U.S.; America
JOR | GPE | country | JOR | ?Jordan
TCD | GPE | country | TCD | ?Chad
TUR | GPE | country | TUR | ?Turkey
org.who | ORG | igo | - | World Health Organization | =WHO
org.usaid | ORG | agency | USA | =USAID | =AID
org.fb | ORG | company | USA | Facebook
city.new-york | GPE | city | USA | New York
city.nyc | GPE | city | USA | New York City
org.aq | ORG | armed_group | - | al-Qaeda | al Qaeda
RUS | GPE | country | RUS | Russia
RUS.demonym | NORP | demonym | RUS | Russian | Russians
CIV | GPE | country | CIV | Ivory Coast | Côte d'Ivoire
band.us | ORG | band | - | Us
person.alpha | PERSON | official | ALP | Abbas Alpha | ?Abbas
person.beta | PERSON | official | BET | Abbas Beta | ?Abbas
person.gamma | PERSON | official | GAM | Hamid Gamma | Gamma
org.any | ORG | ngo | - | ~Open Society
AUS | GPE | country | AUS | Australia | =AU
SYC | GPE | country | SYC | Seychelles
city.victoria | GPE | capital | SYC | ?Victoria
adm.victoria | GPE | state | AUS | ?Victoria
";

fn fixture() -> Extractor {
    Extractor::builder()
        .embedded(false)
        .gazetteer_str("fixture.gaz", FIXTURE)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

macro_rules! t {
    ($name:ident, $text:expr, $want:expr) => {
        #[test]
        fn $name() {
            let text: &str = $text;
            let got: Vec<(String, String)> = fixture()
                .extract(text)
                .entities
                .into_iter()
                .map(|e| (e.text.into(), e.id.into()))
                .collect();
            let want: Vec<(String, String)> = $want
                .iter()
                .map(|&(a, b): &(&str, &str)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(got, want, "text: {text:?}");
        }
    };
}

const NONE: &[(&str, &str)] = &[];

// Case policy: acronyms are exact.
t!(acronym_us, "US troops left.", &[("US", "USA")]);
t!(acronym_us_dotted, "U.S.-led forces", &[("U.S.", "USA")]);
t!(acronym_not_pronoun, "Let us go, said one of us.", NONE);
t!(acronym_not_title_case, "Us and them.", &[("Us", "band.us")]);
t!(acronym_who, "WHO warned on Monday.", &[("WHO", "org.who")]);
t!(acronym_not_who, "Who warned us? Those who knew.", NONE);
t!(acronym_aid, "AID workers arrived.", &[("AID", "org.usaid")]);
t!(acronym_not_aid, "Food aid arrived with aid workers.", NONE);
// Names: title case and ALL CAPS headlines, never all lowercase.
t!(name_title, "Russia said so.", &[("Russia", "RUS")]);
t!(name_headline, "RUSSIA INVADES", &[("RUSSIA", "RUS")]);
t!(name_lowercase, "russia said so.", NONE);
t!(
    name_particle_any_case,
    "Al-Qaeda and al-Qaeda and al Qaeda.",
    &[("Al-Qaeda", "org.aq"), ("al-Qaeda", "org.aq"), ("al Qaeda", "org.aq"),]
);
t!(
    name_folded,
    "Côte d’Ivoire and Cote d'Ivoire",
    &[("Côte d’Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"),]
);
t!(any_case, "the open society foundations", &[("open society", "org.any")]);
// Demonyms.
t!(
    demonym,
    "Russian troops and Russians.",
    &[("Russian", "RUS.demonym"), ("Russians", "RUS.demonym"),]
);
// Common-word names: capitalised only, and not inside a longer name.
t!(common_word_lower, "a turkey for dinner in chad", NONE);
t!(
    common_word_alone,
    "Turkey and Jordan signed.",
    &[("Turkey", "TUR"), ("Jordan", "JOR"),]
);
t!(common_word_end, "Talks were held in Jordan.", &[("Jordan", "JOR")]);
t!(common_word_first_name, "Michael Jordan scored.", NONE);
t!(common_word_surname_after, "Jordan Peterson spoke.", NONE);
t!(common_word_title, "Officials met Mr. Jordan.", NONE);
t!(common_word_first_title, "Mr. Jordan spoke.", NONE);
t!(common_word_sentence_start, "Chad said it would join.", &[("Chad", "TCD")]);
t!(
    common_word_after_entity,
    "Russia Turkey talks",
    &[("Russia", "RUS"), ("Turkey", "TUR"),]
);
// Conflicts: leftmost, then longest.
t!(
    longest,
    "New York City and New York.",
    &[("New York City", "city.nyc"), ("New York", "city.new-york"),]
);
t!(token_aligned, "Newark and Russiagate and NYC", NONE);
t!(possessive, "Russia’s envoy", &[("Russia", "RUS")]);
t!(no_cross_sentence, "He went to New. York said no.", NONE);
// Conflicts on one span: the entry already mentioned wins, else the first
// loaded.
t!(shared_alias_first, "Abbas spoke.", &[("Abbas", "person.alpha")]);
t!(
    shared_alias_discourse,
    "Abbas Beta arrived. Later, Abbas spoke.",
    &[("Abbas Beta", "person.beta"), ("Abbas", "person.beta"),]
);
t!(
    shared_alias_country_discourse,
    "Australia votes. In Victoria, polls closed.",
    &[("Australia", "AUS"), ("Victoria", "adm.victoria"),]
);
t!(
    shared_alias_country_discourse_other,
    "Seychelles votes. In Victoria, polls closed.",
    &[("Seychelles", "SYC"), ("Victoria", "city.victoria"),]
);
// A name glued to a currency sign is a currency.
t!(
    currency,
    "It cost US$5 or AU$ 7, and the US and AU paid $ 3.",
    &[("US", "USA"), ("AU", "AUS"),]
);
// A surname alias is not the last word of another, unknown name.
t!(
    surname_alone,
    "Later, Gamma left. President Gamma spoke.",
    &[("Gamma", "person.gamma"), ("Gamma", "person.gamma"),]
);
t!(surname_inside_other_name, "His brother Ahmed Wali Gamma said no.", NONE);
// Boilerplate lines hold no entities.
t!(
    boilerplate,
    "icon-facebook icon-twitter\n\nFacebook and Russia.",
    &[("Facebook", "org.fb"), ("Russia", "RUS"),]
);

#[test]
fn stricter_policy_wins_same_span() {
    // "US" is both the exact alias of USA and a name-case alias of a band.
    let out = fixture().extract("US officials");
    assert_eq!(out.entities[0].id, "USA");
}

#[test]
fn user_entry_wins_over_embedded() {
    let mut gb = crate::gazetteer::GazetteerBuilder::default();
    gb.add(
        "embedded.gaz",
        "GEO | GPE | country | GEO | ?Georgia\n".into(),
        false,
    );
    gb.add(
        "user.gaz",
        "adm.georgia | GPE | state | USA | ?Georgia\n".into(),
        true,
    );
    let gaz = gb.build().unwrap();
    let toks = crate::Tokenizer::new().tokenize("Voters in Georgia.");
    let mut ms = Vec::new();
    gaz.matcher.find(&toks, &mut ms);
    assert_eq!(ms.len(), 1);
    assert_eq!(gaz.entry(ms[0].entry).id(), "adm.georgia");
}

#[test]
fn entity_fields() {
    let out = fixture().extract("Russians\nand the U.S.");
    let e = &out.entities[1];
    assert_eq!((e.start, e.end, e.text.as_str()), (17, 21, "U.S."));
    assert_eq!(e.label, crate::Label::Gpe);
    assert_eq!(e.kind, "country");
    assert_eq!(e.name, "United States");
    assert_eq!(e.country.as_deref(), Some("USA"));
    assert_eq!(e.sentence, 0);
}

#[test]
fn roles_parse_and_hold() {
    let src = "person.x | PERSON | official | AFG | Xa Ya | | \
               president@AFG 2001-12-22..2014-09-29; adviser@person.x 2015..\n";
    let ex = Extractor::builder()
        .embedded(false)
        .gazetteer_str("r.gaz", src)
        .build()
        .unwrap();
    let e = ex.gazetteer().get("person.x").unwrap();
    assert_eq!(e.roles().len(), 2);
    assert_eq!(&*e.roles()[0].office, "president");
    let d = crate::Date::parse("2011-06").unwrap();
    assert!(e.roles()[0].held_on(d));
    assert!(!e.roles()[1].held_on(d));
    assert!(e.roles()[1].held_on(crate::Date::parse("2026").unwrap()));
    assert_eq!(ex.gazetteer().source(e), ("r.gaz", 1));
}

#[test]
fn surnames_after_an_office_title_or_a_full_name() {
    let src = "person.delta | PERSON | official | DDD | Victor Delta | | president@DDD 1990..1995\n\
               person.delta2 | PERSON | official | DDE | Anna Delta | | minister@DDE 2001..\n";
    let ex = Extractor::builder()
        .embedded(false)
        .gazetteer_str("s.gaz", src)
        .build()
        .unwrap();
    let ids = |text: &str| -> Vec<String> {
        ex.extract(text).entities.into_iter().map(|e| e.id.into()).collect()
    };
    // the title names the office: only Victor Delta was president
    assert_eq!(ids("President Delta spoke."), ["person.delta"]);
    assert_eq!(ids("The Minister Delta spoke."), ["person.delta2"]);
    // a plain honorific names no office: only the document's date can
    // pick the one Delta in office then
    assert!(ids("Mr Delta spoke.").is_empty());
    let in_1992 =
        ex.extract_dated("Mr Delta spoke.", crate::Date::parse("1992"));
    assert_eq!(in_1992.entities[0].id, "person.delta");
    let in_1998 =
        ex.extract_dated("Mr Delta spoke.", crate::Date::parse("1998"));
    assert!(in_1998.entities.is_empty());
    // after the full name, the surname alone is that person
    assert_eq!(
        ids("Anna Delta came. Later, Delta spoke."),
        ["person.delta2", "person.delta2"]
    );
    // the document's date decides which office holder is meant
    let dated =
        ex.extract_dated("President Delta spoke.", crate::Date::parse("2010"));
    assert!(dated.entities.is_empty());
}

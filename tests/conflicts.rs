//! Users' gazetteer and rule files that conflict with each other or with
//! the embedded data: each conflict is a located error or resolves the
//! documented way (`gazetteers/README.md`, "Conflicts").

use entente::{Date, Extractor};

fn ids(ex: &Extractor, text: &str, date: Option<Date>) -> Vec<String> {
    ex.extract_dated(text, date)
        .entities
        .into_iter()
        .map(|e| e.id.into())
        .collect()
}

/// One alias on two entries: the entry already mentioned in the document
/// wins, else the entry loaded first.
#[test]
fn one_alias_on_two_entries() {
    let gaz = "\
org.zed-bank | ORG | company | FRA | Zedland Bank | Zedco
org.zed-oil | ORG | company | NOR | Zedland Oil | Zedco
";
    let ex = Extractor::builder()
        .embedded(false)
        .gazetteer_str("mine.gaz", gaz)
        .build()
        .unwrap();
    assert_eq!(ids(&ex, "Zedco fell.", None), ["org.zed-bank"]);
    assert_eq!(
        ids(&ex, "Zedland Oil said Zedco fell.", None),
        ["org.zed-oil", "org.zed-oil"]
    );
}

/// A user entry sharing an alias with an embedded one wins over it.
#[test]
fn user_alias_over_embedded() {
    let gaz = "org.my-paris | ORG | company | USA | Paris Holdings | Paris\n";
    let ex =
        Extractor::builder().gazetteer_str("mine.gaz", gaz).build().unwrap();
    assert_eq!(ids(&ex, "Paris rose.", None), ["org.my-paris"]);
    let plain = Extractor::default();
    assert_eq!(ids(&plain, "Paris rose.", None), ["city.paris"]);
}

/// Two people holding one office over overlapping dates: inside the
/// overlap, a title and surname that fit both name no one; outside it, the
/// date picks the one holder. Full names match either way.
#[test]
fn overlapping_terms_of_one_office() {
    let gaz = "\
person.jean-quorv | PERSON | official | FRA | Jean Quorv | | chancellor@FRA 2001..2010
person.paul-quorv | PERSON | official | FRA | Paul Quorv | | chancellor@FRA 2008..2014
";
    let ex = Extractor::builder()
        .embedded(false)
        .gazetteer_str("mine.gaz", gaz)
        .build()
        .unwrap();
    let text = "Chancellor Quorv spoke.";
    assert_eq!(
        ids(&ex, text, Date::parse("2009-05-01")),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&ex, text, Date::parse("2003-05-01")),
        ["person.jean-quorv"]
    );
    assert_eq!(
        ids(&ex, text, Date::parse("2012-05-01")),
        ["person.paul-quorv"]
    );
    assert_eq!(
        ids(&ex, "Paul Quorv spoke.", Date::parse("2009-05-01")),
        ["person.paul-quorv"]
    );
}

/// One id twice: an error naming both places.
#[test]
fn duplicate_id_across_files() {
    let err = Extractor::builder()
        .embedded(false)
        .gazetteer_str("a.gaz", "org.x | ORG | company | FRA | Xco\n")
        .gazetteer_str(
            "b.gaz",
            "\n\norg.x | ORG | company | DEU | Xco Germany\n",
        )
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("b.gaz:3:1"), "{err}");
    assert!(err.contains("a.gaz:1"), "{err}");
}

/// A rule slot naming a kind that no loaded gazetteer has: a located error
/// that lists what was expected.
#[test]
fn rule_with_unknown_kind() {
    let rules = "\
rule sell_ships \"sells ships to\"
  pattern subj:shipyard ^sell~ ships to obj:country
  example \"Zedland sold ships to Norway.\" => Zedland -> Norway
";
    let err = Extractor::builder()
        .embedded_rules(false)
        .rule_str("ships.rules", rules)
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("ships.rules:2:16"), "{err}");
    assert!(err.contains("unknown slot type \"shipyard\""), "{err}");
}

/// A rule id defined twice, in two files: an error at the second.
#[test]
fn rule_id_twice() {
    let rule = "rule r1 \"r\"\n  pattern subj:country ^warn~ obj:country\n";
    let err = Extractor::builder()
        .embedded_rules(false)
        .rule_str("a.rules", rule)
        .rule_str("b.rules", rule)
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("b.rules:1:"), "{err}");
    assert!(err.contains("a.rules:1"), "{err}");
}

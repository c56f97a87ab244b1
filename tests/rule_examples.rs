//! The default rule set: every inline example and counter-example holds,
//! and the set covers what it promises.

use std::collections::BTreeSet;

use entente::Extractor;

#[test]
fn default_rule_examples() {
    let report = Extractor::default().check_examples();
    assert!(report.is_ok(), "\n{report}");
}

#[test]
fn default_rule_set_shape() {
    let ex = Extractor::default();
    let rules = ex.rules().rules();
    let mut roots = BTreeSet::new();
    for r in rules {
        let examples =
            r.examples().iter().filter(|e| e.expected.is_some()).count();
        let counters =
            r.examples().iter().filter(|e| e.expected.is_none()).count();
        assert!(
            examples >= 2,
            "{} ({}) has {examples} examples",
            r.id(),
            r.location()
        );
        assert!(
            counters >= 1,
            "{} ({}) has no counter-example",
            r.id(),
            r.location()
        );
        if let Some(code) = r.code() {
            roots.insert(code[..2].to_string());
        }
    }
    let event_rules = rules.iter().filter(|r| !r.is_role()).count();
    assert!(event_rules >= 80, "{event_rules} event rules");
    assert!(
        ex.rules().examples_len() >= 300,
        "{} examples",
        ex.rules().examples_len()
    );
    let all: BTreeSet<String> = (1..=20).map(|n| format!("{n:02}")).collect();
    assert_eq!(roots, all, "CAMEO roots covered");
}

/*!
Helpers for your own `cargo test`: check every inline example of your rules,
or assert the relations of a sentence in a compact notation.

```
use entente::testing::{assert_relations, assert_rule_examples};
use entente::Extractor;

let ex = Extractor::builder()
    .embedded_rules(false)
    .rule_str("mine.rules", r#"
rule send_aid "sends aid" cameo=073
  pattern subj:ACTOR ...{0,2} send~|ship~ ...{0,3} aid ...{0,2} to obj:ACTOR
  example "Japan sent food aid to Nepal." => Japan -> Nepal
  example "Norway shipped more medical aid to Sudan." => Norway -> Sudan
  counter "Japan did not send aid to Nepal." => !Japan -> Nepal
"#)
    .build()?;
assert_rule_examples(&ex);
assert_relations(&ex, "Canada sent aid to Haiti.", &["Canada -send_aid-> Haiti"]);
assert_relations(&ex, "Canada never sent aid to Haiti.", &["!Canada -send_aid-> Haiti"]);
# Ok::<(), entente::Error>(())
```
*/

use crate::extract::Relation;
use crate::Extractor;

/// Panics, with a readable report of every failure, unless every inline
/// example and counter-example of the extractor's rules holds.
pub fn assert_rule_examples(extractor: &Extractor) {
    let report = extractor.check_examples();
    if !report.is_ok() {
        panic!("rule examples failed:\n\n{report}");
    }
}

/// One expected relation in compact notation:
/// `Subject -predicate-> Object`, with a leading `!` for a negated one.
/// The subject and object compare, case-insensitively, with a mention's
/// text, its entity's name or its id; the predicate with the relation's
/// predicate (or, for `holds_role`, with its label, the office).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Triple {
    negated: bool,
    subject: String,
    predicate: String,
    object: String,
}

fn parse(spec: &str) -> Triple {
    let s = spec.trim();
    let (negated, s) = match s.strip_prefix('!') {
        Some(r) => (true, r.trim_start()),
        None => (false, s),
    };
    let arrow = s.rfind("->").unwrap_or_else(|| {
        panic!("expected 'Subject -predicate-> Object', got {spec:?}")
    });
    let left = &s[..arrow];
    let object = s[arrow + 2..].trim().to_string();
    let dash = left.rfind(" -").unwrap_or_else(|| {
        panic!("expected 'Subject -predicate-> Object', got {spec:?}")
    });
    Triple {
        negated,
        subject: left[..dash].trim().to_string(),
        predicate: left[dash + 2..].trim().to_string(),
        object,
    }
}

fn same(want: &str, text: &str, name: &str, id: &str) -> bool {
    [text, name, id].iter().any(|x| x.eq_ignore_ascii_case(want))
}

fn fits(t: &Triple, r: &Relation) -> bool {
    let pred = r.predicate == t.predicate
        || r.predicate == "holds_role"
            && r.label.eq_ignore_ascii_case(&t.predicate);
    pred && t.negated == r.negated
        && same(&t.subject, &r.subject.text, &r.subject.name, &r.subject.id)
        && same(&t.object, &r.object.text, &r.object.name, &r.object.id)
}

fn show(r: &Relation) -> String {
    let pred =
        if r.predicate == "holds_role" { &r.label } else { &r.predicate };
    format!(
        "{}{} -{}-> {}    ({})",
        if r.negated { "!" } else { "" },
        r.subject.text,
        pred,
        r.object.text,
        r.rule
    )
}

/// Asserts that `sentence` gives exactly the relations listed (in any
/// order), in compact notation such as `"Russia -pledge_aid-> Afghanistan"`
/// or `"!Tokyo -pledge_aid-> Seoul"` for a negated one; role relations are
/// written with their office, `"Sergey Lavrov -foreign minister-> Russian"`.
/// On failure it panics with the expected and the actual relations and
/// what is missing or extra.
pub fn assert_relations(
    extractor: &Extractor,
    sentence: &str,
    expected: &[&str],
) {
    let want: Vec<Triple> = expected.iter().map(|e| parse(e)).collect();
    let got = extractor.extract(sentence).relations;
    let missing: Vec<&str> = want
        .iter()
        .zip(expected)
        .filter(|(w, _)| !got.iter().any(|r| fits(w, r)))
        .map(|(_, e)| *e)
        .collect();
    let extra: Vec<&Relation> =
        got.iter().filter(|r| !want.iter().any(|w| fits(w, r))).collect();
    if missing.is_empty() && extra.is_empty() {
        return;
    }
    let mut msg = format!("relations differ for {sentence:?}\n~~~ expected\n");
    for e in expected {
        msg.push_str(e);
        msg.push('\n');
    }
    msg.push_str("~~~ got\n");
    for r in &got {
        msg.push_str(&show(r));
        msg.push('\n');
    }
    msg.push_str("~~~\n");
    for m in missing {
        msg.push_str(&format!("- missing: {m}\n"));
    }
    for r in extra {
        msg.push_str(&format!("+ extra:   {}\n", show(r)));
    }
    panic!("{msg}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex() -> Extractor {
        Extractor::builder()
            .embedded_rules(false)
            .rule_str(
                "t.rules",
                "rule condemn \"condemns\" cameo=111\n  pattern subj:ACTOR ...{0,2} condemn~ obj:ACTOR\n",
            )
            .build()
            .unwrap()
    }

    #[test]
    fn passes_on_exact_relations() {
        assert_relations(
            &ex(),
            "France condemned Iran.",
            &["France -condemn-> Iran"],
        );
        assert_relations(
            &ex(),
            "France condemned Iran.",
            &["fra -condemn-> IRN"],
        );
        assert_relations(&ex(), "Nothing happened.", &[]);
    }

    #[test]
    fn fails_with_a_diff() {
        let err = std::panic::catch_unwind(|| {
            assert_relations(
                &ex(),
                "France condemned Iran.",
                &["France -condemn-> Iraq"],
            )
        })
        .unwrap_err();
        let msg = err.downcast_ref::<String>().unwrap();
        assert!(msg.contains("- missing: France -condemn-> Iraq"), "{msg}");
        assert!(
            msg.contains("+ extra:   France -condemn-> Iran    (t.rules:2)"),
            "{msg}"
        );
    }

    #[test]
    fn negation_is_part_of_the_triple() {
        let r = std::panic::catch_unwind(|| {
            assert_relations(
                &ex(),
                "France did not condemn Iran.",
                &["France -condemn-> Iran"],
            )
        });
        assert!(r.is_err());
        assert_relations(
            &ex(),
            "France did not condemn Iran.",
            &["!France -condemn-> Iran"],
        );
    }
}

//! Checking rules against their inline examples and counter-examples.

use std::fmt;

use crate::extract::{Extraction, Relation};
use crate::rules::parse::Expected;
use crate::rules::{Example, Rule, RuleId};
use crate::Extractor;

/// Text put before every example in a second run, to prove that offsets
/// are relative to the text given (the shift is its length in bytes).
const SHIFT: &str = "Zz. ";

/// One example that did not give what it says.
#[derive(Clone, Debug)]
pub struct ExampleFailure {
    /// The rule's id.
    pub rule: String,
    /// Where the example is written.
    pub location: RuleId,
    /// The sentence.
    pub text: String,
    /// What the example expects (`None`: a counter-example, no positive
    /// relation of the rule).
    pub expected: Option<Vec<Expected>>,
    /// The rule's relations on the sentence.
    pub got: Vec<Relation>,
    /// Whether the failure shows only with text before the sentence.
    pub shifted: bool,
    /// What probably went wrong, where it is clear.
    pub help: Option<String>,
}

/// The result of checking inline examples.
#[derive(Clone, Debug, Default)]
pub struct ExampleReport {
    checked: usize,
    failures: Vec<ExampleFailure>,
}

impl ExampleReport {
    /// Whether every example held.
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty()
    }

    /// How many examples and counter-examples were checked.
    pub fn checked(&self) -> usize {
        self.checked
    }

    /// The examples that failed.
    pub fn failures(&self) -> &[ExampleFailure] {
        &self.failures
    }
}

fn same(name: &str, text: &str, ref_name: &str, id: &str) -> bool {
    let n = name.trim();
    n.eq_ignore_ascii_case(text)
        || n.eq_ignore_ascii_case(ref_name)
        || n.eq_ignore_ascii_case(id)
}

fn fits(e: &Expected, r: &Relation) -> bool {
    same(&e.subject, &r.subject.text, &r.subject.name, &r.subject.id)
        && same(&e.object, &r.object.text, &r.object.name, &r.object.id)
        && e.negated == r.negated
        && e.label
            .as_ref()
            .is_none_or(|l| r.label.to_lowercase().contains(&l.to_lowercase()))
}

fn triple(r: &Relation) -> String {
    format!(
        "{}{} -{}-> {}{}",
        if r.negated { "!" } else { "" },
        r.subject.text,
        r.label,
        r.object.text,
        r.code
            .as_ref()
            .map_or(String::new(), |c| format!("  (code {c}, {})", r.rule)),
    )
}

/// Checks one example; `None` when it holds.
pub(crate) fn check_one(
    ex: &Extractor,
    rule: &Rule,
    e: &Example,
) -> Option<ExampleFailure> {
    let ours = |out: &Extraction| -> Vec<Relation> {
        out.relations.iter().filter(|r| rule.made(r)).cloned().collect()
    };
    let out = ex.extract(&e.text);
    let got = ours(&out);
    let verdict = |got: &[Relation]| -> bool {
        match &e.expected {
            None => got.iter().all(|r| r.negated),
            Some(want) => {
                want.iter().all(|w| got.iter().any(|r| fits(w, r)))
                    && got.iter().all(|r| want.iter().any(|w| fits(w, r)))
            }
        }
    };
    let fail = |got: Vec<Relation>, shifted: bool, help: Option<String>| {
        ExampleFailure {
            rule: rule.id().to_string(),
            location: e.location.clone(),
            text: e.text.clone(),
            expected: e.expected.clone(),
            got,
            shifted,
            help,
        }
    };
    if !verdict(&got) {
        let help = explain(&out, rule, e, &got);
        return Some(fail(got, false, help));
    }
    // The same with text before it: same triples, offsets shifted.
    let shifted = format!("{SHIFT}{}", e.text);
    let got2 = ours(&ex.extract(&shifted));
    let k = SHIFT.len();
    let moved = got.len() == got2.len()
        && got.iter().zip(&got2).all(|(a, b)| {
            a.subject.id == b.subject.id
                && a.object.id == b.object.id
                && a.negated == b.negated
                && a.start + k == b.start
                && a.end + k == b.end
                && a.subject.start + k == b.subject.start
                && a.object.end + k == b.object.end
        });
    if !moved {
        return Some(fail(got2, true, Some(format!(
            "the rule gives other results with \"{SHIFT}\" before the sentence: offsets or discourse depend on what precedes"
        ))));
    }
    None
}

/// A `help:` line where the cause of a failure is clear.
fn explain(
    out: &Extraction,
    rule: &Rule,
    e: &Example,
    got: &[Relation],
) -> Option<String> {
    let want = e.expected.as_ref()?;
    for w in want {
        for name in [&w.subject, &w.object] {
            let known = out
                .entities
                .iter()
                .any(|x| same(name, &x.text, &x.name, &x.id))
                || name.starts_with("the ");
            if !known && !e.text.to_lowercase().contains(&name.to_lowercase())
            {
                return Some(format!("\"{name}\" does not occur in the sentence: check the example"));
            }
            if !known {
                return Some(format!(
                    "\"{name}\" is not recognised as an entity: add it to a gazetteer, or check its case"
                ));
            }
        }
        let flipped = got.iter().any(|r| {
            same(&w.subject, &r.subject.text, &r.subject.name, &r.subject.id)
                && same(
                    &w.object,
                    &r.object.text,
                    &r.object.name,
                    &r.object.id,
                )
                && r.negated != w.negated
        });
        if flipped {
            return Some(if w.negated {
                "the rule matched but the relation is not negated: no negation cue within six tokens before the trigger".into()
            } else {
                "the rule matched but came out negated: a negation cue (not, never, denied, refused...) precedes the trigger".into()
            });
        }
        if got.is_empty() {
            if let Some(other) = out.relations.iter().find(|r| {
                r.predicate != rule.predicate()
                    && same(
                        &w.subject,
                        &r.subject.text,
                        &r.subject.name,
                        &r.subject.id,
                    )
                    && same(
                        &w.object,
                        &r.object.text,
                        &r.object.name,
                        &r.object.id,
                    )
            }) {
                return Some(format!(
                    "rule \"{}\" ({}) matched the same words and won (higher priority, or a longer match)",
                    other.predicate, other.rule
                ));
            }
        }
    }
    None
}

impl Extractor {
    /// Checks every inline example and counter-example of this extractor's
    /// rules, each also with text before it (offsets must shift with it).
    ///
    /// ```
    /// let report = entente::Extractor::default().check_examples();
    /// assert!(report.is_ok(), "{report}");
    /// assert!(report.checked() > 0);
    /// ```
    pub fn check_examples(&self) -> ExampleReport {
        let mut report = ExampleReport::default();
        for rule in self.rules().rules() {
            for e in rule.examples() {
                report.checked += 1;
                if let Some(f) = check_one(self, rule, e) {
                    report.failures.push(f);
                }
            }
        }
        report
    }
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: example of rule \"{}\" failed{}",
            self.location,
            self.rule,
            if self.shifted { " (with text before it)" } else { "" }
        )?;
        writeln!(f, "    sentence: {:?}", self.text)?;
        writeln!(f, "~~~ expected")?;
        match &self.expected {
            None => writeln!(f, "no relation of this rule (counter-example)")?,
            Some(v) if v.is_empty() => writeln!(f, "no relation")?,
            Some(v) => {
                for e in v {
                    let label = e
                        .label
                        .as_ref()
                        .map_or(String::new(), |l| l.to_string());
                    let arrow = if label.is_empty() {
                        "->".to_string()
                    } else {
                        format!("-{label}->")
                    };
                    writeln!(
                        f,
                        "{}{} {arrow} {}",
                        if e.negated { "!" } else { "" },
                        e.subject,
                        e.object
                    )?;
                }
            }
        }
        writeln!(f, "~~~ got")?;
        if self.got.is_empty() {
            writeln!(f, "no relation")?;
        }
        for r in &self.got {
            writeln!(f, "{}", triple(r))?;
        }
        write!(f, "~~~")?;
        // Field by field: each expected triple beside the relation that
        // comes closest to it (same subject, else the first unused).
        let want = self.expected.as_deref().unwrap_or(&[]);
        let mut used = vec![false; self.got.len()];
        for e in want {
            let close =
                (0..self.got.len()).filter(|&i| !used[i]).max_by_key(|&i| {
                    let r = &self.got[i];
                    let s = same(
                        &e.subject,
                        &r.subject.text,
                        &r.subject.name,
                        &r.subject.id,
                    );
                    let o = same(
                        &e.object,
                        &r.object.text,
                        &r.object.name,
                        &r.object.id,
                    );
                    (s as u8) * 2 + o as u8
                });
            if let Some(i) = close {
                used[i] = true;
            }
            let r = close.map(|i| &self.got[i]);
            let rows: [(&str, String, String); 5] = [
                (
                    "subject",
                    e.subject.clone(),
                    r.map_or("-".into(), |r| r.subject.text.to_string()),
                ),
                (
                    "predicate",
                    e.label.clone().unwrap_or_else(|| self.rule.clone()),
                    r.map_or("-".into(), |r| {
                        if e.label.is_some() {
                            r.label.to_string()
                        } else {
                            r.predicate.to_string()
                        }
                    }),
                ),
                (
                    "object",
                    e.object.clone(),
                    r.map_or("-".into(), |r| r.object.text.to_string()),
                ),
                (
                    "negated",
                    e.negated.to_string(),
                    r.map_or("-".into(), |r| r.negated.to_string()),
                ),
                (
                    "code",
                    "-".into(),
                    r.map_or("-".into(), |r| {
                        r.code.as_deref().unwrap_or("-").to_string()
                    }),
                ),
            ];
            write!(f, "\n    field      expected                     got")?;
            for (name, want, got) in rows {
                let mark = match name {
                    "subject" | "object" => {
                        let ok = r.is_some_and(|r| {
                            let x = if name == "subject" {
                                &r.subject
                            } else {
                                &r.object
                            };
                            same(&want, &x.text, &x.name, &x.id)
                        });
                        if ok {
                            ""
                        } else {
                            "  <--"
                        }
                    }
                    "negated" | "predicate"
                        if got != "-"
                            && !got
                                .to_lowercase()
                                .contains(&want.to_lowercase()) =>
                    {
                        "  <--"
                    }
                    _ => "",
                };
                write!(f, "\n    {name:<10} {want:<28} {got}{mark}")?;
            }
        }
        if let Some(h) = &self.help {
            write!(f, "\nhelp: {h}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ExampleReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for x in &self.failures {
            writeln!(f, "{x}\n")?;
        }
        write!(
            f,
            "{} passed, {} failed",
            self.checked - self.failures.len(),
            self.failures.len()
        )
    }
}

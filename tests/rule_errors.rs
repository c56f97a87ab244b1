//! Rule-file diagnostics: every error located as FILE:LINE:COL with a
//! caret, all reported at once, never a panic.

use entente::{DiagnosticKind, Error, Extractor};

fn errors(src: &str) -> Error {
    Extractor::builder()
        .embedded_rules(false)
        .rule_str("t.rules", src)
        .build()
        .expect_err("the rules are malformed")
}

/// (rule file, "line:column", kind, what the message says)
const ROWS: &[(&str, &str, DiagnosticKind, &str)] = &[
    (
        "# one\n# two\nthis is ((( not a rule\n",
        "3:1",
        DiagnosticKind::Syntax,
        "unknown line starting \"this\"",
    ),
    (
        "rule a \"x\"\n  pattern subj:ACTOR (meet~ obj:ACTOR\n",
        "2:22",
        DiagnosticKind::Syntax,
        "unclosed group: expected ')'",
    ),
    (
        "rule a \"x\"\n  pattern subj:ACTOR @nolist obj:ACTOR\n",
        "2:22",
        DiagnosticKind::UnknownReference,
        "unknown word list \"@nolist\"",
    ),
    (
        "rule a \"x\"\n  pattern subj:cuntry meet~ obj:ACTOR\n",
        "2:16",
        DiagnosticKind::UnknownReference,
        "unknown slot type \"cuntry\"",
    ),
    (
        "rule a \"x\"\n  pattern subj:ACTOR ...{4,2} obj:ACTOR\n",
        "2:26",
        DiagnosticKind::Syntax,
        "invalid gap range \"4,2\"",
    ),
    (
        "rule a \"x\"\n  pattern subj:ACTOR ...{0,50} obj:ACTOR\n",
        "2:26",
        DiagnosticKind::Limit,
        "the limit is 20",
    ),
    (
        "  pattern subj:ACTOR meet~ obj:ACTOR\n",
        "1:3",
        DiagnosticKind::Syntax,
        "'pattern' outside a rule",
    ),
    (
        "rule a \"x\" cameo=25\n  pattern a\n",
        "1:12",
        DiagnosticKind::Syntax,
        "the root must be 01 to 20",
    ),
    (
        "rule a \"x\"\n  pattern ((((((((((a))))))))))\n",
        "2:19",
        DiagnosticKind::Limit,
        "groups nest deeper than 8",
    ),
    (
        "rule a \"x\"\n  pattern a ) b\n",
        "2:13",
        DiagnosticKind::Syntax,
        "unmatched ')'",
    ),
    (
        "rule a \"x\"\n  pattern a\n  example \"A met B.\" => A B\n",
        "3:24",
        DiagnosticKind::Syntax,
        "expected 'Subject -> Object'",
    ),
    ("rule a \"x\"\n", "1:6", DiagnosticKind::Syntax, "has no pattern"),
    (
        "rule a \"x\"\n  pattern subj:ACTOR foo:ACTOR\n",
        "2:22",
        DiagnosticKind::Syntax,
        "unknown slot \"foo\"",
    ),
    (
        "rule a x\n  pattern a\n",
        "1:8",
        DiagnosticKind::Syntax,
        "missing label in quotes",
    ),
];

#[test]
fn each_error_is_located() {
    for &(src, at, kind, msg) in ROWS {
        let err = errors(src);
        assert_eq!(err.diagnostics().len(), 1, "{src}\n{err}");
        let d = &err.diagnostics()[0];
        assert_eq!(
            format!("{}:{}", d.location.line, d.location.column),
            at,
            "{src}\n{err}"
        );
        assert_eq!(d.kind, kind, "{src}");
        assert!(d.message.contains(msg), "{src}: {}", d.message);
    }
}

#[test]
fn garbage_third_line_renders_a_caret() {
    let err = errors("# one\n# two\nthis is ((( not a rule\n");
    let want = "\
t.rules:3:1: unknown line starting \"this\": expected 'rule', 'list', 'pattern', 'noun', 'example', 'counter' or a '#' comment
    this is ((( not a rule
    ^";
    assert_eq!(err.to_string(), want);
}

#[test]
fn duplicate_rule_ids_name_both_places() {
    let err = errors("rule a \"x\"\n  pattern a\nrule a \"y\"\n  pattern b\n");
    let d = &err.diagnostics()[0];
    assert_eq!(d.kind, DiagnosticKind::Duplicate);
    assert_eq!(d.location.line, 3);
    assert_eq!(d.related.as_ref().map(|r| r.line), Some(1));
}

#[test]
fn all_errors_of_all_files_at_once() {
    let err = Extractor::builder()
        .embedded_rules(false)
        .rule_str("a.rules", "rule a \"x\"\n  pattern (a\nbogus line\n")
        .rule_str("b.rules", "rule b \"y\"\n  pattern subj:NOPE a\n")
        .build()
        .unwrap_err();
    let at: Vec<String> = err
        .diagnostics()
        .iter()
        .map(|d| format!("{}:{}", d.location.path, d.location.line))
        .collect();
    assert_eq!(at, ["a.rules:2", "a.rules:3", "b.rules:2"]);
}

#[test]
fn arbitrary_rule_text_never_panics() {
    fn prop(src: String) -> bool {
        let build = |rules: &str| {
            let _ = Extractor::builder()
                .embedded(false)
                .gazetteer_str("g.gaz", "XXA | GPE | country | XXA | Xland\n")
                .rule_str("q.rules", rules)
                .build();
        };
        build(&src);
        build(&format!("rule q \"q\"\n  pattern {src}\n"));
        build(&format!("rule q \"q\"\n  pattern subj:ACTOR {src} obj:ACTOR\n  example \"{src}\" => {src}\n"));
        true
    }
    quickcheck::QuickCheck::new()
        .tests(500)
        .quickcheck(prop as fn(String) -> bool);
}

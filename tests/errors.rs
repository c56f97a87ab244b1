//! Gazetteer diagnostics: every bad line is reported with its file, line,
//! column and what was expected, and rendered with a caret.

use std::io::Write;

use entente::{DiagnosticKind, Error, Extractor};

fn errors(src: &str) -> Error {
    Extractor::builder()
        .embedded(false)
        .gazetteer_str("t.gaz", src)
        .build()
        .expect_err("the source is malformed")
}

/// (line of a gazetteer, "line:column", kind, what the message says)
const ROWS: &[(&str, &str, DiagnosticKind, &str)] = &[
    (
        "x | GPE | city",
        "1:15",
        DiagnosticKind::Syntax,
        "expected 5 to 7 fields separated by '|'",
    ),
    (
        "x | CITY | city | - | X",
        "1:5",
        DiagnosticKind::Syntax,
        "unknown label \"CITY\": expected one of PERSON, NORP",
    ),
    (
        "x y | GPE | city | - | X",
        "1:2",
        DiagnosticKind::Syntax,
        "invalid character in id \"x y\"",
    ),
    (
        "x | GPE | City | - | X",
        "1:11",
        DiagnosticKind::Syntax,
        "invalid kind \"City\": expected lowercase letters",
    ),
    (
        "x | GPE | city | ru | X",
        "1:18",
        DiagnosticKind::Syntax,
        "invalid country \"ru\": expected an ISO 3166-1 alpha-3 code",
    ),
    (
        "x | GPE | city | - | X | a;;b",
        "1:28",
        DiagnosticKind::Syntax,
        "empty alias",
    ),
    (
        "x | GPE | city | - | X | | | extra",
        "1:29",
        DiagnosticKind::Syntax,
        "at most 7 fields",
    ),
    (
        "x | GPE | city | - | =",
        "1:22",
        DiagnosticKind::Syntax,
        "expected text after the case prefix",
    ),
    (
        "x | PERSON | official | - | X | | boss@ 2010..2012",
        "1:40",
        DiagnosticKind::Syntax,
        "invalid holder \"\" after '@'",
    ),
    (
        "x | PERSON | official | - | X | | boss@RUS 2010-13..",
        "1:44",
        DiagnosticKind::Syntax,
        "invalid date \"2010-13\": expected YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    (
        "x | PERSON | official | - | X | | boss@RUS 2012..2010",
        "1:44",
        DiagnosticKind::Syntax,
        "role ends (2010) before it starts (2012)",
    ),
    (
        "x | PERSON | official | - | X | | boss RUS 2012..",
        "1:35",
        DiagnosticKind::Syntax,
        "missing '@'",
    ),
    (
        "x | PERSON | official | - | X | | boss@RUS 2012",
        "1:44",
        DiagnosticKind::Syntax,
        "missing '..' between dates",
    ),
    (
        "x | PERSON | official | - | X | | boss@org.nothing 2012..",
        "1:40",
        DiagnosticKind::UnknownReference,
        "unknown \"org.nothing\" in role \"boss\"",
    ),
];

#[test]
fn each_error_is_located() {
    for &(src, at, kind, msg) in ROWS {
        let err = errors(src);
        assert_eq!(err.diagnostics().len(), 1, "{src}");
        let d = &err.diagnostics()[0];
        let got = format!("{}:{}", d.location.line, d.location.column);
        assert_eq!(got, at, "{src}");
        assert_eq!(d.kind, kind, "{src}");
        assert!(d.message.contains(msg), "{src}: {}", d.message);
        assert_eq!(d.location.path, "t.gaz");
        assert_eq!(d.source_line, src);
    }
}

#[test]
fn rendered_with_caret() {
    let err = errors("# comment\n\nx | CITY | city | - | X\n");
    let want = "\
t.gaz:3:5: unknown label \"CITY\": expected one of PERSON, NORP, FAC, ORG, GPE, LOC, PRODUCT, EVENT, LAW, LANGUAGE, WORK_OF_ART
    x | CITY | city | - | X
        ^";
    assert_eq!(err.to_string(), want);
}

#[test]
fn every_bad_line_is_reported() {
    let src = "\
# three bad lines and two good ones
a | GPE | city | - | A
b | XXX | city | - | B
c | GPE | city
d | GPE | city | - | D
e | GPE | city | rus | E
";
    let err = errors(src);
    let at: Vec<(usize, usize)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.location.line, d.location.column))
        .collect();
    assert_eq!(at, [(3, 5), (4, 15), (6, 18)]);
}

#[test]
fn duplicate_ids_name_both_places() {
    let err = errors("a | GPE | city | - | A\n\na | GPE | city | - | A2\n");
    let d = &err.diagnostics()[0];
    assert_eq!(d.kind, DiagnosticKind::Duplicate);
    assert_eq!((d.location.line, d.location.column), (3, 1));
    let first = d.related.as_ref().expect("points at the first definition");
    assert_eq!((first.path.as_str(), first.line), ("t.gaz", 1));
    assert!(err.to_string().ends_with("note: first defined at t.gaz:1:1"));
}

#[test]
fn errors_across_files_are_all_reported() {
    let err = Extractor::builder()
        .embedded(false)
        .gazetteer_str("one.gaz", "a | GPE | city\n")
        .gazetteer_str("two.gaz", "b | GPE | town | XX | B\n")
        .build()
        .unwrap_err();
    let paths: Vec<&str> =
        err.diagnostics().iter().map(|d| d.location.path.as_str()).collect();
    assert_eq!(paths, ["one.gaz", "two.gaz"]);
}

#[test]
fn crlf_lines_are_fine() {
    let ex = Extractor::builder()
        .embedded(false)
        .gazetteer_str("crlf.gaz", "# c\r\na | GPE | city | - | Alpha\r\n")
        .build()
        .unwrap();
    assert_eq!(ex.extract("Alpha").entities.len(), 1);
}

#[test]
fn invalid_utf8_file_is_located() {
    let dir = std::env::temp_dir()
        .join(format!("entente-err-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.gaz");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"a | GPE | city | - | A\nb | GPE | city | - | B\xff\n")
        .unwrap();
    drop(f);
    let err = Extractor::builder()
        .embedded(false)
        .gazetteer_file(&path)
        .build()
        .unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.kind, DiagnosticKind::Io);
    assert_eq!((d.location.line, d.location.column), (2, 23));
    assert!(d.message.contains("invalid UTF-8"), "{}", d.message);

    let missing = dir.join("missing.gaz");
    let err = Extractor::builder()
        .embedded(false)
        .gazetteer_file(&missing)
        .build()
        .unwrap_err();
    assert_eq!(err.diagnostics()[0].kind, DiagnosticKind::Io);
    assert!(err.to_string().contains("missing.gaz:1:1: cannot read the file"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn folder_loads_every_gaz_file() {
    let dir = std::env::temp_dir()
        .join(format!("entente-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.gaz"), "a | GPE | city | - | Alphaville\n")
        .unwrap();
    std::fs::write(dir.join("b.gaz"), "b | GPE | city | - | Betatown\n")
        .unwrap();
    std::fs::write(dir.join("notes.txt"), "not a gazetteer").unwrap();
    let ex = Extractor::builder()
        .embedded(false)
        .gazetteer_file(&dir)
        .build()
        .unwrap();
    assert_eq!(ex.gazetteer().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

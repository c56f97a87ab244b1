//! Runs the `entente` binary on files we write and checks its output,
//! stderr and exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let p = std::env::temp_dir()
            .join(format!("entente-cli-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn entente(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut si = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            si.write_all(input).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

const STORY: &str = "Kabul: Russia’s envoy met Afghan officials.\n";

#[test]
fn extract_text_file_as_pretty_json() {
    let d = Dir::new("text");
    let f = d.file("story.txt", STORY.as_bytes());
    let out = entente(&["extract", p(&f)], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("\n  \"entities\": ["), "pretty JSON");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["id"], p(&f));
    for r in doc["relations"].as_array().expect("relations is an array") {
        for key in [
            "subject",
            "predicate",
            "label",
            "code",
            "object",
            "negated",
            "time",
            "sentence",
            "start",
            "end",
            "rule",
        ] {
            assert!(r.get(key).is_some(), "relation field {key} missing");
        }
    }
    let ents = doc["entities"].as_array().unwrap();
    let ids: Vec<&str> =
        ents.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["city.kabul", "RUS", "AFG.demonym"]);
    for e in ents {
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&STORY[s..t], e["text"].as_str().unwrap());
        for key in ["label", "kind", "name", "country", "sentence"] {
            assert!(e.get(key).is_some(), "{key} missing");
        }
    }
}

#[test]
fn extract_stdin() {
    let out =
        entente(&["extract", "--format", "jsonl"], Some(STORY.as_bytes()));
    assert!(out.status.success());
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["id"], "stdin");
    assert_eq!(recs[0]["entities"].as_array().unwrap().len(), 3);
}

#[test]
fn jsonl_bad_lines_are_reported_and_kept() {
    let d = Dir::new("jsonl");
    let mut body = Vec::new();
    body.extend_from_slice(b"{\"id\": \"a\", \"text\": \"Russia and Iran.\", \"date\": \"2023-09-29\"}\n");
    body.extend_from_slice(b"{\"id\": \"b\", \"text\": \"broken\n");
    body.extend_from_slice(b"{\"id\": \"c\"}\n");
    body.extend_from_slice(b"{\"id\": \"d\", \"text\": 42}\n");
    body.extend_from_slice(b"{\"id\": \"e\", \"text\": \"bad \xff utf8\"}\n");
    body.extend_from_slice(b"\n");
    body.extend_from_slice(b"{\"id\": 7, \"text\": \"\"}\n");
    body.extend_from_slice(b"{\"text\": \"India, no newline at the end\"}");
    let f = d.file("docs.jsonl", &body);
    let out = entente(&["extract", p(&f)], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    for line in [2, 3, 4, 5] {
        assert!(
            stderr.contains(&format!("docs.jsonl:{line}: ")),
            "line {line}: {stderr}"
        );
    }
    assert!(stderr.contains("missing \"text\""));
    assert!(stderr.contains("\"text\" is not a string"));
    assert!(
        stderr.contains("docs.jsonl:5: invalid UTF-8 at byte 26 of the line"),
        "{stderr}"
    );
    let recs = records(&out);
    let ids: Vec<String> = recs
        .iter()
        .map(|r| match &r["id"] {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        })
        .collect();
    let fallback = format!("{}:2", p(&f));
    let last = format!("{}:8", p(&f));
    assert_eq!(
        ids,
        ["a", fallback.as_str(), "c", "d", "e", "7", last.as_str()]
    );
    assert_eq!(recs[0]["date"], "2023-09-29");
    assert_eq!(recs[0]["entities"].as_array().unwrap().len(), 2);
    for r in &recs[1..5] {
        assert!(r["error"].is_string(), "{r}");
    }
    assert!(recs[5].get("error").is_none());
    assert_eq!(recs[6]["entities"][0]["text"], "India");
}

#[test]
fn invalid_utf8_text_file_is_an_error_record() {
    let d = Dir::new("utf8");
    let good = d.file("good.txt", b"Iran.");
    let bad = d.file("bad.txt", b"Russia\n\xc3\x28 and Iran");
    let out = entente(&["extract", p(&bad), p(&good)], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(stderr.contains("bad.txt: invalid UTF-8 at line 2"), "{stderr}");
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert!(recs[0]["error"].is_string());
    assert_eq!(recs[1]["entities"][0]["id"], "IRN");
}

#[test]
fn own_gazetteer_without_embedded() {
    let d = Dir::new("gaz");
    let g = d.file(
        "mine.gaz",
        b"# ports\nport.rdam | FAC | port | NLD | Port of Rotterdam\n",
    );
    let out = entente(
        &[
            "extract",
            "--no-embedded",
            "--gazetteer",
            p(&g),
            "--format",
            "jsonl",
        ],
        Some(b"Russia shipped grain to the Port of Rotterdam."),
    );
    assert!(out.status.success());
    let recs = records(&out);
    let ents = recs[0]["entities"].as_array().unwrap();
    assert_eq!(ents.len(), 1);
    assert_eq!(ents[0]["id"], "port.rdam");
}

#[test]
fn bad_gazetteer_stops_with_located_errors() {
    let d = Dir::new("badgaz");
    let g = d.file(
        "bad.gaz",
        b"# one\n# two\nthis is ((( not an entry\nx | GPE | city | rus | X\n",
    );
    let out = entente(&["extract", "--gazetteer", p(&g)], Some(b"text"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("bad.gaz:3:25: expected 5 to 7 fields"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.gaz:4:18: invalid country \"rus\""),
        "{stderr}"
    );
    assert!(stderr.contains("\n    this is ((( not an entry\n"), "{stderr}");
    assert!(stderr.contains("2 error(s)"));
    assert!(out.stdout.is_empty());
}

#[test]
fn usage_errors() {
    let out = entente(&["extract", "--format", "xml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("expected json or jsonl"));
    let out = entente(&["frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = entente(&["--help"], None);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("entente extract"));
}

#[test]
fn test_command_reports_garbage_with_a_caret() {
    let d = Dir::new("testcmd");
    let bad = d.file("bad.rules", b"# one\n# two\nthis is ((( not a rule\n");
    let out = entente(&["test", p(&bad)], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("bad.rules:3:1: unknown line starting \"this\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n    this is ((( not a rule\n    ^"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 passed, 1 failed")
    );
}

#[test]
fn test_command_shows_a_wrong_example() {
    let d = Dir::new("testwrong");
    let rules = d.file(
        "r.rules",
        b"rule condemn \"condemns\" cameo=111\n  pattern subj:ACTOR ...{0,2} condemn~ obj:ACTOR\n  example \"France condemned Iran.\" => France -> Iraq\n  example \"Peru condemned Chile.\" => Peru -> Chile\n  counter \"Peru did not condemn Chile.\" => !Peru -> Chile\n",
    );
    let out = entente(&["test", p(&rules)], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("r.rules:3: example of rule \"condemn\" failed"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "~~~ expected\nFrance -> Iraq\n~~~ got\nFrance -condemns-> Iran"
        ),
        "{stdout}"
    );
    let side_by_side = "    object     Iraq                         Iran  <--";
    assert!(stdout.contains(side_by_side), "{stdout}");
    assert!(stdout.trim_end().ends_with("2 passed, 1 failed"), "{stdout}");
    let corrected =
        std::fs::read_to_string(&rules).unwrap().replace("-> Iraq", "-> Iran");
    let fixed = d.file("ok.rules", corrected.as_bytes());
    let out = entente(&["test", p(&fixed)], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn explain_shows_aliases_rules_and_near_misses() {
    let out = entente(
        &["explain", "Russia invaded Ukraine. Japan condemned."],
        None,
    );
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("entity    \"Russia\" GPE country RUS (RUS)  by alias \"Russia\", gazetteers/countries.gaz:"), "{stdout}");
    assert!(
        stdout.contains("relation  Russia -invade-> Ukraine  code 192"),
        "{stdout}"
    );
    assert!(stdout.contains("no match  rule criticize"), "{stdout}");
    assert!(
        stdout.contains("expected an entity of the slot's type"),
        "{stdout}"
    );
    let json = entente(
        &["explain", "--format", "json", "Russia invaded Ukraine."],
        None,
    );
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["sentences"][0]["relations"][0]["predicate"], "invade");
    assert_eq!(v["sentences"][0]["entities"][0]["how"], "alias \"Russia\"");
}

#[test]
fn coverage_reports_silent_rules_unmatched_entries_and_candidates() {
    let d = Dir::new("coverage");
    let corpus = d.file(
        "c.jsonl",
        b"{\"id\": \"1\", \"text\": \"Russia invaded Ukraine. Zorblatt Industries said so.\"}\n\
          {\"id\": \"2\", \"text\": \"Later Zorblatt Industries left Kyiv, later than planned.\"}\n\
          not json\n",
    );
    let out = entente(&["test", "--coverage", p(&corpus)], None);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("2 documents, 1 lines skipped"), "{stdout}");
    assert!(stdout.contains("rules that never fired: "), "{stdout}");
    assert!(stdout.contains("  1  invade  rules/19-fight.rules:"), "{stdout}");
    assert!(stdout.contains("gazetteer entries never matched: "), "{stdout}");
    assert!(stdout.contains("       2  Zorblatt Industries"), "{stdout}");
}

/// `entente bench` times its stages slice by slice beside the raw scan:
/// over a corpus of two slices and more, every row is reported, each
/// stage's work is counted over every document once (end to end: as many
/// entities and relations as `entente extract` gives), and no ratio is
/// missing.
#[test]
fn bench_counts_the_whole_corpus_slice_by_slice() {
    let dir = Dir::new("bench");
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/sample.jsonl"),
    )
    .unwrap();
    // a little over 1 MiB of text: two slices
    let corpus = sample.repeat((1 << 20) / sample.len() + 2);
    let file = dir.file("corpus.jsonl", corpus.as_bytes());
    let out = entente(&["extract", "-q", p(&file)], None);
    assert!(out.status.success());
    let found: usize = records(&out)
        .iter()
        .map(|r| {
            r["entities"].as_array().unwrap().len()
                + r["relations"].as_array().unwrap().len()
        })
        .sum();
    assert!(found > 0);
    let out = entente(&["bench", "--corpus", p(&file), "--repeat", "2"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8(out.stdout).unwrap();
    let row = |name: &str| -> Vec<String> {
        let line = report
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row {name:?} in\n{report}"));
        line[name.len()..].split_whitespace().map(str::to_string).collect()
    };
    for name in ["raw aho-corasick scan", "tokenize ", "tokenize + gazetteer "]
    {
        let r = row(name);
        let ratio: f64 = r[r.len() - 4].parse().unwrap();
        assert!(ratio > 0.0, "{name}: {r:?}");
        assert!(r[r.len() - 2].parse::<u64>().unwrap() > 0, "{name}: {r:?}");
    }
    let e2e = row("end to end (extract)");
    assert_eq!(e2e[e2e.len() - 2], found.to_string(), "{report}");
}

//! Bad input through the command line: every line gets its record, every
//! problem is named with its file and line, nothing panics, and the exit
//! status says that something was wrong.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("entente-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn entente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entente")).args(args).output().unwrap()
}

/// `n` bytes from a xorshift generator: the same bytes on every run.
fn random_bytes(mut state: u64, n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("the output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

/// The acceptance mix of issue 6, with a few more: one record per line.
#[test]
fn a_mixed_jsonl_file_gives_one_record_per_line() {
    let mut lines: Vec<Vec<u8>> = vec![
        br#"{"id": "ok", "text": "Russia pledged food aid to Afghanistan."}"#.to_vec(),
        br#"{"id": "broken", "text": "no closing brace""#.to_vec(),
        br#"{"id": "no-text", "title": "Only a title"}"#.to_vec(),
        b"{\"id\": \"bad-utf8\", \"text\": \"Kabul \xff\xfe said\"}".to_vec(),
        br#"{"id": "nul", "text": "Iran\u0000 warned Israel.\u0000"}"#.to_vec(),
        b"{\"id\": \"raw-nul\", \"text\": \"a\x00b\"}".to_vec(),
        br#"{"id": "empty", "text": ""}"#.to_vec(),
        br#"{"id": 42, "text": 7}"#.to_vec(),
        "{\"id\": \"bidi\", \"text\": \"\u{202E}France\u{202C} and \u{200B}Ger\u{200D}many met.\"}"
            .as_bytes()
            .to_vec(),
    ];
    let word = "Afghanistan".repeat(1_200_000 / 11);
    lines.push(
        format!(r#"{{"id": "long-word", "text": "{word}"}}"#).into_bytes(),
    );
    let parens = "(".repeat(5000);
    lines.push(
        format!(
            r#"{{"id": "parens", "text": "NATO {parens} warned Russia"}}"#
        )
        .into_bytes(),
    );
    // the last line has no line break
    lines.push(br#"{"id": "last", "text": "China met Japan."}"#.to_vec());
    let body = lines.join(&b"\n"[..]);
    let path = temp("mix.jsonl", &body);
    let out = entente(&["extract", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let recs = records(&out);
    assert_eq!(recs.len(), lines.len(), "{stderr}");
    let ids: Vec<String> = recs
        .iter()
        .map(|r| match &r["id"] {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        })
        .collect();
    let fallback = format!("{}:2", path.display());
    assert_eq!(
        ids,
        [
            "ok",
            &fallback,
            "no-text",
            "bad-utf8",
            "nul",
            "raw-nul",
            "empty",
            "42",
            "bidi",
            "long-word",
            "parens",
            "last"
        ]
    );
    let errors: Vec<bool> =
        recs.iter().map(|r| r.get("error").is_some()).collect();
    assert_eq!(
        errors,
        [
            false, true, true, true, false, true, false, true, false, false,
            false, false
        ]
    );
    for line in [2, 3, 4, 6, 8] {
        assert!(
            stderr.contains(&format!("mix.jsonl:{line}: ")),
            "line {line} not named: {stderr}"
        );
    }
    // the good documents were extracted
    assert_eq!(recs[0]["relations"][0]["predicate"], "pledge_aid");
    let nul = &recs[4]["entities"];
    assert_eq!(nul[0]["text"], "Iran");
    assert_eq!(recs[8]["entities"][0]["text"], "France");
    assert_eq!(recs[11]["entities"][1]["id"], "JPN");
    // the summary counts them
    assert!(stderr.contains("12 documents"), "{stderr}");
    assert!(stderr.contains("5 errors"), "{stderr}");
}

/// 200 KB of random bytes as a text file: one error record, no panic.
#[test]
fn random_bytes_as_text() {
    let bytes = random_bytes(0x9E37_79B9_7F4A_7C15, 200_000);
    let path = temp("random.txt", &bytes);
    let out =
        entente(&["extract", "--format", "jsonl", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    assert!(recs[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("invalid UTF-8 at line "));
    assert!(stderr.contains("random.txt: invalid UTF-8"), "{stderr}");
}

/// The same random bytes made valid UTF-8 (lossily, by us): extraction
/// runs and every offset points into the text.
#[test]
fn random_text_extracts() {
    let bytes = random_bytes(0x1234_5678_9ABC_DEF1, 200_000);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let path = temp("random-lossy.txt", text.as_bytes());
    let out =
        entente(&["extract", "--format", "jsonl", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = records(&out);
    for e in recs[0]["entities"].as_array().unwrap() {
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..t], e["text"].as_str().unwrap());
    }
}

/// gzip input is read whatever the file's name, and output order is input
/// order on any number of threads.
#[test]
fn gzip_and_threads() {
    use std::io::Write;
    let mut body = String::new();
    for i in 0..500 {
        body.push_str(&format!(
            "{{\"id\": \"d{i}\", \"text\": \"Day {i}: Iran warned Israel; Egypt met Jordan.\"}}\n"
        ));
    }
    let mut gz =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(body.as_bytes()).unwrap();
    let path = temp("docs.jsonl.gz", &gz.finish().unwrap());
    let plain = temp("docs.jsonl", body.as_bytes());
    let one =
        entente(&["extract", "-q", "--threads", "1", plain.to_str().unwrap()]);
    assert!(one.status.success());
    for threads in ["2", "3"] {
        let many = entente(&[
            "extract",
            "-q",
            "--threads",
            threads,
            path.to_str().unwrap(),
        ]);
        assert!(many.status.success());
        assert!(many.stdout == one.stdout, "{threads} threads differ");
    }
    let recs = records(&one);
    assert_eq!(recs.len(), 500);
    assert_eq!(recs[499]["id"], "d499");
}

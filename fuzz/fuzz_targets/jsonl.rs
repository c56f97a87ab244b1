//! Arbitrary bytes as a corpus file, through the command line's reader:
//! `Lines` + `parse_jsonl_line` (JSONL) and `parse_text` (plain text); and,
//! for inputs up to 4 KiB, through `corpus::run` itself over two temporary
//! files with these bytes, one `.jsonl` and one `.txt`.
//!
//! Checks (panics when broken):
//! - `Lines` gives one line per `\n` (plus one for a last line without
//!   it), numbered from 1, each without its `\n` or `\r\n`, and the sizes
//!   it reports add up to the input's length;
//! - a document's text is `Ok` only for a line that is valid UTF-8, and
//!   `parse_text` is `Ok` exactly for valid UTF-8, with the text unchanged;
//! - `run` writes one record per non-blank line plus one for the text
//!   file, each a JSON object on one line, with as many `error` fields as
//!   the summary counts errors (unless the input starts with the gzip
//!   magic bytes, which `open` decompresses whatever the file's name).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use entente::Extractor;
use entente_cli::corpus::{self, Lines, Options};
use libfuzzer_sys::fuzz_target;

/// LeakSanitizer suppressions. `corpus::run` returns once its scoped
/// threads' closures have ended, which can be before each thread has
/// finished exiting (thread-locals, its `Thread` handle, its result packet,
/// the boxed closure, the scope's data); libFuzzer's leak check right after
/// the input then reports these as leaked, at random (two such reports in
/// the first runs, neither reproducible). Not leaks of entente: suppressed
/// by allocation site. This hides leaks of the calling thread's side of
/// `run` (under `std::thread::scope`) too; leaks in the parsing above and
/// in the workers' extraction are still reported.
#[no_mangle]
pub extern "C" fn __lsan_default_suppressions() -> *const std::ffi::c_char {
    c"leak:std::thread::scoped::scope\nleak:std::sync::mpmc::context\nleak:__cxa_thread_atexit_impl\n"
        .as_ptr()
}

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
static DIR: OnceLock<PathBuf> = OnceLock::new();

/// Lines that `run` skips: all ASCII whitespace (after the `\n` and a
/// final `\r` are taken off). Counted here independently of `Lines`.
fn non_blank_lines(data: &[u8]) -> usize {
    if data.is_empty() {
        return 0;
    }
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    body.split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count()
}

fuzz_target!(|data: &[u8]| {
    // Lines + parse_jsonl_line, as the reader thread and workers use them
    let mut lines = Lines::new(data);
    let mut buf = Vec::new();
    let mut docs = 0;
    let mut total = 0;
    let mut expect_line = 0;
    while let Some((n, size)) = lines.next_line(&mut buf).expect("reading a slice cannot fail") {
        expect_line += 1;
        assert_eq!(n, expect_line, "line numbers are 1, 2, 3, ...");
        assert!(
            size >= buf.len() && size <= buf.len() + 2,
            "line {n}: {size} bytes in the stream for a line of {}",
            buf.len()
        );
        assert!(!buf.contains(&b'\n'), "line {n} keeps a line break");
        total += size;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        docs += 1;
        let doc = corpus::parse_jsonl_line(&buf, format!("fuzz:{n}"));
        if let Ok(t) = &doc.text {
            assert!(
                std::str::from_utf8(&buf).is_ok(),
                "line {n}: text {t:?} from a line that is not UTF-8"
            );
        }
    }
    assert_eq!(total, data.len(), "the sizes of the lines do not add up to the input");
    assert_eq!(docs, non_blank_lines(data), "documents != non-blank lines");

    // parse_text: the whole input as one document
    let doc = corpus::parse_text(data.to_vec(), "fuzz.txt".into());
    match (&doc.text, std::str::from_utf8(data)) {
        (Ok(t), Ok(s)) => assert_eq!(t, s),
        (Err(_), Err(_)) => {}
        (t, s) => panic!("parse_text gave {t:?} for input whose UTF-8 check is {:?}", s.map(|_| ())),
    }

    // run, on small inputs only: two files, threads, channels
    if data.len() > 4096 {
        return;
    }
    let ex = EXTRACTOR.get_or_init(Extractor::default);
    let dir = DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("entente-fuzz-jsonl-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("a temporary folder");
        d
    });
    let jsonl = dir.join("in.jsonl");
    let txt = dir.join("in.txt");
    std::fs::write(&jsonl, data).expect("write the temporary file");
    std::fs::write(&txt, data).expect("write the temporary file");
    let opts = Options { threads: 1, in_flight: 2, batch_bytes: 256, ..Options::default() };
    let mut out = Vec::new();
    let mut err = Vec::new();
    let sum = corpus::run(ex, &[jsonl, txt], &opts, &mut out, &mut err)
        .expect("writing to a Vec cannot fail");
    if data.starts_with(&[0x1f, 0x8b]) {
        return; // decompressed (or a read error): other lines, other counts
    }
    let want = non_blank_lines(data) + 1;
    let out = String::from_utf8(out).expect("the output is UTF-8");
    let records: Vec<&str> = out.lines().collect();
    assert_eq!(records.len(), want, "records written != non-blank lines + 1\n{out}");
    assert_eq!(sum.documents as usize, want, "summary documents != records");
    let mut errors = 0;
    for r in &records {
        let v: serde_json::Value = serde_json::from_str(r)
            .unwrap_or_else(|e| panic!("record is not JSON ({e}): {r}"));
        let o = v.as_object().unwrap_or_else(|| panic!("record is not an object: {r}"));
        assert!(o.get("id").is_some_and(|i| i.is_string()), "record without a string id: {r}");
        assert!(o.get("entities").is_some_and(|e| e.is_array()), "record without entities: {r}");
        errors += usize::from(o.contains_key("error"));
    }
    assert_eq!(sum.errors as usize, errors, "summary errors != records with an error");
    let err = String::from_utf8_lossy(&err);
    assert_eq!(err.lines().count(), errors, "one message per error:\n{err}");
});

//! Corpus runs: documents read from plain-text and JSONL files (gzip or
//! not), extracted on all cores, written in input order.
//!
//! A reader thread cuts the input into batches of lines; worker threads
//! parse, extract and serialise whole batches; the calling thread writes
//! them back in input order. Memory is bounded: the reader takes a ticket
//! for every batch and the writer returns it once the batch is written, so
//! at most [`Options::in_flight`] batches exist at any time, however large
//! the corpus. One document is never split, so a single 100 MB line is one
//! 100 MB batch.
//!
//! Bad input never stops a run: a line that is not JSON, lacks a string
//! `text`, or holds invalid UTF-8 still gets its output record, with an
//! `error` field, and a message on the error stream naming file and line.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use entente::{Date, Extraction, Extractor};
use serde::Serialize;

/// How a file's bytes make documents.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Input {
    /// The whole file is one document.
    Text,
    /// One JSON object per line, with `text` and optional `id` and `date`.
    Jsonl,
}

impl Input {
    /// JSONL for `*.jsonl` and `*.jsonl.gz`, text otherwise.
    pub fn of_path(path: &Path) -> Input {
        let name = path.to_string_lossy();
        if name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") {
            Input::Jsonl
        } else {
            Input::Text
        }
    }
}

/// How records are written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    /// Pretty-printed JSON, one object after another.
    Json,
    /// One compact JSON object per line.
    Jsonl,
}

/// A document as read from its line or file.
#[derive(Debug, PartialEq, Eq)]
pub struct Doc {
    /// The document's own `id` (a non-string id in its JSON form), else
    /// `file:line` for JSONL and the file name for text.
    pub id: String,
    /// The record's `date` field, as given.
    pub date: Option<String>,
    /// The text, or what is wrong with the input.
    pub text: Result<String, String>,
}

#[derive(serde::Deserialize)]
struct InDoc {
    id: Option<serde_json::Value>,
    text: Option<serde_json::Value>,
    // a non-string date is ignored rather than failing the document
    #[serde(default, deserialize_with = "lenient_string")]
    date: Option<String>,
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    use serde::Deserialize;
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
}

/// Parses one JSONL line (without its line break). The id is the
/// document's own where it can be read, else `fallback_id`.
///
/// ```
/// use entente_cli::corpus::parse_jsonl_line;
///
/// let doc = parse_jsonl_line(br#"{"id": 7, "text": "Hi."}"#, "f:1".into());
/// assert_eq!((doc.id.as_str(), doc.text.as_deref()), ("7", Ok("Hi.")));
/// let bad = parse_jsonl_line(b"{\"text\": 3}", "f:2".into());
/// assert_eq!(bad.text, Err("\"text\" is not a string".to_string()));
/// ```
pub fn parse_jsonl_line(body: &[u8], fallback_id: String) -> Doc {
    let id_of = |d: &InDoc| match &d.id {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => fallback_id.clone(),
    };
    let line = match std::str::from_utf8(body) {
        Ok(line) => line,
        Err(e) => {
            let text = Err(format!(
                "invalid UTF-8 at byte {} of the line: the document is skipped",
                e.valid_up_to() + 1
            ));
            // The rest of the line may still say which document it was.
            let lossy = String::from_utf8_lossy(body);
            return match serde_json::from_str::<InDoc>(&lossy) {
                Ok(d) => Doc { id: id_of(&d), date: d.date, text },
                Err(_) => Doc { id: fallback_id, date: None, text },
            };
        }
    };
    match serde_json::from_str::<InDoc>(line) {
        Ok(d) => {
            let text = match d.text {
                Some(serde_json::Value::String(ref s)) => Ok(s.clone()),
                Some(_) => Err("\"text\" is not a string".to_string()),
                None => Err("missing \"text\"".to_string()),
            };
            Doc { id: id_of(&d), date: d.date, text }
        }
        Err(e) => {
            let text = Err(format!("not a JSON object: {e}"));
            // A raw control character (a NUL byte, a tab) in a string is
            // not JSON, but the line may still say which document it was.
            let blanked: String = line
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            match serde_json::from_str::<InDoc>(&blanked) {
                Ok(d) => Doc { id: id_of(&d), date: d.date, text },
                Err(_) => Doc { id: fallback_id, date: None, text },
            }
        }
    }
}

/// A plain-text document. Invalid UTF-8 makes the whole file an error
/// (one policy for every file: offsets must stay true to the bytes given,
/// which a lossy decoding would shift).
pub fn parse_text(bytes: Vec<u8>, id: String) -> Doc {
    let text = String::from_utf8(bytes).map_err(|e| {
        let ok = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = ok.iter().filter(|&&b| b == b'\n').count() + 1;
        format!(
            "invalid UTF-8 at line {line}, byte offset {}: the document is skipped",
            ok.len()
        )
    });
    Doc { id, date: None, text }
}

/// Counts the bytes read through it, for the progress bar.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens a file (`-` is standard input), decompressing gzip when its first
/// bytes say so, whatever its name.
pub fn open(
    path: &Path,
    count: Arc<AtomicU64>,
) -> io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = if path.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path)?)
    };
    let mut buf = BufReader::with_capacity(
        1 << 16,
        Box::new(Counting { inner: raw, count }) as Box<dyn Read + Send>,
    );
    if buf.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::bufread::MultiGzDecoder::new(buf);
        return Ok(Box::new(BufReader::with_capacity(1 << 16, gz)));
    }
    Ok(Box::new(buf))
}

/// Reads lines of any length without decoding them.
pub struct Lines<R> {
    inner: R,
    line: usize,
}

impl<R: BufRead> Lines<R> {
    /// Lines of `inner`, numbered from 1.
    pub fn new(inner: R) -> Lines<R> {
        Lines { inner, line: 0 }
    }

    /// The next line without its `\n` or `\r\n`, with its number and the
    /// number of bytes it took in the stream; `None` at the end.
    pub fn next_line(
        &mut self,
        buf: &mut Vec<u8>,
    ) -> io::Result<Option<(usize, usize)>> {
        buf.clear();
        let n = self.inner.read_until(b'\n', buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        Ok(Some((self.line, n)))
    }
}

/// One output record: the contract's fields, plus `error` for a document
/// that could not be read.
#[derive(Serialize)]
pub struct Record<'a> {
    /// The document's id.
    pub id: &'a str,
    /// The record's date, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    /// Entities and relations.
    #[serde(flatten)]
    pub extraction: &'a Extraction,
    /// What was wrong with the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
}

/// Settings of a corpus run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Worker threads.
    pub threads: usize,
    /// How to read each file: `None` picks by its name.
    pub input: Option<Input>,
    /// How to write records.
    pub format: Format,
    /// The date of documents without their own.
    pub date: Option<Date>,
    /// Draw a progress line on standard error (only when it is a terminal).
    pub progress: bool,
    /// Batches alive at once (read, in work, or waiting to be written).
    pub in_flight: usize,
    /// A batch is cut once its lines hold this many bytes.
    pub batch_bytes: usize,
}

impl Default for Options {
    fn default() -> Options {
        let threads =
            std::thread::available_parallelism().map_or(1, |n| n.get());
        Options {
            threads,
            input: None,
            format: Format::Jsonl,
            date: None,
            progress: false,
            in_flight: 4 * threads + 4,
            batch_bytes: 256 * 1024,
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records written (one per document or line read, errors included).
    pub documents: u64,
    /// Bytes of input read (decompressed).
    pub bytes: u64,
    /// Entities written.
    pub entities: u64,
    /// Relations written.
    pub relations: u64,
    /// Documents with errors, and files that could not be read.
    pub errors: u64,
}

/// The unit of work: lines (or a whole text file) in input order.
struct Batch {
    seq: u64,
    docs: Vec<Piece>,
}

/// A document, or a message in its place in the input order (a file that
/// could not be opened or read to its end).
enum Piece {
    Doc(Raw),
    Note(String),
}

struct Raw {
    source: Arc<str>,
    /// 0 for a text file.
    line: usize,
    bytes: Vec<u8>,
    size: u64,
}

struct Done {
    seq: u64,
    out: Vec<u8>,
    messages: String,
    summary: Summary,
}

/// Runs every file through `ex` and writes one record per document to
/// `out`, in input order; messages about bad input go to `err`. Fails only
/// when the output cannot be written.
pub fn run(
    ex: &Extractor,
    files: &[PathBuf],
    opts: &Options,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> io::Result<Summary> {
    let threads = opts.threads.max(1);
    let in_flight = opts.in_flight.max(threads + 1);
    let (work_tx, work_rx) = sync_channel::<Batch>(in_flight);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<Done>(in_flight);
    let (ticket_tx, ticket_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = ticket_tx.send(());
    }
    let read_bytes = Arc::new(AtomicU64::new(0));
    let total_bytes: u64 = files
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let mut progress = (opts.progress && io::stderr().is_terminal())
        .then(|| Progress::new(total_bytes, read_bytes.clone()));
    std::thread::scope(|scope| {
        let reader_count = read_bytes.clone();
        scope.spawn(move || {
            read_all(files, opts, work_tx, ticket_rx, reader_count)
        });
        for _ in 0..threads {
            let rx = work_rx.clone();
            let tx = done_tx.clone();
            scope.spawn(move || work(ex, opts, &rx, &tx));
        }
        drop(done_tx);
        let result =
            write_in_order(done_rx, &ticket_tx, out, err, progress.as_mut());
        // On a write error, stop the reader and the workers: close the
        // ticket and result channels and drain what is in flight.
        drop(ticket_tx);
        result
    })
    .inspect(|_| {
        if let Some(p) = progress.as_mut() {
            p.clear();
        }
    })
}

fn read_all(
    files: &[PathBuf],
    opts: &Options,
    work: SyncSender<Batch>,
    tickets: Receiver<()>,
    count: Arc<AtomicU64>,
) {
    let mut seq = 0;
    let mut batch = Batch { seq, docs: vec![] };
    let mut held = 0usize;
    // Sends the batch once a ticket is free; false when the run is over.
    let mut flush = |batch: &mut Batch, held: &mut usize| -> bool {
        if tickets.recv().is_err() {
            return false;
        }
        seq += 1;
        let full = std::mem::replace(batch, Batch { seq, docs: vec![] });
        *held = 0;
        work.send(full).is_ok()
    };
    for path in files {
        let shown: Arc<str> = if path.as_os_str() == "-" {
            "stdin".into()
        } else {
            path.display().to_string().into()
        };
        let input = opts.input.unwrap_or_else(|| Input::of_path(path));
        let mut reader = match open(path, count.clone()) {
            Ok(r) => r,
            Err(e) => {
                batch
                    .docs
                    .push(Piece::Note(format!("{shown}: cannot open: {e}")));
                continue;
            }
        };
        if input == Input::Text {
            let mut bytes = Vec::new();
            match reader.read_to_end(&mut bytes) {
                Ok(n) => {
                    held += n;
                    batch.docs.push(Piece::Doc(Raw {
                        source: shown.clone(),
                        line: 0,
                        bytes,
                        size: n as u64,
                    }));
                }
                Err(e) => {
                    batch.docs.push(Piece::Note(format!(
                        "{shown}: cannot read: {e}"
                    )));
                }
            }
        } else {
            let mut lines = Lines::new(reader);
            let mut buf = Vec::new();
            loop {
                match lines.next_line(&mut buf) {
                    Ok(Some((line, n))) => {
                        if buf.iter().all(u8::is_ascii_whitespace) {
                            held += n;
                            continue;
                        }
                        held += n;
                        batch.docs.push(Piece::Doc(Raw {
                            source: shown.clone(),
                            line,
                            bytes: std::mem::take(&mut buf),
                            size: n as u64,
                        }));
                    }
                    Ok(None) => break,
                    Err(e) => {
                        batch.docs.push(Piece::Note(format!(
                            "{shown}: cannot read after line {}: {e}",
                            lines.line
                        )));
                        break;
                    }
                }
                let full =
                    held >= opts.batch_bytes || batch.docs.len() >= 4096;
                if full && !flush(&mut batch, &mut held) {
                    return;
                }
            }
        }
        if held >= opts.batch_bytes && !flush(&mut batch, &mut held) {
            return;
        }
    }
    if !batch.docs.is_empty() {
        flush(&mut batch, &mut held);
    }
}

fn work(
    ex: &Extractor,
    opts: &Options,
    rx: &Mutex<Receiver<Batch>>,
    tx: &SyncSender<Done>,
) {
    loop {
        let batch = {
            let Ok(rx) = rx.lock() else { return };
            match rx.recv() {
                Ok(b) => b,
                Err(_) => return,
            }
        };
        let mut done = Done {
            seq: batch.seq,
            out: Vec::new(),
            messages: String::new(),
            summary: Summary::default(),
        };
        for piece in batch.docs {
            match piece {
                Piece::Doc(raw) => extract_one(ex, opts, raw, &mut done),
                Piece::Note(note) => {
                    done.messages.push_str(&format!("entente: {note}\n"));
                    done.summary.errors += 1;
                }
            }
        }
        if tx.send(done).is_err() {
            return;
        }
    }
}

fn extract_one(ex: &Extractor, opts: &Options, raw: Raw, done: &mut Done) {
    let where_ = if raw.line == 0 {
        raw.source.to_string()
    } else {
        format!("{}:{}", raw.source, raw.line)
    };
    done.summary.bytes += raw.size;
    let doc = if raw.line == 0 {
        parse_text(raw.bytes, where_.clone())
    } else {
        parse_jsonl_line(&raw.bytes, where_.clone())
    };
    let empty = Extraction::default();
    let mut error = doc.text.as_ref().err().cloned();
    let extraction = match &doc.text {
        Ok(text) => {
            let date = doc.date.as_deref().and_then(Date::parse).or(opts.date);
            // One document must not end a corpus run: a panic (a bug) is
            // reported as that document's error.
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(
                || ex.extract_dated(text, date),
            )) {
                Ok(x) => Some(x),
                Err(_) => {
                    error = Some("internal error: the extractor panicked on this document (please report it)".into());
                    None
                }
            }
        }
        Err(_) => None,
    };
    let extraction = extraction.as_ref().unwrap_or(&empty);
    if let Some(msg) = &error {
        done.messages.push_str(&format!("entente: {where_}: {msg}\n"));
        done.summary.errors += 1;
    }
    done.summary.documents += 1;
    done.summary.entities += extraction.entities.len() as u64;
    done.summary.relations += extraction.relations.len() as u64;
    let rec = Record {
        id: &doc.id,
        date: doc.date.as_deref(),
        extraction,
        error: error.as_deref(),
    };
    let ok = match opts.format {
        Format::Json => serde_json::to_writer_pretty(&mut done.out, &rec),
        Format::Jsonl => serde_json::to_writer(&mut done.out, &rec),
    };
    // writing to a Vec fails only on a serialiser bug; keep the record
    if ok.is_err() {
        done.out.extend_from_slice(b"{\"error\":\"cannot serialise\"}");
    }
    done.out.push(b'\n');
}

fn write_in_order(
    done: Receiver<Done>,
    tickets: &SyncSender<()>,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
    mut progress: Option<&mut Progress>,
) -> io::Result<Summary> {
    let mut next = 0u64;
    let mut waiting = std::collections::BTreeMap::new();
    let mut sum = Summary::default();
    for d in done {
        waiting.insert(d.seq, d);
        while let Some(d) = waiting.remove(&next) {
            next += 1;
            if !d.messages.is_empty() {
                if let Some(p) = progress.as_mut() {
                    p.clear();
                }
                err.write_all(d.messages.as_bytes())?;
            }
            out.write_all(&d.out)?;
            sum.documents += d.summary.documents;
            sum.bytes += d.summary.bytes;
            sum.entities += d.summary.entities;
            sum.relations += d.summary.relations;
            sum.errors += d.summary.errors;
            let _ = tickets.try_send(());
            if let Some(p) = progress.as_mut() {
                p.update(&sum);
            }
        }
    }
    out.flush()?;
    Ok(sum)
}

/// The progress line: documents, MB, MB/s and the time left.
struct Progress {
    start: Instant,
    last: Instant,
    total: u64,
    read: Arc<AtomicU64>,
    drawn: bool,
}

impl Progress {
    fn new(total: u64, read: Arc<AtomicU64>) -> Progress {
        let now = Instant::now();
        Progress { start: now, last: now, total, read, drawn: false }
    }

    fn update(&mut self, sum: &Summary) {
        let now = Instant::now();
        if now - self.last < Duration::from_millis(100) {
            return;
        }
        self.last = now;
        let secs = (now - self.start).as_secs_f64();
        let mb = sum.bytes as f64 / 1e6;
        let rate = mb / secs.max(1e-9);
        let read = self.read.load(Ordering::Relaxed);
        let eta = if self.total > 0 && read > 0 && read <= self.total {
            let left = secs * (self.total - read) as f64 / read as f64;
            format!("ETA {}", clock(left))
        } else {
            "ETA ?".to_string()
        };
        let pct = if self.total > 0 {
            format!("{:>3.0}% ", 100.0 * read as f64 / self.total as f64)
        } else {
            String::new()
        };
        eprint!(
            "\r\x1b[2K{pct}{} documents  {mb:.1} MB  {rate:.1} MB/s  {eta}",
            sum.documents
        );
        self.drawn = true;
    }

    fn clear(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[2K");
            self.drawn = false;
        }
    }
}

fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(
        files: &[PathBuf],
        threads: usize,
        batch: usize,
    ) -> (String, String, Summary) {
        let ex = Extractor::default();
        let opts = Options {
            threads,
            batch_bytes: batch,
            in_flight: threads + 1,
            ..Options::default()
        };
        let mut out = Vec::new();
        let mut err = Vec::new();
        let sum = run(&ex, files, &opts, &mut out, &mut err).unwrap();
        (String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap(), sum)
    }

    #[test]
    fn order_and_errors_do_not_depend_on_threads_or_batches() {
        let dir = std::env::temp_dir()
            .join(format!("entente-corpus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("docs.jsonl");
        let mut body = Vec::new();
        for i in 0..300 {
            match i % 50 {
                7 => body.extend_from_slice(b"{not json\n"),
                8 => body.extend_from_slice(b"{\"id\": \"x\", \"text\": \"bad \xff\"}\n"),
                _ => body.extend_from_slice(
                    format!("{{\"id\": \"d{i}\", \"text\": \"Russia pledged aid to Afghanistan on day {i}.\"}}\n").as_bytes(),
                ),
            }
        }
        std::fs::write(&path, &body).unwrap();
        let files = [path.clone(), dir.join("missing.jsonl")];
        let one = run_on(&files, 1, 1 << 20);
        for (threads, batch) in [(2, 100), (4, 1), (3, 4096)] {
            let other = run_on(&files, threads, batch);
            // the first line that differs, not two walls of JSON
            for (a, b) in [(&one.0, &other.0), (&one.1, &other.1)] {
                let diff = a.lines().zip(b.lines()).position(|(x, y)| x != y);
                assert_eq!(diff, None, "{threads} threads, {batch} B batches: line {diff:?} differs");
                assert_eq!(a.len(), b.len());
            }
            assert_eq!(other.2, one.2);
        }
        let (out, err, sum) = one;
        assert!(err.starts_with("entente: /"), "{err}");
        assert!(
            err.lines().last().unwrap().contains("missing.jsonl: cannot open"),
            "{err}"
        );
        assert_eq!(out.lines().count(), 300);
        assert_eq!(sum.documents, 300);
        assert_eq!(sum.errors, 12 + 1);
        assert_eq!(sum.relations, 288);
        assert!(err.contains("docs.jsonl:8: not a JSON object"), "{err}");
        assert!(err.contains("docs.jsonl:9: invalid UTF-8"), "{err}");
        assert!(err.contains("missing.jsonl: cannot open"), "{err}");
        assert!(out.lines().next().unwrap().starts_with("{\"id\":\"d0\""));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn lines_keep_their_bytes() {
        let mut l = Lines::new(&b"a\r\nb\n\nlast"[..]);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some((n, size)) = l.next_line(&mut buf).unwrap() {
            got.push((n, size, buf.clone()));
        }
        assert_eq!(
            got,
            [
                (1, 3, b"a".to_vec()),
                (2, 2, b"b".to_vec()),
                (3, 1, vec![]),
                (4, 4, b"last".to_vec())
            ]
        );
    }

    #[test]
    fn text_files_with_bad_utf8_are_one_error() {
        let d = parse_text(b"ok\nstill ok\n\xc3(".to_vec(), "f.txt".into());
        assert_eq!(
            d.text,
            Err("invalid UTF-8 at line 3, byte offset 12: the document is skipped".into())
        );
    }
}

//! `entente`: the command line of the entente library.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use entente::{Extraction, Extractor};
use serde::Serialize;

mod coverage;
mod eval;

const USAGE: &str = "\
entente: extract entities and relations from news text

USAGE:
    entente extract [OPTIONS] [FILE...]
    entente test [OPTIONS] [RULES...]
    entente test --coverage CORPUS.jsonl [RULES...]
    entente eval --gold FILE [-v]
    entente explain [--format json] \"SENTENCE\" | FILE

Reads plain-text files (one document each) or JSONL files (one document
per line: {\"id\": ..., \"text\": ..., \"date\": ...}); no FILE, or '-',
reads standard input. Prints one JSON object per document, with the
fields of the output contract (id, entities, relations).

`entente test` checks every example and counter-example of the rule files
given (files or folders; default: the embedded rules), with the embedded
gazetteers, and ends with the line 'N passed, M failed'. With --coverage it
runs the rules over a JSONL corpus instead and reports the rules that never
fired, the gazetteer entries never matched, and the most frequent
capitalised phrases that no entity covers.

`entente explain` shows tokens and sentences, the alias and gazetteer line
behind each entity, the rule behind each relation, and for rules whose
trigger occurs but which did not fire, how far they got and what they
expected next.

`entente eval` runs the extractor on gold records (SCORING.md format; a
JSON object or JSONL; text in \"text\" or a \"document\" path relative to the
gold file) and prints precision, recall and F1 for entities, relations and
roles, with every miss and extra (-v: for every record).

OPTIONS:
    --date YYYY-MM-DD      the documents' date, which picks the office a
                           person held (a JSONL record's \"date\" wins)
    --input text|jsonl     how to read the input (default: jsonl for
                           *.jsonl files, text otherwise)
    --format json|jsonl    pretty JSON (default for plain text) or one
                           compact object per line (default for JSONL)
    --gazetteer PATH       add a gazetteer file, or every *.gaz file in a
                           folder (repeatable)
    --rules PATH           use this rule file, or every *.rules file in a
                           folder, instead of the embedded rules (repeatable)
    --no-embedded          do not load the embedded gazetteers and rules
    -h, --help             print this help
    -V, --version          print the version

EXIT STATUS:
    0 all documents processed; 1 some documents had errors (each is
    reported on stderr with its file and line, and still gets an output
    record with an \"error\" field); 2 bad usage or bad gazetteer files.
";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Input {
    Text,
    Jsonl,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Json,
    Jsonl,
}

#[derive(Debug, Default)]
struct Args {
    files: Vec<PathBuf>,
    input: Option<Input>,
    format: Option<Format>,
    gazetteers: Vec<PathBuf>,
    rules: Vec<PathBuf>,
    no_embedded: bool,
    date: Option<entente::Date>,
    gold: Option<PathBuf>,
    coverage: Option<PathBuf>,
    verbose: bool,
}

enum Command {
    Extract(Args),
    Test(Args),
    Eval(Args),
    Explain(Args),
    Help,
    Version,
}

fn parse_args(argv: Vec<OsString>) -> Result<Command> {
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_args(argv);
    let mut args = Args::default();
    let mut command: Option<String> = None;
    while let Some(arg) = p.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Long("input") => {
                args.input = Some(match p.value()?.string()?.as_str() {
                    "text" => Input::Text,
                    "jsonl" => Input::Jsonl,
                    other => {
                        bail!("--input: expected text or jsonl, got {other:?}")
                    }
                })
            }
            Long("format") => {
                args.format = Some(match p.value()?.string()?.as_str() {
                    "json" => Format::Json,
                    "jsonl" => Format::Jsonl,
                    other => bail!(
                        "--format: expected json or jsonl, got {other:?}"
                    ),
                })
            }
            Long("gazetteer") => args.gazetteers.push(p.value()?.into()),
            Long("rules") => args.rules.push(p.value()?.into()),
            Long("gold") => args.gold = Some(p.value()?.into()),
            Long("coverage") => args.coverage = Some(p.value()?.into()),
            Short('v') | Long("verbose") => args.verbose = true,
            Long("no-embedded") => args.no_embedded = true,
            Long("date") => {
                let v = p.value()?.string()?;
                match entente::Date::parse(&v) {
                    Some(d) => args.date = Some(d),
                    None => bail!("--date: expected YYYY, YYYY-MM or YYYY-MM-DD, got {v:?}"),
                }
            }
            Value(v) if command.is_none() => command = Some(v.string()?),
            Value(v) => args.files.push(v.into()),
            _ => return Err(arg.unexpected().into()),
        }
    }
    match command.as_deref() {
        Some("extract") => Ok(Command::Extract(args)),
        Some("test") => Ok(Command::Test(args)),
        Some("eval") => Ok(Command::Eval(args)),
        Some("explain") => Ok(Command::Explain(args)),
        Some(other) => {
            bail!("unknown command {other:?}: expected 'extract', 'test', 'eval' or 'explain'")
        }
        None => Ok(Command::Help),
    }
}

/// One output record: the contract's fields, plus `error` for a document
/// that could not be read.
#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(flatten)]
    extraction: &'a Extraction,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

struct Output<W: Write> {
    out: W,
    format: Format,
    documents: usize,
    errors: usize,
}

impl<W: Write> Output<W> {
    fn write(&mut self, rec: &Record<'_>) -> Result<()> {
        match self.format {
            Format::Json => serde_json::to_writer_pretty(&mut self.out, rec)?,
            Format::Jsonl => serde_json::to_writer(&mut self.out, rec)?,
        }
        self.out.write_all(b"\n")?;
        self.documents += 1;
        if rec.error.is_some() {
            self.errors += 1;
        }
        Ok(())
    }
}

#[derive(serde::Deserialize)]
struct InDoc {
    id: Option<serde_json::Value>,
    text: Option<serde_json::Value>,
    date: Option<String>,
}

fn open(path: &PathBuf) -> Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(io::stdin().lock()));
    }
    let f = File::open(path)
        .with_context(|| format!("{}: cannot open", path.display()))?;
    Ok(Box::new(f))
}

fn run_text<W: Write>(
    ex: &Extractor,
    path: &PathBuf,
    shown: &str,
    date: Option<entente::Date>,
    out: &mut Output<W>,
) -> Result<()> {
    let mut bytes = Vec::new();
    open(path)?
        .read_to_end(&mut bytes)
        .with_context(|| format!("{shown}: cannot read"))?;
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            let extraction = ex.extract_dated(text, date);
            out.write(&Record {
                id: shown,
                date: None,
                extraction: &extraction,
                error: None,
            })
        }
        Err(e) => {
            let ok = &bytes[..e.valid_up_to()];
            let line = ok.iter().filter(|&&b| b == b'\n').count() + 1;
            let msg = format!(
                "invalid UTF-8 at line {line}, byte offset {}: the document is skipped",
                e.valid_up_to()
            );
            eprintln!("entente: {shown}: {msg}");
            out.write(&Record {
                id: shown,
                date: None,
                extraction: &Extraction::default(),
                error: Some(&msg),
            })
        }
    }
}

/// One JSONL line as (id, date, text or what is wrong with it). The id is
/// the document's own where it can be read, else `fallback_id`.
fn read_doc(
    body: &[u8],
    fallback_id: String,
) -> (String, Option<String>, Result<String, String>) {
    let id_of = |d: &InDoc| match &d.id {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => fallback_id.clone(),
    };
    let line = match std::str::from_utf8(body) {
        Ok(line) => line,
        Err(e) => {
            let msg = format!(
                "invalid UTF-8 at byte {} of the line: the document is skipped",
                e.valid_up_to() + 1
            );
            // The rest of the line may still say which document it was.
            let lossy = String::from_utf8_lossy(body);
            return match serde_json::from_str::<InDoc>(&lossy) {
                Ok(d) => (id_of(&d), d.date, Err(msg)),
                Err(_) => (fallback_id, None, Err(msg)),
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
            (id_of(&d), d.date, text)
        }
        Err(e) => (fallback_id, None, Err(format!("not a JSON object: {e}"))),
    }
}

fn run_jsonl<W: Write>(
    ex: &Extractor,
    path: &PathBuf,
    shown: &str,
    default_date: Option<entente::Date>,
    out: &mut Output<W>,
) -> Result<()> {
    let mut reader = BufReader::new(open(path)?);
    let mut line = Vec::new();
    let mut lineno = 0usize;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).with_context(|| {
            format!("{shown}: cannot read after line {lineno}")
        })?;
        if n == 0 {
            break;
        }
        lineno += 1;
        let body = line.strip_suffix(b"\n").unwrap_or(&line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let (id, date, text) = read_doc(body, format!("{shown}:{lineno}"));
        match text {
            Ok(text) => {
                let doc_date = date
                    .as_deref()
                    .and_then(entente::Date::parse)
                    .or(default_date);
                let extraction = ex.extract_dated(&text, doc_date);
                out.write(&Record {
                    id: &id,
                    date: date.as_deref(),
                    extraction: &extraction,
                    error: None,
                })?;
            }
            Err(msg) => {
                eprintln!("entente: {shown}:{lineno}: {msg}");
                out.write(&Record {
                    id: &id,
                    date: date.as_deref(),
                    extraction: &Extraction::default(),
                    error: Some(&msg),
                })?;
            }
        }
    }
    Ok(())
}

fn extract(args: Args) -> Result<ExitCode> {
    let Some(ex) = build_extractor(&args)? else {
        return Ok(ExitCode::from(2));
    };
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files
    };
    let input_of = |p: &PathBuf| {
        args.input.unwrap_or(if p.extension().is_some_and(|e| e == "jsonl") {
            Input::Jsonl
        } else {
            Input::Text
        })
    };
    let format = args.format.unwrap_or(
        if files.len() == 1 && input_of(&files[0]) == Input::Text {
            Format::Json
        } else {
            Format::Jsonl
        },
    );
    let stdout = io::stdout();
    let mut out = Output {
        out: BufWriter::new(stdout.lock()),
        format,
        documents: 0,
        errors: 0,
    };
    for path in &files {
        let shown = if path.as_os_str() == "-" {
            "stdin".to_string()
        } else {
            path.display().to_string()
        };
        let res = match input_of(path) {
            Input::Text => run_text(&ex, path, &shown, args.date, &mut out),
            Input::Jsonl => run_jsonl(&ex, path, &shown, args.date, &mut out),
        };
        if let Err(e) = res {
            if is_broken_pipe(&e) {
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("entente: {e:#}");
            out.errors += 1;
        }
    }
    if let Err(e) = out.out.flush() {
        if !is_broken_pipe(&e.into()) {
            bail!("cannot write the output");
        }
    }
    if out.errors > 0 {
        eprintln!(
            "entente: {} document(s), {} error(s)",
            out.documents, out.errors
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds the extractor that `extract` and `eval` use.
fn build_extractor(args: &Args) -> Result<Option<Extractor>> {
    let mut b = Extractor::builder();
    b.embedded(!args.no_embedded);
    if !args.rules.is_empty() {
        b.embedded_rules(false);
    }
    for g in &args.gazetteers {
        b.gazetteer_file(g);
    }
    for r in &args.rules {
        b.rule_file(r);
    }
    match b.build() {
        Ok(ex) => Ok(Some(ex)),
        Err(e) => {
            eprintln!("{e}");
            eprintln!(
                "entente: {} error(s) in gazetteer or rule files",
                e.diagnostics().len()
            );
            Ok(None)
        }
    }
}

/// `entente explain "sentence" | FILE`.
fn explain_cmd(args: Args) -> Result<ExitCode> {
    let Some(ex) = build_extractor(&args)? else {
        return Ok(ExitCode::from(2));
    };
    let text = match args.files.as_slice() {
        [one] if one.is_file() => std::fs::read_to_string(one)
            .with_context(|| format!("{}: cannot read", one.display()))?,
        [] => {
            let mut s = String::new();
            io::stdin().read_to_string(&mut s)?;
            s
        }
        words => words
            .iter()
            .map(|w| w.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" "),
    };
    let why = ex.explain(&text, args.date);
    match args.format {
        Some(Format::Json) | Some(Format::Jsonl) => {
            serde_json::to_writer_pretty(io::stdout().lock(), &why)?;
            println!();
        }
        None => print!("{why}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `entente eval --gold FILE`.
fn eval_cmd(args: Args) -> Result<ExitCode> {
    let Some(gold) = args.gold.clone() else {
        bail!("eval: expected --gold FILE");
    };
    let Some(ex) = build_extractor(&args)? else {
        return Ok(ExitCode::from(2));
    };
    eval::run(&ex, &gold, args.verbose)?;
    Ok(ExitCode::SUCCESS)
}

/// `entente test`: checks the examples of rule files.
fn test(args: Args) -> Result<ExitCode> {
    let mut b = Extractor::builder();
    b.embedded_gazetteers(!args.no_embedded);
    b.embedded_rules(args.files.is_empty());
    for g in &args.gazetteers {
        b.gazetteer_file(g);
    }
    for f in &args.files {
        b.rule_file(f);
    }
    let ex = match b.build() {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("{e}");
            println!("0 passed, {} failed", e.diagnostics().len());
            eprintln!(
                "entente: {} error(s) in rule or gazetteer files",
                e.diagnostics().len()
            );
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(corpus) = &args.coverage {
        coverage::run(&ex, corpus, 30)?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = ex.check_examples();
    println!(
        "{} rules, {} examples and counter-examples",
        ex.rules().len(),
        report.checked()
    );
    println!("{report}");
    Ok(if report.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(|j| j.io_error_kind())
                .is_some_and(|k| k == io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().skip(1).collect();
    let result = match parse_args(argv) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("entente {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Ok(Command::Explain(args)) => explain_cmd(args),
        Ok(Command::Eval(args)) => eval_cmd(args),
        Ok(Command::Test(args)) => test(args),
        Ok(Command::Extract(args)) => extract(args),
        Err(e) => {
            eprintln!("entente: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("entente: {e:#}");
        ExitCode::from(2)
    })
}

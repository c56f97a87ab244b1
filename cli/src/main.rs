//! `entente`: the command line of the entente library.

use std::ffi::OsString;
use std::io::{self, BufWriter, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use entente::Extractor;
use entente_cli::corpus::{self, Format, Input};

mod bench;
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
    threads: Option<usize>,
    quiet: bool,
    corpus: Option<PathBuf>,
    limit_mb: Option<f64>,
    synthetic: Option<usize>,
    repeat: Option<usize>,
    reference: bool,
}

enum Command {
    Extract(Args),
    Test(Args),
    Eval(Args),
    Explain(Args),
    Bench(Args),
    Help,
    Version,
}

/// The value of option `--flag` as a number that passes `ok`, or an error
/// that says what was expected.
fn number<T: std::str::FromStr>(
    p: &mut lexopt::Parser,
    flag: &str,
    expected: &str,
    ok: impl Fn(&T) -> bool,
) -> Result<T> {
    use lexopt::ValueExt;
    let v = p.value()?.string()?;
    match v.parse::<T>() {
        Ok(n) if ok(&n) => Ok(n),
        _ => bail!("--{flag}: expected {expected}, got {v:?}"),
    }
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
            Short('q') | Long("quiet") => args.quiet = true,
            Long("reference") => args.reference = true,
            Long("threads") => {
                args.threads = Some(number(
                    &mut p,
                    "threads",
                    "a number of threads",
                    |&n| n > 0,
                )?)
            }
            Long("corpus") => args.corpus = Some(p.value()?.into()),
            Long("limit-mb") => {
                args.limit_mb = Some(number(
                    &mut p,
                    "limit-mb",
                    "a positive number",
                    |&n| n > 0.0,
                )?)
            }
            Long("synthetic") => {
                args.synthetic = Some(number(
                    &mut p,
                    "synthetic",
                    "a number of entries",
                    |_| true,
                )?)
            }
            Long("repeat") => {
                args.repeat = Some(number(
                    &mut p,
                    "repeat",
                    "a positive number",
                    |&n| n > 0,
                )?)
            }
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
        Some("bench") => Ok(Command::Bench(args)),
        Some(other) => {
            bail!("unknown command {other:?}: expected 'extract', 'test', 'eval', 'explain' or 'bench'")
        }
        None => Ok(Command::Help),
    }
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
    let input_of = |p: &PathBuf| args.input.unwrap_or(Input::of_path(p));
    let format = args.format.unwrap_or(
        if files.len() == 1 && input_of(&files[0]) == Input::Text {
            Format::Json
        } else {
            Format::Jsonl
        },
    );
    let mut opts = corpus::Options {
        input: args.input,
        format,
        date: args.date,
        progress: !args.quiet,
        ..corpus::Options::default()
    };
    if let Some(n) = args.threads {
        opts.threads = n;
        opts.in_flight = 4 * n + 4;
    }
    let start = Instant::now();
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout());
    let mut err = io::stderr();
    let sum = match corpus::run(&ex, &files, &opts, &mut out, &mut err) {
        Ok(sum) => sum,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            return Ok(ExitCode::SUCCESS)
        }
        Err(e) => bail!("cannot write the output: {e}"),
    };
    if !args.quiet {
        let secs = start.elapsed().as_secs_f64();
        let mb = sum.bytes as f64 / 1e6;
        eprintln!(
            "entente: {} documents, {mb:.1} MB in {secs:.2} s ({:.1} MB/s, {} threads), {} entities, {} relations, {} errors",
            sum.documents,
            mb / secs.max(1e-9),
            opts.threads,
            sum.entities,
            sum.relations,
            sum.errors
        );
    }
    if sum.errors > 0 {
        if args.quiet {
            eprintln!(
                "entente: {} document(s), {} error(s)",
                sum.documents, sum.errors
            );
        }
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

/// `entente bench --corpus FILE`.
fn bench_cmd(args: Args) -> Result<ExitCode> {
    let Some(corpus) = args.corpus.as_deref() else {
        bail!("bench: expected --corpus FILE");
    };
    bench::run(&bench::Settings {
        corpus,
        gazetteers: &args.gazetteers,
        rules: &args.rules,
        no_embedded: args.no_embedded,
        threads: args.threads.unwrap_or(1),
        limit_mb: args.limit_mb,
        synthetic: args.synthetic,
        repeat: args.repeat.unwrap_or(3),
        reference: args.reference,
    })?;
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
        Ok(Command::Bench(args)) => bench_cmd(args),
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

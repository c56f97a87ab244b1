//! `entente bench`: throughput of each stage over a corpus, beside a raw
//! `aho-corasick` scan of the same gazetteer's aliases over the same text,
//! measured in the same run.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use entente::{Extractor, Stage};
use entente_cli::corpus::{self, Input};

#[path = "../../benches/raw_scan.rs"]
mod raw_scan;
#[path = "../../benches/synth.rs"]
mod synth;

/// What the bench command was asked.
pub(crate) struct Settings<'a> {
    pub(crate) corpus: &'a Path,
    pub(crate) gazetteers: &'a [PathBuf],
    pub(crate) rules: &'a [PathBuf],
    pub(crate) no_embedded: bool,
    pub(crate) threads: usize,
    pub(crate) limit_mb: Option<f64>,
    pub(crate) synthetic: Option<usize>,
    pub(crate) repeat: usize,
    pub(crate) reference: bool,
}

/// The `text` of every document, up to `limit` bytes of text.
fn load_texts(path: &Path, limit: u64) -> Result<(Vec<String>, usize)> {
    let count = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let reader = corpus::open(path, count)
        .with_context(|| format!("{}: cannot open", path.display()))?;
    let mut texts = Vec::new();
    let mut bad = 0;
    let mut total = 0u64;
    if Input::of_path(path) == Input::Text {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut { reader }, &mut bytes)?;
        match String::from_utf8(bytes) {
            Ok(t) => texts.push(t),
            Err(_) => bail!("{}: not UTF-8 text", path.display()),
        }
        return Ok((texts, 0));
    }
    let mut lines = corpus::Lines::new(reader);
    let mut buf = Vec::new();
    while let Some((line, _)) = lines.next_line(&mut buf)? {
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match corpus::parse_jsonl_line(&buf, line.to_string()).text {
            Ok(t) => {
                total += t.len() as u64;
                texts.push(t);
            }
            Err(_) => bad += 1,
        }
        if total >= limit {
            break;
        }
    }
    Ok((texts, bad))
}

/// The text a bench slice holds: a stage and its baseline are timed
/// side by side over one slice, then over the next.
const SLICE_BYTES: usize = 1 << 20;

/// `texts` cut into `n` runs of about equal bytes, in order.
fn chunks(texts: &[String], n: usize) -> Vec<&[String]> {
    let total: usize = texts.iter().map(String::len).sum();
    let per = total.div_ceil(n.max(1)).max(1);
    let mut out = Vec::new();
    let (mut start, mut acc) = (0, 0);
    for (i, t) in texts.iter().enumerate() {
        acc += t.len();
        if acc >= per {
            out.push(&texts[start..=i]);
            start = i + 1;
            acc = 0;
        }
    }
    if start < texts.len() {
        out.push(&texts[start..]);
    }
    out
}

/// Runs `f` over every text on `threads` threads, `repeat` times; the
/// median wall time and the sum of what `f` counted (the same every run).
fn time<F>(
    texts: &[String],
    threads: usize,
    repeat: usize,
    f: F,
) -> (Duration, u64)
where
    F: Fn(&str) -> u64 + Sync,
{
    let parts = chunks(texts, threads);
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..repeat {
        let start = Instant::now();
        count = std::thread::scope(|s| {
            let handles: Vec<_> = parts
                .iter()
                .map(|part| s.spawn(|| part.iter().map(|t| f(t)).sum::<u64>()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
        });
        times.push(start.elapsed());
    }
    times.sort();
    (times[times.len() / 2], count)
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub(crate) fn run(s: &Settings<'_>) -> Result<()> {
    let limit = s.limit_mb.map_or(u64::MAX, |mb| (mb * 1e6) as u64);
    let (texts, bad) = load_texts(s.corpus, limit)?;
    let bytes: usize = texts.iter().map(String::len).sum();
    if bytes == 0 {
        bail!("{}: no text to measure", s.corpus.display());
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus   {}: {} documents, {mb:.1} MB of text{}",
        s.corpus.display(),
        texts.len(),
        if bad > 0 {
            format!(" ({bad} unreadable lines left out)")
        } else {
            String::new()
        }
    );

    let mut b = Extractor::builder();
    b.embedded(!s.no_embedded);
    if !s.rules.is_empty() {
        b.embedded_rules(false);
    }
    for g in s.gazetteers {
        b.gazetteer_file(g);
    }
    for r in s.rules {
        b.rule_file(r);
    }
    if let Some(n) = s.synthetic {
        b.gazetteer_str("synthetic.gaz", synth::gazetteer(n));
    }
    let start = Instant::now();
    let ex = match b.build() {
        Ok(ex) => ex,
        Err(e) => bail!("{e}"),
    };
    let build = start.elapsed();
    let aliases = raw_scan::aliases(&ex);
    println!(
        "entente  {} entries, {} names and aliases, {} rules: built in {:.0} ms, peak RSS {:.0} MB so far",
        ex.gazetteer().len(),
        aliases.len(),
        ex.rules().len(),
        build.as_secs_f64() * 1e3,
        peak_rss_mb().unwrap_or(f64::NAN)
    );
    let start = Instant::now();
    let ac = raw_scan::scanner(&aliases)
        .context("cannot build the aho-corasick baseline")?;
    println!(
        "baseline aho-corasick 1 ({:?}, leftmost-longest, ASCII case-insensitive) over the same aliases: built in {:.0} ms",
        ac.kind(),
        start.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "threads  {}; each figure is the median of {} runs\n",
        s.threads, s.repeat
    );

    let sentences = time(&texts, s.threads, 1, |t| {
        ex.run_to(t, Stage::Tokenize).sentences as u64
    })
    .1 as f64;
    let (t, r) = (s.threads, s.repeat);
    // Every stage once per round, the rounds repeated: a machine that
    // speeds up or slows down during the run moves all stages alike, so
    // the ratios to the baseline hold better than with each stage's runs
    // back to back.
    type Row<'a> =
        (String, Box<dyn Fn(&str) -> u64 + Sync + 'a>, &'static str);
    let end_to_end = |t: &str| {
        let x = ex.extract(t);
        (x.entities.len() + x.relations.len()) as u64
    };
    let mut stages: Vec<Row<'_>> = vec![
        (
            "raw aho-corasick scan (baseline)".into(),
            Box::new(|t: &str| ac.find_iter(t).count() as u64),
            "matches",
        ),
        (
            "tokenize".into(),
            Box::new(|t: &str| ex.run_to(t, Stage::Tokenize).tokens as u64),
            "tokens",
        ),
        (
            "tokenize + gazetteer".into(),
            Box::new(|t: &str| ex.run_to(t, Stage::Gazetteer).mentions as u64),
            "mentions",
        ),
        (
            "tokenize + gazetteer + rules".into(),
            Box::new(|t: &str| ex.run_to(t, Stage::Rules).relations as u64),
            "relations",
        ),
        (
            "end to end (extract)".into(),
            Box::new(end_to_end),
            "entities+relations",
        ),
    ];
    if s.reference {
        stages.push((
            "end to end, reference rule VM".into(),
            Box::new(|t: &str| {
                let x = ex.extract_reference(t, None);
                (x.entities.len() + x.relations.len()) as u64
            }),
            "entities+relations",
        ));
    }
    // Each round times every stage over the corpus slice by slice, with
    // the raw scan of the same slice right beside it (before it in one
    // round, after it in the next, so that neither always finds the text
    // warm): a machine whose speed drifts from one second to the next
    // moves a stage and its baseline alike, and their ratio holds.
    let slices = chunks(&texts, bytes.div_ceil(SLICE_BYTES));
    let mut runs: Vec<Vec<Duration>> = vec![Vec::new(); stages.len()];
    // per stage and round, the raw scan's time beside it
    let mut raws: Vec<Vec<Duration>> = vec![Vec::new(); stages.len()];
    let mut counts = vec![0u64; stages.len()];
    let raw = &stages[0].1;
    for round in 0..r {
        let mut d = vec![Duration::ZERO; stages.len()];
        let mut base = vec![Duration::ZERO; stages.len()];
        let mut c = vec![0u64; stages.len()];
        let raw_first = round % 2 == 0;
        for slice in &slices {
            for (k, (_, f, _)) in stages.iter().enumerate().skip(1) {
                let (mut b, mut n) = (Duration::ZERO, 0);
                if raw_first {
                    (b, n) = time(slice, t, 1, raw);
                }
                let (dk, m) = time(slice, t, 1, f);
                if !raw_first {
                    (b, n) = time(slice, t, 1, raw);
                }
                (d[k], c[k], base[k]) = (d[k] + dk, c[k] + m, base[k] + b);
                if k == 1 {
                    c[0] += n;
                }
            }
        }
        // the raw scan's own row: its runs beside the first stage
        (d[0], base[0]) = (base[1], base[1]);
        for k in 0..stages.len() {
            runs[k].push(d[k]);
            raws[k].push(base[k]);
        }
        counts = c;
    }
    // Per stage, the ratio of the raw scan's time to the stage's within
    // each round, sorted.
    let paired: Vec<Vec<f64>> = runs
        .iter()
        .zip(&raws)
        .map(|(times, base)| {
            let mut v: Vec<f64> = base
                .iter()
                .zip(times)
                .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
                .collect();
            v.sort_by(f64::total_cmp);
            v
        })
        .collect();
    let rows: Vec<(String, (Duration, u64), &str)> = stages
        .iter()
        .zip(runs.iter_mut().zip(&counts))
        .map(|((name, _, what), (times, &count))| {
            times.sort();
            (name.clone(), (times[times.len() / 2], count), *what)
        })
        .collect();
    let end_to_end_time = rows[4].1 .0;
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!(
        "MB/s: the median round; x raw scan: the median over rounds of the raw \
         scan's time\nover the stage's, each timed beside the other one 1 MB \
         slice at a time, and its range\n"
    );
    println!(
        "{:<34} {:>9} {:>13} {:>10}  {:<11}  work done",
        "stage", "MB/s", "sentences/s", "x raw scan", "range"
    );
    for ((name, (d, count), what), ratios) in rows.iter().zip(&paired) {
        let (lo, hi) = (ratios[0], ratios[ratios.len() - 1]);
        println!(
            "{name:<34} {:>9.1} {:>13.0} {:>10.2}  {:<11}  {count} {what}",
            rate(*d),
            sentences / d.as_secs_f64(),
            ratios[ratios.len() / 2],
            format!("{lo:.2}-{hi:.2}"),
        );
    }
    // the rules' own share, from the two cumulative rows around it
    let (g, rl) = (rows[2].1 .0, rows[3].1 .0);
    if rl > g {
        println!(
            "{:<34} {:>9.1} {:>13.0}",
            "rules alone (difference)",
            rate(rl - g),
            sentences / (rl - g).as_secs_f64()
        );
    }
    if s.threads > 1 {
        let one = time(&texts, 1, r, end_to_end);
        println!(
            "\nend to end on 1 thread: {:.1} MB/s; {} threads are {:.2}x one",
            rate(one.0),
            s.threads,
            one.0.as_secs_f64() / end_to_end_time.as_secs_f64()
        );
    }
    println!("\npeak RSS {:.0} MB", peak_rss_mb().unwrap_or(f64::NAN));
    Ok(())
}

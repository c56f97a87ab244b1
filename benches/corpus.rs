//! Throughput of each stage over a news corpus, beside a raw aho-corasick
//! scan of the same gazetteer's names and aliases in the same group.
//!
//! cargo bench --bench corpus
//!
//! The corpus is `$ENTENTE_BENCH_CORPUS` (JSONL with a `text` field, or a
//! plain-text file), else `../shared/corpora/wikinews-politics-economy.jsonl`
//! when it is there, else our own `benches/sample.jsonl`. At most
//! `$ENTENTE_BENCH_MB` megabytes of text are used (default 2). With
//! `ENTENTE_BENCH_1M=1` a second group does the same with a generated
//! 1,000,000-entry gazetteer (and no embedded data); it takes minutes,
//! most of them building the aho-corasick automaton.
//!
//! Every bench checks that it did real work (a count of matches, tokens,
//! mentions or relations above zero), so a broken stage cannot look fast.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use entente::{Extractor, Stage};

mod raw_scan;
mod synth;

fn corpus_path() -> PathBuf {
    if let Some(p) = std::env::var_os("ENTENTE_BENCH_CORPUS") {
        return p.into();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared =
        root.join("../shared/corpora/wikinews-politics-economy.jsonl");
    if shared.is_file() {
        shared
    } else {
        root.join("benches/sample.jsonl")
    }
}

/// The texts of the corpus, up to the byte budget.
fn texts() -> (PathBuf, Vec<String>) {
    let path = corpus_path();
    let limit = std::env::var("ENTENTE_BENCH_MB")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(2_000_000, |mb| (mb * 1e6) as usize);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = String::from_utf8_lossy(&bytes);
    let jsonl = path.extension().is_some_and(|e| e == "jsonl");
    let mut out = Vec::new();
    let mut total = 0;
    if !jsonl {
        out.push(body.chars().take(limit).collect());
        return (path, out);
    }
    for line in body.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
            total += t.len();
            out.push(t.to_string());
        }
        if total >= limit {
            break;
        }
    }
    (path, out)
}

fn stages(c: &mut Criterion, group: &str, ex: &Extractor, texts: &[String]) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let ac = raw_scan::scanner(&raw_scan::aliases(ex))
        .expect("the aliases build an automaton");
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("raw_aho_corasick", |b| {
        b.iter(|| {
            let n: usize = texts.iter().map(|t| ac.find_iter(t).count()).sum();
            assert!(n > 0, "the raw scan found nothing");
            n
        })
    });
    let count = |stage: Stage| {
        move |t: &String| {
            let c = ex.run_to(t, stage);
            [c.tokens, c.mentions, c.relations]
        }
    };
    for (name, stage, what) in [
        ("tokenize", Stage::Tokenize, 0),
        ("gazetteer", Stage::Gazetteer, 1),
        ("rules", Stage::Rules, 2),
    ] {
        if stage == Stage::Rules && ex.rules().is_empty() {
            continue;
        }
        g.bench_function(name, |b| {
            b.iter(|| {
                let n: usize =
                    texts.iter().map(count(stage)).map(|c| c[what]).sum();
                assert!(n > 0, "{name}: found nothing");
                n
            })
        });
    }
    g.bench_function("end_to_end", |b| {
        b.iter(|| {
            let n: usize = texts
                .iter()
                .map(|t| {
                    let x = ex.extract(t);
                    x.entities.len() + x.relations.len()
                })
                .sum();
            assert!(n > 0, "extract found nothing");
            n
        })
    });
    g.finish();
}

fn corpus(c: &mut Criterion) {
    let (path, texts) = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!(
        "corpus {}: {} documents, {:.1} MB of text",
        path.display(),
        texts.len(),
        bytes as f64 / 1e6
    );
    stages(c, "default_gazetteer", &Extractor::default(), &texts);
    if std::env::var_os("ENTENTE_BENCH_1M").is_some() {
        let src = synth::gazetteer(1_000_000);
        let ex = Extractor::builder()
            .embedded(false)
            .gazetteer_str("synthetic.gaz", src)
            .build()
            .expect("the synthetic gazetteer builds");
        // Generated names seldom occur in news: put some in, so that both
        // sides have matches to report.
        let names: Vec<String> = ex
            .gazetteer()
            .entries()
            .iter()
            .step_by(10_007)
            .map(|e| e.name().to_string())
            .collect();
        let seeded: Vec<String> = texts
            .iter()
            .zip(names.iter().cycle())
            .map(|(t, n)| format!("{n} said. {t}"))
            .collect();
        stages(c, "synthetic_1m_gazetteer", &ex, &seeded);
    }
}

criterion_group!(benches, corpus);
criterion_main!(benches);

//! `entente test --coverage CORPUS.jsonl`: which rules never fired on a
//! corpus, which gazetteer entries never matched, and the capitalised
//! phrases that no entity covers, most frequent first (candidates for the
//! gazetteers).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, Result};
use entente::{Case, Extractor, TokenKind};

pub(crate) fn run(ex: &Extractor, corpus: &Path, top: usize) -> Result<()> {
    let f = File::open(corpus)
        .with_context(|| format!("{}: cannot open", corpus.display()))?;
    let mut fired = vec![0usize; ex.rules().len()];
    let mut matched: HashMap<entente::Str, usize> = HashMap::new();
    let mut phrases: HashMap<String, usize> = HashMap::new();
    // lowercase words of the corpus: a capitalised word that is mostly
    // written in lowercase is an ordinary word, not a name
    let mut lower: HashMap<String, usize> = HashMap::new();
    let (mut docs, mut bad) = (0usize, 0usize);
    for line in BufReader::new(f).split(b'\n') {
        let line = line
            .with_context(|| format!("{}: cannot read", corpus.display()))?;
        let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&line)
        else {
            bad += usize::from(!line.iter().all(|b| b.is_ascii_whitespace()));
            continue;
        };
        let Some(text) = doc["text"].as_str() else {
            bad += 1;
            continue;
        };
        docs += 1;
        let out = ex.extract(text);
        for r in &out.relations {
            if let Some(k) =
                ex.rules().rules().iter().position(|rule| rule.made(r))
            {
                fired[k] += 1;
            }
        }
        for e in &out.entities {
            *matched.entry(e.id.clone()).or_default() += 1;
        }
        // capitalised runs outside entities, not a lone sentence opener
        let toks = ex.tokenizer().tokenize(text);
        let mut covered = vec![false; text.len() + 1];
        for e in &out.entities {
            covered[e.start..e.end].iter_mut().for_each(|c| *c = true);
        }
        for t in toks.tokens() {
            if t.kind == TokenKind::Word && t.case == Case::Lower {
                *lower.entry(toks.norm(t).to_string()).or_default() += 1;
            }
        }
        for s in toks.sentences() {
            let ts = &toks.tokens()[s.tokens.clone()];
            let mut k = 0;
            while k < ts.len() {
                let cap = |t: &entente::Token| {
                    t.kind == TokenKind::Word
                        && matches!(t.case, Case::Title | Case::Upper)
                        && !covered[t.span.start]
                };
                if !cap(&ts[k]) {
                    k += 1;
                    continue;
                }
                let a = k;
                while k < ts.len() && cap(&ts[k]) {
                    k += 1;
                }
                if a == 0 && k - a == 1 {
                    continue;
                }
                let phrase = &text[ts[a].span.start..ts[k - 1].span.end];
                *phrases.entry(phrase.to_string()).or_default() += 1;
            }
        }
    }
    println!(
        "corpus {}: {docs} documents, {bad} lines skipped",
        corpus.display()
    );
    let rules = ex.rules().rules();
    let silent: Vec<_> =
        rules.iter().zip(&fired).filter(|(_, &n)| n == 0).collect();
    println!("\nrules that never fired: {} of {}", silent.len(), rules.len());
    for (r, _) in &silent {
        println!("  {}  {}", r.id(), r.location());
    }
    let mut busiest: Vec<_> =
        rules.iter().zip(&fired).filter(|(_, &n)| n > 0).collect();
    busiest.sort_by(|a, b| b.1.cmp(a.1));
    println!("\nrules that fired most:");
    for (r, n) in busiest.iter().take(top) {
        println!("  {n:>6}  {}  {}", r.id(), r.location());
    }
    let gaz = ex.gazetteer();
    let unmatched =
        gaz.entries().iter().filter(|e| !matched.contains_key(e.id())).count();
    println!(
        "\ngazetteer entries never matched: {unmatched} of {}",
        gaz.len()
    );
    let mut by_kind: HashMap<&str, (usize, usize)> = HashMap::new();
    for e in gaz.entries() {
        let c = by_kind.entry(e.kind()).or_default();
        c.1 += 1;
        c.0 += usize::from(!matched.contains_key(e.id()));
    }
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.1 .1));
    for (kind, (never, all)) in kinds.iter().take(top) {
        println!("  {kind:<18} {never:>6} of {all:>6} never matched");
    }
    let ordinary = |p: &str, n: usize| {
        let w = p.to_lowercase();
        !p.contains(' ')
            && (entente::tokenize::is_calendar_word(&w)
                || w == "i"
                || lower.get(&w).is_some_and(|&l| l >= n))
    };
    // "Later Zorblatt Industries" at a sentence start is "Zorblatt
    // Industries": leading ordinary words are dropped, counts merged
    let mut merged: HashMap<String, usize> = HashMap::new();
    for (p, n) in phrases {
        let mut words: Vec<&str> = p.split(' ').collect();
        while words.len() > 1 && lower.contains_key(&words[0].to_lowercase()) {
            words.remove(0);
        }
        *merged.entry(words.join(" ")).or_default() += n;
    }
    let mut ph: Vec<_> =
        merged.into_iter().filter(|(p, n)| !ordinary(p, *n)).collect();
    ph.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("\ncapitalised phrases no entity covers (gazetteer candidates):");
    for (p, n) in ph.iter().take(top) {
        println!("  {n:>6}  {p}");
    }
    Ok(())
}

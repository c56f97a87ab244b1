//! Extracts entities from a text file (or a built-in sentence) with the
//! default extractor and prints them one per line.
//!
//! cargo run --example extract -- examples/news.txt

use entente::Extractor;

fn main() {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }),
        None => "Moscow: Russia pledged food aid to Afghanistan.".to_string(),
    };
    let ex = Extractor::default();
    for e in ex.extract(&text).entities {
        println!(
            "{:>5}..{:<5} {:<8} {:<12} {:<28} {}",
            e.start,
            e.end,
            e.label.as_str(),
            e.kind,
            e.id,
            e.text
        );
    }
}

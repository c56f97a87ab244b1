//! Builds an extractor over a generated gazetteer of N entries (default
//! 1,000,000) and reports the time; run it under `/usr/bin/time -v` for the
//! peak memory. The generator is the one `benches/load.rs` uses.
//!
//! cargo run --release --example build_synthetic -- 1000000

use std::time::Instant;

use entente::Extractor;

#[path = "../benches/synth.rs"]
mod synth;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let t = Instant::now();
    let src = synth::gazetteer(n);
    let gen = t.elapsed();
    let t = Instant::now();
    let ex = Extractor::builder()
        .embedded(false)
        .gazetteer_str("synthetic.gaz", src)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let build = t.elapsed();
    let probe = ex.gazetteer().entries()[n / 2].name().to_string();
    let found =
        ex.extract(&format!("Officials of {probe} met.")).entities.len();
    println!(
        "entries {} generated in {:.2?}, built in {:.2?}; probe {probe:?} found {found}",
        ex.gazetteer().len(),
        gen,
        build
    );
}

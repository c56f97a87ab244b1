//! How long it takes to build an extractor: the default one over the
//! embedded data, and one over a generated 1,000,000-entry gazetteer.
//!
//! cargo bench --bench load
//!
//! Peak memory of the 1M build: `/usr/bin/time -v cargo run --release
//! --example build_synthetic -- 1000000` ("Maximum resident set size").

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use entente::Extractor;

mod synth;

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.bench_function("default", |b| {
        b.iter(|| {
            let ex = Extractor::builder().build().unwrap();
            assert!(ex.gazetteer().len() > 3000);
            ex
        })
    });
    let src = synth::gazetteer(1_000_000);
    g.sample_size(10);
    // The build alone: the source is handed over as an owned String (no
    // copy, as a caller that read a file would), and dropping the result
    // happens outside the timing (`iter_batched` drops it afterwards).
    g.bench_function("synthetic_1m", |b| {
        b.iter_batched(
            || src.clone(),
            |src| {
                let ex = Extractor::builder()
                    .embedded(false)
                    .gazetteer_str("synthetic.gaz", src)
                    .build()
                    .unwrap();
                assert_eq!(ex.gazetteer().len(), 1_000_000);
                ex
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);

//! Adversarial input for the rule engine: one sentence (no full stop) of
//! up to 10,000 tokens, dense with entities and trigger words, through the
//! default gazetteers and all default rules. Time must grow linearly with
//! length: compare the per-token times across sizes.
//!
//! cargo bench --bench rules

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, Throughput,
};
use entente::Extractor;

/// About 50 tokens, every one an entity, a trigger word or a separator;
/// clauses joined by semicolons, so the whole text is one sentence.
const CHUNK: &str = "Russia condemned Iran ; China accused NATO ; Japan \
    pledged aid to Syria ; Iraq invaded Kuwait ; Qatar hosted talks with \
    Turkey and India ; Pakistan met Iran ; Germany withdrew troops from \
    Iraq ; Britain urged Israel to talk ; France criticised Hungary ; \
    Egypt blamed Libya ; ";

fn sentence(tokens: usize) -> String {
    let per = entente::Tokenizer::new().tokenize(CHUNK).tokens().len();
    CHUNK.repeat(tokens.div_ceil(per))
}

fn adversarial(c: &mut Criterion) {
    let ex = Extractor::default();
    let mut g = c.benchmark_group("adversarial_sentence");
    g.sample_size(10);
    for n in [1_250, 2_500, 5_000, 10_000] {
        let text = sentence(n);
        let toks = ex.tokenizer().tokenize(&text).tokens().len();
        assert_eq!(ex.tokenizer().tokenize(&text).sentences().len(), 1);
        let rels = ex.extract(&text).relations.len();
        // repeated triples in one sentence are reported once, so the
        // count stays flat while the work grows with the length
        assert!(rels >= 10, "did real work: {rels} relations");
        g.throughput(Throughput::Elements(toks as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(toks),
            &text,
            |b, t| b.iter(|| ex.extract(t).relations.len()),
        );
    }
    g.finish();
}

criterion_group!(benches, adversarial);
criterion_main!(benches);

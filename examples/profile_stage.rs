//! Runs one stage of the pipeline over a JSONL corpus, for profilers:
//!
//! cargo build --release --example profile_stage
//! valgrind --tool=callgrind target/release/examples/profile_stage tokenize corpus.jsonl
//! perf record -g target/release/examples/profile_stage rules corpus.jsonl
//!
//! Stages: tokenize, gazetteer, rules, extract.

use entente::{Extractor, Stage};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [stage, path] = args.as_slice() else {
        eprintln!(
            "usage: profile_stage tokenize|gazetteer|rules|extract FILE.jsonl"
        );
        std::process::exit(2);
    };
    let body = std::fs::read_to_string(path).expect("a readable UTF-8 file");
    let texts: Vec<String> = body
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
        .collect();
    let ex = Extractor::default();
    let stage = match stage.as_str() {
        "tokenize" => Some(Stage::Tokenize),
        "gazetteer" => Some(Stage::Gazetteer),
        "rules" => Some(Stage::Rules),
        "extract" => None,
        other => panic!("unknown stage {other:?}"),
    };
    let mut work = 0;
    for t in &texts {
        work += match stage {
            Some(s) => {
                let c = ex.run_to(t, s);
                c.tokens + c.mentions + c.relations
            }
            None => ex.extract(t).entities.len(),
        };
    }
    println!("{} documents, work {work}", texts.len());
}

//! The optimised extraction path against the plain one.
//!
//! `extract_reference` runs the rule VM with no prefilter: every pattern is
//! tried at every item of every sentence. The trigger-word index, the
//! mention-count filter, the first-element test and the trigger-distance
//! windows only skip work that cannot match, so both must give the same
//! output, byte for byte, on every document.

use entente::Extractor;

/// A few hundred documents of our own text: the rule files' examples and
/// counter-examples, shuffled into documents of three to eight sentences
/// (so that discourse references and surnames reach across sentences),
/// plus the stories of `benches/sample.jsonl`.
fn documents(ex: &Extractor) -> Vec<String> {
    let sentences: Vec<&str> = ex
        .rules()
        .rules()
        .iter()
        .flat_map(|r| r.examples().iter().map(|e| e.text.as_str()))
        .collect();
    assert!(sentences.len() > 500, "the embedded rules carry examples");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut docs = Vec::new();
    for _ in 0..300 {
        let k = 3 + next(6);
        let parts: Vec<&str> =
            (0..k).map(|_| sentences[next(sentences.len())]).collect();
        let sep = if next(3) == 0 { "\n\n" } else { " " };
        docs.push(parts.join(sep));
    }
    let sample = include_str!("../benches/sample.jsonl");
    for line in sample.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        docs.push(v["text"].as_str().unwrap().to_string());
    }
    docs
}

/// Asserts that both paths give the same JSON for `doc`; returns the
/// number of relations found.
fn agree(ex: &Extractor, doc: &str) -> usize {
    let fast = ex.extract(doc);
    let plain = ex.extract_reference(doc, None);
    assert_eq!(
        serde_json::to_string(&fast).unwrap(),
        serde_json::to_string(&plain).unwrap(),
        "differs:\n{doc}"
    );
    fast.relations.len()
}

#[test]
fn optimised_and_reference_paths_agree() {
    let ex = Extractor::default();
    let docs = documents(&ex);
    let relations: usize = docs.iter().map(|d| agree(&ex, d)).sum();
    // the documents exercise the rules, so agreement means something
    assert!(relations > docs.len(), "only {relations} relations");
}

/// The trigger-distance windows do not count mentions or the words of a
/// coordinated list, so a list of any length before (or after) the trigger
/// word still matches, exactly as the plain VM matches it; a trigger word
/// beyond a gap's reach matches in neither.
#[test]
fn long_lists_and_far_triggers_agree() {
    let ex = Extractor::default();
    let countries = [
        "Japan", "China", "India", "Brazil", "Germany", "France", "Italy",
        "Spain", "Canada", "Mexico", "Kenya", "Egypt", "Turkey", "Chile",
        "Peru", "Norway", "Sweden", "Poland", "Greece", "Portugal",
    ];
    let mut docs = Vec::new();
    for n in [1, 2, 5, 12, 20] {
        let list = countries[..n].join(", ");
        let and_list = if n > 1 {
            format!(
                "{} and {}",
                countries[..n - 1].join(", "),
                countries[n - 1]
            )
        } else {
            countries[0].to_string()
        };
        docs.push(format!("{and_list} pledged humanitarian aid to Nepal."));
        docs.push(format!("{list} sent tents and blankets to Haiti."));
        docs.push(format!("Russia condemned {and_list} on Monday."));
        docs.push(format!(
            "The {and_list} governments said nothing, and Chile later pledged aid to Peru."
        ));
    }
    // trigger words at and beyond a gap's reach
    for filler in ["", "very ", "very very ", "very very very very very very "]
    {
        docs.push(format!("Japan {filler}quickly pledged aid to Nepal."));
    }
    let relations: usize = docs.iter().map(|d| agree(&ex, d)).sum();
    // the long lists did give relations, one per conjunct
    assert!(relations >= 40, "only {relations} relations");
}

//! Every inline example and counter-example of the default rules holds.

use entente::Extractor;

#[test]
fn default_rule_examples() {
    let report = Extractor::default().check_examples();
    assert!(report.is_ok(), "\n{report}");
    assert!(report.checked() >= 10, "{} examples", report.checked());
}

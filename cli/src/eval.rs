//! `entente eval --gold FILE`: precision, recall and F1 against gold
//! records in the format of the project's seed gold (`SCORING.md`), one
//! JSON object or a JSONL file of them.
//!
//! Matching follows the scoring contract: an entity is found when an output
//! entity has its text or name among the gold names and the same label; a
//! relation when subject and object match (by names or country), the code
//! starts with the gold root and negation agrees (symmetric items either
//! way round), one output relation satisfying one gold item; a role when a
//! `holds_role` relation has the person as subject, the holder as object
//! and a label containing the hint.
//!
//! Precision: for relations, the emitted event relations that match some
//! gold relation (required or stretch); for roles, the emitted roles that
//! match some gold role; for entities, gold lists are not exhaustive, so
//! precision is over judged entities: those whose text or name the gold
//! names (correct when the label agrees) and those on a `must_not` line.

use std::path::Path;

use anyhow::{bail, Context, Result};
use entente::{Date, EntityRef, Extraction, Extractor, Relation};
use serde_json::Value;

/// Names compared case-insensitively, whitespace collapsed, curly
/// apostrophes straightened, a leading "the " ignored.
fn low(s: &str) -> String {
    let s = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('\u{2019}', "'");
    s.strip_prefix("the ").map(str::to_string).unwrap_or(s)
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(|n| n.as_str()).map(low).collect())
        .unwrap_or_default()
}

fn ref_matches(gold: &Value, r: &EntityRef) -> bool {
    let ns = names(&gold["names"]);
    if ns.contains(&low(&r.text)) || ns.contains(&low(&r.name)) {
        return true;
    }
    gold["country"].as_str().is_some_and(|c| r.country.as_deref() == Some(c))
}

fn rel_hit(g: &Value, r: &Relation, swap: bool) -> bool {
    let (s, o) =
        if swap { (&r.object, &r.subject) } else { (&r.subject, &r.object) };
    let root_ok = g["code_root"]
        .as_str()
        .is_none_or(|root| r.code.as_deref().unwrap_or("").starts_with(root));
    let neg = g["negated"].as_bool().unwrap_or(false);
    ref_matches(&g["subject"], s)
        && ref_matches(&g["object"], o)
        && root_ok
        && neg == r.negated
}

fn hit(g: &Value, r: &Relation) -> bool {
    rel_hit(g, r, false)
        || g["symmetric"].as_bool().unwrap_or(false) && rel_hit(g, r, true)
}

#[derive(Default, Clone, Copy)]
struct Count {
    found: usize,
    total: usize,
}

#[derive(Default)]
struct Totals {
    ent_req: Count,
    ent_stretch: Count,
    ent_judged: usize,
    ent_right: usize,
    rel_req: Count,
    rel_stretch: Count,
    rel_emitted: usize,
    rel_matched: usize,
    role_req: Count,
    role_emitted: usize,
    role_matched: usize,
    docs: usize,
}

fn required(g: &Value) -> bool {
    g["required"].as_bool().unwrap_or(true)
}

fn tally(c: &mut Count, ok: bool) {
    c.total += 1;
    c.found += usize::from(ok);
}

fn describe(r: &Relation) -> String {
    format!(
        "{} -{}/{}-> {}{}",
        r.subject.text,
        r.label,
        r.code.as_deref().unwrap_or("-"),
        r.object.text,
        if r.negated { " (negated)" } else { "" }
    )
}

fn score(
    gold: &Value,
    text: &str,
    out: &Extraction,
    t: &mut Totals,
    lines: &mut Vec<String>,
) {
    t.docs += 1;
    let why = |g: &Value| {
        g["why"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| g["names"].to_string())
    };
    let empty = vec![];
    let gold_ents = gold["entities"].as_array().unwrap_or(&empty);
    for g in gold_ents {
        let ns = names(&g["names"]);
        let label = g["label"].as_str().unwrap_or("");
        let ok = out.entities.iter().any(|e| {
            (ns.contains(&low(&e.text)) || ns.contains(&low(&e.name)))
                && e.label.as_str() == label
        });
        let req = required(g);
        tally(if req { &mut t.ent_req } else { &mut t.ent_stretch }, ok);
        if !ok {
            lines.push(format!(
                "missing entity ({}): {}",
                if req { "required" } else { "stretch" },
                why(g)
            ));
        }
    }
    // judged entities: named by the gold, or on a must_not line
    for e in &out.entities {
        let named: Vec<&Value> = gold_ents
            .iter()
            .filter(|g| {
                names(&g["names"])
                    .iter()
                    .any(|n| *n == low(&e.text) || *n == low(&e.name))
            })
            .collect();
        let line_start = text[..e.start].rfind('\n').map_or(0, |p| p + 1);
        let line_end =
            text[e.start..].find('\n').map_or(text.len(), |p| e.start + p);
        let line = &text[line_start..line_end];
        let spurious =
            gold["must_not"].as_array().unwrap_or(&empty).iter().any(|m| {
                let ts: Vec<&str> = m["text"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
                    .unwrap_or_default();
                ts.iter().any(|x| line.contains(x))
                    && ts.iter().any(|x| low(x) == low(&e.text))
            });
        if spurious {
            t.ent_judged += 1;
            lines.push(format!(
                "spurious entity {:?} at {}..{}",
                e.text, e.start, e.end
            ));
        } else if !named.is_empty() {
            t.ent_judged += 1;
            if named
                .iter()
                .any(|g| g["label"].as_str() == Some(e.label.as_str()))
            {
                t.ent_right += 1;
            } else {
                lines.push(format!(
                    "mislabeled entity {:?} as {}",
                    e.text, e.label
                ));
            }
        }
    }
    // relations, required first, one-to-one
    let events: Vec<&Relation> =
        out.relations.iter().filter(|r| r.predicate != "holds_role").collect();
    let mut used = vec![false; events.len()];
    let mut gold_rels: Vec<&Value> =
        gold["relations"].as_array().unwrap_or(&empty).iter().collect();
    gold_rels.sort_by_key(|g| !required(g));
    for g in &gold_rels {
        let idx = (0..events.len()).find(|&i| !used[i] && hit(g, events[i]));
        if let Some(i) = idx {
            used[i] = true;
        }
        let req = required(g);
        tally(
            if req { &mut t.rel_req } else { &mut t.rel_stretch },
            idx.is_some(),
        );
        if idx.is_none() {
            lines.push(format!(
                "missing relation ({}): {}",
                if req { "required" } else { "stretch" },
                why(g)
            ));
        }
    }
    t.rel_emitted += events.len();
    for r in &events {
        if gold_rels.iter().any(|g| hit(g, r)) {
            t.rel_matched += 1;
        } else {
            lines.push(format!(
                "extra relation: {}  [{}]",
                describe(r),
                r.rule
            ));
        }
    }
    // roles
    let roles: Vec<&Relation> =
        out.relations.iter().filter(|r| r.predicate == "holds_role").collect();
    let role_hit = |g: &Value, r: &Relation| {
        let person = serde_json::json!({ "names": g["person"] });
        let hint = low(g["role_hint"].as_str().unwrap_or(""));
        ref_matches(&person, &r.subject)
            && ref_matches(&g["of"], &r.object)
            && low(&r.label).contains(&hint)
    };
    let gold_roles = gold["roles"].as_array().unwrap_or(&empty);
    for g in gold_roles {
        let ok = roles.iter().any(|r| role_hit(g, r));
        if required(g) {
            tally(&mut t.role_req, ok);
        }
        if !ok {
            lines.push(format!(
                "missing role ({}): {}",
                if required(g) { "required" } else { "stretch" },
                why(g)
            ));
        }
    }
    t.role_emitted += roles.len();
    for r in &roles {
        if gold_roles.iter().any(|g| role_hit(g, r)) {
            t.role_matched += 1;
        } else {
            lines.push(format!(
                "extra role: {} -{}-> {}",
                r.subject.text, r.label, r.object.text
            ));
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Reads gold records: a JSON object, an array of them, or JSONL.
fn read_gold(path: &Path) -> Result<Vec<Value>> {
    let raw = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    if let Ok(v) = serde_json::from_str::<Value>(&raw) {
        return Ok(match v {
            Value::Array(a) => a,
            v => vec![v],
        });
    }
    raw.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| {
                format!("{}:{}: not a JSON object", path.display(), i + 1)
            })
        })
        .collect()
}

pub(crate) fn run(
    ex: &Extractor,
    gold_path: &Path,
    verbose: bool,
) -> Result<()> {
    let golds = read_gold(gold_path)?;
    if golds.is_empty() {
        bail!("{}: no gold records", gold_path.display());
    }
    let dir = gold_path.parent().unwrap_or(Path::new("."));
    let mut t = Totals::default();
    for g in &golds {
        let text = match (g["text"].as_str(), g["document"].as_str()) {
            (Some(t), _) => t.to_string(),
            (None, Some(doc)) => std::fs::read_to_string(dir.join(doc))
                .with_context(|| {
                    format!(
                        "{}: cannot read the gold's document",
                        dir.join(doc).display()
                    )
                })?,
            (None, None) => {
                bail!("a gold record has neither \"text\" nor \"document\"")
            }
        };
        let date = g["date"].as_str().and_then(Date::parse);
        let out = ex.extract_dated(&text, date);
        let mut lines = Vec::new();
        score(g, &text, &out, &mut t, &mut lines);
        let id = g["id"].as_str().or(g["document"].as_str()).unwrap_or("?");
        if verbose || golds.len() == 1 {
            for l in lines {
                println!("{id}: {l}");
            }
        }
    }
    let er = ratio(t.ent_req.found, t.ent_req.total);
    let ep = ratio(t.ent_right, t.ent_judged);
    let rr = ratio(t.rel_req.found, t.rel_req.total);
    let rp = ratio(t.rel_matched, t.rel_emitted);
    let or = ratio(t.role_req.found, t.role_req.total);
    let op = ratio(t.role_matched, t.role_emitted);
    println!("documents {}", t.docs);
    println!(
        "entities   recall {er:.3} ({}/{} required; stretch {}/{})  precision {ep:.3} ({}/{} judged)  F1 {:.3}",
        t.ent_req.found, t.ent_req.total, t.ent_stretch.found, t.ent_stretch.total, t.ent_right, t.ent_judged, f1(ep, er)
    );
    println!(
        "relations  recall {rr:.3} ({}/{} required; stretch {}/{})  precision {rp:.3} ({}/{} emitted)  F1 {:.3}",
        t.rel_req.found, t.rel_req.total, t.rel_stretch.found, t.rel_stretch.total, t.rel_matched, t.rel_emitted, f1(rp, rr)
    );
    println!(
        "roles      recall {or:.3} ({}/{} required)  precision {op:.3} ({}/{} emitted)  F1 {:.3}",
        t.role_req.found, t.role_req.total, t.role_matched, t.role_emitted, f1(op, or)
    );
    Ok(())
}
